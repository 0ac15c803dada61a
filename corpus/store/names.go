package store

import (
	"fmt"
	"path"
	"strings"
	"unicode"
	"unicode/utf8"
)

// CheckName returns an error wrapping [ErrInvalidName] unless name has the
// form "owner/name", where both parts use only ASCII letters, digits, '.',
// '-' and '_' and neither part is "." or "..".
func CheckName(name string) error {
	owner, repo, ok := strings.Cut(name, "/")
	if !ok || !validNamePart(owner) || !validNamePart(repo) {
		return fmt.Errorf("%w: %q: want owner/name with letters, digits, '.', '-' or '_'", ErrInvalidName, name)
	}
	return nil
}

func validNamePart(s string) bool {
	if s == "" || s == "." || s == ".." {
		return false
	}
	for _, r := range s {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9':
		case r == '.', r == '-', r == '_':
		default:
			return false
		}
	}
	return true
}

// CheckPath returns an error wrapping [ErrInvalidPath] unless p is a clean,
// relative, slash-separated path of valid UTF-8 without control characters,
// backslashes or "." and ".." elements. Such a path cannot leave the
// directory it is joined to, and it fits in one tab-separated field.
func CheckPath(p string) error {
	switch {
	case p == "":
		return fmt.Errorf("%w: empty path", ErrInvalidPath)
	case !utf8.ValidString(p):
		return fmt.Errorf("%w: %q is not valid UTF-8", ErrInvalidPath, p)
	case strings.HasPrefix(p, "/"):
		return fmt.Errorf("%w: %q is absolute", ErrInvalidPath, p)
	case strings.ContainsRune(p, '\\'):
		return fmt.Errorf("%w: %q contains a backslash", ErrInvalidPath, p)
	case strings.ContainsFunc(p, unicode.IsControl):
		return fmt.Errorf("%w: %q contains a control character", ErrInvalidPath, p)
	case path.Clean(p) != p:
		return fmt.Errorf("%w: %q is not clean", ErrInvalidPath, p)
	}
	for elem := range strings.SplitSeq(p, "/") {
		if elem == "." || elem == ".." {
			return fmt.Errorf("%w: %q contains %q", ErrInvalidPath, p, elem)
		}
	}
	return nil
}

// DirName returns the directory name that exports use for a repository:
// "owner/name" becomes "owner__name".
func DirName(repo string) string {
	return strings.Replace(repo, "/", "__", 1)
}
