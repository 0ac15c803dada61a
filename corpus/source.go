package corpus

import (
	"bufio"
	"crypto/sha256"
	"encoding/hex"
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

// Errors of reading repository sources.
var (
	ErrInvalidSource = errors.New("invalid repository source")
	ErrInvalidCommit = errors.New("invalid commit")
)

// Source is one repository to crawl: a GitHub repository, a clone URL or a
// local path. Exactly one of URL and Path is set.
type Source struct {
	Name  string // "owner/name"; the store key and the export directory
	URL   string // clone URL, before rewrites
	Path  string // absolute local path of a git repository or a plain directory
	Pin   string // commit id to crawl in place of HEAD: 7 to 40 lowercase hex digits
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
	// commitRE matches the COMMIT of an "@COMMIT" suffix. Git abbreviates
	// commit ids to 7 hex digits by default. Shorter prefixes are rejected
	// because go-git v5 resolves an ambiguous prefix to any one of its
	// matches, and 40 digits is a full SHA-1 id.
	commitRE = regexp.MustCompile(`^[0-9a-fA-F]{7,40}$`)
	// scpRE matches scp-like git URLs such as "git@host:owner/name.git".
	scpRE = regexp.MustCompile(`^[A-Za-z0-9_.-]+@[A-Za-z0-9_.-]+:`)
)

// ParseSource parses one repository line: "owner/name", a clone URL or a
// local path, optionally followed by "@COMMIT". A relative local path is
// resolved against dir. Write "./owner/name" for a relative path that would
// otherwise read as a GitHub repository.
//
// COMMIT is a commit id of 7 to 40 hex digits; branch, tag and other ref
// names are rejected with [ErrInvalidCommit]. The text after the last '@'
// is taken as COMMIT unless it contains '/' or ':', as the user part of a
// URL or of an scp-like address does. So a local path whose last element
// contains '@' must end in '/', as in "./logos@2x/".
func ParseSource(line, dir string) (Source, error) {
	spec, pin, err := splitPin(strings.TrimSpace(line))
	if err != nil {
		return Source{}, fmt.Errorf("%w: %q: %w", ErrInvalidSource, RedactURL(strings.TrimSpace(line)), err)
	}
	src := Source{Pin: pin}
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

// splitPin splits an "@COMMIT" suffix off spec and returns the rest and
// the commit id in lowercase.
func splitPin(spec string) (rest, pin string, err error) {
	at := strings.LastIndexByte(spec, '@')
	if at < 0 || strings.ContainsAny(spec[at+1:], "/:") {
		return spec, "", nil
	}
	commit := spec[at+1:]
	if !commitRE.MatchString(commit) {
		return "", "", fmt.Errorf("%w %q after '@': want a commit id of 7 to 40 hex digits (end a path that contains '@' with '/')", ErrInvalidCommit, commit)
	}
	return spec[:at], strings.ToLower(commit), nil
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

// NameForPath derives a repository name from p, an absolute and clean local
// path. A last element of the form "owner__name" or "owner__name.git", the
// layout that exports and mirrors use, gives "owner/name". Any other path
// gives "local/<element>-<hash>", where <element> is the last element
// without ".git" and <hash> is the first 8 hex digits of the SHA-256 of p.
// So two directories with one base name get different names, and a
// directory keeps its name from run to run, which lets a resumed crawl skip
// it. The hash is of p as written: the same directory reached through a
// symbolic link, or at another path on another machine, gets another name.
// Characters that names do not allow become '_'.
//
// NOTE: stores written before the hash was added hold such folders as
// "local/<element>", so a new crawl stores them a second time under the new
// name.
func NameForPath(p string) string {
	base := strings.TrimSuffix(filepath.Base(p), ".git")
	if owner, repo, ok := strings.Cut(base, "__"); ok && owner != "" && repo != "" {
		return sanitizeNamePart(owner) + "/" + sanitizeNamePart(repo)
	}
	sum := sha256.Sum256([]byte(p))
	return "local/" + sanitizeNamePart(base) + "-" + hex.EncodeToString(sum[:4])
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

// CheckStored returns an error wrapping [ErrInvalidSource] when a local
// source has the name of a repository that r stores as finished from
// another path, the way [CheckUnique] rejects two such sources in one list.
// A source that r stores from the same path passes, so a crawl of the same
// paths resumes. So does a name whose record failed or was left
// unfinished, because a crawl replaces such records.
//
// NOTE: sources with a URL are not checked, because a rewrite to a mirror
// changes the location that their records hold from run to run.
func CheckStored(r store.RepoReader, sources []Source) error {
	for _, s := range sources {
		if s.Path == "" {
			continue
		}
		rec, err := r.Repo(s.Name)
		if errors.Is(err, store.ErrNotFound) {
			continue
		}
		if err != nil {
			return err
		}
		if rec.State == store.StateDone && rec.Source != s.Path {
			return fmt.Errorf("%w: repository name %q is stored from %s already, so %s cannot be crawled into this store; rename one of the folders or use another store",
				ErrInvalidSource, s.Name, rec.Source, s.Path)
		}
	}
	return nil
}
