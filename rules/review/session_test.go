package review

import (
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/dockmine/dockmine/rules"
)

const (
	aptFlag   = "3a7f9c01d2e4b5a6" // apt-get install --no-install-recommends
	aptClean  = "8b1e44c0a9f27d13" // apt-get install then rm -rf /var/lib/apt/lists/*
	apkFlag   = "c40d2f6e17a8b9e5" // apk add --no-cache
	addRemote = "5e9a0b7c3d1f2468" // ADD only for remote sources
)

// testRoot is a repository layout for one test: rules/decisions and
// rules/mined under a temporary directory.
type testRoot struct {
	dir string
}

func newTestRoot(t *testing.T) testRoot {
	t.Helper()
	return testRoot{dir: t.TempDir()}
}

func (r testRoot) decisions() string { return filepath.Join(r.dir, "rules", "decisions") }
func (r testRoot) pack() string      { return filepath.Join(r.dir, "rules", "mined") }

// open starts a session of the reviewer whose clock moves one minute per
// decision.
func (r testRoot) open(t *testing.T, reviewer string) *Session {
	t.Helper()
	now := time.Date(2025, 12, 4, 20, 0, 0, 0, time.UTC)
	s, err := Open(Options{
		Candidates: testRun,
		Decisions:  r.decisions(),
		Pack:       r.pack(),
		Reviewer:   reviewer,
		Now: func() time.Time {
			now = now.Add(time.Minute)
			return now
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// ruleFiles returns the base names of the files in the pack, sorted.
func (r testRoot) ruleFiles(t *testing.T) []string {
	t.Helper()
	entries, err := os.ReadDir(r.pack())
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	return names
}

// readLog reads a reviewer's decisions file from disk.
func (r testRoot) readLog(t *testing.T, reviewer string) *Log {
	t.Helper()
	l, err := ReadLog(LogPath(r.decisions(), reviewer))
	if err != nil {
		t.Fatal(err)
	}
	return l
}

func decide(t *testing.T, s *Session, id string, v Verdict, edits Edits, reason string) *Decision {
	t.Helper()
	d, err := s.Decide(id, v, edits, reason)
	if err != nil {
		t.Fatalf("Decide(%s, %s): %v", id, v, err)
	}
	return d
}

func checkFiles(t *testing.T, root testRoot, want ...string) {
	t.Helper()
	got := root.ruleFiles(t)
	if !slices.Equal(got, want) {
		t.Errorf("rule files = %v, want %v", got, want)
	}
}

func TestSessionApproveWritesRule(t *testing.T) {
	root := newTestRoot(t)
	s := root.open(t, "alice")

	d := decide(t, s, aptFlag, Approve, Edits{}, "every expert image does it")
	if d.Code != "DM3001" || d.Name != "apt-get-install-no-install-recommends" {
		t.Errorf("approval got %s %s, want DM3001 apt-get-install-no-install-recommends", d.Code, d.Name)
	}
	checkFiles(t, root, "DM3001-apt-get-install-no-install-recommends.yaml")

	r, err := rules.LoadFile(filepath.Join(root.pack(), "DM3001-apt-get-install-no-install-recommends.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	if r.Status != rules.StatusApproved {
		t.Errorf("rule status = %q, want approved", r.Status)
	}
	if r.Evidence == nil || r.Evidence.Candidate != aptFlag || r.Evidence.Support.Repos != 41 {
		t.Errorf("rule evidence = %+v, want the candidate's, with 41 repos", r.Evidence)
	}

	l := root.readLog(t, "alice")
	if len(l.Decisions) != 1 {
		t.Fatalf("decisions file holds %d decisions, want 1", len(l.Decisions))
	}
	got := l.Decisions[0]
	if got.Candidate != aptFlag || got.Verdict != Approve || got.Reviewer != "alice" || got.Reason != "every expert image does it" {
		t.Errorf("recorded decision = %+v", got)
	}
	if got.Time != time.Date(2025, 12, 4, 20, 1, 0, 0, time.UTC) {
		t.Errorf("recorded time = %v, want 2025-12-04 20:01 UTC", got.Time)
	}
	if got.Severity != "" || got.Title != "" || got.Message != "" {
		t.Errorf("recorded edits %+v for an approval without edits", got.Edits)
	}
}

func TestSessionApproveFamilies(t *testing.T) {
	root := newTestRoot(t)
	s := root.open(t, "alice")

	want := map[string]string{aptFlag: "DM3001", apkFlag: "DM3002", aptClean: "DM3003"}
	for _, id := range []string{aptFlag, apkFlag, aptClean} {
		d := decide(t, s, id, Approve, Edits{}, "")
		if d.Code != want[id] {
			t.Errorf("approve %s: code %s, want %s", id, d.Code, want[id])
		}
	}
	r, err := s.Propose(addRemote, Edits{})
	if err != nil {
		t.Fatal(err)
	}
	if r.Code != "DM1001" {
		t.Errorf("Propose(%s) code = %s, want DM1001 of the instruction family", addRemote, r.Code)
	}
}

func TestSessionApproveEdits(t *testing.T) {
	root := newTestRoot(t)
	s := root.open(t, "alice")

	edits := Edits{Code: "DM3050", Name: "apt-no-recommends", Severity: "error", Title: "install without recommended packages", Message: "add --no-install-recommends to {command} to skip recommended packages"}
	d := decide(t, s, aptFlag, Approve, edits, "")
	if !reflect.DeepEqual(d.Edits, edits) {
		t.Errorf("recorded edits = %+v, want %+v", d.Edits, edits)
	}
	checkFiles(t, root, "DM3050-apt-no-recommends.yaml")
	r, err := rules.LoadFile(filepath.Join(root.pack(), "DM3050-apt-no-recommends.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	if r.Severity != rules.SeverityError || r.Title != edits.Title || r.Message != edits.Message {
		t.Errorf("rule file has severity %s, title %q, message %q; want the edits", r.Severity, r.Title, r.Message)
	}

	// Approving again without edits keeps the earlier ones.
	d = decide(t, s, aptFlag, Approve, Edits{}, "again")
	if !reflect.DeepEqual(d.Edits, edits) {
		t.Errorf("re-approval recorded %+v, want the earlier edits %+v", d.Edits, edits)
	}
	checkFiles(t, root, "DM3050-apt-no-recommends.yaml")

	// A rename replaces the file.
	d = decide(t, s, aptFlag, Approve, Edits{Name: "apt-install-no-recommends"}, "")
	if d.Code != "DM3050" {
		t.Errorf("rename changed the code to %s", d.Code)
	}
	checkFiles(t, root, "DM3050-apt-install-no-recommends.yaml")
}

func TestSessionApproveRejectsBadEdits(t *testing.T) {
	root := newTestRoot(t)
	s := root.open(t, "alice")
	decide(t, s, apkFlag, Approve, Edits{}, "")

	tests := []struct {
		name  string
		edits Edits
		want  error
	}{
		{"code of another candidate", Edits{Code: "DM3001"}, ErrCodeTaken},
		{"malformed code", Edits{Code: "DL3008"}, ErrCode},
		{"name of another rule", Edits{Name: "apk-add-no-cache"}, ErrNameTaken},
		{"name not kebab-case", Edits{Name: "Apt_Flag"}, ErrName},
		{"severity", Edits{Severity: "fatal"}, rules.ErrSeverity},
	}
	for _, tt := range tests {
		_, err := s.Decide(aptFlag, Approve, tt.edits, "")
		if !errors.Is(err, tt.want) {
			t.Errorf("%s: Decide error = %v, want %v", tt.name, err, tt.want)
		}
	}
	if _, err := s.Decide(aptFlag, Approve, Edits{Title: "Two\nlines"}, ""); err == nil {
		t.Error("Decide accepted a title of two lines")
	}
	if _, err := s.Decide(aptFlag, Reject, Edits{Name: "x"}, ""); err == nil {
		t.Error("Decide accepted edits with a rejection")
	}

	// Nothing of the failed attempts reached the disk.
	if n := len(root.readLog(t, "alice").Decisions); n != 1 {
		t.Errorf("decisions file holds %d decisions after failed ones, want 1", n)
	}
	checkFiles(t, root, "DM3001-apk-add-no-cache.yaml")
}

func TestSessionRejectRemovesRule(t *testing.T) {
	root := newTestRoot(t)
	s := root.open(t, "alice")

	decide(t, s, aptFlag, Approve, Edits{}, "")
	decide(t, s, aptFlag, Reject, Edits{}, "second thoughts")
	checkFiles(t, root)
	if s.State(aptFlag) != "rejected" {
		t.Errorf("State = %s, want rejected", s.State(aptFlag))
	}

	// The code stays taken: the next approval of another candidate skips it,
	// and approving the first candidate again gets it back.
	if d := decide(t, s, apkFlag, Approve, Edits{}, ""); d.Code != "DM3002" {
		t.Errorf("next candidate got %s, want DM3002", d.Code)
	}
	if d := decide(t, s, aptFlag, Approve, Edits{}, ""); d.Code != "DM3001" {
		t.Errorf("re-approved candidate got %s, want its old DM3001", d.Code)
	}
}

func TestSessionUndo(t *testing.T) {
	root := newTestRoot(t)
	s := root.open(t, "alice")

	if _, err := s.Undo(); !errors.Is(err, ErrNothingToUndo) {
		t.Errorf("Undo on an empty log = %v, want ErrNothingToUndo", err)
	}

	decide(t, s, aptClean, Defer, Edits{Title: "clean the apt lists"}, "check the examples")
	decide(t, s, aptFlag, Approve, Edits{}, "")
	checkFiles(t, root, "DM3001-apt-get-install-no-install-recommends.yaml")

	d, err := s.Undo()
	if err != nil {
		t.Fatal(err)
	}
	if d.Candidate != aptFlag || d.Verdict != Approve {
		t.Errorf("Undo removed %+v, want the approval of %s", d, aptFlag)
	}
	checkFiles(t, root)
	if s.Decision(aptFlag) != nil {
		t.Errorf("Decision after undo = %+v, want nil", s.Decision(aptFlag))
	}

	l := root.readLog(t, "alice")
	if len(l.Decisions) != 1 || l.Decisions[0].Candidate != aptClean {
		t.Errorf("decisions file after undo = %+v, want only the deferral", l.Decisions)
	}
	if len(l.Reserved) != 1 || l.Reserved[0] != (Reservation{Code: "DM3001", Candidate: aptFlag}) {
		t.Errorf("reserved = %+v, want DM3001 for %s", l.Reserved, aptFlag)
	}

	// The reserved code goes to no other candidate but returns to its own.
	if d := decide(t, s, apkFlag, Approve, Edits{}, ""); d.Code != "DM3002" {
		t.Errorf("other candidate got %s, want DM3002", d.Code)
	}
	if d := decide(t, s, aptFlag, Approve, Edits{}, ""); d.Code != "DM3001" {
		t.Errorf("undone candidate got %s on approval, want DM3001", d.Code)
	}
}

func TestSessionUndoRestoresEarlierApproval(t *testing.T) {
	root := newTestRoot(t)
	s := root.open(t, "alice")

	decide(t, s, aptFlag, Approve, Edits{}, "")
	decide(t, s, aptFlag, Approve, Edits{Name: "apt-no-recommends"}, "")
	checkFiles(t, root, "DM3001-apt-no-recommends.yaml")

	if _, err := s.Undo(); err != nil {
		t.Fatal(err)
	}
	checkFiles(t, root, "DM3001-apt-get-install-no-install-recommends.yaml")
}

func TestSessionUndoAfterRestart(t *testing.T) {
	root := newTestRoot(t)
	decide(t, root.open(t, "alice"), aptFlag, Approve, Edits{}, "")

	s := root.open(t, "alice")
	if s.State(aptFlag) != "approved" {
		t.Fatalf("reopened session state = %s, want approved", s.State(aptFlag))
	}
	if _, err := s.Undo(); err != nil {
		t.Fatal(err)
	}
	checkFiles(t, root)
}

func TestSessionDeferDraft(t *testing.T) {
	root := newTestRoot(t)
	s := root.open(t, "alice")

	draft := Edits{Severity: "error", Title: "apt lists are removed in the same layer"}
	d := decide(t, s, aptClean, Defer, draft, "")
	if !reflect.DeepEqual(d.Edits, draft) {
		t.Errorf("deferral recorded %+v, want %+v", d.Edits, draft)
	}
	checkFiles(t, root)

	// Approving later starts from the draft.
	d = decide(t, s, aptClean, Approve, Edits{}, "")
	if d.Severity != "error" || d.Title != draft.Title {
		t.Errorf("approval after a draft recorded %+v, want the draft's severity and title", d.Edits)
	}

	if _, err := s.Decide(apkFlag, Defer, Edits{Severity: "loud"}, ""); !errors.Is(err, rules.ErrSeverity) {
		t.Errorf("deferral with severity loud: %v, want ErrSeverity", err)
	}
	if _, err := s.Decide(apkFlag, Defer, Edits{Code: d.Code}, ""); !errors.Is(err, ErrCodeTaken) {
		t.Errorf("deferral drafting a taken code: %v, want ErrCodeTaken", err)
	}
}

func TestSessionTwoReviewers(t *testing.T) {
	root := newTestRoot(t)
	alice := root.open(t, "alice")
	bob := root.open(t, "bob")

	decide(t, alice, aptFlag, Approve, Edits{Severity: "error"}, "")
	d := decide(t, bob, aptFlag, Approve, Edits{}, "")
	if d.Code != "DM3001" {
		t.Errorf("bob's approval got %s, want alice's DM3001", d.Code)
	}
	if d.Severity != "error" {
		t.Errorf("bob's approval recorded severity %q, want alice's edit kept", d.Severity)
	}
	if others := bob.Others(aptFlag); len(others) != 1 || others[0].Reviewer != "alice" {
		t.Errorf("bob.Others = %+v, want alice's decision", others)
	}

	// Bob's approval of another candidate takes the next code even though
	// his session opened before alice's first approval.
	if d := decide(t, bob, apkFlag, Approve, Edits{}, ""); d.Code != "DM3002" {
		t.Errorf("bob's second approval got %s, want DM3002", d.Code)
	}

	// Alice's rejection leaves the rule that bob still approves.
	decide(t, alice, aptFlag, Reject, Edits{}, "")
	checkFiles(t, root, "DM3001-apt-get-install-no-install-recommends.yaml", "DM3002-apk-add-no-cache.yaml")
	decide(t, bob, aptFlag, Reject, Edits{}, "")
	checkFiles(t, root, "DM3002-apk-add-no-cache.yaml")
}

func TestSessionSeesOwnDecisionsFromElsewhere(t *testing.T) {
	root := newTestRoot(t)
	first := root.open(t, "alice")
	second := root.open(t, "alice")

	decide(t, first, aptFlag, Defer, Edits{}, "")
	decide(t, second, apkFlag, Reject, Edits{}, "")

	l := root.readLog(t, "alice")
	if len(l.Decisions) != 2 {
		t.Errorf("decisions file holds %d decisions, want both sessions' 2", len(l.Decisions))
	}
}

func TestSessionFilter(t *testing.T) {
	root := newTestRoot(t)
	s := root.open(t, "alice")
	decide(t, s, aptFlag, Approve, Edits{}, "")
	decide(t, s, apkFlag, Reject, Edits{}, "")

	tests := []struct {
		filter Filter
		want   []string
	}{
		{Filter{}, []string{aptFlag, aptClean, apkFlag, addRemote, "5e9a77aa00bb11cc"}},
		{Filter{Kind: "flag"}, []string{aptFlag, apkFlag}},
		{Filter{State: "undecided"}, []string{aptClean, addRemote, "5e9a77aa00bb11cc"}},
		{Filter{State: "approved"}, []string{aptFlag}},
		{Filter{Text: "APT"}, []string{aptFlag, aptClean}},
		{Filter{Text: "5e9a"}, []string{addRemote, "5e9a77aa00bb11cc"}},
		{Filter{Kind: "flag", State: "rejected"}, []string{apkFlag}},
	}
	for _, tt := range tests {
		var got []string
		for _, c := range s.Filter(tt.filter) {
			got = append(got, c.ID)
		}
		if !slices.Equal(got, tt.want) {
			t.Errorf("Filter(%+v) = %v, want %v", tt.filter, got, tt.want)
		}
	}
	if err := (Filter{State: "done"}).Validate(); err == nil {
		t.Error("Filter{State: done}.Validate() = nil, want an error")
	}
}

func TestOptionsValidate(t *testing.T) {
	tests := []struct {
		name string
		opts Options
		want string
	}{
		{"no candidates", Options{Reviewer: "alice"}, "missing candidates"},
		{"bad reviewer", Options{Candidates: testRun, Reviewer: "a b"}, "invalid reviewer"},
		{"same directories", Options{Candidates: testRun, Reviewer: "alice", Decisions: "x", Pack: "x"}, "separate directories"},
	}
	for _, tt := range tests {
		err := tt.opts.Validate()
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: Validate() = %v, want an error containing %q", tt.name, err, tt.want)
		}
	}
}

func TestSessionApproveWithoutPattern(t *testing.T) {
	root := newTestRoot(t)
	s := root.open(t, "alice")

	// The echo candidate has no pattern and no violated example.
	if _, err := s.Decide("5e9a77aa00bb11cc", Approve, Edits{}, ""); err == nil {
		t.Fatal("Decide approved a candidate without a pattern")
	}
	checkFiles(t, root)
	if n := len(root.readLog(t, "alice").Decisions); n != 0 {
		t.Errorf("decisions file holds %d decisions, want 0", n)
	}
}

func TestSessionFailedWriteRestoresPack(t *testing.T) {
	root := newTestRoot(t)
	s := root.open(t, "alice")

	// A file where the decisions directory should be makes writing the
	// decisions file fail after the rule file was written.
	if err := os.MkdirAll(filepath.Dir(root.decisions()), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(root.decisions(), []byte("not a directory"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Decide(aptFlag, Approve, Edits{}, ""); err == nil {
		t.Fatal("Decide succeeded without a decisions directory")
	}
	checkFiles(t, root)
	if s.Decision(aptFlag) != nil {
		t.Errorf("the session kept a decision that was not written: %+v", s.Decision(aptFlag))
	}
}

func TestSessionIgnoresLeftoverTempFile(t *testing.T) {
	root := newTestRoot(t)
	decide(t, root.open(t, "alice"), aptFlag, Defer, Edits{}, "")

	// A kill between creating and renaming the temporary file leaves it.
	leftover := filepath.Join(root.decisions(), ".alice.yaml.123.tmp")
	if err := os.WriteFile(leftover, []byte("reviewer: alice\ndecisions: [{candid"), 0o644); err != nil {
		t.Fatal(err)
	}
	s := root.open(t, "alice")
	if s.State(aptFlag) != "deferred" {
		t.Errorf("State after a leftover temporary file = %s, want deferred", s.State(aptFlag))
	}
}

func TestSessionApproveExampleEdits(t *testing.T) {
	root := newTestRoot(t)
	s := root.open(t, "alice")

	edits := Edits{
		Bad:  []string{"FROM debian:12.6\nADD main.py /srv/main.py\n"},
		Good: []string{"FROM debian:12.6\nADD https://example.org/rootfs.tar.gz /\nCOPY app.py /srv/\n"},
	}
	d := decide(t, s, addRemote, Approve, edits, "")
	if !reflect.DeepEqual(d.Bad, edits.Bad) || !reflect.DeepEqual(d.Good, edits.Good) {
		t.Errorf("recorded examples = %q, %q; want the edits", d.Bad, d.Good)
	}
	r, err := rules.LoadFile(filepath.Join(root.pack(), d.Code+"-"+d.Name+".yaml"))
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(r.Examples.Bad, edits.Bad) || !reflect.DeepEqual(r.Examples.Good, edits.Good) {
		t.Errorf("rule examples = %+v, want the edits", r.Examples)
	}

	// An example that the rule does not flag is rejected.
	wrong := Edits{Bad: []string{"FROM debian:12.6\nCOPY app.py /srv/\n"}}
	if _, err := s.Decide(addRemote, Approve, wrong, ""); err == nil || !strings.Contains(err.Error(), "not flagged") {
		t.Errorf("approval with a clean bad example: %v, want it not flagged", err)
	}
	if err := CheckEdits(Edits{Good: []string{" \n"}}); err == nil {
		t.Error("CheckEdits accepted an empty example")
	}
}

func TestSessionEvidenceDate(t *testing.T) {
	dir := t.TempDir()
	data, err := os.ReadFile(filepath.Join(testRun, CandidatesFile))
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, CandidatesFile)
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	mined := time.Date(2025, 11, 30, 23, 0, 0, 0, time.UTC)
	if err := os.Chtimes(path, mined, mined); err != nil {
		t.Fatal(err)
	}

	root := newTestRoot(t)
	s, err := Open(Options{Candidates: dir, Decisions: root.decisions(), Pack: root.pack(), Reviewer: "alice"})
	if err != nil {
		t.Fatal(err)
	}
	d := decide(t, s, aptFlag, Approve, Edits{}, "")
	r, err := rules.LoadFile(filepath.Join(root.pack(), d.Code+"-"+d.Name+".yaml"))
	if err != nil {
		t.Fatal(err)
	}
	if r.Evidence.Date != "2025-11-30" {
		t.Errorf("evidence date = %q, want the candidates file's 2025-11-30", r.Evidence.Date)
	}
}

func TestSessionApproveRationale(t *testing.T) {
	root := newTestRoot(t)
	s := root.open(t, "alice")

	rationale := "Recommended packages are optional.\n\nThey make the image larger.\n"
	d := decide(t, s, aptFlag, Approve, Edits{Rationale: rationale}, "")
	if d.Rationale != rationale {
		t.Errorf("recorded rationale = %q, want %q", d.Rationale, rationale)
	}
	r, err := rules.LoadFile(filepath.Join(root.pack(), d.Code+"-"+d.Name+".yaml"))
	if err != nil {
		t.Fatal(err)
	}
	if r.Rationale != rationale {
		t.Errorf("rule rationale = %q, want %q", r.Rationale, rationale)
	}
}
