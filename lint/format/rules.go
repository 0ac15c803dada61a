package format

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/dockmine/dockmine/rules"
)

// Explain writes a rule's documentation for a terminal: its identity, the
// rationale, and the bad and good examples, all from the rule record.
func Explain(w io.Writer, r *rules.Rule) error {
	var sb strings.Builder
	fmt.Fprintf(&sb, "%s %s: %s\n\n", r.Code, r.Name, r.Title)
	fmt.Fprintf(&sb, "severity: %s\n", r.Severity)
	fmt.Fprintf(&sb, "status:   %s", r.Status)
	if !r.Enabled() && r.Status != rules.StatusRetired {
		sb.WriteString(" (off unless enabled with --only)")
	}
	sb.WriteByte('\n')
	if len(r.Aliases) > 0 {
		fmt.Fprintf(&sb, "aliases:  %s\n", strings.Join(r.Aliases, ", "))
	}
	fmt.Fprintf(&sb, "fixable:  %t\n", r.Fixable())
	if r.Added != "" {
		fmt.Fprintf(&sb, "added:    %s\n", r.Added)
	}
	if e := r.Evidence; e != nil {
		fmt.Fprintf(&sb, "evidence: confidence %.2f over %d files in %d repositories\n", e.Confidence, e.Support.Files, e.Support.Repos)
	}

	fmt.Fprintf(&sb, "\n%s\n", strings.TrimSpace(r.Rationale))
	for _, ex := range r.Examples.Bad {
		fmt.Fprintf(&sb, "\nBad:\n%s\n", indent(ex))
	}
	for _, ex := range r.Examples.Good {
		fmt.Fprintf(&sb, "\nGood:\n%s\n", indent(ex))
	}
	_, err := io.WriteString(w, sb.String())
	return err
}

// RuleSummary is one row of the JSON rule list. Its field names are stable.
type RuleSummary struct {
	Code     string   `json:"code"`
	Name     string   `json:"name"`
	Aliases  []string `json:"aliases"`
	Severity string   `json:"severity"`
	Enabled  bool     `json:"enabled"` // runs when nothing is configured
	Fixable  bool     `json:"fixable"`
	Title    string   `json:"title"`
}

// ListRules writes the rules as a table, or as a JSON array of
// [RuleSummary] when asJSON is set.
func ListRules(w io.Writer, list []*rules.Rule, asJSON bool) error {
	if asJSON {
		out := make([]RuleSummary, 0, len(list))
		for _, r := range list {
			out = append(out, RuleSummary{
				Code: r.Code, Name: r.Name, Aliases: aliasesOf(r), Severity: r.Severity.String(),
				Enabled: r.Enabled(), Fixable: r.Fixable(), Title: r.Title,
			})
		}
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(out)
	}

	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "CODE\tNAME\tSEVERITY\tON\tFIX\tALIASES\tTITLE")
	for _, r := range list {
		on, fix := "-", "-"
		if r.Enabled() {
			on = "yes"
		}
		if r.Fixable() {
			fix = "yes"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\n", r.Code, r.Name, r.Severity, on, fix, strings.Join(r.Aliases, ","), r.Title)
	}
	return tw.Flush()
}
