package mining

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/dockmine/dockmine/rules"
)

// keyserverDockerfile fetches a key from a keyserver, as official images
// did before and after the SKS pool shut down in 2021.
func keyserverDockerfile(server string) string {
	return "FROM debian:12.6\n" +
		"RUN gpg --batch --keyserver " + server + " --recv-keys 0123456789ABCDEF0123456789ABCDEF01234567\n"
}

func date(y int, m time.Month, d int) time.Time {
	return time.Date(y, m, d, 12, 0, 0, 0, time.UTC)
}

func content(src string) Content {
	return Content{Src: []byte(src)}
}

// historySource yields histories from memory.
func historySource(histories ...FileHistory) HistorySource {
	return func(yield func(FileHistory, error) bool) {
		for _, h := range histories {
			if !yield(h, nil) {
				return
			}
		}
	}
}

// keyserverHistories are two repositories that move from the ha.pool
// keyserver to keyserver.ubuntu.com, one in 2020 and one in 2021.
func keyserverHistories() []FileHistory {
	pool, ubuntu := keyserverDockerfile("ha.pool.sks-keyservers.net"), keyserverDockerfile("keyserver.ubuntu.com")
	return []FileHistory{
		{
			Repo: "one/image", Path: "Dockerfile", Start: date(2019, 3, 1), Initial: content(pool),
			Changes: []Change{{Seq: 1, Commit: "c1", Time: date(2020, 6, 1), After: content(ubuntu)}},
		},
		{
			Repo: "two/image", Path: "Dockerfile", Start: date(2019, 5, 1),
			Changes: []Change{
				{Seq: 0, Commit: "d0", Time: date(2019, 5, 1), After: content(pool)},
				{Seq: 1, Commit: "d1", Time: date(2021, 2, 1), After: content(ubuntu)},
			},
		},
	}
}

// driftShare returns the share of a pattern in a year, or -1.
func driftShare(rows []DriftRow, ante, cons string, year int) float64 {
	for _, d := range rows {
		if d.Antecedent == ante && d.Consequent == cons && d.Year == year {
			return d.Share
		}
	}
	return -1
}

