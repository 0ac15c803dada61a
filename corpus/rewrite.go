package corpus

import (
	"fmt"
	"os"
	"strings"
)

// Rewrite replaces the prefix From of a clone URL with To, as git's
// url.<base>.insteadOf does. It points crawls at mirrors, for example
// From "https://github.com/" and To "/srv/mirror/".
type Rewrite struct {
	From string
	To   string
}

// ParseRewrite parses "FROM=TO", splitting at the first '='.
func ParseRewrite(s string) (Rewrite, error) {
	from, to, ok := strings.Cut(s, "=")
	if !ok || from == "" || to == "" {
		return Rewrite{}, fmt.Errorf("invalid rewrite %q: want FROM=TO with neither empty", s)
	}
	return Rewrite{From: from, To: to}, nil
}

// ApplyRewrites applies the rewrite with the longest matching From to url.
// It returns url unchanged and false when none matches.
func ApplyRewrites(rewrites []Rewrite, url string) (string, bool) {
	best := -1
	for i, rw := range rewrites {
		if strings.HasPrefix(url, rw.From) && (best < 0 || len(rw.From) > len(rewrites[best].From)) {
			best = i
		}
	}
	if best < 0 {
		return url, false
	}
	return rewrites[best].To + strings.TrimPrefix(url, rewrites[best].From), true
}

// cloneTargets lists where to fetch src from, in the order to try. A
// rewritten URL is tried as written and with its ".git" suffix added or
// removed, because mirrors name their directories either way.
func cloneTargets(rewrites []Rewrite, src Source) []string {
	if src.Path != "" {
		return []string{src.Path}
	}
	target, ok := ApplyRewrites(rewrites, src.URL)
	if !ok {
		return []string{target}
	}
	other := target + ".git"
	if trimmed, found := strings.CutSuffix(target, ".git"); found {
		other = trimmed
	}
	return []string{target, other}
}

// isLocal reports whether a clone target names a local path rather than a
// URL. Local paths are read in place; "file://" URLs are cloned like remote
// ones.
func isLocal(target string) bool {
	return !strings.Contains(target, "://") && !scpRE.MatchString(target)
}

// localExists reports whether a local clone target is an existing
// directory.
func localExists(target string) bool {
	info, err := os.Stat(target)
	return err == nil && info.IsDir()
}
