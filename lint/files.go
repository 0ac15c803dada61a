package lint

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/dockmine/dockmine/ast"
)

// ErrNoDockerfile is returned by [FindDockerfiles] when the paths name no
// file and their directories hold no Dockerfile.
var ErrNoDockerfile = errors.New("no Dockerfile found")

// skippedDirs are directories a walk does not enter: version control data,
// installed dependencies and vendored code, which hold no Dockerfile of the
// project.
var skippedDirs = map[string]bool{".git": true, ".hg": true, ".svn": true, "node_modules": true, "vendor": true}

// otherExtensions are the last extensions of names such as Dockerfile.5.md
// or Dockerfile.template that start like a Dockerfile variant but hold
// documentation, code, data, an editor or patch leftover, or a template
// that must be rendered before it is a Dockerfile. Compared in lower case.
var otherExtensions = map[string]bool{
	// documentation and text
	"md": true, "markdown": true, "rst": true, "adoc": true, "txt": true, "html": true,
	// code and scripts
	"py": true, "sh": true, "bash": true, "ps1": true, "rb": true, "pl": true, "js": true, "ts": true, "go": true,
	// data and configuration
	"json": true, "yml": true, "yaml": true, "toml": true, "xml": true,
	// backups, patch leftovers and swap files
	"bak": true, "orig": true, "rej": true, "swp": true, "swo": true,
	// templates
	"template": true, "tmpl": true, "tpl": true, "j2": true, "jinja": true, "jinja2": true, "erb": true,
	"mustache": true, "hbs": true, "ncl": true,
}

// IsLintName reports whether a directory walk lints a file of this base
// name: a name that [ast.IsDockerfileName] accepts, unless it ends in one
// of the extensions of documentation, code, data, backups or templates,
// as Dockerfile.5.md, Dockerfile.py or Dockerfile.template do.
func IsLintName(name string) bool {
	if !ast.IsDockerfileName(name) {
		return false
	}
	dot := strings.LastIndexByte(name, '.')
	if dot < 0 {
		return true
	}
	return !otherExtensions[strings.ToLower(name[dot+1:])]
}

// FindOptions configure [FindDockerfiles].
type FindOptions struct {
	// Excluded reports whether a walk leaves out a file or directory that
	// it meets below a directory argument. Nil leaves out nothing besides
	// the names the walk always skips. [Linter.Excluded] applies the
	// exclude settings.
	Excluded func(path string, isDir bool) (bool, error)
}

// FindDockerfiles expands paths into the files to lint. A file named as a
// path is kept, whatever its name and the exclude settings. A
// directory is walked for the names that [IsLintName] accepts, sorted
// within each directory argument, without entering .git, .hg, .svn,
// node_modules or vendor directories and without the paths that
// opts.Excluded leaves out. "-" stands for standard input and is kept as
// is. A file named twice is linted once.
func FindDockerfiles(paths []string, opts FindOptions) ([]string, error) {
	var out []string
	seen := map[string]bool{}
	add := func(path string) {
		if !seen[path] {
			seen[path] = true
			out = append(out, path)
		}
	}

	for _, arg := range paths {
		if arg == "-" {
			add(arg)
			continue
		}
		info, err := os.Stat(arg)
		if err != nil {
			return nil, fmt.Errorf("reading %s: %w", arg, err)
		}
		if !info.IsDir() {
			add(filepath.Clean(arg))
			continue
		}

		found, err := walkDir(arg, opts)
		if err != nil {
			return nil, err
		}
		for _, path := range found {
			add(path)
		}
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("%w in %s: name files, or directories holding Dockerfile, Dockerfile.*, *.Dockerfile or Containerfile names that are not excluded",
			ErrNoDockerfile, strings.Join(paths, ", "))
	}
	return out, nil
}

func walkDir(root string, opts FindOptions) ([]string, error) {
	var found []string
	var excludeErr error // returned as is: a configuration error names its own file
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if path == root {
			return nil
		}
		isDir := d.IsDir()
		if isDir && skippedDirs[d.Name()] {
			return filepath.SkipDir
		}
		if !isDir && (!d.Type().IsRegular() || !IsLintName(d.Name())) {
			return nil
		}
		if opts.Excluded != nil {
			excluded, err := opts.Excluded(path, isDir)
			if err != nil {
				excludeErr = err
				return fs.SkipAll
			}
			if excluded && isDir {
				return filepath.SkipDir
			}
			if excluded {
				return nil
			}
		}
		if !isDir {
			found = append(found, path)
		}
		return nil
	})
	if excludeErr != nil {
		return nil, excludeErr
	}
	if err != nil {
		return nil, fmt.Errorf("walking %s: %w", root, err)
	}
	slices.Sort(found)
	return found, nil
}

// Excluded reports whether the exclude settings that govern path leave it
// out of a directory walk: the globs of the configuration file for the
// path's directory, and those of the environment and flags. It is meant
// for [FindOptions.Excluded], and returns the configuration's error when
// the file is broken.
func (l *Linter) Excluded(path string, isDir bool) (bool, error) {
	pol, err := l.PolicyFor(filepath.Dir(path))
	if err != nil {
		return false, err
	}
	return pol.excludes(path, isDir), nil
}
