package config

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/engineering-kpis/engineering-kpis/internal/workhours"
)

func env(m map[string]string) func(string) string {
	return func(k string) string { return m[k] }
}

var runner = env(map[string]string{
	"GITHUB_REPOSITORY":  "octo-org/octo-repo",
	"GITHUB_API_URL":     "https://api.github.com",
	"GITHUB_GRAPHQL_URL": "https://api.github.com/graphql",
})

func TestValidateDefaults(t *testing.T) {
	cfg, err := Validate(Raw{Values: map[string]string{InGitHubToken: "ghs_x"}}, runner, false)
	if err != nil {
		t.Fatal(err)
	}
	want := &Config{
		Repositories: []string{"octo-org/octo-repo"},
		Primary:      "octo-org/octo-repo",
		Token:        "ghs_x",
		APIURL:       "https://api.github.com",
		GraphQLURL:   "https://api.github.com/graphql",
		Window:       28 * 24 * time.Hour,
		SLA:          24 * time.Hour,
		Backfill:     90 * 24 * time.Hour,
		OutputDir:    ".github/kpis",
		Commit:       true,
		ChartFormats: []string{"png"},
		MaxWait:      10 * time.Minute,
		OKRFile:      ".github/kpis.yml",
		WaitClock:    "calendar",
		HiddenTeams:  "exclude",
		Hours:        mustHours(t, "Mon-Fri 09:00-17:00"),
		Location:     time.UTC,
	}
	if diff := cmp.Diff(want, cfg, cmp.Comparer(func(a, b workhours.Hours) bool { return a.String() == b.String() }),
		cmp.Comparer(func(a, b workhours.Holidays) bool { return a.String() == b.String() }),
		cmp.Comparer(func(a, b *time.Location) bool { return a.String() == b.String() })); diff != "" {
		t.Errorf("config (-want +got):\n%s", diff)
	}
}

func mustHours(t *testing.T, s string) workhours.Hours {
	h, err := workhours.ParseHours(s)
	if err != nil {
		t.Fatal(err)
	}
	return h
}

