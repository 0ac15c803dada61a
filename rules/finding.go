package rules

import "github.com/dockmine/dockmine/ast"

// Severity orders findings; a linter fails a build at or above a threshold.
type Severity int

// Severities from the least to the most severe. The zero value is invalid, so
// a rule that omits its severity is caught by validation.
const (
	SeverityStyle Severity = iota + 1
	SeverityInfo
	SeverityWarning
	SeverityError
)

// Finding is one place where a file breaks a rule.
type Finding struct {
	Rule    *Rule     // the rule that was broken
	Range   ast.Range // the exact span: the command, flag or word at fault
	Message string    // one line, lower case, no final period, states what to do
	Fix     *Fix      // nil when the rule has no fix for this place
}

// Fix is the change that makes a finding go away: byte edits of the
// original file that do not overlap.
type Fix struct {
	Description string // "add --no-install-recommends"
	Edits       []Edit
}

// Edit replaces the bytes [Start, End) of the original file with NewText.
// An insertion has Start == End.
type Edit struct {
	Start   int    `json:"start"` // byte offset
	End     int    `json:"end"`   // byte offset, exclusive
	NewText string `json:"new_text"`
}
