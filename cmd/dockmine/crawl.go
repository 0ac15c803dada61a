package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"

	"golang.org/x/term"

	"github.com/dockmine/dockmine/corpus"
	"github.com/dockmine/dockmine/corpus/store"
)

func init() {
	subcommands["crawl"] = subcommand{
		summary: "find and clone repositories and store their Dockerfiles",
		run:     runCrawl,
	}
}

// crawlFlags are the flags of the crawl command.
type crawlFlags struct {
	store        string
	query        string
	repos        string
	minStars     int
	maxRepos     int
	apiURL       string
	history      bool
	historyDepth int
	maxFileSize  int64
	jobs         int
	shard        string
	rewrites     []string
	repoTimeout  time.Duration
	retries      int
	skipFailed   bool
	ignorePins   bool
	progress     string
	log          crawlLogFlags
}

func runCrawl(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fset := flag.NewFlagSet("dockmine crawl", flag.ContinueOnError)
	fset.SetOutput(stderr)
	var f crawlFlags
	fset.StringVar(&f.store, "store", "", "store `DIR`, created if missing or empty (required)")
	fset.StringVar(&f.query, "query", "", "search GitHub repositories with `QUERY`, such as \"language:Dockerfile\"")
	fset.StringVar(&f.repos, "repos", "", "read repositories from `FILE`, one per line: owner/name, a clone URL or a path, optionally @COMMIT with 7 to 40 hex digits")
	fset.IntVar(&f.minStars, "min-stars", 0, "with --query: only repositories with at least `N` stars (default 0)")
	fset.IntVar(&f.maxRepos, "max-repos", 0, "with --query: stop the search after `N` repositories; 0 for no limit")
	fset.StringVar(&f.apiURL, "github-api-url", corpus.DefaultAPIURL, "GitHub REST API root `URL`, for GitHub Enterprise; the token from GITHUB_TOKEN goes only there")
	fset.BoolVar(&f.history, "history", false, "also store every version of every Dockerfile on the first-parent history")
	fset.IntVar(&f.historyDepth, "history-depth", 0, "with --history: first-parent commits to walk, counting from HEAD; 0 for all")
	fset.Int64Var(&f.maxFileSize, "max-file-size", corpus.DefaultMaxFileSize, "skip Dockerfiles larger than `BYTES`")
	fset.IntVar(&f.jobs, "jobs", 4, "`N` repositories crawled at once")
	fset.StringVar(&f.shard, "shard", "", "crawl only part `I/N` of the repositories, I counting from 1; the parts are fixed by name")
	fset.Func("rewrite", "clone from TO in place of URL prefix FROM, as `FROM=TO`; repeatable", func(s string) error {
		f.rewrites = append(f.rewrites, s)
		return nil
	})
	fset.DurationVar(&f.repoTimeout, "repo-timeout", 10*time.Minute, "time limit for one repository, such as 90s or 1h; 0 for none")
	fset.IntVar(&f.retries, "retries", 6, "`N` attempts in all for each API request or clone that fails on the network")
	fset.BoolVar(&f.skipFailed, "skip-failed", false, "skip repositories that failed in an earlier run instead of retrying them")
	fset.BoolVar(&f.ignorePins, "ignore-pins", false, "crawl the HEAD of each repository listed with @COMMIT, for mirrors whose commit ids differ from the list's")
	fset.StringVar(&f.progress, "progress", "auto", "progress bar on stderr: auto (when stderr is a terminal), always or never")
	f.log.register(fset)
	fset.Usage = func() {
		fmt.Fprintln(stderr, "usage: dockmine crawl --store DIR [--query QUERY] [--repos FILE] [flags] [PATH...]")
		fmt.Fprintln(stderr, "Crawls repositories found by --query, listed in --repos and given as local PATHs.")
		fmt.Fprintln(stderr, "A local folder named owner__name is stored as owner/name, and any other as")
		fmt.Fprintln(stderr, "local/<folder>-<first 8 hex digits of the SHA-256 of its absolute path>.")
		fset.PrintDefaults()
	}
	if err := fset.Parse(args); err != nil {
		return exitUsage
	}

	cfg, err := f.validate(fset)
	if err != nil {
		fmt.Fprintf(stderr, "dockmine crawl: %v\n", err)
		return exitUsage
	}
	return runCrawlJob(ctx, f, cfg, stdout, stderr)
}

// crawlConfig is the part of the flags that needed parsing.
type crawlConfig struct {
	shard    corpus.Shard
	rewrites []corpus.Rewrite
	paths    []corpus.Source
}

