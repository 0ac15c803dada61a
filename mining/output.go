package mining

import (
	"bufio"
	"cmp"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/dockmine/dockmine/rules"
)

// Names of the files a run writes to its output directory.
const (
	CandidatesFile     = "candidates.jsonl"
	CandidatesMarkdown = "candidates.md"
	CommandsFile       = "commands.csv"
	SummaryFile        = "summary.json"
	CountsFile         = "counts.jsonl.gz"
	ContrastCountsFile = "contrast-counts.jsonl.gz"
)

// Report is everything a mining run writes.
type Report struct {
	Inputs         []string // expert corpus inputs, as given
	ContrastInputs []string // contrast corpus inputs; empty without one
	Expert         *Counts
	Contrast       *Counts // nil without a contrast corpus
	Result         *Result
	Options        Options
	Timing         Timing
}

// Timing is the wall time of a run's steps, in seconds.
type Timing struct {
	Expert     float64 `json:"expert_seconds"`     // parsing and counting the expert corpus
	Contrast   float64 `json:"contrast_seconds"`   // the same for the contrast corpus
	Candidates float64 `json:"candidates_seconds"` // turning counts into candidates
	Total      float64 `json:"total_seconds"`
}

// Summary is the content of summary.json.
type Summary struct {
	Inputs         []string       `json:"inputs"`
	ContrastInputs []string       `json:"contrast_inputs"`
	Expert         CorpusStats    `json:"expert"`
	Contrast       *CorpusStats   `json:"contrast"`
	Thresholds     Thresholds     `json:"thresholds"`
	Patterns       int            `json:"patterns"`
	Candidates     int            `json:"candidates"`
	ByKind         map[string]int `json:"by_kind"`
	Dropped        Dropped        `json:"dropped"`
	Timing         Timing         `json:"timing"`
}

// Thresholds are the limits a run used.
type Thresholds struct {
	MinRepos         int     `json:"min_repos"`
	MinFamilies      int     `json:"min_families"`
	MinConfidence    float64 `json:"min_confidence"`
	FamilySimilarity float64 `json:"family_similarity"`
	BothHigh         float64 `json:"both_high"`
	MinOddsRatio     float64 `json:"min_odds_ratio"`
	MinSpecificity   float64 `json:"min_specificity"`
	RefinementGain   float64 `json:"refinement_gain"`
}

// Summary returns the summary of the report.
func (r *Report) Summary() Summary {
	opts := r.Options.withDefaults()
	s := Summary{
		Inputs:         nonNil(r.Inputs),
		ContrastInputs: nonNil(r.ContrastInputs),
		Expert:         r.Expert.Stats(),
		Thresholds: Thresholds{
			MinRepos: opts.MinRepos, MinFamilies: opts.MinFamilies, MinConfidence: opts.MinConfidence,
			FamilySimilarity: opts.FamilySimilarity, BothHigh: bothHigh, MinOddsRatio: minOddsRatio,
			MinSpecificity: minSpecificity, RefinementGain: refinementGain,
		},
		Patterns:   r.Result.Patterns,
		Candidates: len(r.Result.Candidates),
		ByKind:     map[string]int{},
		Dropped:    r.Result.Dropped,
		Timing:     r.Timing,
	}
	if r.Contrast != nil {
		cs := r.Contrast.Stats()
		s.Contrast = &cs
	}
	for _, c := range r.Result.Candidates {
		s.ByKind[c.Kind]++
	}
	return s
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// Write writes every output file of the report to dir, creating it if
// needed: candidates, their Markdown list, command statistics, the summary,
// and the counts that [Counts.Merge] combines.
func (r *Report) Write(dir string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("create output directory: %w", err)
	}
	files := []struct {
		name  string
		write func(io.Writer) error
	}{
		{CandidatesFile, r.writeCandidates},
		{CandidatesMarkdown, r.writeMarkdown},
		{CommandsFile, r.writeCommands},
		{SummaryFile, r.writeSummary},
		{CountsFile, func(w io.Writer) error { _, err := r.Expert.WriteTo(w); return err }},
	}
	if r.Contrast != nil {
		files = append(files, struct {
			name  string
			write func(io.Writer) error
		}{ContrastCountsFile, func(w io.Writer) error { _, err := r.Contrast.WriteTo(w); return err }})
	} else if err := os.Remove(filepath.Join(dir, ContrastCountsFile)); err != nil && !errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("remove stale %s: %w", ContrastCountsFile, err)
	}

	for _, f := range files {
		if err := writeFile(filepath.Join(dir, f.name), f.write); err != nil {
			return err
		}
	}
	return nil
}

