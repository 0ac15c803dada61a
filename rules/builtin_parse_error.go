package rules

import "strconv"

// parseCheckName is the built-in that stands for parse failures. In a
// parsed file it reports instructions BuildKit does not know, which fail
// the build; [Pack.Lint] reports files that do not parse at all.
const parseCheckName = "parse-error"

func init() {
	register(&Builtin{
		Name: parseCheckName,
		Doc:  "the Dockerfile does not parse, or has an instruction BuildKit does not know",
		run:  checkUnknownInstructions,
	})
}

// checkUnknownInstructions reports instructions that BuildKit's parser
// accepted but its build rejects as unknown.
func checkUnknownInstructions(c *checkContext, out []Finding) []Finding {
	for _, s := range c.instructions() {
		if s.inst.Unknown {
			word := c.file().SourceOf(s.inst.KeywordRange)
			msg := "unknown instruction " + strconv.Quote(word) + ": check its spelling or a missing line continuation"
			out = append(out, c.finding(s.inst.KeywordRange, msg, nil))
		}
	}
	return out
}
