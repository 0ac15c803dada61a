package corpus

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/google/go-github/v93/github"
)

// DefaultAPIURL is the root of the public GitHub REST API.
const DefaultAPIURL = "https://api.github.com/"

// Limits of the GitHub search API (REST API version 2022-11-28).
const (
	searchResultCap = 1000 // results one query can page through
	searchPageSize  = 100  // largest per_page
)

// NewGitHubClient returns a client for the REST API at apiURL, such as
// [DefaultAPIURL] or "https://ghe.example.com/api/v3/". A non-empty token is
// sent as a bearer token to apiURL's origin only. The client leaves rate
// limits to [Search], which waits with its [Retry] policy.
func NewGitHubClient(apiURL, token string) (*github.Client, error) {
	u, err := url.Parse(apiURL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("invalid GitHub API URL %q: want http(s)://host/path/", apiURL)
	}

	opts := []github.ClientOptionsFunc{
		github.WithURLs(&apiURL, &apiURL),
		github.WithDisableRateLimitCheck(),
		github.WithTimeout(time.Minute),
		github.WithUserAgent("dockmine"),
	}
	if token != "" {
		opts = append(opts, github.WithAuthToken(token))
	}
	return github.NewClient(opts...)
}

// Search finds repositories with the GitHub search API. One query returns
// at most 1,000 results, so a query with more is split into slices by
// creation date, and a slice that is still too large is split by stars,
// until each slice fits.
type Search struct {
	Client   *github.Client
	Query    string // GitHub search syntax, such as "language:Dockerfile"
	MinStars int    // adds stars:>=MinStars when positive
	MaxRepos int    // stop after this many repositories; 0 for no limit
	// MaxRequests bounds the API requests of one run, retries included, so
	// that a server whose counts never shrink cannot keep the slicing going.
	// Default 50,000, about 28 hours at the search limit of 30 per minute.
	MaxRequests int
	Retry       Retry            // policy for failed and rate-limited requests
	Log         *slog.Logger     // default: discard
	Now         func() time.Time // end of the creation date range; default time.Now
}

// ErrSearchBudget is returned when a search reaches [Search.MaxRequests].
var ErrSearchBudget = errors.New("search request budget exhausted")

// searchEpoch is earlier than any GitHub repository's creation date.
var searchEpoch = time.Date(2007, 10, 1, 0, 0, 0, 0, time.UTC)

// Validate checks the search before it runs.
func (s *Search) Validate() error {
	switch {
	case s.Client == nil:
		return errors.New("search: no GitHub client")
	case strings.TrimSpace(s.Query) == "":
		return errors.New("search: empty query")
	case s.MinStars < 0 || s.MaxRepos < 0 || s.MaxRequests < 0:
		return errors.New("search: min stars, max repositories and max requests must not be negative")
	}
	return s.Retry.Validate()
}

// Run runs the search and returns each repository once, in the order found.
func (s *Search) Run(ctx context.Context) ([]Source, error) {
	if err := s.Validate(); err != nil {
		return nil, err
	}
	log := s.Log
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	now := time.Now
	if s.Now != nil {
		now = s.Now
	}
	retry := s.Retry
	if retry.Log == nil {
		retry.Log = log
	}

	budget := s.MaxRequests
	if budget == 0 {
		budget = 50000
	}
	run := searchRun{s: s, log: log, retry: retry, seen: map[string]bool{}, budget: budget}
	pending := []searchSlice{{from: searchEpoch, to: now().UTC().Truncate(time.Second), minStars: s.MinStars, maxStars: -1}}
	for len(pending) > 0 && !run.full() {
		slice := pending[len(pending)-1]
		pending = pending[:len(pending)-1]

		parts, err := run.slice(ctx, slice)
		if err != nil {
			return run.found, err
		}
		// Push in reverse so the earlier part is taken first.
		for i := len(parts) - 1; i >= 0; i-- {
			pending = append(pending, parts[i])
		}
	}
	log.Info("search finished", "query", s.Query, "repos", len(run.found), "requests", run.requests)
	return run.found, nil
}

