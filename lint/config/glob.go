package config

import (
	"fmt"
	"path"
	"strings"
)

// Glob is one pattern of the exclude setting, matched in the manner of
// .gitignore. A pattern without a slash, as "Dockerfile.test" or "legacy",
// matches the name of a file or directory at any depth. A pattern with a
// slash, as "docs/**" or "/examples/*/Dockerfile", matches the path relative
// to its base directory, and a leading slash only anchors it there. A "**"
// segment matches any number of directories, and other segments are
// matched with [path.Match]. A trailing slash matches directories only.
type Glob struct {
	Text     string // as written
	segments []string
	anchored bool // the pattern has a slash before its last character
	dirOnly  bool // the pattern ends with a slash
}

// ParseGlob parses an exclude pattern, rejecting an empty one and one that
// [path.Match] cannot use.
func ParseGlob(text string) (Glob, error) {
	g := Glob{Text: text}
	p := strings.TrimSpace(text)
	if strings.HasSuffix(p, "/") {
		g.dirOnly = true
		p = strings.TrimRight(p, "/")
	}
	if strings.Contains(p, "/") {
		g.anchored = true
		p = strings.TrimLeft(p, "/")
	}
	if p == "" {
		return g, fmt.Errorf("invalid glob %q: give a file or directory pattern, as docs/** or *.orig", text)
	}
	g.segments = strings.Split(p, "/")
	for _, seg := range g.segments {
		if seg == "" {
			return g, fmt.Errorf("invalid glob %q: empty path segment", text)
		}
		if _, err := path.Match(seg, ""); err != nil {
			return g, fmt.Errorf("invalid glob %q: %w", text, err)
		}
	}
	return g, nil
}

// Match reports whether the glob matches rel, a slash-separated path
// relative to the glob's base directory. isDir is true when rel names a
// directory. A path outside the base directory ("../x") matches only
// patterns without a slash.
func (g Glob) Match(rel string, isDir bool) bool {
	if g.dirOnly && !isDir || rel == "" || rel == "." {
		return false
	}
	names := strings.Split(rel, "/")
	if !g.anchored {
		ok, _ := path.Match(g.segments[0], names[len(names)-1])
		return ok
	}
	if names[0] == ".." {
		return false
	}
	return matchSegments(g.segments, names)
}

// matchSegments matches path names against pattern segments, where "**"
// stands for zero or more names.
func matchSegments(pattern, names []string) bool {
	for len(pattern) > 0 {
		if pattern[0] == "**" {
			rest := pattern[1:]
			for i := 0; i <= len(names); i++ {
				if matchSegments(rest, names[i:]) {
					return true
				}
			}
			return false
		}
		if len(names) == 0 {
			return false
		}
		if ok, _ := path.Match(pattern[0], names[0]); !ok {
			return false
		}
		pattern, names = pattern[1:], names[1:]
	}
	return len(names) == 0
}
