package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"time"

	"github.com/dockmine/dockmine/corpus/store"
	"github.com/dockmine/dockmine/mining"
	"github.com/dockmine/dockmine/rules"
)

func init() {
	subcommands["mine"] = subcommand{
		summary: "mine candidate rules from expert Dockerfiles, merge shard outputs, or follow them through history",
		run:     runMine,
	}
}

// mineFlags are the flags that mine and mine merge share.
type mineFlags struct {
	out       string
	opts      mining.Options
	maxFailed int
	log       crawlLogFlags
}

func (f *mineFlags) register(fset *flag.FlagSet) {
	fset.StringVar(&f.out, "out", "out", "output `DIR`, created if missing")
	fset.IntVar(&f.opts.MinRepos, "min-repos", mining.DefaultMinRepos, "repositories that must follow a candidate, at least `N`")
	fset.IntVar(&f.opts.MinFamilies, "min-families", mining.DefaultMinFamilies, "template families that must follow a candidate, at least `N`")
	fset.Float64Var(&f.opts.MinConfidence, "min-confidence", mining.DefaultMinConfidence, "family-weighted share of the antecedent's places that follow a candidate, at least `F` in (0, 1]")
	fset.Float64Var(&f.opts.FamilySimilarity, "family-similarity", mining.DefaultFamilySimilarity, "estimated Jaccard similarity `F` in (0, 1] at which two files of a repository join one template family")
	fset.IntVar(&f.opts.Workers, "workers", 0, "files parsed at once, `N`; 0 means one per CPU")
	fset.IntVar(&f.maxFailed, "max-failed", -1, "exit with status 1 when more than `N` input files cannot be read or parsed; -1 for no limit")
	f.log.register(fset)
}

func (f *mineFlags) validate() error {
	if err := f.log.validate(); err != nil {
		return err
	}
	switch {
	case f.opts.MinRepos < 1:
		return fmt.Errorf("invalid --min-repos %d: must be at least 1", f.opts.MinRepos)
	case f.opts.MinFamilies < 1:
		return fmt.Errorf("invalid --min-families %d: must be at least 1", f.opts.MinFamilies)
	case f.opts.MinConfidence <= 0 || f.opts.MinConfidence > 1:
		return fmt.Errorf("invalid --min-confidence %g: must be in (0, 1]", f.opts.MinConfidence)
	case f.opts.FamilySimilarity <= 0 || f.opts.FamilySimilarity > 1:
		return fmt.Errorf("invalid --family-similarity %g: must be in (0, 1]", f.opts.FamilySimilarity)
	case f.maxFailed < -1:
		return fmt.Errorf("invalid --max-failed %d: must be -1 or more", f.maxFailed)
	case f.out == "":
		return errors.New("invalid --out: must name a directory")
	}
	return f.opts.Validate()
}

