// Package wait holds the one way the API clients pause: a sleep that ends
// early when its context does. Clients take it as an injectable function
// so that tests never sleep.
package wait

import (
	"context"
	"time"
)

// Sleep waits d, or returns ctx's error when ctx ends first.
func Sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}
