package datasets

import (
	"bufio"
	"encoding/csv"
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/dockmine/dockmine/corpus"
)

// repoList is one repository list of this folder with the corpus of the
// shared Dockerfile corpora it was written from and its size.
type repoList struct {
	file   string
	corpus string // the corpus column of REPOS.tsv
	repos  int
	files  int // the sum of the file counts in the line comments
}

var repoLists = []repoList{
	{file: "docker-library.txt", corpus: "gold", repos: 61, files: 1439},
	{file: "github-sample.txt", corpus: "wild", repos: 262, files: 1427},
}

// listEntry is one repository line with the facts in its comment.
type listEntry struct {
	line   int
	name   string
	commit string
	date   string // commit date, YYYY-MM-DD
	files  int    // Dockerfiles found at the commit
}

// entryRE matches a repository line of the lists: owner/name@COMMIT, then a
// comment that starts with the commit date and the number of files.
var entryRE = regexp.MustCompile(`^(\S+)@([0-9a-f]{40})  # (\d{4}-\d\d-\d\d), (\d+) files?(, .+)?$`)

// readList reads a repository list twice: through the crawler's parser, as
// dockmine crawl --repos does, and line by line for the comments.
func readList(t *testing.T, file string) []listEntry {
	t.Helper()
	sources, err := corpus.ReadSourceFile(file)
	if err != nil {
		t.Fatalf("crawler rejects %s: %v", file, err)
	}

	f, err := os.Open(file)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var entries []listEntry
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		text := sc.Text()
		if text == "" || strings.HasPrefix(text, "#") {
			continue
		}
		m := entryRE.FindStringSubmatch(text)
		if m == nil {
			t.Errorf("%s:%d: want owner/name@COMMIT  # YYYY-MM-DD, N files, got %q", file, n, text)
			continue
		}
		count, _ := strconv.Atoi(m[4])
		entries = append(entries, listEntry{line: n, name: m[1], commit: m[2], date: m[3], files: count})
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}

	if len(sources) != len(entries) {
		t.Fatalf("%s: crawler reads %d repositories, the line format matches %d", file, len(sources), len(entries))
	}
	for i, src := range sources {
		e := entries[i]
		if src.Name != e.name || src.Pin != e.commit || src.URL != corpus.DefaultCloneURL(e.name) {
			t.Errorf("%s:%d: crawler reads %s@%s from %s, want %s@%s from GitHub", file, e.line, src.Name, src.Pin, src.URL, e.name, e.commit)
		}
	}
	return entries
}

func TestRepoListsParse(t *testing.T) {
	owner := map[string]string{}
	for _, list := range repoLists {
		t.Run(list.file, func(t *testing.T) {
			entries := readList(t, list.file)
			if len(entries) != list.repos {
				t.Errorf("%s lists %d repositories, want %d as its header states", list.file, len(entries), list.repos)
			}
			files := 0
			for _, e := range entries {
				files += e.files
				key := strings.ToLower(e.name)
				if other, ok := owner[key]; ok {
					t.Errorf("%s:%d: %s is listed in %s too", list.file, e.line, e.name, other)
				}
				owner[key] = list.file
			}
			if files != list.files {
				t.Errorf("%s: the line comments count %d files, want %d as its header states", list.file, files, list.files)
			}
		})
	}
}

// sharedRepos is the table of source repositories of the shared Dockerfile
// corpora, next to this repository.
var sharedRepos = filepath.Join("..", "..", "shared", "corpus", "REPOS.tsv")

// readSharedRepos reads the rows of REPOS.tsv by column name, or skips the
// test when the shared corpora are absent.
func readSharedRepos(t *testing.T) []map[string]string {
	t.Helper()
	f, err := os.Open(sharedRepos)
	if errors.Is(err, fs.ErrNotExist) {
		t.Skipf("shared corpora not found: %s is missing", sharedRepos)
	}
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()

	r := csv.NewReader(f)
	r.Comma = '\t'
	r.LazyQuotes = true
	header, err := r.Read()
	if err != nil {
		t.Fatalf("read %s: %v", sharedRepos, err)
	}
	var rows []map[string]string
	for {
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("read %s: %v", sharedRepos, err)
		}
		row := map[string]string{}
		for i, col := range header {
			row[col] = rec[i]
		}
		rows = append(rows, row)
	}
	return rows
}

func TestRepoListsMatchSharedCorpus(t *testing.T) {
	rows := readSharedRepos(t)
	for _, list := range repoLists {
		t.Run(list.file, func(t *testing.T) {
			entries := readList(t, list.file)
			var want []map[string]string
			for _, row := range rows {
				if row["corpus"] == list.corpus {
					want = append(want, row)
				}
			}
			if len(want) != len(entries) {
				t.Fatalf("%s lists %d repositories, REPOS.tsv has %d %s rows", list.file, len(entries), len(want), list.corpus)
			}

			byName := map[string]listEntry{}
			for _, e := range entries {
				byName[e.name] = e
			}
			for _, row := range want {
				e, ok := byName[row["repo"]]
				switch {
				case !ok:
					t.Errorf("%s misses %s of the %s corpus", list.file, row["repo"], list.corpus)
				case e.commit != row["commit"]:
					t.Errorf("%s:%d: %s is pinned to %s, REPOS.tsv has %s", list.file, e.line, e.name, e.commit, row["commit"])
				case !strings.HasPrefix(row["commit_date"], e.date+"T"):
					t.Errorf("%s:%d: %s has commit date %s, REPOS.tsv has %s", list.file, e.line, e.name, e.date, row["commit_date"])
				case strconv.Itoa(e.files) != row["files"]:
					t.Errorf("%s:%d: %s has %d files, REPOS.tsv has %s", list.file, e.line, e.name, e.files, row["files"])
				}
			}
		})
	}
}
