package mining

import (
	"cmp"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"time"
)

// Names of the files a history run writes to its output directory.
const (
	DriftFile          = "drift.csv"
	HistoryFile        = "history.jsonl"
	HistorySummaryFile = "history-summary.json"
)

// DriftRow is how often one pattern held in one year: a row of drift.csv.
// Counts are taken over the files as they were at the end of the year, the
// last version committed in or before it of every path that existed then.
type DriftRow struct {
	Candidate      string  // the candidate id; "" without candidates
	Kind           string  // flag, operand, follows, precedes, absent or instruction
	Antecedent     string  // as candidates.jsonl writes it
	Consequent     string  // as candidates.jsonl writes it
	Year           int     // of the commit dates
	Repos          int     // repositories with a file where the antecedent occurs
	Files          int     // files where the antecedent occurs
	Instances      int     // antecedent occurrences
	WithConsequent int     // of them, those where the consequent holds
	Share          float64 // WithConsequent / Instances
}

// RuleHistory is the record of how the violations of one rule came and
// went: a line of history.jsonl. A violation is one place the rule flags.
// Two versions of a file share a violation when its line is the same after
// digits and checksums are normalized. A violation is fixed when a commit
// removes it from a file that stays.
type RuleHistory struct {
	Source     string `json:"source"`               // "candidate" or "pack"
	Rule       string `json:"rule,omitempty"`       // the pack rule's code
	Name       string `json:"name,omitempty"`       // the pack rule's name
	Candidate  string `json:"candidate,omitempty"`  // the candidate's id
	Kind       string `json:"kind,omitempty"`       // the candidate's kind
	Antecedent string `json:"antecedent,omitempty"` // the candidate's antecedent
	Consequent string `json:"consequent,omitempty"` // the candidate's consequent
	Title      string `json:"title"`                // the rule's title or the candidate's sentence

	PresentAtStart  int `json:"present_at_start"`  // violations in the files after the oldest commit walked
	Introduced      int `json:"introduced"`        // violations a later commit added, to a changed or a new file
	Fixed           int `json:"fixed"`             // violations a later commit removed from a file it kept
	RemovedWithFile int `json:"removed_with_file"` // violations in files that a commit deleted
	Open            int `json:"open"`              // violations in the files at the last commit
	// FixRate is Fixed / (PresentAtStart + Introduced), 0 when there were
	// none.
	FixRate float64 `json:"fix_rate"`
	// FixDaysMedian is the median of the days between the commit that
	// added a violation and the one that fixed it. It covers the fixed
	// violations that were added within the history, and is null when
	// there are none.
	FixDaysMedian *float64     `json:"fix_days_median"`
	ByYear        []RuleYear   `json:"by_year"`
	Fixes         []FixExample `json:"fixes"` // the first fixes, at most 5, in repository, path and commit order

	fixDays []float64 // for FixDaysMedian
}

// RuleYear is a rule's violations in the files at the end of a year.
type RuleYear struct {
	Year           int `json:"year"`
	Files          int `json:"files"`           // files that existed
	ViolatingFiles int `json:"violating_files"` // of them, those with a violation
	Violations     int `json:"violations"`
}

// FixExample is one commit that fixed a violation.
type FixExample struct {
	Repo   string    `json:"repo"`
	Path   string    `json:"path"`
	Commit string    `json:"commit"`
	Time   time.Time `json:"time"`
	Text   string    `json:"text"` // the line that broke the rule, before the fix
}

const maxFixExamples = 5

// report aggregates the analyzed timelines.
func (h *historyRun) report() *HistoryReport {
	slices.SortFunc(h.timelines, func(a, b *pathTimeline) int {
		return cmp.Or(cmp.Compare(a.repo, b.repo), cmp.Compare(a.path, b.path))
	})
	r := &HistoryReport{Rules: h.rules}
	h.summarize(&r.Summary)

	years := yearsOf(h.timelines)
	if len(years) > 0 {
		r.Summary.FirstYear, r.Summary.LastYear = years[0], years[len(years)-1]
	}
	for _, y := range years {
		h.snapshot(r, y)
	}
	for _, tl := range h.timelines {
		h.follow(r, tl)
	}
	for i := range r.Rules {
		finishRule(&r.Rules[i])
	}
	r.Summary.Rules = len(r.Rules)
	slices.SortStableFunc(r.Drift, func(a, b DriftRow) int {
		return cmp.Or(cmp.Compare(a.Antecedent, b.Antecedent), cmp.Compare(a.Consequent, b.Consequent),
			cmp.Compare(a.Kind, b.Kind), cmp.Compare(a.Year, b.Year))
	})
	for i, d := range r.Drift {
		if i == 0 || d.Antecedent != r.Drift[i-1].Antecedent || d.Consequent != r.Drift[i-1].Consequent || d.Kind != r.Drift[i-1].Kind {
			r.Summary.Patterns++
		}
	}
	return r
}

