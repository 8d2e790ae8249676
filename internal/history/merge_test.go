package history

import (
	"encoding/json"
	"fmt"
	"maps"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/engineering-kpis/engineering-kpis/internal/kpi"
)

func TestMergeUnion(t *testing.T) {
	t.Parallel()

	mine := New()
	mine.Upsert(snap("2026-11-20", "acme/api", kpi.Values{kpi.SentryEvents: num(1)}, kpi.Samples{}), "2026-11-21T00:05:00Z")
	mine.Upsert(snap("2026-11-22", "acme/api", kpi.Values{kpi.SentryEvents: num(2)}, kpi.Samples{}), "2026-11-23T00:05:00Z")
	theirs := New()
	theirs.Upsert(snap("2026-11-21", "acme/api", kpi.Values{kpi.SentryEvents: num(3)}, kpi.Samples{}), "2026-11-22T00:05:00Z")
	theirs.Upsert(snap("2026-11-22", "acme/web", kpi.Values{kpi.SentryEvents: num(4)}, kpi.Samples{}), "2026-11-23T00:05:00Z")
	theirs.Upsert(snap("2026-11-19", "acme/web", kpi.Values{kpi.SentryEvents: num(5)}, kpi.Samples{}), "2026-11-20T00:05:00Z")

	mine.Merge(theirs)
	want := []string{"2026-11-19 acme/web", "2026-11-20 acme/api", "2026-11-21 acme/api", "2026-11-22 acme/api", "2026-11-22 acme/web"}
	if diff := cmp.Diff(want, keys(mine)); diff != "" {
		t.Errorf("keys (-want +got):\n%s", diff)
	}
	wantValues := map[string]float64{
		"2026-11-19 acme/web": 5, "2026-11-20 acme/api": 1, "2026-11-21 acme/api": 3,
		"2026-11-22 acme/api": 2, "2026-11-22 acme/web": 4,
	}
	for _, e := range mine.Snapshots {
		if got := *e.Metrics[kpi.SentryEvents]; got != wantValues[e.Date+" "+e.Repository] {
			t.Errorf("%s %s: sentry_events = %v, want %v", e.Date, e.Repository, got, wantValues[e.Date+" "+e.Repository])
		}
	}
	// The result is a valid file.
	mustParse(t, mustMarshal(t, mine))
}

func TestMergeLaterComputationWins(t *testing.T) {
	t.Parallel()

	cases := []struct {
		name         string
		mine, theirs string // computed_at; "" for none
		want         float64
	}{
		{name: "theirs later", mine: "2026-11-25T06:00:00Z", theirs: "2026-11-25T07:00:00Z", want: 2},
		{name: "mine later", mine: "2026-11-25T07:00:00Z", theirs: "2026-11-25T06:00:00Z", want: 1},
		{name: "theirs later next day", mine: "2026-11-25T23:59:59Z", theirs: "2026-11-26T00:00:00Z", want: 2},
		{name: "mine has none", mine: "", theirs: "2026-11-25T06:00:00Z", want: 2},
		{name: "theirs has none", mine: "2026-11-25T06:00:00Z", theirs: "", want: 1},
		// RFC 3339 allows fractions and offsets: "later" is about time,
		// not about how the string sorts.
		{name: "theirs later by a fraction", mine: "2026-11-25T06:00:00Z", theirs: "2026-11-25T06:00:00.5Z", want: 2},
		{name: "mine later by a fraction", mine: "2026-11-25T06:00:00.5Z", theirs: "2026-11-25T06:00:00Z", want: 1},
		{name: "theirs later in another zone", mine: "2026-11-25T06:00:00Z", theirs: "2026-11-25T02:30:00-04:00", want: 2},
		{name: "mine later in another zone", mine: "2026-11-25T08:00:00+01:00", theirs: "2026-11-25T06:30:00Z", want: 1},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			mine := New()
			mine.Upsert(snap("2026-11-25", "acme/api", kpi.Values{kpi.SentryEvents: num(1)}, kpi.Samples{}), tc.mine)
			theirs := New()
			theirs.Upsert(snap("2026-11-25", "acme/api", kpi.Values{kpi.SentryEvents: num(2)}, kpi.Samples{}), tc.theirs)
			mine.Merge(theirs)
			if len(mine.Snapshots) != 1 {
				t.Fatalf("%d snapshots, want 1: %v", len(mine.Snapshots), keys(mine))
			}
			e := mine.Snapshots[0]
			if got := *e.Metrics[kpi.SentryEvents]; got != tc.want {
				t.Errorf("kept the snapshot with value %v (computed %q), want %v", got, e.ComputedAt, tc.want)
			}
		})
	}
}

