package format

import (
	"bufio"
	"fmt"
	"io"
)

// gnu writes one line per finding in the GNU Coding Standards form with a
// range, file:line.col-line.col: severity: message [CODE], which Emacs and
// Vim read.
type gnu struct{}

func (gnu) Format(w io.Writer, r *Report) error {
	bw := bufio.NewWriter(w)
	for _, res := range r.Results {
		for _, d := range res.Diagnostics {
			s, e := d.Range.Start, d.Range.End
			if e.Offset > s.Offset {
				fmt.Fprintf(bw, "%s:%d.%d-%d.%d: %s: %s [%s]\n", d.File, s.Line, s.Col, e.Line, e.Col, d.Severity, d.Message, d.Rule.Code)
			} else {
				fmt.Fprintf(bw, "%s:%d.%d: %s: %s [%s]\n", d.File, s.Line, s.Col, d.Severity, d.Message, d.Rule.Code)
			}
		}
	}
	return bw.Flush()
}
