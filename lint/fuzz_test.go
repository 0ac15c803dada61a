package lint

import (
	"testing"

	"github.com/dockmine/dockmine/ast"
)

// FuzzReadPragmas checks that reading pragmas never panics and that every
// pragma covers a range inside the file.
func FuzzReadPragmas(f *testing.F) {
	for _, seed := range []string{
		"# check=skip=StageNameCasing;error=true\nFROM a AS B\n",
		"FROM a\n# dockmine ignore=DM3008,DM3009 # reason\nRUN x\n",
		"# dockmine stage ignore=DM1\nARG V=1\nFROM a:${V}\n",
		"# hadolint global ignore=DL3008\nFROM a\n",
		"FROM a\nRUN a \\\n  # dockmine ignore=DM1\n  && b\n",
		"FROM a\n# dockmine ingore=X\n",
		"FROM a\n# dockmine ignore=\n",
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, src string) {
		file, err := ast.Parse("Dockerfile", []byte(src))
		if err != nil {
			return
		}
		for _, p := range ReadPragmas(file) {
			if p.From < 0 || p.From > p.To || p.To > len(src)+1 {
				t.Fatalf("pragma %+v covers [%d, %d) in a file of %d bytes", p, p.From, p.To, len(src))
			}
		}
	})
}

// FuzzUnifiedDiff checks that the diff of two texts never panics and is
// empty exactly when the texts are equal.
func FuzzUnifiedDiff(f *testing.F) {
	f.Add("FROM a\nRUN b\n", "FROM a\nRUN c\n")
	f.Add("a\nb", "a\nb\n")
	f.Add("", "x\n")
	f.Fuzz(func(t *testing.T, a, b string) {
		d := UnifiedDiff("f", []byte(a), []byte(b))
		if (d == "") != (a == b) {
			t.Fatalf("UnifiedDiff(%q, %q) = %q", a, b, d)
		}
	})
}
