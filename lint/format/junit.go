package format

import (
	"encoding/xml"
	"fmt"
	"io"
)

// junit writes a JUnit XML report, which GitLab, Jenkins and most CI
// systems show as test results: one test suite per file, one failed test
// case per finding, and one passing case for a file without findings.
type junit struct{}

type junitSuites struct {
	XMLName  xml.Name     `xml:"testsuites"`
	Name     string       `xml:"name,attr"`
	Tests    int          `xml:"tests,attr"`
	Failures int          `xml:"failures,attr"`
	Suites   []junitSuite `xml:"testsuite"`
}

type junitSuite struct {
	Name     string      `xml:"name,attr"`
	Tests    int         `xml:"tests,attr"`
	Failures int         `xml:"failures,attr"`
	Cases    []junitCase `xml:"testcase"`
}

type junitCase struct {
	Name      string        `xml:"name,attr"`
	ClassName string        `xml:"classname,attr"`
	Failure   *junitFailure `xml:"failure,omitempty"`
}

type junitFailure struct {
	Message string `xml:"message,attr"`
	Type    string `xml:"type,attr"` // the severity
	Text    string `xml:",chardata"`
}

func (junit) Format(w io.Writer, r *Report) error {
	report := junitSuites{Name: "dockmine"}
	for _, res := range r.Results {
		if res.Err != nil {
			continue // an unreadable input has no report entry
		}
		suite := junitSuite{Name: res.File}
		for _, d := range res.Diagnostics {
			s := d.Range.Start
			suite.Cases = append(suite.Cases, junitCase{
				Name:      fmt.Sprintf("%s %s %d:%d", d.Rule.Code, d.Rule.Name, s.Line, s.Col),
				ClassName: res.File,
				Failure: &junitFailure{
					Message: d.Message,
					Type:    d.Severity.String(),
					Text:    fmt.Sprintf("%s:%d:%d: %s %s: %s", d.File, s.Line, s.Col, d.Rule.Code, d.Severity, d.Message),
				},
			})
			suite.Failures++
		}
		if len(suite.Cases) == 0 {
			suite.Cases = append(suite.Cases, junitCase{Name: "lint", ClassName: res.File})
		}
		suite.Tests = len(suite.Cases)
		report.Tests += suite.Tests
		report.Failures += suite.Failures
		report.Suites = append(report.Suites, suite)
	}
	return writeXML(w, report)
}
