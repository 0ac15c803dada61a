package mining

import (
	"slices"
	"strings"

	"github.com/dockmine/dockmine/ast"
)

// declarationCommands are the shell builtins whose NAME=value operands set
// variables, as export GNUPGHOME="$(mktemp -d)" does.
var declarationCommands = map[string]bool{
	"export": true, "local": true, "declare": true, "typeset": true, "readonly": true,
}

// scriptVars tracks the variables a script sets while its commands are
// read in order: by assignment statements (dir=/usr/src/php) and by
// declaration commands (export NAME=value). A value that is not known
// statically is kept as its own reference, "$NAME", so that it hides an ENV
// or ARG of the same name without being taken for a path.
type scriptVars struct {
	st          *stageState
	assignments []*ast.Assignment // sorted by Index
	next        int               // the first assignment not applied yet
	values      map[string]string
}

func newScriptVars(script *ast.Script, st *stageState) *scriptVars {
	sv := &scriptVars{st: st}
	if len(script.Assignments) > 0 {
		sv.assignments = slices.Clone(script.Assignments)
		slices.SortStableFunc(sv.assignments, func(a, b *ast.Assignment) int { return a.Index - b.Index })
	}
	return sv
}

// before applies the assignment statements that come before command i.
func (sv *scriptVars) before(i int) {
	for ; sv.next < len(sv.assignments) && sv.assignments[sv.next].Index <= i; sv.next++ {
		a := sv.assignments[sv.next]
		value := ""
		if a.Value != nil {
			value = sv.wordText(a.Value)
		}
		sv.set(a.Name, value)
	}
}

// after applies the NAME=value operands of a declaration command.
func (sv *scriptVars) after(c *ast.Command) {
	if !declarationCommands[c.Name] {
		return
	}
	for _, op := range c.Operands {
		name, value, ok := strings.Cut(op.Value, "=")
		if !ok || !allNameBytes(name) {
			continue
		}
		if !op.Static {
			value = sv.expand(value)
		}
		sv.set(name, value)
	}
}

func (sv *scriptVars) set(name, value string) {
	if sv.values == nil {
		sv.values = map[string]string{}
	}
	if strings.ContainsAny(value, "$`") {
		value = "$" + name
	}
	sv.values[name] = value
}

// wordText returns a word's value with the variables known so far
// substituted.
func (sv *scriptVars) wordText(w *ast.Word) string {
	if w.Static {
		return w.Value
	}
	return sv.expand(w.Value)
}

// expand substitutes the variables whose values are known: set earlier in
// the script, or by ENV and ARG. Other expansions stay as written.
func (sv *scriptVars) expand(v string) string {
	return sv.st.expandKnown(v, sv.values)
}

// resolve returns a word's value with known variables substituted, and its
// tags. The tags are the tree's, unless a substitution left a value without
// expansions: then they are computed for that value, so that "$SRC" with
// SRC=/usr/src/php is tagged dir:usr-src.
func (sv *scriptVars) resolve(w *ast.Word, role string) (string, []ast.Tag) {
	if w.Static || !strings.Contains(w.Value, "$") {
		return w.Value, w.Tags
	}
	v := sv.expand(w.Value)
	if v == w.Value || strings.ContainsAny(v, "$`") {
		return w.Value, w.Tags
	}
	return v, ast.Tags(v, false, role)
}
