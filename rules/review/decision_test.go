package review

import (
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"
)

func TestLogRoundTrip(t *testing.T) {
	at := time.Date(2025, 12, 4, 20, 0, 0, 0, time.UTC)
	l := &Log{
		Reviewer: "alice",
		Decisions: []Decision{
			{Candidate: "a1", Verdict: Approve, Time: at, Reviewer: "alice", Edits: Edits{Code: "DM3001", Name: "apt-x", Title: "use x"}, Reason: "common practice"},
			{Candidate: "b2", Verdict: Reject, Time: at.Add(time.Minute), Reviewer: "alice", Reason: "syntax: every script has it"},
		},
		Reserved: []Reservation{{Code: "DM3002", Candidate: "c3"}},
	}
	path := filepath.Join(t.TempDir(), "alice.yaml")
	if err := l.WriteFile(path); err != nil {
		t.Fatal(err)
	}
	got, err := ReadLog(path)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, l) {
		t.Errorf("ReadLog after WriteFile:\n got %+v\nwant %+v", got, l)
	}
}

func TestLogWriteFileAtomic(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "decisions")
	path := filepath.Join(dir, "alice.yaml")
	l := &Log{Reviewer: "alice"}
	for i := range 3 {
		l.Decisions = append(l.Decisions, Decision{Candidate: string(rune('a' + i)), Verdict: Defer, Time: time.Unix(int64(i), 0).UTC(), Reviewer: "alice"})
		if err := l.WriteFile(path); err != nil {
			t.Fatal(err)
		}
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 1 || entries[0].Name() != "alice.yaml" {
		var names []string
		for _, e := range entries {
			names = append(names, e.Name())
		}
		t.Errorf("decisions directory holds %v, want only alice.yaml", names)
	}
	info, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if info.Mode().Perm() != 0o644 {
		t.Errorf("decisions file mode = %v, want 0644", info.Mode().Perm())
	}
}

func TestReadLogMissingFile(t *testing.T) {
	l, err := ReadLog(filepath.Join(t.TempDir(), "bob.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	if l.Reviewer != "bob" || len(l.Decisions) != 0 {
		t.Errorf("ReadLog(missing) = %+v, want an empty log of bob", l)
	}
}

func TestReadLogRejects(t *testing.T) {
	tests := []struct {
		name string
		text string
		want string
	}{
		{"unknown field", "reviewer: alice\ndecision: []\n", "field decision not found"},
		{"bad verdict", "reviewer: alice\ndecisions:\n  - {candidate: a, decision: maybe, reviewer: alice}\n", `invalid decision "maybe"`},
		{"approval without code", "reviewer: alice\ndecisions:\n  - {candidate: a, decision: approve, reviewer: alice}\n", "an approval needs its code and name"},
		{"bad code", "reviewer: alice\ndecisions:\n  - {candidate: a, decision: defer, code: X1, reviewer: alice}\n", `invalid code "X1"`},
		{"missing candidate", "reviewer: alice\ndecisions:\n  - {decision: defer, reviewer: alice}\n", "missing candidate"},
		{"other reviewer", "reviewer: bob\n", `names reviewer "bob"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "alice.yaml")
			if err := os.WriteFile(path, []byte(tt.text), 0o644); err != nil {
				t.Fatal(err)
			}
			_, err := ReadLog(path)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("ReadLog(%q) error = %v, want one containing %q", tt.text, err, tt.want)
			}
		})
	}
}

func TestReadLogEmptyFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "carol.yaml")
	if err := os.WriteFile(path, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	l, err := ReadLog(path)
	if err != nil {
		t.Fatal(err)
	}
	if l.Reviewer != "carol" {
		t.Errorf("ReadLog(empty file).Reviewer = %q, want carol", l.Reviewer)
	}
}

func TestLogCurrentKeepsLatest(t *testing.T) {
	l := &Log{Reviewer: "alice", Decisions: []Decision{
		{Candidate: "a", Verdict: Defer},
		{Candidate: "b", Verdict: Reject},
		{Candidate: "a", Verdict: Approve, Edits: Edits{Code: "DM3001", Name: "x"}},
	}}
	cur := l.Current()
	if len(cur) != 2 {
		t.Fatalf("Current() has %d candidates, want 2", len(cur))
	}
	if cur["a"].Verdict != Approve {
		t.Errorf("Current()[a] = %s, want approve", cur["a"].Verdict)
	}
}

func TestCheckReviewer(t *testing.T) {
	for _, name := range []string{"alice", "bob.smith", "r2-d2", "x_y"} {
		if err := CheckReviewer(name); err != nil {
			t.Errorf("CheckReviewer(%q): %v", name, err)
		}
	}
	for _, name := range []string{"", ".hidden", "a/b", "../x", "with space"} {
		if err := CheckReviewer(name); !errors.Is(err, ErrReviewer) {
			t.Errorf("CheckReviewer(%q) = %v, want ErrReviewer", name, err)
		}
	}
}

func TestParseVerdict(t *testing.T) {
	for _, v := range Verdicts {
		got, err := ParseVerdict(string(v))
		if err != nil || got != v {
			t.Errorf("ParseVerdict(%q) = %q, %v", v, got, err)
		}
	}
	if _, err := ParseVerdict("Approve"); !errors.Is(err, ErrVerdict) {
		t.Errorf("ParseVerdict(Approve) error = %v, want ErrVerdict", err)
	}
}
