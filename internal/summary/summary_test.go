package summary

import (
	"flag"
	"strings"
	"testing"
	"time"

	"github.com/engineering-kpis/engineering-kpis/internal/kpi"
	goldenfile "github.com/engineering-kpis/engineering-kpis/internal/testkit/golden"
)

var update = flag.Bool("update", false, "update golden files")

func golden(t *testing.T, name string, got string) {
	t.Helper()
	goldenfile.Check(t, name, []byte(got), *update)
}

func f(v float64) *float64 { return &v }

// sample is a report with hostile text in every untrusted field.
func sample() Input {
	asOf := time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)
	rw := kpi.ReviewWait{
		AsOf: asOf, Window: 28 * 24 * time.Hour, SLA: 24 * time.Hour,
		Answered: 12, WithinSLA: 9, Withdrawn: 2, Unattributed: 1, Waiting: 5, OverSLA: 1,
		Longest: []kpi.WaitingRequest{
			{Request: kpi.Request{Number: 7, Title: "Fix | table `code` <script>alert(1)</script> [x](javascript:alert(1))", URL: "https://github.com/o/r/pull/7", Reviewer: kpi.Actor{Login: "octo-org/core", Team: true}, Running: true}, Age: 76 * time.Hour},
			{Request: kpi.Request{Number: 9, Title: "ping @everyone\n::error::injected", URL: "javascript:alert(1)", Reviewer: kpi.Actor{Login: "mal_lory"}, Running: true}, Age: 5*time.Hour + 30*time.Minute},
			{Request: kpi.Request{Number: 10, Title: "Small", URL: "https://github.com/o/r/pull/10", Reviewer: kpi.Actor{Login: "bob"}, Running: true}, Age: 45 * time.Minute},
			{Request: kpi.Request{Number: 11, Title: "Draft again", Reviewer: kpi.Actor{Login: "carol"}}, Age: 2 * time.Hour},
			{Request: kpi.Request{Number: 12, Title: "Draft from the start", Reviewer: kpi.Actor{Login: "dave"}}},
		},
	}
	metrics := kpi.Values{
		kpi.ReviewWaitMedianHours: f(5.25), kpi.ReviewWaitP75Hours: f(20), kpi.ReviewWaitP90Hours: f(49.5),
		kpi.ReviewWaitMeanHours: f(14.02), kpi.ReviewWaitMaxHours: f(80), kpi.ReviewRequestsAnswered: f(12),
		kpi.ReviewRequestsWithdrawn: f(2), kpi.ReviewRequestsWaiting: f(5), kpi.ReviewRequestsOverSLA: f(1),
		kpi.ReviewAnsweredWithinSLARatio: f(0.75),
	}
	report := kpi.Report{Repository: "o/r", Window: rw.Window, SLA: rw.SLA, ReviewWait: rw,
		Snapshot: kpi.Snapshot{Date: "2026-11-25", Repository: "o/r", Metrics: metrics}}
	return Input{
		Reports: []kpi.Report{report}, AsOf: asOf, Clock: "calendar",
		Commit: "0123456789abcdef0123456789abcdef01234567", CommitURL: "https://github.com/o/r/commit/0123456789abcdef0123456789abcdef01234567",
		Extras: map[string]Extras{"o/r": {
			Trend:    []TrendPoint{{"2026-11-23", f(6), f(50)}, {"2026-11-24", nil, nil}, {"2026-11-25", f(5.25), f(49.5)}},
			Ago7:     kpi.Values{kpi.ReviewWaitMedianHours: f(7.5), kpi.ReviewWaitP90Hours: f(49.5), kpi.ReviewAnsweredWithinSLARatio: f(0.7), kpi.ReviewRequestsAnswered: f(10), kpi.ReviewRequestsWaiting: f(1), kpi.ReviewRequestsOverSLA: f(1)},
			ChartURL: "https://github.com/o/r/blob/0123456/.github/kpis/review-wait.png", HistoryURL: "https://github.com/o/r/blob/0123456/.github/kpis/history.json",
		}},
	}
}

func TestMarkdownGolden(t *testing.T) {
	md := Markdown(sample())
	golden(t, "summary.golden.md", md)
	for _, bad := range []string{"<script>", "](javascript:", "\n::error::", "@everyone"} {
		if strings.Contains(md, bad) {
			t.Errorf("summary holds %q", bad)
		}
	}
}

func TestReadmeBlockGolden(t *testing.T) {
	in := sample()
	golden(t, "readme-block.golden.md", ReadmeBlock(in.Reports, in.Extras, map[string]string{"o/r": ".github/kpis/review-wait.png"}))
}

