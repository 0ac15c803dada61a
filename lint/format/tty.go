package format

import (
	"bufio"
	"fmt"
	"io"
	"strings"

	"github.com/dockmine/dockmine/lint"
	"github.com/dockmine/dockmine/rules"
)

// ANSI escapes used by the tty format.
const (
	ansiReset  = "\x1b[0m"
	ansiBold   = "\x1b[1m"
	ansiDim    = "\x1b[2m"
	ansiRed    = "\x1b[31m"
	ansiGreen  = "\x1b[32m"
	ansiYellow = "\x1b[33m"
	ansiCyan   = "\x1b[36m"
)

// tty writes one finding per line, as path:line:col: CODE severity: message
// (aliases), followed by the source line and a caret under the range.
type tty struct {
	color bool
}

func (t *tty) Format(w io.Writer, r *Report) error {
	bw := bufio.NewWriter(w)
	for _, res := range r.Results {
		for _, d := range res.Diagnostics {
			t.diagnostic(bw, &res, &d)
		}
	}
	return bw.Flush()
}

func (t *tty) diagnostic(w *bufio.Writer, res *lint.Result, d *lint.Diagnostic) {
	start := d.Range.Start
	fmt.Fprintf(w, "%s:%d:%d: %s %s: %s", d.File, start.Line, start.Col,
		t.paint(ansiBold, d.Rule.Code), t.paint(severityColor(d.Severity), d.Severity.String()), d.Message)
	if aliases := d.Aliases(); len(aliases) > 0 {
		fmt.Fprintf(w, " %s", t.paint(ansiDim, "("+strings.Join(aliases, ", ")+")"))
	}
	w.WriteByte('\n')

	line := lineText(res.Source, start.Line)
	if line == "" || start.Col < 1 || start.Col > len(line)+1 {
		return
	}
	// A range that goes on to later lines is underlined to the end of
	// this one, and an empty range gets a single caret.
	end := len(line) + 1
	switch e := d.Range.End; {
	case e.Offset <= start.Offset:
		end = start.Col + 1
	case e.Line == start.Line && e.Col <= end:
		end = e.Col
	}

	// The line is echoed with its control characters escaped, so a
	// Dockerfile cannot send escape sequences to the terminal.
	prefix := escapeControls(line[:start.Col-1])
	marked := escapeControls(line[start.Col-1 : min(end-1, len(line))])
	gutter := fmt.Sprintf("%5d | ", start.Line)
	fmt.Fprintf(w, "%s%s\n", t.paint(ansiDim, gutter), escapeControls(line))
	fmt.Fprintf(w, "%s%s%s\n", t.paint(ansiDim, strings.Repeat(" ", len(gutter)-2)+"| "),
		padding(prefix), t.paint(ansiGreen, caret(prefix, marked)))
}

// padding returns blanks as wide on a terminal as prefix, keeping its tabs
// so that the caret lines up under a tab-indented line.
func padding(prefix string) string {
	var sb strings.Builder
	for _, r := range prefix {
		if r == '\t' {
			sb.WriteByte('\t')
		} else {
			sb.WriteString(strings.Repeat(" ", cellWidth.RuneWidth(r)))
		}
	}
	return sb.String()
}

// caret returns ^ followed by ~ for each further display column that
// marked takes after prefix, so wide characters get two marks.
func caret(prefix, marked string) string {
	n := max(1, displayWidth(prefix+marked)-displayWidth(prefix))
	return "^" + strings.Repeat("~", n-1)
}

func (t *tty) paint(code, text string) string {
	if !t.color || code == "" {
		return text
	}
	return code + text + ansiReset
}

func severityColor(s rules.Severity) string {
	switch s {
	case rules.SeverityError:
		return ansiRed + ansiBold
	case rules.SeverityWarning:
		return ansiYellow
	case rules.SeverityInfo:
		return ansiCyan
	}
	return ""
}