// validate checks the flags and rejects conflicting ones before any work
// starts.
func (f *crawlFlags) validate(fset *flag.FlagSet) (crawlConfig, error) {
	var cfg crawlConfig
	set := map[string]bool{}
	fset.Visit(func(fl *flag.Flag) { set[fl.Name] = true })

	switch {
	case f.store == "":
		return cfg, errors.New("missing --store DIR")
	case f.query == "" && f.repos == "" && fset.NArg() == 0:
		return cfg, errors.New("nothing to crawl: give --query, --repos or PATH arguments")
	case f.query == "" && (set["min-stars"] || set["max-repos"] || set["github-api-url"]):
		return cfg, errors.New("--min-stars, --max-repos and --github-api-url need --query")
	case set["history-depth"] && !f.history:
		return cfg, errors.New("--history-depth needs --history")
	case f.minStars < 0 || f.maxRepos < 0 || f.historyDepth < 0 || f.repoTimeout < 0:
		return cfg, errors.New("--min-stars, --max-repos, --history-depth and --repo-timeout must not be negative")
	case f.maxFileSize <= 0:
		return cfg, fmt.Errorf("invalid --max-file-size %d: must be positive", f.maxFileSize)
	case f.jobs < 1:
		return cfg, fmt.Errorf("invalid --jobs %d: must be at least 1", f.jobs)
	case f.retries < 1:
		return cfg, fmt.Errorf("invalid --retries %d: must be at least 1", f.retries)
	case f.progress != "auto" && f.progress != "always" && f.progress != "never":
		return cfg, fmt.Errorf("invalid --progress %q: use auto, always or never", f.progress)
	}
	if err := f.log.validate(); err != nil {
		return cfg, err
	}
	if err := store.CheckDir(f.store); err != nil {
		return cfg, err
	}
	if f.shard != "" {
		shard, err := corpus.ParseShard(f.shard)
		if err != nil {
			return cfg, err
		}
		cfg.shard = shard
	}
	for _, s := range f.rewrites {
		rw, err := corpus.ParseRewrite(s)
		if err != nil {
			return cfg, err
		}
		cfg.rewrites = append(cfg.rewrites, rw)
	}
	for _, arg := range fset.Args() {
		abs, err := filepath.Abs(arg)
		if err != nil {
			return cfg, err
		}
		if info, err := os.Stat(abs); err != nil || !info.IsDir() {
			return cfg, fmt.Errorf("invalid path %s: not a directory", arg)
		}
		src := corpus.Source{Path: abs, Name: corpus.NameForPath(abs)}
		cfg.paths = append(cfg.paths, src)
	}
	return cfg, nil
}

func runCrawlJob(ctx context.Context, f crawlFlags, cfg crawlConfig, stdout, stderr io.Writer) int {
	bar := newCrawlProgress(stderr, f.progress)
	log := f.log.logger(bar.logWriter())

	sources, searchErr, err := gatherCrawlSources(ctx, f, cfg, log)
	if err != nil {
		fmt.Fprintf(stderr, "dockmine crawl: %v\n", err)
		return exitUsage
	}

	st, err := store.Open(f.store, store.WithLogger(log))
	if err != nil {
		fmt.Fprintf(stderr, "dockmine crawl: %v\n", err)
		return exitUsage
	}

	bar.start(len(sources))
	opts := corpus.Options{
		Store:        st,
		Jobs:         f.jobs,
		MaxFileSize:  f.maxFileSize,
		History:      f.history,
		HistoryDepth: f.historyDepth,
		Rewrites:     cfg.rewrites,
		RepoTimeout:  f.repoTimeout,
		SkipFailed:   f.skipFailed,
		Retry:        corpus.Retry{Attempts: f.retries, Log: log},
		Log:          log,
		OnRepo:       bar.update,
	}
	res, crawlErr := corpus.Crawl(ctx, sources, opts)
	bar.finish()
	if err := st.Close(); err != nil && crawlErr == nil {
		crawlErr = err
	}
	if errors.Is(crawlErr, corpus.ErrInvalidSource) {
		fmt.Fprintf(stderr, "dockmine crawl: %v\n", crawlErr)
		return exitUsage
	}

	printCrawlSummary(stdout, res, searchErr)
	switch {
	case crawlErr != nil && !res.Interrupted:
		fmt.Fprintf(stderr, "dockmine crawl: %v\n", crawlErr)
		return exitFindings
	case res.Interrupted:
		fmt.Fprintln(stderr, "dockmine crawl: interrupted; run the same command again to resume")
		return exitFindings
	case res.Failed > 0 || searchErr != nil:
		return exitFindings
	}
	return exitOK
}

// gatherCrawlSources collects the repositories of --repos, the PATH arguments
// and --query, drops repeats and keeps the shard's part. A failed search is
// returned apart, as searchErr, so that the repositories found before it
// are still crawled.
func gatherCrawlSources(ctx context.Context, f crawlFlags, cfg crawlConfig, log *slog.Logger) (sources []corpus.Source, searchErr, err error) {
	if f.repos != "" {
		listed, err := corpus.ReadSourceFile(f.repos)
		if err != nil {
			return nil, nil, err
		}
		if f.ignorePins {
			for i := range listed {
				listed[i].Pin = ""
			}
		}
		sources = append(sources, listed...)
	}
	sources = append(sources, cfg.paths...)

	if f.query != "" {
		client, err := corpus.NewGitHubClient(f.apiURL, os.Getenv("GITHUB_TOKEN"))
		if err != nil {
			return nil, nil, err
		}
		search := corpus.Search{
			Client:   client,
			Query:    f.query,
			MinStars: f.minStars,
			MaxRepos: f.maxRepos,
			Retry:    corpus.Retry{Attempts: f.retries, Log: log},
			Log:      log,
		}
		found, err := search.Run(ctx)
		if err != nil {
			log.Error("search failed; crawling the repositories found so far", "query", f.query, "found", len(found), "error", err)
			searchErr = err
		}
		sources = append(sources, found...)
	}

	sources, err = corpus.CheckUnique(sources)
	if err != nil {
		return nil, nil, err
	}
	if cfg.shard.Count > 0 {
		all := len(sources)
		sources = cfg.shard.Filter(sources)
		log.Info("shard selected", "shard", cfg.shard.String(), "repos", len(sources), "of", all)
	}
	return sources, searchErr, nil
}

