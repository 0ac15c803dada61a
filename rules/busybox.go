package rules

import (
	"path"
	"regexp"
	"strings"
)

// alpineTag matches image tags of Alpine variants, as "20-alpine",
// "3.12-alpine3.20" or "alpine".
var alpineTag = regexp.MustCompile(`(^|[-_.])alpine`)

// busyBoxStage reports whether the commands of stage i are BusyBox applets,
// as on Alpine and BusyBox images, where wget, tar and the shell are
// BusyBox's. It decides by the image that the stage's chain of base stages
// starts from: alpine, busybox or an alpine/ image of Docker Hub, or a tag
// that names an Alpine variant, as node:20-alpine. A stage of that chain
// that runs apk marks Alpine too, which covers bases given by a build
// argument.
//
// NOTE: this is a guess from the Dockerfile alone. An image built FROM
// alpine elsewhere and named otherwise is not recognized, and a package
// that replaces an applet (apk add wget installs GNU wget) is for the
// rule to check.
func (fx *fileIndex) busyBoxStage(i int) bool {
	stages := fx.file.Stages
	if i < 0 || i >= len(stages) {
		return false
	}
	root := i
	for steps := 0; stages[root].BaseStage >= 0 && steps < len(stages); steps++ {
		root = stages[root].BaseStage
	}
	if busyBoxImage(stages[root].Image.Repository, stages[root].Image.Tag) {
		return true
	}
	for _, s := range fx.byName["apk"] {
		if fx.inChain(i, s.stage()) {
			return true
		}
	}
	return false
}

// busyBoxImage reports whether an image reference names an Alpine or
// BusyBox image by its repository or tag.
func busyBoxImage(repository, tag string) bool {
	repo := strings.ToLower(repository)
	switch path.Base(repo) {
	case "alpine", "busybox":
		return true
	}
	return strings.HasPrefix(repo, "alpine/") || alpineTag.MatchString(strings.ToLower(tag))
}
