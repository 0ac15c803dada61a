package review

import (
	"fmt"
	"io"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/dockmine/dockmine/rules"
)

// WriteDetail writes everything a reviewer needs to judge a candidate as
// plain text: the statement, the evidence, the reviewers' decisions, the
// satisfied and violated examples as file:line and source line, and the
// pattern. With sources, each example shows the lines around it.
func (s *Session) WriteDetail(w io.Writer, c *rules.Candidate, src *Sources) error {
	ew := &errWriter{w: w}

	ew.printf("candidate  %s\n", c.ID)
	ew.printf("kind       %s, scope %s, score %.4g\n", c.Kind, c.Scope, c.Score)
	ew.printf("state      %s\n", s.describeState(c.ID))
	for _, d := range s.Others(c.ID) {
		ew.printf("           %s\n", describeDecision(d))
	}
	ew.printf("\n%s\n\n", c.Text)

	// The rule is written as a condition, not an arrow, because the
	// consequent of a precedes rule comes first in the script and an arrow
	// would read as the opposite order.
	rule := c.Antecedent
	if c.Consequent != "" {
		rule = fmt.Sprintf("where %s, require %s (%s)", c.Antecedent, c.Consequent, c.Kind)
	}
	ew.printf("rule       %s\n", rule)
	if len(c.Alternatives) > 0 {
		ew.printf("           or %s\n", strings.Join(c.Alternatives, ", or "))
	}
	writeEvidence(ew, c)

	writeExamples(ew, "satisfied", c.Examples.Satisfied, src)
	writeExamples(ew, "violated", c.Examples.Violated, src)

	if c.Pattern != nil {
		data, err := yaml.Marshal(c.Pattern)
		if err != nil {
			return fmt.Errorf("encode pattern of %s: %w", c.ID, err)
		}
		ew.printf("\npattern\n%s", indent(string(data), "  "))
	}
	return ew.err
}

func writeEvidence(ew *errWriter, c *rules.Candidate) {
	sup := c.Support
	ew.printf("support    %d instances in %d files, %d repos, %d families\n", sup.Instances, sup.Files, sup.Repos, sup.Families)
	ew.printf("confidence expert %.3f", c.Confidence)
	if c.Contrast != nil {
		ew.printf(", contrast %.3f over %d instances", c.Contrast.Confidence, c.Contrast.Instances)
	} else {
		ew.printf(", no contrast corpus")
	}
	ew.printf(", lift %.3g\n", c.Lift)
}

func writeExamples(ew *errWriter, title string, exs []rules.Example, src *Sources) {
	ew.printf("\n%s (%d)\n", title, len(exs))
	for _, ex := range exs {
		ew.printf("  %s:%d\n", ex.File, ex.Line)
		e, ok := Excerpt{}, false
		if src != nil {
			e, ok = src.Excerpt(ex)
		}
		if !ok {
			ew.printf("    %s\n", strings.TrimSpace(ex.Text))
			continue
		}
		if e.Stale {
			ew.printf("    (the file changed since mining; the mined line was: %s)\n", strings.TrimSpace(ex.Text))
		}
		for i, line := range e.Lines {
			n := e.First + i
			mark := " "
			if n == ex.Line {
				mark = ">"
			}
			ew.printf("  %s %5d │ %s\n", mark, n, line)
		}
	}
}

// describeState returns the reviewer's decision on a candidate as text.
func (s *Session) describeState(id string) string {
	d := s.Decision(id)
	if d == nil {
		return "undecided"
	}
	return describeDecision(d)
}

func describeDecision(d *Decision) string {
	var b strings.Builder
	b.WriteString(d.Verdict.State())
	if d.Verdict == Approve {
		fmt.Fprintf(&b, " as %s %s", d.Code, d.Name)
	}
	fmt.Fprintf(&b, " by %s at %s", d.Reviewer, d.Time.Format("2006-01-02 15:04"))
	if d.Reason != "" {
		fmt.Fprintf(&b, ": %s", d.Reason)
	}
	return b.String()
}

func indent(s, prefix string) string {
	lines := strings.SplitAfter(s, "\n")
	var b strings.Builder
	for _, l := range lines {
		if l != "" {
			b.WriteString(prefix)
			b.WriteString(l)
		}
	}
	return b.String()
}

// errWriter keeps the first write error, so a long report checks once.
type errWriter struct {
	w   io.Writer
	err error
}

func (e *errWriter) printf(format string, args ...any) {
	if e.err != nil {
		return
	}
	_, e.err = fmt.Fprintf(e.w, format, args...)
}
