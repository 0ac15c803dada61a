package format

import (
	"strings"

	"github.com/dockmine/dockmine/rules"
)

// firstParagraph returns the text up to the first blank line, joined into
// one line.
func firstParagraph(text string) string {
	para, _, _ := strings.Cut(strings.TrimSpace(text), "\n\n")
	return strings.Join(strings.Fields(para), " ")
}

// helpText is a rule's rationale followed by its first bad and good
// examples, as plain text.
func helpText(r *rules.Rule) string {
	var sb strings.Builder
	sb.WriteString(r.Title)
	sb.WriteString("\n\n")
	sb.WriteString(strings.TrimSpace(r.Rationale))
	if len(r.Examples.Bad) > 0 {
		sb.WriteString("\n\nBad:\n")
		sb.WriteString(indent(r.Examples.Bad[0]))
	}
	if len(r.Examples.Good) > 0 {
		sb.WriteString("\n\nGood:\n")
		sb.WriteString(indent(r.Examples.Good[0]))
	}
	return sb.String()
}

// helpMarkdown is the same text as [helpText] with the examples in fenced
// blocks.
func helpMarkdown(r *rules.Rule) string {
	var sb strings.Builder
	sb.WriteString("**" + r.Code + " " + r.Name + "**: " + r.Title + "\n\n")
	sb.WriteString(strings.TrimSpace(r.Rationale))
	if len(r.Examples.Bad) > 0 {
		sb.WriteString("\n\nBad:\n\n```dockerfile\n" + strings.TrimRight(r.Examples.Bad[0], "\n") + "\n```")
	}
	if len(r.Examples.Good) > 0 {
		sb.WriteString("\n\nGood:\n\n```dockerfile\n" + strings.TrimRight(r.Examples.Good[0], "\n") + "\n```")
	}
	return sb.String()
}

func indent(text string) string {
	lines := strings.Split(strings.TrimRight(text, "\n"), "\n")
	for i, l := range lines {
		lines[i] = "    " + l
	}
	return strings.Join(lines, "\n")
}
