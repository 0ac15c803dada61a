package review

import (
	"encoding/json"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/dockmine/dockmine/rules"
)

// listEntry is one line of a candidate list in JSON.
type listEntry struct {
	ID         string   `json:"id"`
	Score      float64  `json:"score"`
	Kind       string   `json:"kind"`
	State      string   `json:"state"`
	Code       string   `json:"code,omitempty"`
	Repos      int      `json:"repos"`
	Families   int      `json:"families"`
	Confidence float64  `json:"confidence"`
	Contrast   *float64 `json:"contrast_confidence"`
	Text       string   `json:"text"`
}

// WriteList writes one line per candidate with its score, kind, the
// reviewer's decision state or rule code, its support and its confidence,
// under a header row. With asJSON it writes one JSON object per line and no
// header.
func WriteList(w io.Writer, s *Session, cands []*rules.Candidate, asJSON bool) error {
	enc := json.NewEncoder(w)
	idWidth := len("ID")
	for _, c := range cands {
		idWidth = max(idWidth, len(c.ID))
	}
	if !asJSON {
		if _, err := fmt.Fprintf(w, "%-*s %6s %-11s %-9s %5s %5s %5s %5s  %s\n", idWidth, "ID", "SCORE", "KIND", "STATE", "REPOS", "FAMS", "CONF", "CONTR", "STATEMENT"); err != nil {
			return err
		}
	}
	for _, c := range cands {
		e := listEntry{ID: c.ID, Score: c.Score, Kind: c.Kind, State: s.State(c.ID), Repos: c.Support.Repos,
			Families: c.Support.Families, Confidence: c.Confidence, Text: c.Text}
		if d := s.Decision(c.ID); d != nil && d.Verdict == Approve {
			e.Code = d.Code
		}
		if c.Contrast != nil {
			e.Contrast = &c.Contrast.Confidence
		}
		if asJSON {
			if err := enc.Encode(e); err != nil {
				return err
			}
			continue
		}
		contrast := "-"
		if e.Contrast != nil {
			contrast = fmt.Sprintf("%.2f", *e.Contrast)
		}
		state := e.State
		if e.Code != "" {
			state = e.Code
		}
		if _, err := fmt.Fprintf(w, "%-*s %6.3f %-11s %-9s %5d %5d %5.2f %5s  %s\n", idWidth, e.ID, e.Score, e.Kind, state, e.Repos, e.Families, e.Confidence, contrast, e.Text); err != nil {
			return err
		}
	}
	return nil
}

// ReadLogs reads the decisions files of the named reviewers in dir, or of
// every reviewer with a file there when names is empty. It returns an
// error unless there are two reviewers or more.
func ReadLogs(dir string, names []string) ([]*Log, error) {
	named := len(names) > 0
	if !named {
		paths, err := filepath.Glob(filepath.Join(dir, "*.yaml"))
		if err != nil {
			return nil, err
		}
		for _, p := range paths {
			names = append(names, strings.TrimSuffix(filepath.Base(p), ".yaml"))
		}
	}
	slices.Sort(names)
	names = slices.Compact(names)
	switch {
	case len(names) < 2 && named:
		return nil, fmt.Errorf("too few reviewers: --reviewers names %d; name two or more", len(names))
	case len(names) < 2:
		return nil, fmt.Errorf("too few reviewers: %s contains %d decisions file(s); agreement needs two or more", dir, len(names))
	}

	var logs []*Log
	for _, n := range names {
		if err := CheckReviewer(n); err != nil {
			return nil, err
		}
		path := LogPath(dir, n)
		if _, err := os.Stat(path); err != nil {
			return nil, fmt.Errorf("no decisions of reviewer %s: %w", n, err)
		}
		l, err := ReadLog(path)
		if err != nil {
			return nil, err
		}
		logs = append(logs, l)
	}
	return logs, nil
}

// WriteAgreements writes the kappa, the table of verdicts and the
// disagreements with their reasons of each pair of reviewers.
func WriteAgreements(w io.Writer, results []*Agreement) error {
	var b strings.Builder
	for i, ag := range results {
		if i > 0 {
			b.WriteString("\n")
		}
		a, c := ag.Reviewers[0], ag.Reviewers[1]
		kappa := "undefined"
		if !math.IsNaN(ag.Kappa) {
			kappa = fmt.Sprintf("%.3f", ag.Kappa)
		}
		fmt.Fprintf(&b, "%s and %s: kappa %s over %d candidates both decided", a, c, kappa, ag.Items)
		if ag.Items > 0 {
			fmt.Fprintf(&b, " (observed agreement %.3f, expected by chance %.3f)", ag.Observed, ag.Expected)
		}
		b.WriteString("\n")

		// Rows are the first reviewer's verdicts, columns the second's.
		label := a + " \\ " + c
		width := max(len(label), len("approve"))
		fmt.Fprintf(&b, "%-*s %8s %8s %8s\n", width, label, Approve, Reject, Defer)
		for row, v := range Verdicts {
			fmt.Fprintf(&b, "%-*s %8d %8d %8d\n", width, v, ag.Table[row][0], ag.Table[row][1], ag.Table[row][2])
		}

		fmt.Fprintf(&b, "disagreements: %d\n", len(ag.Disagreements))
		for _, d := range ag.Disagreements {
			fmt.Fprintf(&b, "  %s  %s %s, %s %s\n", d.Candidate, a, d.Verdicts[0], c, d.Verdicts[1])
			for k, reason := range d.Reasons {
				if reason != "" {
					fmt.Fprintf(&b, "      %s: %s\n", ag.Reviewers[k], reason)
				}
			}
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// agreementJSON is one pair of reviewers in JSON.
type agreementJSON struct {
	Reviewers     [2]string      `json:"reviewers"`
	Items         int            `json:"items"`
	Observed      *float64       `json:"observed"`
	Expected      *float64       `json:"expected"`
	Kappa         *float64       `json:"kappa"` // null when undefined
	Table         [3][3]int      `json:"table"` // rows: the first reviewer's approve, reject, defer; columns: the second's
	Disagreements []Disagreement `json:"disagreements"`
}

// WriteAgreementsJSON writes the pairs of reviewers as one indented JSON
// array. Measures that are undefined, such as kappa without items, are
// null.
func WriteAgreementsJSON(w io.Writer, results []*Agreement) error {
	finite := func(x float64) *float64 {
		if math.IsNaN(x) {
			return nil
		}
		return &x
	}
	out := make([]agreementJSON, 0, len(results))
	for _, ag := range results {
		out = append(out, agreementJSON{
			Reviewers: ag.Reviewers, Items: ag.Items, Observed: finite(ag.Observed), Expected: finite(ag.Expected),
			Kappa: finite(ag.Kappa), Table: ag.Table, Disagreements: ag.Disagreements,
		})
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(out)
}
