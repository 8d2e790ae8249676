package wait

import (
	"context"
	"fmt"
	"sync"
	"time"
)

// DefaultMax is the budget of a client given none: the action's max-wait
// default.
const DefaultMax = 10 * time.Minute

// Budget is the run's one allowance of waiting — the max-wait input —
// shared by every API client, so that rate limits and back-off of GitHub
// and Sentry together never wait longer than the user allowed. A zero Max
// allows no waiting at all. It is safe for concurrent use.
type Budget struct {
	// Max is the total time the run may wait.
	Max time.Duration
	// Sleep waits d or until ctx ends; nil means Sleep. Injected so that
	// tests never sleep.
	Sleep func(ctx context.Context, d time.Duration) error

	mu    sync.Mutex
	spent time.Duration
}

// Own is the budget of a client that was given none: max, or DefaultMax
// when max is zero, waited with sleep.
func Own(max time.Duration, sleep func(ctx context.Context, d time.Duration) error) *Budget {
	if max <= 0 {
		max = DefaultMax
	}
	return &Budget{Max: max, Sleep: sleep}
}

// Spent is how long the run has waited so far.
func (b *Budget) Spent() time.Duration {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.spent
}

// Allows reports whether waiting d more stays within the budget.
func (b *Budget) Allows(d time.Duration) bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.spent+d <= b.Max
}

// ExceededError is a wait the budget does not allow.
type ExceededError struct {
	Wait, Spent, Max time.Duration
}

func (e *ExceededError) Error() string {
	return fmt.Sprintf("waiting %s more would exceed the max-wait budget of %s (%s spent)", e.Wait, e.Max, e.Spent)
}

// Wait sleeps d when the budget allows it, and charges it; otherwise it
// returns an *ExceededError without sleeping. It fails early when ctx
// ends.
func (b *Budget) Wait(ctx context.Context, d time.Duration) error {
	b.mu.Lock()
	if b.spent+d > b.Max {
		err := &ExceededError{Wait: d, Spent: b.spent, Max: b.Max}
		b.mu.Unlock()
		return err
	}
	b.spent += d
	sleep := b.Sleep
	b.mu.Unlock()
	if sleep == nil {
		sleep = Sleep
	}
	return sleep(ctx, d)
}

// Backoff is the retry policy both API clients share: waits that start at
// First and double on each retry, at most MaxRetries retries of one
// request.
type Backoff struct {
	First      time.Duration
	MaxRetries int
	next       time.Duration
}

// Next returns the wait before the next retry and doubles the one after.
func (b *Backoff) Next() time.Duration {
	if b.next == 0 {
		b.next = b.First
	}
	d := b.next
	b.next *= 2
	return d
}

// AtLeast returns the wait before the next retry, but no less than min,
// and doubles it for the one after (GitHub's secondary limits: "wait at
// least one minute, then exponentially longer").
func (b *Backoff) AtLeast(min time.Duration) time.Duration {
	if b.next < min {
		b.next = min
	}
	return b.Next()
}
