package history

import (
	"errors"
	"math"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/engineering-kpis/engineering-kpis/internal/kpi"
)

func TestMarshalEmpty(t *testing.T) {
	t.Parallel()

	want := lines(
		`{`,
		`  "schema": 2,`,
		`  "snapshots": []`,
		`}`,
	)
	if diff := cmp.Diff(want, mustMarshal(t, New())); diff != "" {
		t.Errorf("Marshal(New()) (-want +got):\n%s", diff)
	}
	// A file with no snapshots yet (or "snapshots": null) reads as empty.
	for _, in := range []string{`{"schema":1}`, `{"schema":1,"snapshots":null}`, `{"schema":1,"snapshots":[]}`} {
		h := mustParse(t, in)
		if len(h.Snapshots) != 0 {
			t.Errorf("Parse(%s): %d snapshots, want 0", in, len(h.Snapshots))
		}
		if diff := cmp.Diff(want, mustMarshal(t, h)); diff != "" {
			t.Errorf("Parse→Marshal of %s (-want +got):\n%s", in, diff)
		}
	}
}

// Parse(Marshal(h)) gives back h, and marshalling it again gives the same
// bytes: a re-run without new data does not change the committed file.
func TestRoundTripStable(t *testing.T) {
	t.Parallel()

	h := goldenHistory(t)
	first := mustMarshal(t, h)
	back := mustParse(t, first)
	if diff := cmp.Diff(h, back, cmpOpts); diff != "" {
		t.Errorf("Parse(Marshal(h)) differs from h (-h +parsed):\n%s", diff)
	}
	second := mustMarshal(t, back)
	if diff := cmp.Diff(first, second); diff != "" {
		t.Errorf("second Marshal differs (-first +second):\n%s", diff)
	}
	third := mustMarshal(t, mustParse(t, second))
	if third != second {
		t.Errorf("third Marshal differs from second")
	}
}

// Equal content gives identical bytes whatever order it was recorded in.
func TestMarshalIndependentOfInsertionOrder(t *testing.T) {
	t.Parallel()

	ss := []kpi.Snapshot{
		snap("2026-11-25", "acme/web", kpi.Values{kpi.SentryEvents: num(10), kpi.SentryActiveUsers: num(5)}, kpi.Samples{}),
		snap("2026-11-23", "acme/api", kpi.Values{kpi.ReviewWaitMaxHours: num(99.5)}, kpi.Samples{kpi.ReviewWaitMaxHours: 2}),
		snap("2026-11-25", "acme/api", kpi.Values{kpi.ReviewWaitMeanHours: nil}, kpi.Samples{kpi.ReviewWaitMeanHours: 0}),
		snap("2026-11-24", "acme/api", kpi.Values{}, kpi.Samples{}),
	}
	a, b := New(), New()
	for _, s := range ss {
		a.Upsert(s, "2026-11-26T00:00:00Z")
	}
	for i := len(ss) - 1; i >= 0; i-- {
		b.Upsert(ss[i], "2026-11-26T00:00:00Z")
	}
	if diff := cmp.Diff(mustMarshal(t, a), mustMarshal(t, b)); diff != "" {
		t.Errorf("insertion order changed the bytes (-forward +backward):\n%s", diff)
	}
}

// A file whose snapshots are out of order (edited by hand, merged by git)
// is read and written back with dates ascending, repositories ascending
// within a date.
func TestParseSortsSnapshots(t *testing.T) {
	t.Parallel()

	h := mustParse(t, `{"schema":1,"snapshots":[
		{"date":"2026-11-25","repository":"b/b","clock":"calendar","metrics":{},"samples":{},"incomplete":[]},
		{"date":"2026-11-03","repository":"a/a","clock":"calendar","metrics":{},"samples":{},"incomplete":[]},
		{"date":"2026-11-25","repository":"a/a","clock":"calendar","metrics":{},"samples":{},"incomplete":[]},
		{"date":"2025-12-31","repository":"b/b","clock":"calendar","metrics":{},"samples":{},"incomplete":[]}
	]}`)
	want := []string{"2025-12-31 b/b", "2026-11-03 a/a", "2026-11-25 a/a", "2026-11-25 b/b"}
	if diff := cmp.Diff(want, keys(h)); diff != "" {
		t.Errorf("order (-want +got):\n%s", diff)
	}
}

