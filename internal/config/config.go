// Package config turns the action's inputs (INPUT_* variables) or the
// CLI's flags, plus the runner's GITHUB_* variables, into a validated
// Config. Every bad value is reported with the name of the input it came
// from, before any API call is made.
package config

import (
	"cmp"
	"errors"
	"fmt"
	"net/url"
	"path"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/engineering-kpis/engineering-kpis/internal/activeusers"
	"github.com/engineering-kpis/engineering-kpis/internal/kpi"
	"github.com/engineering-kpis/engineering-kpis/internal/workhours"
)

// Config is everything one run needs to know.
type Config struct {
	// Repositories are "owner/name" pairs, or "org:NAME" for every
	// non-archived repository of an organisation (expanded at run time).
	Repositories []string
	// Primary is the repository the Sentry figures and the OKR file belong
	// to when several are measured: the workflow's own (GITHUB_REPOSITORY)
	// when measured, else the first.
	Primary string
	// Token authenticates to GitHub. Never printed.
	Token string
	// APIURL is GitHub's REST base URL (GITHUB_API_URL).
	APIURL string
	// GraphQLURL is GitHub's GraphQL URL (GITHUB_GRAPHQL_URL); derived from
	// APIURL when empty.
	GraphQLURL string
	// ServerURL is GitHub's web URL (GITHUB_SERVER_URL).
	ServerURL string

	Window time.Duration
	SLA    time.Duration

	ExcludeReviewers []string
	ExcludeAuthors   []string
	ExcludeLabels    []string

	// AsOf is the moment of measurement; zero means now.
	AsOf time.Time

	// Backfill is how far back a first run fills daily snapshots; 0 turns
	// backfilling off.
	Backfill time.Duration
	// OutputDir is where history.json and the charts live, relative to
	// the repository root ("/"-separated, never escaping it).
	OutputDir string
	// Branch receives the commit; empty means the default branch.
	Branch string
	// Commit commits the files through the API; false writes them into
	// Workspace only.
	Commit bool
	// Dashboard writes the dashboard page (index.html) and its data
	// (dashboard.json) beside the history.
	Dashboard bool
	// Readme is the file whose marked block is updated; empty for none.
	Readme string
	// ChartFormats are the chart formats to write: "png", "svg".
	ChartFormats []string
	// WaitClock is "calendar" or "business".
	WaitClock string
	// Hours, Location and Holidays define the business clock.
	Hours    workhours.Hours
	Location *time.Location
	Holidays workhours.Holidays
	// PerReviewer breaks the review wait down per reviewer and team.
	PerReviewer bool
	// HiddenTeams is what becomes of review requests whose reviewer GitHub
	// hides from the token: "exclude" (counted apart) or "infer"
	// (estimated by docs/definitions.md's "Hidden teams, estimated").
	HiddenTeams string
	// Sentry configures the Sentry KPI; nil when sentry-token and
	// sentry-org are not set.
	Sentry *Sentry
	// AllowPartial records incomplete data marked as such instead of
	// failing.
	AllowPartial bool
	// OKRFile is the OKR file's repository path; a missing file means no
	// OKR tracking.
	OKRFile string
	// MaxWait bounds the total time spent waiting for rate limits and
	// back-off.
	MaxWait time.Duration
	// Workspace is the local checkout (GITHUB_WORKSPACE, or the working
	// directory) that files are read from and written to without Commit.
	Workspace string

	// Demo runs on the embedded sample with no network.
	Demo bool
	// Names maps inputs to the names errors show (the CLI's flags); nil
	// for the action, whose errors use the input names.
	Names map[string]string
	// Out is a directory the CLI writes the run's files to.
	Out string
}

// Defaults of the inputs, as action.yml documents them.
const (
	DefaultWindow    = "28d"
	DefaultSLA       = "24h"
	DefaultBackfill  = "90d"
	DefaultMaxWait   = "10m"
	DefaultOKRFile   = ".github/kpis.yml"
	DefaultOutputDir = ".github/kpis"
)

