package ast

import (
	"errors"
	"fmt"
)

// ErrBinary is returned for input that is not text: it contains a NUL byte.
var ErrBinary = errors.New("binary file: contains a NUL byte")

// ErrTooLarge is returned for input above the size limit given by [MaxSize].
var ErrTooLarge = errors.New("file too large")

// ParseError is a failure at a position of one file. It prints as
// file:line:col: message, the form editors and CI systems link to.
type ParseError struct {
	File string `json:"file"`
	Pos  Pos    `json:"pos"`
	Msg  string `json:"message"`
	Err  error  `json:"-"` // the parser's own error, when there is one
}

func (e *ParseError) Error() string {
	return fmt.Sprintf("%s:%d:%d: %s", e.File, e.Pos.Line, e.Pos.Col, e.Msg)
}

func (e *ParseError) Unwrap() error { return e.Err }
