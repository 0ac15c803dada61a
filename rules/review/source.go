package review

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"

	"github.com/dockmine/dockmine/rules"
)

// Sources reads the corpus files that examples name, to show the lines
// around each example. The zero Sources shows no context.
type Sources struct {
	Roots   []string // corpus directories to look example files up in
	Context int      // lines shown before and after the example line

	files map[string][]string // lines by resolved path; nil for a file not found
}

// Excerpt is a run of source lines around an example.
type Excerpt struct {
	Path  string   // the file the lines come from
	First int      // the 1-based number of Lines[0]
	Lines []string // without line ends
	// Stale is true when the example's line in the file no longer contains
	// the example's text, because the file changed since mining.
	Stale bool
}

// Excerpt returns the lines around an example, or false when no root holds
// its file or the file is shorter than the example's line.
func (s *Sources) Excerpt(ex rules.Example) (Excerpt, bool) {
	if len(s.Roots) == 0 || ex.Line < 1 {
		return Excerpt{}, false
	}
	path, lines := s.load(ex.File)
	if lines == nil || ex.Line > len(lines) {
		return Excerpt{}, false
	}

	first := max(1, ex.Line-s.Context)
	last := min(len(lines), ex.Line+s.Context)
	e := Excerpt{Path: path, First: first, Lines: lines[first-1 : last]}
	e.Stale = !strings.Contains(sourceText(lines[ex.Line-1]), sourceText(ex.Text))
	return e, true
}

// sourceText trims the blanks around a line and the backslash that
// continues it, which the miner leaves out of an example's text.
func sourceText(line string) string {
	line = strings.TrimSpace(line)
	return strings.TrimSpace(strings.TrimSuffix(line, "\\"))
}

// load finds and reads a file that an example names.
func (s *Sources) load(name string) (string, []string) {
	if s.files == nil {
		s.files = map[string][]string{}
	}
	for _, path := range s.candidatePaths(name) {
		if lines, ok := s.files[path]; ok {
			if lines != nil {
				return path, lines
			}
			continue
		}
		data, err := os.ReadFile(path)
		if err != nil {
			s.files[path] = nil
			continue
		}
		lines := strings.Split(string(bytes.TrimSuffix(data, []byte("\n"))), "\n")
		for i, l := range lines {
			lines[i] = strings.TrimSuffix(l, "\r")
		}
		s.files[path] = lines
		return path, lines
	}
	return "", nil
}

// candidatePaths lists the paths where a file named by an example may be.
// For each root, it tries the root joined with the name. It then tries the
// name with its first two elements, owner and repository, joined as
// owner__repository, which is how the corpus directories spell them.
// Last, it tries the root's parent joined with the name, for names that
// start with the root's own directory name.
func (s *Sources) candidatePaths(name string) []string {
	name = filepath.FromSlash(name)
	var out []string
	for _, root := range s.Roots {
		out = append(out, filepath.Join(root, name))
		if owner, rest, ok := strings.Cut(name, string(filepath.Separator)); ok {
			if repo, file, ok := strings.Cut(rest, string(filepath.Separator)); ok {
				out = append(out, filepath.Join(root, owner+"__"+repo, file))
			}
		}
		out = append(out, filepath.Join(filepath.Dir(filepath.Clean(root)), name))
	}
	return out
}