// searchSlice is a part of the query: creation times from..to and stars
// minStars..maxStars, both inclusive. maxStars -1 means no upper bound.
type searchSlice struct {
	from, to           time.Time
	minStars, maxStars int
}

func (sl searchSlice) query(base string) string {
	const layout = "2006-01-02T15:04:05Z"
	q := base + " created:" + sl.from.Format(layout) + ".." + sl.to.Format(layout)
	switch {
	case sl.maxStars < 0 && sl.minStars > 0:
		q += " stars:>=" + strconv.Itoa(sl.minStars)
	case sl.maxStars >= 0:
		q += fmt.Sprintf(" stars:%d..%d", sl.minStars, sl.maxStars)
	}
	return q
}

// split halves the slice by creation time while its span is over a minute,
// and then by stars. It returns nil when the slice cannot be split.
func (sl searchSlice) split() []searchSlice {
	if span := sl.to.Sub(sl.from); span > time.Minute {
		mid := sl.from.Add(span / 2).Truncate(time.Second)
		a, b := sl, sl
		a.to, b.from = mid, mid.Add(time.Second)
		return []searchSlice{a, b}
	}

	a, b := sl, sl
	switch {
	case sl.maxStars < 0:
		a.maxStars = 2*sl.minStars + 1
		b.minStars = a.maxStars + 1
	case sl.minStars < sl.maxStars:
		a.maxStars = sl.minStars + (sl.maxStars-sl.minStars)/2
		b.minStars = a.maxStars + 1
	default:
		return nil
	}
	return []searchSlice{a, b}
}

type searchRun struct {
	s        *Search
	log      *slog.Logger
	retry    Retry
	seen     map[string]bool
	found    []Source
	requests int
	budget   int // maximum requests
}

func (r *searchRun) full() bool {
	return r.s.MaxRepos > 0 && len(r.found) >= r.s.MaxRepos
}

// slice fetches the first page of sl. When the slice has more results than
// one query can return, it returns the parts to search instead. Otherwise it
// collects every page.
func (r *searchRun) slice(ctx context.Context, sl searchSlice) ([]searchSlice, error) {
	q := sl.query(r.s.Query)
	result, resp, err := r.page(ctx, q, 1)
	if err != nil {
		return nil, err
	}
	total := result.GetTotal()
	if total > searchResultCap {
		if parts := sl.split(); parts != nil {
			r.log.Debug("splitting search slice", "query", q, "total", total)
			return parts, nil
		}
		r.log.Warn("search slice cannot be split further; results past the cap are lost",
			"query", q, "total", total, "cap", searchResultCap)
	}

	for page := 1; ; page++ {
		if page > 1 {
			result, resp, err = r.page(ctx, q, page)
			if err != nil {
				return nil, err
			}
		}
		r.add(result)
		if r.full() || len(result.Repositories) == 0 || resp.NextPage == 0 || resp.NextPage <= page ||
			page*searchPageSize >= min(total, searchResultCap) {
			return nil, nil
		}
	}
}

func (r *searchRun) add(result *github.RepositoriesSearchResult) {
	if result.GetIncompleteResults() {
		r.log.Warn("search results incomplete: GitHub timed out on the query")
	}
	for _, repo := range result.Repositories {
		name := repo.GetFullName()
		if r.full() || name == "" || r.seen[name] {
			continue
		}
		r.seen[name] = true
		src, err := ParseSource(name, "")
		if err != nil || src.Path != "" {
			r.log.Warn("skipping search result", "repo", name, "error", err)
			continue
		}
		if u := repo.GetCloneURL(); strings.HasPrefix(u, "https://") {
			src.URL = u
		}
		src.Stars = repo.GetStargazersCount()
		r.found = append(r.found, src)
	}
}

