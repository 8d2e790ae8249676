package config

import "github.com/engineering-kpis/engineering-kpis/internal/kpi"

// Input is one input of the action, declared once: the names the runner
// passes (INPUT_*), the CLI's flags, their defaults and usage text all
// come from Inputs, and a test holds action.yml to it.
type Input struct {
	// Name is the input's name in action.yml.
	Name string
	// Default is the value an empty input takes, as action.yml declares
	// it; "" for none.
	Default string
	// ActionDefault, when set, is action.yml's default instead of
	// Default: an expression the runner evaluates (${{ github.token }}).
	ActionDefault string
	// Flag is the CLI flag's name when it differs from Name; "-" when the
	// input has no flag (NoFlag says why).
	Flag string
	// Bool makes the flag a boolean (--allow-partial, not
	// --allow-partial=true).
	Bool bool
	// Usage is the flag's usage text.
	Usage string
	// NoFlag says why an input has no flag; Env, the environment variable
	// the CLI reads it from instead, if any.
	NoFlag, Env string
}

// Inputs are every input of the action, in action.yml's order.
var Inputs = []Input{
	{Name: InGitHubToken, ActionDefault: "${{ github.token }}", Flag: "-", Env: "GITHUB_TOKEN", NoFlag: "GITHUB_TOKEN (or GH_TOKEN) in the environment"},
	{Name: InRepositories, ActionDefault: "${{ github.repository }}", Flag: "repo", Usage: "repository as owner/name, or org:NAME (repeatable, or comma-separated)"},
	{Name: InWindow, Default: DefaultWindow, Usage: "trailing window of the report, 1d to 365d, e.g. 28d, 14d, 36h"},
	{Name: InSLA, Default: DefaultSLA, Usage: "review SLA, 1m to 365d: requests waiting longer are flagged, e.g. 24h"},
	{Name: InExcludeReviewers, Usage: "comma-separated logins or org/team names whose requests and reviews are ignored"},
	{Name: InExcludeAuthors, Usage: "comma-separated logins whose pull requests are ignored"},
	{Name: InExcludeLabels, Usage: "comma-separated labels whose pull requests are ignored"},
	{Name: InBackfill, Default: DefaultBackfill, Usage: "with --out and no history there yet: fill daily snapshots this far back, at most 365d (0d: off)"},
	{Name: InOutputDir, Default: DefaultOutputDir, Flag: "-", NoFlag: "--out DIR writes the files output-dir would hold into DIR"},
	{Name: InBranch, Flag: "-", NoFlag: "a local run commits nothing"},
	{Name: InCommit, Default: "true", Flag: "-", NoFlag: "a local run commits nothing"},
	{Name: InReadme, Flag: "-", NoFlag: "a local run changes no README"},
	{Name: InChartFormat, Default: "png", Usage: "with --out: chart format, png, svg or both"},
	{Name: InDashboard, Default: "false", Bool: true, Usage: "with --out: also write the dashboard page (index.html and dashboard.json) beside the history"},
	{Name: InAsOf, Usage: "measure as of this UTC date (end of day) or RFC 3339 time, not in the future"},
	{Name: InMaxWait, Default: DefaultMaxWait, Usage: "total time to wait on rate limits and back-off, GitHub and Sentry together, at most 6h (0m: never wait)"},
	{Name: InAllowPartial, Default: "false", Bool: true, Usage: "when GitHub fails part-way: print and write the figures marked as incomplete instead of failing"},
	{Name: InOKRFile, Default: DefaultOKRFile, Usage: "with --out or --demo: the local OKR file; a missing default means no OKR section (--demo: the sample's own)"},
	{Name: InWaitClock, Default: kpi.ClockCalendar, Usage: "calendar, or business to count only working hours"},
	{Name: InBusinessHours, Default: "Mon-Fri 09:00-17:00", Usage: "working hours for --wait-clock business"},
	{Name: InTimezone, Default: "UTC", Usage: "IANA time zone of the working hours"},
	{Name: InHolidays, Usage: "public-holiday calendar (US, GB, DE-BY, ...) and/or extra dates (2026-12-24)"},
	{Name: InBreakdown, Usage: "reviewer: also break the wait down per reviewer and team"},
	{Name: InHiddenTeams, Default: HiddenExclude, Usage: "requests for teams the token cannot see: exclude, or infer to estimate their waits"},
	{Name: InSentryToken, Flag: "-", Env: "SENTRY_AUTH_TOKEN", NoFlag: "SENTRY_AUTH_TOKEN in the environment"},
	{Name: InSentryOrg, Usage: "Sentry organization slug (token in SENTRY_AUTH_TOKEN)"},
	{Name: InSentryProjects, Usage: "Sentry project slugs or ids, comma-separated (default: all)"},
	{Name: InSentryEnv, Usage: "Sentry environment, e.g. production"},
	{Name: InSentryQuery, Usage: "extra Sentry search query for error events"},
	{Name: InSentryURL, Default: "https://sentry.io", Usage: "Sentry base URL (self-hosted or regional)"},
	{Name: InSentryRetention, Default: DefaultSentryRetention, Usage: "how many days Sentry keeps the organization's events, e.g. 90d; older days are left out"},
	{Name: InActiveUsers, Usage: "daily active users, always used over Sentry sessions: a number, or a local .csv/.json file of daily counts"},
}

// HasFlag reports whether the input has a CLI flag.
func (in Input) HasFlag() bool { return in.Flag != "-" }

// FlagName is the input's CLI flag, without dashes.
func (in Input) FlagName() string {
	if in.Flag != "" && in.Flag != "-" {
		return in.Flag
	}
	return in.Name
}

// CLIName is how the CLI's errors name the input: its flag, or the
// environment variable it is read from.
func (in Input) CLIName() string {
	switch {
	case in.HasFlag():
		return "--" + in.FlagName()
	case in.Env != "":
		return in.Env + " (environment)"
	}
	return in.Name
}

// inputByName indexes Inputs.
var inputByName = func() map[string]Input {
	m := make(map[string]Input, len(Inputs))
	for _, in := range Inputs {
		m[in.Name] = in
	}
	return m
}()

// defaultOf is the default of the input name.
func defaultOf(name string) string { return inputByName[name].Default }

// Names are the inputs' names, in action.yml's order.
func Names() []string {
	out := make([]string, len(Inputs))
	for i, in := range Inputs {
		out[i] = in.Name
	}
	return out
}

// CLINames maps every input to its CLI name, for errors.
func CLINames() map[string]string {
	m := make(map[string]string, len(Inputs))
	for _, in := range Inputs {
		m[in.Name] = in.CLIName()
	}
	return m
}
