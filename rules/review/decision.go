package review

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"time"

	"go.yaml.in/yaml/v3"
)

// Verdict is a reviewer's decision on a candidate: approve, reject or defer.
type Verdict string

// Verdicts. The zero Verdict stands for a candidate not decided yet.
const (
	Approve Verdict = "approve"
	Reject  Verdict = "reject"
	Defer   Verdict = "defer"
)

// Verdicts lists the verdicts in a fixed order, the order of the rows and
// columns of an [Agreement] table.
var Verdicts = [...]Verdict{Approve, Reject, Defer}

// ErrVerdict is returned for a verdict that is not approve, reject or defer.
var ErrVerdict = errors.New("invalid decision")

// ParseVerdict returns the verdict named s.
func ParseVerdict(s string) (Verdict, error) {
	for _, v := range Verdicts {
		if s == string(v) {
			return v, nil
		}
	}
	return "", fmt.Errorf("%w %q: use approve, reject or defer", ErrVerdict, s)
}

// State returns the verdict as a state word for lists and filters:
// approved, rejected, deferred, or undecided for the zero Verdict.
func (v Verdict) State() string {
	switch v {
	case Approve:
		return "approved"
	case Reject:
		return "rejected"
	case Defer:
		return "deferred"
	}
	return "undecided"
}

// Edits are the fields of a rule that a reviewer sets in place of the ones
// that [rules.FromCandidate] derives. An empty field keeps the derived one.
// Code, name, severity, title and message are one line each.
type Edits struct {
	Code     string `yaml:"code,omitempty" json:"code,omitempty"`         // DM plus four digits
	Name     string `yaml:"name,omitempty" json:"name,omitempty"`         // kebab-case
	Severity string `yaml:"severity,omitempty" json:"severity,omitempty"` // error, warning, info or style
	Title    string `yaml:"title,omitempty" json:"title,omitempty"`       // one line, lower case, no final period
	Message  string `yaml:"message,omitempty" json:"message,omitempty"`   // the finding text
	// Rationale replaces the derived rationale, which restates the
	// candidate and its counts, with why the practice matters.
	Rationale string `yaml:"rationale,omitempty" json:"rationale,omitempty"`
	// Bad and Good replace the generated example Dockerfiles, which do not
	// fit every candidate. The rule must flag each Bad one and pass each
	// Good one.
	Bad  []string `yaml:"bad,omitempty" json:"bad,omitempty"`
	Good []string `yaml:"good,omitempty" json:"good,omitempty"`
}

// IsZero reports whether no field is set.
func (e Edits) IsZero() bool {
	return e.Code == "" && e.Name == "" && e.Severity == "" && e.Title == "" && e.Message == "" &&
		e.Rationale == "" && len(e.Bad) == 0 && len(e.Good) == 0
}

// Decision is one record of a decisions file. An approval always records
// the code and name the rule got. Severity, title and message appear only
// when the reviewer changed them.
type Decision struct {
	Candidate string    `yaml:"candidate" json:"candidate"` // the candidate id
	Verdict   Verdict   `yaml:"decision" json:"decision"`
	Time      time.Time `yaml:"time" json:"time"` // UTC, whole seconds
	Reviewer  string    `yaml:"reviewer" json:"reviewer"`
	Edits     `yaml:",inline"`
	Reason    string `yaml:"reason,omitempty" json:"reason,omitempty"`
}

// Reservation keeps the code of an undone approval from going to another
// candidate.
type Reservation struct {
	Code      string `yaml:"code"`
	Candidate string `yaml:"candidate"` // the candidate the code was given to
}

// Log is the decisions file of one reviewer: every decision in the order
// made, and the codes that undone approvals left reserved.
type Log struct {
	Reviewer  string        `yaml:"reviewer"`
	Decisions []Decision    `yaml:"decisions"`
	Reserved  []Reservation `yaml:"reserved,omitempty"`
}

// logHeader opens every decisions file, for readers who meet one in a
// commit.
const logHeader = `# Review decisions of one reviewer, written by "dockmine review" after
# every decision. A later decision on a candidate replaces earlier ones.
`

