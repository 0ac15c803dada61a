package ast

import (
	"strings"

	"github.com/dockmine/dockmine/ast/schema"
	"mvdan.cc/sh/v3/syntax"
)

// bind reads a command's arguments with its schema and fills in the name,
// subcommand, flags and operands.
func (w *walker) bind(cmd *Command) schema.Binding {
	args := make([]schema.Arg, len(cmd.Args))
	for i, a := range cmd.Args {
		args[i] = schema.Arg{Value: a.Value, Static: a.Static}
	}
	binding := schema.Bind(cmd.NameWord.Value, args)

	cmd.Name = binding.Command
	cmd.Subcommand = binding.Subcommand
	cmd.Known = binding.Known || w.funcs[cmd.NameWord.Value]
	flags := make([]Flag, len(binding.Flags))
	cmd.Flags = make([]*Flag, 0, len(binding.Flags))
	for i, f := range binding.Flags {
		if f.Arg < 0 || f.Arg >= len(cmd.Args) {
			continue
		}
		w.fillFlag(&flags[i], cmd.Args, f)
		cmd.Flags = append(cmd.Flags, &flags[i])
	}

	operands := make([]Operand, len(binding.Operands))
	cmd.Operands = make([]*Operand, 0, len(binding.Operands))
	for i, op := range binding.Operands {
		if op.Arg < 0 || op.Arg >= len(cmd.Args) {
			continue
		}
		word := cmd.Args[op.Arg]
		word.Tags = tagWord(word, op.Role)
		operands[i] = Operand{Word: word, Role: op.Role}
		cmd.Operands = append(cmd.Operands, &operands[i])
	}
	return binding
}

// fillFlag converts a schema flag, narrowing its range to the spelling inside the
// word where the word is written without quotes.
func (w *walker) fillFlag(out *Flag, args []*Word, f schema.Flag) {
	word := args[f.Arg]
	*out = Flag{Range: word.Range, Name: f.Name, Spelling: f.Spelling, Count: f.Count, Known: f.Known}
	if word.Raw == word.Value && f.Offset >= 0 && f.Offset+f.Len <= len(word.Value) && word.End.Offset-word.Start.Offset == len(word.Raw) {
		out.Range = subRange(word.Range, f.Offset, f.Offset+f.Len)
	}

	if !f.HasValue || f.ValueArg < 0 || f.ValueArg >= len(args) {
		return
	}
	holder := args[f.ValueArg]
	if f.ValueArg != f.Arg {
		holder.Tags = Tags(holder.Value, !holder.Static, f.ValueRole)
		out.Value = holder
		return
	}
	value := &Word{Range: holder.Range, Raw: f.Value, Value: f.Value, Static: holder.Static}
	if holder.Raw == holder.Value && f.ValueOffset >= 0 && f.ValueOffset <= len(holder.Value) && holder.End.Offset-holder.Start.Offset == len(holder.Raw) {
		value.Range = subRange(holder.Range, f.ValueOffset, len(holder.Value))
		value.Raw = holder.Raw[f.ValueOffset:]
	}
	value.Tags = Tags(value.Value, !value.Static, f.ValueRole)
	out.Value = value
}

// subRange returns the part of a single-line range from byte from to byte to.
func subRange(r Range, from, to int) Range {
	start, end := r.Start, r.Start
	start.Offset += from
	start.Col += from
	end.Offset += to
	end.Col += to
	return Range{Start: start, End: end}
}

// nested parses the scripts a command runs: the string of sh -c, or a
// heredoc fed to a shell.
func (w *walker) nested(cmd *Command, binding schema.Binding, heredoc *syntax.Redirect) {
	dialect, isShell := shellNames[cmd.Name]
	if !isShell {
		dialect = DialectPOSIX
	}

	for _, i := range binding.Scripts {
		if i < 0 || i >= len(cmd.Args) {
			continue
		}
		word := cmd.Args[i]
		src, pieces := w.wordText(word)
		cmd.Nested = append(cmd.Nested, w.child(cmd, src, pieces, dialect))
	}

	if isShell && len(binding.Scripts) == 0 && heredoc != nil && !hasOperand(binding) {
		heredocDelimiter, _ := literalValue(heredoc.Word.Parts)
		at := int(heredoc.Hdoc.Pos().Offset())
		end := int(heredoc.Hdoc.End().Offset())
		if at <= end && end <= len(w.src) {
			body := dropDelimiterLine(w.src[at:end], heredocDelimiter)
			cmd.Nested = append(cmd.Nested, w.child(cmd, body, shiftPieces(w.pieces, at), dialect))
		}
	}
}

