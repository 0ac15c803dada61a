package review

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// writeManyCandidates writes n candidates shaped like the test run's, each
// with five satisfied and five violated examples as the miner keeps.
func writeManyCandidates(tb testing.TB, n int) string {
	tb.Helper()
	base, err := ReadCandidates(testRun)
	if err != nil {
		tb.Fatal(err)
	}
	dir := tb.TempDir()
	f, err := os.Create(filepath.Join(dir, CandidatesFile))
	if err != nil {
		tb.Fatal(err)
	}
	enc := json.NewEncoder(f)
	for i := range n {
		c := *base[i%2]
		c.ID = fmt.Sprintf("mine-%012x", i)
		c.Score = float64(n-i) / float64(n)
		for range 4 {
			c.Examples.Satisfied = append(c.Examples.Satisfied, c.Examples.Satisfied[0])
			c.Examples.Violated = append(c.Examples.Violated, c.Examples.Violated[0])
		}
		if err := enc.Encode(&c); err != nil {
			tb.Fatal(err)
		}
	}
	if err := f.Close(); err != nil {
		tb.Fatal(err)
	}
	return dir
}

func BenchmarkReadCandidates(b *testing.B) {
	dir := writeManyCandidates(b, 2000)
	info, err := os.Stat(filepath.Join(dir, CandidatesFile))
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(info.Size())
	b.ReportAllocs()
	for b.Loop() {
		if _, err := ReadCandidates(dir); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkDecideDefer measures one decision with the decisions file
// rewritten and synced, on a log that already holds 1000 decisions.
func BenchmarkDecideDefer(b *testing.B) {
	dir := writeManyCandidates(b, 1000)
	decisions := filepath.Join(b.TempDir(), "decisions")
	l := &Log{Reviewer: "alice"}
	at := time.Date(2025, 12, 4, 20, 0, 0, 0, time.UTC)
	for i := range 1000 {
		l.Decisions = append(l.Decisions, Decision{Candidate: fmt.Sprintf("mine-%012x", i), Verdict: Reject, Time: at, Reviewer: "alice", Reason: "a corpus artifact"})
	}
	if err := l.WriteFile(LogPath(decisions, "alice")); err != nil {
		b.Fatal(err)
	}
	s, err := Open(Options{Candidates: dir, Decisions: decisions, Pack: filepath.Join(b.TempDir(), "mined"), Reviewer: "alice"})
	if err != nil {
		b.Fatal(err)
	}

	b.ReportAllocs()
	i := 0
	for b.Loop() {
		if _, err := s.Decide(fmt.Sprintf("mine-%012x", i%1000), Defer, Edits{}, ""); err != nil {
			b.Fatal(err)
		}
		i++
	}
}

// BenchmarkApprove measures an approval: the code book read, the rule
// built, compiled against its examples and written, and the log written.
func BenchmarkApprove(b *testing.B) {
	root := testRoot{dir: b.TempDir()}
	s, err := Open(Options{Candidates: testRun, Decisions: root.decisions(), Pack: root.pack(), Reviewer: "alice"})
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := s.Decide(aptFlag, Approve, Edits{}, ""); err != nil {
			b.Fatal(err)
		}
	}
}
