package corpus

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// fakeRepo is one repository that the fake search API serves.
type fakeRepo struct {
	name    string
	created time.Time
	stars   int
}

// fakeGitHub serves GET /search/repositories over a fixed set of
// repositories, with GitHub's 1,000-result cap, and fails the requests that
// its faults script.
type fakeGitHub struct {
	t      *testing.T
	repos  []fakeRepo
	faults []func(w http.ResponseWriter) bool // by request number; true when the fault wrote the response

	mu       sync.Mutex
	requests int
	queries  []string
	auth     []string
}

func (f *fakeGitHub) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	n := f.requests
	f.requests++
	f.queries = append(f.queries, r.URL.Query().Get("q"))
	f.auth = append(f.auth, r.Header.Get("Authorization"))
	f.mu.Unlock()

	if n > 500 {
		f.t.Errorf("fake GitHub got more than 500 requests; the client spins")
		w.WriteHeader(http.StatusTeapot)
		return
	}
	if r.URL.Path != "/search/repositories" {
		http.NotFound(w, r)
		return
	}
	if n < len(f.faults) && f.faults[n] != nil && f.faults[n](w) {
		return
	}

	q := r.URL.Query()
	page, _ := strconv.Atoi(q.Get("page"))
	perPage, _ := strconv.Atoi(q.Get("per_page"))
	page, perPage = max(page, 1), max(perPage, 30)
	matched := f.match(q.Get("q"))
	if page*perPage > 1000+perPage-1 && page > 1000/perPage {
		w.WriteHeader(http.StatusUnprocessableEntity)
		fmt.Fprint(w, `{"message":"Only the first 1000 search results are available"}`)
		return
	}

	start := min((page-1)*perPage, len(matched))
	end := min(start+perPage, len(matched), 1000)
	items := []map[string]any{}
	for _, repo := range matched[start:end] {
		items = append(items, map[string]any{
			"full_name":        repo.name,
			"clone_url":        "https://github.com/" + repo.name + ".git",
			"stargazers_count": repo.stars,
		})
	}
	if end < min(len(matched), 1000) {
		next := *r.URL
		values := next.Query()
		values.Set("page", strconv.Itoa(page+1))
		next.RawQuery = values.Encode()
		w.Header().Set("Link", fmt.Sprintf(`<http://%s%s>; rel="next"`, r.Host, next.String()))
	}
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(map[string]any{"total_count": len(matched), "incomplete_results": false, "items": items})
}

// match applies the created: and stars: qualifiers of q and sorts the
// result by stars, most first, as the crawler requests.
func (f *fakeGitHub) match(q string) []fakeRepo {
	from, to := time.Time{}, time.Date(9999, 1, 1, 0, 0, 0, 0, time.UTC)
	minStars, maxStars := 0, int(^uint(0)>>1)
	for field := range strings.FieldsSeq(q) {
		switch {
		case strings.HasPrefix(field, "created:"):
			a, b, _ := strings.Cut(strings.TrimPrefix(field, "created:"), "..")
			from, _ = time.Parse(time.RFC3339, a)
			to, _ = time.Parse(time.RFC3339, b)
		case strings.HasPrefix(field, "stars:>="):
			minStars, _ = strconv.Atoi(strings.TrimPrefix(field, "stars:>="))
		case strings.HasPrefix(field, "stars:"):
			a, b, _ := strings.Cut(strings.TrimPrefix(field, "stars:"), "..")
			minStars, _ = strconv.Atoi(a)
			maxStars, _ = strconv.Atoi(b)
		}
	}
	var out []fakeRepo
	for _, r := range f.repos {
		if !r.created.Before(from) && !r.created.After(to) && r.stars >= minStars && r.stars <= maxStars {
			out = append(out, r)
		}
	}
	slices.SortFunc(out, func(a, b fakeRepo) int {
		if a.stars != b.stars {
			return b.stars - a.stars
		}
		return strings.Compare(a.name, b.name)
	})
	return out
}

// fakeClock records the sleeps of a Retry policy and advances with them.
type fakeClock struct {
	mu     sync.Mutex
	now    time.Time
	sleeps []time.Duration
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *fakeClock) Sleep(ctx context.Context, d time.Duration) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.sleeps = append(c.sleeps, d)
	c.now = c.now.Add(d)
	return ctx.Err()
}

func newSearch(t *testing.T, srv *httptest.Server, token string, clock *fakeClock, log *slog.Logger) *Search {
	t.Helper()
	client, err := NewGitHubClient(srv.URL+"/", token)
	if err != nil {
		t.Fatal(err)
	}
	return &Search{
		Client: client,
		Query:  "language:Dockerfile",
		Now:    clock.Now,
		Log:    log,
		Retry:  Retry{Attempts: 4, Sleep: clock.Sleep, Now: clock.Now, Log: log},
	}
}

func makeRepos(n int, start time.Time, step time.Duration, stars func(i int) int) []fakeRepo {
	repos := make([]fakeRepo, n)
	for i := range repos {
		repos[i] = fakeRepo{name: fmt.Sprintf("owner%d/repo%d", i%37, i), created: start.Add(time.Duration(i) * step), stars: stars(i)}
	}
	return repos
}