// InputError is a bad input value.
type InputError struct {
	// Input is the input's name as the user wrote it ("window" or "--window").
	Input string
	Value string
	// Want says what was expected.
	Want string
}

func (e *InputError) Error() string {
	v := e.Value
	if !utf8.ValidString(v) {
		return fmt.Sprintf("input %s is not valid UTF-8: expected %s", e.Input, e.Want)
	}
	if len(v) > 80 {
		v = v[:77] + "..."
	}
	return fmt.Sprintf("input %s: %q is not valid: expected %s", e.Input, v, e.Want)
}

var durationRE = regexp.MustCompile(`^([0-9]{1,6})([dhm])$`)

// ParseDuration parses a duration written as a whole number of days,
// hours or minutes: "28d", "36h", "90m".
func ParseDuration(s string) (time.Duration, error) {
	m := durationRE.FindStringSubmatch(strings.TrimSpace(s))
	if m == nil {
		return 0, errors.New("not a duration")
	}
	n, err := strconv.Atoi(m[1])
	if err != nil {
		return 0, err
	}
	unit := map[string]time.Duration{"d": 24 * time.Hour, "h": time.Hour, "m": time.Minute}[m[2]]
	return time.Duration(n) * unit, nil
}

// FormatDuration writes d the way inputs are written: "28d", "36h", "90m".
func FormatDuration(d time.Duration) string {
	switch {
	case d%(24*time.Hour) == 0:
		return fmt.Sprintf("%dd", d/(24*time.Hour))
	case d%time.Hour == 0:
		return fmt.Sprintf("%dh", d/time.Hour)
	default:
		return fmt.Sprintf("%dm", d/time.Minute)
	}
}

// duration parses a duration input within [lo, hi]; the error gives
// examples that are themselves within the bounds.
func duration(input, value string, lo, hi time.Duration, examples string) (time.Duration, error) {
	want := fmt.Sprintf("a whole number of days, hours or minutes like %s, from %s to %s", examples, FormatDuration(lo), FormatDuration(hi))
	if lo == 0 {
		want = fmt.Sprintf("a whole number of days, hours or minutes like %s, at most %s", examples, FormatDuration(hi))
	}
	d, err := ParseDuration(value)
	if err != nil || d < lo || d > hi {
		return 0, &InputError{Input: input, Value: value, Want: want}
	}
	return d, nil
}

var (
	ownerRE = regexp.MustCompile(`^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})$`)
	repoRE  = regexp.MustCompile(`^[A-Za-z0-9._-]{1,100}$`)
	loginRE = regexp.MustCompile(`^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})(?:\[bot\])?$`)
	teamRE  = regexp.MustCompile(`^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})/[A-Za-z0-9._-]{1,100}$`)
)

// SplitList splits a list input written one item per line or separated by
// commas, trimming blanks and dropping empty items.
func SplitList(s string) []string {
	var out []string
	for _, line := range strings.Split(s, "\n") {
		for _, item := range strings.Split(line, ",") {
			if item = strings.TrimSpace(item); item != "" {
				out = append(out, item)
			}
		}
	}
	return out
}

func repositories(input, value string) ([]string, error) {
	items := SplitList(value)
	if len(items) == 0 {
		return nil, &InputError{Input: input, Value: value, Want: "at least one repository as owner/name, or org:NAME"}
	}
	seen := map[string]bool{}
	var out []string
	for _, it := range items {
		if org, ok := strings.CutPrefix(it, "org:"); ok {
			if !ownerRE.MatchString(org) {
				return nil, &InputError{Input: input, Value: it, Want: "org:NAME with an organisation login, e.g. org:octo-org"}
			}
			if k := "org:" + strings.ToLower(org); !seen[k] {
				seen[k] = true
				out = append(out, "org:"+org)
			}
			continue
		}
		owner, name, ok := strings.Cut(it, "/")
		if !ok || !ownerRE.MatchString(owner) || !repoRE.MatchString(name) || name == "." || name == ".." {
			return nil, &InputError{Input: input, Value: it, Want: "owner/name, e.g. octo-org/octo-repo"}
		}
		if k := strings.ToLower(it); !seen[k] {
			seen[k] = true
			out = append(out, it)
		}
	}
	return out, nil
}