// child parses a nested script and adds its commands after the command
// that runs it.
func (w *walker) child(cmd *Command, src string, pieces []piece, dialect Dialect) *Script {
	s := w.b.parseShell(src, pieces, dialect, w.depth+1)
	for _, a := range s.Assignments {
		a.Index = len(w.script.Commands)
		w.script.Assignments = append(w.script.Assignments, a)
	}
	for _, c := range s.Commands {
		c.Context.Conditional = c.Context.Conditional || cmd.Context.Conditional
		c.Context.Subshell = c.Context.Subshell || cmd.Context.Subshell
		w.add(c)
	}
	return s
}

// dropDelimiterLine removes the closing delimiter line that the shell
// parser includes in a heredoc body's span.
func dropDelimiterLine(body, delimiter string) string {
	trimmed := strings.TrimRight(body, "\n")
	i := strings.LastIndexByte(trimmed, '\n')
	if strings.TrimLeft(trimmed[i+1:], "\t") == delimiter {
		return trimmed[:i+1]
	}
	return body
}

func hasOperand(b schema.Binding) bool {
	return len(b.Operands) > 0
}

// wordText returns the text of a word that holds a script and the map of
// that text to the file. Quotes and backslash escapes are removed with the
// map kept exact; for a word of several quoted parts every offset maps to
// the word's start.
func (w *walker) wordText(word *Word) (string, []piece) {
	raw := word.Raw
	switch {
	case raw == word.Value:
		return word.Value, shiftPieces(w.pieces, word.at)
	case len(raw) >= 2 && raw[0] == '\'' && raw[len(raw)-1] == '\'' && !strings.Contains(raw[1:len(raw)-1], "'"):
		return raw[1 : len(raw)-1], shiftPieces(w.pieces, word.at+1)
	case len(raw) >= 2 && raw[0] == '"' && raw[len(raw)-1] == '"' && closesOnlyAtEnd(raw):
		return w.doubleQuotedText(raw, word.at)
	}
	return word.Value, []piece{{logical: 0, file: word.Start.Offset, length: len(word.Value), synthetic: true}}
}

// closesOnlyAtEnd reports whether the double-quoted raw word has no
// unescaped quote before its last byte, so that it is one quoted part.
func closesOnlyAtEnd(raw string) bool {
	for i := 1; i < len(raw)-1; i++ {
		switch raw[i] {
		case '\\':
			i++
		case '"':
			return false
		}
	}
	return true
}

// doubleQuotedText removes the quotes and the backslashes that escape $, `,
// ", \ and newline inside double quotes, and maps each kept run of bytes
// back to the file through the walker's pieces.
func (w *walker) doubleQuotedText(raw string, at int) (string, []piece) {
	var text []byte
	var out []piece
	inner := raw[1 : len(raw)-1]
	runStart := 0 // start in inner of the run being copied
	flush := func(end int) {
		if end <= runStart {
			return
		}
		for _, p := range shiftPieces(w.pieces, at+1+runStart) {
			if p.logical >= end-runStart {
				break
			}
			if p.logical+p.length > end-runStart {
				p.length = end - runStart - p.logical
			}
			p.logical += len(text)
			out = append(out, p)
		}
		text = append(text, inner[runStart:end]...)
	}
	for i := 0; i < len(inner); i++ {
		if inner[i] != '\\' || i+1 >= len(inner) || strings.IndexByte("$`\"\\\n", inner[i+1]) < 0 {
			continue
		}
		flush(i)
		if inner[i+1] == '\n' {
			runStart = i + 2
		} else {
			runStart = i + 1
		}
		i++
	}
	flush(len(inner))
	return string(text), out
}

// add appends a command to the outermost script's list.
func (w *walker) add(cmd *Command) {
	cmd.Index = len(w.script.Commands)
	w.script.Commands = append(w.script.Commands, cmd)
}

// span returns the file range of a span of the walker's source.
func (w *walker) span(start, end syntax.Pos) Range {
	return w.b.logicalSpan(w.pieces, int(start.Offset()), int(end.Offset()))
}

