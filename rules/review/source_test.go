package review

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/dockmine/dockmine/rules"
)

// writeCorpus lays out a corpus directory as the miner reads it:
// owner__repository/path.
func writeCorpus(t *testing.T) string {
	t.Helper()
	root := filepath.Join(t.TempDir(), "gold")
	path := filepath.Join(root, "docker-library__ruby", "3.3", "Dockerfile")
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	src := "FROM debian:bookworm\r\nRUN set -eux\r\nRUN apt-get install -y bzip2\r\nCMD [\"irb\"]\r\nRUN echo one; \\\r\n\techo two\r\n"
	if err := os.WriteFile(path, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	return root
}

func TestSourcesExcerpt(t *testing.T) {
	root := writeCorpus(t)
	src := &Sources{Roots: []string{root}, Context: 1}

	e, ok := src.Excerpt(rules.Example{File: "docker-library/ruby/3.3/Dockerfile", Line: 3, Text: "RUN apt-get install -y bzip2"})
	if !ok {
		t.Fatal("Excerpt found no file under owner__repository")
	}
	want := []string{"RUN set -eux", "RUN apt-get install -y bzip2", `CMD ["irb"]`}
	if e.First != 2 || !slices.Equal(e.Lines, want) {
		t.Errorf("Excerpt = line %d %q, want line 2 %q", e.First, e.Lines, want)
	}
	if e.Stale {
		t.Error("Excerpt marked an unchanged line stale")
	}
}

func TestSourcesExcerptEdges(t *testing.T) {
	root := writeCorpus(t)
	src := &Sources{Roots: []string{filepath.Join(root, "missing"), root}, Context: 5}

	// The first line with more context than the file has before it.
	e, ok := src.Excerpt(rules.Example{File: "docker-library/ruby/3.3/Dockerfile", Line: 1, Text: "FROM debian:bookworm"})
	if !ok || e.First != 1 || len(e.Lines) != 6 {
		t.Errorf("Excerpt of line 1 = %+v, %v; want all 6 lines from line 1", e, ok)
	}

	// A name that starts with the root's own directory.
	if _, ok := src.Excerpt(rules.Example{File: "gold/docker-library__ruby/3.3/Dockerfile", Line: 2, Text: "RUN set -eux"}); !ok {
		t.Error("Excerpt did not resolve a name that starts with the root's directory")
	}

	// The miner drops the continuation backslash and the indentation.
	if e, ok := src.Excerpt(rules.Example{File: "docker-library/ruby/3.3/Dockerfile", Line: 5, Text: "RUN echo one;"}); !ok || e.Stale {
		t.Errorf("Excerpt of a continued line = %+v, %v; want it current", e, ok)
	}

	// A changed line is marked stale.
	if e, ok := src.Excerpt(rules.Example{File: "docker-library/ruby/3.3/Dockerfile", Line: 2, Text: "RUN set -ex"}); !ok || !e.Stale {
		t.Errorf("Excerpt of a changed line = %+v, %v; want it stale", e, ok)
	}

	for _, ex := range []rules.Example{
		{File: "docker-library/ruby/3.3/Dockerfile", Line: 9},
		{File: "docker-library/ruby/3.3/Dockerfile", Line: 7},
		{File: "docker-library/ruby/3.3/Dockerfile", Line: 0},
		{File: "nobody/nothing/Dockerfile", Line: 1},
	} {
		if _, ok := src.Excerpt(ex); ok {
			t.Errorf("Excerpt(%s:%d) found lines, want none", ex.File, ex.Line)
		}
	}
	if _, ok := (&Sources{}).Excerpt(rules.Example{File: "x", Line: 1}); ok {
		t.Error("the zero Sources returned an excerpt")
	}
}

func TestWriteDetail(t *testing.T) {
	root := newTestRoot(t)
	decide(t, root.open(t, "bob"), aptFlag, Reject, Edits{}, "pure habit")
	s := root.open(t, "alice")
	c, err := s.Find(aptFlag)
	if err != nil {
		t.Fatal(err)
	}

	var b strings.Builder
	if err := s.WriteDetail(&b, c, nil); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	for _, want := range []string{
		"candidate  " + aptFlag,
		"kind       flag, scope script, score 0.91",
		"state      undecided",
		"           rejected by bob at 2025-12-04 20:01: pure habit\n",
		"apt-get install is run with --no-install-recommends",
		"rule       where apt-get install, require --no-install-recommends (flag)",
		"support    412 instances in 233 files, 41 repos, 57 families",
		"confidence expert 0.930, contrast 0.310 over 610 instances, lift 3",
		"satisfied (1)\n  docker-library/python/3.12/bookworm/Dockerfile:12\n",
		"violated (1)\n  docker-library/ruby/3.3/bookworm/Dockerfile:20\n    RUN apt-get update && apt-get install -y bzip2\n",
		"pattern\n  scope: script\n",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("WriteDetail output lacks %q:\n%s", want, out)
		}
	}
}