func logins(input, value string, teams bool) ([]string, error) {
	var out []string
	for _, it := range SplitList(value) {
		it = strings.TrimPrefix(it, "@")
		if loginRE.MatchString(it) || (teams && teamRE.MatchString(it)) {
			out = append(out, it)
			continue
		}
		want := "a list of GitHub logins, e.g. dependabot[bot], alice"
		if teams {
			want = "a list of GitHub logins or org/team names, e.g. dependabot[bot], alice, octo-org/platform"
		}
		return nil, &InputError{Input: input, Value: it, Want: want}
	}
	return out, nil
}

func labels(input, value string) ([]string, error) {
	out := SplitList(value)
	for _, l := range out {
		if !utf8.ValidString(l) || len(l) > 100 {
			return nil, &InputError{Input: input, Value: l, Want: "a list of label names of at most 100 characters"}
		}
	}
	return out, nil
}

// Bounds of the duration inputs, as action.yml and the README state them
// (TestLimitsAreDocumented keeps them in step).
const (
	day         = 24 * time.Hour
	MinWindow   = day
	MaxWindow   = 365 * day
	MinSLA      = time.Minute
	MaxSLA      = 365 * day
	MaxBackfill = 365 * day
	MaxMaxWait  = 6 * time.Hour
)

// repoPath checks a path inside the repository: relative, "/"-separated,
// never escaping the repository root.
func repoPath(input, value string) (string, error) {
	p := strings.TrimSpace(value)
	want := "a relative path inside the repository, like .github/kpis"
	if p == "" || strings.HasPrefix(p, "/") || strings.Contains(p, "\\") || strings.ContainsAny(p, "\x00\n\r:*?\"<>|") || len(p) > 255 {
		return "", &InputError{Input: input, Value: value, Want: want}
	}
	clean := path.Clean(p)
	if clean == "." || clean == ".." || strings.HasPrefix(clean, "../") || strings.HasPrefix(clean, ".git/") || clean == ".git" {
		return "", &InputError{Input: input, Value: value, Want: want}
	}
	return clean, nil
}

var branchRE = regexp.MustCompile(`^[A-Za-z0-9._/-]{1,200}$`)

func validBranch(b string) bool {
	b = strings.TrimPrefix(b, "refs/heads/")
	return branchRE.MatchString(b) && !strings.Contains(b, "..") && !strings.HasPrefix(b, "/") &&
		!strings.HasSuffix(b, "/") && !strings.HasSuffix(b, ".lock") && !strings.HasPrefix(b, "-") && !strings.Contains(b, "//")
}

// Raw is the unvalidated text of every input, keyed by input name.
type Raw struct {
	// Names maps an input to the name to show in errors ("window" for
	// the action, "--window" for the CLI).
	Names  map[string]string
	Values map[string]string
	// Now, when set, is the time of the run: an as-of after it is
	// refused.
	Now time.Time
	// LocalFiles says that the run is local (the CLI): okr-file and
	// active-users name files on the local disk, not paths inside the
	// repository, and nothing is committed.
	LocalFiles bool
	// Out is the directory a local run writes its files to (--out); ""
	// writes none.
	Out string
}

func (r Raw) name(input string) string {
	if n, ok := r.Names[input]; ok {
		return n
	}
	return input
}

// The values of hidden-team-requests.
const (
	HiddenExclude = "exclude"
	HiddenInfer   = "infer"
)

// Name is the name errors give input: the input's own for the action, the
// flag (or environment variable) for the CLI.
func (c *Config) Name(input string) string { return Raw{Names: c.Names}.name(input) }

