package corpus

import (
	"bytes"
	"path"
	"strings"
)

// IsDockerfileName reports whether the base name of p marks a Dockerfile:
// "Dockerfile", "Dockerfile.*", "*.Dockerfile", "*.dockerfile",
// "Containerfile", "Containerfile.*" or "dockerfile". Matching is case
// sensitive apart from the lowercase forms listed.
func IsDockerfileName(p string) bool {
	if strings.HasSuffix(p, "/") {
		return false // a directory
	}
	base := path.Base(p)
	switch {
	case base == "Dockerfile", base == "dockerfile", base == "Containerfile":
		return true
	case strings.HasPrefix(base, "Dockerfile."), strings.HasPrefix(base, "Containerfile."):
		return true
	case strings.HasSuffix(base, ".Dockerfile") && len(base) > len(".Dockerfile"):
		return true
	case strings.HasSuffix(base, ".dockerfile") && len(base) > len(".dockerfile"):
		return true
	}
	return false
}

// IsVendored reports whether p lies under a directory named "vendor" or
// "node_modules" at any depth. Files there are copies of third-party code.
func IsVendored(p string) bool {
	dir := path.Dir(p)
	for dir != "." && dir != "/" {
		switch path.Base(dir) {
		case "vendor", "node_modules":
			return true
		}
		dir = path.Dir(dir)
	}
	return false
}

// IsBinary reports whether data contains a NUL byte, the test git and the
// corpus selection rules use for binary content.
func IsBinary(data []byte) bool {
	return bytes.IndexByte(data, 0) >= 0
}

// Skip reasons, the keys of [store.Repo.Skipped] and of the crawl summary.
const (
	SkipSymlink    = "symlink"    // a Dockerfile name on a symbolic link
	SkipSubmodule  = "submodule"  // a submodule entry; its files are not read
	SkipVendored   = "vendored"   // under vendor/ or node_modules/
	SkipTooLarge   = "too-large"  // over the size limit
	SkipBinary     = "binary"     // contains a NUL byte
	SkipBadPath    = "bad-path"   // not valid UTF-8, has control characters or ".." elements
	SkipIrregular  = "irregular"  // a device, socket or other special file in a plain directory
	SkipUnreadable = "unreadable" // could not be read from a plain directory
)
