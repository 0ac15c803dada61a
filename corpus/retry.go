package corpus

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"time"
)

// ErrRetriesExhausted wraps the last error of an operation that failed on
// every attempt.
var ErrRetriesExhausted = errors.New("gave up after retries")

// Retry is the retry policy for network operations: GitHub API calls and
// clones. The zero value uses the defaults below.
type Retry struct {
	Attempts int           // attempts in all, including the first; default 6
	Base     time.Duration // backoff before the second attempt, doubled after each; default 1s
	Max      time.Duration // maximum backoff; default 1m
	MaxWait  time.Duration // maximum wait for a rate limit to reset; default 1h

	// Sleep waits for d or until ctx is done. Tests replace it so that they
	// do not wait in real time. Default: a timer.
	Sleep func(ctx context.Context, d time.Duration) error
	// Now returns the current time, for rate limit reset times. Default:
	// time.Now.
	Now func() time.Time
	// Log receives one record per retry. Default: discard.
	Log *slog.Logger
}

// Validate checks that no field is negative.
func (r Retry) Validate() error {
	if r.Attempts < 0 || r.Base < 0 || r.Max < 0 || r.MaxWait < 0 {
		return errors.New("invalid retry policy: attempts and durations must not be negative")
	}
	return nil
}

func (r Retry) withDefaults() Retry {
	if r.Attempts == 0 {
		r.Attempts = 6
	}
	if r.Base == 0 {
		r.Base = time.Second
	}
	if r.Max == 0 {
		r.Max = time.Minute
	}
	if r.MaxWait == 0 {
		r.MaxWait = time.Hour
	}
	if r.Sleep == nil {
		r.Sleep = sleepContext
	}
	if r.Now == nil {
		r.Now = time.Now
	}
	if r.Log == nil {
		r.Log = slog.New(slog.DiscardHandler)
	}
	return r
}

// verdict is the handling of one failed attempt.
type verdict struct {
	retry  bool
	wait   time.Duration // wait before the next attempt; 0 means exponential backoff
	reason string        // logged with the retry, such as "rate limited"
}

// do runs fn until it succeeds, classify rejects its error, the attempts
// run out or ctx is done. Every retry is logged with op and the error.
func (r Retry) do(ctx context.Context, op string, classify func(error) verdict, fn func() error) error {
	r = r.withDefaults()
	for attempt := 1; ; attempt++ {
		err := fn()
		if err == nil {
			return nil
		}
		if ctxErr := ctx.Err(); ctxErr != nil {
			return ctxErr
		}
		v := classify(err)
		if !v.retry {
			return err
		}
		if attempt >= r.Attempts {
			return fmt.Errorf("%w (%d attempts): %w", ErrRetriesExhausted, attempt, err)
		}

		wait := v.wait
		if wait <= 0 {
			wait = r.backoff(attempt)
		}
		wait = min(wait, r.MaxWait)
		r.Log.Warn("retrying", "op", op, "attempt", attempt, "reason", v.reason, "wait", wait.Round(time.Millisecond), "error", err)
		if err := r.Sleep(ctx, wait); err != nil {
			return err
		}
	}
}

// backoff returns the wait after the given failed attempt: Base doubled per
// attempt, capped at Max, with full jitter in its upper half so that many
// workers do not retry in step.
func (r Retry) backoff(attempt int) time.Duration {
	d := r.Base << min(attempt-1, 30)
	if d <= 0 || d > r.Max {
		d = r.Max
	}
	half := d / 2
	return half + rand.N(half+1)
}

// waitUntil sleeps until t, or not at all when t has passed.
func (r Retry) waitUntil(ctx context.Context, t time.Time) error {
	r = r.withDefaults()
	d := min(t.Sub(r.Now()), r.MaxWait)
	if d <= 0 {
		return nil
	}
	return r.Sleep(ctx, d)
}

func sleepContext(ctx context.Context, d time.Duration) error {
	timer := time.NewTimer(d)
	defer timer.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-timer.C:
		return nil
	}
}
