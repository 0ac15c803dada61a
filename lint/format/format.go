// Package format writes lint results as reports: tty for people, and json,
// sarif, checkstyle, gitlab, junit and gnu for tools.
//
// Positions are 1-based lines and byte columns everywhere except SARIF,
// whose columns count UTF-16 code units as the standard defaults to. An end
// column is exclusive: the column just after the last byte of the range.
package format

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/dockmine/dockmine/lint"
	"github.com/dockmine/dockmine/lint/config"
	"github.com/dockmine/dockmine/rules"
)

// ErrUnknownFormat is returned by [New] for a name not in [Names].
var ErrUnknownFormat = errors.New("unknown format")

// Names lists the report formats, the default first: the names that the
// configuration's format setting accepts.
var Names = config.Formats

// Report is the input of a formatter: the results of one run.
type Report struct {
	Results []lint.Result
	Version string // dockmine's version, for formats that name the tool
}

// Formatter writes a report in one format.
type Formatter interface {
	Format(w io.Writer, r *Report) error
}

// Options configure the formatters. The zero value is valid.
type Options struct {
	Color bool // tty: color with ANSI escapes, when the caller found a terminal
	// HelpURI returns the documentation address of a rule, for SARIF. Nil
	// uses [DefaultHelpURI].
	HelpURI func(*rules.Rule) string
}

// DefaultHelpURI returns the address of a rule's page in the dockmine
// repository.
func DefaultHelpURI(r *rules.Rule) string {
	return "https://github.com/dockmine/dockmine/blob/main/docs/rules/" + r.Code + ".md"
}

// New returns the formatter with the given name.
func New(name string, opts Options) (Formatter, error) {
	if opts.HelpURI == nil {
		opts.HelpURI = DefaultHelpURI
	}
	switch name {
	case "tty":
		return &tty{color: opts.Color}, nil
	case "json":
		return jsonFormat{}, nil
	case "sarif":
		return sarif{helpURI: opts.HelpURI}, nil
	case "checkstyle":
		return checkstyle{}, nil
	case "gitlab":
		return gitlab{}, nil
	case "junit":
		return junit{}, nil
	case "gnu":
		return gnu{}, nil
	}
	return nil, fmt.Errorf("%w %q: use one of %s", ErrUnknownFormat, name, strings.Join(Names, ", "))
}

// referencedRules returns the rules that the report's diagnostics name,
// sorted by code.
func referencedRules(r *Report) []*rules.Rule {
	seen := map[*rules.Rule]bool{}
	var out []*rules.Rule
	for _, res := range r.Results {
		for _, d := range res.Diagnostics {
			if !seen[d.Rule] {
				seen[d.Rule] = true
				out = append(out, d.Rule)
			}
		}
	}
	slices.SortFunc(out, func(a, b *rules.Rule) int { return strings.Compare(a.Code, b.Code) })
	return out
}

// lineText returns line n (1-based) of src without its line ending, or ""
// when src has fewer lines.
func lineText(src []byte, n int) string {
	for line := 1; line < n; line++ {
		i := bytes.IndexByte(src, '\n')
		if i < 0 {
			return ""
		}
		src = src[i+1:]
	}
	if i := bytes.IndexByte(src, '\n'); i >= 0 {
		src = src[:i]
	}
	return strings.TrimSuffix(string(src), "\r")
}

// aliasesOf returns the rule's aliases, never nil, so JSON writes [].
func aliasesOf(r *rules.Rule) []string {
	if r.Aliases == nil {
		return []string{}
	}
	return r.Aliases
}
