package lint

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"

	"github.com/dockmine/dockmine/ast"
)

// ErrNoDockerfile is returned by [FindDockerfiles] when the paths name no
// file and their directories hold no Dockerfile.
var ErrNoDockerfile = errors.New("no Dockerfile found")

// skippedDirs are directories a walk does not enter: version control data
// and installed dependencies, which hold no Dockerfile of the project.
var skippedDirs = map[string]bool{".git": true, ".hg": true, ".svn": true, "node_modules": true}

// FindDockerfiles expands paths into the files to lint. A file is kept
// whatever its name. A directory is walked for the names that
// [ast.IsDockerfileName] accepts, sorted within each directory argument,
// without entering .git, .hg, .svn or node_modules. "-" stands for standard
// input and is kept as is. A file named twice is linted once.
func FindDockerfiles(paths []string) ([]string, error) {
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

		found, err := walkDir(arg)
		if err != nil {
			return nil, err
		}
		for _, path := range found {
			add(path)
		}
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("%w in %q: name files, or directories holding Dockerfile, *.Dockerfile or Containerfile", ErrNoDockerfile, paths)
	}
	return out, nil
}

func walkDir(root string) ([]string, error) {
	var found []string
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && path != root && skippedDirs[d.Name()] {
			return filepath.SkipDir
		}
		if d.Type().IsRegular() && ast.IsDockerfileName(d.Name()) {
			found = append(found, path)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("walking %s: %w", root, err)
	}
	slices.Sort(found)
	return found, nil
}
