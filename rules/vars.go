package rules

import (
	"strings"

	"github.com/dockmine/dockmine/ast"
)

// declarationCommands are the shell builtins whose NAME=value operands set
// variables, as export GNUPGHOME="$(mktemp -d)" does.
var declarationCommands = map[string]bool{
	"export": true, "local": true, "declare": true, "typeset": true, "readonly": true,
}

// scriptValue returns the value that the script of s last gave a variable
// before the command of s: by an assignment statement (dir=/usr/src/php) or
// a declaration command (export dir=/usr/src/php). found is false when no
// such statement comes before it. A value with expansions is expanded with
// the stage's ARG and ENV; known is false when that is not possible.
//
// NOTE: statements are taken in source order whatever their control flow,
// so an assignment in an if branch counts as if it always ran.
func (fx *fileIndex) scriptValue(name string, s *site) (value string, known, found bool) {
	script := s.inst.Script
	if script == nil || s.cmd == nil {
		return "", false, false
	}

	text, static := "", true
	lastAt := -1 // offset of the statement that set the value
	for _, a := range script.Assignments {
		if a.Name != name || a.Index > s.cmd.Index || a.Start.Offset <= lastAt {
			continue
		}
		lastAt, found = a.Start.Offset, true
		text, static = "", true
		if a.Value != nil {
			text, static = a.Value.Value, a.Value.Static
		}
	}
	for _, c := range script.Commands {
		if c.Index >= s.cmd.Index || !declarationCommands[c.Name] || c.Start.Offset <= lastAt {
			continue
		}
		for _, op := range c.Operands {
			if n, v, ok := strings.Cut(op.Value, "="); ok && n == name {
				lastAt, found = c.Start.Offset, true
				text, static = v, op.Static
			}
		}
	}

	switch {
	case !found:
		return "", false, false
	case static:
		return text, true, true
	}
	value, known = expandWith(text, func(n string) (string, bool) { return fx.stageVariable(n, s) })
	return value, known, true
}

func isName(s string) bool {
	if s == "" || s[0] >= '0' && s[0] <= '9' {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9') {
			return false
		}
	}
	return true
}

// OutputVariable returns NAME when command c is the first command of a
// command substitution whose output a statement of script stores in a
// variable, as NAME="$(mktemp -d)" or export NAME=`mktemp -d` do. It
// returns "" otherwise. The miner and the rule language's same: output
// both bind a command's output this way.
func OutputVariable(script *ast.Script, c *ast.Command) string {
	if script == nil || c == nil || !c.Context.Subshell {
		return ""
	}
	for _, a := range script.Assignments {
		if a.Value != nil && isSubstitution(a.Value.Value) && firstCommandIn(script, a.Value.Range) == c {
			return a.Name
		}
	}
	for _, d := range script.Commands {
		if !declarationCommands[d.Name] || !within(c.Start, d.Range) {
			continue
		}
		for _, op := range d.Operands {
			name, value, ok := strings.Cut(op.Value, "=")
			if ok && isName(name) && isSubstitution(value) && firstCommandIn(script, op.Range) == c {
				return name
			}
		}
	}
	return ""
}

// isSubstitution reports whether an unquoted value is one command
// substitution and nothing else.
func isSubstitution(v string) bool {
	if strings.HasPrefix(v, "$(") && !strings.HasPrefix(v, "$((") {
		return strings.HasSuffix(v, ")")
	}
	return len(v) > 1 && strings.HasPrefix(v, "`") && strings.HasSuffix(v, "`")
}

// firstCommandIn returns the command of script that starts first within r,
// or nil.
func firstCommandIn(script *ast.Script, r ast.Range) *ast.Command {
	var first *ast.Command
	for _, c := range script.Commands {
		if within(c.Start, r) && (first == nil || c.Start.Offset < first.Start.Offset) {
			first = c
		}
	}
	return first
}

func within(p ast.Pos, r ast.Range) bool {
	return p.Offset >= r.Start.Offset && p.Offset < r.End.Offset
}
