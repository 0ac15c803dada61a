package lint

import (
	"cmp"
	"slices"

	"github.com/dockmine/dockmine/ast"
	"github.com/dockmine/dockmine/rules"
)

// Diagnostic is a finding ready for a report: the rule, the severity after
// overrides, and the exact place in the file.
type Diagnostic struct {
	Rule     *rules.Rule
	Severity rules.Severity // the rule's severity, or the one configuration sets
	File     string         // as the user named it; "-" for standard input
	Range    ast.Range      // positions are 1-based lines and byte columns
	Message  string         // one line, lower case, no final period
	Fix      *rules.Fix     // nil when the rule offers no fix here
	// Also holds the other rules that reported the same message at the
	// same range, as DM1010 does beside DM1009: the diagnostic stands for
	// them too, so a report shows the finding once.
	Also []*rules.Rule
}

// Aliases returns the aliases of the rule, followed by the code and
// aliases of each rule in Also, never nil.
func (d *Diagnostic) Aliases() []string {
	out := append([]string{}, d.Rule.Aliases...)
	for _, r := range d.Also {
		out = append(out, r.Code)
		out = append(out, r.Aliases...)
	}
	return out
}

// Result is the outcome of linting one input.
type Result struct {
	File        string       // as the user named it; "-" for standard input
	Source      []byte       // the text the diagnostics point into: after fixes when some were applied
	Original    []byte       // the text as read
	Diagnostics []Diagnostic // in source order
	// Threshold is the least severity that fails the run for this file,
	// from its configuration. 0 means that no finding fails it.
	Threshold rules.Severity
	Fixes     int   // fixes applied, with Options.Fix
	FixErr    error // fixes that could not be applied: a bug in their rules
	Err       error // the input could not be read, and no other field is set
}

// Fixed reports whether fixes changed the text.
func (r *Result) Fixed() bool {
	return r.Fixes > 0 && string(r.Source) != string(r.Original)
}

// Failed reports whether a diagnostic reaches the result's threshold.
func (r *Result) Failed() bool {
	if r.Threshold == 0 {
		return false
	}
	for _, d := range r.Diagnostics {
		if d.Severity >= r.Threshold {
			return true
		}
	}
	return false
}

// sortDiagnostics orders diagnostics by position, then by rule code.
func sortDiagnostics(ds []Diagnostic) {
	slices.SortStableFunc(ds, func(a, b Diagnostic) int {
		return cmp.Or(
			cmp.Compare(a.Range.Start.Offset, b.Range.Start.Offset),
			cmp.Compare(a.Range.End.Offset, b.Range.End.Offset),
			cmp.Compare(a.Rule.Code, b.Rule.Code),
		)
	})
}
