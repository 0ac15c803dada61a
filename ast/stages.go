package ast

import (
	"regexp"
	"strconv"
	"strings"
)

// defaultShell is the shell that RUN uses without a SHELL instruction on Linux images.
var defaultShell = []string{"/bin/sh", "-c"}

// windowsShell is the default SHELL of Windows base images.
var windowsShell = []string{"cmd", "/S", "/C"}

// buildStages groups instructions into stages, resolves base images and
// records which stages depend on which. It also stores the SHELL in force at
// each instruction for the shell phase.
func buildStages(f *File) {
	defaults := map[string]string{}
	var current *Stage
	var shell []string

	for i, inst := range f.Instructions {
		if inst.Keyword == "FROM" {
			current = newStage(f, inst, i, defaults)
			shell = stageShell(f, current)
			current.Windows = isWindowsImage(current.Image) || (current.BaseStage >= 0 && f.Stages[current.BaseStage].Windows)
		}

		if current == nil {
			if inst.Keyword == "ARG" {
				for _, kv := range inst.Pairs {
					f.Args = append(f.Args, &BuildArg{Name: kv.Key, Default: kv.Value, HasDefault: kv.HasValue})
					if kv.HasValue {
						defaults[kv.Key] = kv.Value
					}
				}
			}
			inst.shell = defaultShell
			continue
		}

		inst.Stage = current.Index
		current.Last = i
		if inst.Keyword == "SHELL" && inst.JSON && len(inst.Args) > 0 {
			shell = wordValues(inst.Args)
			if shellDialect(shell) == DialectCmd {
				current.Windows = true
			}
		}
		inst.shell = shell
		current.Shell = shell
		if inst.Inner != nil {
			inst.Inner.Stage = current.Index
			inst.Inner.shell = shell
		}
	}

	linkStages(f)
}

// newStage starts a stage at a FROM instruction.
func newStage(f *File, inst *Instruction, index int, defaults map[string]string) *Stage {
	s := &Stage{Index: len(f.Stages), First: index, Last: index, From: inst, BaseStage: -1}
	args := inst.Args
	if len(args) >= 3 && strings.EqualFold(args[1].Value, "as") {
		s.Name = strings.ToLower(args[2].Value)
	}
	for _, flag := range inst.Flags {
		if flag.Name == "platform" {
			s.Platform = flag.Value
		}
	}

	if len(args) > 0 {
		s.Image = parseImageRef(args[0].Value, defaults)
		for _, prev := range f.Stages {
			if prev.Name != "" && prev.Name == strings.ToLower(s.Image.Resolved) {
				s.BaseStage = prev.Index
				s.Image = ImageRef{Raw: s.Image.Raw, Resolved: s.Image.Resolved, Stage: true}
			}
		}
	}
	f.Stages = append(f.Stages, s)
	inst.Stage = s.Index
	return s
}

// stageShell returns the SHELL a new stage starts with: its base stage's, or
// the platform default.
func stageShell(f *File, s *Stage) []string {
	if s.BaseStage >= 0 {
		return f.Stages[s.BaseStage].Shell
	}
	if isWindowsImage(s.Image) {
		return windowsShell
	}
	return defaultShell
}

// isWindowsImage guesses a Windows base image from its name, the only hint a
// Dockerfile gives without pulling the image.
func isWindowsImage(ref ImageRef) bool {
	name := strings.ToLower(ref.Repository + ":" + ref.Tag)
	for _, hint := range []string{"windows/servercore", "windows/nanoserver", "windows/server", "windowsservercore", "nanoserver", "powershell:lts-nanoserver"} {
		if strings.Contains(name, hint) {
			return true
		}
	}
	return false
}

var varPattern = regexp.MustCompile(`\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-+])([^}]*))?\}|\$([A-Za-z_][A-Za-z0-9_]*)`)

