package review

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
)

// FuzzParseLog checks that no decisions file makes parsing panic, and that
// a file it accepts parses again after encoding.
func FuzzParseLog(f *testing.F) {
	f.Add([]byte("reviewer: alice\ndecisions:\n  - {candidate: a, decision: reject, reviewer: alice, reason: x}\n"))
	f.Add([]byte("reviewer: alice\ndecisions:\n  - {candidate: a, decision: approve, code: DM3001, name: x, reviewer: alice}\nreserved:\n  - {code: DM3002, candidate: b}\n"))
	f.Add([]byte("reviewer: alice\ndecision: []\n"))
	f.Add([]byte(""))
	f.Fuzz(func(t *testing.T, data []byte) {
		l, err := parseLog("alice.yaml", data)
		if err != nil {
			return
		}
		out, err := l.Encode()
		if err != nil {
			t.Fatalf("Encode of an accepted log: %v", err)
		}
		if _, err := parseLog("alice.yaml", out); err != nil {
			t.Fatalf("parseLog rejects what Encode wrote: %v\n%s", err, out)
		}
	})
}

// FuzzDecodeCandidates checks that no candidates file makes the reader
// panic or return a candidate without id.
func FuzzDecodeCandidates(f *testing.F) {
	data, err := os.ReadFile(filepath.Join(testRun, CandidatesFile))
	if err != nil {
		f.Fatal(err)
	}
	f.Add(data)
	f.Add([]byte("{\"id\": \"a\"}\n{oops\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		cands, err := decodeCandidates(CandidatesFile, bytes.NewReader(data))
		if err != nil {
			return
		}
		for _, c := range cands {
			if c.ID == "" {
				t.Fatal("decodeCandidates returned a candidate without id")
			}
		}
	})
}
