package ast

import (
	"encoding/json"
	"strings"

	"github.com/moby/buildkit/frontend/dockerfile/parser"
)

// knownKeywords lists the instructions of the Dockerfile frontend 1.x.
var knownKeywords = map[string]bool{
	"ADD": true, "ARG": true, "CMD": true, "COPY": true, "ENTRYPOINT": true, "ENV": true,
	"EXPOSE": true, "FROM": true, "HEALTHCHECK": true, "LABEL": true, "MAINTAINER": true,
	"ONBUILD": true, "RUN": true, "SHELL": true, "STOPSIGNAL": true, "USER": true,
	"VOLUME": true, "WORKDIR": true,
}

// runsScript lists the instructions whose shell form is a script.
var runsScript = map[string]bool{"RUN": true, "CMD": true, "ENTRYPOINT": true}

// addInstruction converts one top-level BuildKit node.
func (b *builder) addInstruction(node *parser.Node) {
	lt, next := b.joinLines(node.StartLine, node.EndLine)
	if string(lt.text) != node.Original {
		// The join disagrees with BuildKit's (a case this code does not
		// reproduce): keep BuildKit's text and map all of it to the first line.
		lt = logicalText{}
		lt.addSynthetic(node.Original, b.lines.lineStart(node.StartLine))
	}

	inst := &Instruction{Stage: -1, Comments: node.PrevComment, Logical: string(lt.text), pieces: lt.pieces}
	b.fillInstruction(inst, node, 0)

	lastLine := node.EndLine
	if len(node.Heredocs) > 0 {
		inst.Heredocs = b.heredocs(node.Heredocs, next)
		lastLine = inst.Heredocs[len(inst.Heredocs)-1].End.Line
	}
	end := b.lines.lineEnd(lastLine)
	for end > 0 && end <= len(b.src) && (b.src[end-1] == '\n' || b.src[end-1] == '\r') {
		end--
	}
	inst.Range = Range{Start: inst.KeywordRange.Start, End: b.lines.pos(end)}
	if inst.Inner != nil {
		inst.Inner.Heredocs = inst.Heredocs
	}

	b.file.Instructions = append(b.file.Instructions, inst)
}

// fillInstruction reads the keyword, flags and arguments of the instruction
// whose logical text starts at base in inst.Logical.
func (b *builder) fillInstruction(inst *Instruction, node *parser.Node, base int) {
	text := inst.Logical[base:]
	kwStart := skipBlanks(text, 0)
	kwEnd := kwStart
	for kwEnd < len(text) && !isSpace(text[kwEnd]) {
		kwEnd++
	}
	inst.Keyword = strings.ToUpper(node.Value)
	inst.KeywordRange = b.logicalSpan(inst.pieces, base+kwStart, base+kwEnd)
	inst.Unknown = !knownKeywords[inst.Keyword]

	spans, argsStart := scanFlags(text, kwEnd, b.escape)
	for i, word := range node.Flags {
		flag := newInstructionFlag(word)
		if i < len(spans) {
			flag.Range = b.logicalSpan(inst.pieces, base+spans[i][0], base+spans[i][1])
		}
		inst.Flags = append(inst.Flags, flag)
		if inst.Keyword == "RUN" && flag.Name == "mount" {
			inst.Mounts = append(inst.Mounts, newMount(flag))
		}
	}

	inst.JSON = node.Attributes["json"]
	argsStart = skipBlanks(text, argsStart)
	switch {
	case inst.Keyword == "ONBUILD" && node.Next != nil && len(node.Next.Children) > 0:
		inner := &Instruction{Stage: -1, Logical: inst.Logical, pieces: inst.pieces}
		b.fillInstruction(inner, node.Next.Children[0], base+argsStart)
		inner.Range = Range{Start: inner.KeywordRange.Start, End: b.logicalSpan(inst.pieces, 0, len(inst.Logical)).End}
		inst.Inner = inner
	case inst.JSON:
		inst.Args = b.jsonWords(inst.pieces, base+argsStart, text[argsStart:])
	case runsScript[inst.Keyword]:
		// The shell phase reads the text from here; splitting it into
		// words as well would only duplicate the script's commands.
		inst.argsAt = base + argsStart
	default:
		inst.Args = b.shellWords(inst.pieces, base+argsStart, text[argsStart:])
	}

	switch inst.Keyword {
	case "ENV", "LABEL":
		// BuildKit chains each pair as key, value, separator.
		for n := node.Next; n != nil && n.Next != nil; {
			inst.Pairs = append(inst.Pairs, &KeyValue{Key: n.Value, Value: unquote(n.Next.Value), HasValue: true})
			if n.Next.Next == nil {
				break
			}
			n = n.Next.Next.Next
		}
	case "ARG":
		for n := node.Next; n != nil; n = n.Next {
			key, value, ok := strings.Cut(n.Value, "=")
			inst.Pairs = append(inst.Pairs, &KeyValue{Key: key, Value: unquote(value), HasValue: ok})
		}
	}
}