func runMine(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	if len(args) > 0 && args[0] == "merge" {
		return runMineMerge(ctx, args[1:], stdout, stderr)
	}
	if len(args) > 0 && args[0] == "history" {
		return runMineHistory(ctx, args[1:], stdout, stderr)
	}

	fset := flag.NewFlagSet("dockmine mine", flag.ContinueOnError)
	fset.SetOutput(stderr)
	var f mineFlags
	var contrast []string
	f.register(fset)
	fset.Func("contrast", "compare with the Dockerfiles at `PATH` (a directory, file or store); repeatable", func(s string) error {
		contrast = append(contrast, s)
		return nil
	})
	var d datasetFlags
	d.register(fset)
	fset.Usage = func() {
		fmt.Fprintln(stderr, "usage: dockmine mine [--contrast PATH] [--out DIR] [flags] INPUT...")
		fmt.Fprintln(stderr, "       dockmine mine [--repos FILE] [--contrast-repos FILE] [--store DIR] [flags]")
		fmt.Fprintln(stderr, "       dockmine mine merge [--out DIR] [flags] SHARD_DIR...")
		fmt.Fprintln(stderr, "       dockmine mine history --store DIR [--candidates FILE] [--out DIR] [flags]")
		fmt.Fprintln(stderr, "An INPUT is a store from dockmine crawl, a directory of Dockerfiles (with an optional")
		fmt.Fprintln(stderr, "MANIFEST.tsv naming each file's repository) or a Dockerfile.")
		fmt.Fprintln(stderr, "With no INPUT, mine crawls the repositories of --repos (the official images by default)")
		fmt.Fprintln(stderr, "into --store, then mines them.")
		fset.PrintDefaults()
	}
	inputs, ok := parseInterleaved(fset, args)
	if !ok {
		return exitUsage
	}
	if err := f.validate(); err != nil {
		fmt.Fprintf(stderr, "dockmine mine: %v\n", err)
		return exitUsage
	}
	if err := d.validate(fset, len(inputs), len(contrast)); err != nil {
		fmt.Fprintf(stderr, "dockmine mine: %v\n", err)
		return exitUsage
	}
	if len(inputs) == 0 {
		var code int
		inputs, contrast, code = d.crawl(ctx, &f, stderr)
		if code != exitOK {
			return code
		}
	}

	expert, closeExpert, err := openInputs(inputs)
	if err != nil {
		fmt.Fprintf(stderr, "dockmine mine: %v\n", err)
		return exitUsage
	}
	defer closeExpert()
	var contrastSrc mining.Source
	if len(contrast) > 0 {
		src, closeContrast, err := openInputs(contrast)
		if err != nil {
			fmt.Fprintf(stderr, "dockmine mine: --contrast: %v\n", err)
			return exitUsage
		}
		defer closeContrast()
		contrastSrc = src
	}

	log := f.log.logger(stderr)
	f.opts.Logger = log
	log.Info("mining started", "inputs", inputs, "contrast", contrast, "out", f.out)
	report, err := mining.Mine(ctx, expert, contrastSrc, f.opts)
	if err != nil {
		fmt.Fprintf(stderr, "dockmine mine: %v\n", err)
		return exitUsage
	}
	report.Inputs, report.ContrastInputs = inputs, contrast
	return finishMine(report, &f, log, stdout, stderr)
}

// runMineMerge combines the outputs of runs over disjoint shards.
func runMineMerge(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fset := flag.NewFlagSet("dockmine mine merge", flag.ContinueOnError)
	fset.SetOutput(stderr)
	var f mineFlags
	f.register(fset)
	fset.Usage = func() {
		fmt.Fprintln(stderr, "usage: dockmine mine merge [--out DIR] [flags] SHARD_DIR...")
		fmt.Fprintln(stderr, "Each SHARD_DIR is the --out of a dockmine mine run over repositories that no other shard has.")
		fset.PrintDefaults()
	}
	if err := fset.Parse(args); err != nil {
		return exitUsage
	}
	if err := f.validate(); err != nil {
		fmt.Fprintf(stderr, "dockmine mine merge: %v\n", err)
		return exitUsage
	}
	if fset.NArg() == 0 {
		fset.Usage()
		return exitUsage
	}
	if ctx.Err() != nil {
		fmt.Fprintf(stderr, "dockmine mine merge: %v\n", ctx.Err())
		return exitUsage
	}

	log := f.log.logger(stderr)
	log.Info("merge started", "shards", fset.Args(), "out", f.out)
	report, err := mining.MergeShards(fset.Args(), f.opts)
	if err != nil {
		fmt.Fprintf(stderr, "dockmine mine merge: %v\n", err)
		return exitUsage
	}
	return finishMine(report, &f, log, stdout, stderr)
}

