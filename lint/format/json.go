package format

import (
	"encoding/json"
	"io"

	"github.com/dockmine/dockmine/rules"
)

// jsonFormat writes all findings as one JSON array of [JSONFinding].
type jsonFormat struct{}

// JSONFinding is one element of the json format. Its field names are stable.
type JSONFinding struct {
	Code      string   `json:"code"`
	Aliases   []string `json:"aliases"` // the rule's, then the code and aliases of rules that reported the same finding
	Name      string   `json:"name"`
	Severity  string   `json:"severity"` // error, warning, info or style
	Message   string   `json:"message"`
	File      string   `json:"file"`
	Line      int      `json:"line"`
	Column    int      `json:"column"` // 1-based byte column
	EndLine   int      `json:"end_line"`
	EndColumn int      `json:"end_column"` // exclusive
	Fix       *JSONFix `json:"fix,omitempty"`
}

// JSONFix is the fix of a finding: byte edits of the file as read.
type JSONFix struct {
	Description string       `json:"description"`
	Edits       []rules.Edit `json:"edits"`
}

func (jsonFormat) Format(w io.Writer, r *Report) error {
	out := []JSONFinding{}
	for _, res := range r.Results {
		for _, d := range res.Diagnostics {
			f := JSONFinding{
				Code:      d.Rule.Code,
				Aliases:   d.Aliases(),
				Name:      d.Rule.Name,
				Severity:  d.Severity.String(),
				Message:   d.Message,
				File:      d.File,
				Line:      d.Range.Start.Line,
				Column:    d.Range.Start.Col,
				EndLine:   d.Range.End.Line,
				EndColumn: d.Range.End.Col,
			}
			if d.Fix != nil {
				f.Fix = &JSONFix{Description: d.Fix.Description, Edits: d.Fix.Edits}
			}
			out = append(out, f)
		}
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(out)
}
