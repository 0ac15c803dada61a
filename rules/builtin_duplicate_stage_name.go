package rules

import "fmt"

func init() {
	register(&Builtin{Name: "duplicate-stage-name", Doc: "two stages with one name", run: checkDuplicateStageName})
}

// checkDuplicateStageName reports a stage whose name an earlier stage
// already has. Names are compared in lower case, as BuildKit does.
func checkDuplicateStageName(c *checkContext, out []Finding) []Finding {
	first := map[string]int{} // name to the line of its first FROM
	for _, st := range c.file().Stages {
		if st.Name == "" || st.From == nil || len(st.From.Args) < 3 {
			continue
		}
		line, seen := first[st.Name]
		if !seen {
			first[st.Name] = st.From.Start.Line
			continue
		}
		word := st.From.Args[2]
		msg := fmt.Sprintf("stage name %q is already used on line %d: rename one of the stages", word.Value, line)
		out = append(out, c.finding(word.Range, msg, nil))
	}
	return out
}
