package rules

import (
	"strconv"

	"github.com/dockmine/dockmine/ast"
)

// Builtin is a check written in Go, for a rule the pattern language cannot
// state: duplicate stage names, COPY --from an unknown stage, several CMD
// in a stage. A rule names it in its check field. Each built-in lives in
// its own file, builtin_<name>.go, and is listed in [builtins].
type Builtin struct {
	Name string // the value of a rule's check field, kebab-case
	Doc  string // one line: what the check reports
	Fix  bool   // the check suggests edits
	// External checks are run by another package, such as the linter's
	// ignore-pragma check; Compile does not expect them to flag examples.
	External bool
	run      func(c *checkContext, out []Finding) []Finding
}

// builtins lists every built-in check by name. A test checks that each one
// is used by a rule of the default pack and that each rule's check is here.
var builtins = map[string]*Builtin{}

// builtinFixes records which built-ins suggest fixes, for [Rule.Fixable].
var builtinFixes = map[string]bool{}

// register adds a built-in to the list; each builtin_*.go file calls it
// from an init function.
func register(b *Builtin) {
	if _, dup := builtins[b.Name]; dup {
		panic("rules: built-in check " + strconv.Quote(b.Name) + " registered twice")
	}
	builtins[b.Name] = b
	builtinFixes[b.Name] = b.Fix
}

// Builtins returns the names of all built-in checks.
func Builtins() []string {
	out := make([]string, 0, len(builtins))
	for name := range builtins {
		out = append(out, name)
	}
	sortStrings(out)
	return out
}

// checkContext is the input of a built-in check: the file and the rule it
// reports for.
type checkContext struct {
	fx   *fileIndex
	rule *Rule
}

func (c *checkContext) file() *ast.File { return c.fx.file }

// finding makes a finding of the check's rule.
func (c *checkContext) finding(r ast.Range, msg string, fix *Fix) Finding {
	return Finding{Rule: c.rule, Range: r, Message: msg, Fix: fix}
}

// instructions returns the instruction sites of the file in order, with
// ONBUILD seen through.
func (c *checkContext) instructions() []*site {
	var out []*site
	for _, s := range c.fx.sites {
		if s.cmd == nil {
			out = append(out, s)
		}
	}
	return out
}

// stageSites returns the instruction sites of one stage that are not
// wrapped in ONBUILD.
func (c *checkContext) stageSites(stage int) []*site {
	var out []*site
	for _, s := range c.instructions() {
		if s.stage() == stage && s.outer == s.inst && s.inst.Keyword != "FROM" {
			out = append(out, s)
		}
	}
	return out
}
