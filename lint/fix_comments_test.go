package lint

import (
	"strings"
	"testing"

	"github.com/dockmine/dockmine/ast"
	"github.com/dockmine/dockmine/lint/config"
	"github.com/dockmine/dockmine/rules"
)

// commentNote is the comment line that TestFixKeepsCommentLines puts
// inside instructions.
const commentNote = "# keep this note"

// TestFixKeepsCommentLines runs --fix over every bad example of every
// fixable rule of the default pack, each time with a comment line put
// inside a flagged instruction at one of its blanks, and checks that the
// comment survives. A fix whose edit would delete the comment must keep it
// or be withheld. Each rule must still fix at least one of its variants,
// so that the test cannot pass by withholding every fix.
func TestFixKeepsCommentLines(t *testing.T) {
	pack := rules.Default()
	for _, r := range pack.Rules {
		if !r.Fixable() || r.Status == rules.StatusRetired {
			continue
		}
		t.Run(r.Code, func(t *testing.T) {
			only := []config.Value{{Text: r.Code}}
			check := newTestLinter(t, Options{Packs: []*rules.Pack{pack}, Only: only, Jobs: 1})
			fixer := newTestLinter(t, Options{Packs: []*rules.Pack{pack}, Only: only, Fix: true, Jobs: 1})
			variants, fixed := 0, 0
			for i, bad := range r.Examples.Bad {
				for _, src := range commentVariants(t, check, r, bad) {
					variants++
					res := lintText(t, fixer, src)
					if res.Fixes > 0 {
						fixed++
					}
					if got, want := strings.Count(string(res.Source), commentNote), strings.Count(src, commentNote); got != want {
						t.Errorf("bad example %d: the fix removed the comment line\ninput:\n%s\nfixed:\n%s", i+1, src, res.Source)
					}
				}
			}
			if variants == 0 {
				t.Skipf("no bad example of %s has a flagged instruction with a blank to put a comment at", r.Code)
			}
			if fixed == 0 {
				t.Errorf("none of %d variants with a comment line was fixed", variants)
			}
		})
	}
}

// commentVariants returns copies of src with a comment line put inside an
// instruction that rule r flags with a fix: at each blank of the
// instruction, outside heredoc bodies, the line is continued and the
// comment follows. Only variants that still parse and that r still flags
// are returned. l lints without fixing.
func commentVariants(t *testing.T, l *Linter, r *rules.Rule, src string) []string {
	t.Helper()
	res := lintText(t, l, src)
	f, err := ast.Parse("Dockerfile", []byte(src))
	if err != nil {
		return nil
	}

	var out []string
	for _, d := range res.Diagnostics {
		if d.Rule != r || d.Fix == nil {
			continue
		}
		inst := instructionAt(f, d.Range.Start.Offset)
		if inst == nil {
			continue
		}
		for _, at := range blanksOf(f, inst) {
			variant := src[:at] + " " + f.EscapeToken + "\n" + commentNote + "\n" + src[at:]
			if !flagged(t, l, r, variant) {
				continue
			}
			out = append(out, variant)
		}
	}
	return out
}

// instructionAt returns the instruction whose range holds offset.
func instructionAt(f *ast.File, offset int) *ast.Instruction {
	for _, inst := range f.Instructions {
		if inst.Start.Offset <= offset && offset < inst.End.Offset {
			return inst
		}
	}
	return nil
}

// blanksOf returns the offsets of the spaces and tabs of an instruction,
// leaving out heredoc bodies, comment lines and blanks that follow an
// escape character or end a line.
func blanksOf(f *ast.File, inst *ast.Instruction) []int {
	src := f.Source()
	var out []int
	for at := inst.Start.Offset; at < inst.End.Offset; at++ {
		if src[at] != ' ' && src[at] != '\t' {
			continue
		}
		if inHeredoc(inst, at) || at > 0 && src[at-1] == f.EscapeToken[0] || onCommentLine(src, at) || restIsBlank(src, at) {
			continue
		}
		out = append(out, at)
	}
	return out
}

func inHeredoc(inst *ast.Instruction, at int) bool {
	for _, in := range []*ast.Instruction{inst, inst.Inner} {
		if in == nil {
			continue
		}
		for _, h := range in.Heredocs {
			if h.Start.Offset <= at && at < h.End.Offset {
				return true
			}
		}
	}
	return false
}

// onCommentLine reports whether the line of offset at starts with #.
func onCommentLine(src []byte, at int) bool {
	start := strings.LastIndexByte(string(src[:at]), '\n') + 1
	return strings.HasPrefix(strings.TrimLeft(string(src[start:at]), " \t"), "#")
}

// restIsBlank reports whether only blanks and an escape follow offset at on
// its line.
func restIsBlank(src []byte, at int) bool {
	end := strings.IndexByte(string(src[at:]), '\n')
	if end < 0 {
		end = len(src) - at
	}
	rest := strings.TrimSpace(string(src[at : at+end]))
	return rest == "" || rest == `\` || rest == "`"
}

// flagged reports whether rule r still flags src after a comment line was
// put into it. The finding may have lost its fix: that is what the test
// checks.
func flagged(t *testing.T, l *Linter, r *rules.Rule, src string) bool {
	t.Helper()
	if _, err := ast.Parse("Dockerfile", []byte(src)); err != nil {
		return false
	}
	for _, d := range lintText(t, l, src).Diagnostics {
		if d.Rule == r {
			return true
		}
	}
	return false
}
