package bench

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"testing"
	"time"

	"github.com/engineering-kpis/engineering-kpis/internal/history"
	"github.com/engineering-kpis/engineering-kpis/internal/kpi"
)

// The history simulation drives the history layer as a daily run does
// (read the index, read the parts it needs, merge today's snapshots and
// the refetched Sentry days, keep the incremental state, write the files
// that changed) with synthetic snapshots shaped like real ones: every
// metric, samples, and a breakdown per reviewer (breakdown: reviewer).
// Running the whole binary 50 × 1,095 times would take hours; the layer
// it drives is the one every run goes through.

// simStore is a repository's files, counting what a run reads and writes.
type simStore struct {
	files          map[string][]byte
	read, written  int
	touched        int
	largest        int
	largestWritten int
}

func (s *simStore) get(p string) ([]byte, bool) {
	data, ok := s.files[p]
	if ok {
		s.read += len(data)
	}
	return data, ok
}

// put writes the files that changed.
func (s *simStore) put(files map[string][]byte) {
	for p, data := range files {
		if old, ok := s.files[p]; ok && bytes.Equal(old, data) {
			continue
		}
		s.files[p] = data
		s.written += len(data)
		s.touched++
		s.largestWritten = max(s.largestWritten, len(data))
	}
	s.largest = 0
	for _, data := range s.files {
		s.largest = max(s.largest, len(data))
	}
}

// simOrg is an organisation's repositories and their reviewers.
type simOrg struct {
	repos     []string
	reviewers map[string][]string
	rng       *rand.Rand
	settings  *history.Settings
}

func newSimOrg(n int) *simOrg {
	o := &simOrg{reviewers: map[string][]string{}, rng: rand.New(rand.NewPCG(Seed, uint64(n))),
		settings: &history.Settings{Window: "28d", SLA: "24h", Clock: "calendar", Sentry: "acme"}}
	for i := range n {
		repo := fmt.Sprintf("acme/service-%02d", i)
		o.repos = append(o.repos, repo)
		for j := range 6 + i%5 {
			o.reviewers[repo] = append(o.reviewers[repo], fmt.Sprintf("reviewer-%03d", (i*7+j*13)%150))
		}
	}
	if n > 1 {
		seen := map[string]bool{}
		for _, repo := range o.repos {
			for _, r := range o.reviewers[repo] {
				if !seen[r] {
					seen[r] = true
					o.reviewers[pooled] = append(o.reviewers[pooled], r)
				}
			}
		}
	}
	return o
}

// pooled is the repository name of the figures pooling every repository.
const pooled = "*"

func (o *simOrg) all() []string {
	if len(o.repos) == 1 {
		return o.repos
	}
	return append(append([]string(nil), o.repos...), pooled)
}

func (o *simOrg) num(lo, hi float64, decimals int) *float64 {
	v := lo + o.rng.Float64()*(hi-lo)
	p := 1.0
	for range decimals {
		p *= 10
	}
	v = float64(int(v*p)) / p
	return &v
}

// snapshot is a synthetic snapshot of repo on date, shaped like a real
// one with every metric and a per-reviewer breakdown.
func (o *simOrg) snapshot(repo, date string, sentry bool) kpi.Snapshot {
	answered := o.rng.IntN(140) + 1
	m := kpi.Values{
		kpi.ReviewWaitMedianHours: o.num(0.2, 30, 2), kpi.ReviewWaitP75Hours: o.num(1, 60, 2), kpi.ReviewWaitP90Hours: o.num(2, 120, 2),
		kpi.ReviewWaitMeanHours: o.num(1, 50, 2), kpi.ReviewWaitMaxHours: o.num(20, 400, 2),
		kpi.ReviewRequestsAnswered: ptr(float64(answered)), kpi.ReviewRequestsWithdrawn: ptr(float64(o.rng.IntN(10))),
		kpi.ReviewRequestsWaiting: ptr(float64(o.rng.IntN(12))), kpi.ReviewRequestsOverSLA: ptr(float64(o.rng.IntN(6))),
		kpi.ReviewAnsweredWithinSLARatio: o.num(0.5, 1, 4),
	}
	s := kpi.Samples{}
	for name := range m {
		s[name] = answered
	}
	if sentry {
		m[kpi.SentryEvents], m[kpi.SentryActiveUsers], m[kpi.SentryEventsPerUserDay], m[kpi.SentryUnresolvedIssues] =
			ptr(float64(o.rng.IntN(5000))), ptr(float64(30000+o.rng.IntN(5000))), o.num(0.01, 0.2, 6), ptr(float64(o.rng.IntN(400)))
		s[kpi.SentryEvents], s[kpi.SentryActiveUsers], s[kpi.SentryEventsPerUserDay], s[kpi.SentryUnresolvedIssues] = 28, 28, 28, 1
	}
	group := func() *kpi.Group {
		n := o.rng.IntN(40) + 1
		return &kpi.Group{Requests: n, Answered: n - 1, Waiting: 1, WithinSLA: n / 2, Median: o.num(0.2, 30, 2), P90: o.num(2, 120, 2)}
	}
	b := map[string]*kpi.Group{kpi.GroupFirst: group(), kpi.GroupReRequest: group(), kpi.GroupUser: group(), kpi.GroupTeam: group()}
	for _, r := range o.reviewers[repo] {
		b["reviewer:"+r] = group()
	}
	return kpi.Snapshot{Date: date, Repository: repo, Clock: "calendar", Metrics: m, Samples: s, Incomplete: []string{}, Breakdown: b}
}

