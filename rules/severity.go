package rules

import (
	"errors"
	"fmt"
	"strings"
)

// ErrSeverity is returned for a severity name that is not error, warning,
// info or style.
var ErrSeverity = errors.New("invalid severity")

var severityNames = [...]string{
	SeverityStyle:   "style",
	SeverityInfo:    "info",
	SeverityWarning: "warning",
	SeverityError:   "error",
}

// ParseSeverity returns the severity with the given name, ignoring case.
func ParseSeverity(s string) (Severity, error) {
	for sev, name := range severityNames {
		if name != "" && strings.EqualFold(s, name) {
			return Severity(sev), nil
		}
	}
	return 0, fmt.Errorf("%w %q: use error, warning, info or style", ErrSeverity, s)
}

// String returns the lower-case name of the severity, or "invalid".
func (s Severity) String() string {
	if s < SeverityStyle || s > SeverityError {
		return "invalid"
	}
	return severityNames[s]
}

// MarshalText writes the severity's name, so rule files and packs carry
// "warning" instead of a number.
func (s Severity) MarshalText() ([]byte, error) {
	if s < SeverityStyle || s > SeverityError {
		return nil, fmt.Errorf("%w: %d", ErrSeverity, int(s))
	}
	return []byte(s.String()), nil
}

// UnmarshalText reads a severity name.
func (s *Severity) UnmarshalText(text []byte) error {
	sev, err := ParseSeverity(string(text))
	if err != nil {
		return err
	}
	*s = sev
	return nil
}
