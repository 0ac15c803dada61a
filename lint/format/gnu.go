package format

import (
	"bufio"
	"fmt"
	"io"
)

// gnu writes one line per finding in the GNU Coding Standards form with a
// range, file:line.col-line.col: severity: message [CODE], which Emacs and
// Vim read. Columns are display columns, as the standards ask: 1-based,
// with tab stops every 8 columns and each character as wide as a terminal
// shows it. The end column is exclusive, as in the other formats.
type gnu struct{}

func (gnu) Format(w io.Writer, r *Report) error {
	bw := bufio.NewWriter(w)
	for _, res := range r.Results {
		for _, d := range res.Diagnostics {
			s, e := d.Range.Start, d.Range.End
			startCol := displayColumn(lineText(res.Source, s.Line), s.Col)
			if e.Offset > s.Offset {
				endCol := displayColumn(lineText(res.Source, e.Line), e.Col)
				fmt.Fprintf(bw, "%s:%d.%d-%d.%d: %s: %s [%s]\n", d.File, s.Line, startCol, e.Line, endCol, d.Severity, d.Message, d.Rule.Code)
			} else {
				fmt.Fprintf(bw, "%s:%d.%d: %s: %s [%s]\n", d.File, s.Line, startCol, d.Severity, d.Message, d.Rule.Code)
			}
		}
	}
	return bw.Flush()
}
