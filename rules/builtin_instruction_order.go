package rules

import "strconv"

func init() {
	register(&Builtin{Name: "instruction-order", Doc: "an instruction other than ARG before the first FROM", run: checkInstructionOrder})
}

// checkInstructionOrder reports instructions before the first FROM other
// than ARG: a Dockerfile must begin with FROM, ARG, comments or parser
// directives. Unknown instructions are left to DM0001.
func checkInstructionOrder(c *checkContext, out []Finding) []Finding {
	for _, s := range c.instructions() {
		if s.inst.Keyword == "FROM" {
			break
		}
		if s.outer.Keyword == "ARG" || s.outer.Unknown {
			continue
		}
		msg := "move " + strconv.Quote(s.outer.Keyword) + " after the first FROM: only ARG may come before it"
		out = append(out, c.finding(s.outer.Range, msg, nil))
	}
	return out
}
