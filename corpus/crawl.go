package corpus

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"maps"
	"slices"
	"strings"
	"sync"
	"time"

	"golang.org/x/sync/errgroup"

	"github.com/dockmine/dockmine/corpus/store"
)

// DefaultMaxFileSize is the largest Dockerfile kept, in bytes.
const DefaultMaxFileSize = 1 << 20

// Options configures [Crawl].
type Options struct {
	Store        store.Storer  // destination of all records; required
	Jobs         int           // repositories crawled at once; default 4
	MaxFileSize  int64         // larger files are skipped, in bytes; default DefaultMaxFileSize
	History      bool          // also store every version on the first-parent history
	HistoryDepth int           // first-parent commits walked with History; 0 for all
	Rewrites     []Rewrite     // clone URL rewrites, for mirrors
	RepoTimeout  time.Duration // limit for one repository; 0 for none
	SkipFailed   bool          // skip repositories that failed in an earlier run instead of retrying them
	Retry        Retry         // policy for clones that fail on the network
	Log          *slog.Logger  // default: discard

	// OnRepo, if set, is called after each repository, one call at a time.
	OnRepo func(RepoResult)
	// Now returns the time recorded as Repo.CrawledAt. Default: time.Now.
	Now func() time.Time
}

// Validate checks the options before a crawl starts.
func (o *Options) Validate() error {
	switch {
	case o.Store == nil:
		return errors.New("crawl: no store")
	case o.Jobs < 0:
		return fmt.Errorf("crawl: invalid jobs %d: must not be negative", o.Jobs)
	case o.MaxFileSize < 0:
		return fmt.Errorf("crawl: invalid max file size %d: must not be negative", o.MaxFileSize)
	case o.HistoryDepth < 0:
		return fmt.Errorf("crawl: invalid history depth %d: must not be negative", o.HistoryDepth)
	case o.HistoryDepth > 0 && !o.History:
		return errors.New("crawl: history depth set without history")
	case o.RepoTimeout < 0:
		return errors.New("crawl: repository timeout must not be negative")
	}
	return o.Retry.Validate()
}

