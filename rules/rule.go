package rules

import "regexp"

// Rule is one rule record: its permanent code, its documentation, the
// pattern or built-in check that finds violations, its examples and, for a
// mined rule, its evidence. A rule file in rules/<pack>/<CODE>-<name>.yaml
// holds one Rule; field names are the file format and stay stable.
type Rule struct {
	Code     string   `yaml:"code" json:"code"`         // DM plus four digits, the first the family; never reused
	Name     string   `yaml:"name" json:"name"`         // kebab-case, unique, for URLs and config
	Title    string   `yaml:"title" json:"title"`       // one line, lower case, no final period
	Severity Severity `yaml:"severity" json:"severity"` // error, warning, info or style
	Status   string   `yaml:"status" json:"status"`     // proposed, approved, deprecated or retired
	Added    string   `yaml:"added,omitempty" json:"added,omitempty"`
	// DefaultOff rules run only when a user enables them.
	DefaultOff bool   `yaml:"default-off,omitempty" json:"default-off,omitempty"`
	Rationale  string `yaml:"rationale" json:"rationale"` // why, with the known misfires of peer tools
	// Aliases are the ids of equivalent checks in other tools: hadolint's
	// "DL3008", BuildKit's "StageNameCasing".
	Aliases []string `yaml:"aliases,omitempty" json:"aliases,omitempty"`

	Pattern `yaml:",inline"`
	// Check names a built-in check written in Go, for rules the pattern
	// language cannot state; a rule has either Check or Match.
	Check string `yaml:"check,omitempty" json:"check,omitempty"`
	// Message is the finding text. {value} is replaced by the focus text
	// quoted as Go's %q does, {text} by the focus text without quotes, and
	// {command} by the command or instruction name.
	Message  string       `yaml:"message,omitempty" json:"message,omitempty"`
	Fix      *FixSpec     `yaml:"fix,omitempty" json:"fix,omitempty"`
	Examples ExampleFiles `yaml:"examples" json:"examples"`
	Evidence *Evidence    `yaml:"evidence,omitempty" json:"evidence,omitempty"`

	Pack string `yaml:"-" json:"pack"` // the pack directory the rule was loaded from

	origin origin // where the fields were read, for errors
}

// Statuses of a rule. Only approved rules run by default; a retired rule
// keeps its code reserved and never runs.
const (
	StatusProposed   = "proposed"
	StatusApproved   = "approved"
	StatusDeprecated = "deprecated"
	StatusRetired    = "retired"
)

// ExampleFiles are whole Dockerfiles that show a rule: the rule must flag
// every Bad one and stay silent on every Good one.
type ExampleFiles struct {
	Bad  []string `yaml:"bad" json:"bad"`
	Good []string `yaml:"good" json:"good"`
}

// Evidence is what mining found for a rule.
type Evidence struct {
	Candidate  string    `yaml:"candidate,omitempty" json:"candidate,omitempty"` // the candidate id
	Support    Support   `yaml:"support" json:"support"`
	Confidence float64   `yaml:"confidence" json:"confidence"` // family-weighted, as [Candidate] Confidence
	Contrast   *Contrast `yaml:"contrast,omitempty" json:"contrast,omitempty"`
	Lift       float64   `yaml:"lift,omitempty" json:"lift,omitempty"`
	Corpus     string    `yaml:"corpus,omitempty" json:"corpus,omitempty"` // digest of the corpus mined
	Date       string    `yaml:"date,omitempty" json:"date,omitempty"`     // YYYY-MM-DD of the mining run
	Samples    []Example `yaml:"samples,omitempty" json:"samples,omitempty"`
}

// Family returns the rule family, the first digit of the code: 0 for
// parse failures and meta rules, 1 for single instructions, 2 for stages
// and whole files, 3 for package managers, 4 for other shell commands, 5
// for security and compliance. It returns -1 for a malformed code.
func (r *Rule) Family() int {
	if !codePattern.MatchString(r.Code) {
		return -1
	}
	return int(r.Code[2] - '0')
}

// Fixable reports whether the rule suggests an edit with its findings.
func (r *Rule) Fixable() bool {
	return r.Fix != nil || builtinFixes[r.Check]
}

// Enabled reports whether the rule runs when the user configures nothing.
func (r *Rule) Enabled() bool {
	return !r.DefaultOff && (r.Status == StatusApproved || r.Status == StatusDeprecated)
}

var (
	codePattern = regexp.MustCompile(`^DM[0-9]{4}$`)
	namePattern = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)
)