// Input names.
const (
	InGitHubToken      = "github-token"
	InRepositories     = "repositories"
	InWindow           = "window"
	InSLA              = "sla"
	InExcludeReviewers = "exclude-reviewers"
	InExcludeAuthors   = "exclude-authors"
	InExcludeLabels    = "exclude-labels"
	InAsOf             = "as-of"
	InMaxWait          = "max-wait"
	InOKRFile          = "okr-file"
	InWaitClock        = "wait-clock"
	InBusinessHours    = "business-hours"
	InTimezone         = "timezone"
	InHolidays         = "holidays"
	InBreakdown        = "breakdown"
	InHiddenTeams      = "hidden-team-requests"
	InSentryToken      = "sentry-token"
	InSentryOrg        = "sentry-org"
	InSentryProjects   = "sentry-projects"
	InSentryEnv        = "sentry-environment"
	InSentryQuery      = "sentry-query"
	InSentryURL        = "sentry-url"
	InSentryRetention  = "sentry-retention"
	InActiveUsers      = "active-users"
	InAllowPartial     = "allow-partial"
	InBackfill         = "backfill"
	InOutputDir        = "output-dir"
	InBranch           = "branch"
	InCommit           = "commit"
	InReadme           = "readme"
	InChartFormat      = "chart-format"
	InDashboard        = "dashboard"
)

