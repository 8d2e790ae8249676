package history

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/engineering-kpis/engineering-kpis/internal/kpi"
)

var update = flag.Bool("update", false, "update golden files")

// goldenHistory builds the history behind testdata/history.golden.json: two
// repositories, dates upserted out of order, null metrics, a ratio, samples,
// an incomplete metric, a snapshot without computed_at, an unknown top-level
// section ("sentry_daily") and an unknown snapshot field ("deploy_freeze").
func goldenHistory(t *testing.T) *History {
	t.Helper()
	// What an older file (or a newer version of the action) left behind,
	// written compactly: Marshal must re-indent it.
	h := mustParse(t, `{"schema":1,"snapshots":[{"date":"2026-11-24","repository":"acme/web","clock":"business",`+
		`"computed_at":"2026-11-24T23:10:00Z","metrics":{"review_wait_median_hours":2.5,"review_requests_answered":4},`+
		`"samples":{"review_requests_answered":4,"review_wait_median_hours":4},"incomplete":[],`+
		`"deploy_freeze":{"reason":"black friday","until":"2026-11-30"}}],`+
		`"sentry_daily":{"2026-11-23":{"events":120,"users":40},"2026-11-24":{"events":96,"users":48}}}`)

	h.Upsert(snap("2026-11-25", "acme/api",
		kpi.Values{
			kpi.ReviewWaitMedianHours:        num(7),
			kpi.ReviewRequestsAnswered:       num(6),
			kpi.ReviewRequestsOverSLA:        num(2),
			kpi.ReviewAnsweredWithinSLARatio: num(0.8333),
			kpi.SentryEventsPerUserDay:       num(2.125),
		},
		kpi.Samples{
			kpi.ReviewWaitMedianHours:        6,
			kpi.ReviewRequestsAnswered:       6,
			kpi.ReviewRequestsOverSLA:        2,
			kpi.ReviewAnsweredWithinSLARatio: 6,
		}), "2026-11-25T06:00:00Z")
	h.Upsert(snap("2026-11-23", "acme/web",
		kpi.Values{
			kpi.ReviewWaitMedianHours:        nil, // no sample: null, never 0
			kpi.ReviewRequestsAnswered:       num(0),
			kpi.ReviewRequestsWaiting:        num(1),
			kpi.ReviewAnsweredWithinSLARatio: nil,
			kpi.SentryEvents:                 nil,
		},
		kpi.Samples{
			kpi.ReviewWaitMedianHours:        0,
			kpi.ReviewRequestsAnswered:       0,
			kpi.ReviewRequestsWaiting:        1,
			kpi.ReviewAnsweredWithinSLARatio: 0,
		}, kpi.SentryEvents), "2026-11-24T00:05:00Z")
	h.Upsert(snap("2026-11-24", "acme/api",
		kpi.Values{
			kpi.ReviewWaitMedianHours:        num(4),
			kpi.ReviewWaitP90Hours:           num(30.75),
			kpi.ReviewRequestsAnswered:       num(5),
			kpi.ReviewAnsweredWithinSLARatio: num(0.8),
			kpi.SentryEventsPerUserDay:       num(2.4),
		},
		kpi.Samples{
			kpi.ReviewWaitMedianHours:        5,
			kpi.ReviewWaitP90Hours:           5,
			kpi.ReviewRequestsAnswered:       5,
			kpi.ReviewAnsweredWithinSLARatio: 5,
		}), "2026-11-25T00:05:00Z")
	// An old snapshot recorded before computed_at existed.
	h.Upsert(snap("2026-11-23", "acme/api",
		kpi.Values{
			kpi.ReviewWaitMedianHours:        num(5.5),
			kpi.ReviewRequestsAnswered:       num(3),
			kpi.ReviewAnsweredWithinSLARatio: num(0.6667),
		},
		kpi.Samples{
			kpi.ReviewWaitMedianHours:        3,
			kpi.ReviewRequestsAnswered:       3,
			kpi.ReviewAnsweredWithinSLARatio: 3,
		}), "")
	return h
}

func TestMarshalGolden(t *testing.T) {
	t.Parallel()

	got, err := goldenHistory(t).Marshal()
	if err != nil {
		t.Fatalf("Marshal: %v", err)
	}
	path := filepath.Join("testdata", "history.golden.json")
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("Marshal differs from %s (-want +got):\n%s", path, cmp.Diff(string(want), string(got)))
	}
}

// The committed golden is itself a valid history that a re-run writes back
// unchanged, and its shape is what docs/definitions.md promises.
func TestGoldenIsStable(t *testing.T) {
	t.Parallel()

	want, err := os.ReadFile(filepath.Join("testdata", "history.golden.json"))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasSuffix(want, []byte("}\n")) || bytes.HasSuffix(want, []byte("\n\n")) {
		t.Errorf("golden does not end in exactly one newline")
	}
	if bytes.Contains(want, []byte("\t")) || bytes.Contains(want, []byte("\r")) {
		t.Errorf("golden contains tabs or carriage returns")
	}
	h := mustParse(t, string(want))
	if diff := cmp.Diff(string(want), mustMarshal(t, h)); diff != "" {
		t.Errorf("Parse→Marshal of the golden changed it (-golden +got):\n%s", diff)
	}
	wantKeys := []string{
		"2026-11-23 acme/api", "2026-11-23 acme/web", "2026-11-24 acme/api",
		"2026-11-24 acme/web", "2026-11-25 acme/api",
	}
	if diff := cmp.Diff(wantKeys, keys(h)); diff != "" {
		t.Errorf("snapshot order (-want +got):\n%s", diff)
	}
}
