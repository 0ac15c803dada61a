package ast

import (
	"bufio"
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// corpusDir is the shared Dockerfile corpus beside the repository.
const corpusDir = "../../shared/corpus"

// corpusFile is one Dockerfile of the shared corpus.
type corpusFile struct {
	path     string
	src      []byte
	template bool // holds {{ template markers and is not a Dockerfile yet
}

// loadCorpus reads every file of the named corpora, or skips the test when
// the shared corpus is absent.
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

		scanner := bufio.NewScanner(manifest)
		scanner.Scan() // header: repo, commit, path, bytes, sha256
		for scanner.Scan() {
			cols := strings.Split(scanner.Text(), "\t")
			if len(cols) < 3 {
				continue
			}
			path := filepath.Join(dir, strings.ReplaceAll(cols[0], "/", "__"), cols[2])
			src, err := os.ReadFile(path)
			if err != nil {
				tb.Fatalf("reading corpus file listed in the manifest: %v", err)
			}
			files = append(files, corpusFile{path: path, src: src, template: bytes.Contains(src, []byte("{{"))})
		}
		manifest.Close()
		if err := scanner.Err(); err != nil {
			tb.Fatal(err)
		}
	}
	return files
}

// TestCorpusParses parses every corpus file: no panic, every range inside
// the input, and no parse error except for templates and for files with no
// instruction.
func TestCorpusParses(t *testing.T) {
	files := loadCorpus(t, "gold", "wild")
	for _, cf := range files {
		f, err := Parse(cf.path, cf.src)
		if err != nil {
			var perr *ParseError
			if !errors.As(err, &perr) {
				t.Errorf("%s: error is not a *ParseError: %v", cf.path, err)
				continue
			}
			if !cf.template && !strings.Contains(perr.Msg, "no instructions") {
				t.Errorf("unexpected parse error: %v", err)
			}
			continue
		}
		checkRanges(t, f, cf.src)
		for _, inst := range f.Instructions {
			if len(inst.pieces) == 1 && inst.pieces[0].synthetic {
				t.Errorf("%s:%d: the joined lines of the instruction differ from BuildKit's", cf.path, inst.Start.Line)
			}
		}
	}
}

// TestCorpusCoverage checks the coverage targets on the gold corpus without
// templates: at least 95% of commands resolved by a schema and at most 1.5%
// of leaves unresolved.
func TestCorpusCoverage(t *testing.T) {
	files := loadCorpus(t, "gold")
	var stats Stats
	for _, cf := range files {
		if cf.template {
			continue
		}
		f, err := Parse(cf.path, cf.src)
		if err != nil {
			t.Errorf("parse: %v", err)
			stats.AddError()
			continue
		}
		stats.Add(f)
	}
	stats.Finish(15)

	resolved := float64(stats.CommandsResolved) / float64(stats.Commands)
	unresolved := float64(stats.UnresolvedLeaves) / float64(stats.Leaves)
	t.Logf("gold: %d files, %d commands, %.4f resolved, %.4f of %d leaves unresolved, top unresolved %v",
		stats.Files, stats.Commands, resolved, unresolved, stats.Leaves, stats.TopUnresolved)
	if resolved < 0.95 {
		t.Errorf("commands resolved = %.4f, want at least 0.95; top unresolved: %v", resolved, stats.TopUnresolved)
	}
	if unresolved > 0.015 {
		t.Errorf("unresolved leaves = %.4f, want at most 0.015", unresolved)
	}
}
