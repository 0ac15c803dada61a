package review

import (
	"encoding/json"
	"strings"
	"testing"
)

func TestWriteAgreementsJSONUndefinedKappa(t *testing.T) {
	var b strings.Builder
	results := []*Agreement{Compare(logOf("alice", Approve), logOf("bob", Approve))}
	if err := WriteAgreementsJSON(&b, results); err != nil {
		t.Fatal(err)
	}
	var out []map[string]any
	if err := json.Unmarshal([]byte(b.String()), &out); err != nil {
		t.Fatalf("output is not JSON: %v\n%s", err, b.String())
	}
	if len(out) != 1 {
		t.Fatalf("output has %d pairs, want 1", len(out))
	}
	if k, ok := out[0]["kappa"]; !ok || k != nil {
		t.Errorf("kappa = %v, want null for one shared verdict", k)
	}
	if out[0]["observed"] != 1.0 {
		t.Errorf("observed = %v, want 1", out[0]["observed"])
	}
}

func TestWriteListColumns(t *testing.T) {
	root := newTestRoot(t)
	s := root.open(t, "alice")
	decide(t, s, aptFlag, Approve, Edits{}, "")

	var b strings.Builder
	if err := WriteList(&b, s, s.Candidates()[:2], false); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(b.String()), "\n")
	if len(lines) != 3 {
		t.Fatalf("list has %d lines, want a header and 2 rows:\n%s", len(lines), b.String())
	}
	if !strings.HasPrefix(lines[1], aptFlag+"  0.910 flag        DM3001") {
		t.Errorf("approved row = %q, want its code in the state column", lines[1])
	}
	if !strings.Contains(lines[2], "undecided") {
		t.Errorf("undecided row = %q, want the state undecided", lines[2])
	}
}
