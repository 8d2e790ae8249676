package publish

import (
	"context"
	"errors"
	"testing"
	"time"
)

// movingStore refuses the first conflicts writes as if another writer had
// moved the branch each time.
type movingStore struct {
	Mem
	conflicts, writes int
}

func (m *movingStore) Write(ctx context.Context, v string, files Files, msg string) (string, error) {
	m.writes++
	if m.writes <= m.conflicts {
		return "", ErrConflict
	}
	return m.Mem.Write(ctx, v, files, msg)
}

func TestPublishBacksOffWithJitter(t *testing.T) {
	s := &movingStore{conflicts: 3}
	var waits []time.Duration
	r := 0.5
	retry := Retry{
		Sleep: func(_ context.Context, d time.Duration) error { waits = append(waits, d); return nil },
		Rand:  func() float64 { return r },
	}
	update := func(Snapshot) (Files, error) { return Files{"a": []byte("x")}, nil }
	res, err := Publish(t.Context(), s, []string{"a"}, nil, update, "m", retry)
	if err != nil || res.Attempts != 4 {
		t.Fatalf("err %v after %d attempts, want success on the 4th", err, res.Attempts)
	}
	want := []time.Duration{500 * time.Millisecond, time.Second, 2 * time.Second}
	if len(waits) != len(want) || waits[0] != want[0] || waits[1] != want[1] || waits[2] != want[2] {
		t.Errorf("waits %v, want %v (half of 1 s, 2 s, 4 s)", waits, want)
	}
	if got := Backoff(10, 0.999); got > 16*time.Second || got < 15*time.Second {
		t.Errorf("Backoff(10) = %v, want just under the 16 s cap", got)
	}

	// A branch that never stops moving: give up after MaxAttempts.
	s = &movingStore{conflicts: MaxAttempts + 1}
	waits = nil
	_, err = Publish(t.Context(), s, []string{"a"}, nil, update, "m", retry)
	if !errors.Is(err, ErrConflict) || s.writes != MaxAttempts || len(waits) != MaxAttempts-1 {
		t.Errorf("err %v after %d writes and %d waits, want ErrConflict after %d", err, s.writes, len(waits), MaxAttempts)
	}

	// A cancelled wait stops the retries.
	s = &movingStore{conflicts: 1}
	retry.Sleep = func(ctx context.Context, _ time.Duration) error { return context.Canceled }
	if _, err := Publish(t.Context(), s, []string{"a"}, nil, update, "m", retry); !errors.Is(err, context.Canceled) {
		t.Errorf("err %v, want the sleeper's", err)
	}
}
