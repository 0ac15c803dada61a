package review

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/dockmine/dockmine/rules"
)

// CandidatesFile is the name of the file that the miner writes into its
// output directory.
const CandidatesFile = "candidates.jsonl"

// Sentinel errors of candidate lookup.
var (
	ErrNoCandidate        = errors.New("candidate not found")
	ErrAmbiguousCandidate = errors.New("ambiguous candidate id")
)

// maxLine is the longest line ReadCandidates accepts, in bytes. A candidate
// with many long examples runs to a few kilobytes.
const maxLine = 16 << 20

// ReadCandidates reads the candidates of a mining run. Path is the miner's
// output directory or the candidates.jsonl file itself. The candidates come
// back sorted by score, the highest first; candidates with the same score
// keep the order of the file.
func ReadCandidates(path string) ([]*rules.Candidate, error) {
	f, err := os.Open(candidatesPath(path))
	if err != nil {
		return nil, fmt.Errorf("read candidates: %w", err)
	}
	defer f.Close()

	cands, err := decodeCandidates(f.Name(), f)
	if err != nil {
		return nil, err
	}
	slices.SortStableFunc(cands, func(a, b *rules.Candidate) int {
		switch {
		case a.Score > b.Score:
			return -1
		case a.Score < b.Score:
			return 1
		}
		return 0
	})
	return cands, nil
}

// candidatesPath returns the candidates file of a mining run given as its
// output directory or as the file itself.
func candidatesPath(path string) string {
	if info, err := os.Stat(path); err == nil && info.IsDir() {
		return filepath.Join(path, CandidatesFile)
	}
	return path
}

// decodeCandidates reads one candidate per line and checks that each has an
// id that no earlier line used. Blank lines are skipped.
func decodeCandidates(path string, r io.Reader) ([]*rules.Candidate, error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 64<<10), maxLine)

	var out []*rules.Candidate
	seen := map[string]int{}
	for line := 1; sc.Scan(); line++ {
		text := bytes.TrimSpace(sc.Bytes())
		if len(text) == 0 {
			continue
		}
		c := new(rules.Candidate)
		if err := json.Unmarshal(text, c); err != nil {
			return nil, fmt.Errorf("read candidates %s:%d: %w", path, line, err)
		}
		if strings.TrimSpace(c.ID) == "" {
			return nil, fmt.Errorf("read candidates %s:%d: missing id", path, line)
		}
		if first, dup := seen[c.ID]; dup {
			return nil, fmt.Errorf("read candidates %s:%d: id %q repeats the candidate of line %d", path, line, c.ID, first)
		}
		seen[c.ID] = line
		out = append(out, c)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("read candidates %s: %w", path, err)
	}
	return out, nil
}

// findCandidate returns the candidate whose id is id, or else the only one
// whose id starts with id.
func findCandidate(cands []*rules.Candidate, id string) (*rules.Candidate, error) {
	if id == "" {
		return nil, fmt.Errorf("%w: empty id", ErrNoCandidate)
	}
	var found []*rules.Candidate
	for _, c := range cands {
		if c.ID == id {
			return c, nil
		}
		if strings.HasPrefix(c.ID, id) {
			found = append(found, c)
		}
	}
	switch len(found) {
	case 0:
		return nil, fmt.Errorf("%w: %q", ErrNoCandidate, id)
	case 1:
		return found[0], nil
	}
	return nil, fmt.Errorf("%w: %q starts %d candidate ids; give more characters", ErrAmbiguousCandidate, id, len(found))
}
