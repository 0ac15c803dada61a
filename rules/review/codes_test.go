package review

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/dockmine/dockmine/rules"
)

func TestFamily(t *testing.T) {
	tests := []struct {
		name string
		c    rules.Candidate
		want int
	}{
		{"package manager flag", rules.Candidate{Kind: "flag", Scope: "script", Antecedent: "apt-get install"}, FamilyPackageManager},
		{"pip", rules.Candidate{Kind: "flag", Antecedent: "pip install"}, FamilyPackageManager},
		{"other command", rules.Candidate{Kind: "flag", Antecedent: "curl"}, FamilyShell},
		{"command sequence", rules.Candidate{Kind: "follows", Scope: "script", Antecedent: "wget", Consequent: "sha256sum"}, FamilyShell},
		{"instruction kind", rules.Candidate{Kind: "instruction", Scope: "file", Antecedent: "ADD"}, FamilyInstruction},
		{"instruction flag", rules.Candidate{Kind: "flag", Scope: "stage", Antecedent: "COPY", Consequent: "--chown"}, FamilyInstruction},
		{"instruction order", rules.Candidate{Kind: "precedes", Scope: "stage", Antecedent: "USER", Consequent: "CMD"}, FamilyStage},
		{"final stage", rules.Candidate{Kind: "instruction", Scope: "stage", Antecedent: "final stage", Consequent: "USER"}, FamilyStage},
		{"whole file", rules.Candidate{Kind: "instruction", Scope: "file", Antecedent: "Dockerfile", Consequent: "pinned"}, FamilyStage},
		{"command with role", rules.Candidate{Kind: "operand", Scope: "script", Antecedent: "curl <url>", Consequent: "scheme:https"}, FamilyShell},
		{"pattern wins", rules.Candidate{Kind: "follows", Scope: "file", Antecedent: "x", Pattern: &rules.Pattern{Match: &rules.Match{Instruction: rules.Strings{"HEALTHCHECK"}}}}, FamilyStage},
	}
	for _, tt := range tests {
		if got := Family(&tt.c); got != tt.want {
			t.Errorf("Family(%s: %+v) = %d, want %d", tt.name, tt.c, got, tt.want)
		}
	}
}

// writeCodeFixtures lays out a rules root with one decisions file and two
// packs, and returns the decisions directory and the root.
func writeCodeFixtures(t *testing.T) (decisions, root string) {
	t.Helper()
	root = filepath.Join(t.TempDir(), "rules")
	decisions = filepath.Join(root, "decisions")
	at := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	l := &Log{
		Reviewer: "alice",
		Decisions: []Decision{
			{Candidate: "a", Verdict: Approve, Time: at, Reviewer: "alice", Edits: Edits{Code: "DM3001", Name: "old-name"}},
			{Candidate: "a", Verdict: Approve, Time: at.Add(time.Hour), Reviewer: "alice", Edits: Edits{Code: "DM3005", Name: "new-name"}},
		},
		Reserved: []Reservation{{Code: "DM3002", Candidate: "b"}},
	}
	if err := l.WriteFile(LogPath(decisions, "alice")); err != nil {
		t.Fatal(err)
	}
	files := map[string]string{
		"builtin/DM3003-hand-written.yaml": "code: DM3003\nname: hand-written\n",
		"builtin/DM4001-broken.yaml":       "code: [not, a, code\n",
		"mined/DM1001-add-remote.yaml":     "code: DM1001\nname: add-remote\nevidence:\n  candidate: c\n",
	}
	for name, text := range files {
		path := filepath.Join(root, name)
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return decisions, root
}

func TestCodeBookNext(t *testing.T) {
	decisions, root := writeCodeFixtures(t)
	book, err := readCodeBook(decisions, root)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		family int
		want   string
	}{
		{FamilyPackageManager, "DM3004"}, // 3001, 3005 decided, 3002 reserved, 3003 a rule file
		{FamilyShell, "DM4002"},          // 4001 from a file name whose content does not parse
		{FamilyInstruction, "DM1002"},
		{FamilyStage, "DM2001"},
	}
	for _, tt := range tests {
		got, err := book.next(tt.family)
		if err != nil || got != tt.want {
			t.Errorf("next(%d) = %q, %v; want %s", tt.family, got, err, tt.want)
		}
	}
}

func TestCodeBookCheckCode(t *testing.T) {
	decisions, root := writeCodeFixtures(t)
	book, err := readCodeBook(decisions, root)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		code, candidate string
		want            error
	}{
		{"DM3001", "a", nil},          // the candidate's own earlier code
		{"DM1001", "c", nil},          // a rule file of the candidate
		{"DM3001", "z", ErrCodeTaken}, // another candidate's code
		{"DM3002", "z", ErrCodeTaken}, // reserved by an undone approval
		{"DM3003", "z", ErrCodeTaken}, // a hand-written rule
		{"DM3999", "z", nil},          // free
		{"DM399", "z", ErrCode},       // malformed
		{"dm3999", "z", ErrCode},      // malformed
	}
	for _, tt := range tests {
		err := book.checkCode(tt.code, tt.candidate)
		if !errors.Is(err, tt.want) || (tt.want == nil && err != nil) {
			t.Errorf("checkCode(%s, %q) = %v, want %v", tt.code, tt.candidate, err, tt.want)
		}
	}
}

func TestCodeBookCodeOf(t *testing.T) {
	decisions, root := writeCodeFixtures(t)
	book, err := readCodeBook(decisions, root)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		candidate, code, name string
	}{
		{"a", "DM3005", "new-name"}, // the latest approval wins
		{"b", "DM3002", ""},         // a reservation
		{"c", "DM1001", "add-remote"},
		{"d", "", ""},
	}
	for _, tt := range tests {
		code, name := book.codeOf(tt.candidate)
		if code != tt.code || name != tt.name {
			t.Errorf("codeOf(%s) = %q, %q; want %q, %q", tt.candidate, code, name, tt.code, tt.name)
		}
	}
}

func TestCodeBookCheckName(t *testing.T) {
	decisions, root := writeCodeFixtures(t)
	book, err := readCodeBook(decisions, root)
	if err != nil {
		t.Fatal(err)
	}
	if err := book.checkName("hand-written", "DM3999"); !errors.Is(err, ErrNameTaken) {
		t.Errorf("checkName(hand-written) = %v, want ErrNameTaken", err)
	}
	if err := book.checkName("hand-written", "DM3003"); err != nil {
		t.Errorf("checkName(hand-written, its own code) = %v", err)
	}
	if got := book.freeName("add-remote", "DM1999"); got != "add-remote-2" {
		t.Errorf("freeName(add-remote) = %q, want add-remote-2", got)
	}
}
