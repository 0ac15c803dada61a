package mining

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
)

// subsetRepos keeps the documents of every step-th repository.
func subsetRepos(docs []Document, step int) []Document {
	var out []Document
	n, last := -1, ""
	for _, d := range docs {
		if d.Repo != last {
			n++
			last = d.Repo
		}
		if n%step == 0 {
			out = append(out, d)
		}
	}
	return out
}

// writeReport mines and writes a report with fixed input names and no
// timing, so that two runs can be compared byte for byte.
func writeReport(t *testing.T, dir string, expert, contrast []Document, opts Options) {
	t.Helper()
	r, err := Mine(context.Background(), FromDocuments(expert), FromDocuments(contrast), opts)
	if err != nil {
		t.Fatal(err)
	}
	r.Inputs, r.ContrastInputs = []string{"gold"}, []string{"wild"}
	r.Timing = Timing{}
	if err := r.Write(dir); err != nil {
		t.Fatal(err)
	}
}

// compareOutputs fails for each output file that differs between two
// directories. summary.json is compared without its timing.
func compareOutputs(t *testing.T, dirA, dirB string) {
	t.Helper()
	for _, name := range []string{CandidatesFile, CandidatesMarkdown, CommandsFile, SummaryFile, CountsFile, ContrastCountsFile} {
		a, err := os.ReadFile(filepath.Join(dirA, name))
		if err != nil {
			t.Fatal(err)
		}
		b, err := os.ReadFile(filepath.Join(dirB, name))
		if err != nil {
			t.Fatal(err)
		}
		if name == SummaryFile {
			a, b = withoutTiming(t, a), withoutTiming(t, b)
		}
		if !bytes.Equal(a, b) {
			t.Errorf("%s differs: %d bytes in %s, %d bytes in %s", name, len(a), dirA, len(b), dirB)
		}
	}
}

func withoutTiming(t *testing.T, data []byte) []byte {
	t.Helper()
	var s Summary
	if err := json.Unmarshal(data, &s); err != nil {
		t.Fatal(err)
	}
	s.Timing = Timing{}
	out, err := json.Marshal(s)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func TestMineDeterministic(t *testing.T) {
	gold := subsetRepos(loadDocuments(t, "gold"), 5)
	wild := subsetRepos(loadDocuments(t, "wild"), 7)
	dir := t.TempDir()
	serial, parallel := filepath.Join(dir, "serial"), filepath.Join(dir, "parallel")

	writeReport(t, serial, gold, wild, Options{Workers: 1})
	writeReport(t, parallel, gold, wild, Options{Workers: 4})
	compareOutputs(t, serial, parallel)
}

func TestMergeShardsEqualsOneRun(t *testing.T) {
	gold := subsetRepos(loadDocuments(t, "gold"), 5)
	wild := subsetRepos(loadDocuments(t, "wild"), 7)
	var shardA, shardB []Document
	n, last := -1, ""
	for _, d := range gold {
		if d.Repo != last {
			n++
			last = d.Repo
		}
		if n%2 == 0 {
			shardA = append(shardA, d)
		} else {
			shardB = append(shardB, d)
		}
	}

	dir := t.TempDir()
	whole, a, b, merged := filepath.Join(dir, "whole"), filepath.Join(dir, "a"), filepath.Join(dir, "b"), filepath.Join(dir, "merged")
	writeReport(t, whole, gold, wild, Options{})
	writeReport(t, a, shardA, wild, Options{})
	writeReport(t, b, shardB, wild, Options{})

	r, err := MergeShards([]string{a, b}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	r.Timing = Timing{}
	if err := r.Write(merged); err != nil {
		t.Fatal(err)
	}
	compareOutputs(t, whole, merged)
}

func TestMergeShardsRejectsOverlap(t *testing.T) {
	gold := subsetRepos(loadDocuments(t, "gold"), 20)
	dir := t.TempDir()
	a, b := filepath.Join(dir, "a"), filepath.Join(dir, "b")
	writeReport(t, a, gold, nil, Options{})
	writeReport(t, b, gold[:1], nil, Options{})
	if _, err := MergeShards([]string{a, b}, Options{}); err == nil {
		t.Fatal("merging shards that share a repository succeeded, want an error")
	}
}