// word converts a shell word. Value is the word after quote removal when it
// has no expansion; otherwise it is the source text.
func (w *walker) word(sw *syntax.Word) *Word {
	word := &Word{}
	w.fillWord(word, sw)
	return word
}

func (w *walker) fillWord(word *Word, sw *syntax.Word) {
	start, end := int(sw.Pos().Offset()), int(sw.End().Offset())
	raw := w.src[start:end]
	value, static := literalValue(sw.Parts)
	if !static {
		value = w.unquotedValue(sw.Parts)
	}
	*word = Word{Range: w.span(sw.Pos(), sw.End()), Raw: raw, Value: value, Static: static, at: start}
}

// rawWord makes a word of a span of source that is not one shell word, such
// as the NAME=value of export.
func (w *walker) rawWord(start, end syntax.Pos) *Word {
	raw := w.src[start.Offset():end.Offset()]
	return &Word{Range: w.span(start, end), Raw: raw, Value: raw, Static: !strings.ContainsAny(raw, "$`"), at: int(start.Offset())}
}

// unquotedValue renders word parts with quotes removed and expansions kept
// as written: "https://example.org/v$VERSION.tgz" becomes
// https://example.org/v$VERSION.tgz, so tags still see the URL.
func (w *walker) unquotedValue(parts []syntax.WordPart) string {
	var sb strings.Builder
	for _, part := range parts {
		switch p := part.(type) {
		case *syntax.Lit:
			sb.WriteString(unescapeUnquoted(p.Value))
		case *syntax.SglQuoted:
			sb.WriteString(p.Value)
		case *syntax.DblQuoted:
			for _, inner := range p.Parts {
				if lit, ok := inner.(*syntax.Lit); ok {
					sb.WriteString(unescapeDoubleQuoted(lit.Value))
					continue
				}
				sb.WriteString(w.src[inner.Pos().Offset():inner.End().Offset()])
			}
		default:
			sb.WriteString(w.src[part.Pos().Offset():part.End().Offset()])
		}
	}
	return sb.String()
}

// heredocInput returns the << redirect that feeds a command, if any.
func heredocInput(redirs []*syntax.Redirect) *syntax.Redirect {
	for _, r := range redirs {
		if (r.Op == syntax.Hdoc || r.Op == syntax.DashHdoc) && r.Hdoc != nil && r.Word != nil {
			return r
		}
	}
	return nil
}

// literalValue evaluates word parts that contain no expansion. Globs stay as
// written and count as static: the shell expands them, but their text is
// what a rule reads.
func literalValue(parts []syntax.WordPart) (string, bool) {
	if len(parts) == 1 {
		if lit, ok := parts[0].(*syntax.Lit); ok {
			return unescapeUnquoted(lit.Value), true
		}
	}
	var sb strings.Builder
	for _, part := range parts {
		switch p := part.(type) {
		case *syntax.Lit:
			sb.WriteString(unescapeUnquoted(p.Value))
		case *syntax.SglQuoted:
			sb.WriteString(p.Value)
		case *syntax.DblQuoted:
			inner, ok := doubleQuotedValue(p.Parts)
			if !ok {
				return "", false
			}
			sb.WriteString(inner)
		default:
			return "", false
		}
	}
	return sb.String(), true
}

func doubleQuotedValue(parts []syntax.WordPart) (string, bool) {
	var sb strings.Builder
	for _, part := range parts {
		lit, ok := part.(*syntax.Lit)
		if !ok {
			return "", false
		}
		sb.WriteString(unescapeDoubleQuoted(lit.Value))
	}
	return sb.String(), true
}

// unescapeUnquoted removes backslashes the way the shell does outside quotes.
func unescapeUnquoted(s string) string {
	if !strings.Contains(s, `\`) {
		return s
	}
	var sb strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' && i+1 < len(s) {
			i++
			if s[i] == '\n' {
				continue
			}
		}
		sb.WriteByte(s[i])
	}
	return sb.String()
}

// unescapeDoubleQuoted removes the backslashes that escape $, `, ", \ and a
// newline inside double quotes; others stay.
func unescapeDoubleQuoted(s string) string {
	if !strings.Contains(s, `\`) {
		return s
	}
	var sb strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' && i+1 < len(s) && strings.IndexByte("$`\"\\\n", s[i+1]) >= 0 {
			i++
			if s[i] == '\n' {
				continue
			}
		}
		sb.WriteByte(s[i])
	}
	return sb.String()
}
