package rules

import (
	"errors"
	"fmt"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/dockmine/dockmine/ast/schema"
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
	for _, m := range placeholderPattern.FindAllStringSubmatch(r.Message, -1) {
		if !messagePlaceholders[m[1]] {
			bad("message", "unknown placeholder %s in message: use {value} (quoted), {text} or {command}", m[1])
		}
	}
	for _, c := range commandNames(r) {
		name := strings.Fields(c.text)[0]
		if canonical, _ := schema.Resolve(name); name != "*" && canonical != name {
			bad(c.key, "command %q never matches: the parser names it %q, so write %q", name, canonical, canonical)
		}
	}

	if len(r.Examples.Bad) == 0 {
		bad("examples", "missing a bad example: add a Dockerfile the rule flags")
	}
	if len(r.Examples.Good) == 0 && r.Check != parseCheckName {
		bad("examples", "missing a good example: add a Dockerfile the rule passes")
	}
	return errs
}

// placeholderPattern finds the placeholders of a message, as {value}. A
// "${NAME}" is shell text, not a placeholder.
var placeholderPattern = regexp.MustCompile(`(?:^|[^$])(\{[A-Za-z_-]*\})`)

// messagePlaceholders are the placeholders a message may use; see
// [Rule.Message].
var messagePlaceholders = map[string]bool{"{value}": true, "{text}": true, "{command}": true}

// namedCommand is a command name that a rule's pattern gives, with the
// top-level key it sits under.
type namedCommand struct {
	key  string // match, require, exceptions or fix
	text string // "name" or "name subcommand"
	// tested is set when the rule tests the command's subcommand, flags or
	// operands, which only a schema names.
	tested bool
}

// commandNames returns every command name of a rule's pattern and fix.
func commandNames(r *Rule) []namedCommand {
	var out []namedCommand
	add := func(key string, names Strings, tested bool) {
		for _, n := range names {
			out = append(out, namedCommand{key, n, tested || strings.Contains(strings.TrimSpace(n), " ")})
		}
	}
	var clause func(key string, c *Clause)
	clause = func(key string, c *Clause) {
		if c == nil {
			return
		}
		add(key, c.Command, c.Flag != nil || len(c.NoFlag) > 0 || c.Operand != nil)
		for _, alt := range c.Any {
			clause(key, alt)
		}
	}
	if r.Match != nil {
		add("match", r.Match.Command, r.Match.Flag != nil || r.Match.Operand != nil)
		for _, c := range r.Match.When {
			clause("match", c)
		}
	}
	if r.Require != nil {
		clause("require", &r.Require.Clause)
		for _, alt := range r.Require.Alternatives {
			clause("require", alt)
		}
	}
	for _, c := range r.Exceptions {
		clause("exceptions", c)
	}
	if r.Fix != nil {
		add("fix", r.Fix.Of, false)
	}
	// An empty name is reported when the pattern is compiled.
	return slices.DeleteFunc(out, func(c namedCommand) bool { return strings.TrimSpace(c.text) == "" })
}

// unknownCommands returns the commands a rule names that no schema of
// ast/schema describes, once each. With testedOnly it returns only those
// whose subcommand, flags or operands the rule tests.
func unknownCommands(r *Rule, testedOnly bool) []namedCommand {
	var out []namedCommand
	seen := map[string]bool{}
	for _, c := range commandNames(r) {
		name := strings.Fields(c.text)[0]
		if _, known := schema.Resolve(name); known || name == "*" || seen[name] || testedOnly && !c.tested {
			continue
		}
		seen[name] = true
		out = append(out, namedCommand{c.key, name, c.tested})
	}
	return out
}

// CommandWarnings returns a warning for each command that a rule names
// without a schema in ast/schema, such as a misspelled "chmdo", when the
// rule tests its subcommand, flags or operands. Without a schema these
// have no canonical names or roles, so such tests rarely hold. A rule may
// match a command without a schema by its name alone (vim, shutdown), so
// that is no warning, and none of these is an error of [Compile].
func CommandWarnings(list []*Rule) []error {
	var out []error
	for _, r := range list {
		for _, c := range unknownCommands(r, true) {
			out = append(out, r.origin.errorAt(c.key, "%s: no schema describes the command %q, so its flags and operands have no names: check its spelling", r.codeOr(), c.text))
		}
	}
	return out
}

// unknownCommandHint returns a hint for a rule whose bad example is not
// flagged: the commands it names that no schema describes, or "".
func unknownCommandHint(r *Rule) string {
	var names []string
	for _, c := range unknownCommands(r, false) {
		names = append(names, strconv.Quote(c.text))
	}
	if len(names) == 0 {
		return ""
	}
	return fmt.Sprintf(" (no schema describes the command %s: check its spelling)", strings.Join(names, ", "))
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
				at(r.origin.bad, i, "bad example %d is not flagged%s", i+1, unknownCommandHint(r))
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