// scanFlags finds the --flag words after the keyword the way BuildKit's
// extractBuilderFlags does, and returns their spans and where the arguments
// begin.
func scanFlags(text string, from int, escape byte) ([][2]int, int) {
	var spans [][2]int
	pos := from
	for {
		pos = skipBlanks(text, pos)
		if pos+1 >= len(text) || text[pos] != '-' || text[pos+1] != '-' {
			return spans, pos
		}

		start := pos
		var quote byte
		for pos < len(text) {
			c := text[pos]
			if quote != 0 {
				if c == quote {
					quote = 0
				} else if c == escape {
					pos++
				}
				pos++
				continue
			}
			if isSpace(c) {
				break
			}
			if c == '\'' || c == '"' {
				quote = c
			} else if c == escape {
				pos++
			}
			pos++
		}
		if pos > len(text) {
			pos = len(text)
		}
		if text[start:pos] == "--" {
			return spans, pos
		}
		spans = append(spans, [2]int{start, pos})
	}
}

func newInstructionFlag(word string) *InstructionFlag {
	body := strings.TrimLeft(word, "-")
	name, value, ok := strings.Cut(body, "=")
	return &InstructionFlag{Name: strings.ToLower(name), Value: value, HasValue: ok}
}

// newMount reads a --mount flag value such as
// "type=cache,target=/var/cache/apt,sharing=locked".
func newMount(flag *InstructionFlag) *Mount {
	m := &Mount{Range: flag.Range, Type: "bind", Opts: map[string]string{}}
	for _, field := range strings.Split(flag.Value, ",") {
		key, value, _ := strings.Cut(strings.TrimSpace(field), "=")
		key = strings.ToLower(key)
		if key == "" {
			continue
		}
		m.Opts[key] = value
		switch key {
		case "type":
			m.Type = strings.ToLower(value)
		case "target", "dst", "destination":
			m.Target = value
		case "source", "src":
			m.Source = value
		case "from":
			m.From = value
		}
	}
	return m
}

// shellWords splits shell-form arguments on blanks, keeping quoted strings
// together, and removes the quotes and escape tokens from each value.
func (b *builder) shellWords(pieces []piece, base int, text string) []*Word {
	var words []*Word
	pos := 0
	for {
		pos = skipBlanks(text, pos)
		if pos >= len(text) {
			return words
		}

		start := pos
		var value strings.Builder
		var quote byte
		for pos < len(text) && (quote != 0 || !isSpace(text[pos])) {
			c := text[pos]
			switch {
			case quote != 0 && c == quote:
				quote = 0
			case quote == 0 && (c == '\'' || c == '"'):
				quote = c
			case c == b.escape && quote != '\'' && pos+1 < len(text):
				pos++
				value.WriteByte(text[pos])
			default:
				value.WriteByte(c)
			}
			pos++
		}

		raw := text[start:pos]
		words = append(words, &Word{
			Range:  b.logicalSpan(pieces, base+start, base+pos),
			Raw:    raw,
			Value:  value.String(),
			Static: !strings.Contains(raw, "$"),
		})
	}
}

// jsonWords reads the strings of an exec-form JSON array with their spans.
func (b *builder) jsonWords(pieces []piece, base int, text string) []*Word {
	dec := json.NewDecoder(strings.NewReader(text))
	if tok, err := dec.Token(); err != nil || tok != json.Delim('[') {
		return nil
	}

	var words []*Word
	for dec.More() {
		from := int(dec.InputOffset())
		tok, err := dec.Token()
		if err != nil {
			return words
		}
		s, ok := tok.(string)
		if !ok {
			return words
		}
		end := int(dec.InputOffset())
		start := from + strings.IndexByte(text[from:end], '"')
		words = append(words, &Word{
			Range:  b.logicalSpan(pieces, base+start, base+end),
			Raw:    text[start:end],
			Value:  s,
			Static: true,
			at:     base + start,
		})
	}
	return words
}

// heredocs locates the bodies of an instruction's heredocs, which follow its
// logical line one after another, starting at line first.
func (b *builder) heredocs(docs []parser.Heredoc, first int) []*Heredoc {
	var out []*Heredoc
	line := first
	for _, doc := range docs {
		bodyStart := b.lines.lineStart(line)
		for ; line <= b.lines.lines(); line++ {
			text := strings.TrimRight(string(b.src[b.lines.lineStart(line):b.lines.lineEnd(line)]), "\r\n")
			if doc.Chomp {
				text = strings.TrimLeft(text, "\t")
			}
			if text == doc.Name {
				break
			}
		}
		bodyEnd := b.lines.lineStart(line)
		endLine := line
		if endLine > b.lines.lines() {
			endLine = b.lines.lines()
		}
		termEnd := b.lines.lineEnd(endLine)
		for termEnd > bodyEnd && (b.src[termEnd-1] == '\n' || b.src[termEnd-1] == '\r') {
			termEnd--
		}

		h := &Heredoc{
			Range:     b.span(bodyStart, termEnd),
			Name:      doc.Name,
			Expand:    doc.Expand,
			Chomp:     doc.Chomp,
			Body:      doc.Content,
			BodyRange: b.span(bodyStart, bodyEnd),
		}
		if rest, ok := strings.CutPrefix(doc.Content, "#!"); ok {
			h.Interpreter = strings.TrimSpace(strings.SplitN(rest, "\n", 2)[0])
		}
		out = append(out, h)
		line++
	}
	return out
}

func skipBlanks(text string, pos int) int {
	for pos < len(text) && isSpace(text[pos]) {
		pos++
	}
	return pos
}

// unquote removes one pair of matching outer quotes.
func unquote(s string) string {
	if len(s) >= 2 && (s[0] == '"' || s[0] == '\'') && s[len(s)-1] == s[0] {
		return s[1 : len(s)-1]
	}
	return s
}
