package rules

import (
	"errors"
	"fmt"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Compile validates rules and builds a pack from them. Every rule needs a
// valid code and name, a one-line title, a severity, a rationale, a pattern
// or a known built-in check, and at least one bad and one good example.
// Compile then runs each rule alone on its examples: it must flag every bad
// one, stay silent on every good one, and where it offers fixes, the fixed
// file must not trigger it again. Errors name the rule file and line; all
// of them are returned at once.
func Compile(rules []*Rule) (*Pack, error) {
	var errs []error
	for _, r := range rules {
		errs = append(errs, validate(r)...)
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}

	p, err := newPack(rules)
	if err != nil {
		return nil, err
	}
	for _, cr := range p.compiled {
		errs = append(errs, p.checkExamples(cr)...)
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	return p, nil
}

// validate checks the fields of one rule that need no compilation.
func validate(r *Rule) []error {
	var errs []error
	bad := func(key, format string, args ...any) {
		errs = append(errs, r.origin.errorAt(key, "%s: %s", r.codeOr(), fmt.Sprintf(format, args...)))
	}

	if !codePattern.MatchString(r.Code) {
		bad("code", "invalid code %q: write DM and four digits, the first the family", r.Code)
	}
	if !namePattern.MatchString(r.Name) {
		bad("name", "invalid name %q: use lower-case words joined by hyphens", r.Name)
	}
	if msg := titleProblem(r.Title); msg != "" {
		bad("title", "%s", msg)
	}
	if r.Severity < SeverityStyle || r.Severity > SeverityError {
		bad("severity", "missing severity: use error, warning, info or style")
	}
	switch r.Status {
	case StatusProposed, StatusApproved, StatusDeprecated, StatusRetired:
	default:
		bad("status", "invalid status %q: use proposed, approved, deprecated or retired", r.Status)
	}
	if strings.TrimSpace(r.Rationale) == "" {
		bad("rationale", "missing rationale: say why the rule matters and when it does not apply")
	}
	if !validScope(r.Scope) {
		bad("scope", "invalid scope %q: use script, stage, stage-chain or file", r.Scope)
	}

	switch {
	case r.Check != "" && (r.Match != nil || r.Require != nil || len(r.Exceptions) > 0):
		bad("check", "a rule with a built-in check has no match, require or exceptions")
	case r.Check != "":
		if builtins[r.Check] == nil {
			bad("check", "unknown built-in check %q: use one of %s", r.Check, strings.Join(Builtins(), ", "))
		}
	case r.Match == nil:
		bad("match", "missing match: give a pattern or name a built-in check")
	case strings.TrimSpace(r.Message) == "":
		bad("message", "missing message: say what is wrong and what to do instead")
	}
	if r.Fix != nil && r.Check != "" {
		bad("fix", "a built-in check makes its own fixes: remove fix")
	}

	if len(r.Examples.Bad) == 0 {
		bad("examples", "missing a bad example: add a Dockerfile the rule flags")
	}
	if len(r.Examples.Good) == 0 && r.Check != parseCheckName {
		bad("examples", "missing a good example: add a Dockerfile the rule passes")
	}
	return errs
}

// titleProblem returns what is wrong with a title, or "".
func titleProblem(title string) string {
	switch {
	case strings.TrimSpace(title) == "":
		return "missing title"
	case strings.Contains(title, "\n"):
		return "title spans several lines: keep it to one"
	case strings.HasSuffix(title, "."):
		return "title ends with a period: remove it"
	}
	first, size := utf8.DecodeRuneInString(title)
	second, _ := utf8.DecodeRuneInString(title[size:])
	if unicode.IsUpper(first) && unicode.IsLower(second) {
		return fmt.Sprintf("title %q starts with a capital: write it in lower case", title)
	}
	return ""
}

func (r *Rule) codeOr() string {
	if r.Code == "" {
		return "rule"
	}
	return r.Code
}

// compileRule compiles a rule's pattern or finds its built-in.
func compileRule(r *Rule) (*compiledRule, error) {
	cr := &compiledRule{rule: r, scope: r.Scope}
	if r.Check != "" {
		cr.builtin = builtins[r.Check]
		if cr.builtin == nil {
			return nil, r.origin.errorAt("check", "%s: unknown built-in check %q", r.codeOr(), r.Check)
		}
		return cr, nil
	}
	if r.Match == nil {
		return nil, r.origin.errorAt("match", "%s: missing match", r.codeOr())
	}

	pc := &patternCompiler{}
	cr.match = pc.match(r.Match)
	if cr.scope == "" {
		cr.scope = ScopeScript
		if len(r.Match.Instruction) > 0 {
			cr.scope = ScopeStage
		}
	}
	if r.Require != nil {
		cr.require = append(cr.require, pc.clause("require", &r.Require.Clause))
		for _, alt := range r.Require.Alternatives {
			cr.require = append(cr.require, pc.clause("require", alt))
		}
	}
	for _, c := range r.Exceptions {
		cr.exceptions = append(cr.exceptions, pc.clause("exceptions", c))
	}
	cr.fix = pc.fix(r.Fix, r.Match)
	if pc.err != nil {
		return nil, r.origin.errorAt(pc.key, "%s: %v", r.codeOr(), pc.err)
	}
	return cr, nil
}

// checkExamples runs a rule alone on its examples.
func (p *Pack) checkExamples(cr *compiledRule) []error {
	r := cr.rule
	if r.Status == StatusRetired {
		return nil
	}
	only := p.Subset(func(x *Rule) bool { return x == r })
	all := func(*Rule) bool { return true }
	var errs []error
	at := func(positions [][2]int, i int, format string, args ...any) {
		e := r.origin.errorAt("examples", "%s: %s", r.Code, fmt.Sprintf(format, args...))
		if i < len(positions) {
			e.Line, e.Col = positions[i][0], positions[i][1]
		}
		errs = append(errs, e)
	}

	for i, src := range r.Examples.Bad {
		name := fmt.Sprintf("%s bad example %d", r.Code, i+1)
		findings, err := only.lint(name, []byte(src), all)
		if err != nil {
			at(r.origin.bad, i, "bad example %d does not parse: %v", i+1, err)
			continue
		}
		if len(findings) == 0 {
			if cr.builtin == nil || !cr.builtin.External {
				at(r.origin.bad, i, "bad example %d is not flagged", i+1)
			}
			continue
		}
		if msg := checkFixed(only, name, []byte(src), findings); msg != "" {
			at(r.origin.bad, i, "bad example %d: %s", i+1, msg)
		}
	}
	for i, src := range r.Examples.Good {
		name := fmt.Sprintf("%s good example %d", r.Code, i+1)
		findings, err := only.lint(name, []byte(src), all)
		if err != nil {
			at(r.origin.good, i, "good example %d does not parse: %v", i+1, err)
			continue
		}
		if len(findings) > 0 {
			f := findings[0]
			at(r.origin.good, i, "good example %d is flagged at %d:%d: %s", i+1, f.Range.Start.Line, f.Range.Start.Col, f.Message)
		}
	}
	return errs
}

// checkFixed applies the fixes of findings and checks that the rule does
// not fire again where it offered a fix for every finding. It returns a
// description of the problem, or "".
func checkFixed(only *Pack, name string, src []byte, findings []Finding) string {
	for _, f := range findings {
		if f.Fix == nil {
			return ""
		}
	}
	fixed, err := ApplyFixes(src, findings)
	if err != nil {
		return err.Error()
	}
	again, err := only.lint(name, fixed, func(*Rule) bool { return true })
	if err != nil {
		return fmt.Sprintf("the fixed file does not parse: %v", err)
	}
	if len(again) > 0 {
		return fmt.Sprintf("the fixed file is flagged again at %d:%d:\n%s", again[0].Range.Start.Line, again[0].Range.Start.Col, fixed)
	}
	return ""
}

func sortStrings(s []string) { sort.Strings(s) }
