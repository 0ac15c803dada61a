package rules

import (
	"fmt"

	"github.com/dockmine/dockmine/ast"
)

func init() {
	register(&Builtin{Name: "consecutive-run", Doc: "two single-command RUNs in a row that could be one layer", run: checkConsecutiveRun})
}

// checkConsecutiveRun reports a RUN that directly follows another RUN of
// the same stage when each runs a single command with the same flags, so
// they could be one RUN and one layer. A RUN that already chains commands,
// an exec-form RUN and RUNs with different mounts are not counted.
func checkConsecutiveRun(c *checkContext, out []Finding) []Finding {
	insts := c.file().Instructions
	for i := 1; i < len(insts); i++ {
		prev, cur := insts[i-1], insts[i]
		if !singleCommandRun(prev) || !singleCommandRun(cur) || prev.Stage != cur.Stage || !sameFlags(prev, cur) {
			continue
		}
		msg := fmt.Sprintf("merge this RUN with the RUN on line %d into one layer, joining the commands with &&", prev.Start.Line)
		out = append(out, c.finding(cur.Range, msg, nil))
	}
	return out
}

// singleCommandRun reports whether inst is a shell-form RUN whose script
// runs exactly one top-level command.
func singleCommandRun(inst *ast.Instruction) bool {
	if inst.Keyword != "RUN" || inst.JSON || inst.Script == nil || inst.Script.Err != nil || len(inst.Heredocs) > 0 {
		return false
	}
	n := 0
	for _, cmd := range inst.Script.Commands {
		if cmd.Context.Depth == 0 && !cmd.Context.Subshell {
			n++
		}
	}
	return n == 1
}

func sameFlags(a, b *ast.Instruction) bool {
	if len(a.Flags) != len(b.Flags) {
		return false
	}
	for i := range a.Flags {
		if a.Flags[i].Name != b.Flags[i].Name || a.Flags[i].Value != b.Flags[i].Value {
			return false
		}
	}
	return true
}
