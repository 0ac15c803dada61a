package ast

import (
	"path"
	"strings"
)

// IsDockerfileName reports whether a file's base name is one BuildKit users
// give Dockerfiles: Dockerfile, Dockerfile.*, *.Dockerfile, *.dockerfile,
// Containerfile and Containerfile.*, and the lower-case dockerfile.
func IsDockerfileName(name string) bool {
	base := path.Base(strings.ReplaceAll(name, `\`, "/"))
	switch {
	case base == "Dockerfile", base == "dockerfile", base == "Containerfile":
		return true
	case strings.HasPrefix(base, "Dockerfile."), strings.HasPrefix(base, "Containerfile."):
		return true
	case strings.HasSuffix(base, ".Dockerfile"), strings.HasSuffix(base, ".dockerfile"):
		return true
	}
	return false
}