func ptr(f float64) *float64 { return &f }

// state is a synthetic incremental state: per repository the review
// requests that can still count in a 28-day window (40 of them, a
// repository with about 1.5 pull requests a day), shaped like
// kpi.RequestRecord.
func (o *simOrg) state(asOf time.Time) json.RawMessage {
	type rec struct {
		PR          int          `json:"pr"`
		Reviewer    string       `json:"reviewer"`
		RequestedAt string       `json:"requested_at"`
		Outcome     string       `json:"outcome"`
		EndedAt     string       `json:"ended_at,omitempty"`
		Active      [][2]*string `json:"active"`
	}
	type st struct {
		Rules    int    `json:"rules"`
		AsOf     string `json:"as_of"`
		Filter   string `json:"filter"`
		Window   string `json:"window"`
		Requests []rec  `json:"requests"`
	}
	all := map[string]st{}
	for i, repo := range o.repos {
		s := st{Rules: 2, AsOf: asOf.Format(time.RFC3339), Filter: "reviewers=;authors=;labels=", Window: "28d"}
		for j := range 40 {
			at := asOf.Add(-time.Duration(j*16+i) * time.Hour).Format(time.RFC3339)
			end := asOf.Add(-time.Duration(j*16+i-3) * time.Hour).Format(time.RFC3339)
			s.Requests = append(s.Requests, rec{PR: 1000 + j, Reviewer: o.reviewers[repo][j%len(o.reviewers[repo])], RequestedAt: at, Outcome: "answered", EndedAt: end, Active: [][2]*string{{&at, &end}}})
		}
		all[repo] = s
	}
	raw, _ := json.Marshal(all)
	return raw
}

// simRun is one run's figures.
type simRun struct {
	day                             int
	read, written, touched, largest int
	largestWritten, files           int
}

// simulate runs days daily runs of an organisation of n repositories, the
// first with a backfill of backfill days, and returns the runs report
// picks (by day number, 0 the first run).
func simulate(t testing.TB, n, days, backfill int, report map[int]bool) []simRun {
	o := newSimOrg(n)
	store := &simStore{files: map[string][]byte{}}
	start := time.Date(2026, 1, 1, 6, 0, 0, 0, time.UTC)
	sentryDay := func(d time.Time) kpi.ErrorDay {
		// Stable per date: a refetch gives the same figures.
		e, u := int64(d.YearDay()*13%5000), int64(30000+d.YearDay()*7%5000)
		return kpi.ErrorDay{Date: d.Format("2006-01-02"), Events: &e, Users: &u}
	}
	var out []simRun
	for day := range days {
		asOf := start.AddDate(0, 0, day)
		today := asOf.Format("2006-01-02")
		store.read, store.written, store.touched = 0, 0, 0
		tree := history.NewTree()
		if index, ok := store.get("history.json"); ok {
			var err error
			if tree, err = history.OpenTree(index); err != nil {
				t.Fatal(err)
			}
		}
		from := asOf.AddDate(0, 0, -180).Format("2006-01-02")
		dates := []string{today}
		var past []string
		if day == 0 {
			for k := backfill; k >= 1; k-- {
				past = append(past, asOf.AddDate(0, 0, -k).Format("2006-01-02"))
			}
			dates = append(dates, past...)
		}
		parts := map[string][]byte{}
		for _, p := range tree.Paths(from, from, today, dates...) {
			if data, ok := store.get(p); ok {
				parts[p] = data
			}
		}
		if err := tree.Load(parts); err != nil {
			t.Fatal(err)
		}
		computed := asOf.Format(time.RFC3339)
		for _, date := range past {
			for i, repo := range o.all() {
				if err := tree.FillWith(o.snapshot(repo, date, i == 0), o.settings, computed); err != nil {
					t.Fatal(err)
				}
			}
		}
		for i, repo := range o.all() {
			if err := tree.UpsertWith(o.snapshot(repo, today, i == 0), o.settings, computed); err != nil {
				t.Fatal(err)
			}
		}
		// Sentry is refetched for two windows (56 days) every run, the
		// backfill's too on the first.
		var fresh []kpi.ErrorDay
		for k := 56 + len(past); k >= 1; k-- {
			fresh = append(fresh, sentryDay(asOf.AddDate(0, 0, -k)))
		}
		if err := tree.SetDaily(fresh); err != nil {
			t.Fatal(err)
		}
		tree.SetSection("review_state", o.state(asOf))
		files, err := tree.Files("history.json")
		if err != nil {
			t.Fatal(err)
		}
		store.put(files)
		if report[day] {
			out = append(out, simRun{day: day, read: store.read, written: store.written, touched: store.touched,
				largest: store.largest, largestWritten: store.largestWritten, files: len(store.files)})
		}
		store.largestWritten = 0
	}
	return out
}

