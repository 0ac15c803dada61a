package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"time"

	"github.com/dockmine/dockmine/corpus/store"
	"github.com/dockmine/dockmine/mining"
	"github.com/dockmine/dockmine/rules"
)

// mineHistoryFlags are the flags of dockmine mine history.
type mineHistoryFlags struct {
	store      string
	candidates string
	pack       string
	noPack     bool
	out        string
	workers    int
	log        crawlLogFlags
}

// runMineHistory follows patterns and rules through the Dockerfile history
// of a store crawled with --history.
func runMineHistory(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fset := flag.NewFlagSet("dockmine mine history", flag.ContinueOnError)
	fset.SetOutput(stderr)
	var f mineHistoryFlags
	fset.StringVar(&f.store, "store", "", "store `DIR` from dockmine crawl --history (required)")
	fset.StringVar(&f.candidates, "candidates", "", "follow the candidates of `FILE`, a candidates.jsonl of dockmine mine; without it, every flag, flag value and operand tag pattern")
	fset.StringVar(&f.pack, "pack", "", "follow the rules of the pack `FILE` from dockmine compile; default the built-in pack")
	fset.BoolVar(&f.noPack, "no-pack", false, "follow no pack rules")
	fset.StringVar(&f.out, "out", "out", "output `DIR`, created if missing")
	fset.IntVar(&f.workers, "workers", 0, "file versions analyzed at once, `N`; 0 means one per CPU")
	f.log.register(fset)
	fset.Usage = func() {
		fmt.Fprintln(stderr, "usage: dockmine mine history --store DIR [--candidates FILE] [--pack FILE | --no-pack] [--out DIR] [flags]")
		fmt.Fprintln(stderr, "Follows mined patterns and rules through every version of every Dockerfile of a store")
		fmt.Fprintln(stderr, "crawled with --history, and writes drift.csv, history.jsonl and history-summary.json.")
		fset.PrintDefaults()
	}
	if err := fset.Parse(args); err != nil {
		return exitUsage
	}
	if err := f.validate(fset.NArg()); err != nil {
		fmt.Fprintf(stderr, "dockmine mine history: %v\n", err)
		return exitUsage
	}

	opts := mining.HistoryOptions{Workers: f.workers}
	var err error
	if opts.Candidates, err = readCandidatesFile(f.candidates); err != nil {
		fmt.Fprintf(stderr, "dockmine mine history: %v\n", err)
		return exitUsage
	}
	if opts.Pack, err = historyPack(&f); err != nil {
		fmt.Fprintf(stderr, "dockmine mine history: %v\n", err)
		return exitUsage
	}
	st, err := store.OpenReadOnly(f.store)
	if err != nil {
		fmt.Fprintf(stderr, "dockmine mine history: %v\n", err)
		return exitUsage
	}
	defer st.Close()

	log := f.log.logger(stderr)
	opts.Logger = log
	log.Info("history mining started", "store", f.store, "candidates", len(opts.Candidates), "out", f.out)
	report, err := mining.MineHistory(ctx, storeHistory(st, log), opts)
	if err != nil {
		fmt.Fprintf(stderr, "dockmine mine history: %v\n", err)
		return exitUsage
	}
	s := report.Summary
	for _, fail := range s.Failures {
		log.Warn("version skipped", "file", fail.File, "error", fail.Error)
	}
	if len(s.Unmatched) > 0 {
		log.Warn("candidates not followed: their patterns are not ones this dockmine mines", "count", len(s.Unmatched))
	}
	if err := report.Write(f.out); err != nil {
		fmt.Fprintf(stderr, "dockmine mine history: %v\n", err)
		return exitUsage
	}
	log.Info("history mining finished", "repos", s.Repos, "paths", s.Paths, "versions", s.Versions, "failed", s.Failed, "seconds", s.Timing)

	fmt.Fprintf(stdout, "followed %d patterns and %d rules through %d versions of %d files in %d repositories, %d to %d\n",
		s.Patterns, s.Rules, s.Versions, s.Paths, s.Repos, s.FirstYear, s.LastYear)
	fmt.Fprintf(stdout, "parsed %d distinct contents, %d failed\n", s.Contents, s.Failed)
	fmt.Fprintf(stdout, "wrote %s and %s\n", filepath.Join(f.out, mining.DriftFile), filepath.Join(f.out, mining.HistoryFile))
	return exitOK
}