// summarize counts repositories, paths, versions and failed contents.
func (h *historyRun) summarize(s *HistorySummary) {
	repos := map[string]bool{}
	failed := map[string]bool{}
	for _, tl := range h.timelines {
		repos[tl.repo] = true
		s.Paths++
		for _, e := range tl.entries {
			if !e.exists() {
				continue
			}
			s.Versions++
			if e.stats.err != nil && !failed[e.id] {
				failed[e.id] = true
				s.Failures = append(s.Failures, Failure{File: tl.repo + "/" + tl.path + "@" + e.commit, Error: e.stats.err.Error()})
			}
		}
	}
	s.Repos, s.Contents, s.Failed = len(repos), len(h.contents), len(failed)
	s.Unmatched = nonNil(h.unmatched)
	if s.Failures == nil {
		s.Failures = []Failure{}
	}
}

// yearsOf returns every year from the first to the last commit date.
func yearsOf(tls []*pathTimeline) []int {
	first, last := 0, 0
	for _, tl := range tls {
		for _, e := range tl.entries {
			if e.time.IsZero() {
				continue
			}
			y := e.time.UTC().Year()
			if first == 0 || y < first {
				first = y
			}
			last = max(last, y)
		}
	}
	var out []int
	for y := first; first > 0 && y <= last; y++ {
		out = append(out, y)
	}
	return out
}

// atYearEnd returns the version of a path at the end of year y: the last
// one committed in or before y that parsed. It returns nil when the path
// did not exist then.
func (tl *pathTimeline) atYearEnd(y int) *timelineEntry {
	var at *timelineEntry
	for i := range tl.entries {
		e := &tl.entries[i]
		if e.time.UTC().Year() > y {
			continue
		}
		if e.exists() && e.stats.err != nil {
			continue
		}
		at = e
	}
	if at == nil || !at.exists() {
		return nil
	}
	return at
}

// yearCount is an antecedent's counts in one year.
type yearCount struct {
	files, inst int
	repos       map[string]bool
}

// snapshot adds the drift rows and the rules' counts of year y.
func (h *historyRun) snapshot(r *HistoryReport, y int) {
	antes := map[[2]int]*yearCount{} // by antecedent and variant
	pats := map[patKey][variants]int{}
	ruleYears := make([]RuleYear, len(r.Rules))
	files := 0
	for _, tl := range h.timelines {
		e := tl.atYearEnd(y)
		if e == nil {
			continue
		}
		files++
		for ante, n := range e.stats.antes {
			for v := range variants {
				if n[v] == 0 {
					continue
				}
				yc := antes[[2]int{int(ante), v}]
				if yc == nil {
					yc = &yearCount{repos: map[string]bool{}}
					antes[[2]int{int(ante), v}] = yc
				}
				yc.files++
				yc.inst += int(n[v])
				yc.repos[tl.repo] = true
			}
		}
		for pk, n := range e.stats.pats {
			sum := pats[pk]
			for v := range variants {
				sum[v] += int(n[v])
			}
			pats[pk] = sum
		}
		for i, list := range e.stats.viols {
			if len(list) > 0 {
				ruleYears[i].ViolatingFiles++
				ruleYears[i].Violations += len(list)
			}
		}
	}
	for i := range r.Rules {
		ruleYears[i].Year, ruleYears[i].Files = y, files
		r.Rules[i].ByYear = append(r.Rules[i].ByYear, ruleYears[i])
	}

	row := func(candidate, kind string, ante, cons keyID, variant int) {
		yc := antes[[2]int{int(ante), variant}]
		if yc == nil {
			return
		}
		anteText, consText := h.keys.text(ante), h.keys.text(cons)
		display := displayAntecedent(anteText)
		if variant == variantShipped {
			display += " " + shippedSuffix
		}
		with := pats[makePatKey(ante, cons)][variant]
		r.Drift = append(r.Drift, DriftRow{
			Candidate: candidate, Kind: kind, Antecedent: display, Consequent: displayConsequent(consText), Year: y,
			Repos: len(yc.repos), Files: yc.files, Instances: yc.inst, WithConsequent: with,
			Share: round4(float64(with) / float64(yc.inst)),
		})
	}
	if !h.followAll {
		for _, t := range h.track {
			row(t.candidate.ID, t.candidate.Kind, t.anteID, t.consID, t.variant)
		}
		return
	}
	for _, pk := range h.followedPatterns() {
		kind, _ := kindOf(h.keys.text(pk.ante()), h.keys.text(pk.cons()))
		row("", kind, pk.ante(), pk.cons(), variantAll)
	}
}

// followedPatterns returns, without candidates, every pattern that held
// somewhere in the history.
func (h *historyRun) followedPatterns() []patKey {
	seen := map[patKey]bool{}
	for _, st := range h.contents {
		for pk := range st.pats {
			seen[pk] = true
		}
	}
	out := make([]patKey, 0, len(seen))
	for pk := range seen {
		out = append(out, pk)
	}
	slices.SortFunc(out, func(a, b patKey) int {
		return cmp.Or(cmp.Compare(h.keys.text(a.ante()), h.keys.text(b.ante())), cmp.Compare(h.keys.text(a.cons()), h.keys.text(b.cons())))
	})
	return out
}