func printCrawlSummary(w io.Writer, r corpus.Result, searchErr error) {
	fmt.Fprintf(w, "crawled %d repositories in %s: %d done, %d failed, %d already done\n",
		r.Repos, r.Elapsed.Round(time.Millisecond), r.Done, r.Failed, r.AlreadyDone)
	fmt.Fprintf(w, "stored %d files (%d bytes) and %d versions\n", r.Files, r.Bytes, r.Versions)
	if len(r.Skipped) > 0 {
		var parts []string
		for _, reason := range slices.Sorted(maps.Keys(r.Skipped)) {
			parts = append(parts, fmt.Sprintf("%s %d", reason, r.Skipped[reason]))
		}
		fmt.Fprintf(w, "skipped entries: %s\n", strings.Join(parts, ", "))
	}
	if r.Failed > 0 {
		fmt.Fprintf(w, "%d repositories failed; their errors are in the log and in 'dockmine corpus ls --state failed'\n", r.Failed)
	}
	if r.Interrupted {
		fmt.Fprintln(w, "interrupted before every repository was crawled")
	}
	if searchErr != nil {
		fmt.Fprintf(w, "the search failed, so the list may be incomplete: %v\n", searchErr)
	}
}

// crawlProgress draws one status line on a terminal: repositories finished
// and failed, files, rate and estimated time left. Log records written
// through logWriter clear the line first and redraw it after, so the two
// do not mix.
type crawlProgress struct {
	mu      sync.Mutex
	w       io.Writer
	enabled bool

	total, finished, failed, files int
	started, drawn                 time.Time
	onScreen                       bool
}

// crawlProgressRedraw is the shortest time between two redraws.
const crawlProgressRedraw = 100 * time.Millisecond

func newCrawlProgress(w io.Writer, mode string) *crawlProgress {
	enabled := mode == "always"
	if mode == "auto" {
		if f, ok := w.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
			enabled = true
		}
	}
	return &crawlProgress{w: w, enabled: enabled}
}

func (b *crawlProgress) start(total int) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.total, b.started = total, time.Now()
	b.draw(true)
}

func (b *crawlProgress) update(res corpus.RepoResult) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.finished++
	b.files += res.Files
	if res.Status == corpus.StatusFailed {
		b.failed++
	}
	b.draw(false)
}

func (b *crawlProgress) finish() {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.clear()
}

func (b *crawlProgress) draw(force bool) {
	if !b.enabled || (!force && time.Since(b.drawn) < crawlProgressRedraw && b.finished < b.total) {
		return
	}
	b.drawn = time.Now()
	fmt.Fprint(b.w, "\r\x1b[K"+b.line(time.Since(b.started)))
	b.onScreen = true
}

func (b *crawlProgress) clear() {
	if b.onScreen {
		fmt.Fprint(b.w, "\r\x1b[K")
		b.onScreen = false
	}
}

// line renders the status after elapsed time.
func (b *crawlProgress) line(elapsed time.Duration) string {
	const width = 20
	filled := width
	if b.total > 0 {
		filled = width * b.finished / b.total
	}
	bar := strings.Repeat("#", filled) + strings.Repeat(".", width-filled)

	rate, eta := 0.0, "?"
	if secs := elapsed.Seconds(); secs > 0 && b.finished > 0 {
		rate = float64(b.finished) / secs
		left := time.Duration(float64(b.total-b.finished) / rate * float64(time.Second))
		eta = left.Round(time.Second).String()
	}
	return fmt.Sprintf("[%s] %d/%d repos, %d failed, %d files, %.1f repos/s, ETA %s",
		bar, b.finished, b.total, b.failed, b.files, rate, eta)
}

// logWriter returns the writer that log records go through.
func (b *crawlProgress) logWriter() io.Writer {
	if !b.enabled {
		return b.w
	}
	return crawlProgressWriter{b}
}

type crawlProgressWriter struct{ b *crawlProgress }

func (lw crawlProgressWriter) Write(p []byte) (int, error) {
	b := lw.b
	b.mu.Lock()
	defer b.mu.Unlock()
	wasOnScreen := b.onScreen
	b.clear()
	n, err := b.w.Write(p)
	if wasOnScreen {
		b.draw(true)
	}
	return n, err
}
