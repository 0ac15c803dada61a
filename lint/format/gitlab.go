package format

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/dockmine/dockmine/rules"
)

// gitlab writes GitLab's Code Quality report: a JSON array of issues in a
// subset of the Code Climate format, shown in merge request widgets.
type gitlab struct{}

type gitlabIssue struct {
	Description string         `json:"description"`
	CheckName   string         `json:"check_name"`
	Fingerprint string         `json:"fingerprint"`
	Severity    string         `json:"severity"` // info, minor, major, critical or blocker
	Location    gitlabLocation `json:"location"`
}

type gitlabLocation struct {
	Path  string      `json:"path"`
	Lines gitlabLines `json:"lines"`
}

type gitlabLines struct {
	Begin int `json:"begin"`
	End   int `json:"end"`
}

func (gitlab) Format(w io.Writer, r *Report) error {
	issues := []gitlabIssue{}
	for _, res := range r.Results {
		seen := map[string]int{}
		for _, d := range res.Diagnostics {
			// The fingerprint hashes the rule, the file and the text of
			// the line, not its number, so that an issue keeps its
			// identity when lines above it move. A counter separates
			// equal lines that break the same rule.
			text := strings.TrimSpace(lineText(res.Source, d.Range.Start.Line))
			key := d.Rule.Code + "\x00" + d.File + "\x00" + text
			seen[key]++
			sum := sha256.Sum256([]byte(fmt.Sprintf("%s\x00%d", key, seen[key])))

			issues = append(issues, gitlabIssue{
				Description: d.Rule.Code + " " + d.Message,
				CheckName:   d.Rule.Code,
				Fingerprint: hex.EncodeToString(sum[:16]),
				Severity:    gitlabSeverity(d.Severity),
				Location: gitlabLocation{
					Path:  res.File,
					Lines: gitlabLines{Begin: d.Range.Start.Line, End: max(d.Range.Start.Line, d.Range.End.Line)},
				},
			})
		}
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(issues)
}

func gitlabSeverity(s rules.Severity) string {
	switch s {
	case rules.SeverityError:
		return "critical"
	case rules.SeverityWarning:
		return "major"
	case rules.SeverityInfo:
		return "minor"
	}
	return "info"
}
