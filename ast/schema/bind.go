package schema

import (
	"slices"
	"strings"
)

// Bind reads args, the words after the command name, with the schema of
// name. name is the command word as written: "/usr/bin/apt-get",
// "python3.11", "./configure". A command without a schema is still split:
// words that start with a dash become unknown flags and the rest operands
// without a role.
func Bind(name string, args []Arg) Binding {
	e := resolve(name)
	b := Binding{Command: e.canonical, Known: e.schema != nil, SubcommandArgs: [2]int{-1, -1}}
	b.Flags, b.Operands = makeResults(args)
	if e.schema == nil {
		bindUnknown(&b, args)
		return b
	}

	p := binder{args: args, b: &b}
	p.enter(e.schema, e.canonical, 0)
	p.run()
	return b
}

// makeResults sizes the result slices from the dash words, so most calls
// allocate each slice once. A single-dash word may hold one flag per letter.
func makeResults(args []Arg) ([]Flag, []Operand) {
	dashes, letters := 0, 0
	for _, a := range args {
		v := a.Value
		if len(v) < 2 || v[0] != '-' {
			continue
		}
		dashes++
		if v[1] == '-' {
			letters++
		} else {
			letters += min(len(v)-1, 4)
		}
	}
	var flags []Flag
	var ops []Operand
	if dashes > 0 {
		flags = make([]Flag, 0, letters+1)
	}
	if len(args) > dashes {
		ops = make([]Operand, 0, len(args)-dashes)
	}
	return flags, ops
}

// bindUnknown splits the args of a command without a schema.
func bindUnknown(b *Binding, args []Arg) {
	optionsDone := false
	for i, a := range args {
		v := a.Value
		switch {
		case optionsDone || len(v) < 2 || v[0] != '-':
			b.Operands = append(b.Operands, Operand{Arg: i})
		case v == "--":
			optionsDone = true
		default:
			b.Flags = append(b.Flags, unknownWord(i, v))
		}
	}
}

// unknownWord makes an unknown flag of a whole word, with an inline value
// after "=".
func unknownWord(i int, v string) Flag {
	f := Flag{Arg: i, Len: len(v), Name: v, Spelling: v, Count: 1, ValueArg: -1}
	if eq := strings.IndexByte(v, '='); eq > 0 {
		f.Len, f.Name, f.Spelling = eq, v[:eq], v[:eq]
		f.Value, f.HasValue, f.ValueArg, f.ValueOffset = v[eq+1:], true, i, eq+1
	}
	return f
}

// binder is the state of one Bind call.
type binder struct {
	args        []Arg
	b           *Binding
	s           *schema
	scope       *scope
	pat         *pattern
	i           int  // index of the next arg to read
	optionsDone bool // "--", a stop flag or, in POSIX style, the first operand was seen
	subDone     bool // no further word can be a subcommand
	positional  int  // operands bound to the current pattern, without assignments
	expression  bool // find: the expression has started
}

// enter starts reading args[start:] with schema s.
func (p *binder) enter(s *schema, canonical string, start int) {
	p.s, p.scope, p.pat = s, s.top, s.top.operandPattern()
	p.i, p.optionsDone, p.subDone, p.positional = start, false, !s.top.hasSubs, 0
	p.b.Command, p.b.Known, p.b.Start = canonical, true, start
	p.b.Flags, p.b.Operands = p.b.Flags[:0], p.b.Operands[:0]
}

func (p *binder) run() {
	for p.i < len(p.args) {
		a := p.args[p.i]
		if p.isOption(a) {
			p.option()
			continue
		}
		if p.subcommand(a) {
			p.i++
			continue
		}
		if p.pat.exec && p.startsExec(a) {
			p.addExec(p.i, len(p.args))
			break
		}
		p.operand(a)
		p.i++
	}

	p.pat.assign(p.b.Operands)
	p.collectScripts()
}

