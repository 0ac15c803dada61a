package rules

import (
	"fmt"
	"strconv"
)

func init() {
	register(&Builtin{Name: "copy-from-own-stage", Doc: "COPY --from names the stage it is in", run: checkCopyFromSelf})
}

// checkCopyFromSelf reports COPY --from values that name the stage the
// instruction belongs to, by name or by index.
func checkCopyFromSelf(c *checkContext, out []Finding) []Finding {
	stages := c.file().Stages
	for _, s := range c.instructions() {
		flag := s.inst.Flag("from")
		if flag == nil || (s.inst.Keyword != "COPY" && s.inst.Keyword != "ADD") || s.stage() < 0 || s.stage() >= len(stages) {
			continue
		}
		value, known := c.fx.expand(flag.Value, s)
		if !known {
			continue
		}
		self := stageIndex(stages, value) == s.stage()
		if n, err := strconv.Atoi(value); err == nil {
			self = n == s.stage()
		}
		if self {
			msg := fmt.Sprintf("--from=%s names this stage itself: copy from an earlier stage or use a plain COPY", value)
			out = append(out, c.finding(flag.Range, msg, nil))
		}
	}
	return out
}
