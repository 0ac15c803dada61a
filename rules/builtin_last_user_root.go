package rules

import (
	"regexp"
	"strings"
)

func init() {
	register(&Builtin{Name: "last-user-root", Doc: "the final image runs as root", run: checkLastUserRoot})
}

var rootUser = regexp.MustCompile(`^(root|0)(:.*)?$`)

// checkLastUserRoot reports the USER root that the final image ends with:
// the last USER of the final stage, or of the stages it is built FROM when
// it has none. Other stages may end as root: only the final image runs.
func checkLastUserRoot(c *checkContext, out []Finding) []Finding {
	stages := c.file().Stages
	if len(stages) == 0 {
		return out
	}
	for i, steps := len(stages)-1, 0; i >= 0 && steps <= len(stages); i, steps = stages[i].BaseStage, steps+1 {
		var last *site
		for _, s := range c.stageSites(i) {
			if s.inst.Keyword == "USER" && len(s.inst.Args) > 0 {
				last = s
			}
		}
		if last == nil {
			continue
		}
		user, known := c.fx.expand(last.inst.Args[0].Value, last)
		if known && rootUser.MatchString(strings.TrimSpace(user)) {
			out = append(out, c.finding(last.inst.Range, "the image runs as root: end the final stage with a USER that is not root", nil))
		}
		return out
	}
	return out
}
