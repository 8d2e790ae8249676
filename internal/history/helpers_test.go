package history

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/engineering-kpis/engineering-kpis/internal/kpi"
)

// num returns a pointer to f, for kpi.Values literals.
func num(f float64) *float64 { return &f }

// cmpOpts compares histories and entries including the unknown fields they
// carry, and treats a nil map or slice like an empty one.
var cmpOpts = cmp.Options{
	cmp.AllowUnexported(History{}, Entry{}),
	cmpopts.EquateEmpty(),
	// Unknown fields are compared as JSON values: their layout in memory
	// follows the file they were read from.
	cmp.Comparer(func(a, b json.RawMessage) bool { return compact(a) == compact(b) }),
}

func compact(raw json.RawMessage) string {
	var b bytes.Buffer
	if err := json.Compact(&b, raw); err != nil {
		return "invalid JSON: " + string(raw)
	}
	return b.String()
}

func mustParse(t *testing.T, data string) *History {
	t.Helper()
	h, err := Parse([]byte(data))
	if err != nil {
		t.Fatalf("Parse: %v\ninput:\n%s", err, data)
	}
	return h
}

func mustMarshal(t *testing.T, h *History) string {
	t.Helper()
	b, err := h.Marshal()
	if err != nil {
		t.Fatalf("Marshal: %v", err)
	}
	return string(b)
}

// keys lists the (date, repository) keys of h in order, as "date repo".
func keys(h *History) []string {
	var ks []string
	for _, e := range h.Snapshots {
		ks = append(ks, e.Date+" "+e.Repository)
	}
	return ks
}

// noPanic runs f and turns a panic into a test error, so that one bug does
// not stop the rest of the package's tests.
func noPanic(t *testing.T, what string, f func()) (ok bool) {
	t.Helper()
	defer func() {
		if r := recover(); r != nil {
			t.Errorf("%s panicked: %v", what, r)
			ok = false
		}
	}()
	f()
	return true
}

// snap is a compact way to write a snapshot in tests.
func snap(date, repo string, metrics kpi.Values, samples kpi.Samples, incomplete ...string) kpi.Snapshot {
	if incomplete == nil {
		incomplete = []string{}
	}
	return kpi.Snapshot{
		Date:       date,
		Repository: repo,
		Clock:      "calendar",
		Metrics:    metrics,
		Samples:    samples,
		Incomplete: incomplete,
	}
}

// lines joins lines with "\n" and a trailing newline, for expected files.
func lines(ls ...string) string { return strings.Join(ls, "\n") + "\n" }