// Validate checks every input of r and returns the Config, or the first
// bad input found. getenv supplies the GITHUB_* variables.
func Validate(r Raw, getenv func(string) string, demo bool) (*Config, error) {
	c := &Config{Demo: demo, Names: r.Names}
	// v is an input's value, or its default (Inputs) when empty.
	v := func(in string) string {
		s := r.Values[in]
		if strings.TrimSpace(s) == "" {
			return defaultOf(in)
		}
		return s
	}
	for in, s := range r.Values {
		if !utf8.ValidString(s) {
			return nil, &InputError{Input: r.name(in), Value: s, Want: "valid UTF-8 text"}
		}
		if len(s) > 64<<10 {
			return nil, &InputError{Input: r.name(in), Value: s, Want: "at most 64 KiB of text"}
		}
	}
	var err error
	if c.Window, err = duration(r.name(InWindow), v(InWindow), MinWindow, MaxWindow, "28d, 14d or 36h"); err != nil {
		return nil, err
	}
	if c.SLA, err = duration(r.name(InSLA), v(InSLA), MinSLA, MaxSLA, "24h, 2d or 90m"); err != nil {
		return nil, err
	}
	if c.ExcludeReviewers, err = logins(r.name(InExcludeReviewers), v(InExcludeReviewers), true); err != nil {
		return nil, err
	}
	if c.ExcludeAuthors, err = logins(r.name(InExcludeAuthors), v(InExcludeAuthors), false); err != nil {
		return nil, err
	}
	if c.ExcludeLabels, err = labels(r.name(InExcludeLabels), v(InExcludeLabels)); err != nil {
		return nil, err
	}
	if s := strings.TrimSpace(r.Values[InAsOf]); s != "" {
		if c.AsOf, err = parseAsOf(s); err != nil {
			return nil, &InputError{Input: r.name(InAsOf), Value: s, Want: "a UTC date (2026-11-25, meaning the end of that day) or an RFC 3339 time (2026-11-25T12:00:00Z)"}
		}
		// The end of today is allowed: it is today's report.
		if !r.Now.IsZero() && c.AsOf.After(r.Now) && kpi.DateOf(c.AsOf) != kpi.DateOf(r.Now) {
			return nil, &InputError{Input: r.name(InAsOf), Value: s, Want: "a moment that is not in the future (it is " + r.Now.UTC().Format(time.RFC3339) + " now)"}
		}
	}
	if c.Backfill, err = duration(r.name(InBackfill), v(InBackfill), 0, MaxBackfill, "90d or 30d"); err != nil {
		return nil, err
	}
	if c.MaxWait, err = duration(r.name(InMaxWait), v(InMaxWait), 0, MaxMaxWait, "10m or 1h"); err != nil {
		return nil, err
	}
	if c.OutputDir, err = repoPath(r.name(InOutputDir), v(InOutputDir)); err != nil {
		return nil, err
	}
	switch strings.ToLower(v(InWaitClock)) {
	case kpi.ClockCalendar:
		c.WaitClock = kpi.ClockCalendar
	case kpi.ClockBusiness:
		c.WaitClock = kpi.ClockBusiness
	default:
		return nil, &InputError{Input: r.name(InWaitClock), Value: r.Values[InWaitClock], Want: "calendar or business"}
	}
	if c.Hours, err = workhours.ParseHours(v(InBusinessHours)); err != nil {
		return nil, &InputError{Input: r.name(InBusinessHours), Value: r.Values[InBusinessHours], Want: "working hours like Mon-Fri 09:00-17:00 (" + err.Error() + ")"}
	}
	if c.Location, err = workhours.LoadLocation(strings.TrimSpace(v(InTimezone))); err != nil {
		return nil, &InputError{Input: r.name(InTimezone), Value: r.Values[InTimezone], Want: "an IANA time zone name like Europe/Berlin or America/New_York"}
	}
	if c.Holidays, err = workhours.ParseHolidays(v(InHolidays)); err != nil {
		return nil, &InputError{Input: r.name(InHolidays), Value: r.Values[InHolidays], Want: "a country or region code like US, GB or DE-BY, and/or dates like 2026-12-24 (" + err.Error() + ")"}
	}
	switch strings.ToLower(strings.TrimSpace(r.Values[InBreakdown])) {
	case "", "none":
	case "reviewer":
		c.PerReviewer = true
	default:
		return nil, &InputError{Input: r.name(InBreakdown), Value: r.Values[InBreakdown], Want: "reviewer, or empty for no per-person figures"}
	}
	switch h := strings.ToLower(strings.TrimSpace(v(InHiddenTeams))); h {
	case HiddenExclude, HiddenInfer:
		c.HiddenTeams = h
	default:
		return nil, &InputError{Input: r.name(InHiddenTeams), Value: r.Values[InHiddenTeams], Want: "exclude (count requests for teams the token cannot see apart) or infer (estimate their waits)"}
	}
	switch strings.ToLower(v(InAllowPartial)) {
	case "true":
		c.AllowPartial = true
	case "false":
	default:
		return nil, &InputError{Input: r.name(InAllowPartial), Value: r.Values[InAllowPartial], Want: "true or false"}
	}
	if c.Sentry, err = sentry(r, v, demo); err != nil {
		return nil, err
	}
	if r.LocalFiles {
		c.OKRFile = strings.TrimSpace(v(InOKRFile))
	} else if c.OKRFile, err = repoPath(r.name(InOKRFile), v(InOKRFile)); err != nil {
		return nil, err
	}
	if s := strings.TrimSpace(r.Values[InReadme]); s != "" {
		if c.Readme, err = repoPath(r.name(InReadme), s); err != nil {
			return nil, err
		}
	}
	if b := strings.TrimSpace(r.Values[InBranch]); b != "" {
		if !validBranch(b) {
			return nil, &InputError{Input: r.name(InBranch), Value: b, Want: "a branch name such as main (empty for the default branch)"}
		}
		c.Branch = strings.TrimPrefix(b, "refs/heads/")
	}
	switch strings.ToLower(v(InCommit)) {
	case "true":
		c.Commit = true
	case "false":
		c.Commit = false
	default:
		return nil, &InputError{Input: r.name(InCommit), Value: r.Values[InCommit], Want: "true or false"}
	}
	switch strings.ToLower(strings.TrimSpace(v(InDashboard))) {
	case "true":
		c.Dashboard = true
	case "false":
	default:
		return nil, &InputError{Input: r.name(InDashboard), Value: r.Values[InDashboard], Want: "true or false"}
	}
	switch strings.ToLower(v(InChartFormat)) {
	case "png":
		c.ChartFormats = []string{"png"}
	case "svg":
		c.ChartFormats = []string{"svg"}
	case "both":
		c.ChartFormats = []string{"png", "svg"}
	default:
		return nil, &InputError{Input: r.name(InChartFormat), Value: r.Values[InChartFormat], Want: "png, svg or both"}
	}
	if r.LocalFiles {
		// A local run commits nothing and writes its files to the top of
		// --out.
		c.Commit, c.Out, c.OutputDir = false, r.Out, ""
		if c.Dashboard && c.Out == "" {
			return nil, &InputError{Input: r.name(InDashboard), Value: "true", Want: "--out DIR too: the dashboard is index.html and dashboard.json written there"}
		}
	}
	if c.Repositories, err = repositories(r.name(InRepositories), cmp.Or(strings.TrimSpace(r.Values[InRepositories]), getenv("GITHUB_REPOSITORY"))); err != nil {
		return nil, err
	}
	if demo {
		return c, nil
	}
	c.Token = strings.TrimSpace(r.Values[InGitHubToken])
	if c.Token == "" {
		return nil, &InputError{Input: r.name(InGitHubToken), Value: "", Want: "a GitHub token (the default ${{ github.token }} works for the workflow's own repository)"}
	}
	if strings.ContainsAny(c.Token, " \t\r\n") {
		return nil, &InputError{Input: r.name(InGitHubToken), Value: "(hidden)", Want: "a single token with no spaces or line breaks"}
	}
	c.APIURL = getenv("GITHUB_API_URL")
	c.GraphQLURL = getenv("GITHUB_GRAPHQL_URL")
	c.ServerURL = getenv("GITHUB_SERVER_URL")
	c.Workspace = getenv("GITHUB_WORKSPACE")
	c.Primary = getenv("GITHUB_REPOSITORY")
	for name, u := range map[string]string{"GITHUB_API_URL": c.APIURL, "GITHUB_GRAPHQL_URL": c.GraphQLURL, "GITHUB_SERVER_URL": c.ServerURL} {
		if u != "" && !strings.HasPrefix(u, "https://") && !strings.HasPrefix(u, "http://") {
			return nil, &InputError{Input: name, Value: u, Want: "an http(s) URL"}
		}
	}
	return c, nil
}

