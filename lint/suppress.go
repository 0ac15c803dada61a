package lint

import (
	"fmt"
	"slices"
	"strings"

	"github.com/dockmine/dockmine/rules"
)

// PragmaCheck is the built-in check name of the meta rule that reports
// ignore pragmas without a reason, pragmas that suppress nothing and
// malformed dockmine pragmas. The rules package only declares it, and the
// linter produces its findings, because rules cannot tell which findings a
// pragma suppressed.
const PragmaCheck = "ignore-pragma"

// resolvePragmas looks up the rules each pragma names.
func resolvePragmas(pragmas []*Pragma, pol *Policy) {
	for _, p := range pragmas {
		p.Rules = p.Rules[:0]
		for _, code := range p.Codes {
			if r := pol.Lookup(code); r != nil {
				p.Rules = append(p.Rules, r)
			}
		}
	}
}

// suppressed reports whether a pragma covers a finding, and marks the
// pragma used.
func suppressed(pragmas []*Pragma, fd *rules.Finding) bool {
	hit := false
	for _, p := range pragmas {
		if !p.Covers(fd.Range.Start.Offset) {
			continue
		}
		if slices.Contains(p.Rules, fd.Rule) || p.SkipAll && hasBuildKitAlias(fd.Rule) {
			p.used = true
			hit = true
		}
	}
	return hit
}

// buildKitErrorLevel reports whether the file's check directive sets
// error=true.
func buildKitErrorLevel(pragmas []*Pragma) bool {
	return slices.ContainsFunc(pragmas, func(p *Pragma) bool { return p.ErrorLevel })
}

// pragmaDiagnostics reports the pragmas that the meta rule objects to:
// malformed dockmine pragmas, dockmine pragmas naming no known rule or
// giving no reason, and pragmas that suppressed nothing. A pragma is
// judged unused only when every rule it names ran, so that --only and
// ignored rules do not make pragmas look stale. hadolint pragmas are not
// checked for unknown codes or a reason: they may name checks dockmine
// lacks, such as ShellCheck's, and their syntax has no reason.
// Nothing is reported unless the policy runs a rule with the
// [PragmaCheck] check.
func pragmaDiagnostics(name string, pragmas []*Pragma, pol *Policy) []Diagnostic {
	rule := pol.pragma
	if rule == nil {
		return nil
	}

	var out []Diagnostic
	report := func(p *Pragma, msg string) {
		out = append(out, Diagnostic{Rule: rule, Severity: pol.Severity(rule), File: name, Range: p.Range, Message: msg})
	}
	for _, p := range pragmas {
		if p.Tool == "buildkit" {
			continue // a check directive has no reason syntax, and BuildKit judges it
		}
		codes := strings.Join(p.Codes, ", ")
		switch {
		case p.Err != "":
			report(p, "malformed ignore pragma: "+p.Err)
		case p.Tool == "dockmine" && len(p.Rules) < len(p.Codes):
			report(p, fmt.Sprintf("ignore pragma for %s names a rule that does not exist: use codes from dockmine lint --list-rules", codes))
		case !p.used && len(p.Rules) > 0 && allSelected(p.Rules, pol):
			report(p, fmt.Sprintf("ignore pragma for %s suppresses nothing: remove it", codes))
		case p.Tool == "dockmine" && strings.TrimSpace(p.Reason) == "":
			report(p, fmt.Sprintf("ignore pragma for %s gives no reason: add one after a second #", codes))
		}
	}
	return out
}

func allSelected(list []*rules.Rule, pol *Policy) bool {
	for _, r := range list {
		if !pol.selected[r] {
			return false
		}
	}
	return true
}
