package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
)

// defaultExpertRepos is the expert set that mine crawls when it is given no
// input: the repositories of the official Docker images.
const defaultExpertRepos = "datasets/docker-library.txt"

// datasetFlags are the flags of mine's main job: crawl repository lists,
// then mine what was crawled.
type datasetFlags struct {
	repos         string
	contrastRepos string
	store         string
	rewrites      []string
	ignorePins    bool
	jobs          int
	progress      string
}

func (d *datasetFlags) register(fset *flag.FlagSet) {
	fset.StringVar(&d.repos, "repos", defaultExpertRepos, "with no INPUT: crawl the expert repositories listed in `FILE` (owner/name[@COMMIT] per line)")
	fset.StringVar(&d.contrastRepos, "contrast-repos", "", "with no INPUT: crawl the repositories listed in `FILE` as the contrast corpus, such as datasets/github-sample.txt")
	fset.StringVar(&d.store, "store", "dockmine-data", "with no INPUT: keep the crawled stores under `DIR` (expert and contrast); a second run resumes them")
	fset.Func("rewrite", "with no INPUT: clone from TO in place of URL prefix FROM, as `FROM=TO`, for GitHub Enterprise or a local mirror; repeatable", func(s string) error {
		d.rewrites = append(d.rewrites, s)
		return nil
	})
	fset.BoolVar(&d.ignorePins, "ignore-pins", false, "with no INPUT: crawl each repository's HEAD instead of its @COMMIT, for mirrors whose commit ids differ")
	fset.IntVar(&d.jobs, "jobs", 4, "with no INPUT: repositories crawled at once, `N`")
	fset.StringVar(&d.progress, "progress", "auto", "with no INPUT: crawl progress bar on stderr: auto, always or never")
}

// validate rejects the main job's flags when inputs are given, since they
// would be silently unused.
func (d *datasetFlags) validate(fset *flag.FlagSet, inputs, contrast int) error {
	set := map[string]bool{}
	fset.Visit(func(fl *flag.Flag) { set[fl.Name] = true })
	if inputs > 0 {
		for _, name := range []string{"repos", "contrast-repos", "store", "rewrite", "ignore-pins", "jobs", "progress"} {
			if set[name] {
				return fmt.Errorf("--%s goes with no INPUT: it configures the crawl of the default dataset", name)
			}
		}
		return nil
	}
	if contrast > 0 && d.contrastRepos != "" {
		return errors.New("--contrast and --contrast-repos both name a contrast corpus: give one")
	}
	if d.jobs < 1 {
		return fmt.Errorf("invalid --jobs %d: must be at least 1", d.jobs)
	}
	return nil
}

// crawl crawls the expert list, and the contrast list when given, into
// stores under d.store, the same way dockmine crawl does. It returns the
// stores to mine. A repository that fails is logged and counted by the
// crawl and does not stop the job.
func (d *datasetFlags) crawl(ctx context.Context, f *mineFlags, stderr io.Writer) (expert, contrast []string, code int) {
	if _, err := os.Stat(d.repos); err != nil {
		if d.repos == defaultExpertRepos {
			fmt.Fprintf(stderr, "dockmine mine: %v: run from the dockmine repository, or pass --repos FILE or an INPUT\n", err)
		} else {
			fmt.Fprintf(stderr, "dockmine mine: %v\n", err)
		}
		return nil, nil, exitUsage
	}

	expertStore := filepath.Join(d.store, "expert")
	fmt.Fprintf(stderr, "crawling the expert repositories of %s into %s\n", d.repos, expertStore)
	if code := d.crawlList(ctx, f, d.repos, expertStore, stderr); code == exitUsage {
		return nil, nil, code
	}
	expert = []string{expertStore}

	if d.contrastRepos != "" {
		contrastStore := filepath.Join(d.store, "contrast")
		fmt.Fprintf(stderr, "crawling the contrast repositories of %s into %s\n", d.contrastRepos, contrastStore)
		if code := d.crawlList(ctx, f, d.contrastRepos, contrastStore, stderr); code == exitUsage {
			return nil, nil, code
		}
		contrast = []string{contrastStore}
	}
	return expert, contrast, exitOK
}

// crawlList runs dockmine crawl on one list. Its summary goes to stderr,
// which holds the main job's logs; stdout is kept for the mining results.
func (d *datasetFlags) crawlList(ctx context.Context, f *mineFlags, list, storeDir string, stderr io.Writer) int {
	args := []string{"--store", storeDir, "--repos", list, "--jobs", fmt.Sprint(d.jobs), "--progress", d.progress,
		"--log-level", f.log.level, "--log-format", f.log.format}
	for _, r := range d.rewrites {
		args = append(args, "--rewrite", r)
	}
	if d.ignorePins {
		args = append(args, "--ignore-pins")
	}
	if err := os.MkdirAll(d.store, 0o755); err != nil {
		fmt.Fprintf(stderr, "dockmine mine: %v\n", err)
		return exitUsage
	}
	return runCrawl(ctx, args, nil, stderr, stderr)
}
