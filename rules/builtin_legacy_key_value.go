package rules

import "fmt"

func init() {
	register(&Builtin{Name: "legacy-key-value", Doc: "ENV or LABEL written as key value instead of key=value", Fix: true, run: checkLegacyKeyValue})
}

// checkLegacyKeyValue reports ENV and LABEL written as "key value". That
// form sets one variable to the rest of the line, and BuildKit warns that
// it is deprecated. The fix joins key and value with "=" when the value is
// one word.
func checkLegacyKeyValue(c *checkContext, out []Finding) []Finding {
	for _, s := range c.instructions() {
		inst := s.inst
		if (inst.Keyword != "ENV" && inst.Keyword != "LABEL") || len(inst.Args) < 2 || len(inst.Pairs) != 1 {
			continue
		}
		key := inst.Args[0]
		if key.Value != inst.Pairs[0].Key {
			continue
		}
		var fix *Fix
		if len(inst.Args) == 2 {
			value := inst.Args[1]
			fix = &Fix{Description: "write key=value", Edits: []Edit{{Start: key.End.Offset, End: value.Start.Offset, NewText: "="}}}
		}
		msg := fmt.Sprintf("write %s %s=VALUE; the form without = is deprecated", inst.Keyword, key.Value)
		out = append(out, c.finding(key.Range, msg, fix))
	}
	return out
}
