package ast

import (
	"errors"
	"path"
	"strings"

	"mvdan.cc/sh/v3/syntax"
)

// parseScripts runs the shell phase on an instruction: the shell form of
// RUN, CMD, ENTRYPOINT and HEALTHCHECK CMD, and heredoc bodies that RUN
// executes.
func (b *builder) parseScripts(inst *Instruction) {
	if inst.Inner != nil {
		b.parseScripts(inst.Inner)
		return
	}

	switch inst.Keyword {
	case "RUN", "CMD", "ENTRYPOINT", "HEALTHCHECK":
	default:
		return
	}
	if inst.JSON {
		if inst.Keyword != "HEALTHCHECK" && len(inst.Args) > 0 {
			b.parseExecForm(inst)
		}
		return
	}

	argsAt := inst.argsAt
	if inst.Keyword == "HEALTHCHECK" {
		if len(inst.Args) < 2 || !strings.EqualFold(inst.Args[0].Value, "CMD") {
			return
		}
		argsAt = logicalOffsetOf(inst, inst.Args[1].Start.Offset)
	}
	if strings.TrimSpace(inst.Logical[argsAt:]) == "" {
		return
	}
	dialect := shellDialect(inst.shell)

	if inst.Keyword == "RUN" && len(inst.Heredocs) == 1 && isHeredocWord(strings.TrimSpace(inst.Logical[argsAt:])) {
		b.parseHeredocScript(inst, inst.Heredocs[0], dialect)
		return
	}

	if len(inst.Heredocs) == 0 {
		inst.Script = b.parseShell(inst.Logical[argsAt:], shiftPieces(inst.pieces, argsAt), dialect, 0)
		return
	}

	// The command line, then each heredoc body with its delimiter line, is
	// what BuildKit hands to the shell.
	var lt logicalText
	lt.text = append(lt.text, inst.Logical[argsAt:]...)
	lt.pieces = shiftPieces(inst.pieces, argsAt)
	for _, h := range inst.Heredocs {
		lt.addSynthetic("\n", h.Start.Offset)
		lt.add(b.src, h.Start.Offset, h.End.Offset)
	}
	inst.Script = b.parseShell(string(lt.text), lt.pieces, dialect, 0)
}

// parseExecForm makes a one-command script of an exec-form instruction such
// as RUN ["pip", "install", "flask"], so that rules see its command too. A
// shell named there with -c gets its string parsed as a nested script.
func (b *builder) parseExecForm(inst *Instruction) {
	s := &Script{Dialect: DialectExec, Source: inst.Logical[inst.Args[0].at:]}
	s.Range = Range{Start: inst.Args[0].Start, End: inst.Args[len(inst.Args)-1].End}
	w := &walker{b: b, src: inst.Logical, pieces: inst.pieces, script: s}
	cmd := &Command{Range: s.Range, NameWord: inst.Args[0], Args: inst.Args[1:]}
	w.resolve(cmd, nil, nil)
	inst.Script = s
}

// parseHeredocScript handles RUN <<EOF, where the body is the script. A #!
// line picks the interpreter.
func (b *builder) parseHeredocScript(inst *Instruction, h *Heredoc, dialect Dialect) {
	if h.Interpreter != "" {
		dialect = shellDialect(strings.Fields(h.Interpreter))
	}

	var lt logicalText
	lt.add(b.src, h.BodyRange.Start.Offset, h.BodyRange.End.Offset)
	h.Script = b.parseShell(string(lt.text), lt.pieces, dialect, 0)
	inst.Script = h.Script
}

// logicalOffsetOf finds the logical offset that maps to a file offset.
func logicalOffsetOf(inst *Instruction, fileOffset int) int {
	for _, p := range inst.pieces {
		if !p.synthetic && fileOffset >= p.file && fileOffset < p.file+p.length {
			return p.logical + fileOffset - p.file
		}
	}
	return len(inst.Logical)
}