// unknownEverywhere is a history written by a newer version: an unknown
// top-level section, an unknown snapshot field and an unknown metric name in
// metrics and samples. It is in canonical form, so it marshals back as is.
var unknownEverywhere = lines(
	`{`,
	`  "schema": 2,`,
	`  "snapshots": [`,
	`    {`,
	`      "date": "2026-11-24",`,
	`      "repository": "acme/api",`,
	`      "clock": "calendar",`,
	`      "computed_at": "2026-11-25T00:05:00Z",`,
	`      "metrics": {`,
	`        "review_requests_answered": 5,`,
	`        "review_wait_median_hours": 4,`,
	`        "sentry_crash_free_ratio": 0.995`,
	`      },`,
	`      "samples": {`,
	`        "review_requests_answered": 5,`,
	`        "review_wait_median_hours": 5,`,
	`        "sentry_crash_free_ratio": 1200`,
	`      },`,
	`      "incomplete": [],`,
	`      "deploy_freeze": {`,
	`        "reason": "black friday",`,
	`        "until": "2026-11-30"`,
	`      },`,
	`      "labels": ["q4", "freeze"]`,
	`    }`,
	`  ],`,
	`  "incremental_state": {`,
	`    "acme/api": {`,
	`      "cursor": "Y3Vyc29yOjEw",`,
	`      "updated_at": "2026-11-25T00:05:00Z"`,
	`    }`,
	`  },`,
	`  "sentry_daily": {`,
	`    "2026-11-24": {`,
	`      "events": 96,`,
	`      "users": 48`,
	`    }`,
	`  }`,
	`}`,
)

func TestUnknownFieldsSurvive(t *testing.T) {
	t.Parallel()

	h := mustParse(t, unknownEverywhere)
	if diff := cmp.Diff(unknownEverywhere, mustMarshal(t, h)); diff != "" {
		t.Fatalf("Parse→Marshal changed the file (-file +got):\n%s", diff)
	}

	h.Upsert(snap("2026-11-25", "acme/api",
		kpi.Values{kpi.ReviewRequestsAnswered: num(6)},
		kpi.Samples{kpi.ReviewRequestsAnswered: 6}), "2026-11-26T00:05:00Z")

	// The old snapshot and the other sections are untouched; the new
	// snapshot follows the old one.
	want := strings.Replace(unknownEverywhere, lines(
		`      "labels": ["q4", "freeze"]`,
		`    }`,
		`  ],`,
	), lines(
		`      "labels": ["q4", "freeze"]`,
		`    },`,
		`    {`,
		`      "date": "2026-11-25",`,
		`      "repository": "acme/api",`,
		`      "clock": "calendar",`,
		`      "computed_at": "2026-11-26T00:05:00Z",`,
		`      "metrics": {`,
		`        "review_requests_answered": 6`,
		`      },`,
		`      "samples": {`,
		`        "review_requests_answered": 6`,
		`      },`,
		`      "incomplete": []`,
		`    }`,
		`  ],`,
	), 1)
	if want == unknownEverywhere {
		t.Fatal("test bug: expected file not built")
	}
	if diff := cmp.Diff(want, mustMarshal(t, h)); diff != "" {
		t.Errorf("after Upsert of another date (-want +got):\n%s", diff)
	}
}

