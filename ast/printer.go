package ast

import (
	"fmt"
	"io"
	"strings"
)

// Fprint writes an indented, readable form of the tree: one line per
// instruction, script, command, flag and operand, each with its line:col
// range. The form is stable, so tests compare it with golden files.
func Fprint(w io.Writer, f *File) error {
	p := &printer{w: w}
	p.line(0, "file %s escape=%q", f.Name, f.EscapeToken)
	for _, d := range f.Directives {
		p.line(1, "directive %s %s=%q", rangeString(d.Range), d.Name, d.Value)
	}
	for _, s := range f.Stages {
		p.line(1, "stage %d name=%q image=%q resolved=%q registry=%q repository=%q tag=%q digest=%q base=%d final=%t copied=%t reaches-final=%t needed=%t windows=%t shell=%q",
			s.Index, s.Name, s.Image.Raw, s.Image.Resolved, s.Image.Registry, s.Image.Repository, s.Image.Tag, s.Image.Digest,
			s.BaseStage, s.Final, s.CopiedFrom, s.ReachesFinal, s.NeededByFinal, s.Windows, s.Shell)
	}
	for _, inst := range f.Instructions {
		p.instruction(1, inst)
	}
	return p.err
}

type printer struct {
	w   io.Writer
	err error
}

func (p *printer) line(depth int, format string, args ...any) {
	if p.err != nil {
		return
	}
	_, p.err = fmt.Fprintf(p.w, "%s%s\n", strings.Repeat("  ", depth), fmt.Sprintf(format, args...))
}

func (p *printer) instruction(depth int, inst *Instruction) {
	form := "shell"
	if inst.JSON {
		form = "json"
	}
	p.line(depth, "%s %s stage=%d form=%s", inst.Keyword, rangeString(inst.Range), inst.Stage, form)
	for _, f := range inst.Flags {
		p.line(depth+1, "flag %s --%s=%q", rangeString(f.Range), f.Name, f.Value)
	}
	for _, m := range inst.Mounts {
		p.line(depth+1, "mount type=%s target=%q from=%q", m.Type, m.Target, m.From)
	}
	for _, a := range inst.Args {
		p.line(depth+1, "arg %s %q", rangeString(a.Range), a.Value)
	}
	for _, kv := range inst.Pairs {
		p.line(depth+1, "pair %s=%q", kv.Key, kv.Value)
	}
	for _, h := range inst.Heredocs {
		p.line(depth+1, "heredoc %s name=%q expand=%t chomp=%t interpreter=%q", rangeString(h.BodyRange), h.Name, h.Expand, h.Chomp, h.Interpreter)
	}
	if inst.Inner != nil {
		p.instruction(depth+1, inst.Inner)
	}
	if inst.Script != nil {
		p.script(depth+1, inst.Script)
	}
}

func (p *printer) script(depth int, s *Script) {
	p.line(depth, "script %s dialect=%s bash-only=%t", rangeString(s.Range), s.Dialect, s.BashOnly)
	if s.Err != nil {
		p.line(depth+1, "error %d:%d %s", s.Err.Pos.Line, s.Err.Pos.Col, s.Err.Msg)
	}
	for _, c := range s.Commands {
		p.command(depth+1, c)
	}
	for _, a := range s.Assignments {
		value := ""
		if a.Value != nil {
			value = a.Value.Value
		}
		p.line(depth+1, "assignment %s %s=%q before-command=%d", rangeString(a.Range), a.Name, value, a.Index)
	}
}

func (p *printer) command(depth int, c *Command) {
	var marks []string
	if !c.Known {
		marks = append(marks, "unknown")
	}
	if c.Dynamic {
		marks = append(marks, "dynamic")
	}
	if len(c.Wrappers) > 0 {
		marks = append(marks, "via="+strings.Join(c.Wrappers, ","))
	}
	ctx := c.Context
	for _, m := range []struct {
		on   bool
		name string
	}{{ctx.Conditional, "conditional"}, {ctx.Condition, "condition"}, {ctx.Negated, "negated"},
		{ctx.Subshell, "subshell"}, {ctx.Background, "background"}} {
		if m.on {
			marks = append(marks, m.name)
		}
	}
	if ctx.PipeLen > 0 {
		marks = append(marks, fmt.Sprintf("pipe=%d/%d", ctx.Pipeline, ctx.PipeLen))
	}
	if ctx.Depth > 0 {
		marks = append(marks, fmt.Sprintf("depth=%d", ctx.Depth))
	}

	p.line(depth, "command %s %q sub=%q %s", rangeString(c.Range), c.Name, c.Subcommand, strings.Join(marks, " "))
	for _, f := range c.Flags {
		value := ""
		if f.Value != nil {
			value = fmt.Sprintf(" value=%q tags=%v", f.Value.Value, f.Value.Tags)
		}
		p.line(depth+1, "flag %s %s spelled=%q%s known=%t", rangeString(f.Range), f.Name, f.Spelling, value, f.Known)
	}
	for _, op := range c.Operands {
		p.line(depth+1, "operand %s %q role=%s tags=%v", rangeString(op.Range), op.Value, op.Role, op.Tags)
	}
}

func rangeString(r Range) string {
	return fmt.Sprintf("%d:%d-%d:%d", r.Start.Line, r.Start.Col, r.End.Line, r.End.Col)
}