// shiftPieces returns the pieces of a logical text seen from offset at, so
// that offset 0 of the result is offset at of the original.
func shiftPieces(pieces []piece, at int) []piece {
	var out []piece
	for _, p := range pieces {
		end := p.logical + p.length
		if end <= at {
			continue
		}
		if p.logical < at {
			cut := at - p.logical
			if !p.synthetic {
				p.file += cut
			}
			p.length -= cut
			p.logical = at
		}
		p.logical -= at
		out = append(out, p)
	}
	return out
}

func isHeredocWord(s string) bool {
	if !strings.HasPrefix(s, "<<") {
		return false
	}
	return len(strings.Fields(s)) == 1
}

// shellDialect names the language of a SHELL such as ["/bin/bash", "-c"].
func shellDialect(shell []string) Dialect {
	if len(shell) == 0 {
		return DialectPOSIX
	}
	name := strings.ToLower(path.Base(strings.ReplaceAll(shell[0], `\`, "/")))
	name = strings.TrimSuffix(name, ".exe")
	if name == "env" && len(shell) > 1 {
		return shellDialect(shell[1:])
	}
	if name == "busybox" && len(shell) > 1 {
		name = shell[1]
	}
	switch name {
	case "sh", "dash", "ash":
		return DialectPOSIX
	case "bash", "zsh":
		return DialectBash
	case "mksh", "ksh", "ksh93":
		return DialectMksh
	case "powershell", "pwsh":
		return DialectPowerShell
	case "cmd":
		return DialectCmd
	}
	return DialectOther
}

// parseShell parses one script. Offsets in src map to the file through
// pieces. A POSIX script that fails is tried again as Bash, because many
// Dockerfiles use Bash syntax under /bin/sh and still build on images where
// /bin/sh is Bash.
func (b *builder) parseShell(src string, pieces []piece, dialect Dialect, depth int) *Script {
	s := &Script{Source: src, Dialect: dialect, Depth: depth}
	s.Range = b.logicalSpan(pieces, 0, len(src))

	var lang syntax.LangVariant
	switch dialect {
	case DialectPOSIX:
		lang = syntax.LangPOSIX
	case DialectBash:
		lang = syntax.LangBash
	case DialectMksh:
		lang = syntax.LangMirBSDKorn
	default:
		return s
	}

	file, err := b.shellParser(lang).Parse(strings.NewReader(src), "")
	if err != nil && dialect == DialectPOSIX {
		if bashFile, bashErr := b.shellParser(syntax.LangBash).Parse(strings.NewReader(src), ""); bashErr == nil {
			file, err = bashFile, nil
			s.Dialect = DialectBash
			s.BashOnly = true
		}
	}
	if err != nil {
		s.Err = b.shellError(src, pieces, err)
		return s
	}

	w := &walker{b: b, src: src, pieces: pieces, script: s, depth: depth}
	w.stmts(file.Stmts, Context{Depth: depth})
	return s
}

// shellError converts the shell parser's error to a ParseError at the file
// position.
func (b *builder) shellError(src string, pieces []piece, err error) *ParseError {
	offset := 0
	msg := err.Error()
	var perr syntax.ParseError
	if errors.As(err, &perr) {
		offset = int(perr.Pos.Offset())
		msg = perr.Text
	}
	var lerr syntax.LangError
	if errors.As(err, &lerr) {
		offset = int(lerr.Pos.Offset())
		msg = lerr.Error()
	}
	if offset > len(src) {
		offset = len(src)
	}
	p := b.lines.pos(startOffset(pieces, offset))
	return &ParseError{File: b.file.Name, Pos: p, Msg: "shell: " + msg, Err: err}
}

// shellParser returns the builder's parser for a dialect, made once per file.
func (b *builder) shellParser(lang syntax.LangVariant) *syntax.Parser {
	if b.parsers == nil {
		b.parsers = map[syntax.LangVariant]*syntax.Parser{}
	}
	p, ok := b.parsers[lang]
	if !ok {
		p = syntax.NewParser(syntax.Variant(lang))
		b.parsers[lang] = p
	}
	return p
}