// Sentry is the Sentry part of a Config.
type Sentry struct {
	Token       string
	Org         string
	Projects    []string
	Environment string
	Query       string
	URL         string
	// ActiveUsers is the active-users input: a number or a file path.
	ActiveUsers string
	// Retention is how long Sentry keeps the organization's events
	// (sentry-retention): days older than that are never asked for.
	Retention time.Duration
}

// DefaultSentryRetention is the sentry-retention default: the shortest
// retention of Sentry's plans.
const DefaultSentryRetention = "30d"

// maxSentryRetention bounds sentry-retention: Sentry's longest plans keep
// events for 13 months.
const maxSentryRetention = 400 * day

var (
	sentrySlugRE = regexp.MustCompile(`^[a-z0-9][a-z0-9_-]{0,49}$`)
	projectRE    = regexp.MustCompile(`^([0-9]{1,20}|[a-z0-9][a-z0-9_-]{0,99})$`)
)

func sentry(r Raw, v func(in string) string, demo bool) (*Sentry, error) {
	token := strings.TrimSpace(r.Values[InSentryToken])
	org := strings.TrimSpace(r.Values[InSentryOrg])
	rest := []string{InSentryProjects, InSentryEnv, InSentryQuery, InActiveUsers}
	// Checked even without Sentry: action.yml always passes its default.
	ret := v(InSentryRetention)
	retention, err := ParseDuration(ret)
	if err != nil || retention < day || retention > maxSentryRetention || retention%day != 0 {
		return nil, &InputError{Input: r.name(InSentryRetention), Value: ret, Want: "how many days Sentry keeps the organization's events, a whole number of days like 30d or 90d, from 1d to 400d"}
	}
	if demo {
		// The demo brings its own Sentry data; active-users overrides its
		// users as it would a real run's sessions.
		au, err := activeUsersValue(r)
		return &Sentry{Org: org, URL: defaultOf(InSentryURL), Retention: retention, ActiveUsers: au}, err
	}
	if token == "" && org == "" {
		for _, in := range rest {
			if strings.TrimSpace(r.Values[in]) != "" {
				return nil, &InputError{Input: r.name(in), Value: r.Values[in], Want: fmt.Sprintf("to be used with %s and %s, which are not set", r.name(InSentryToken), r.name(InSentryOrg))}
			}
		}
		return nil, nil
	}
	if token == "" {
		return nil, &InputError{Input: r.name(InSentryToken), Value: "", Want: fmt.Sprintf("a Sentry auth token with org:read and event:read (as a secret) when %s is set", r.name(InSentryOrg))}
	}
	if strings.ContainsAny(token, " \t\r\n") {
		return nil, &InputError{Input: r.name(InSentryToken), Value: "(hidden)", Want: "a single token with no spaces or line breaks"}
	}
	if !sentrySlugRE.MatchString(org) {
		return nil, &InputError{Input: r.name(InSentryOrg), Value: org, Want: "the organization slug, e.g. acme (as in https://acme.sentry.io or sentry.io/organizations/acme/)"}
	}
	s := &Sentry{Token: token, Org: org, Retention: retention, Environment: strings.TrimSpace(r.Values[InSentryEnv]), Query: strings.TrimSpace(r.Values[InSentryQuery])}
	for _, p := range SplitList(r.Values[InSentryProjects]) {
		if !projectRE.MatchString(p) {
			return nil, &InputError{Input: r.name(InSentryProjects), Value: p, Want: "project slugs or numeric ids, comma-separated"}
		}
		s.Projects = append(s.Projects, p)
	}
	s.URL = strings.TrimSuffix(strings.TrimSpace(v(InSentryURL)), "/")
	if u, err := url.Parse(s.URL); err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || u.User != nil {
		return nil, &InputError{Input: r.name(InSentryURL), Value: s.URL, Want: "the Sentry base URL, e.g. https://sentry.io, https://us.sentry.io or https://sentry.example.com"}
	}
	if s.ActiveUsers, err = activeUsersValue(r); err != nil {
		return nil, err
	}
	return s, nil
}