// checkExactlyOnce fails unless found lists every repository of want once.
func checkExactlyOnce(t *testing.T, found []Source, want []fakeRepo) {
	t.Helper()
	count := map[string]int{}
	for _, s := range found {
		count[s.Name]++
	}
	for _, r := range want {
		if count[r.name] != 1 {
			t.Errorf("repository %s found %d times, want once", r.name, count[r.name])
		}
	}
	if len(found) != len(want) {
		t.Errorf("found %d repositories, want %d", len(found), len(want))
	}
}

func TestSearchSurvivesFaults(t *testing.T) {
	clock := &fakeClock{now: time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)}
	reset := clock.now.Add(90 * time.Second)
	status := func(code int, header map[string]string, body string) func(w http.ResponseWriter) bool {
		return func(w http.ResponseWriter) bool {
			for k, v := range header {
				w.Header().Set(k, v)
			}
			w.WriteHeader(code)
			fmt.Fprint(w, body)
			return true
		}
	}
	fake := &fakeGitHub{t: t, repos: makeRepos(250, time.Date(2015, 1, 1, 0, 0, 0, 0, time.UTC), 24*time.Hour, func(i int) int { return i % 50 })}
	fake.faults = []func(http.ResponseWriter) bool{
		status(403, map[string]string{"Retry-After": "7"}, `{"message":"slow down"}`),
		status(429, map[string]string{"Retry-After": "3"}, `{}`),
		status(502, nil, `bad gateway`),
		status(200, map[string]string{"Content-Type": "application/json"}, `{"total_count": 250, "items": [{"full_na`),
		status(200, map[string]string{"Content-Type": "application/json"}, `{"total_count": "many", "items": 7}`),
		status(403, map[string]string{"X-RateLimit-Remaining": "0", "X-RateLimit-Limit": "30", "X-RateLimit-Reset": strconv.FormatInt(reset.Unix(), 10)}, `{"message":"API rate limit exceeded"}`),
		nil, // first page succeeds
		status(403, map[string]string{"Retry-After": "11"}, `{"message":"You have exceeded a secondary rate limit","documentation_url":"https://docs.github.com/rest/overview/rate-limits-for-the-rest-api#secondary-rate-limits"}`),
		nil,
		func(w http.ResponseWriter) bool {
			// A good page that uses up the primary limit.
			w.Header().Set("X-RateLimit-Remaining", "0")
			w.Header().Set("X-RateLimit-Reset", strconv.FormatInt(reset.Add(time.Hour).Unix(), 10))
			return false
		},
	}
	srv := httptest.NewServer(fake)
	defer srv.Close()

	var logs bytes.Buffer
	log := slog.New(slog.NewTextHandler(&logs, nil))
	s := newSearch(t, srv, "", clock, log)
	s.Retry.Attempts = 10 // the first page meets six faults in a row
	found, err := s.Run(context.Background())
	if err != nil {
		t.Fatalf("Run: %v\nlog:\n%s", err, logs.String())
	}
	checkExactlyOnce(t, found, fake.repos)

	for _, want := range []time.Duration{7 * time.Second, 3 * time.Second, 11 * time.Second} {
		if !slices.Contains(clock.sleeps, want) {
			t.Errorf("sleeps %v lack the Retry-After wait %v", clock.sleeps, want)
		}
	}
	var waitedForReset bool
	for _, d := range clock.sleeps {
		waitedForReset = waitedForReset || d >= 50*time.Minute
	}
	if !waitedForReset {
		t.Errorf("sleeps %v lack the wait for the primary limit reset after a page with no requests remaining", clock.sleeps)
	}
	if got := strings.Count(logs.String(), "msg=retrying"); got != 7 {
		t.Errorf("logged %d retries, want 7 (one per fault):\n%s", got, logs.String())
	}
}

func TestSearchGivesUpAfterAttempts(t *testing.T) {
	clock := &fakeClock{now: time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)}
	fake := &fakeGitHub{t: t}
	for range 10 {
		fake.faults = append(fake.faults, func(w http.ResponseWriter) bool {
			w.WriteHeader(http.StatusBadGateway)
			return true
		})
	}
	srv := httptest.NewServer(fake)
	defer srv.Close()

	_, err := newSearch(t, srv, "", clock, nil).Run(context.Background())
	if err == nil || !strings.Contains(err.Error(), "gave up after retries") {
		t.Fatalf("Run against a failing server = %v, want a retries error", err)
	}
	if fake.requests != 4 {
		t.Errorf("server got %d requests, want 4 attempts", fake.requests)
	}
	for i, d := range clock.sleeps {
		if d < time.Second<<i/2 || d > time.Second<<i {
			t.Errorf("backoff %d = %v, want between %v and %v", i, d, time.Second<<i/2, time.Second<<i)
		}
	}
}