// writeFile writes a file through a buffer and reports a failed close.
func writeFile(name string, write func(io.Writer) error) (err error) {
	f, err := os.Create(name)
	if err != nil {
		return fmt.Errorf("write %s: %w", name, err)
	}
	defer func() {
		if cerr := f.Close(); cerr != nil && err == nil {
			err = fmt.Errorf("write %s: %w", name, cerr)
		}
	}()
	bw := bufio.NewWriter(f)
	if err := write(bw); err != nil {
		return fmt.Errorf("write %s: %w", name, err)
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("write %s: %w", name, err)
	}
	return nil
}

func (r *Report) writeCandidates(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	for _, c := range r.Result.Candidates {
		if err := enc.Encode(c); err != nil {
			return err
		}
	}
	return nil
}

func (r *Report) writeSummary(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	return enc.Encode(r.Summary())
}

// writeCommands writes one row per command and subcommand, most frequent
// first, with how often the schema matched it and the contrast corpus ran
// it.
func (r *Report) writeCommands(w io.Writer) error {
	cw := csv.NewWriter(w)
	header := []string{"command", "subcommand", "instances", "files", "repos", "schema_known", "flags", "unknown_flags", "contrast_instances", "contrast_repos"}
	if err := cw.Write(header); err != nil {
		return err
	}

	names := make([]string, 0, len(r.Expert.commands))
	for name := range r.Expert.commands {
		names = append(names, name)
	}
	slices.SortFunc(names, func(a, b string) int {
		return cmp.Or(cmp.Compare(r.Expert.commands[b].Inst, r.Expert.commands[a].Inst), cmp.Compare(a, b))
	})
	for _, name := range names {
		s := r.Expert.commands[name]
		cmd, sub, _ := strings.Cut(name, "\t")
		var contrast commandStat
		if r.Contrast != nil {
			if cs := r.Contrast.commands[name]; cs != nil {
				contrast = *cs
			}
		}
		row := []string{
			cmd, sub, itoa(s.Inst), itoa(s.Files), itoa(s.Repos), itoa(s.Known),
			itoa(s.Flags), itoa(s.UnknownFlags), itoa(contrast.Inst), itoa(contrast.Repos),
		}
		if err := cw.Write(row); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// writeMarkdown writes the candidates as a ranked list for reading.
func (r *Report) writeMarkdown(w io.Writer) error {
	s := r.Summary()
	bw := &errWriter{w: w}
	bw.printf("# Mined candidate rules\n\n")
	bw.printf("%d candidates from %d patterns; expert corpus: %d files (%d parsed) in %d repositories, %d template families.",
		s.Candidates, s.Patterns, s.Expert.Files, s.Expert.Parsed, s.Expert.Repos, s.Expert.Families)
	if s.Contrast != nil {
		bw.printf(" Contrast corpus: %d files in %d repositories.", s.Contrast.Files, s.Contrast.Repos)
	}
	bw.printf("\nThresholds: at least %d repositories and %d families, confidence at least %g.\n\n",
		s.Thresholds.MinRepos, s.Thresholds.MinFamilies, s.Thresholds.MinConfidence)

	for i, c := range r.Result.Candidates {
		bw.printf("%d. %s\n", i+1, c.Text)
		bw.printf("   - `%s` %s, %s scope: `%s` → `%s`", c.ID, c.Kind, c.Scope, c.Antecedent, c.Consequent)
		if len(c.Alternatives) > 0 {
			bw.printf(" (or %s)", quoteAll(c.Alternatives))
		}
		bw.printf("\n   - confidence %.3f", c.Confidence)
		if c.Contrast != nil {
			bw.printf(", contrast %.3f over %d instances, lift %.2f", c.Contrast.Confidence, c.Contrast.Instances, c.Lift)
		}
		bw.printf(", score %.2f; support %d instances, %d files, %d repositories, %d families\n",
			c.Score, c.Support.Instances, c.Support.Files, c.Support.Repos, c.Support.Families)
		writeExamples(bw, "follows", c.Examples.Satisfied)
		writeExamples(bw, "breaks", c.Examples.Violated)
	}
	return bw.err
}

func writeExamples(bw *errWriter, label string, list []rules.Example) {
	for _, e := range list {
		bw.printf("   - %s: `%s:%d` `%s`\n", label, e.File, e.Line, strings.ReplaceAll(e.Text, "`", "'"))
	}
}

func quoteAll(list []string) string {
	out := make([]string, len(list))
	for i, s := range list {
		out[i] = "`" + s + "`"
	}
	return strings.Join(out, ", ")
}

// errWriter keeps the first write error so that a long sequence of prints
// needs one check.
type errWriter struct {
	w   io.Writer
	err error
}

func (e *errWriter) printf(format string, args ...any) {
	if e.err != nil {
		return
	}
	_, e.err = fmt.Fprintf(e.w, format, args...)
}
