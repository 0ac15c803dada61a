package rules

import (
	"fmt"
	"slices"
	"strings"

	"github.com/dockmine/dockmine/ast"
)

func init() {
	register(&Builtin{Name: "shell-syntax-error", Doc: "shell code in RUN, CMD, ENTRYPOINT or HEALTHCHECK that the shell cannot parse", run: checkShellSyntax})
}

// checkShellSyntax reports the first syntax error of each script that an
// instruction runs: its shell form, its heredoc bodies and the scripts
// given to sh -c and similar commands inside it. The parser keeps the
// position of the error, so the finding points at it. One error is
// reported once, even when a heredoc body is both the instruction's script
// and the heredoc's.
func checkShellSyntax(c *checkContext, out []Finding) []Finding {
	for _, s := range c.instructions() {
		inst := s.inst
		var seen []int // error offsets already reported for this instruction
		report := func(script *ast.Script) {
			if script == nil || script.Err == nil || slices.Contains(seen, script.Err.Pos.Offset) {
				return
			}
			seen = append(seen, script.Err.Pos.Offset)
			msg := fmt.Sprintf("fix the shell syntax of this %s: %s", inst.Keyword, strings.TrimPrefix(script.Err.Msg, "shell: "))
			pos := script.Err.Pos
			out = append(out, c.finding(ast.Range{Start: pos, End: pos}, msg, nil))
		}

		report(inst.Script)
		for _, h := range inst.Heredocs {
			report(h.Script)
		}
		for _, script := range scriptsOf(inst) {
			for _, cmd := range script.Commands {
				for _, nested := range cmd.Nested {
					report(nested)
				}
			}
		}
	}
	return out
}

// scriptsOf returns the scripts an instruction runs itself: its shell form
// and its heredoc bodies.
func scriptsOf(inst *ast.Instruction) []*ast.Script {
	var out []*ast.Script
	if inst.Script != nil {
		out = append(out, inst.Script)
	}
	for _, h := range inst.Heredocs {
		if h.Script != nil {
			out = append(out, h.Script)
		}
	}
	return out
}
