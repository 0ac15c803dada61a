package ast

import (
	"mvdan.cc/sh/v3/syntax"
)

// shellNames are the interpreters whose -c string or heredoc input is parsed
// as a nested script.
var shellNames = map[string]Dialect{
	"sh": DialectPOSIX, "dash": DialectPOSIX, "ash": DialectPOSIX,
	"bash": DialectBash, "zsh": DialectBash, "mksh": DialectMksh, "ksh": DialectMksh,
}

// walker collects the simple commands of a parsed script, in source order,
// with their control-flow context.
type walker struct {
	b      *builder
	src    string
	pieces []piece
	script *Script
	depth  int
	funcs  map[string]bool // functions the script declares so far; nil until one is
}

func (w *walker) stmts(stmts []*syntax.Stmt, ctx Context) {
	for _, st := range stmts {
		w.stmt(st, ctx)
	}
}

func (w *walker) stmt(st *syntax.Stmt, ctx Context) {
	if st == nil {
		return
	}
	if st.Negated {
		ctx.Negated = true
	}
	if st.Background {
		ctx.Background = true
	}
	w.command(st.Cmd, st.Redirs, ctx)
}

// command visits one compound or simple command. It is a flat switch with
// one arm per construct of the shell grammar.
func (w *walker) command(cmd syntax.Command, redirs []*syntax.Redirect, ctx Context) {
	switch c := cmd.(type) {
	case *syntax.CallExpr:
		w.call(c, redirs, ctx)
	case *syntax.BinaryCmd:
		w.binary(c, ctx)
	case *syntax.IfClause:
		cond := ctx
		cond.Condition = true
		w.stmts(c.Cond, cond)
		branch := ctx
		branch.Conditional = true
		w.stmts(c.Then, branch)
		if c.Else != nil {
			w.command(c.Else, nil, branch)
		}
	case *syntax.WhileClause:
		cond := ctx
		cond.Condition = true
		w.stmts(c.Cond, cond)
		body := ctx
		body.Conditional = true
		w.stmts(c.Do, body)
	case *syntax.ForClause:
		if c.Loop != nil {
			w.substitutions(c.Loop, ctx)
		}
		body := ctx
		body.Conditional = true
		w.stmts(c.Do, body)
	case *syntax.Block:
		w.stmts(c.Stmts, ctx)
	case *syntax.Subshell:
		ctx.Subshell = true
		w.stmts(c.Stmts, ctx)
	case *syntax.FuncDecl:
		if c.Name != nil {
			if w.funcs == nil {
				w.funcs = map[string]bool{}
			}
			w.funcs[c.Name.Value] = true
		}
		body := ctx
		body.Conditional = true
		w.stmt(c.Body, body)
	case *syntax.CaseClause:
		if c.Word != nil {
			w.substitutions(c.Word, ctx)
		}
		arm := ctx
		arm.Conditional = true
		for _, item := range c.Items {
			w.stmts(item.Stmts, arm)
		}
	case *syntax.DeclClause:
		w.declaration(c, ctx)
	case *syntax.TimeClause:
		w.stmt(c.Stmt, ctx)
	case *syntax.TestClause, *syntax.ArithmCmd, *syntax.LetClause:
		w.substitutions(c, ctx)
	}
	for _, r := range redirs {
		if r.Word != nil {
			w.substitutions(r.Word, ctx)
		}
	}
}

// binary visits a && b, a || b and pipelines. Only || makes its right side
// conditional: a failed && chain fails the whole RUN.
func (w *walker) binary(c *syntax.BinaryCmd, ctx Context) {
	switch c.Op {
	case syntax.OrStmt:
		left := ctx
		left.Condition = true
		w.stmt(c.X, left)
		right := ctx
		right.Conditional = true
		w.stmt(c.Y, right)
	case syntax.Pipe, syntax.PipeAll:
		parts := pipelineParts(c)
		for i, st := range parts {
			part := ctx
			part.Pipeline = i + 1
			part.PipeLen = len(parts)
			w.stmt(st, part)
		}
	default:
		w.stmt(c.X, ctx)
		w.stmt(c.Y, ctx)
	}
}

// pipelineParts flattens a | b | c, which the parser nests to the left.
func pipelineParts(c *syntax.BinaryCmd) []*syntax.Stmt {
	var parts []*syntax.Stmt
	if inner, ok := c.X.Cmd.(*syntax.BinaryCmd); ok && (inner.Op == syntax.Pipe || inner.Op == syntax.PipeAll) && !c.X.Negated && len(c.X.Redirs) == 0 {
		parts = append(parts, pipelineParts(inner)...)
	} else {
		parts = append(parts, c.X)
	}
	return append(parts, c.Y)
}

// substitutions visits the commands inside $(...), backquotes and <(...)
// of a node, which run in a subshell.
func (w *walker) substitutions(node syntax.Node, ctx Context) {
	if node == nil {
		return
	}
	if word, ok := node.(*syntax.Word); ok && !hasSubstitution(word.Parts) {
		return
	}
	ctx.Subshell = true
	syntax.Walk(node, func(n syntax.Node) bool {
		switch x := n.(type) {
		case *syntax.CmdSubst:
			w.stmts(x.Stmts, ctx)
			return false
		case *syntax.ProcSubst:
			w.stmts(x.Stmts, ctx)
			return false
		}
		return true
	})
}