func (f *mineHistoryFlags) validate(args int) error {
	if err := f.log.validate(); err != nil {
		return err
	}
	switch {
	case args > 0:
		return errors.New("unexpected arguments: give the store with --store")
	case f.store == "":
		return errors.New("missing --store: give a store crawled with --history")
	case f.pack != "" && f.noPack:
		return errors.New("--pack and --no-pack conflict: give one of them")
	case f.workers < 0:
		return fmt.Errorf("invalid --workers %d: must be 0 or more", f.workers)
	case f.out == "":
		return errors.New("invalid --out: must name a directory")
	}
	return nil
}

// readCandidatesFile reads a candidates.jsonl; an empty name reads none.
func readCandidatesFile(name string) ([]rules.Candidate, error) {
	if name == "" {
		return nil, nil
	}
	file, err := os.Open(name)
	if err != nil {
		return nil, fmt.Errorf("read candidates: %w", err)
	}
	defer file.Close()
	cands, err := mining.ReadCandidates(file)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	return cands, nil
}

// historyPack returns the pack whose rules the flags select, or nil.
func historyPack(f *mineHistoryFlags) (*rules.Pack, error) {
	switch {
	case f.noPack:
		return nil, nil
	case f.pack == "":
		return rules.Default(), nil
	}
	file, err := os.Open(f.pack)
	if err != nil {
		return nil, fmt.Errorf("read pack: %w", err)
	}
	defer file.Close()
	p, err := rules.ReadPack(file)
	if err != nil {
		return nil, fmt.Errorf("read pack %s: %w", f.pack, err)
	}
	return p, nil
}

// storeHistory yields the file histories of the finished repositories of a
// store that were crawled with history. A path's first version is the
// content before its oldest stored change, or the file at the crawled
// commit when no change of it was stored. A blob that cannot be read stops
// the run, since leaving one version out would count its violations as
// fixed.
func storeHistory(st store.Reader, log interface{ Warn(string, ...any) }) mining.HistorySource {
	return func(yield func(mining.FileHistory, error) bool) {
		stopped := errors.New("stopped")
		err := st.ForEachRepo(func(repo store.Repo) error {
			if repo.State != store.StateDone {
				return nil
			}
			if !repo.History {
				log.Warn("repository skipped: crawled without --history", "repo", repo.Name)
				return nil
			}
			histories, err := repoHistories(st, repo)
			if err != nil {
				return err
			}
			for _, fh := range histories {
				if !yield(fh, nil) {
					return stopped
				}
			}
			return nil
		})
		if err != nil && !errors.Is(err, stopped) {
			yield(mining.FileHistory{}, fmt.Errorf("read store: %w", err))
		}
	}
}

// repoHistories builds the file histories of one repository, in path
// order.
func repoHistories(st store.Reader, repo store.Repo) ([]mining.FileHistory, error) {
	tip := map[string]store.Hash{}
	err := st.ForEachFile(repo.Name, func(f store.File) error {
		tip[f.Path] = f.Blob
		return nil
	})
	if err != nil {
		return nil, err
	}
	byPath := map[string][]store.Version{}
	var start time.Time
	startSeq := -1
	err = st.ForEachVersion(repo.Name, func(v store.Version) error {
		byPath[v.Path] = append(byPath[v.Path], v)
		if startSeq < 0 || v.Seq < startSeq {
			start, startSeq = v.Time, v.Seq
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	if startSeq < 0 {
		start = repo.CommitTime
	}

	paths := make([]string, 0, len(byPath)+len(tip))
	for p := range tip {
		paths = append(paths, p)
	}
	for p := range byPath {
		if _, ok := tip[p]; !ok {
			paths = append(paths, p)
		}
	}
	slices.Sort(paths)

	content := func(h store.Hash) (mining.Content, error) {
		if h.IsZero() {
			return mining.Content{}, nil
		}
		data, err := st.Blob(h)
		if err != nil {
			return mining.Content{}, fmt.Errorf("read blob %s of repository %q: %w", h, repo.Name, err)
		}
		return mining.Content{ID: h.String(), Src: data}, nil
	}
	var out []mining.FileHistory
	for _, p := range paths {
		fh := mining.FileHistory{Repo: repo.Name, Path: p, Start: start}
		versions := byPath[p]
		initial := tip[p]
		if len(versions) > 0 {
			initial = versions[0].Before
		}
		if fh.Initial, err = content(initial); err != nil {
			return nil, err
		}
		for _, v := range versions {
			after, err := content(v.Blob)
			if err != nil {
				return nil, err
			}
			fh.Changes = append(fh.Changes, mining.Change{Seq: v.Seq, Commit: v.Commit, Time: v.Time, After: after})
		}
		out = append(out, fh)
	}
	return out, nil
}
