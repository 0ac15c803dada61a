package rules

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/dockmine/dockmine/ast"
)

func init() {
	register(&Builtin{Name: "copy-from-unknown-stage", Doc: "COPY --from names no earlier stage and no tagged image", run: checkCopyFromUnknown})
}

// checkCopyFromUnknown reports COPY --from and ADD --from values that name
// neither an earlier stage nor an image with a tag or digest. A value with
// variables is expanded with the stage's ARG defaults first and skipped
// when that is not possible. An ONBUILD COPY is skipped: its trigger runs
// in the child build, whose stages this file cannot see.
func checkCopyFromUnknown(c *checkContext, out []Finding) []Finding {
	stages := c.file().Stages
	for _, s := range c.instructions() {
		flag := s.inst.Flag("from")
		if flag == nil || (s.inst.Keyword != "COPY" && s.inst.Keyword != "ADD") || s.stage() < 0 || s.outer != s.inst {
			continue
		}
		value, known := c.fx.expand(flag.Value, s)
		if !known || value == "" {
			continue
		}

		var msg string
		if n, err := strconv.Atoi(value); err == nil {
			if n >= s.stage() {
				msg = fmt.Sprintf("--from=%d does not name an earlier stage: stages can only copy from stages before them", n)
			}
		} else if i := stageIndex(stages, value); i > s.stage() {
			msg = fmt.Sprintf("stage %q is defined after this COPY on line %d: move it before, stages can only copy from stages before them", value, stages[i].From.Start.Line)
		} else if i < 0 && !strings.ContainsAny(value, ":@") {
			msg = fmt.Sprintf("%q names no earlier stage: define the stage, or give the image a tag as %s:TAG", value, value)
		}
		if msg != "" {
			out = append(out, c.finding(flag.Range, msg, nil))
		}
	}
	return out
}

// stageIndex returns the index of the stage named name, ignoring case, or -1.
func stageIndex(stages []*ast.Stage, name string) int {
	name = strings.ToLower(name)
	for _, st := range stages {
		if st.Name == name {
			return st.Index
		}
	}
	return -1
}
