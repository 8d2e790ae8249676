package okr

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/engineering-kpis/engineering-kpis/internal/kpi"
)

const okrFile = ".github/kpis.yml"

func num(f float64) *float64 { return &f }

func day(s string) time.Time {
	t, err := time.Parse("2006-01-02", s)
	if err != nil {
		panic(err)
	}
	return t
}

func metric(t *testing.T, name string) kpi.Metric {
	t.Helper()
	m, ok := kpi.LookupMetric(name)
	if !ok {
		t.Fatalf("no metric %q", name)
	}
	return m
}

func TestParseGood(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name string
		in   string
		exp  func(t *testing.T) *File
	}{
		{
			name: "quarter form, the issue's example",
			in: `objective: Become a faster, more reliable product development team
quarter: 2026-Q4            # or start: 2026-10-01 / end: 2026-12-31
key-results:
  - metric: review_wait_median_hours
    target: 24
  - metric: review_wait_p90_hours
    target: 72
  - metric: sentry_events_per_user_day
    target: 0.05
    baseline: 0.12          # optional
`,
			exp: func(t *testing.T) *File {
				return &File{
					Objective: "Become a faster, more reliable product development team",
					Start:     day("2026-10-01"),
					End:       day("2026-12-31"),
					Quarter:   "2026-Q4",
					KeyResults: []KeyResult{
						{Metric: metric(t, "review_wait_median_hours"), Target: 24, Line: 4},
						{Metric: metric(t, "review_wait_p90_hours"), Target: 72, Line: 6},
						{Metric: metric(t, "sentry_events_per_user_day"), Target: 0.05, Baseline: num(0.12), Line: 8},
					},
				}
			},
		},
		{
			name: "start and end covering a calendar quarter get its name",
			in: `objective: Faster reviews
start: 2026-10-01
end: 2026-12-31
key-results:
  - target: 0.9
    metric: review_answered_within_sla_ratio
`,
			exp: func(t *testing.T) *File {
				return &File{
					Objective: "Faster reviews",
					Start:     day("2026-10-01"),
					End:       day("2026-12-31"),
					Quarter:   "2026-Q4",
					KeyResults: []KeyResult{
						{Metric: metric(t, "review_answered_within_sla_ratio"), Target: 0.9, Line: 5},
					},
				}
			},
		},
		{
			name: "any other period has no quarter name; end may equal start",
			in: `objective: "Hack week: no waiting"
end: "2026-11-02"
start: 2026-11-02
key-results:
  - {metric: review_requests_waiting, target: 0}
`,
			exp: func(t *testing.T) *File {
				return &File{
					Objective: "Hack week: no waiting",
					Start:     day("2026-11-02"),
					End:       day("2026-11-02"),
					KeyResults: []KeyResult{
						{Metric: metric(t, "review_requests_waiting"), Target: 0, Line: 5},
					},
				}
			},
		},
		{
			name: "Q1, lowercase q, quoted and integer numbers, null baseline, folded objective",
			in: `objective: >
  Fewer errors
  for our users
quarter: 2027-q1
key-results:
  - metric: sentry_events_per_user_day
    target: "0.05"
    baseline:
  - metric: review_requests_answered
    target: 1_000
    baseline: 0
`,
			exp: func(t *testing.T) *File {
				return &File{
					Objective: "Fewer errors for our users",
					Start:     day("2027-01-01"),
					End:       day("2027-03-31"),
					Quarter:   "2027-Q1",
					KeyResults: []KeyResult{
						{Metric: metric(t, "sentry_events_per_user_day"), Target: 0.05, Line: 6},
						{Metric: metric(t, "review_requests_answered"), Target: 1000, Baseline: num(0), Line: 9},
					},
				}
			},
		},
		{
			name: "document markers and an empty trailing document",
			in:   "---\nobjective: x\nquarter: 2026-Q4\nkey-results:\n  - {metric: sentry_events, target: 1}\n---\n# nothing more\n",
			exp: func(t *testing.T) *File {
				return &File{
					Objective:  "x",
					Start:      day("2026-10-01"),
					End:        day("2026-12-31"),
					Quarter:    "2026-Q4",
					KeyResults: []KeyResult{{Metric: metric(t, "sentry_events"), Target: 1, Line: 5}},
				}
			},
		},
		{
			name: "leap-year Q1 and anchors",
			in: `objective: Steady
quarter: 2028-Q1
key-results:
  - metric: review_wait_p75_hours
    target: &t 48
  - metric: review_wait_p90_hours
    target: *t
`,
			exp: func(t *testing.T) *File {
				return &File{
					Objective: "Steady",
					Start:     day("2028-01-01"),
					End:       day("2028-03-31"),
					Quarter:   "2028-Q1",
					KeyResults: []KeyResult{
						{Metric: metric(t, "review_wait_p75_hours"), Target: 48, Line: 4},
						{Metric: metric(t, "review_wait_p90_hours"), Target: 48, Line: 6},
					},
				}
			},
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got, err := Parse(okrFile, []byte(tc.in))
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			if diff := cmp.Diff(tc.exp(t), got); diff != "" {
				t.Errorf("Parse (-want +got):\n%s", diff)
			}
		})
	}
}

