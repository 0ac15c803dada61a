package format

import (
	"encoding/xml"
	"io"
)

// checkstyle writes Checkstyle's XML report (format version 4.3), which
// Jenkins' warnings plugin and reviewdog read.
type checkstyle struct{}

type checkstyleReport struct {
	XMLName xml.Name         `xml:"checkstyle"`
	Version string           `xml:"version,attr"`
	Files   []checkstyleFile `xml:"file"`
}

type checkstyleFile struct {
	Name   string            `xml:"name,attr"`
	Errors []checkstyleError `xml:"error"`
}

type checkstyleError struct {
	Line     int    `xml:"line,attr"`
	Column   int    `xml:"column,attr"`
	Severity string `xml:"severity,attr"` // error, warning or info
	Message  string `xml:"message,attr"`
	Source   string `xml:"source,attr"`
}

func (checkstyle) Format(w io.Writer, r *Report) error {
	report := checkstyleReport{Version: "4.3"}
	for _, res := range r.Results {
		if res.Err != nil {
			continue // an unreadable input has no report entry
		}
		file := checkstyleFile{Name: res.File}
		for _, d := range res.Diagnostics {
			sev := d.Severity.String()
			if sev == "style" {
				sev = "info" // Checkstyle has no style level
			}
			file.Errors = append(file.Errors, checkstyleError{
				Line:     d.Range.Start.Line,
				Column:   d.Range.Start.Col,
				Severity: sev,
				Message:  d.Message,
				Source:   "dockmine." + d.Rule.Code,
			})
		}
		report.Files = append(report.Files, file)
	}
	return writeXML(w, report)
}

func writeXML(w io.Writer, v any) error {
	if _, err := io.WriteString(w, xml.Header); err != nil {
		return err
	}
	enc := xml.NewEncoder(w)
	enc.Indent("", "  ")
	if err := enc.Encode(v); err != nil {
		return err
	}
	_, err := io.WriteString(w, "\n")
	return err
}