func TestMergeKeepsTheirSections(t *testing.T) {
	t.Parallel()

	mine := mustParse(t, `{"schema":1,"snapshots":[],"incremental_state":{"owner":"mine"}}`)
	theirs := mustParse(t, `{"schema":1,"snapshots":[
		{"date":"2026-11-20","repository":"acme/api","metrics":{"sentry_events":1},"x_theirs":[1,2]}
	],"sentry_daily":{"2026-11-20":{"events":1,"users":1}},"incremental_state":{"owner":"theirs"}}`)
	mine.Merge(theirs)
	got := mustMarshal(t, mine)
	for _, s := range []string{`"sentry_daily": {`, `"x_theirs": [`, `"incremental_state": {`} {
		if !strings.Contains(got, s) {
			t.Errorf("merged file lacks %s:\n%s", s, got)
		}
	}
	// A section both have is ours: this run's state is the fresher one.
	if !strings.Contains(got, `"owner": "mine"`) {
		t.Errorf("our incremental_state was replaced:\n%s", got)
	}
}

// For the same key, the later snapshot wins, but the unknown fields only the
// other one has are not dropped (the package never drops fields it does not
// know; Merge's doc: "Sections and fields only theirs has are kept").
func TestMergeKeepsUnknownSnapshotFieldsOfTheLoser(t *testing.T) {
	t.Parallel()

	const file = `{"schema":1,"snapshots":[{"date":"2026-11-25","repository":"acme/api","computed_at":%q,
		"metrics":{"sentry_events":%d},%s"incomplete":[]}]}`
	cases := []struct {
		name         string
		mine, theirs string
		want         []string
	}{
		{
			name:   "mine wins, theirs has a field",
			mine:   fmt.Sprintf(file, "2026-11-25T07:00:00Z", 1, `"x_both":"mine",`),
			theirs: fmt.Sprintf(file, "2026-11-25T06:00:00Z", 2, `"x_both":"theirs","x_theirs":true,`),
			want:   []string{`"sentry_events": 1`, `"x_both": "mine"`, `"x_theirs": true`},
		},
		{
			name:   "theirs wins, mine has a field",
			mine:   fmt.Sprintf(file, "2026-11-25T06:00:00Z", 1, `"x_both":"mine","x_mine":true,`),
			theirs: fmt.Sprintf(file, "2026-11-25T07:00:00Z", 2, `"x_both":"theirs",`),
			want:   []string{`"sentry_events": 2`, `"x_both": "theirs"`, `"x_mine": true`},
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			mine := mustParse(t, tc.mine)
			mine.Merge(mustParse(t, tc.theirs))
			got := mustMarshal(t, mine)
			for _, s := range tc.want {
				if !strings.Contains(got, s) {
					t.Errorf("merged file lacks %s:\n%s", s, got)
				}
			}
		})
	}
}

func TestMergeEmpty(t *testing.T) {
	t.Parallel()

	h := goldenHistory(t)
	want := mustMarshal(t, h)
	h.Merge(New())
	if diff := cmp.Diff(want, mustMarshal(t, h)); diff != "" {
		t.Errorf("merging an empty history changed h (-want +got):\n%s", diff)
	}
	empty := New()
	empty.Merge(goldenHistory(t))
	if diff := cmp.Diff(want, mustMarshal(t, empty)); diff != "" {
		t.Errorf("merging into an empty history (-want +got):\n%s", diff)
	}
}

// randomHistory draws a history over a small key space so that two draws
// share some keys. computed_at values are fixed-width UTC, so their order
// is unambiguous.
func randomHistory(r *rand.Rand) *History {
	dates := []string{"2026-11-20", "2026-11-21", "2026-11-22", "2026-11-23", "2026-11-24"}
	repos := []string{"acme/api", "acme/web", "zeta/z"}
	h := New()
	for range r.IntN(10) {
		s := snap(dates[r.IntN(len(dates))], repos[r.IntN(len(repos))], kpi.Values{}, kpi.Samples{})
		for _, m := range kpi.Metrics() {
			switch r.IntN(4) {
			case 0: // absent
			case 1:
				s.Metrics[m.Name] = nil
				s.Samples[m.Name] = 0
			default:
				s.Metrics[m.Name] = num(float64(r.IntN(1000)) / 4)
				s.Samples[m.Name] = r.IntN(50)
			}
		}
		computed := ""
		if r.IntN(5) > 0 {
			computed = fmt.Sprintf("2026-11-25T%02d:%02d:00Z", r.IntN(24), r.IntN(60))
		}
		h.Upsert(s, computed)
		if r.IntN(3) == 0 {
			i := slices.IndexFunc(h.Snapshots, func(e Entry) bool { return e.key() == s.Date+"\x00"+s.Repository+"\x00clock=calendar" })
			h.Snapshots[i].extra[fmt.Sprintf("x_%d", r.IntN(3))] = json.RawMessage(fmt.Sprintf(`{"n":%d}`, r.IntN(9)))
		}
	}
	for _, k := range []string{"sentry_daily", "incremental_state"} {
		if r.IntN(2) == 0 {
			h.extra[k] = json.RawMessage(fmt.Sprintf(`{"n":%d}`, r.IntN(9)))
		}
	}
	return h
}

