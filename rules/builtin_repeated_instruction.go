package rules

import "fmt"

func init() {
	register(&Builtin{Name: "repeated-instruction", Doc: "several CMD, ENTRYPOINT or HEALTHCHECK in one stage", run: checkRepeatedInstruction})
}

// singleInstructions take effect once per stage: the last one wins.
var singleInstructions = []string{"CMD", "ENTRYPOINT", "HEALTHCHECK"}

// checkRepeatedInstruction reports every CMD, ENTRYPOINT and HEALTHCHECK
// of a stage but the last, which is the only one that takes effect.
// Instructions wrapped in ONBUILD belong to the child image and are not
// counted.
func checkRepeatedInstruction(c *checkContext, out []Finding) []Finding {
	for _, st := range c.file().Stages {
		sites := c.stageSites(st.Index)
		for _, keyword := range singleInstructions {
			var last *site
			for _, s := range sites {
				if s.inst.Keyword == keyword {
					last = s
				}
			}
			for _, s := range sites {
				if s.inst.Keyword != keyword || s == last {
					continue
				}
				msg := fmt.Sprintf("only the last %s of a stage takes effect, on line %d: remove this one", keyword, last.inst.Start.Line)
				out = append(out, c.finding(s.inst.Range, msg, nil))
			}
		}
	}
	return out
}
