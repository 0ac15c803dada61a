package rules

import (
	"fmt"
	"strings"
)

func init() {
	register(&Builtin{Name: "copy-destination-slash", Doc: "COPY of several sources to a destination without a trailing slash", Fix: true, run: checkCopyDestinationSlash})
}

// checkCopyDestinationSlash reports COPY and ADD with several sources whose
// destination does not end in "/": Docker requires a directory there and
// fails the build otherwise. A Windows path may end in a backslash
// instead. The fix appends the slash.
func checkCopyDestinationSlash(c *checkContext, out []Finding) []Finding {
	for _, s := range c.instructions() {
		inst := s.inst
		if (inst.Keyword != "COPY" && inst.Keyword != "ADD") || len(inst.Heredocs) > 0 {
			continue
		}
		sources := len(inst.Args) - 1
		if sources < 2 {
			continue
		}
		dest := inst.Args[sources]
		value, known := c.fx.expand(dest.Value, s)
		if !known || strings.HasSuffix(value, "/") || strings.HasSuffix(value, `\`) {
			continue
		}
		var fix *Fix
		if !inst.JSON && c.file().SourceOf(dest.Range) == dest.Value {
			fix = &Fix{Description: "add a trailing slash", Edits: []Edit{{Start: dest.End.Offset, End: dest.End.Offset, NewText: "/"}}}
		}
		msg := fmt.Sprintf("end the destination %q with / because %s has %d sources", dest.Value, inst.Keyword, sources)
		out = append(out, c.finding(dest.Range, msg, fix))
	}
	return out
}
