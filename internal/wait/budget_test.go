package wait

import (
	"context"
	"errors"
	"testing"
	"time"
)

func TestBudget(t *testing.T) {
	var slept []time.Duration
	b := &Budget{Max: 90 * time.Second, Sleep: func(_ context.Context, d time.Duration) error {
		slept = append(slept, d)
		return nil
	}}
	ctx := context.Background()
	if err := b.Wait(ctx, time.Minute); err != nil {
		t.Fatal(err)
	}
	if !b.Allows(30*time.Second) || b.Allows(31*time.Second) {
		t.Errorf("after 1m of 1m30s: Allows(30s)=%v Allows(31s)=%v, want true, false", b.Allows(30*time.Second), b.Allows(31*time.Second))
	}
	var ex *ExceededError
	if err := b.Wait(ctx, time.Minute); !errors.As(err, &ex) || ex.Spent != time.Minute || ex.Max != 90*time.Second {
		t.Errorf("Wait beyond the budget: %v", err)
	}
	if err := b.Wait(ctx, 30*time.Second); err != nil {
		t.Fatal(err)
	}
	if b.Spent() != 90*time.Second || len(slept) != 2 {
		t.Errorf("spent %s in %d sleeps, want 1m30s in 2", b.Spent(), len(slept))
	}
	// A zero budget allows no waiting at all (max-wait: 0m).
	zero := &Budget{Sleep: b.Sleep}
	if err := zero.Wait(ctx, time.Second); !errors.As(err, &ex) {
		t.Errorf("zero budget waited: %v", err)
	}
}

func TestBackoff(t *testing.T) {
	b := Backoff{First: time.Second}
	var got []time.Duration
	for range 4 {
		got = append(got, b.Next())
	}
	want := []time.Duration{time.Second, 2 * time.Second, 4 * time.Second, 8 * time.Second}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("Next() = %v, want %v", got, want)
		}
	}
	m := Backoff{First: time.Second}
	if d := m.AtLeast(time.Minute); d != time.Minute {
		t.Errorf("AtLeast(1m) = %s", d)
	}
	if d := m.AtLeast(time.Minute); d != 2*time.Minute {
		t.Errorf("second AtLeast(1m) = %s, want 2m", d)
	}
}