func TestSearchStopsOnClientError(t *testing.T) {
	clock := &fakeClock{now: time.Now()}
	fake := &fakeGitHub{t: t, faults: []func(http.ResponseWriter) bool{func(w http.ResponseWriter) bool {
		w.WriteHeader(http.StatusUnprocessableEntity)
		fmt.Fprint(w, `{"message":"Validation Failed"}`)
		return true
	}}}
	srv := httptest.NewServer(fake)
	defer srv.Close()

	if _, err := newSearch(t, srv, "", clock, nil).Run(context.Background()); err == nil {
		t.Fatal("Run after a 422 = nil, want an error")
	}
	if fake.requests != 1 {
		t.Errorf("server got %d requests after a 422, want 1", fake.requests)
	}
}

func TestSearchSlicesLargeQueries(t *testing.T) {
	// 2,400 repositories over six years, plus 1,200 created in one second
	// with different star counts, so that time slicing and then star
	// slicing are needed.
	repos := makeRepos(2400, time.Date(2016, 1, 1, 0, 0, 0, 0, time.UTC), 23*time.Hour, func(i int) int { return i % 7 })
	burst := time.Date(2020, 5, 5, 5, 5, 5, 0, time.UTC)
	for i := range 1200 {
		repos = append(repos, fakeRepo{name: fmt.Sprintf("burst/repo%d", i), created: burst, stars: i % 40})
	}
	fake := &fakeGitHub{t: t, repos: repos}
	srv := httptest.NewServer(fake)
	defer srv.Close()

	clock := &fakeClock{now: time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)}
	found, err := newSearch(t, srv, "secret-token", clock, nil).Run(context.Background())
	if err != nil {
		t.Fatalf("Run: %v", err)
	}
	checkExactlyOnce(t, found, repos)

	var starSliced bool
	for _, q := range fake.queries {
		starSliced = starSliced || strings.Contains(q, "stars:") && strings.Contains(q, "2020-05-05T05:05")
	}
	if !starSliced {
		t.Error("no query sliced by stars, but 1,200 repositories share one creation second")
	}
	if !strings.Contains(fake.queries[0], "created:2007-10-01T00:00:00Z..2026-06-01T00:00:00Z") {
		t.Errorf("first query %q does not span the whole creation range", fake.queries[0])
	}
	for i, a := range fake.auth {
		if a != "Bearer secret-token" {
			t.Fatalf("request %d has Authorization %q, want the bearer token", i, a)
		}
	}
}

func TestSearchUnsplittableSliceTerminates(t *testing.T) {
	var repos []fakeRepo
	at := time.Date(2021, 1, 1, 0, 0, 0, 0, time.UTC)
	for i := range 1100 {
		repos = append(repos, fakeRepo{name: fmt.Sprintf("same/repo%04d", i), created: at, stars: 5})
	}
	fake := &fakeGitHub{t: t, repos: repos}
	srv := httptest.NewServer(fake)
	defer srv.Close()

	clock := &fakeClock{now: time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)}
	s := newSearch(t, srv, "", clock, nil)
	s.MinStars = 5
	found, err := s.Run(context.Background())
	if err != nil {
		t.Fatalf("Run: %v", err)
	}
	if len(found) != 1000 {
		t.Errorf("found %d repositories, want the 1,000 that one query can return", len(found))
	}
}

func TestSearchMaxRepos(t *testing.T) {
	fake := &fakeGitHub{t: t, repos: makeRepos(500, time.Date(2018, 1, 1, 0, 0, 0, 0, time.UTC), time.Hour, func(i int) int { return i })}
	srv := httptest.NewServer(fake)
	defer srv.Close()

	clock := &fakeClock{now: time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)}
	s := newSearch(t, srv, "", clock, nil)
	s.MaxRepos = 150
	found, err := s.Run(context.Background())
	if err != nil {
		t.Fatalf("Run: %v", err)
	}
	if len(found) != 150 || fake.requests != 2 {
		t.Errorf("found %d repositories in %d requests, want 150 in 2", len(found), fake.requests)
	}
	if found[0].Stars != 499 {
		t.Errorf("first repository has %d stars, want the most starred (499)", found[0].Stars)
	}
}

func TestNewGitHubClientRejectsBadURL(t *testing.T) {
	for _, u := range []string{"", "ftp://example.invalid/", "not a url", "http://"} {
		if _, err := NewGitHubClient(u, ""); err == nil {
			t.Errorf("NewGitHubClient(%q) = nil error, want one", u)
		}
	}
	if _, err := url.Parse(DefaultAPIURL); err != nil {
		t.Fatal(err)
	}
}

func TestSearchRequestBudgetStopsSlicing(t *testing.T) {
	// A broken server that reports 5,000 results for every slice but
	// returns none would make the slicing go on for millions of requests.
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprint(w, `{"total_count":5000,"incomplete_results":false,"items":[]}`)
	}))
	defer srv.Close()

	clock := &fakeClock{now: time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)}
	s := newSearch(t, srv, "", clock, nil)
	s.MaxRequests = 300
	_, err := s.Run(context.Background())
	if !errors.Is(err, ErrSearchBudget) {
		t.Errorf("Run against a server whose counts never shrink = %v, want ErrSearchBudget", err)
	}
}