var reviewerPattern = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]*$`)

// ErrReviewer is returned for a reviewer name that cannot name a file.
var ErrReviewer = errors.New("invalid reviewer name")

// CheckReviewer returns an error unless name can be a reviewer name: a
// letter or digit, then letters, digits, dots, dashes and underscores.
func CheckReviewer(name string) error {
	if !reviewerPattern.MatchString(name) {
		return fmt.Errorf("%w %q: use letters, digits, '.', '-' and '_', starting with a letter or digit", ErrReviewer, name)
	}
	return nil
}

// LogPath returns the path of a reviewer's decisions file in dir.
func LogPath(dir, reviewer string) string {
	return filepath.Join(dir, reviewer+".yaml")
}

// ReadLog reads a decisions file. A file that does not exist reads as an
// empty log of the reviewer that its name gives.
func ReadLog(path string) (*Log, error) {
	data, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return &Log{Reviewer: reviewerOf(path)}, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read decisions: %w", err)
	}
	return parseLog(path, data)
}

// reviewerOf returns the reviewer that a decisions file's name gives.
func reviewerOf(path string) string {
	name := filepath.Base(path)
	return name[:len(name)-len(filepath.Ext(name))]
}

// parseLog decodes and checks the content of the decisions file at path.
func parseLog(path string, data []byte) (*Log, error) {
	reviewer := reviewerOf(path)
	l := Log{Reviewer: reviewer}
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(&l); err != nil && !errors.Is(err, io.EOF) {
		return nil, fmt.Errorf("read decisions %s: %w", path, err)
	}
	if l.Reviewer != reviewer {
		return nil, fmt.Errorf("read decisions %s: the file names reviewer %q; rename the file to %s.yaml or fix the name", path, l.Reviewer, l.Reviewer)
	}
	if err := l.check(); err != nil {
		return nil, fmt.Errorf("read decisions %s: %w", path, err)
	}
	return &l, nil
}

// check validates every record, so that a hand-edited file with a typo is
// rejected before a session builds on it.
func (l *Log) check() error {
	if err := CheckReviewer(l.Reviewer); err != nil {
		return err
	}
	for i, d := range l.Decisions {
		if d.Candidate == "" {
			return fmt.Errorf("decision %d: missing candidate", i+1)
		}
		if _, err := ParseVerdict(string(d.Verdict)); err != nil {
			return fmt.Errorf("decision %d (%s): %w", i+1, d.Candidate, err)
		}
		if d.Code != "" && !codePattern.MatchString(d.Code) {
			return fmt.Errorf("decision %d (%s): %w %q", i+1, d.Candidate, ErrCode, d.Code)
		}
		if d.Verdict == Approve && (d.Code == "" || d.Name == "") {
			return fmt.Errorf("decision %d (%s): an approval needs its code and name", i+1, d.Candidate)
		}
	}
	for _, r := range l.Reserved {
		if !codePattern.MatchString(r.Code) {
			return fmt.Errorf("reserved code %q: %w", r.Code, ErrCode)
		}
	}
	return nil
}

// Current returns the latest decision of each candidate.
func (l *Log) Current() map[string]*Decision {
	out := make(map[string]*Decision, len(l.Decisions))
	for i := range l.Decisions {
		d := &l.Decisions[i]
		out[d.Candidate] = d
	}
	return out
}

// Encode returns the text of the decisions file.
func (l *Log) Encode() ([]byte, error) {
	var buf bytes.Buffer
	buf.WriteString(logHeader)
	enc := yaml.NewEncoder(&buf)
	enc.SetIndent(2)
	if err := enc.Encode(l); err != nil {
		return nil, fmt.Errorf("encode decisions of %s: %w", l.Reviewer, err)
	}
	if err := enc.Close(); err != nil {
		return nil, fmt.Errorf("encode decisions of %s: %w", l.Reviewer, err)
	}
	return buf.Bytes(), nil
}

// WriteFile replaces the decisions file at path atomically. A reader, or
// the disk after a crash, has either the old content or the new one, never
// a mix.
func (l *Log) WriteFile(path string) error {
	data, err := l.Encode()
	if err != nil {
		return err
	}
	if err := writeFileAtomic(path, data); err != nil {
		return fmt.Errorf("write decisions: %w", err)
	}
	return nil
}