func TestParseErrors(t *testing.T) {
	t.Parallel()
	// good is a valid file; the cases break one thing in it.
	const good = `objective: Become a faster team
quarter: 2026-Q4
key-results:
  - metric: review_wait_median_hours
    target: 24
  - metric: sentry_events_per_user_day
    target: 0.05
    baseline: 0.12
`
	if _, err := Parse(okrFile, []byte(good)); err != nil {
		t.Fatalf("the base file does not parse: %v", err)
	}
	cases := []struct {
		name  string
		in    string
		line  int
		field string
		msg   string // a part of the message
	}{
		{
			name:  "unknown metric",
			in:    strings.Replace(good, "metric: sentry_events_per_user_day", "metric: sentry_events_per_user", 1),
			line:  6,
			field: "key-results[1].metric",
			msg:   `unknown metric "sentry_events_per_user"; did you mean "sentry_events_per_user_day"? (known: review_wait_median_hours, `,
		},
		{
			name:  "share above 1",
			in:    strings.Replace(good, "metric: review_wait_median_hours\n    target: 24", "metric: review_answered_within_sla_ratio\n    target: 90", 1),
			line:  5,
			field: "key-results[0].target",
			msg:   "90 is above 1; review_answered_within_sla_ratio is a share from 0 to 1, e.g. 0.9 for 90%",
		},
		{
			name:  "misspelt metric",
			in:    strings.Replace(good, "review_wait_median_hours", "review_wait_mediam_hours", 1),
			line:  4,
			field: "key-results[0].metric",
			msg:   `unknown metric "review_wait_mediam_hours"; did you mean "review_wait_median_hours"?`,
		},
		{
			name:  "metric in its output spelling",
			in:    strings.Replace(good, "review_wait_median_hours", "review-wait-median-hours", 1),
			line:  4,
			field: "key-results[0].metric",
			msg:   `did you mean "review_wait_median_hours"?`,
		},
		{
			name:  "metric far from any",
			in:    strings.Replace(good, "review_wait_median_hours", "deploys", 1),
			line:  4,
			field: "key-results[0].metric",
			msg:   `unknown metric "deploys" (known: `,
		},
		{
			name:  "metric not a name",
			in:    strings.Replace(good, "metric: review_wait_median_hours", "metric: [a, b]", 1),
			line:  4,
			field: "key-results[0].metric",
			msg:   "expected a metric name, got a list",
		},
		{
			name:  "target not a number",
			in:    strings.Replace(good, "target: 24", "target: 24h", 1),
			line:  5,
			field: "key-results[0].target",
			msg:   `"24h" is not a number; write the number of hours without a unit, e.g. 24`,
		},
		{
			name:  "target a percentage",
			in:    strings.Replace(good, "target: 0.05", "target: 5%", 1),
			line:  7,
			field: "key-results[1].target",
			msg:   `"5%" is not a number; write a share as a fraction, e.g. 0.9 for 90%`,
		},
		{
			name:  "target a boolean",
			in:    strings.Replace(good, "target: 24", "target: yes", 1),
			line:  5,
			field: "key-results[0].target",
			msg:   `"yes" is not a number`,
		},
		{
			name:  "target infinite",
			in:    strings.Replace(good, "target: 24", "target: .inf", 1),
			line:  5,
			field: "key-results[0].target",
			msg:   `".inf" is not a finite number`,
		},
		{
			name:  "target negative",
			in:    strings.Replace(good, "target: 24", "target: -1", 1),
			line:  5,
			field: "key-results[0].target",
			msg:   "-1 is negative; metrics are never below 0",
		},
		{
			name:  "target a list",
			in:    strings.Replace(good, "target: 24", "target: [24]", 1),
			line:  5,
			field: "key-results[0].target",
			msg:   "expected a number, got a list",
		},
		{
			name:  "baseline not a number",
			in:    strings.Replace(good, "baseline: 0.12", "baseline: twelve", 1),
			line:  8,
			field: "key-results[1].baseline",
			msg:   `"twelve" is not a number`,
		},
		{
			name:  "missing target",
			in:    strings.Replace(good, "    target: 0.05\n", "", 1),
			line:  6,
			field: "key-results[1].target",
			msg:   "missing; give the value to reach by the end of the period",
		},
		{
			name:  "empty target",
			in:    strings.Replace(good, "target: 24", "target:", 1),
			line:  5,
			field: "key-results[0].target",
			msg:   "missing",
		},
		{
			name:  "missing metric",
			in:    strings.Replace(good, "  - metric: review_wait_median_hours\n    target: 24", "  - target: 24", 1),
			line:  4,
			field: "key-results[0].metric",
			msg:   "missing; give one of: review_wait_median_hours, ",
		},
		{
			name:  "quarter 5",
			in:    strings.Replace(good, "2026-Q4", "2026-Q5", 1),
			line:  2,
			field: "quarter",
			msg:   `"2026-Q5" is not a quarter; the quarter number is 1, 2, 3 or 4 (e.g. 2026-Q4)`,
		},
		{
			name:  "quarter 0",
			in:    strings.Replace(good, "2026-Q4", "2026-Q0", 1),
			line:  2,
			field: "quarter",
			msg:   `"2026-Q0" is not a quarter`,
		},
		{
			name:  "quarter malformed",
			in:    strings.Replace(good, "2026-Q4", "Q4 2026", 1),
			line:  2,
			field: "quarter",
			msg:   `"Q4 2026" is not a quarter; expected YEAR-QN such as 2026-Q4`,
		},
		{
			name:  "quarter empty",
			in:    strings.Replace(good, "quarter: 2026-Q4", "quarter:", 1),
			line:  2,
			field: "quarter",
			msg:   "expected a quarter such as 2026-Q4, got nothing",
		},
		{
			name:  "both quarter and start/end",
			in:    strings.Replace(good, "quarter: 2026-Q4\n", "quarter: 2026-Q4\nstart: 2026-10-01\nend: 2026-12-31\n", 1),
			line:  3,
			field: "start",
			msg:   "give either quarter or start and end, not both (quarter is at line 2)",
		},
		{
			name:  "quarter and end",
			in:    strings.Replace(good, "quarter: 2026-Q4\n", "end: 2026-12-31\nquarter: 2026-Q4\n", 1),
			line:  2,
			field: "end",
			msg:   "not both (quarter is at line 3)",
		},
		{
			name:  "end before start",
			in:    strings.Replace(good, "quarter: 2026-Q4\n", "start: 2026-10-01\nend: 2026-09-30\n", 1),
			line:  3,
			field: "end",
			msg:   "2026-09-30 is before start 2026-10-01",
		},
		{
			name:  "start without end",
			in:    strings.Replace(good, "quarter: 2026-Q4\n", "start: 2026-10-01\n", 1),
			line:  2,
			field: "end",
			msg:   "missing; start is given, so give end too",
		},
		{
			name:  "end without start",
			in:    strings.Replace(good, "quarter: 2026-Q4\n", "end: 2026-12-31\n", 1),
			line:  2,
			field: "start",
			msg:   "missing; end is given, so give start too",
		},
		{
			name:  "malformed date",
			in:    strings.Replace(good, "quarter: 2026-Q4\n", "start: 2026-10-01\nend: 2026-12-32\n", 1),
			line:  3,
			field: "end",
			msg:   `"2026-12-32" is not a date; expected YYYY-MM-DD such as 2026-10-01`,
		},
		{
			name:  "date with a time",
			in:    strings.Replace(good, "quarter: 2026-Q4\n", "start: 2026-10-01T00:00:00Z\nend: 2026-12-31\n", 1),
			line:  2,
			field: "start",
			msg:   `"2026-10-01T00:00:00Z" is not a date`,
		},
		{
			name:  "no period",
			in:    strings.Replace(good, "quarter: 2026-Q4\n", "", 1),
			line:  1,
			field: "quarter",
			msg:   "missing; give a quarter (e.g. 2026-Q4), or start and end dates",
		},
		{
			name:  "missing objective",
			in:    strings.Replace(good, "objective: Become a faster team\n", "", 1),
			line:  1,
			field: "objective",
			msg:   "missing; say what the team wants to achieve this quarter",
		},
		{
			name:  "empty objective",
			in:    strings.Replace(good, "objective: Become a faster team", `objective: "  "`, 1),
			line:  1,
			field: "objective",
			msg:   "empty",
		},
		{
			name:  "objective not text",
			in:    strings.Replace(good, "objective: Become a faster team", "objective: {a: b}", 1),
			line:  1,
			field: "objective",
			msg:   "expected text, got a mapping",
		},
		{
			name:  "missing key-results",
			in:    "objective: Become a faster team\nquarter: 2026-Q4\n",
			line:  1,
			field: "key-results",
			msg:   "missing; list at least one key result (metric and target)",
		},
		{
			name:  "empty key-results",
			in:    "objective: Become a faster team\nquarter: 2026-Q4\nkey-results: []\n",
			line:  3,
			field: "key-results",
			msg:   "empty; list at least one key result",
		},
		{
			name:  "null key-results",
			in:    "objective: Become a faster team\nquarter: 2026-Q4\nkey-results:\n",
			line:  3,
			field: "key-results",
			msg:   "empty; list at least one key result",
		},
		{
			name:  "key-results a mapping",
			in:    "objective: Become a faster team\nquarter: 2026-Q4\nkey-results:\n  metric: sentry_events\n  target: 3\n",
			line:  4,
			field: "key-results",
			msg:   "expected a list of key results (- metric: ..., target: ...), got a mapping",
		},
		{
			name:  "key result a bare name",
			in:    strings.Replace(good, "  - metric: review_wait_median_hours\n    target: 24", "  - review_wait_median_hours", 1),
			line:  4,
			field: "key-results[0]",
			msg:   `expected a key result with metric and target, got "review_wait_median_hours"`,
		},
		{
			name:  "duplicate metric",
			in:    good + "  - metric: review_wait_median_hours\n    target: 12\n",
			line:  9,
			field: "key-results[2].metric",
			msg:   `repeated metric "review_wait_median_hours" (first key result at line 4); give each metric once`,
		},
		{
			name:  "unknown top-level key",
			in:    strings.Replace(good, "key-results:", "key_results:", 1),
			line:  3,
			field: "key_results",
			msg:   `unknown key; did you mean "key-results"? (known: objective, quarter, start, end, key-results)`,
		},
		{
			name:  "unknown key far from any",
			in:    good + "owner: alice\n",
			line:  9,
			field: "owner",
			msg:   "unknown key (known: objective, quarter, start, end, key-results)",
		},
		{
			name:  "unknown key in a key result",
			in:    strings.Replace(good, "target: 24", "targt: 24", 1),
			line:  5,
			field: "key-results[0].targt",
			msg:   `unknown key; did you mean "target"? (known: metric, target, baseline)`,
		},
		{
			name:  "misspelt key is reported before the earlier bad value",
			in:    strings.Replace(strings.Replace(good, "2026-Q4", "2026-Q5", 1), "baseline:", "baselin:", 1),
			line:  8,
			field: "key-results[1].baselin",
			msg:   `did you mean "baseline"?`,
		},
		{
			name:  "repeated top-level key",
			in:    good + "objective: Again\n",
			line:  9,
			field: "objective",
			msg:   "repeated key (first at line 1)",
		},
		{
			name:  "repeated key in a key result",
			in:    strings.Replace(good, "target: 24", "target: 24\n    target: 12", 1),
			line:  6,
			field: "key-results[0].target",
			msg:   "repeated key (first at line 5)",
		},
		{
			name:  "bad values: the first in the file is reported",
			in:    strings.Replace(strings.Replace(good, "target: 0.05", "target: x", 1), "target: 24", "target: y", 1),
			line:  5,
			field: "key-results[0].target",
			msg:   `"y" is not a number`,
		},
		{
			name: "YAML syntax error",
			in:   strings.Replace(good, "quarter: 2026-Q4", `quarter: "2026-Q4`, 1),
			line: 2,
			msg:  "YAML syntax error: found unexpected end of stream",
		},
		{
			name: "YAML tab indentation",
			in:   strings.Replace(good, "    target: 24", "\ttarget: 24", 1),
			line: 4,
			msg:  "YAML syntax error: found a tab character that violates indentation",
		},
		{
			name: "YAML mapping inside a scalar",
			in:   strings.Replace(good, "objective: Become a faster team", "objective: Faster: better", 1),
			line: 1,
			msg:  "YAML syntax error: mapping values are not allowed in this context",
		},
		{
			name: "YAML unknown alias",
			in:   strings.Replace(good, "target: 0.05", "target: *t", 1),
			line: 7,
			msg:  "YAML syntax error: unknown anchor 't' referenced",
		},
		{
			name: "not a mapping",
			in:   "- objective: x\n",
			line: 1,
			msg:  "expected a mapping with objective, quarter and key-results, got a list",
		},
		{
			name: "empty file",
			in:   "",
			msg:  "the file is empty; expected objective, quarter and key-results",
		},
		{
			name: "only comments",
			in:   "# OKRs to come\n",
			msg:  "the file is empty",
		},
		{
			name: "two documents",
			in:   good + "---\nobjective: Other\n",
			line: 9,
			msg:  "a second YAML document (after ---); the OKR file holds one",
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			f, err := Parse(okrFile, []byte(tc.in))
			if err == nil {
				t.Fatalf("Parse = %+v, want an error", f)
			}
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("Parse error %T (%v), want *Error", err, err)
			}
			if e.File != okrFile || e.Line != tc.line || e.Field != tc.field {
				t.Errorf("Parse error at (%q, line %d, %q), want (%q, line %d, %q): %v", e.File, e.Line, e.Field, okrFile, tc.line, tc.field, err)
			}
			if !strings.Contains(e.Msg, tc.msg) {
				t.Errorf("Parse error message %q, want it to contain %q", e.Msg, tc.msg)
			}
		})
	}
}

