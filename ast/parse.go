package ast

import (
	"bytes"
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/moby/buildkit/frontend/dockerfile/parser"
)

// DefaultMaxSize is the largest input that [Parse] accepts unless
// [MaxSize] sets another limit: 16 MiB, far above any real Dockerfile.
const DefaultMaxSize = 16 << 20

// Option configures [Parse].
type Option func(*config)

type config struct {
	maxSize int
}

// MaxSize sets the largest input, in bytes, that Parse accepts. Larger input
// fails with [ErrTooLarge]. It panics on a size below 1.
func MaxSize(n int) Option {
	if n < 1 {
		panic(fmt.Sprintf("ast.MaxSize: size must be positive, got %d", n))
	}
	return func(c *config) { c.maxSize = n }
}

// Parse builds the abstracted tree of one Dockerfile in four phases:
// instructions with BuildKit's parser, stages, the shell inside RUN and
// similar instructions, then the arguments of each command by its schema.
//
// name is used in positions and errors only. A file BuildKit rejects returns
// a *ParseError; a script the shell parser rejects does not fail the file,
// but its Script.Err is set.
func Parse(name string, src []byte, opts ...Option) (*File, error) {
	cfg := config{maxSize: DefaultMaxSize}
	for _, opt := range opts {
		opt(&cfg)
	}

	if err := checkInput(name, src, cfg.maxSize); err != nil {
		return nil, err
	}

	res, err := parser.Parse(bytes.NewReader(src))
	if err != nil {
		return nil, buildkitError(name, src, err)
	}

	f := &File{Name: name, EscapeToken: string(res.EscapeToken), src: src}
	b := &builder{file: f, src: src, lines: newLineIndex(src), escape: byte(res.EscapeToken)}
	b.readDirectives()
	for _, node := range res.AST.Children {
		b.addInstruction(node)
	}
	for _, w := range res.Warnings {
		b.addWarning(w)
	}
	b.readComments()

	buildStages(f)
	for _, inst := range f.Instructions {
		b.parseScripts(inst)
	}
	return f, nil
}

// checkInput rejects input that is not a Dockerfile before BuildKit parses it.
func checkInput(name string, src []byte, maxSize int) error {
	if len(src) > maxSize {
		return fmt.Errorf("%s: %w: %d bytes, limit %d", name, ErrTooLarge, len(src), maxSize)
	}

	if i := bytes.IndexByte(src, 0); i >= 0 {
		p := newLineIndex(src).pos(i)
		return &ParseError{File: name, Pos: p, Msg: ErrBinary.Error(), Err: ErrBinary}
	}

	if !utf8.Valid(src) {
		i := firstInvalidUTF8(src)
		p := newLineIndex(src).pos(i)
		return &ParseError{File: name, Pos: p, Msg: fmt.Sprintf("invalid UTF-8 byte 0x%02x", src[i])}
	}
	return nil
}

func firstInvalidUTF8(src []byte) int {
	for i := 0; i < len(src); {
		r, size := utf8.DecodeRune(src[i:])
		if r == utf8.RuneError && size <= 1 {
			return i
		}
		i += size
	}
	return 0
}

// buildkitError turns BuildKit's error, with its line range, into a
// ParseError.
func buildkitError(name string, src []byte, err error) error {
	lines := newLineIndex(src)
	p := lines.pos(0)

	var located *parser.LocationError
	if errors.As(err, &located) && len(located.Locations) > 0 && len(located.Locations[0]) > 0 {
		line := located.Locations[0][0].Start.Line
		if line < 1 {
			line = 1
		}
		if line > lines.lines() {
			line = lines.lines()
		}
		p = lines.pos(lines.lineStart(line))
	}

	msg := err.Error()
	if located != nil {
		msg = located.Unwrap().Error()
	}
	if strings.Contains(msg, "file with no instructions") {
		msg = "no instructions: the file is empty or holds only comments"
	}
	return &ParseError{File: name, Pos: p, Msg: msg, Err: err}
}