// isOption reports whether a word is read as flags.
func (p *binder) isOption(a Arg) bool {
	v := a.Value
	if p.optionsDone || p.s.style&styleNoOptions != 0 || v == "" {
		return false
	}
	st := p.s.style
	switch {
	case v == "-":
		return p.scope.lookupLong(v) != nil
	case v[0] == '-':
		if st&styleEcho != 0 && !p.allShort(v) {
			return false // echo -foo prints -foo
		}
		if st&styleMode != 0 && isSymbolicMode(v) && !p.allShort(v) {
			return false // chmod -x file
		}
		return true
	case v[0] == '+':
		return len(v) > 1 && st&stylePlus != 0
	case p.i == p.b.Start && st&styleOldTar != 0 && a.Static:
		return true
	}
	return false
}

// option reads the flag word at p.i and any value words after it.
func (p *binder) option() {
	v := p.args[p.i].Value
	switch {
	case v == "--":
		p.optionsDone = true
		p.i++
	case v[0] == '+':
		p.cluster(1, '+')
	case strings.HasPrefix(v, "--"):
		p.long()
	case v[0] == '-':
		p.single()
	default:
		p.oldTar()
	}
}

// subcommand binds a at the first operand position when the command has
// subcommands, and reports whether it did.
func (p *binder) subcommand(a Arg) bool {
	if p.subDone {
		return false
	}
	if !a.Static || a.Value == "" {
		p.subDone = true
		return false
	}

	child := p.scope.children[a.Value]
	if child == nil {
		p.subDone = true
		if p.scope != p.s.top {
			return false // the second word is an operand of the first level
		}
		p.b.Subcommand = a.Value
		p.b.SubcommandArgs[0] = p.i
		return true
	}

	level := 0
	if p.scope != p.s.top {
		level = 1
	}
	p.scope = child
	p.pat = child.operandPattern()
	p.positional = 0
	p.subDone = !child.hasSubs
	p.b.Subcommand = child.path
	p.b.SubcommandKnown = true
	p.b.SubcommandArgs[level] = p.i
	return true
}

// startsExec reports whether a is the first word of the command that a
// wrapper runs.
func (p *binder) startsExec(a Arg) bool {
	if p.pat.leadAssign && isAssignment(a) {
		return false
	}
	return p.positional == p.pat.before
}

func (p *binder) addExec(start, end int) {
	p.b.Execs = append(p.b.Execs, Exec{Start: start, End: end})
	p.b.Exec = &p.b.Execs[0]
}

// operand binds a as an operand. Roles that depend on the position in the
// whole word list are set here, and the pattern sets the rest at the end.
func (p *binder) operand(a Arg) {
	op := Operand{Arg: p.i}
	st := p.s.style
	switch {
	case st&styleFind != 0 && (p.expression || isFindOperator(a)):
		p.expression = true
		op.Role = "expression"
	case (st&styleAssignments != 0 || p.pat.leadAssign && p.positional == 0) && isAssignment(a):
		op.Role = "assignment"
	default:
		p.positional++
	}
	p.b.Operands = append(p.b.Operands, op)
	if st&stylePOSIX != 0 {
		p.optionsDone = true
	}
}

// isAssignment reports whether a is a NAME=value word. The value may
// contain expansions (PATH=$PATH:/opt/bin), but the name must be literal.
func isAssignment(a Arg) bool {
	eq := strings.IndexByte(a.Value, '=')
	if eq <= 0 {
		return false
	}
	for i := range eq {
		c := a.Value[i]
		if c != '_' && (c < 'a' || c > 'z') && (c < 'A' || c > 'Z') && (i == 0 || c < '0' || c > '9') {
			return false
		}
	}
	return true
}

// isFindOperator reports whether a is a find operator that is not a flag.
func isFindOperator(a Arg) bool {
	switch a.Value {
	case "(", ")", "!", ",":
		return true
	}
	return false
}

// collectScripts lists the args that hold shell scripts: operands with role
// "script" and values of flags with role "script", in arg order.
func (p *binder) collectScripts() {
	b := p.b
	for _, f := range b.Flags {
		if f.ValueRole == "script" && f.ValueArg >= 0 {
			b.Scripts = append(b.Scripts, f.ValueArg)
		}
	}
	for _, op := range b.Operands {
		if op.Role == "script" {
			b.Scripts = append(b.Scripts, op.Arg)
		}
	}
	slices.Sort(b.Scripts)
}
