package rules

import (
	"bufio"
	"errors"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/dockmine/dockmine/ast"
)

// corpusDir is the shared Dockerfile corpus beside the repository.
var corpusDir = filepath.Join("..", "..", "shared", "corpus")

type corpusFile struct {
	path string
	src  []byte
}

// loadCorpus reads every file of the named corpora listed in their
// manifests, or skips the test when the shared corpus is absent.
func loadCorpus(tb testing.TB, names ...string) []corpusFile {
	tb.Helper()
	var files []corpusFile
	for _, name := range names {
		dir := filepath.Join(corpusDir, name)
		manifest, err := os.Open(filepath.Join(dir, "MANIFEST.tsv"))
		if errors.Is(err, os.ErrNotExist) {
			tb.Skipf("the shared corpus %s is absent: this test needs ../shared beside the repository", dir)
		}
		if err != nil {
			tb.Fatal(err)
		}
		sc := bufio.NewScanner(manifest)
		sc.Scan() // header
		for sc.Scan() {
			cols := strings.Split(sc.Text(), "\t")
			if len(cols) < 3 {
				continue
			}
			path := filepath.Join(dir, strings.ReplaceAll(cols[0], "/", "__"), cols[2])
			src, err := os.ReadFile(path)
			if err != nil {
				tb.Fatalf("read a corpus file listed in the manifest: %v", err)
			}
			files = append(files, corpusFile{path: path, src: src})
		}
		manifest.Close()
		if err := sc.Err(); err != nil {
			tb.Fatal(err)
		}
	}
	return files
}

// TestCorpusCheck runs the default pack on every corpus file: no panic,
// every finding inside its file with a message, fixes inside the file, and
// every fix leaves a file that still parses. It logs how often each rule
// fires in the expert (gold) and ordinary (wild) corpora.
func TestCorpusCheck(t *testing.T) {
	if testing.Short() {
		t.Skip("the corpus check reads about 2,900 files")
	}
	p := Default()
	for _, corpus := range []string{"gold", "wild"} {
		files := loadCorpus(t, corpus)
		counts := map[string]int{}
		fileCounts := map[string]int{}
		total, parsed, fixedFiles := 0, 0, 0
		for _, cf := range files {
			findings, err := p.Lint(cf.path, cf.src)
			if err != nil {
				continue // not a Dockerfile at all, such as a size-limit failure
			}
			parsed++
			seen := map[string]bool{}
			for _, f := range findings {
				total++
				counts[f.Rule.Code]++
				if !seen[f.Rule.Code] {
					seen[f.Rule.Code] = true
					fileCounts[f.Rule.Code]++
				}
				if f.Range.Start.Offset < 0 || f.Range.End.Offset > len(cf.src) || f.Range.Start.Offset > f.Range.End.Offset {
					t.Errorf("%s: %s finding range %+v outside the file", cf.path, f.Rule.Code, f.Range)
				}
				if f.Message == "" {
					t.Errorf("%s: %s finding without a message", cf.path, f.Rule.Code)
				}
			}
			if checkFixesParse(t, cf, findings) {
				fixedFiles++
			}
		}

		codes := make([]string, 0, len(counts))
		for c := range counts {
			codes = append(codes, c)
		}
		sort.Strings(codes)
		var sb strings.Builder
		for _, c := range codes {
			sb.WriteString(c + "=" + strconv.Itoa(fileCounts[c]) + " ")
		}
		t.Logf("%s: %d files, %d checked, %d findings, %d files fixed; files per rule: %s", corpus, len(files), parsed, total, fixedFiles, sb.String())
	}
}

// checkFixesParse applies the fixes of a file's findings and checks that
// the result parses. It reports whether there was a fix.
func checkFixesParse(t *testing.T, cf corpusFile, findings []Finding) bool {
	t.Helper()
	has := false
	for _, f := range findings {
		if f.Fix != nil {
			has = true
			for _, e := range f.Fix.Edits {
				if e.Start < 0 || e.End > len(cf.src) || e.Start > e.End {
					t.Errorf("%s: %s edit %+v outside the file", cf.path, f.Rule.Code, e)
				}
			}
		}
	}
	if !has {
		return false
	}
	out, err := ApplyFixes(cf.src, findings)
	if err != nil {
		t.Errorf("%s: %v", cf.path, err)
		return true
	}
	if _, err := ast.Parse(cf.path, out); err != nil {
		t.Errorf("%s: the fixed file does not parse: %v", cf.path, err)
	}
	return true
}
