package config

import "errors"

// ErrInvalid is wrapped by every [*Error], so callers can tell a broken
// configuration from a failure to read it.
var ErrInvalid = errors.New("invalid configuration")

// Error is a mistake in one setting. It prints as path:line:col: message for
// a file, and as NAME: message for an environment variable or flag.
type Error struct {
	Origin Origin
	Msg    string
}

func (e *Error) Error() string { return e.Origin.String() + ": " + e.Msg }

// Unwrap returns [ErrInvalid].
func (e *Error) Unwrap() error { return ErrInvalid }