func TestErrorString(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name string
		in   Error
		exp  string
	}{
		{"line and field", Error{okrFile, 5, "key-results[1].metric", "unknown metric"}, ".github/kpis.yml line 5: key-results[1].metric: unknown metric"},
		{"no field", Error{okrFile, 2, "", "YAML syntax error: x"}, ".github/kpis.yml line 2: YAML syntax error: x"},
		{"no line", Error{okrFile, 0, "", "the file is empty"}, ".github/kpis.yml: the file is empty"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			if got := tc.in.Error(); got != tc.exp {
				t.Errorf("Error() = %q, want %q", got, tc.exp)
			}
		})
	}

	_, err := Parse(okrFile, []byte("objective: x\nquarter: 2026-Q4\nkey-results:\n  - metric: review_wait_mediam_hours\n    target: 24\n"))
	want := `.github/kpis.yml line 4: key-results[0].metric: unknown metric "review_wait_mediam_hours"; did you mean "review_wait_median_hours"? (known: ` +
		strings.Join(names(), ", ") + ")"
	if err == nil || err.Error() != want {
		t.Errorf("Parse error\n got %v\nwant %s", err, want)
	}
}

func TestFileDays(t *testing.T) {
	t.Parallel()
	for q, exp := range map[string]int{"2026-Q1": 90, "2028-Q1": 91, "2026-Q2": 91, "2026-Q3": 92, "2026-Q4": 92} {
		f, err := Parse(okrFile, []byte("objective: x\nquarter: "+q+"\nkey-results:\n  - {metric: sentry_events, target: 1}\n"))
		if err != nil {
			t.Fatal(err)
		}
		if got := Days(f.Start, f.End); got != exp {
			t.Errorf("%s: Days() = %d, want %d", q, got, exp)
		}
	}
}