// follow walks one path's versions and counts, per rule, the violations
// present at the start, introduced, fixed, removed with the file and open
// at the end.
func (h *historyRun) follow(r *HistoryReport, tl *pathTimeline) {
	// born holds, per rule and signature, the commit times of the
	// violations now present, oldest first; a zero time marks one present
	// at the start.
	born := map[int]map[uint64][]time.Time{}
	var prev *contentStats
	for i := range tl.entries {
		e := &tl.entries[i]
		if e.exists() && e.stats.err != nil {
			continue
		}
		var next *contentStats
		if e.exists() {
			next = e.stats
		}
		for _, idx := range ruleIndexes(prev, next) {
			rh := &r.Rules[idx]
			if born[idx] == nil {
				born[idx] = map[uint64][]time.Time{}
			}
			h.compare(rh, born[idx], tl, e, prev.violations(idx), next.violations(idx))
		}
		prev = next
	}
	for idx := range born {
		r.Rules[idx].Open += len(prev.violations(idx))
	}
}

// compare counts the violations of one rule that a version added or
// removed against the version before it.
func (h *historyRun) compare(rh *RuleHistory, born map[uint64][]time.Time, tl *pathTimeline, e *timelineEntry, before, after []violation) {
	switch {
	case !e.exists():
		rh.RemovedWithFile += len(before)
		clear(born)
		return
	case e.seq <= 0:
		// The file as it was after the oldest commit walked: when its
		// violations came is not known.
		rh.PresentAtStart += len(after)
		for _, v := range after {
			born[v.sig] = append(born[v.sig], time.Time{})
		}
		return
	}

	counts := map[uint64]int{}
	for _, v := range after {
		counts[v.sig]++
	}
	for _, v := range before {
		if counts[v.sig] > 0 {
			counts[v.sig]--
			continue
		}
		// A violation the version no longer has.
		rh.Fixed++
		times := born[v.sig]
		if len(times) > 0 {
			if !times[0].IsZero() {
				rh.fixDays = append(rh.fixDays, e.time.Sub(times[0]).Hours()/24)
			}
			born[v.sig] = times[1:]
		}
		if len(rh.Fixes) < maxFixExamples {
			rh.Fixes = append(rh.Fixes, FixExample{Repo: tl.repo, Path: tl.path, Commit: e.commit, Time: e.time, Text: v.text})
		}
	}
	for _, v := range after {
		if counts[v.sig] > 0 {
			counts[v.sig]--
			rh.Introduced++
			born[v.sig] = append(born[v.sig], e.time)
		}
	}
}

// finishRule computes the rates of a rule.
func finishRule(rh *RuleHistory) {
	if total := rh.PresentAtStart + rh.Introduced; total > 0 {
		rh.FixRate = round4(float64(rh.Fixed) / float64(total))
	}
	if len(rh.fixDays) > 0 {
		slices.Sort(rh.fixDays)
		n := len(rh.fixDays)
		m := rh.fixDays[n/2]
		if n%2 == 0 {
			m = (rh.fixDays[n/2-1] + rh.fixDays[n/2]) / 2
		}
		m = round4(m)
		rh.FixDaysMedian = &m
	}
	if rh.Fixes == nil {
		rh.Fixes = []FixExample{}
	}
	if rh.ByYear == nil {
		rh.ByYear = []RuleYear{}
	}
}

// Write writes drift.csv, history.jsonl and history-summary.json to dir,
// creating it if needed.
func (r *HistoryReport) Write(dir string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("create output directory: %w", err)
	}
	if err := writeFile(filepath.Join(dir, DriftFile), r.writeDrift); err != nil {
		return err
	}
	if err := writeFile(filepath.Join(dir, HistoryFile), r.writeRules); err != nil {
		return err
	}
	return writeFile(filepath.Join(dir, HistorySummaryFile), func(w io.Writer) error {
		enc := json.NewEncoder(w)
		enc.SetEscapeHTML(false)
		enc.SetIndent("", "  ")
		return enc.Encode(r.Summary)
	})
}

func (r *HistoryReport) writeDrift(w io.Writer) error {
	cw := csv.NewWriter(w)
	header := []string{"candidate", "kind", "antecedent", "consequent", "year", "repos", "files", "instances", "with_consequent", "share"}
	if err := cw.Write(header); err != nil {
		return err
	}
	for _, d := range r.Drift {
		row := []string{
			d.Candidate, d.Kind, d.Antecedent, d.Consequent, strconv.Itoa(d.Year), strconv.Itoa(d.Repos),
			strconv.Itoa(d.Files), strconv.Itoa(d.Instances), strconv.Itoa(d.WithConsequent),
			strconv.FormatFloat(d.Share, 'f', -1, 64),
		}
		if err := cw.Write(row); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

func (r *HistoryReport) writeRules(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	for _, rh := range r.Rules {
		if err := enc.Encode(rh); err != nil {
			return err
		}
	}
	return nil
}