// finishMine logs failed inputs, writes the report and prints its summary.
func finishMine(report *mining.Report, f *mineFlags, log *slog.Logger, stdout, stderr io.Writer) int {
	stats := report.Expert.Stats()
	for _, fail := range stats.Failures {
		log.Warn("input skipped", "file", fail.File, "error", fail.Error)
	}
	if report.Contrast != nil {
		for _, fail := range report.Contrast.Stats().Failures {
			log.Warn("contrast input skipped", "file", fail.File, "error", fail.Error)
		}
	}

	if err := report.Write(f.out); err != nil {
		fmt.Fprintf(stderr, "dockmine mine: %v\n", err)
		return exitUsage
	}
	log.Info("mining finished", "files", stats.Files, "failed", stats.Failed, "repos", stats.Repos,
		"candidates", len(report.Result.Candidates), "seconds", report.Timing.Total)

	fmt.Fprintf(stdout, "mined %d candidates from %d patterns in %s\n",
		len(report.Result.Candidates), report.Result.Patterns, time.Duration(report.Timing.Total*float64(time.Second)).Round(time.Millisecond))
	fmt.Fprintf(stdout, "expert corpus: %d files, %d parsed, %d failed, %d repositories, %d families\n",
		stats.Files, stats.Parsed, stats.Failed, stats.Repos, stats.Families)
	if report.Contrast != nil {
		cs := report.Contrast.Stats()
		fmt.Fprintf(stdout, "contrast corpus: %d files, %d parsed, %d failed, %d repositories\n", cs.Files, cs.Parsed, cs.Failed, cs.Repos)
	}
	fmt.Fprintf(stdout, "wrote %s\n", filepath.Join(f.out, mining.CandidatesFile))
	printTopCandidates(stdout, report.Result.Candidates, 10)

	if f.maxFailed >= 0 && stats.Failed > f.maxFailed {
		fmt.Fprintf(stderr, "dockmine mine: %d input files failed, more than --max-failed %d\n", stats.Failed, f.maxFailed)
		return exitFindings
	}
	return exitOK
}

// openInputs returns one source over inputs: stores from dockmine crawl,
// directories and files. The returned function closes the stores.
func openInputs(inputs []string) (mining.Source, func(), error) {
	var paths []string
	var stores []*store.Badger
	closeAll := func() {
		for _, st := range stores {
			st.Close()
		}
	}
	for _, in := range inputs {
		if !isStore(in) {
			paths = append(paths, in)
			continue
		}
		st, err := store.Open(in)
		if err != nil {
			closeAll()
			return nil, nil, fmt.Errorf("open store %s: %w", in, err)
		}
		stores = append(stores, st)
	}

	var sources []mining.Source
	if len(paths) > 0 {
		src, err := mining.FromPaths(paths)
		if err != nil {
			closeAll()
			return nil, nil, err
		}
		sources = append(sources, src)
	}
	for _, st := range stores {
		sources = append(sources, storeSource(st))
	}
	return concatSources(sources), closeAll, nil
}

// isStore reports whether dir holds a Badger store: Badger keeps a
// KEYREGISTRY file at its root.
func isStore(dir string) bool {
	_, err := os.Stat(filepath.Join(dir, "KEYREGISTRY"))
	return err == nil
}

// storeSource yields the files of the finished repositories of a store. A
// file whose content cannot be read becomes a failed document; an error
// listing repositories or files stops the run.
func storeSource(st store.Reader) mining.Source {
	return func(yield func(mining.Document, error) bool) {
		stopped := errors.New("stopped")
		err := st.ForEachRepo(func(repo store.Repo) error {
			if repo.State != store.StateDone {
				return nil
			}
			return st.ForEachFile(repo.Name, func(f store.File) error {
				data, err := st.Blob(f.Blob)
				doc := mining.Document{Repo: repo.Name, Path: f.Path, Src: data}
				if err != nil {
					doc.Src, doc.Err = nil, fmt.Errorf("read blob of %s in %s: %w", f.Path, repo.Name, err)
				}
				if !yield(doc, nil) {
					return stopped
				}
				return nil
			})
		})
		if err != nil && !errors.Is(err, stopped) {
			yield(mining.Document{}, fmt.Errorf("read store: %w", err))
		}
	}
}

func concatSources(sources []mining.Source) mining.Source {
	return func(yield func(mining.Document, error) bool) {
		for _, src := range sources {
			for doc, err := range src {
				if !yield(doc, err) {
					return
				}
			}
		}
	}
}

// printTopCandidates prints the n best candidates, one line each, so that a
// run shows what it found without opening the output files.
func printTopCandidates(w io.Writer, candidates []rules.Candidate, n int) {
	if len(candidates) == 0 {
		return
	}
	fmt.Fprintf(w, "top candidates (review them with: dockmine review --candidates DIR):\n")
	for i, c := range candidates[:min(n, len(candidates))] {
		fmt.Fprintf(w, "%3d. %-11s %.2f  %s  [%s]\n", i+1, c.Kind, c.Score, c.Text, c.ID)
	}
}