// expandArgs substitutes the static defaults of ARGs declared before the
// first FROM. It reports whether every variable was resolved.
func expandArgs(s string, defaults map[string]string) (string, bool) {
	resolved := true
	out := varPattern.ReplaceAllStringFunc(s, func(m string) string {
		sub := varPattern.FindStringSubmatch(m)
		name := sub[1] + sub[4]
		value, ok := defaults[name]
		switch sub[2] {
		case ":-", "-":
			if !ok || (sub[2] == ":-" && value == "") {
				return sub[3]
			}
		case ":+", "+":
			if ok && (sub[2] == "+" || value != "") {
				return sub[3]
			}
			return ""
		}
		if !ok {
			resolved = false
			return m
		}
		return value
	})
	return out, resolved
}

// parseImageRef splits an image reference such as
// "registry.example.com:5000/team/app:1.2@sha256:..." into its parts.
func parseImageRef(raw string, defaults map[string]string) ImageRef {
	ref := ImageRef{Raw: raw}
	resolved, ok := expandArgs(raw, defaults)
	ref.Resolved = resolved
	ref.Dynamic = !ok
	if strings.EqualFold(resolved, "scratch") {
		ref.Scratch = true
		ref.Repository = "scratch"
		return ref
	}

	name := resolved
	if at := strings.Index(name, "@"); at >= 0 {
		ref.Digest = name[at+1:]
		name = name[:at]
	}
	if colon := strings.LastIndex(name, ":"); colon > strings.LastIndex(name, "/") {
		ref.Tag = name[colon+1:]
		name = name[:colon]
	}

	first, rest, hasSlash := strings.Cut(name, "/")
	if hasSlash && (strings.ContainsAny(first, ".:") || first == "localhost") {
		ref.Registry = first
		name = rest
	}
	if ref.Registry == "" && !strings.Contains(name, "/") && name != "" && !strings.Contains(name, "$") {
		name = "library/" + name
	}
	ref.Repository = name
	return ref
}

// linkStages marks the final stage, the stages others copy from, the stages
// whose layers the final image holds and the stages its build needs.
func linkStages(f *File) {
	if len(f.Stages) == 0 {
		return
	}
	f.Stages[len(f.Stages)-1].Final = true

	deps := make([][]int, len(f.Stages))
	for _, s := range f.Stages {
		if s.BaseStage >= 0 {
			deps[s.Index] = append(deps[s.Index], s.BaseStage)
		}
	}
	for _, inst := range f.Instructions {
		if inst.Stage < 0 {
			continue
		}
		for _, from := range stageReferences(inst) {
			if dep := findStage(f, from, inst.Stage); dep >= 0 {
				f.Stages[dep].CopiedFrom = true
				deps[inst.Stage] = append(deps[inst.Stage], dep)
			}
		}
	}

	var need func(int)
	need = func(i int) {
		if f.Stages[i].NeededByFinal {
			return
		}
		f.Stages[i].NeededByFinal = true
		for _, d := range deps[i] {
			need(d)
		}
	}
	need(len(f.Stages) - 1)

	// Only the FROM chain puts layers into the final image; a stage that
	// is only copied from leaves its files, caches and lists behind.
	for i := len(f.Stages) - 1; i >= 0; i = f.Stages[i].BaseStage {
		f.Stages[i].ReachesFinal = true
	}
}

// stageReferences returns the --from values of COPY and of RUN mounts.
func stageReferences(inst *Instruction) []string {
	var refs []string
	if inst.Keyword == "COPY" || inst.Keyword == "ADD" {
		for _, flag := range inst.Flags {
			if flag.Name == "from" {
				refs = append(refs, flag.Value)
			}
		}
	}
	for _, m := range inst.Mounts {
		if m.From != "" {
			refs = append(refs, m.From)
		}
	}
	return refs
}

// findStage resolves a stage name or index used in --from, among the stages
// before the one at index before. It returns -1 for an image name.
func findStage(f *File, ref string, before int) int {
	if n, err := strconv.Atoi(ref); err == nil {
		if n >= 0 && n < before {
			return n
		}
		return -1
	}
	ref = strings.ToLower(ref)
	for i := 0; i < before && i < len(f.Stages); i++ {
		if f.Stages[i].Name == ref {
			return i
		}
	}
	return -1
}

func wordValues(words []*Word) []string {
	out := make([]string, len(words))
	for i, w := range words {
		out[i] = w.Value
	}
	return out
}