// activeUsersValue checks the active-users input: a number, or the path
// of a .csv or .json file (inside the repository, or any local file for
// the CLI).
func activeUsersValue(r Raw) (string, error) {
	au := strings.TrimSpace(r.Values[InActiveUsers])
	if au == "" || activeusers.IsNumber(au) {
		return au, nil
	}
	where := "in the repository"
	if r.LocalFiles {
		where = "on this machine"
	}
	bad := &InputError{Input: r.name(InActiveUsers), Value: au, Want: "a number of daily users, or the path of a .csv or .json file " + where}
	if !r.LocalFiles {
		if _, err := repoPath(r.name(InActiveUsers), au); err != nil {
			return "", bad
		}
	}
	if ext := strings.ToLower(path.Ext(au)); ext != ".csv" && ext != ".json" {
		return "", bad
	}
	return au, nil
}

// WorkspaceRoot is the workspace directory: GITHUB_WORKSPACE, or the
// working directory.
func (c *Config) WorkspaceRoot() string {
	if c.Workspace == "" {
		return "."
	}
	return c.Workspace
}

// Clock is the wait clock the config asks for.
func (c *Config) Clock() kpi.Clock {
	if c.WaitClock == kpi.ClockBusiness {
		return workhours.New(c.Hours, c.Location, c.Holidays)
	}
	return kpi.CalendarClock{}
}

// parseAsOf reads a date (meaning the end of that UTC day) or a time.
func parseAsOf(s string) (time.Time, error) {
	if d, err := time.Parse(time.DateOnly, s); err == nil {
		return d.Add(day), nil
	}
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		return time.Time{}, err
	}
	return t.UTC(), nil
}
