package format

import (
	"encoding/json"
	"io"
	"net/url"
	"path/filepath"
	"strings"
	"unicode/utf16"

	"github.com/dockmine/dockmine/lint"
	"github.com/dockmine/dockmine/rules"
)

// SARIF 2.1.0 (OASIS standard, 2020) as GitHub code scanning reads it.
const (
	sarifSchema  = "https://json.schemastore.org/sarif-2.1.0.json"
	sarifVersion = "2.1.0"
	toolURI      = "https://github.com/dockmine/dockmine"
)

// sarif writes one run with the metadata of every rule its results name.
type sarif struct {
	helpURI func(*rules.Rule) string
}

type sarifLog struct {
	Schema  string     `json:"$schema"`
	Version string     `json:"version"`
	Runs    []sarifRun `json:"runs"`
}

type sarifRun struct {
	Tool       sarifTool     `json:"tool"`
	ColumnKind string        `json:"columnKind"`
	Results    []sarifResult `json:"results"`
}

type sarifTool struct {
	Driver sarifDriver `json:"driver"`
}

type sarifDriver struct {
	Name           string      `json:"name"`
	InformationURI string      `json:"informationUri"`
	Version        string      `json:"version,omitempty"`
	SemVer         string      `json:"semanticVersion,omitempty"`
	Rules          []sarifRule `json:"rules"`
}

type sarifRule struct {
	ID                   string          `json:"id"`
	Name                 string          `json:"name"`
	ShortDescription     sarifText       `json:"shortDescription"`
	FullDescription      sarifText       `json:"fullDescription"`
	Help                 sarifHelp       `json:"help"`
	HelpURI              string          `json:"helpUri"`
	DefaultConfiguration sarifRuleConfig `json:"defaultConfiguration"`
	Properties           sarifRuleProps  `json:"properties"`
}

type sarifText struct {
	Text string `json:"text"`
}

type sarifHelp struct {
	Text     string `json:"text"`
	Markdown string `json:"markdown"`
}

type sarifRuleConfig struct {
	Level string `json:"level"`
}

type sarifRuleProps struct {
	Tags    []string `json:"tags"`
	Aliases []string `json:"aliases,omitempty"`
}

type sarifResult struct {
	RuleID    string          `json:"ruleId"`
	RuleIndex int             `json:"ruleIndex"`
	Level     string          `json:"level"`
	Message   sarifText       `json:"message"`
	Locations []sarifLocation `json:"locations"`
	Fixes     []sarifFix      `json:"fixes,omitempty"`
}

type sarifLocation struct {
	PhysicalLocation sarifPhysical `json:"physicalLocation"`
}

type sarifPhysical struct {
	ArtifactLocation sarifArtifact `json:"artifactLocation"`
	Region           sarifRegion   `json:"region"`
}

type sarifArtifact struct {
	URI string `json:"uri"`
}

type sarifRegion struct {
	StartLine   int `json:"startLine,omitempty"`
	StartColumn int `json:"startColumn,omitempty"`
	EndLine     int `json:"endLine,omitempty"`
	EndColumn   int `json:"endColumn,omitempty"`
	ByteOffset  int `json:"byteOffset,omitempty"`
	ByteLength  int `json:"byteLength,omitempty"`
}

type sarifFix struct {
	Description     sarifText             `json:"description"`
	ArtifactChanges []sarifArtifactChange `json:"artifactChanges"`
}

type sarifArtifactChange struct {
	ArtifactLocation sarifArtifact      `json:"artifactLocation"`
	Replacements     []sarifReplacement `json:"replacements"`
}

type sarifReplacement struct {
	DeletedRegion   sarifByteRegion `json:"deletedRegion"`
	InsertedContent *sarifText      `json:"insertedContent,omitempty"`
}

// sarifByteRegion is a region by byte offset, where an offset of 0 must be
// written out.
type sarifByteRegion struct {
	ByteOffset int `json:"byteOffset"`
	ByteLength int `json:"byteLength"`
}

func (s sarif) Format(w io.Writer, r *Report) error {
	ruleList := referencedRules(r)
	index := make(map[*rules.Rule]int, len(ruleList))
	driver := sarifDriver{Name: "dockmine", InformationURI: toolURI, Rules: []sarifRule{}}
	driver.Version, driver.SemVer = sarifVersions(r.Version)
	for i, rule := range ruleList {
		index[rule] = i
		driver.Rules = append(driver.Rules, s.rule(rule))
	}

	run := sarifRun{Tool: sarifTool{Driver: driver}, ColumnKind: "utf16CodeUnits", Results: []sarifResult{}}
	for _, res := range r.Results {
		for _, d := range res.Diagnostics {
			run.Results = append(run.Results, sarifResultOf(&res, &d, index[d.Rule]))
		}
	}

	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(sarifLog{Schema: sarifSchema, Version: sarifVersion, Runs: []sarifRun{run}})
}