func TestValueAndChange(t *testing.T) {
	median, _ := kpi.LookupMetric(kpi.ReviewWaitMedianHours)
	ratio, _ := kpi.LookupMetric(kpi.ReviewAnsweredWithinSLARatio)
	answered, _ := kpi.LookupMetric(kpi.ReviewRequestsAnswered)
	cases := []struct {
		name string
		got  string
		exp  string
	}{
		{"hours", Value(median, f(5.25)), "5.25 h"},
		{"no sample", Value(median, nil), "–"},
		{"ratio as percent", Value(ratio, f(0.8235)), "82.4%"},
		{"count", Value(answered, f(12)), "12"},
		{"lower is better, fell", change(median, f(5), kpi.Values{kpi.ReviewWaitMedianHours: f(7.5)}), "−2.5 h (better)"},
		{"lower is better, rose", change(median, f(8), kpi.Values{kpi.ReviewWaitMedianHours: f(7.5)}), "+0.5 h (worse)"},
		{"ratio in points", change(ratio, f(0.75), kpi.Values{kpi.ReviewAnsweredWithinSLARatio: f(0.7)}), "+5 pp (better)"},
		{"unchanged", change(median, f(5), kpi.Values{kpi.ReviewWaitMedianHours: f(5)}), "±0"},
		{"no snapshot then", change(median, f(5), nil), "–"},
		{"null then", change(median, f(5), kpi.Values{kpi.ReviewWaitMedianHours: nil}), "–"},
	}
	for _, tc := range cases {
		if tc.got != tc.exp {
			t.Errorf("%s: got %q, want %q", tc.name, tc.got, tc.exp)
		}
	}
}

func TestWorkingAgeAndWindowSpan(t *testing.T) {
	cases := []struct {
		got, want string
	}{
		{WorkingAge(25*time.Hour + 22*time.Minute), "25h 22m"},
		{WorkingAge(362 * time.Hour), "362h"},
		{WorkingAge(45 * time.Minute), "45m"},
		{WindowSpan(24 * time.Hour), "1 day"},
		{WindowSpan(14 * 24 * time.Hour), "14 days"},
		{WindowSpan(36 * time.Hour), "36h"},
	}
	for _, tc := range cases {
		if tc.got != tc.want {
			t.Errorf("got %q, want %q", tc.got, tc.want)
		}
	}
}

// TestBusinessClockLabels: under the business clock every waiting time is
// labelled working, with the calendar value beside it, and working hours
// are never written as days.
func TestBusinessClockLabels(t *testing.T) {
	w := func(h float64) time.Duration { return time.Duration(h * float64(time.Hour)) }
	f := func(v float64) *float64 { return &v }
	req := kpi.Request{Number: 1, Title: "t", Reviewer: kpi.Actor{Login: "bob"}, Running: true,
		Active: []kpi.Interval{{Start: time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC), End: time.Date(2026, 11, 4, 0, 0, 0, 0, time.UTC)}}}
	r := kpi.Report{Repository: "o/r", Window: 24 * time.Hour, SLA: 24 * time.Hour,
		ReviewWait: kpi.ReviewWait{Waits: []time.Duration{w(25.5)}, CalendarWaits: []time.Duration{w(100)}, Answered: 1, Waiting: 1,
			Longest: []kpi.WaitingRequest{{Request: req, Age: w(26)}}},
		Snapshot: kpi.Snapshot{Clock: "business", Metrics: kpi.Values{kpi.ReviewWaitMedianHours: f(25.5), kpi.ReviewWaitP90Hours: f(25.5), kpi.ReviewWaitMaxHours: f(25.5)},
			Breakdown: map[string]*kpi.Group{kpi.GroupFirst: {Requests: 1, Answered: 1, Median: f(25.5), P90: f(25.5)}}},
		CalendarBreakdown: map[string]*kpi.Group{kpi.GroupFirst: {Requests: 1, Answered: 1, Median: f(100), P90: f(100)}},
	}
	md := Markdown(Input{Reports: []kpi.Report{r}, Clock: "business"})
	for _, want := range []string{
		"window 1 day",
		"| Review wait, median (working hours) | 25.5 h · 100 h calendar |",
		"| Longest answered wait | 25.5 h (25h 30m) working · 100 h (4d 4h) calendar |",
		"| First requests | 1 | 1 | 25.5 h working · 100 h calendar | 25.5 h working · 100 h calendar |",
		"| bob | 26h working · 3d calendar |",
		"Waiting longer than the SLA (24h working hours)",
	} {
		if !strings.Contains(md, want) {
			t.Errorf("summary lacks %q:\n%s", want, md)
		}
	}
}
