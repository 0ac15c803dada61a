package mining

import (
	"strings"

	"github.com/dockmine/dockmine/ast"
)

// maxSnippet is the largest example Dockerfile kept, in bytes. A longer
// one is left out, so a candidate may show fewer example Dockerfiles than
// example lines.
const maxSnippet = 32 << 10

// layout is the source of a file and the byte spans of its instructions,
// from which its example Dockerfiles are cut. It is small, so files keep it
// until their repository is folded, while their trees are dropped.
type layout struct {
	src    []byte
	head   []span // parser directives and the ARG instructions before the first FROM
	insts  []instSpan
	stages []stageSpan
}

type span struct{ start, end int32 }

type instSpan struct {
	span
	stage int32 // index into layout.stages; -1 before the first FROM
	// context is set for ENV, ARG, SHELL and WORKDIR, which a later
	// instruction of the stage depends on: its variables, shell and
	// working directory.
	context bool
}

type stageSpan struct {
	from int32 // index into layout.insts of the stage's FROM
	base int32 // the stage it is built FROM, or -1
}

// newLayout records the spans of a parsed file.
func newLayout(f *ast.File) *layout {
	l := &layout{src: f.Source()}
	for _, d := range f.Directives {
		l.head = append(l.head, spanOf(d.Range))
	}
	for _, inst := range f.Instructions {
		if inst.Stage < 0 && inst.Keyword == "ARG" {
			l.head = append(l.head, spanOf(inst.Range))
		}
		eff := inst.Effective()
		context := inst.Inner == nil && (eff.Keyword == "ENV" || eff.Keyword == "ARG" || eff.Keyword == "SHELL" || eff.Keyword == "WORKDIR")
		l.insts = append(l.insts, instSpan{span: spanOf(inst.Range), stage: int32(inst.Stage), context: context})
	}
	for _, st := range f.Stages {
		l.stages = append(l.stages, stageSpan{from: int32(st.First), base: int32(st.BaseStage)})
	}
	return l
}

func spanOf(r ast.Range) span {
	return span{start: int32(r.Start.Offset), end: int32(r.End.Offset)}
}

// snippet returns instruction i wrapped into a Dockerfile of its own. It
// holds the file's parser directives and global ARGs, and the FROM that
// names the base image of the instruction's stage. Then come the ENV, ARG,
// SHELL and WORKDIR instructions before it, of its stage and the stages it
// is built on, and the instruction itself. snippet returns "" when i is not
// an instruction of the file, or when the result is longer than
// maxSnippet.
//
// NOTE: other earlier instructions are left out, so a consequent that an
// earlier RUN of the stage satisfies (a configuration file it wrote) does
// not hold in the example.
func (l *layout) snippet(i int) string {
	if i < 0 || i >= len(l.insts) {
		return ""
	}
	parts := append([]span(nil), l.head...)
	inst := l.insts[i]
	chain := l.chain(inst.stage)
	if len(chain) > 0 {
		from := l.insts[l.stages[chain[0]].from]
		if from.span != inst.span {
			parts = append(parts, from.span)
		}
		for _, s := range chain {
			for j := int(l.stages[s].from) + 1; j < i && j < len(l.insts) && l.insts[j].stage == s; j++ {
				if l.insts[j].context {
					parts = append(parts, l.insts[j].span)
				}
			}
		}
	}
	if inst.stage >= 0 || len(chain) == 0 {
		parts = appendSpan(parts, inst.span)
	}

	size := 0
	for _, p := range parts {
		size += int(p.end-p.start) + 1
	}
	if size > maxSnippet {
		return ""
	}
	var sb strings.Builder
	sb.Grow(size)
	for _, p := range parts {
		sb.Write(l.src[p.start:p.end])
		sb.WriteByte('\n')
	}
	return sb.String()
}

// appendSpan appends p unless the list ends with it: an ARG before the
// first FROM is already in the head.
func appendSpan(parts []span, p span) []span {
	for _, q := range parts {
		if q == p {
			return parts
		}
	}
	return append(parts, p)
}

// chain returns the stage and the stages it is built FROM, the one that
// names an image first. A global instruction gets the first stage.
func (l *layout) chain(stage int32) []int32 {
	if len(l.stages) == 0 {
		return nil
	}
	if stage < 0 || int(stage) >= len(l.stages) {
		stage = 0
	}
	var out []int32
	for s := stage; s >= 0 && int(s) < len(l.stages) && len(out) <= len(l.stages); s = l.stages[s].base {
		out = append(out, s)
	}
	for i, j := 0, len(out)-1; i < j; i, j = i+1, j-1 {
		out[i], out[j] = out[j], out[i]
	}
	return out
}