func (s sarif) rule(r *rules.Rule) sarifRule {
	return sarifRule{
		ID:                   r.Code,
		Name:                 r.Name,
		ShortDescription:     sarifText{Text: r.Title},
		FullDescription:      sarifText{Text: firstParagraph(r.Rationale)},
		Help:                 sarifHelp{Text: helpText(r), Markdown: helpMarkdown(r)},
		HelpURI:              s.helpURI(r),
		DefaultConfiguration: sarifRuleConfig{Level: sarifLevel(r.Severity)},
		Properties:           sarifRuleProps{Tags: []string{"dockerfile", r.Severity.String()}, Aliases: r.Aliases},
	}
}

func sarifResultOf(res *lint.Result, d *lint.Diagnostic, ruleIndex int) sarifResult {
	uri := artifactURI(d.File)
	out := sarifResult{
		RuleID:    d.Rule.Code,
		RuleIndex: ruleIndex,
		Level:     sarifLevel(d.Severity),
		Message:   sarifText{Text: d.Message},
		Locations: []sarifLocation{{PhysicalLocation: sarifPhysical{
			ArtifactLocation: sarifArtifact{URI: uri},
			Region:           utf16Region(res.Source, d),
		}}},
	}
	if d.Fix != nil {
		change := sarifArtifactChange{ArtifactLocation: sarifArtifact{URI: uri}}
		for _, e := range d.Fix.Edits {
			rep := sarifReplacement{DeletedRegion: sarifByteRegion{ByteOffset: e.Start, ByteLength: e.End - e.Start}}
			if e.NewText != "" {
				rep.InsertedContent = &sarifText{Text: e.NewText}
			}
			change.Replacements = append(change.Replacements, rep)
		}
		out.Fixes = []sarifFix{{Description: sarifText{Text: d.Fix.Description}, ArtifactChanges: []sarifArtifactChange{change}}}
	}
	return out
}

// utf16Region converts a diagnostic's byte columns to the UTF-16 columns
// that SARIF counts by default. An empty range gets no end.
func utf16Region(src []byte, d *lint.Diagnostic) sarifRegion {
	s, e := d.Range.Start, d.Range.End
	region := sarifRegion{StartLine: s.Line, StartColumn: utf16Col(lineText(src, s.Line), s.Col)}
	if e.Offset > s.Offset {
		region.EndLine = e.Line
		region.EndColumn = utf16Col(lineText(src, e.Line), e.Col)
	}
	return region
}

// utf16Col converts a 1-based byte column of line to a 1-based column in
// UTF-16 code units. Columns past the end of the line, such as an
// exclusive end, keep their distance from it.
func utf16Col(line string, col int) int {
	if col < 1 {
		return 1
	}
	n := min(col-1, len(line))
	units := 0
	for _, r := range line[:n] {
		units += utf16.RuneLen(r)
	}
	return units + 1 + (col - 1 - n)
}

// artifactURI turns a file name into a URI reference: a relative path with
// forward slashes, so that code scanning resolves it against the checkout,
// or a file: URI for an absolute path.
func artifactURI(name string) string {
	slashed := filepath.ToSlash(name)
	parts := strings.Split(slashed, "/")
	for i, p := range parts {
		parts[i] = url.PathEscape(p)
	}
	escaped := strings.Join(parts, "/")
	if filepath.IsAbs(name) {
		return "file://" + escaped
	}
	return escaped
}

// sarifVersions returns the tool version in the forms SARIF validators
// expect, starting with a digit: "1.2.0" for the module version "v1.2.0".
// A build without a module version, such as "dev", reports 0.0.0-dev.
func sarifVersions(v string) (version, semver string) {
	trimmed := strings.TrimPrefix(v, "v")
	if trimmed == "" || trimmed[0] < '0' || trimmed[0] > '9' {
		if v == "" {
			v = "devel"
		}
		return v, "" // "devel" is no semantic version, so that field stays out
	}
	return trimmed, trimmed
}

func sarifLevel(s rules.Severity) string {
	switch s {
	case rules.SeverityError:
		return "error"
	case rules.SeverityWarning:
		return "warning"
	}
	return "note"
}
