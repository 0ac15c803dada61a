package rules

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/dockmine/dockmine/ast"
)

func init() {
	register(&Builtin{Name: "from-undefined-arg", Doc: "FROM uses a variable that no global ARG declares", run: checkFromUndefinedArg})
	register(&Builtin{Name: "from-invalid-default-arg", Doc: "FROM is an invalid image reference with the global ARG defaults", run: checkFromInvalidDefault})
}

// platformArgs are the predefined arguments FROM may use without an ARG
// (Dockerfile reference, "Automatic platform ARGs in the global scope").
var platformArgs = map[string]bool{
	"TARGETPLATFORM": true, "TARGETOS": true, "TARGETARCH": true, "TARGETVARIANT": true,
	"BUILDPLATFORM": true, "BUILDOS": true, "BUILDARCH": true, "BUILDVARIANT": true,
}

var fromVariable = regexp.MustCompile(`\$\{?([A-Za-z_][A-Za-z0-9_]*)`)

// checkFromUndefinedArg reports a variable in a FROM image or --platform
// that is neither an ARG declared before the first FROM nor a predefined
// platform argument. An ARG after a FROM belongs to that stage only, so
// FROM cannot see it.
func checkFromUndefinedArg(c *checkContext, out []Finding) []Finding {
	globals := map[string]bool{}
	for _, a := range c.file().Args {
		globals[a.Name] = true
	}
	for _, st := range c.file().Stages {
		if st.From == nil {
			continue
		}
		for _, w := range fromWords(st.From) {
			for _, m := range fromVariable.FindAllStringSubmatch(w.text, -1) {
				name := m[1]
				if globals[name] || platformArgs[name] {
					continue
				}
				msg := fmt.Sprintf("FROM uses %q, which no ARG before the first FROM declares: declare it there", name)
				out = append(out, c.finding(w.rng, msg, nil))
			}
		}
	}
	return out
}

type fromWord struct {
	text string
	rng  ast.Range
}

// fromWords returns the image and the --platform value of a FROM.
func fromWords(from *ast.Instruction) []fromWord {
	var out []fromWord
	if f := from.Flag("platform"); f != nil {
		out = append(out, fromWord{f.Value, f.Range})
	}
	if len(from.Args) > 0 {
		out = append(out, fromWord{from.Args[0].Value, from.Args[0].Range})
	}
	return out
}

// imageReference is the shape of a valid image reference: an optional
// registry host with port, lower-case path components, an optional tag and
// an optional digest.
var imageReference = regexp.MustCompile(`^([a-zA-Z0-9.-]+(:[0-9]+)?/)?[a-z0-9]+([._-]+[a-z0-9]+)*(/[a-z0-9]+([._-]+[a-z0-9]+)*)*(:[A-Za-z0-9_][A-Za-z0-9_.-]{0,127})?(@[a-z0-9]+:[a-fA-F0-9]{32,})?$`)

// checkFromInvalidDefault reports a FROM whose image, with every global ARG
// replaced by its default (empty when it has none), is not a valid
// reference, such as "busybox:" when the tag argument has no default. A
// build without --build-arg fails there. Defaults that hold variables
// themselves are not followed.
func checkFromInvalidDefault(c *checkContext, out []Finding) []Finding {
	defaults := map[string]string{}
	declared := map[string]bool{}
	for _, a := range c.file().Args {
		defaults[a.Name] = a.Default
		declared[a.Name] = true
	}
	for _, st := range c.file().Stages {
		if st.From == nil || len(st.From.Args) == 0 || !strings.Contains(st.Image.Raw, "$") {
			continue
		}
		ref, ok := substitute(st.Image.Raw, defaults, declared)
		if !ok || strings.Contains(ref, "$") || strings.EqualFold(ref, "scratch") || stageIndex(c.file().Stages[:st.Index], ref) >= 0 || imageReference.MatchString(ref) {
			continue
		}
		w := st.From.Args[0]
		msg := fmt.Sprintf("with the default build arguments the image is %q, which is not a valid reference: give the ARG a default", ref)
		out = append(out, c.finding(w.Range, msg, nil))
	}
	return out
}

var substitution = regexp.MustCompile(`\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-+])([^}]*))?\}|\$([A-Za-z_][A-Za-z0-9_]*)`)

// substitute replaces variables with their defaults. It returns false when
// a variable is not declared at all, which DM2011 reports instead.
func substitute(raw string, defaults map[string]string, declared map[string]bool) (string, bool) {
	ok := true
	out := substitution.ReplaceAllStringFunc(raw, func(m string) string {
		sub := substitution.FindStringSubmatch(m)
		name := sub[1] + sub[4]
		if !declared[name] {
			ok = false
			return m
		}
		value := defaults[name]
		switch sub[2] {
		case ":-", "-":
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
	return strings.NewReplacer(`"`, "", `'`, "").Replace(out), ok
}