func TestValidateValues(t *testing.T) {
	cases := []struct {
		name string
		in   map[string]string
		want func(*Config) any
		exp  any
	}{
		{"window hours", map[string]string{InWindow: "36h"}, func(c *Config) any { return c.Window }, 36 * time.Hour},
		{"window max", map[string]string{InWindow: "365d"}, func(c *Config) any { return c.Window }, 365 * 24 * time.Hour},
		{"sla minutes", map[string]string{InSLA: "90m"}, func(c *Config) any { return c.SLA }, 90 * time.Minute},
		{"organisation", map[string]string{InRepositories: "org:acme, acme/x, org:ACME"}, func(c *Config) any { return c.Repositories }, []string{"org:acme", "acme/x"}},
		{"repository list", map[string]string{InRepositories: "a/b,\n c/d.e \n a/b"}, func(c *Config) any { return c.Repositories }, []string{"a/b", "c/d.e"}},
		{"reviewers with teams and at", map[string]string{InExcludeReviewers: "@alice, dependabot[bot]\nocto-org/platform"}, func(c *Config) any { return c.ExcludeReviewers }, []string{"alice", "dependabot[bot]", "octo-org/platform"}},
		{"labels", map[string]string{InExcludeLabels: "do not merge, wip"}, func(c *Config) any { return c.ExcludeLabels }, []string{"do not merge", "wip"}},
		{"as-of date is end of day", map[string]string{InAsOf: "2026-11-20"}, func(c *Config) any { return c.AsOf }, time.Date(2026, 11, 21, 0, 0, 0, 0, time.UTC)},
		{"backfill off", map[string]string{InBackfill: "0d"}, func(c *Config) any { return c.Backfill }, time.Duration(0)},
		{"output-dir cleaned", map[string]string{InOutputDir: "./docs//kpis/"}, func(c *Config) any { return c.OutputDir }, "docs/kpis"},
		{"branch ref", map[string]string{InBranch: "refs/heads/kpi-data"}, func(c *Config) any { return c.Branch }, "kpi-data"},
		{"commit false", map[string]string{InCommit: "False"}, func(c *Config) any { return c.Commit }, false},
		{"chart both", map[string]string{InChartFormat: "both"}, func(c *Config) any { return c.ChartFormats }, []string{"png", "svg"}},
		{"as-of time", map[string]string{InAsOf: "2026-11-20T10:00:00+02:00"}, func(c *Config) any { return c.AsOf }, time.Date(2026, 11, 20, 8, 0, 0, 0, time.UTC)},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			tc.in[InGitHubToken] = "tok"
			cfg, err := Validate(Raw{Values: tc.in}, runner, false)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tc.exp, tc.want(cfg)); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

func TestValidateBadInput(t *testing.T) {
	long := strings.Repeat("x", 1<<20)
	cases := []struct {
		name  string
		in    map[string]string
		input string // the input the error must name
	}{
		{"window unit", map[string]string{InWindow: "4w"}, "window"},
		{"window zero", map[string]string{InWindow: "0d"}, "window"},
		{"window too long", map[string]string{InWindow: "366d"}, "window"},
		{"window negative", map[string]string{InWindow: "-5d"}, "window"},
		{"window absurd", map[string]string{InWindow: "99999999999d"}, "window"},
		{"window go syntax", map[string]string{InWindow: "1h30m"}, "window"},
		{"sla zero", map[string]string{InSLA: "0h"}, "sla"},
		{"sla words", map[string]string{InSLA: "one day"}, "sla"},
		{"repo extra part", map[string]string{InRepositories: "owner/name/extra"}, "repositories"},
		{"repo no slash", map[string]string{InRepositories: "name"}, "repositories"},
		{"repo dotdot", map[string]string{InRepositories: "owner/.."}, "repositories"},
		{"repo org bad", map[string]string{InRepositories: "org:-acme"}, "repositories"},
		{"repo bad owner", map[string]string{InRepositories: "-bad/x"}, "repositories"},
		{"reviewer bad", map[string]string{InExcludeReviewers: "al ice"}, "exclude-reviewers"},
		{"author team", map[string]string{InExcludeAuthors: "org/team"}, "exclude-authors"},
		{"token empty", map[string]string{InGitHubToken: ""}, "github-token"},
		{"token spaces", map[string]string{InGitHubToken: "a b"}, "github-token"},
		{"non utf8", map[string]string{InExcludeLabels: "\xff\xfe"}, "exclude-labels"},
		{"huge", map[string]string{InExcludeLabels: long}, "exclude-labels"},
		{"as-of", map[string]string{InAsOf: "yesterday"}, "as-of"},
		{"backfill too long", map[string]string{InBackfill: "400d"}, "backfill"},
		{"backfill negative", map[string]string{InBackfill: "-1d"}, "backfill"},
		{"output-dir escapes", map[string]string{InOutputDir: "../x"}, "output-dir"},
		{"output-dir absolute", map[string]string{InOutputDir: "/etc/x"}, "output-dir"},
		{"output-dir dot", map[string]string{InOutputDir: "."}, "output-dir"},
		{"output-dir inside .git", map[string]string{InOutputDir: ".git/hooks"}, "output-dir"},
		{"output-dir escapes after clean", map[string]string{InOutputDir: "a/../../x"}, "output-dir"},
		{"readme escapes", map[string]string{InReadme: "../README.md"}, "readme"},
		{"readme absolute", map[string]string{InReadme: "/etc/passwd"}, "readme"},
		{"branch dots", map[string]string{InBranch: "a..b"}, "branch"},
		{"branch space", map[string]string{InBranch: "my branch"}, "branch"},
		{"max-wait", map[string]string{InMaxWait: "7h"}, "max-wait"},
		{"okr-file escapes", map[string]string{InOKRFile: "../../etc/passwd"}, "okr-file"},
		{"wait-clock enum", map[string]string{InWaitClock: "working"}, "wait-clock"},
		{"hidden-team-requests enum", map[string]string{InHiddenTeams: "guess"}, "hidden-team-requests"},
		{"business-hours bad", map[string]string{InBusinessHours: "Mon-Fri 17:00-09:00"}, "business-hours"},
		{"business-hours day", map[string]string{InBusinessHours: "Funday 09:00-17:00"}, "business-hours"},
		{"timezone", map[string]string{InTimezone: "Mars/Olympus"}, "timezone"},
		{"holidays", map[string]string{InHolidays: "XX"}, "holidays"},
		{"holidays date", map[string]string{InHolidays: "2026-13-01"}, "holidays"},
		{"breakdown", map[string]string{InBreakdown: "person"}, "breakdown"},
		{"commit enum", map[string]string{InCommit: "yes"}, "commit"},
		{"chart-format enum", map[string]string{InChartFormat: "jpeg"}, "chart-format"},
		{"sentry-retention part of a day", map[string]string{InSentryRetention: "36h", InSentryToken: "t", InSentryOrg: "acme"}, "sentry-retention"},
		{"sentry-retention zero", map[string]string{InSentryRetention: "0d", InSentryToken: "t", InSentryOrg: "acme"}, "sentry-retention"},
		{"sentry-retention too long", map[string]string{InSentryRetention: "401d", InSentryToken: "t", InSentryOrg: "acme"}, "sentry-retention"},
		{"sentry-retention without sentry", map[string]string{InSentryRetention: "ninety"}, "sentry-retention"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if _, ok := tc.in[InGitHubToken]; !ok {
				tc.in[InGitHubToken] = "tok"
			}
			_, err := Validate(Raw{Values: tc.in}, runner, false)
			var ie *InputError
			if !errors.As(err, &ie) {
				t.Fatalf("got %v, want an InputError", err)
			}
			if ie.Input != tc.input {
				t.Errorf("error names input %q, want %q", ie.Input, tc.input)
			}
			if !strings.Contains(err.Error(), "input "+tc.input) {
				t.Errorf("message %q does not name the input", err)
			}
			if len(err.Error()) > 1000 {
				t.Errorf("message is %d bytes long", len(err.Error()))
			}
		})
	}
}

func TestValidateSentryRetention(t *testing.T) {
	for in, want := range map[string]time.Duration{"": 30 * 24 * time.Hour, "90d": 90 * 24 * time.Hour, "400d": 400 * 24 * time.Hour} {
		c, err := Validate(Raw{Values: map[string]string{InGitHubToken: "tok", InSentryToken: "t", InSentryOrg: "acme", InSentryRetention: in}}, runner, false)
		if err != nil {
			t.Fatalf("%q: %v", in, err)
		}
		if c.Sentry.Retention != want {
			t.Errorf("sentry-retention %q = %s, want %s", in, c.Sentry.Retention, want)
		}
	}
}

func TestValidateUsesFlagNames(t *testing.T) {
	raw := Raw{Names: map[string]string{InWindow: "--window"}, Values: map[string]string{InWindow: "x", InGitHubToken: "t"}}
	_, err := Validate(raw, runner, false)
	if err == nil || !strings.Contains(err.Error(), "input --window") {
		t.Fatalf("got %v", err)
	}
}

func TestDurationRoundTrip(t *testing.T) {
	for _, s := range []string{"28d", "36h", "90m", "1d"} {
		d, err := ParseDuration(s)
		if err != nil {
			t.Fatal(err)
		}
		if got := FormatDuration(d); got != s {
			t.Errorf("FormatDuration(ParseDuration(%q)) = %q", s, got)
		}
	}
}