// Whitespace and key order in the file do not matter: it is written back in
// the canonical form, and that form is stable.
func TestParseNonCanonicalInput(t *testing.T) {
	t.Parallel()

	in := "\n\t{ \"sentry_daily\" : { \"2026-11-24\" : { \"users\" : 48 , \"events\" : 96 } }  ,\r\n" +
		"  \"snapshots\" : [ { \"incomplete\" : [ ] , \"x_note\" : \"hi\"  , \"samples\" : { } ,\n" +
		"  \"metrics\" : { \"sentry_events\" : 1.50 , \"sentry_active_users\" : null } , \"clock\" : \"calendar\" ,\n" +
		"  \"repository\" : \"acme/api\" , \"date\" : \"2026-11-24\" } ] , \"schema\" : 1 }  \n"
	want := lines(
		`{`,
		`  "schema": 2,`,
		`  "snapshots": [`,
		`    {`,
		`      "date": "2026-11-24",`,
		`      "repository": "acme/api",`,
		`      "clock": "calendar",`,
		`      "metrics": {`,
		`        "sentry_active_users": null,`,
		`        "sentry_events": 1.5`,
		`      },`,
		`      "samples": {},`,
		`      "incomplete": [],`,
		`      "x_note": "hi"`,
		`    }`,
		`  ],`,
		`  "sentry_daily": {`,
		`    "2026-11-24": {`,
		`      "users": 48,`,
		`      "events": 96`,
		`    }`,
		`  }`,
		`}`,
	)
	got := mustMarshal(t, mustParse(t, in))
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

// Snapshots whose optional fields are missing or null are written with an
// empty object or list, as a fresh run writes them.
func TestParseFillsEmptyFields(t *testing.T) {
	t.Parallel()

	h := mustParse(t, `{"schema":1,"snapshots":[{"date":"2026-11-24","repository":"acme/api","metrics":null}]}`)
	e := h.Snapshots[0]
	if e.Metrics == nil || e.Samples == nil || e.Incomplete == nil {
		t.Errorf("Parse left nil fields: metrics %v, samples %v, incomplete %v", e.Metrics, e.Samples, e.Incomplete)
	}
	want := lines(
		`{`,
		`  "schema": 2,`,
		`  "snapshots": [`,
		`    {`,
		`      "date": "2026-11-24",`,
		`      "repository": "acme/api",`,
		`      "clock": "",`,
		`      "metrics": {},`,
		`      "samples": {},`,
		`      "incomplete": []`,
		`    }`,
		`  ]`,
		`}`,
	)
	if diff := cmp.Diff(want, mustMarshal(t, h)); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

// A snapshot recorded with nil maps or slices (a Sentry-only snapshot, a
// caller that did not set Incomplete) must be written so that the next run
// writes the same bytes again.
func TestMarshalNilFieldsStable(t *testing.T) {
	t.Parallel()

	h := New()
	h.Upsert(kpi.Snapshot{Date: "2026-11-24", Repository: "acme/api", Clock: "calendar"}, "2026-11-25T00:00:00Z")
	first := mustMarshal(t, h)
	second := mustMarshal(t, mustParse(t, first))
	if diff := cmp.Diff(first, second); diff != "" {
		t.Errorf("a re-run rewrites the file (-first +second):\n%s", diff)
	}
}

func TestMarshalRejectsNonFiniteValues(t *testing.T) {
	t.Parallel()

	for _, v := range []float64{math.NaN(), math.Inf(1), math.Inf(-1)} {
		h := New()
		h.Upsert(snap("2026-11-24", "acme/api", kpi.Values{kpi.SentryEventsPerUserDay: num(v)}, kpi.Samples{}), "")
		if b, err := h.Marshal(); err == nil {
			t.Errorf("Marshal with %v: no error, wrote\n%s", v, b)
		}
	}
}

func TestFind(t *testing.T) {
	t.Parallel()

	h := goldenHistory(t)
	e, ok := h.Find("2026-11-24", "acme/web")
	if !ok {
		t.Fatal("Find(2026-11-24, acme/web): not found")
	}
	if e.Clock != "business" || e.ComputedAt != "2026-11-24T23:10:00Z" || *e.Metrics[kpi.ReviewWaitMedianHours] != 2.5 {
		t.Errorf("Find returned %+v", e)
	}
	for _, k := range [][2]string{{"2026-11-25", "acme/web"}, {"2026-11-22", "acme/api"}, {"2026-11-24", "acme"}} {
		if _, ok := h.Find(k[0], k[1]); ok {
			t.Errorf("Find(%s, %s): found, want not found", k[0], k[1])
		}
	}
}

func TestUpsertReplacesSameKey(t *testing.T) {
	t.Parallel()

	h := mustParse(t, unknownEverywhere)
	h.Upsert(snap("2026-11-24", "acme/api",
		kpi.Values{kpi.ReviewRequestsAnswered: num(7), kpi.ReviewWaitMedianHours: nil},
		kpi.Samples{kpi.ReviewRequestsAnswered: 7, kpi.ReviewWaitMedianHours: 0},
		kpi.SentryEvents), "2026-11-25T12:00:00Z")

	if len(h.Snapshots) != 1 {
		t.Fatalf("%d snapshots after replacing the only one, want 1: %v", len(h.Snapshots), keys(h))
	}
	got := h.Snapshots[0]
	want := Entry{
		Snapshot: snap("2026-11-24", "acme/api",
			kpi.Values{kpi.ReviewRequestsAnswered: num(7), kpi.ReviewWaitMedianHours: nil},
			kpi.Samples{kpi.ReviewRequestsAnswered: 7, kpi.ReviewWaitMedianHours: 0},
			kpi.SentryEvents),
		ComputedAt: "2026-11-25T12:00:00Z",
		extra:      mustParse(t, unknownEverywhere).Snapshots[0].extra,
	}
	if diff := cmp.Diff(want, got, cmpOpts); diff != "" {
		t.Errorf("replaced snapshot (-want +got):\n%s", diff)
	}
	out := mustMarshal(t, h)
	for _, s := range []string{`"deploy_freeze": {`, `"reason": "black friday"`, `"labels": [`, `"incremental_state": {`, `"sentry_daily": {`} {
		if !strings.Contains(out, s) {
			t.Errorf("Marshal after replacing lost %s:\n%s", s, out)
		}
	}
	// The replaced values really are gone: today's snapshot is replaced, not merged.
	if strings.Contains(out, "sentry_crash_free_ratio") {
		t.Errorf("replaced snapshot kept an old metric:\n%s", out)
	}
}

func TestUpsertAddsSorted(t *testing.T) {
	t.Parallel()

	h := New()
	order := []struct{ date, repo string }{
		{"2026-11-25", "acme/web"},
		{"2026-11-20", "acme/web"},
		{"2026-11-25", "acme/api"},
		{"2026-12-01", "acme/api"},
		{"2025-11-30", "zeta/z"},
		{"2026-11-20", "acme/api"},
		{"2026-11-25", "acme/web"}, // again: replaces, does not add
	}
	for i, o := range order {
		h.Upsert(snap(o.date, o.repo, kpi.Values{kpi.ReviewRequestsAnswered: num(float64(i))}, kpi.Samples{}), "")
	}
	want := []string{
		"2025-11-30 zeta/z",
		"2026-11-20 acme/api", "2026-11-20 acme/web",
		"2026-11-25 acme/api", "2026-11-25 acme/web",
		"2026-12-01 acme/api",
	}
	if diff := cmp.Diff(want, keys(h)); diff != "" {
		t.Errorf("keys (-want +got):\n%s", diff)
	}
	e, _ := h.Find("2026-11-25", "acme/web")
	if got := *e.Metrics[kpi.ReviewRequestsAnswered]; got != 6 {
		t.Errorf("2026-11-25 acme/web answered = %v, want the last upsert's 6", got)
	}
}

// pastFile has a past snapshot with a value, a null (no sample: a value
// too) and an unknown field.
var pastFile = `{"schema":1,"snapshots":[
	{"date":"2026-11-20","repository":"acme/api","clock":"calendar","computed_at":"2026-11-21T00:05:00Z",
	 "metrics":{"review_wait_median_hours":4.5,"review_answered_within_sla_ratio":null},
	 "samples":{"review_wait_median_hours":2,"review_answered_within_sla_ratio":0},
	 "incomplete":[],"x_keep":{"a":1}},
	{"date":"2026-11-22","repository":"acme/api","clock":"calendar","computed_at":"2026-11-23T00:05:00Z",
	 "metrics":{},"samples":{},"incomplete":[]}
]}`

func TestFillOnlyAddsMissingMetrics(t *testing.T) {
	t.Parallel()

	h := mustParse(t, pastFile)
	before := mustParse(t, pastFile)
	h.Fill(kpi.Snapshot{
		Date: "2026-11-20", Repository: "acme/api", Clock: "calendar",
		Metrics: kpi.Values{
			kpi.ReviewWaitMedianHours:        num(99),  // present: kept
			kpi.ReviewAnsweredWithinSLARatio: num(0.5), // present null: kept
			kpi.SentryEvents:                 num(42),  // missing: added
			kpi.SentryEventsPerUserDay:       nil,      // missing: added as null
		},
		Samples: kpi.Samples{
			kpi.ReviewWaitMedianHours:        99,
			kpi.ReviewAnsweredWithinSLARatio: 99,
		},
		Incomplete: []string{},
	}, "2026-11-26T00:00:00Z")

	got, ok := h.Find("2026-11-20", "acme/api")
	if !ok {
		t.Fatal("snapshot gone")
	}
	want := before.Snapshots[0]
	want.Metrics = kpi.Values{
		kpi.ReviewWaitMedianHours:        num(4.5),
		kpi.ReviewAnsweredWithinSLARatio: nil,
		kpi.SentryEvents:                 num(42),
		kpi.SentryEventsPerUserDay:       nil,
	}
	if diff := cmp.Diff(want, got, cmpOpts); diff != "" {
		t.Errorf("filled snapshot (-want +got):\n%s", diff)
	}
	if _, ok := got.Metrics[kpi.SentryEventsPerUserDay]; !ok {
		t.Errorf("a missing metric filled with null was not recorded")
	}
	// The other snapshot is untouched, and nothing was added.
	if diff := cmp.Diff(before.Snapshots[1], h.Snapshots[1], cmpOpts); diff != "" {
		t.Errorf("other snapshot changed (-want +got):\n%s", diff)
	}
	if len(h.Snapshots) != 2 {
		t.Errorf("%d snapshots, want 2", len(h.Snapshots))
	}
}

func TestFillAddsSamplesOfAddedMetricsOnly(t *testing.T) {
	t.Parallel()

	h := mustParse(t, pastFile)
	h.Fill(snap("2026-11-22", "acme/api",
		kpi.Values{kpi.ReviewWaitP90Hours: num(12), kpi.ReviewRequestsAnswered: num(3)},
		kpi.Samples{kpi.ReviewWaitP90Hours: 3, kpi.ReviewRequestsAnswered: 3, kpi.SentryEvents: 8}), "")
	got, _ := h.Find("2026-11-22", "acme/api")
	want := kpi.Samples{kpi.ReviewWaitP90Hours: 3, kpi.ReviewRequestsAnswered: 3}
	if diff := cmp.Diff(want, got.Samples); diff != "" {
		t.Errorf("samples (-want +got):\n%s", diff)
	}
}

func TestFillAddsSnapshotWhenNoneForDate(t *testing.T) {
	t.Parallel()

	h := mustParse(t, pastFile)
	s := snap("2026-11-21", "acme/api", kpi.Values{kpi.SentryEvents: num(3)}, kpi.Samples{kpi.SentryEvents: 1})
	h.Fill(s, "2026-11-26T00:00:00Z")
	// Same date, another repository: a snapshot of its own.
	h.Fill(snap("2026-11-20", "acme/web", kpi.Values{kpi.SentryEvents: num(5)}, kpi.Samples{}), "2026-11-26T00:00:00Z")

	want := []string{"2026-11-20 acme/api", "2026-11-20 acme/web", "2026-11-21 acme/api", "2026-11-22 acme/api"}
	if diff := cmp.Diff(want, keys(h)); diff != "" {
		t.Errorf("keys (-want +got):\n%s", diff)
	}
	got, _ := h.Find("2026-11-21", "acme/api")
	if diff := cmp.Diff(Entry{Snapshot: s, ComputedAt: "2026-11-26T00:00:00Z"}, got, cmpOpts); diff != "" {
		t.Errorf("added snapshot (-want +got):\n%s", diff)
	}
	old, _ := h.Find("2026-11-20", "acme/api")
	if _, ok := old.Metrics[kpi.SentryEvents]; ok {
		t.Errorf("Fill for acme/web changed acme/api")
	}
}

// A backfilled metric whose data was incomplete must stay marked so: the
// history never records a wrong number as if it were right.
func TestFillKeepsIncompleteMarkOfAddedMetric(t *testing.T) {
	t.Parallel()

	h := mustParse(t, pastFile)
	h.Fill(snap("2026-11-20", "acme/api",
		kpi.Values{kpi.SentryEvents: num(40), kpi.ReviewWaitMedianHours: num(1)},
		kpi.Samples{}, kpi.SentryEvents, kpi.ReviewWaitMedianHours), "")
	got, _ := h.Find("2026-11-20", "acme/api")
	// sentry_events was added from incomplete data; the median was already
	// there (complete) and is not touched, so it is not marked.
	if diff := cmp.Diff([]string{kpi.SentryEvents}, got.Incomplete); diff != "" {
		t.Errorf("incomplete (-want +got):\n%s", diff)
	}
}

// Fill into a snapshot recorded in this run by Upsert, whose maps the
// caller may have left nil.
func TestFillIntoSnapshotWithNilMaps(t *testing.T) {
	t.Parallel()

	h := New()
	h.Upsert(kpi.Snapshot{Date: "2026-11-20", Repository: "acme/api", Clock: "calendar"}, "")
	ok := noPanic(t, "Fill", func() {
		h.Fill(snap("2026-11-20", "acme/api",
			kpi.Values{kpi.SentryEvents: num(4)},
			kpi.Samples{kpi.SentryEvents: 2}), "")
	})
	if !ok {
		return
	}
	got, _ := h.Find("2026-11-20", "acme/api")
	if diff := cmp.Diff(kpi.Values{kpi.SentryEvents: num(4)}, got.Metrics); diff != "" {
		t.Errorf("metrics (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(kpi.Samples{kpi.SentryEvents: 2}, got.Samples); diff != "" {
		t.Errorf("samples (-want +got):\n%s", diff)
	}
}

func TestParseErrors(t *testing.T) {
	t.Parallel()

	// ok is a valid snapshot to build on.
	const ok = `{"date":"2026-11-24","repository":"acme/api","clock":"calendar","metrics":{"sentry_events":1},"samples":{},"incomplete":[]}`
	cases := []struct {
		name string
		in   string
		// want is a part of the message that says what is wrong ("" to
		// only require an error).
		want string
	}{
		{name: "empty file", in: ``, want: "JSON"},
		{name: "whitespace only", in: " \n", want: "JSON"},
		{name: "not JSON", in: `schema: 1`, want: "JSON"},
		{name: "merge conflict markers", in: "<<<<<<< HEAD\n{\"schema\":1}\n=======\n{\"schema\":1}\n>>>>>>> theirs\n", want: "JSON"},
		{name: "truncated", in: `{"schema":1,"snapshots":[` + ok[:40], want: "JSON"},
		{name: "truncated after snapshots", in: `{"schema":1,"snapshots":[` + ok + `]`, want: "JSON"},
		{name: "trailing garbage", in: `{"schema":1,"snapshots":[]} {}`, want: "JSON"},
		{name: "JSON array", in: `[{"schema":1,"snapshots":[]}]`},
		{name: "JSON string", in: `"history"`},
		{name: "JSON number", in: `1`},
		{name: "JSON null", in: `null`, want: "not a history"},
		{name: "empty object", in: `{}`, want: `"schema"`},
		{name: "missing schema", in: `{"snapshots":[` + ok + `]}`, want: `"schema"`},
		{name: "schema as string", in: `{"schema":"1","snapshots":[]}`, want: `"schema"`},
		{name: "schema 0", in: `{"schema":0,"snapshots":[]}`, want: `"schema"`},
		{name: "schema negative", in: `{"schema":-1,"snapshots":[]}`, want: `"schema"`},
		{name: "schema fractional", in: `{"schema":1.5,"snapshots":[]}`, want: `"schema"`},
		{name: "schema null", in: `{"schema":null,"snapshots":[]}`, want: `"schema"`},
		{name: "schema object", in: `{"schema":{"version":1},"snapshots":[]}`, want: `"schema"`},
		{name: "snapshots an object", in: `{"schema":1,"snapshots":{"2026-11-24":` + ok + `}}`, want: `"snapshots"`},
		{name: "snapshots a string", in: `{"schema":1,"snapshots":"none"}`, want: `"snapshots"`},
		{name: "snapshots of numbers", in: `{"schema":1,"snapshots":[1,2]}`, want: `"snapshots"`},
		{name: "null snapshot", in: `{"schema":1,"snapshots":[` + ok + `,null]}`, want: "snapshot 2"},
		{name: "missing date", in: `{"schema":1,"snapshots":[{"repository":"acme/api","metrics":{}}]}`, want: "date"},
		{name: "bad date", in: `{"schema":1,"snapshots":[` + strings.Replace(ok, "2026-11-24", "24/11/2026", 1) + `]}`, want: "24/11/2026"},
		{name: "date out of range", in: `{"schema":1,"snapshots":[` + strings.Replace(ok, "2026-11-24", "2026-02-30", 1) + `]}`, want: "2026-02-30"},
		{name: "date unpadded", in: `{"schema":1,"snapshots":[` + strings.Replace(ok, "2026-11-24", "2026-1-5", 1) + `]}`, want: "2026-1-5"},
		{name: "date with time", in: `{"schema":1,"snapshots":[` + strings.Replace(ok, "2026-11-24", "2026-11-24T00:00:00Z", 1) + `]}`, want: "date"},
		{name: "date a number", in: `{"schema":1,"snapshots":[{"date":20261124,"repository":"acme/api"}]}`, want: "date"},
		{name: "duplicate date and repository", in: `{"schema":1,"snapshots":[` + ok + `,` + ok + `]}`, want: "2026-11-24 acme/api"},
		{name: "duplicate not adjacent", in: `{"schema":1,"snapshots":[` + ok + `,` + strings.Replace(ok, "acme/api", "acme/web", 1) + `,` + ok + `]}`, want: "snapshot 3"},
		{name: "metric a string", in: `{"schema":1,"snapshots":[` + strings.Replace(ok, `"sentry_events":1`, `"sentry_events":"1"`, 1) + `]}`, want: "metrics"},
		{name: "metric a boolean", in: `{"schema":1,"snapshots":[` + strings.Replace(ok, `"sentry_events":1`, `"sentry_events":true`, 1) + `]}`, want: "metrics"},
		{name: "metric an object", in: `{"schema":1,"snapshots":[` + strings.Replace(ok, `"sentry_events":1`, `"sentry_events":{"value":1}`, 1) + `]}`, want: "metrics"},
		{name: "metrics a list", in: `{"schema":1,"snapshots":[` + strings.Replace(ok, `{"sentry_events":1}`, `[1,2]`, 1) + `]}`, want: "metrics"},
		{name: "metrics a number", in: `{"schema":1,"snapshots":[` + strings.Replace(ok, `{"sentry_events":1}`, `7`, 1) + `]}`, want: "metrics"},
		{name: "sample not an integer", in: `{"schema":1,"snapshots":[` + strings.Replace(ok, `"samples":{}`, `"samples":{"sentry_events":1.5}`, 1) + `]}`, want: "samples"},
		{name: "incomplete not a list", in: `{"schema":1,"snapshots":[` + strings.Replace(ok, `"incomplete":[]`, `"incomplete":"sentry_events"`, 1) + `]}`, want: "incomplete"},
		{name: "repository a number", in: `{"schema":1,"snapshots":[` + strings.Replace(ok, `"acme/api"`, `7`, 1) + `]}`, want: "repository"},
		{name: "computed_at a number", in: `{"schema":1,"snapshots":[` + strings.Replace(ok, `"clock"`, `"computed_at":1,"clock"`, 1) + `]}`, want: "computed_at"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			h, err := Parse([]byte(tc.in))
			if err == nil {
				t.Fatalf("Parse(%s): no error, got %d snapshots", tc.in, len(h.Snapshots))
			}
			if h != nil {
				t.Errorf("Parse returned a history with its error")
			}
			if errors.Is(err, ErrNewerSchema) {
				t.Errorf("error %q wraps ErrNewerSchema", err)
			}
			if !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %q does not mention %q", err, tc.want)
			}
		})
	}
}

func TestParseNewerSchema(t *testing.T) {
	t.Parallel()

	cases := []struct{ name, in string }{
		{"schema 2", `{"schema":3,"snapshots":[]}`},
		{"schema 17", `{"schema":17}`},
		// A newer format may shape everything else differently: the schema
		// is checked first, so the error says to upgrade, not "corrupt".
		{"schema 2 with a new layout", `{"schema":3,"snapshots":{"acme/api":[{"day":"2026-11-24"}]}}`},
		{"schema 2 with bad snapshots", `{"schema":3,"snapshots":[{"date":"tomorrow"},{"date":"tomorrow"}]}`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			_, err := Parse([]byte(tc.in))
			if !errors.Is(err, ErrNewerSchema) {
				t.Fatalf("Parse(%s) = %v, want an error wrapping ErrNewerSchema", tc.in, err)
			}
			if !strings.Contains(strings.ToLower(err.Error()), "upgrade") {
				t.Errorf("error %q does not say to upgrade", err)
			}
		})
	}
}
