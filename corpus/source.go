package corpus

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"

	"github.com/dockmine/dockmine/corpus/store"
)

// ErrInvalidSource marks a repository line or path that cannot be crawled.
var ErrInvalidSource = errors.New("invalid repository source")

// Source is one repository to crawl: a GitHub repository, a clone URL or a
// local path. Exactly one of URL and Path is set.
type Source struct {
	Name  string // "owner/name"; the store key and the export directory
	URL   string // clone URL, before rewrites
	Path  string // absolute local path of a git repository or a plain directory
	Pin   string // hex commit id to crawl in place of HEAD; may be abbreviated for local repositories
	Stars int    // stargazers, when found by search
}

// Location returns the URL or path of s without credentials, for logs,
// errors and the store.
func (s Source) Location() string {
	if s.Path != "" {
		return s.Path
	}
	return RedactURL(s.URL)
}

var (
	// ownerNameRE matches a GitHub "owner/name".
	ownerNameRE = regexp.MustCompile(`^[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+$`)
	// pinRE matches the "@COMMIT" suffix of a repository line.
	pinRE = regexp.MustCompile(`@([0-9a-fA-F]{7,64})$`)
	// scpRE matches scp-like git URLs such as "git@host:owner/name.git".
	scpRE = regexp.MustCompile(`^[A-Za-z0-9_.-]+@[A-Za-z0-9_.-]+:`)
)

// ParseSource parses one repository line: "owner/name", a clone URL or a
// local path, optionally followed by "@COMMIT". A relative local path is
// resolved against dir. Write "./owner/name" for a relative path that would
// otherwise read as a GitHub repository.
func ParseSource(line, dir string) (Source, error) {
	spec := strings.TrimSpace(line)
	var src Source
	if m := pinRE.FindStringSubmatch(spec); m != nil {
		src.Pin = strings.ToLower(m[1])
		spec = strings.TrimSuffix(spec, m[0])
	}
	if spec == "" {
		return Source{}, fmt.Errorf("%w: %q: missing repository", ErrInvalidSource, line)
	}

	switch {
	case ownerNameRE.MatchString(spec) && !strings.HasPrefix(spec, "."):
		src.Name = strings.TrimSuffix(spec, ".git")
		src.URL = DefaultCloneURL(src.Name)
	case strings.Contains(spec, "://") || scpRE.MatchString(spec):
		name, err := nameFromURL(spec)
		if err != nil {
			return Source{}, fmt.Errorf("%w: %q: %w", ErrInvalidSource, RedactURL(spec), err)
		}
		src.Name, src.URL = name, spec
	default:
		p := spec
		if !filepath.IsAbs(p) {
			p = filepath.Join(dir, p)
		}
		src.Path = filepath.Clean(p)
		src.Name = NameForPath(src.Path)
	}

	if err := store.CheckName(src.Name); err != nil {
		return Source{}, fmt.Errorf("%w: %q: %w", ErrInvalidSource, line, err)
	}
	return src, nil
}

// ReadSources reads one repository line per line from r, as [ParseSource]
// parses them. Blank lines and text from a '#' at the start of a line or
// after a space are ignored. Errors name file and line.
func ReadSources(r io.Reader, file, dir string) ([]Source, error) {
	var sources []Source
	scanner := bufio.NewScanner(r)
	for n := 1; scanner.Scan(); n++ {
		line := stripComment(scanner.Text())
		if strings.TrimSpace(line) == "" {
			continue
		}
		src, err := ParseSource(line, dir)
		if err != nil {
			return nil, fmt.Errorf("%s:%d: %w", file, n, err)
		}
		sources = append(sources, src)
	}
	if err := scanner.Err(); err != nil {
		return nil, fmt.Errorf("read %s: %w", file, err)
	}
	return sources, nil
}

// ReadSourceFile reads a repository list with [ReadSources]. Relative paths
// in it are resolved against the directory of the file.
func ReadSourceFile(file string) ([]Source, error) {
	f, err := os.Open(file)
	if err != nil {
		return nil, err
	}
	defer f.Close()

	dir, err := filepath.Abs(filepath.Dir(file))
	if err != nil {
		return nil, err
	}
	return ReadSources(f, file, dir)
}

func stripComment(line string) string {
	for i, r := range line {
		if r == '#' && (i == 0 || line[i-1] == ' ' || line[i-1] == '\t') {
			return line[:i]
		}
	}
	return line
}

// DefaultCloneURL returns the GitHub clone URL of "owner/name".
func DefaultCloneURL(name string) string {
	return "https://github.com/" + name + ".git"
}

// nameFromURL takes the last two path elements of a clone URL as
// "owner/name".
func nameFromURL(raw string) (string, error) {
	p := raw
	if scpRE.MatchString(raw) && !strings.Contains(raw, "://") {
		_, p, _ = strings.Cut(raw, ":")
	} else {
		u, err := url.Parse(raw)
		if err != nil {
			return "", err
		}
		p = u.Path
	}

	parts := strings.Split(strings.Trim(p, "/"), "/")
	if len(parts) < 2 {
		return "", errors.New("URL path does not end in owner/name")
	}
	owner, repo := parts[len(parts)-2], strings.TrimSuffix(parts[len(parts)-1], ".git")
	return owner + "/" + repo, nil
}

// NameForPath derives a repository name from a local path. A last element
// of the form "owner__name" or "owner__name.git", the layout that exports
// and mirrors use, gives "owner/name". Any other element gives
// "local/<element>". Characters that names do not allow become '_'.
func NameForPath(p string) string {
	base := strings.TrimSuffix(filepath.Base(p), ".git")
	if owner, repo, ok := strings.Cut(base, "__"); ok && owner != "" && repo != "" {
		return sanitizeNamePart(owner) + "/" + sanitizeNamePart(repo)
	}
	return "local/" + sanitizeNamePart(base)
}

func sanitizeNamePart(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '.', r == '-', r == '_':
			b.WriteRune(r)
		default:
			b.WriteByte('_')
		}
	}
	out := b.String()
	if out == "" || out == "." || out == ".." {
		out = strings.Repeat("_", len(out)+1)
	}
	return out
}

// RedactURL removes the user information, such as a token, from a URL.
// Strings that do not parse as URLs are returned unchanged.
func RedactURL(raw string) string {
	u, err := url.Parse(raw)
	if err != nil || u.User == nil {
		return raw
	}
	u.User = nil
	return u.String()
}

// CheckUnique returns an error when two sources share a name but come from
// different places, and otherwise drops repeated sources, keeping the first.
func CheckUnique(sources []Source) ([]Source, error) {
	seen := map[string]Source{}
	out := sources[:0:0]
	for _, s := range sources {
		prev, ok := seen[s.Name]
		if !ok {
			seen[s.Name] = s
			out = append(out, s)
			continue
		}
		if prev.Location() != s.Location() || prev.Pin != s.Pin {
			return nil, fmt.Errorf("%w: repository name %q is used by both %s and %s", ErrInvalidSource, s.Name, prev.Location(), s.Location())
		}
	}
	return out, nil
}