func TestMineHistoryDrift(t *testing.T) {
	r, err := MineHistory(context.Background(), historySource(keyserverHistories()...), HistoryOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if r.Summary.Repos != 2 || r.Summary.Paths != 2 || r.Summary.FirstYear != 2019 || r.Summary.LastYear != 2021 {
		t.Errorf("summary %+v, want 2 repositories and 2 paths from 2019 to 2021", r.Summary)
	}
	tests := []struct {
		cons string
		year int
		want float64
	}{
		{"--keyserver=ha.pool.sks-keyservers.net", 2019, 1},
		{"--keyserver=ha.pool.sks-keyservers.net", 2020, 0.5},
		{"--keyserver=ha.pool.sks-keyservers.net", 2021, 0},
		{"--keyserver=keyserver.ubuntu.com", 2019, 0},
		{"--keyserver=keyserver.ubuntu.com", 2021, 1},
		{"--batch", 2020, 1},
	}
	for _, tt := range tests {
		if got := driftShare(r.Drift, "gpg --recv-keys", tt.cons, tt.year); got != tt.want {
			t.Errorf("share of gpg --recv-keys → %s in %d is %v, want %v", tt.cons, tt.year, got, tt.want)
		}
	}
}

func TestMineHistoryCandidates(t *testing.T) {
	ante, cons := prefixCmd+"gpg --recv-keys", prefixValue+"--keyserver=ha.pool.sks-keyservers.net"
	cand := rules.Candidate{
		ID: candidateID("flag", "script", ante, cons, variantAll), Kind: "flag", Scope: "script",
		Antecedent: "gpg --recv-keys", Consequent: "--keyserver=ha.pool.sks-keyservers.net",
		Text: "`gpg --recv-keys` is run with `--keyserver=ha.pool.sks-keyservers.net`.",
	}
	stranger := rules.Candidate{ID: "mine-000000000000", Kind: "flag", Antecedent: "gpg", Consequent: "--armor"}
	opts := HistoryOptions{Candidates: []rules.Candidate{cand, stranger}}
	r, err := MineHistory(context.Background(), historySource(keyserverHistories()...), opts)
	if err != nil {
		t.Fatal(err)
	}

	if len(r.Summary.Unmatched) != 1 || r.Summary.Unmatched[0] != stranger.ID {
		t.Errorf("unmatched candidates %v, want [%s]", r.Summary.Unmatched, stranger.ID)
	}
	if got := driftShare(r.Drift, "gpg --recv-keys", cand.Consequent, 2020); got != 0.5 {
		t.Errorf("share in 2020 is %v, want 0.5", got)
	}
	if len(r.Rules) != 1 {
		t.Fatalf("%d rule histories, want 1", len(r.Rules))
	}
	// The candidate holds where ha.pool is used, so moving to
	// keyserver.ubuntu.com introduces its violations.
	rh := r.Rules[0]
	if rh.Candidate != cand.ID || rh.Introduced != 2 || rh.Fixed != 0 || rh.Open != 2 {
		t.Errorf("rule history %+v, want 2 violations introduced and open", rh)
	}
}

func TestMineHistoryFixes(t *testing.T) {
	bad := "FROM debian:12.6\nRUN apt-get update && apt-get install -y curl=7.88.1 && rm -rf /var/lib/apt/lists/*\n"
	bumped := "FROM debian:12.6\nRUN apt-get update && apt-get install -y curl=7.88.2 && rm -rf /var/lib/apt/lists/*\n"
	good := "FROM debian:12.6\nRUN apt-get update && apt-get install -y --no-install-recommends curl=7.88.2 && rm -rf /var/lib/apt/lists/*\n"
	histories := []FileHistory{
		{
			Repo: "one/image", Path: "Dockerfile", Start: date(2022, 1, 1),
			Changes: []Change{
				{Seq: 0, Commit: "a0", Time: date(2022, 1, 1), After: content(bad)},
				{Seq: 1, Commit: "a1", Time: date(2022, 3, 1), After: content(bumped)},
				{Seq: 2, Commit: "a2", Time: date(2022, 4, 1), After: content("FROM debian:12.6\nRUN <<EOF\n")},
				{Seq: 3, Commit: "a3", Time: date(2023, 1, 1), After: content(good)},
			},
		},
		{
			Repo: "one/image", Path: "old/Dockerfile", Start: date(2022, 1, 1),
			Changes: []Change{
				{Seq: 1, Commit: "a1", Time: date(2022, 3, 1), After: content(bad)},
				{Seq: 4, Commit: "a4", Time: date(2023, 2, 1), After: Content{}},
			},
		},
	}
	r, err := MineHistory(context.Background(), historySource(histories...), HistoryOptions{Pack: rules.Default()})
	if err != nil {
		t.Fatal(err)
	}
	if r.Summary.Failed != 1 || len(r.Summary.Failures) != 1 {
		t.Errorf("summary %+v, want the unterminated heredoc as one failure", r.Summary)
	}

	var rh *RuleHistory
	for i := range r.Rules {
		if r.Rules[i].Rule == "DM3001" {
			rh = &r.Rules[i]
		}
	}
	if rh == nil {
		t.Fatal("no history of DM3001, the apt-get install --no-install-recommends rule")
	}
	// The version bump keeps the violation; the failed version is skipped;
	// the deleted file takes its violation with it.
	if rh.PresentAtStart != 1 || rh.Introduced != 1 || rh.Fixed != 1 || rh.RemovedWithFile != 1 || rh.Open != 0 {
		t.Errorf("DM3001 history %+v, want 1 at start, 1 introduced, 1 fixed, 1 removed with its file, 0 open", rh)
	}
	if rh.FixRate != 0.5 {
		t.Errorf("fix rate %v, want 0.5", rh.FixRate)
	}
	if rh.FixDaysMedian != nil {
		t.Errorf("fix days %v, want none: the fixed violation was there at the start", *rh.FixDaysMedian)
	}
	if len(rh.Fixes) != 1 || rh.Fixes[0].Commit != "a3" || !strings.Contains(rh.Fixes[0].Text, "apt-get install") {
		t.Errorf("fixes %+v, want commit a3 on the apt-get line", rh.Fixes)
	}
	want := []RuleYear{{Year: 2022, Files: 2, ViolatingFiles: 2, Violations: 2}, {Year: 2023, Files: 1}}
	if len(rh.ByYear) != 2 || rh.ByYear[0] != want[0] || rh.ByYear[1] != want[1] {
		t.Errorf("by year %+v, want %+v", rh.ByYear, want)
	}
}

func TestMineHistoryFixDays(t *testing.T) {
	bad := "FROM debian:12.6\nRUN apt-get install -y curl\n"
	good := "FROM debian:12.6\nRUN apt-get install -y --no-install-recommends curl\n"
	h := FileHistory{
		Repo: "one/image", Path: "Dockerfile", Start: date(2022, 1, 1),
		Changes: []Change{
			{Seq: 0, Commit: "a0", Time: date(2022, 1, 1), After: content(good)},
			{Seq: 1, Commit: "a1", Time: date(2022, 1, 11), After: content(bad)},
			{Seq: 2, Commit: "a2", Time: date(2022, 1, 21), After: content(good)},
		},
	}
	r, err := MineHistory(context.Background(), historySource(h), HistoryOptions{Pack: rules.Default()})
	if err != nil {
		t.Fatal(err)
	}
	for _, rh := range r.Rules {
		if rh.Rule != "DM3001" {
			continue
		}
		if rh.Introduced != 1 || rh.Fixed != 1 || rh.FixDaysMedian == nil || *rh.FixDaysMedian != 10 {
			t.Errorf("DM3001 history %+v, want one violation fixed after 10 days", rh)
		}
		return
	}
	t.Fatal("no history of DM3001")
}

func TestMineHistoryWrite(t *testing.T) {
	r, err := MineHistory(context.Background(), historySource(keyserverHistories()...), HistoryOptions{Pack: rules.Default(), Workers: 1})
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	if err := r.Write(dir); err != nil {
		t.Fatal(err)
	}

	f, err := os.Open(filepath.Join(dir, DriftFile))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(rows[0], ","); got != "candidate,kind,antecedent,consequent,year,repos,files,instances,with_consequent,share" {
		t.Errorf("drift.csv header %q", got)
	}
	if len(rows) != len(r.Drift)+1 {
		t.Errorf("drift.csv has %d rows, want %d and the header", len(rows), len(r.Drift))
	}

	data, err := os.ReadFile(filepath.Join(dir, HistoryFile))
	if err != nil {
		t.Fatal(err)
	}
	lines := bytes.Split(bytes.TrimSpace(data), []byte("\n"))
	if len(lines) != len(r.Rules) {
		t.Fatalf("history.jsonl has %d lines, want %d", len(lines), len(r.Rules))
	}
	var first map[string]any
	if err := json.Unmarshal(lines[0], &first); err != nil {
		t.Fatal(err)
	}
	for _, key := range []string{"source", "rule", "title", "present_at_start", "introduced", "fixed", "removed_with_file", "open", "fix_rate", "fix_days_median", "by_year", "fixes"} {
		if _, ok := first[key]; !ok {
			t.Errorf("history.jsonl record lacks %q: %s", key, lines[0])
		}
	}
	if _, err := os.Stat(filepath.Join(dir, HistorySummaryFile)); err != nil {
		t.Error(err)
	}
}

func TestMineHistoryDeterministic(t *testing.T) {
	write := func(workers int) []byte {
		r, err := MineHistory(context.Background(), historySource(keyserverHistories()...), HistoryOptions{Pack: rules.Default(), Workers: workers})
		if err != nil {
			t.Fatal(err)
		}
		dir := t.TempDir()
		if err := r.Write(dir); err != nil {
			t.Fatal(err)
		}
		var out []byte
		for _, name := range []string{DriftFile, HistoryFile} {
			data, err := os.ReadFile(filepath.Join(dir, name))
			if err != nil {
				t.Fatal(err)
			}
			out = append(out, data...)
		}
		return out
	}
	if a, b := write(1), write(4); !bytes.Equal(a, b) {
		t.Error("outputs with 1 and 4 workers differ")
	}
}

func TestMineHistorySourceError(t *testing.T) {
	src := func(yield func(FileHistory, error) bool) {
		yield(FileHistory{}, os.ErrPermission)
	}
	if _, err := MineHistory(context.Background(), src, HistoryOptions{}); err == nil {
		t.Error("a source error did not stop the run")
	}
}

func TestReadCandidates(t *testing.T) {
	in := `{"id":"mine-1","kind":"flag","antecedent":"gpg","consequent":"--batch"}` + "\n\n" + `{"id":"mine-2","kind":"flag"}` + "\n"
	got, err := ReadCandidates(strings.NewReader(in))
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got[0].ID != "mine-1" || got[1].ID != "mine-2" {
		t.Errorf("candidates %+v", got)
	}
	if _, err := ReadCandidates(strings.NewReader(`{"kind":"flag"}`)); err == nil {
		t.Error("a candidate without an id was read")
	}
	if _, err := ReadCandidates(strings.NewReader(`{"id":`)); err == nil {
		t.Error("a broken line was read")
	}
}
