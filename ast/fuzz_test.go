package ast

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// FuzzParse checks that no input panics and that every range of the tree
// lies inside the input, with its start before its end.
func FuzzParse(f *testing.F) {
	for _, dir := range []string{"testdata/golden", "testdata/negative"} {
		inputs, _ := filepath.Glob(filepath.Join(dir, "*.Dockerfile"))
		for _, input := range inputs {
			src, err := os.ReadFile(input)
			if err != nil {
				f.Fatal(err)
			}
			f.Add(src)
		}
	}
	f.Add([]byte("FROM a\nRUN a \\\n\\\n b"))
	f.Add([]byte("FROM a\nRUN <<A <<B\nA\nB\n"))

	f.Fuzz(func(t *testing.T, src []byte) {
		file, err := Parse("fuzz", src)
		if err != nil {
			return
		}
		checkRanges(t, file, src)
	})
}

// checkRanges fails when a range of the tree falls outside src, ends before
// it starts, or disagrees with its line and column.
func checkRanges(t *testing.T, f *File, src []byte) {
	t.Helper()
	lines := newLineIndex(src)
	check := func(what string, r Range) {
		if r.Start.Offset < 0 || r.End.Offset > len(src) || r.Start.Offset > r.End.Offset {
			t.Fatalf("%s: %s range %+v outside the input of %d bytes", f.Name, what, r, len(src))
		}
		if lines.pos(r.Start.Offset) != r.Start || lines.pos(r.End.Offset) != r.End {
			t.Fatalf("%s: %s range %+v has a line or column that disagrees with its offset", f.Name, what, r)
		}
	}

	for _, inst := range f.Instructions {
		check("instruction", inst.Range)
		for _, flag := range inst.Flags {
			check("flag", flag.Range)
		}
		for _, a := range inst.Args {
			check("argument", a.Range)
		}
		for _, s := range f.Scripts() {
			check("script", s.Range)
			for _, c := range s.Commands {
				check("command", c.Range)
				check("command name", c.NameWord.Range)
				for _, fl := range c.Flags {
					check("command flag", fl.Range)
				}
				for _, op := range c.Operands {
					check("operand", op.Range)
					raw := f.SourceOf(op.Range)
					if !strings.Contains(raw, "\n") && op.Range.End.Offset-op.Range.Start.Offset == len(op.Raw) && raw != op.Raw {
						t.Fatalf("%s: operand %q has range %+v holding %q", f.Name, op.Raw, op.Range, raw)
					}
				}
			}
		}
	}
}
