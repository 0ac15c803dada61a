package review

import (
	"fmt"
	"slices"
	"strings"

	"github.com/dockmine/dockmine/rules"
)

// States are the decision states a [Filter] selects, in the order a user
// interface cycles through them.
var States = [...]string{"undecided", "approved", "rejected", "deferred"}

// Filter selects candidates for a list. Empty fields select everything.
type Filter struct {
	Kind  string // a candidate kind, as flag or follows
	State string // one of [States]
	Text  string // text that the id, statement, antecedent or consequent contains, ignoring case
}

// Validate checks that State names a state.
func (f Filter) Validate() error {
	if f.State != "" && !slices.Contains(States[:], f.State) {
		return fmt.Errorf("invalid state %q: use %s", f.State, strings.Join(States[:], ", "))
	}
	return nil
}

// Filter returns the candidates that f selects, the highest score first.
func (s *Session) Filter(f Filter) []*rules.Candidate {
	text := strings.ToLower(f.Text)
	var out []*rules.Candidate
	for _, c := range s.cands {
		if f.Kind != "" && c.Kind != f.Kind {
			continue
		}
		if f.State != "" && s.State(c.ID) != f.State {
			continue
		}
		if text != "" && !containsText(c, text) {
			continue
		}
		out = append(out, c)
	}
	return out
}

// State returns the reviewer's decision state of a candidate: undecided,
// approved, rejected or deferred.
func (s *Session) State(id string) string {
	var v Verdict
	if d := s.current[id]; d != nil {
		v = d.Verdict
	}
	return v.State()
}

func containsText(c *rules.Candidate, lower string) bool {
	for _, field := range [...]string{c.ID, c.Text, c.Antecedent, c.Consequent} {
		if strings.Contains(strings.ToLower(field), lower) {
			return true
		}
	}
	return false
}

// Kinds returns the distinct kinds of the candidates, sorted.
func Kinds(cands []*rules.Candidate) []string {
	var out []string
	for _, c := range cands {
		if !slices.Contains(out, c.Kind) {
			out = append(out, c.Kind)
		}
	}
	slices.Sort(out)
	return out
}