// TestHistoryStaysBounded: after the recent figures fill up, a daily run
// writes and reads the same amount whatever the history's age.
func TestHistoryStaysBounded(t *testing.T) {
	days := []int{history.RecentDays + 10, history.RecentDays + 40}
	runs := simulate(t, 5, days[1]+1, 30, map[int]bool{days[0]: true, days[1]: true})
	a, b := runs[0], runs[1]
	if b.written > a.written*11/10 || b.read > a.read*11/10 {
		t.Errorf("day %d wrote %d and read %d bytes, day %d wrote %d and read %d: a run grows with the history", a.day, a.written, a.read, b.day, b.written, b.read)
	}
	if b.touched > 4 {
		t.Errorf("a daily run touched %d files, want the index, its day and at most two Sentry months", b.touched)
	}
}

// TestPrintHistoryTable prints the README's history table: 50
// repositories and one, three years of daily runs, the first with a
// 365-day backfill; it checks the targets too.
func TestPrintHistoryTable(t *testing.T) {
	if !*table {
		t.Skip("prints the README history table with -args -table")
	}
	printHistoryTable(t, os.Stdout)
}

func printHistoryTable(t *testing.T, w io.Writer) {
	const days = 3 * 365
	picks := map[int]bool{0: true, 1: true, 30: true, 364: true, 729: true, days - 1: true}
	fmt.Fprintf(w, "\nSimulated daily runs (history layer, synthetic snapshots with every metric and a per-reviewer breakdown, 40 incremental records a repository; the first run backfills 365 days), measured %s:\n\n", time.Now().UTC().Format("2006-01-02"))
	fmt.Fprintln(w, "| repositories | run | bytes written | bytes read | files touched | largest file | files in the history |")
	fmt.Fprintln(w, "| ---: | --- | ---: | ---: | ---: | ---: | ---: |")
	for _, n := range []int{50, 1} {
		for _, r := range simulate(t, n, days, 365, picks) {
			name := fmt.Sprintf("day %s", thousands(r.day+1))
			if r.day == 0 {
				name = "first (365-day backfill)"
			}
			fmt.Fprintf(w, "| %d | %s | %s | %s | %s | %s | %s |\n", n, name, size(r.written), size(r.read), thousands(r.touched), size(r.largest), thousands(r.files))
			if r.day == days-1 {
				checkTargets(t, n, r)
			}
		}
	}
}

// checkTargets holds a run after three years to issue 13's targets.
func checkTargets(t *testing.T, n int, r simRun) {
	const mb = 1 << 20
	switch {
	case n >= 50 && (r.written > 2*mb || r.read > 5*mb):
		t.Errorf("%d repositories after 3 years: a daily run writes %s and reads %s, want at most 2 MB and 5 MB", n, size(r.written), size(r.read))
	case n == 1 && r.written > 100<<10:
		t.Errorf("one repository after 3 years writes %s a day, want at most 100 KB", size(r.written))
	}
	if r.largest > 10*mb {
		t.Errorf("%d repositories: a file of %s, want none over 10 MB", n, size(r.largest))
	}
}

func size(n int) string {
	switch {
	case n >= 1<<20:
		return fmt.Sprintf("%.2f MB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%.0f KB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%d B", n)
}
