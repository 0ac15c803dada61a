package config

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"
)

// File names searched for, in order of preference within one directory.
var (
	dockmineNames     = []string{".dockmine.yaml", ".dockmine.yml"}
	hadolintNames     = []string{".hadolint.yaml", ".hadolint.yml"}
	userDockmineNames = []string{"dockmine.yaml", "dockmine.yml"}
	userHadolintNames = []string{"hadolint.yaml", "hadolint.yml"}
)

// Found is the configuration file that governs a directory.
type Found struct {
	Path     string // relative to the working directory when inside it, empty when no file was found
	Hadolint bool   // the file is a .hadolint.yaml
}

// Finder locates configuration files and caches the result per directory,
// so that linting a tree stats each directory once. It is safe for
// concurrent use.
type Finder struct {
	WorkDir       string // the absolute working directory, searched after the parents
	UserConfigDir string // as [os.UserConfigDir] returns, or empty to skip it

	mu    sync.Mutex
	cache map[string]Found
}

// NewFinder returns a Finder for the process's working directory and user
// configuration directory. A missing user directory, such as with no HOME,
// is skipped.
func NewFinder() (*Finder, error) {
	wd, err := os.Getwd()
	if err != nil {
		return nil, fmt.Errorf("finding the working directory: %w", err)
	}
	user, _ := os.UserConfigDir()
	return &Finder{WorkDir: wd, UserConfigDir: user}, nil
}

// Find returns the configuration file for a Dockerfile in dir. It looks
// for a dockmine file in dir and each parent, then in the working directory
// and then in the user configuration directory. Failing all of those, it
// searches for a hadolint file the same way. A file that exists but cannot
// be stat'ed is an error.
func (f *Finder) Find(dir string) (Found, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return Found{}, fmt.Errorf("finding configuration for %s: %w", dir, err)
	}

	f.mu.Lock()
	found, ok := f.cache[abs]
	f.mu.Unlock()
	if ok {
		return found, nil
	}

	found, err = f.search(abs)
	if err != nil {
		return Found{}, err
	}
	f.mu.Lock()
	if f.cache == nil {
		f.cache = map[string]Found{}
	}
	f.cache[abs] = found
	f.mu.Unlock()
	return found, nil
}

func (f *Finder) search(dir string) (Found, error) {
	for _, hadolint := range []bool{false, true} {
		names, userNames := dockmineNames, userDockmineNames
		if hadolint {
			names, userNames = hadolintNames, userHadolintNames
		}

		path, err := findUpwards(dir, names)
		if err == nil && path == "" && f.WorkDir != "" {
			path, err = findIn(f.WorkDir, names)
		}
		if err == nil && path == "" && f.UserConfigDir != "" {
			path, err = findIn(f.UserConfigDir, userNames)
		}
		if err != nil {
			return Found{}, err
		}
		if path != "" {
			return Found{Path: f.shorten(path), Hadolint: hadolint}, nil
		}
	}
	return Found{}, nil
}

// shorten returns path relative to the working directory when it lies
// inside it, so that messages show the name a user would type.
func (f *Finder) shorten(path string) string {
	if f.WorkDir == "" {
		return path
	}
	rel, err := filepath.Rel(f.WorkDir, path)
	if err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
		return path
	}
	return rel
}

// findUpwards looks for names in dir and each of its parents.
func findUpwards(dir string, names []string) (string, error) {
	for {
		path, err := findIn(dir, names)
		if path != "" || err != nil {
			return path, err
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", nil
		}
		dir = parent
	}
}

// findIn returns the first of names that is a regular file in dir.
func findIn(dir string, names []string) (string, error) {
	for _, name := range names {
		path := filepath.Join(dir, name)
		info, err := os.Stat(path)
		switch {
		case errors.Is(err, fs.ErrNotExist), errors.Is(err, fs.ErrPermission) && isDirUnreadable(dir):
			continue
		case err != nil:
			return "", fmt.Errorf("finding configuration: %w", err)
		case info.IsDir():
			continue
		}
		return path, nil
	}
	return "", nil
}

// isDirUnreadable reports whether dir itself cannot be searched, as for a
// parent directory owned by another user. Such a directory is skipped.
func isDirUnreadable(dir string) bool {
	_, err := os.ReadDir(dir)
	return err != nil
}
