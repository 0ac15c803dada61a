package rules

import (
	"regexp"
	"strings"

	"github.com/dockmine/dockmine/ast"
)

// envEntry is one variable an ARG or ENV instruction declares.
type envEntry struct {
	key      string
	value    string
	hasValue bool // false for ARG NAME without a default: only --build-arg sets it
	pos      int  // index of the instruction in File.Instructions; -1 when inherited from a base stage
}

// predefinedArgs are the build arguments BuildKit sets without an ARG
// (Dockerfile reference, "Predefined ARGs" and "Automatic platform ARGs in
// the global scope", Docker 27). Their values are unknown to a linter.
var predefinedArgs = map[string]bool{
	"HTTP_PROXY": true, "http_proxy": true, "HTTPS_PROXY": true, "https_proxy": true,
	"FTP_PROXY": true, "ftp_proxy": true, "NO_PROXY": true, "no_proxy": true, "ALL_PROXY": true, "all_proxy": true,
	"TARGETPLATFORM": true, "TARGETOS": true, "TARGETARCH": true, "TARGETVARIANT": true,
	"BUILDPLATFORM": true, "BUILDOS": true, "BUILDARCH": true, "BUILDVARIANT": true,
	"HOME": true, "PATH": true, "HOSTNAME": true, "PWD": true, "USER": true,
}

// stageEnv returns the variables of a stage in declaration order, those of
// its base stages first.
func (fx *fileIndex) stageEnv(stage int) []envEntry {
	if fx.envs == nil {
		fx.envs = map[int][]envEntry{}
	}
	if env, ok := fx.envs[stage]; ok {
		return env
	}
	fx.envs[stage] = nil // a cycle of base stages cannot recurse forever
	if stage < 0 || stage >= len(fx.file.Stages) {
		return nil
	}

	st := fx.file.Stages[stage]
	var env []envEntry
	if st.BaseStage >= 0 && st.BaseStage < stage {
		for _, e := range fx.stageEnv(st.BaseStage) {
			e.pos = -1
			env = append(env, e)
		}
	}
	for i := st.First; i <= st.Last && i < len(fx.file.Instructions); i++ {
		inst := fx.file.Instructions[i]
		switch inst.Keyword {
		case "ENV":
			for _, kv := range inst.Pairs {
				env = append(env, envEntry{key: kv.Key, value: kv.Value, hasValue: true, pos: i})
			}
		case "ARG":
			for _, kv := range inst.Pairs {
				e := envEntry{key: kv.Key, value: kv.Value, hasValue: kv.HasValue, pos: i}
				if !kv.HasValue {
					e.value, e.hasValue = fx.globalDefault(kv.Key)
				}
				env = append(env, e)
			}
		}
	}
	fx.envs[stage] = env
	return env
}

// globalDefault returns the default of an ARG declared before the first
// FROM. A stage gets it when it declares the ARG again without a value.
func (fx *fileIndex) globalDefault(name string) (string, bool) {
	value, ok := "", false
	for _, a := range fx.file.Args {
		if a.Name == name {
			value, ok = a.Default, a.HasDefault
		}
	}
	return value, ok
}

// lookup returns the variable visible at s: declared in its stage before
// it. found is false when no ARG or ENV declares it.
func (fx *fileIndex) lookup(name string, s *site) (e envEntry, found bool) {
	for _, x := range fx.stageEnv(s.stage()) {
		if x.pos >= s.pos {
			break
		}
		if x.key == name {
			e, found = x, true
		}
	}
	return e, found
}

// envHolds reports whether an ENV or ARG declared before s in its stage
// passes the test.
func (fx *fileIndex) envHolds(m *pairMatcher, s *site) bool {
	for _, x := range fx.stageEnv(s.stage()) {
		if x.pos >= s.pos {
			break
		}
		if m.matchPair(&ast.KeyValue{Key: x.key, Value: x.value, HasValue: x.hasValue}) {
			return true
		}
	}
	return false
}

var expansionPattern = regexp.MustCompile(`\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-+=?])([^}]*))?\}|\$([A-Za-z_][A-Za-z0-9_]*)|\$[^A-Za-z_{]`)

// expand substitutes the variables of a word's source text with what the
// Dockerfile declares for them at s, and drops quotes. known is false when
// a value depends on the build: a command substitution, an ARG without a
// default, a predefined argument, a variable the script assigns, or one
// the Dockerfile never declares, which the base image may set. A variable
// that only other stages declare expands to "", as it does in the build.
func (fx *fileIndex) expand(raw string, s *site) (string, bool) {
	return expandWith(raw, func(name string) (string, bool) { return fx.variable(name, s) })
}