// page fetches one page of results, retrying as the [Retry] policy allows,
// and waits for the primary rate limit to reset when the response reports
// that no requests remain.
func (r *searchRun) page(ctx context.Context, q string, page int) (*github.RepositoriesSearchResult, *github.Response, error) {
	var result *github.RepositoriesSearchResult
	var resp *github.Response
	opts := &github.SearchOptions{Sort: "stars", Order: "desc", ListOptions: github.ListOptions{Page: page, PerPage: searchPageSize}}
	op := fmt.Sprintf("search %q page %d", q, page)

	err := r.retry.do(ctx, op, r.classify, func() error {
		if r.requests >= r.budget {
			return fmt.Errorf("%w after %d requests", ErrSearchBudget, r.requests)
		}
		var err error
		r.requests++
		result, resp, err = r.s.Client.Search.Repositories(ctx, q, opts)
		if err == nil && result == nil {
			err = errors.New("empty response body")
		}
		return err
	})
	if err != nil {
		return nil, nil, fmt.Errorf("%s: %w", op, err)
	}

	if resp.Rate.Remaining == 0 && !resp.Rate.Reset.IsZero() {
		r.log.Info("rate limit reached; waiting for reset", "reset", resp.Rate.Reset.Time.UTC())
		if err := r.retry.waitUntil(ctx, resp.Rate.Reset.Time.Add(time.Second)); err != nil {
			return nil, nil, err
		}
	}
	return result, resp, nil
}

// classify decides whether a failed API request is retried and how long to
// wait first.
func (r *searchRun) classify(err error) verdict {
	retry := r.retry.withDefaults()
	if e, ok := errors.AsType[*github.RateLimitError](err); ok {
		return verdict{retry: true, wait: e.Rate.Reset.Time.Add(time.Second).Sub(retry.Now()), reason: "primary rate limit"}
	}
	if e, ok := errors.AsType[*github.AbuseRateLimitError](err); ok {
		return verdict{retry: true, wait: e.GetRetryAfter(), reason: "secondary rate limit"}
	}
	if e, ok := errors.AsType[*github.ErrorResponse](err); ok && e.Response != nil {
		return classifyStatus(e.Response, retry.Now())
	}
	if isTransient(err) {
		return verdict{retry: true, reason: "connection error"}
	}
	// A body that ends early or does not parse comes from a proxy or a
	// broken connection as often as from the API, so it is retried too.
	if _, ok := errors.AsType[*json.SyntaxError](err); ok {
		return verdict{retry: true, reason: "malformed response"}
	}
	if _, ok := errors.AsType[*json.UnmarshalTypeError](err); ok {
		return verdict{retry: true, reason: "malformed response"}
	}
	return verdict{}
}

// classifyStatus handles error statuses that go-github does not report as
// rate limits: 403 and 429 with Retry-After, any 429, and 5xx.
func classifyStatus(resp *http.Response, now time.Time) verdict {
	code := resp.StatusCode
	if code == http.StatusForbidden || code == http.StatusTooManyRequests {
		if wait, ok := retryAfter(resp.Header.Get("Retry-After"), now); ok {
			return verdict{retry: true, wait: wait, reason: "secondary rate limit"}
		}
		if code == http.StatusTooManyRequests {
			return verdict{retry: true, reason: "too many requests"}
		}
		return verdict{}
	}
	if code >= 500 {
		return verdict{retry: true, reason: "server error " + strconv.Itoa(code)}
	}
	return verdict{}
}

// retryAfter parses a Retry-After header: seconds or an HTTP date.
func retryAfter(v string, now time.Time) (time.Duration, bool) {
	if v == "" {
		return 0, false
	}
	if secs, err := strconv.Atoi(strings.TrimSpace(v)); err == nil && secs >= 0 {
		return time.Duration(secs) * time.Second, true
	}
	if t, err := http.ParseTime(v); err == nil {
		return max(t.Sub(now), 0), true
	}
	return 0, false
}

// isTransient reports whether err looks like a dropped or refused
// connection or a body cut short.
func isTransient(err error) bool {
	if errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF) {
		return true
	}
	if _, ok := errors.AsType[net.Error](err); ok {
		return true
	}
	if _, ok := errors.AsType[*net.OpError](err); ok {
		return true
	}
	if _, ok := errors.AsType[*url.Error](err); ok {
		return true
	}
	msg := err.Error()
	return strings.Contains(msg, "connection reset") || strings.Contains(msg, "connection refused") ||
		strings.Contains(msg, "broken pipe")
}
