package datasets

import (
	"bufio"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/dockmine/dockmine/corpus"
)

// commitsHeader is the header of sample/history/*/COMMITS.tsv: one row per
// commit, oldest first, naming the folder that contains the commit's tree.
const commitsHeader = "version\tdate\tmessage"

// TestSampleHistoryCommits checks what notebooks/run.sh needs to replay a
// sample history as a git repository: each folder listed once, oldest
// first, with an RFC 3339 date, and only Dockerfiles in the folders.
func TestSampleHistoryCommits(t *testing.T) {
	repos, err := filepath.Glob(filepath.Join("sample", "history", "*__*"))
	if err != nil {
		t.Fatal(err)
	}
	if len(repos) == 0 {
		t.Fatal("no sample history under sample/history/<owner>__<name>")
	}

	for _, repo := range repos {
		t.Run(filepath.Base(repo), func(t *testing.T) {
			versions := readCommits(t, filepath.Join(repo, "COMMITS.tsv"))

			var folders []string
			entries, err := os.ReadDir(repo)
			if err != nil {
				t.Fatal(err)
			}
			for _, e := range entries {
				if e.IsDir() {
					folders = append(folders, e.Name())
				}
			}
			if !slices.Equal(versions, folders) {
				t.Errorf("COMMITS.tsv lists %q, the folders are %q", versions, folders)
			}

			err = filepath.WalkDir(repo, func(p string, d fs.DirEntry, err error) error {
				if err != nil || d.IsDir() || p == filepath.Join(repo, "COMMITS.tsv") {
					return err
				}
				if !corpus.IsDockerfileName(p) {
					t.Errorf("%s is not a Dockerfile; a version folder contains only the commit's Dockerfiles", p)
				}
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
		})
	}
}

// readCommits reads a COMMITS.tsv and returns its version folders in order.
func readCommits(t *testing.T, name string) []string {
	t.Helper()
	f, err := os.Open(name)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()

	var versions []string
	var last time.Time
	sc := bufio.NewScanner(f)
	for line := 1; sc.Scan(); line++ {
		text := sc.Text()
		if line == 1 {
			if text != commitsHeader {
				t.Fatalf("%s:1: header is %q, want %q", name, text, commitsHeader)
			}
			continue
		}
		cols := strings.Split(text, "\t")
		if len(cols) != 3 || cols[2] == "" {
			t.Fatalf("%s:%d: want version, date and message, got %q", name, line, text)
		}
		date, err := time.Parse(time.RFC3339, cols[1])
		if err != nil {
			t.Errorf("%s:%d: invalid date: %v", name, line, err)
		}
		if !date.After(last) {
			t.Errorf("%s:%d: date %s is not after the row before", name, line, cols[1])
		}
		last = date
		versions = append(versions, cols[0])
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return versions
}
