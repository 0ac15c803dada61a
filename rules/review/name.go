package review

import (
	"errors"
	"fmt"
	"regexp"
	"strings"

	"github.com/dockmine/dockmine/rules"
)

// ErrName is returned for a rule name that is not kebab-case.
var ErrName = errors.New("invalid rule name")

// maxNameLen is the longest rule name SuggestName returns, in bytes. Names
// go into file names and URLs, so a long consequent is cut at a dash.
const maxNameLen = 48

var namePattern = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)

// CheckName returns an error unless name is kebab-case: lower-case letters
// and digits in words joined by single dashes.
func CheckName(name string) error {
	if !namePattern.MatchString(name) {
		return fmt.Errorf("%w %q: use lower-case words joined by dashes, as apt-no-install-recommends", ErrName, name)
	}
	return nil
}

// SuggestName derives a kebab-case rule name from a candidate's antecedent
// and consequent, joined by a word that fits its kind: "then" for follows,
// "after" for precedes and "without" for absent.
func SuggestName(c *rules.Candidate) string {
	var words []string
	switch c.Kind {
	case "follows":
		words = []string{c.Antecedent, "then", c.Consequent}
	case "precedes":
		words = []string{c.Antecedent, "after", c.Consequent}
	case "absent":
		words = []string{c.Antecedent, "without", c.Consequent}
	default:
		words = []string{c.Antecedent, c.Consequent}
	}
	name := slug(strings.Join(words, " "))
	if name == "" {
		name = "rule-" + slug(c.ID)
	}
	return truncateName(name, maxNameLen)
}

// slug lowers s and joins its runs of letters and digits with dashes.
func slug(s string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(s) {
		if (r >= 'a' && r <= 'z') || (r >= '0' && r <= '9') {
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			dash = false
			b.WriteRune(r)
			continue
		}
		dash = true
	}
	return b.String()
}

// truncateName cuts name to at most max bytes at a dash.
func truncateName(name string, max int) string {
	if len(name) <= max {
		return name
	}
	cut := strings.LastIndexByte(name[:max+1], '-')
	if cut <= 0 {
		return name[:max]
	}
	return name[:cut]
}