func (o Options) withDefaults() Options {
	if o.Jobs == 0 {
		o.Jobs = 4
	}
	if o.MaxFileSize == 0 {
		o.MaxFileSize = DefaultMaxFileSize
	}
	if o.Log == nil {
		o.Log = slog.New(slog.DiscardHandler)
	}
	if o.Retry.Log == nil {
		o.Retry.Log = o.Log
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	return o
}

// Status is the outcome of crawling one repository.
type Status string

// Outcomes of one repository.
const (
	StatusDone    Status = "done"    // stored
	StatusFailed  Status = "failed"  // failed and recorded as failed
	StatusSkipped Status = "skipped" // finished in an earlier run, or failed there with SkipFailed
)

// RepoResult is the outcome of one repository.
type RepoResult struct {
	Source   Source
	Status   Status
	Commit   string
	Files    int
	Versions int
	Bytes    int64
	Skipped  map[string]int // skipped entries by reason
	Err      error          // for StatusFailed
	Elapsed  time.Duration
}

// Result sums up a crawl.
type Result struct {
	Repos       int            // repositories given
	Done        int            // stored in this run
	Failed      int            // failed in this run
	AlreadyDone int            // skipped because an earlier run finished them
	Files       int            // files stored in this run
	Versions    int            // versions stored in this run
	Bytes       int64          // bytes of the files stored in this run
	Skipped     map[string]int // entries skipped in this run, by reason
	Interrupted bool           // the context ended before every repository was crawled
	Elapsed     time.Duration
}

// Crawl fetches each source, extracts its Dockerfiles and stores them, with
// up to opts.Jobs repositories at once. A repository that fails is recorded
// with its error and the crawl goes on. A repository finished in an earlier
// run is skipped, so a crawl that was stopped, even by SIGKILL, resumes where
// it stopped when run again.
//
// Crawl returns an error only when the options are invalid, when a local
// source has a name that the store contains from another path (see
// [CheckStored]), or when the store fails. When ctx ends, Crawl stops
// starting repositories, drops the unfinished ones and returns the result
// so far with Interrupted set and ctx's error.
func Crawl(ctx context.Context, sources []Source, opts Options) (Result, error) {
	if err := opts.Validate(); err != nil {
		return Result{}, err
	}
	if err := CheckStored(opts.Store, sources); err != nil {
		return Result{}, err
	}
	c := &crawler{opts: opts.withDefaults(), result: Result{Repos: len(sources), Skipped: map[string]int{}}}
	start := time.Now()
	log := c.opts.Log
	log.Info("crawl started", "repos", len(sources), "jobs", c.opts.Jobs, "history", c.opts.History)

	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(c.opts.Jobs)
	for _, src := range sources {
		if gctx.Err() != nil {
			break
		}
		g.Go(func() error { return c.crawlRepo(gctx, src) })
	}
	err := g.Wait()

	c.result.Elapsed = time.Since(start)
	if err == nil && ctx.Err() != nil {
		c.result.Interrupted = true
		err = ctx.Err()
	}
	if err == nil {
		c.prune()
	}
	r := c.result
	log.Info("crawl finished", "repos", r.Repos, "done", r.Done, "failed", r.Failed, "already_done", r.AlreadyDone,
		"files", r.Files, "versions", r.Versions, "bytes", r.Bytes, "interrupted", r.Interrupted, "elapsed", r.Elapsed.Round(time.Millisecond))
	return r, err
}

type crawler struct {
	opts Options

	mu     sync.Mutex // guards result and OnRepo calls
	result Result
}

// crawlRepo crawls one repository. It returns an error only when the store
// fails, which stops the whole crawl.
func (c *crawler) crawlRepo(ctx context.Context, src Source) error {
	if ctx.Err() != nil {
		return nil
	}
	if skip, err := c.finished(src); err != nil || skip {
		if skip {
			c.report(RepoResult{Source: src, Status: StatusSkipped})
		}
		return err
	}

	repoCtx, cancel := ctx, context.CancelFunc(func() {})
	if c.opts.RepoTimeout > 0 {
		repoCtx, cancel = context.WithTimeout(ctx, c.opts.RepoTimeout)
	}
	defer cancel()

	start := time.Now()
	res, err := c.extract(repoCtx, src)
	res.Source, res.Elapsed = src, time.Since(start)
	var storeErr *storeError
	switch {
	case err == nil:
		res.Status = StatusDone
	case errors.As(err, &storeErr):
		return err
	case ctx.Err() != nil:
		// The crawl is stopping; the repository is not at fault and is
		// redone by the next run.
		return nil
	default:
		res.Status, res.Err = StatusFailed, err
		if err := c.recordFailure(src, err); err != nil {
			return err
		}
	}
	c.report(res)
	return nil
}

// finished reports whether an earlier run finished src, so this run skips
// it.
func (c *crawler) finished(src Source) (bool, error) {
	rec, err := c.opts.Store.Repo(src.Name)
	if errors.Is(err, store.ErrNotFound) {
		return false, nil
	}
	if err != nil {
		return false, &storeError{err}
	}
	switch rec.State {
	case store.StateDone:
		return src.Pin == "" || strings.HasPrefix(rec.Commit, src.Pin), nil
	case store.StateFailed:
		return c.opts.SkipFailed, nil
	}
	return false, nil
}

func (c *crawler) recordFailure(src Source, cause error) error {
	tx, err := c.opts.Store.BeginRepo(src.Name)
	if err != nil {
		return &storeError{err}
	}
	defer tx.Discard()

	rec := store.Repo{
		Name:      src.Name,
		Source:    src.Location(),
		State:     store.StateFailed,
		Error:     cause.Error(),
		CrawledAt: c.opts.Now().UTC(),
		Stars:     src.Stars,
	}
	if err := tx.Commit(rec); err != nil {
		return &storeError{err}
	}
	return nil
}

func (c *crawler) report(res RepoResult) {
	c.mu.Lock()
	defer c.mu.Unlock()

	r := &c.result
	log := c.opts.Log
	switch res.Status {
	case StatusDone:
		r.Done++
		r.Files += res.Files
		r.Versions += res.Versions
		r.Bytes += res.Bytes
		for reason, n := range res.Skipped {
			r.Skipped[reason] += n
		}
		log.Info("repository crawled", "repo", res.Source.Name, "commit", res.Commit, "files", res.Files,
			"versions", res.Versions, "skipped", formatCounts(res.Skipped), "elapsed", res.Elapsed.Round(time.Millisecond))
	case StatusFailed:
		r.Failed++
		log.Error("repository failed", "repo", res.Source.Name, "source", res.Source.Location(), "error", res.Err)
	case StatusSkipped:
		r.AlreadyDone++
		log.Debug("repository skipped: finished in an earlier run", "repo", res.Source.Name)
	}
	if c.opts.OnRepo != nil {
		c.opts.OnRepo(res)
	}
}

// prune removes leftovers of interrupted runs when the store can.
func (c *crawler) prune() {
	p, ok := c.opts.Store.(store.Pruner)
	if !ok {
		return
	}
	pr, err := p.Prune()
	if err != nil {
		c.opts.Log.Warn("prune store failed", "error", err)
		return
	}
	if pr.Records > 0 || pr.Blobs > 0 {
		c.opts.Log.Info("pruned leftovers of interrupted runs", "records", pr.Records, "blobs", pr.Blobs)
	}
}

// storeError marks a failure of the store, which ends the crawl, apart from
// failures of one repository, which do not.
type storeError struct{ err error }

func (e *storeError) Error() string { return "store: " + e.err.Error() }
func (e *storeError) Unwrap() error { return e.err }

// formatCounts renders counts as "a=1,b=2" in key order, or "" when empty.
func formatCounts(m map[string]int) string {
	var b strings.Builder
	for i, k := range slices.Sorted(maps.Keys(m)) {
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, "%s=%d", k, m[k])
	}
	return b.String()
}