// hasSubstitution reports whether word parts may hold a command or process
// substitution. Literal text, single quotes and plain $VAR cannot, and
// skipping them saves a tree walk for most words.
func hasSubstitution(parts []syntax.WordPart) bool {
	for _, part := range parts {
		switch p := part.(type) {
		case *syntax.Lit, *syntax.SglQuoted:
		case *syntax.ParamExp:
			if p.Exp != nil || p.Repl != nil || p.Index != nil || p.Slice != nil {
				return true
			}
		case *syntax.DblQuoted:
			if hasSubstitution(p.Parts) {
				return true
			}
		default:
			return true
		}
	}
	return false
}

// assignSubstitutions visits the substitutions of NAME=value or
// NAME=(a b). Its nil checks matter: a nil *syntax.Word in a syntax.Node
// interface is not a nil interface.
func (w *walker) assignSubstitutions(a *syntax.Assign, ctx Context) {
	if a.Value != nil {
		w.substitutions(a.Value, ctx)
	}
	if a.Array != nil {
		w.substitutions(a.Array, ctx)
	}
}

// declaration turns export, local, declare and readonly into a command with
// one operand per assignment.
func (w *walker) declaration(c *syntax.DeclClause, ctx Context) {
	for _, a := range c.Args {
		w.assignSubstitutions(a, ctx)
	}
	name := w.word(&syntax.Word{Parts: []syntax.WordPart{c.Variant}})
	cmd := &Command{Range: w.span(c.Pos(), c.End()), Name: c.Variant.Value, NameWord: name, Context: ctx}
	for _, a := range c.Args {
		if a.Naked && a.Name != nil {
			cmd.Args = append(cmd.Args, w.word(&syntax.Word{Parts: []syntax.WordPart{a.Name}}))
			continue
		}
		cmd.Args = append(cmd.Args, w.rawWord(a.Pos(), a.End()))
	}
	w.resolve(cmd, nil, nil)
}

// call visits a simple command: assignments, then the name and arguments.
func (w *walker) call(c *syntax.CallExpr, redirs []*syntax.Redirect, ctx Context) {
	for _, a := range c.Assigns {
		w.assignSubstitutions(a, ctx)
	}
	for _, arg := range c.Args {
		w.substitutions(arg, ctx)
	}
	if len(c.Args) == 0 {
		w.assignments(c, ctx)
		return
	}

	// One backing array for the words of a command saves an allocation
	// per word on the hot path.
	backing := make([]Word, len(c.Args))
	words := make([]*Word, len(c.Args))
	for i, arg := range c.Args {
		w.fillWord(&backing[i], arg)
		words[i] = &backing[i]
	}
	cmd := &Command{Range: w.span(c.Pos(), c.End()), NameWord: words[0], Args: words[1:], Context: ctx}
	for _, a := range c.Assigns {
		cmd.Assigns = append(cmd.Assigns, w.src[a.Pos().Offset():a.End().Offset()])
	}
	for _, r := range redirs {
		cmd.Redirects = append(cmd.Redirects, w.src[r.Pos().Offset():r.End().Offset()])
	}

	heredoc := heredocInput(redirs)
	w.resolve(cmd, heredoc, nil)
}

// assignments records a statement that only sets variables.
func (w *walker) assignments(c *syntax.CallExpr, ctx Context) {
	for _, a := range c.Assigns {
		if a.Name == nil {
			continue
		}
		as := &Assignment{Range: w.span(a.Pos(), a.End()), Name: a.Name.Value, Context: ctx, Index: len(w.script.Commands)}
		if a.Value != nil {
			as.Value = w.word(a.Value)
		}
		w.script.Assignments = append(w.script.Assignments, as)
	}
}

// resolve binds a command to its schema. A wrapper such as sudo or xargs is
// seen through: the command it runs is resolved in its place, with the
// wrapper's name kept in Wrappers.
func (w *walker) resolve(cmd *Command, heredoc *syntax.Redirect, wrappers []string) {
	cmd.Wrappers = wrappers
	if !cmd.NameWord.Static {
		cmd.Name = cmd.NameWord.Raw
		cmd.Dynamic = true
		w.add(cmd)
		return
	}

	binding := w.bind(cmd)
	exec := binding.Exec
	if exec == nil || exec.Start < 0 || exec.Start >= exec.End || exec.End > len(cmd.Args) {
		w.add(cmd)
		w.nested(cmd, binding, heredoc)
		return
	}

	// A wrapper that is also a command of its own, such as find, stays in
	// the list; pure wrappers such as sudo do not.
	if !pureWrappers[binding.Command] {
		w.add(cmd)
	}

	args := cmd.Args[exec.Start:exec.End]
	inner := &Command{
		Range:     Range{Start: args[0].Start, End: args[len(args)-1].End},
		NameWord:  args[0],
		Args:      args[1:],
		Context:   cmd.Context,
		Assigns:   cmd.Assigns,
		Redirects: cmd.Redirects,
	}
	for _, op := range binding.Operands {
		if op.Role == "assignment" {
			inner.Assigns = append(inner.Assigns, cmd.Args[op.Arg].Value)
		}
	}
	w.resolve(inner, heredoc, append(append([]string(nil), wrappers...), binding.Command))
}

// pureWrappers run another command and do nothing else worth a rule.
var pureWrappers = map[string]bool{
	"sudo": true, "env": true, "nohup": true, "time": true, "timeout": true, "nice": true,
	"exec": true, "command": true, "gosu": true, "su-exec": true, "xargs": true,
}
