package review

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const testRun = "testdata/run"

func TestReadCandidatesSortsByScore(t *testing.T) {
	cands, err := ReadCandidates(testRun)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, c := range cands {
		got = append(got, c.ID)
	}
	want := []string{"3a7f9c01d2e4b5a6", "8b1e44c0a9f27d13", "c40d2f6e17a8b9e5", "5e9a0b7c3d1f2468", "5e9a77aa00bb11cc"}
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("ReadCandidates order:\n got %v\nwant %v", got, want)
	}
}

func TestReadCandidatesFilePath(t *testing.T) {
	cands, err := ReadCandidates(filepath.Join(testRun, CandidatesFile))
	if err != nil {
		t.Fatal(err)
	}
	if len(cands) != 5 {
		t.Errorf("ReadCandidates(file) returned %d candidates, want 5", len(cands))
	}
}

func TestReadCandidatesErrors(t *testing.T) {
	tests := []struct {
		name string
		text string
		want string
	}{
		{"bad json", "{\"id\": \"a\"}\n{oops\n", "candidates.jsonl:2:"},
		{"missing id", "\n{\"kind\": \"flag\"}\n", "candidates.jsonl:2: missing id"},
		{"duplicate id", "{\"id\": \"a\"}\n{\"id\": \"a\"}\n", `candidates.jsonl:2: id "a" repeats the candidate of line 1`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			if err := os.WriteFile(filepath.Join(dir, CandidatesFile), []byte(tt.text), 0o644); err != nil {
				t.Fatal(err)
			}
			_, err := ReadCandidates(dir)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("ReadCandidates(%q) error = %v, want one containing %q", tt.text, err, tt.want)
			}
		})
	}
}

func TestReadCandidatesMissing(t *testing.T) {
	_, err := ReadCandidates(t.TempDir())
	if !errors.Is(err, os.ErrNotExist) {
		t.Errorf("ReadCandidates(empty dir) error = %v, want os.ErrNotExist", err)
	}
}

func TestFindCandidatePrefix(t *testing.T) {
	cands, err := ReadCandidates(testRun)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		id      string
		want    string
		wantErr error
	}{
		{id: "3a7f9c01d2e4b5a6", want: "3a7f9c01d2e4b5a6"},
		{id: "8b1e", want: "8b1e44c0a9f27d13"},
		{id: "5e9a", wantErr: ErrAmbiguousCandidate},
		{id: "5e9a7", want: "5e9a77aa00bb11cc"},
		{id: "ffff", wantErr: ErrNoCandidate},
		{id: "", wantErr: ErrNoCandidate},
	}
	for _, tt := range tests {
		c, err := findCandidate(cands, tt.id)
		if tt.wantErr != nil {
			if !errors.Is(err, tt.wantErr) {
				t.Errorf("findCandidate(%q) error = %v, want %v", tt.id, err, tt.wantErr)
			}
			continue
		}
		if err != nil {
			t.Errorf("findCandidate(%q): %v", tt.id, err)
			continue
		}
		if c.ID != tt.want {
			t.Errorf("findCandidate(%q) = %s, want %s", tt.id, c.ID, tt.want)
		}
	}
}
