package schema

import (
	"fmt"
	"slices"
	"strings"
)

// entry is the canonical name and schema that a command word resolves to.
type entry struct {
	canonical string
	schema    *schema
}

var (
	registry map[string]entry // every canonical name and alias
	modules  map[string]*schema
	allNames []string // canonical names, sorted
)

func init() {
	schemas, err := loadFiles(commandFiles)
	if err == nil {
		err = buildRegistry(schemas)
	}
	if err != nil {
		panic("schema: invalid embedded schema: " + err.Error())
	}
}

// buildRegistry indexes schemas by every name and alias.
func buildRegistry(schemas []*schema) error {
	registry = map[string]entry{}
	modules = map[string]*schema{}
	for _, s := range schemas {
		for _, name := range s.names {
			if err := addName(name, entry{name, s}); err != nil {
				return err
			}
			allNames = append(allNames, name)
		}
		for _, alias := range s.aliases {
			if err := addName(alias, entry{s.names[0], s}); err != nil {
				return err
			}
		}
		if s.version == "" {
			return fmt.Errorf("%s: command %q has no version line", s.source, s.names[0])
		}
		if s.module != "" {
			modules[s.module] = s
		}
	}
	slices.Sort(allNames)
	return nil
}

func addName(name string, e entry) error {
	if other, dup := registry[name]; dup {
		return fmt.Errorf("%s: command %q already has a schema at %s", e.schema.source, name, other.schema.source)
	}
	registry[name] = e
	return nil
}

// binDirs are the directories whose commands resolve to their base name.
var binDirs = []string{"/bin/", "/sbin/", "/usr/bin/", "/usr/sbin/", "/usr/local/bin/", "/usr/local/sbin/"}

// Resolve returns the canonical name for a command word and whether a
// schema exists. A path in a standard bin directory resolves to its base
// name, a path whose base name is configure to "./configure", and a version
// suffix to its family (python3.11 to python, pip3 to pip). Other paths,
// such as /docker-entrypoint.sh, are returned unchanged and unknown.
func Resolve(name string) (canonical string, known bool) {
	e := resolve(name)
	return e.canonical, e.schema != nil
}

func resolve(name string) entry {
	if e, ok := registry[name]; ok {
		return e
	}

	base := name
	if i := strings.LastIndexByte(name, '/'); i >= 0 {
		base = name[i+1:]
		if base == "configure" {
			return registry["./configure"]
		}
		if !slices.Contains(binDirs, name[:i+1]) {
			return entry{canonical: name}
		}
		if e, ok := registry[base]; ok {
			return e
		}
	}

	if stem := trimVersion(base); stem != base {
		if e, ok := registry[stem]; ok && e.schema.versioned {
			return entry{e.schema.names[0], e.schema}
		}
	}
	return entry{canonical: base}
}

// trimVersion removes a version suffix such as "3", "3.11" or "-12" from a
// command name. It returns name unchanged when nothing would remain.
func trimVersion(name string) string {
	i := len(name)
	for i > 0 && (name[i-1] >= '0' && name[i-1] <= '9' || name[i-1] == '.') {
		i--
	}
	if i > 0 && i < len(name) && name[i-1] == '-' {
		i--
	}
	if i == 0 {
		return name
	}
	return name[:i]
}

// Names lists the canonical names of every schema, sorted. The caller may
// modify the returned slice.
func Names() []string {
	return slices.Clone(allNames)
}

// Version returns the tool version that the schema of a canonical name
// follows, as "apt-get 2.6 (Debian 12)", or "" when there is no schema.
func Version(canonical string) string {
	e, ok := registry[canonical]
	if !ok {
		return ""
	}
	return e.schema.version
}