// expandWith is expand with the values that lookup returns.
func expandWith(raw string, lookup func(name string) (string, bool)) (string, bool) {
	if !strings.ContainsAny(raw, "$`\"'") {
		return raw, true
	}
	if strings.Contains(raw, "$(") || strings.Contains(raw, "`") {
		return "", false
	}
	known := true
	out := expansionPattern.ReplaceAllStringFunc(raw, func(m string) string {
		sub := expansionPattern.FindStringSubmatch(m)
		name := sub[1] + sub[4]
		if name == "" {
			known = false // $1, $@, $? and similar
			return m
		}
		value, ok := lookup(name)
		if !ok {
			known = false
			return m
		}
		switch sub[2] {
		case ":-", "-", ":=", "=":
			if value == "" {
				return sub[3]
			}
		case ":+", "+":
			if value != "" {
				return sub[3]
			}
			return ""
		}
		return value
	})
	if !known {
		return "", false
	}
	return quoteRemover.Replace(out), true
}

var quoteRemover = strings.NewReplacer(`"`, "", `'`, "")

// variable returns the value of a variable at s and whether it is known.
// In a script, the last statement before the command that assigns the
// variable, as dir=/usr/src/php, gives its value. Any other way the script
// sets it makes it unknown. A variable that the stage
// does not declare but another stage or the global scope does is empty at
// s: the usual ARG scoping mistake. One that the Dockerfile declares
// nowhere may come from the base image's ENV and is unknown.
func (fx *fileIndex) variable(name string, s *site) (string, bool) {
	if s.cmd != nil {
		if value, known, found := fx.scriptValue(name, s); found {
			return value, known
		}
		if assignedInScript(name, s.inst.Script) {
			return "", false
		}
	}
	return fx.stageVariable(name, s)
}

// stageVariable returns the value of a variable that ARG or ENV declare,
// as variable does without looking at the script.
func (fx *fileIndex) stageVariable(name string, s *site) (string, bool) {
	if e, found := fx.lookup(name, s); found {
		return e.value, e.hasValue
	}
	if predefinedArgs[name] {
		return "", false
	}
	return "", fx.declaredInFile(name)
}

// declaredInFile reports whether any ARG or ENV of the file declares name.
func (fx *fileIndex) declaredInFile(name string) bool {
	if fx.declared == nil {
		fx.declared = map[string]bool{}
		for _, a := range fx.file.Args {
			fx.declared[a.Name] = true
		}
		for i := range fx.file.Stages {
			for _, e := range fx.stageEnv(i) {
				fx.declared[e.key] = true
			}
		}
	}
	return fx.declared[name]
}

// assignedInScript reports whether a script may set a variable itself: an
// assignment, export, read or for loop naming it.
func assignedInScript(name string, script *ast.Script) bool {
	if script == nil {
		return false
	}
	src := script.Source
	if strings.Contains(src, name+"=") || strings.Contains(src, "for "+name+" ") {
		return true
	}
	return strings.Contains(src, "read ") && strings.Contains(src, " "+name)
}

// shellsAt returns the SHELL in force at each instruction: the last JSON
// SHELL of its stage before it, else its base stage's, else /bin/sh -c.
func shellsAt(f *ast.File) [][]string {
	out := make([][]string, len(f.Instructions))
	stageEnd := make([][]string, len(f.Stages))
	current := []string{"/bin/sh", "-c"}
	for i, outer := range f.Instructions {
		inst := outer.Effective()
		if outer.Keyword == "FROM" && outer.Stage >= 0 && outer.Stage < len(f.Stages) {
			current = []string{"/bin/sh", "-c"}
			if base := f.Stages[outer.Stage].BaseStage; base >= 0 && base < outer.Stage && stageEnd[base] != nil {
				current = stageEnd[base]
			}
		}
		out[i] = current
		if outer == inst && inst.Keyword == "SHELL" && inst.JSON && len(inst.Args) > 0 {
			current = make([]string, len(inst.Args))
			for j, a := range inst.Args {
				current[j] = a.Value
			}
		}
		if outer.Stage >= 0 && outer.Stage < len(f.Stages) {
			stageEnd[outer.Stage] = current
		}
	}
	return out
}

// shellOf returns the SHELL in force at a site.
func (fx *fileIndex) shellOf(s *site) []string {
	if s.pos < 0 || s.pos >= len(fx.shells) {
		return nil
	}
	return fx.shells[s.pos]
}
