package config

import (
	"fmt"
	"slices"
)

// Severity names accepted in override lists, from the most to the least
// severe.
var Severities = []string{"error", "warning", "info", "style"}

// Formats are the report formats that the format setting accepts, the
// default first. Package format implements them and lists the same names.
var Formats = []string{"tty", "json", "sarif", "checkstyle", "gitlab", "junit", "gnu"}

// Thresholds are the accepted failure-threshold values: a severity, or none
// to never fail.
var Thresholds = []string{"error", "warning", "info", "style", "none"}

// Origin is the place a setting was written: a position in a file, or the
// name of an environment variable or flag.
type Origin struct {
	Path string // configuration file; empty for the environment and flags
	Line int    // 1-based, 0 when Path is empty
	Col  int    // 1-based byte column
	Name string // environment variable or flag, as "DOCKMINE_IGNORED" or "--ignore"
}

// String returns path:line:col for a file position and the name otherwise.
func (o Origin) String() string {
	if o.Path == "" {
		return o.Name
	}
	return fmt.Sprintf("%s:%d:%d", o.Path, o.Line, o.Col)
}

// Value is one setting's text with its origin, so that a caller can report a
// bad rule code or format where it was written.
type Value struct {
	Text   string
	Origin Origin
}

// Errorf returns an [*Error] at the value's origin.
func (v Value) Errorf(format string, args ...any) *Error {
	return &Error{Origin: v.Origin, Msg: fmt.Sprintf(format, args...)}
}

// Override sets the severity of one rule.
type Override struct {
	Severity string // one of [Severities]
	Code     Value  // a rule code or alias
}

// Settings is one layer of configuration. Nil pointers and empty lists mean
// the layer does not set the key.
type Settings struct {
	Path              string // the file the layer came from, empty for other layers
	Hadolint          bool   // the file is a .hadolint.yaml
	Ignored           []Value
	Overrides         []Override // in the order written
	FailureThreshold  *Value     // one of [Thresholds]
	TrustedRegistries []Value
	Packs             []Value // pack files, made absolute when a file names them
	// Exclude holds globs of paths that a directory walk leaves out; see
	// [Glob]. A file's globs are relative to its directory, and those of
	// the environment and flags to the working directory.
	Exclude             []Value
	Format              *Value
	DisableIgnorePragma *bool
	NoColor             *bool // hadolint's no-color key
}

// Merge layers settings from the lowest to the highest precedence. Scalars
// of a later layer replace earlier ones. Lists accumulate, so a flag's
// --ignore adds to the file's ignored list. Path and Hadolint come from the
// last layer that has a path.
func Merge(layers ...Settings) Settings {
	var out Settings
	for _, l := range layers {
		if l.Path != "" {
			out.Path = l.Path
			out.Hadolint = l.Hadolint
		}
		out.Ignored = append(out.Ignored, l.Ignored...)
		out.Overrides = append(out.Overrides, l.Overrides...)
		out.TrustedRegistries = append(out.TrustedRegistries, l.TrustedRegistries...)
		out.Packs = append(out.Packs, l.Packs...)
		out.Exclude = append(out.Exclude, l.Exclude...)
		if l.FailureThreshold != nil {
			out.FailureThreshold = l.FailureThreshold
		}
		if l.Format != nil {
			out.Format = l.Format
		}
		if l.DisableIgnorePragma != nil {
			out.DisableIgnorePragma = l.DisableIgnorePragma
		}
		if l.NoColor != nil {
			out.NoColor = l.NoColor
		}
	}
	return out
}

// checkThreshold rejects a failure threshold outside [Thresholds].
func checkThreshold(v Value) error {
	if slices.Contains(Thresholds, v.Text) {
		return nil
	}
	return v.Errorf("invalid failure-threshold %q: use one of error, warning, info, style or none", v.Text)
}
