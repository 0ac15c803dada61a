package rules

import (
	"fmt"
	"strings"

	"github.com/dockmine/dockmine/ast"
)

func init() {
	register(&Builtin{Name: "from-as-casing", Doc: "the AS of FROM in another case than FROM", Fix: true, run: checkFromAsCasing})
	register(&Builtin{Name: "instruction-casing", Doc: "instruction keywords in mixed case", Fix: true, run: checkInstructionCasing})
}

// checkFromAsCasing reports FROM ... as NAME when the keyword is in upper
// case and AS in lower case, or the other way round.
func checkFromAsCasing(c *checkContext, out []Finding) []Finding {
	for _, st := range c.file().Stages {
		from := st.From
		if from == nil || len(from.Args) < 3 || !strings.EqualFold(from.Args[1].Value, "as") {
			continue
		}
		keyword := c.file().SourceOf(from.KeywordRange)
		as := from.Args[1]
		want := "AS"
		if keyword == strings.ToLower(keyword) {
			want = "as"
		} else if keyword != strings.ToUpper(keyword) {
			continue // mixed case is reported by instruction-casing
		}
		if as.Value == want {
			continue
		}
		fix := &Fix{Description: "write " + want, Edits: []Edit{{Start: as.Start.Offset, End: as.End.Offset, NewText: want}}}
		msg := fmt.Sprintf("write %q as %q to match the case of %s", as.Value, want, keyword)
		out = append(out, c.finding(as.Range, msg, fix))
	}
	return out
}

// checkInstructionCasing reports keywords that are not in the case most
// keywords of the file use: upper case or lower case. A keyword in mixed
// case is always reported. Unknown instructions are left to DM0001.
func checkInstructionCasing(c *checkContext, out []Finding) []Finding {
	var keywords []*ast.Instruction
	upper, lower := 0, 0
	for _, outer := range c.file().Instructions {
		for inst := outer; inst != nil && !inst.Unknown; inst = inst.Inner {
			word := c.file().SourceOf(inst.KeywordRange)
			switch word {
			case strings.ToUpper(word):
				upper++
			case strings.ToLower(word):
				lower++
			}
			keywords = append(keywords, inst)
		}
	}
	toUpper := upper >= lower
	for _, inst := range keywords {
		word := c.file().SourceOf(inst.KeywordRange)
		want := strings.ToLower(word)
		if toUpper {
			want = strings.ToUpper(word)
		}
		if word == want || word == "" {
			continue
		}
		fix := &Fix{Description: "write " + want, Edits: []Edit{{Start: inst.KeywordRange.Start.Offset, End: inst.KeywordRange.End.Offset, NewText: want}}}
		msg := fmt.Sprintf("write %q as %q like the other instructions of the file", word, want)
		out = append(out, c.finding(inst.KeywordRange, msg, fix))
	}
	return out
}