// deepCopy copies h in memory (clone goes through the file format, which
// is too slow for many cases under -race).
func deepCopy(h *History) *History {
	c := &History{Schema: h.Schema, extra: maps.Clone(h.extra)}
	for _, e := range h.Snapshots {
		e.Metrics = maps.Clone(e.Metrics)
		e.Samples = maps.Clone(e.Samples)
		e.Incomplete = slices.Clone(e.Incomplete)
		e.extra = maps.Clone(e.extra)
		c.Snapshots = append(c.Snapshots, e)
	}
	return c
}

func TestMergeProperties(t *testing.T) {
	t.Parallel()

	r := rand.New(rand.NewPCG(2026, 11))
	for i := range 200 {
		a, b := randomHistory(r), randomHistory(r)
		fail := func(format string, args ...any) {
			t.Helper()
			t.Fatalf("case %d: %s\nmine:\n%s\ntheirs:\n%s", i, fmt.Sprintf(format, args...), mustMarshal(t, a), mustMarshal(t, b))
		}

		merged := deepCopy(a)
		merged.Merge(deepCopy(b))

		// The keys are the union of both, sorted, each once.
		union := append(keys(a), keys(b)...)
		slices.Sort(union)
		union = slices.Compact(union)
		if got := keys(merged); !slices.Equal(union, got) {
			fail("keys are not the union (-want +got):\n%s", cmp.Diff(union, got))
		}
		// Each key holds the later computation (ties: either).
		for _, e := range merged.Snapshots {
			ea, inA := a.Find(e.Date, e.Repository)
			eb, inB := b.Find(e.Date, e.Repository)
			want := max(ea.ComputedAt, eb.ComputedAt)
			if e.ComputedAt != want {
				fail("%s %s: computed_at %q, want the later of %q (in mine: %v) and %q (in theirs: %v)",
					e.Date, e.Repository, e.ComputedAt, ea.ComputedAt, inA, eb.ComputedAt, inB)
			}
		}
		// Top-level sections of both are kept.
		for k := range b.extra {
			if _, ok := merged.extra[k]; !ok {
				fail("section %s of theirs lost", k)
			}
		}
		for k, v := range a.extra {
			if compact(merged.extra[k]) != compact(v) {
				fail("section %s of mine changed", k)
			}
		}
		// The result is a valid history, and the union of keys does not
		// depend on who merges into whom.
		mergedFile := mustMarshal(t, merged)
		mustParse(t, mergedFile)
		other := deepCopy(b)
		other.Merge(deepCopy(a))
		if !slices.Equal(keys(merged), keys(other)) {
			fail("keys depend on the merge direction (-a.Merge(b) +b.Merge(a)):\n%s", cmp.Diff(keys(merged), keys(other)))
		}

		// Idempotent: merging theirs again, or merging the result into
		// itself, changes nothing.
		again := deepCopy(merged)
		again.Merge(deepCopy(b))
		if got := mustMarshal(t, again); got != mergedFile {
			fail("merging theirs twice differs (-once +twice):\n%s", cmp.Diff(mergedFile, got))
		}
		self := deepCopy(merged)
		self.Merge(deepCopy(merged))
		if got := mustMarshal(t, self); got != mergedFile {
			fail("merging a history into itself changed it (-before +after):\n%s", cmp.Diff(mergedFile, got))
		}
		selfA := deepCopy(a)
		selfA.Merge(deepCopy(a))
		if before, after := mustMarshal(t, a), mustMarshal(t, selfA); before != after {
			fail("a.Merge(a) changed a (-before +after):\n%s", cmp.Diff(before, after))
		}
	}
}
