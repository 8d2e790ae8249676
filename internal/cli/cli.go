// Package cli is the program's front door: it decides whether it runs as
// the GitHub Action (INPUT_* variables) or as a command line tool (flags),
// builds the Config and the adapters, runs the job and delivers its
// results (job summary and step outputs, or stdout and files).
package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/sethvargo/go-githubactions"

	"github.com/engineering-kpis/engineering-kpis/internal/action"
	"github.com/engineering-kpis/engineering-kpis/internal/activeusers"
	"github.com/engineering-kpis/engineering-kpis/internal/config"
	"github.com/engineering-kpis/engineering-kpis/internal/demo"
	"github.com/engineering-kpis/engineering-kpis/internal/githubapi"
	"github.com/engineering-kpis/engineering-kpis/internal/kpi"
	"github.com/engineering-kpis/engineering-kpis/internal/publish"
	"github.com/engineering-kpis/engineering-kpis/internal/sentryapi"
	"github.com/engineering-kpis/engineering-kpis/internal/wait"
)

// Env is the process's surroundings, injected so tests never touch the
// real environment.
type Env struct {
	Args   []string
	Getenv func(string) string
	Stdout io.Writer
	Stderr io.Writer
	Now    func() time.Time
	// HTTP supplies the transport for API calls; nil means the default.
	HTTP *http.Client
	// Sleep waits between retries; nil means a real sleep.
	Sleep   func(ctx context.Context, d time.Duration) error
	Version string
}

// ErrUsage is returned after a usage message was printed for bad flags.
var ErrUsage = errors.New("bad usage")

// Main runs the program and returns its error; the caller prints it and
// exits 1.
func Main(ctx context.Context, env Env) error {
	if len(env.Args) == 0 && inRunner(env.Getenv) {
		return runAction(ctx, env)
	}
	return runCLI(ctx, env)
}

// inRunner reports whether the process runs as an action: the runner sets
// GITHUB_ACTIONS, and always passes the file commands and the inputs that
// have defaults.
func inRunner(getenv func(string) string) bool {
	return getenv("GITHUB_ACTIONS") == "true" || getenv("GITHUB_OUTPUT") != "" ||
		getenv("INPUT_GITHUB-TOKEN") != "" || getenv("INPUT_REPOSITORIES") != ""
}

func runAction(ctx context.Context, env Env) error {
	gha := githubactions.New(githubactions.WithGetenv(env.Getenv), githubactions.WithWriter(env.Stdout))
	// Mask the token before anything else is printed.
	for _, in := range []string{config.InGitHubToken, config.InSentryToken} {
		if tok := gha.GetInput(in); tok != "" {
			gha.AddMask(tok)
		}
	}
	raw := config.Raw{Values: map[string]string{}, Now: env.Now()}
	for _, in := range config.Inputs {
		raw.Values[in.Name] = gha.GetInput(in.Name)
	}
	cfg, err := config.Validate(raw, env.Getenv, false)
	if err != nil {
		return err
	}
	log := runnerLog{gha}
	budget := waitBudget(cfg, env)
	client := newClient(cfg, env, log.Infof, budget)
	deps := action.Deps{Now: env.Now, Log: log, Sleep: env.Sleep}
	if deps.Sleep == nil {
		deps.Sleep = wait.Sleep
	}
	useGitHub(&deps, client)
	if cfg.Sentry != nil {
		useSentry(&deps, newSentry(cfg, env, budget))
	}
	if err := attachStore(ctx, cfg, env, client, &deps); err != nil {
		return err
	}
	res, err := action.Run(ctx, cfg, deps)
	if err != nil {
		if res != nil && res.Summary != "" && env.Getenv("GITHUB_STEP_SUMMARY") != "" {
			// The summary says what is incomplete; nothing else is written.
			gha.AddStepSummary(fitSummary(res.Summary))
		}
		return err
	}
	gha.Infof("GitHub API: %s", client.Stats)
	if res.OKRReport != nil && cfg.Commit {
		// A later step reads the report from the workspace.
		if _, err := (publish.Dir{Root: cfg.WorkspaceRoot()}).Write(ctx, "", publish.Files{res.Outputs["okr-report"]: res.OKRReport}, ""); err != nil {
			gha.Warningf("could not write the OKR report into the workspace: %v", err)
		}
	}
	if env.Getenv("GITHUB_STEP_SUMMARY") != "" {
		gha.AddStepSummary(fitSummary(res.Summary))
	} else {
		gha.Infof("GITHUB_STEP_SUMMARY is not set: no job summary written")
	}
	if env.Getenv("GITHUB_OUTPUT") != "" {
		for _, k := range sortedKeys(res.Outputs) {
			gha.SetOutput(k, res.Outputs[k])
		}
	} else {
		gha.Infof("GITHUB_OUTPUT is not set: no step outputs written")
	}
	return nil
}

const usage = `Usage: engineering-kpis [flags]

Computes engineering KPIs (review request wait, and Sentry error events per
active user per day) from GitHub and Sentry and prints the
Markdown report. In a GitHub Actions workflow the same binary reads its
inputs from INPUT_* variables instead of flags.

  engineering-kpis --demo                 run on the embedded sample, no token or network
  engineering-kpis --repo owner/name      needs a token in GITHUB_TOKEN (or GH_TOKEN)

Flags (each is the action input of the same name, except --repo for
repositories; --demo, --out and --version are the CLI's own):
`

// usageFooter names the inputs that have no flag, and why.
func usageFooter() string {
	var b strings.Builder
	b.WriteString("\nInputs without a flag:\n")
	for _, in := range config.Inputs {
		if !in.HasFlag() {
			fmt.Fprintf(&b, "  %-14s %s\n", in.Name, in.NoFlag)
		}
	}
	return b.String()
}

// usageError prints one line and a hint, not the whole usage.
func usageError(w io.Writer, format string, args ...any) error {
	fmt.Fprintf(w, "engineering-kpis: "+format+"\nRun 'engineering-kpis --help' for the flags.\n", args...)
	return ErrUsage
}

func runCLI(ctx context.Context, env Env) error {
	fs := flag.NewFlagSet("engineering-kpis", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	var (
		repos    multi
		values   = map[string]*string{}
		demoFlag = fs.Bool("demo", false, "run on the embedded sample data set: no token, no network")
		out      = fs.String("out", "", "also write the files a real run would write into this directory (nothing is committed)")
		version  = fs.Bool("version", false, "print the version and exit")
	)
	for _, in := range config.Inputs {
		if !in.HasFlag() {
			continue
		}
		v := new(string)
		values[in.Name] = v
		switch {
		case in.Name == config.InRepositories:
			fs.Var(&repos, in.FlagName(), in.Usage)
		case in.Bool:
			fs.BoolFunc(in.FlagName(), in.Usage, func(s string) error { *v = s; return nil })
		default:
			fs.StringVar(v, in.FlagName(), in.Default, in.Usage)
		}
	}
	if err := fs.Parse(env.Args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			fs.SetOutput(env.Stdout)
			fmt.Fprint(env.Stdout, usage)
			fs.PrintDefaults()
			fmt.Fprint(env.Stdout, usageFooter())
			return nil
		}
		return usageError(env.Stderr, "%v", err)
	}
	if fs.NArg() > 0 {
		return usageError(env.Stderr, "unexpected argument %q (flags come as --name value)", fs.Arg(0))
	}
	if *version {
		fmt.Fprintf(env.Stdout, "engineering-kpis %s\n", env.Version)
		return nil
	}
	if !*demoFlag && len(repos) == 0 {
		return usageError(env.Stderr, "give --repo owner/name (with a token in GITHUB_TOKEN), or --demo")
	}
	given := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { given[f.Name] = true })
	token := env.Getenv("GITHUB_TOKEN")
	if token == "" {
		token = env.Getenv("GH_TOKEN")
	}
	now := env.Now
	if *demoFlag {
		// The sample's own "now", so a demo run is reproducible.
		now = demo.Now
	}
	raw := config.Raw{Names: config.CLINames(), Values: map[string]string{}, Now: now(), LocalFiles: true, Out: *out}
	for in, v := range values {
		raw.Values[in] = *v
	}
	raw.Values[config.InRepositories] = strings.Join(repos, ",")
	raw.Values[config.InGitHubToken] = token
	raw.Values[config.InSentryToken] = sentryToken(env.Getenv, raw.Values[config.InSentryOrg])
	if *demoFlag {
		// The sample's repository and Sentry organisation, as of its own
		// "now" unless --as-of says otherwise.
		raw.Values[config.InRepositories] = demo.Repository
		raw.Values[config.InSentryOrg] = demo.SentryOrg
		if !given[config.InOKRFile] {
			raw.Values[config.InOKRFile] = demo.OKRPath
		}
		if strings.TrimSpace(raw.Values[config.InAsOf]) == "" {
			raw.Values[config.InAsOf] = demo.Now().Format(time.RFC3339)
		}
	}
	cfg, err := config.Validate(raw, env.Getenv, *demoFlag)
	if err != nil {
		return err
	}
	log := stderrLog{env.Stderr}
	deps := action.Deps{Now: now, Log: log, Inputs: publish.Files{}}
	var client *githubapi.Client
	if cfg.Demo {
		deps.Source = demoSource{}
		errs := &demo.Errors{}
		deps.Errors, deps.Users = errs, errs
	} else {
		budget := waitBudget(cfg, env)
		client = newClient(cfg, env, log.Infof, budget)
		useGitHub(&deps, client)
		if cfg.Sentry != nil {
			useSentry(&deps, newSentry(cfg, env, budget))
		}
	}
	if err := readInputs(cfg, given[config.InOKRFile], deps.Inputs); err != nil {
		return err
	}
	// The files a run writes go to the top of --out (Validate leaves
	// OutputDir empty); without it, the demo keeps them in memory and a
	// real run keeps nothing.
	switch {
	case cfg.Out != "":
		deps.Store = publish.Dir{Root: cfg.Out}
	case cfg.Demo:
		deps.Store = &publish.Mem{}
		deps.Ephemeral = true
	}
	res, err := action.Run(ctx, cfg, deps)
	if err != nil {
		return err
	}
	if client != nil {
		log.Infof("GitHub API: %s", client.Stats)
	}
	if cfg.Out != "" {
		files := "nothing changed"
		if len(res.Published.Changed) > 0 {
			files = strings.Join(action.ListFiles(cfg, res.Published.Changed), ", ")
		}
		log.Infof("Wrote %d files to %s: %s", len(res.Published.Changed), cfg.Out, files)
	}

	_, err = io.WriteString(env.Stdout, res.Summary)
	return err
}

// readInputs reads the CLI's input files from the local disk into files:
// the OKR file (the demo's own unless --okr-file is given; a missing
// default file means no OKR section) and an active-users file.
func readInputs(cfg *config.Config, okrGiven bool, files publish.Files) error {
	switch {
	case cfg.Demo && !okrGiven:
		files[cfg.OKRFile] = demo.OKRFile()
	default:
		data, err := os.ReadFile(cfg.OKRFile)
		switch {
		case err == nil:
			files[cfg.OKRFile] = data
		case errors.Is(err, os.ErrNotExist) && !okrGiven:
			// No OKR file: no OKR section, as in the action.
		default:
			return fmt.Errorf("input %s: %w", cfg.Name(config.InOKRFile), err)
		}
	}
	if cfg.Sentry != nil && cfg.Sentry.ActiveUsers != "" && !activeusers.IsNumber(cfg.Sentry.ActiveUsers) {
		data, err := os.ReadFile(cfg.Sentry.ActiveUsers)
		if err != nil {
			return fmt.Errorf("input %s: %w", cfg.Name(config.InActiveUsers), err)
		}
		files[cfg.Sentry.ActiveUsers] = data
	}
	return nil
}

// newClient builds the GitHub client: every request, GraphQL or REST, goes
// through one Retrier (rate limits, back-off, one request in flight).
func newClient(cfg *config.Config, env Env, logf func(string, ...any), budget *wait.Budget) *githubapi.Client {
	var next http.RoundTripper
	if env.HTTP != nil {
		next = env.HTTP.Transport
	}
	retrier := &githubapi.Retrier{Next: next, Now: env.Now, Budget: budget, Log: logf}
	hc := &http.Client{Transport: retrier}
	return &githubapi.Client{
		Endpoint:    githubapi.GraphQLEndpoint(cfg.APIURL, cfg.GraphQLURL),
		Token:       cfg.Token,
		HTTP:        hc,
		Retrier:     retrier,
		UserAgent:   "engineering-kpis/" + env.Version,
		FetchLabels: len(cfg.ExcludeLabels) > 0,
		Log:         logf,
	}
}

type demoSource struct{}

func (demoSource) PullRequests(_ context.Context, _ string, _ time.Time) ([]kpi.PullRequest, error) {
	return demo.PullRequests()
}

type stderrLog struct{ w io.Writer }

func (l stderrLog) Infof(format string, args ...any) { fmt.Fprintf(l.w, format+"\n", args...) }

func (l stderrLog) Warningf(format string, args ...any) {
	fmt.Fprintf(l.w, "warning: "+format+"\n", args...)
}

type multi []string

func (m *multi) String() string { return strings.Join(*m, ",") }
func (m *multi) Set(s string) error {
	*m = append(*m, s)
	return nil
}

func sortedKeys(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// PrintError reports err: as an ::error:: workflow command in the Actions
// runner (escaped, so the message cannot inject another command), on
// stderr otherwise.
func PrintError(stdout, stderr io.Writer, getenv func(string) string, err error) {
	if inRunner(getenv) {
		gha := githubactions.New(githubactions.WithGetenv(getenv), githubactions.WithWriter(stdout))
		gha.Errorf("%s", err.Error())
		return
	}
	fmt.Fprintf(stderr, "engineering-kpis: %v\n", err)
}

// attachStore gives an action run the place its files go: the target
// branch through the API (commit: true), or the workspace.
func attachStore(ctx context.Context, cfg *config.Config, env Env, client *githubapi.Client, deps *action.Deps) error {
	if !cfg.Commit {
		root := cfg.WorkspaceRoot()
		if _, err := os.Stat(filepath.Join(root, ".git")); err != nil {
			deps.Log.Warningf("commit is false and %s is not a git checkout: the history is read from and written to it as it is (add actions/checkout before this step to keep the history across runs)", root)
		}
		deps.Store = publish.Dir{Root: root}
		return nil
	}
	target := env.Getenv("GITHUB_REPOSITORY")
	if target == "" {
		target = cfg.Repositories[0]
	}
	owner, name, _ := strings.Cut(target, "/")
	rest, err := githubapi.NewREST(client.HTTP, cfg.APIURL, cfg.Token, client.UserAgent)
	if err != nil {
		return err
	}
	b := &githubapi.Branch{REST: rest, GraphQL: client, Owner: owner, Name: name, Branch: cfg.Branch}
	if b.Branch == "" {
		if b.Branch, err = b.DefaultBranch(ctx); err != nil {
			return err
		}
	}
	deps.Store = b
	server := strings.TrimSuffix(cfg.ServerURL, "/")
	if server == "" {
		server = "https://github.com"
	}
	deps.FileURL = func(version, p string) string {
		if p == "" {
			return fmt.Sprintf("%s/%s/commit/%s", server, target, version)
		}
		return fmt.Sprintf("%s/%s/blob/%s/%s", server, target, version, p)
	}
	return nil
}

// useGitHub makes client the run's pull-request source, with all it can
// do: incremental fetches, organisation listing, team access.
func useGitHub(deps *action.Deps, client *githubapi.Client) {
	deps.Source, deps.Changed, deps.Lister, deps.Teams = client, client, client, client
}

// useSentry makes src the run's Sentry source, with all it can do:
// active users instead of sessions, and the first day Sentry holds.
func useSentry(deps *action.Deps, src *sentryapi.Source) {
	deps.Errors, deps.Users, deps.Held = src, src, src
}

// waitBudget is the run's one max-wait allowance, shared by the GitHub and
// Sentry clients: together they never wait longer than max-wait, and
// max-wait: 0m means no waiting at all.
func waitBudget(cfg *config.Config, env Env) *wait.Budget {
	return &wait.Budget{Max: cfg.MaxWait, Sleep: env.Sleep}
}

// newSentry builds the Sentry source of the run.
func newSentry(cfg *config.Config, env Env, budget *wait.Budget) *sentryapi.Source {
	hc := &http.Client{Timeout: 60 * time.Second}
	if env.HTTP != nil && env.HTTP.Transport != nil {
		hc.Transport = env.HTTP.Transport
	}
	c := &sentryapi.Client{BaseURL: cfg.Sentry.URL, Token: cfg.Sentry.Token, HTTP: hc, Now: env.Now, Budget: budget}
	return &sentryapi.Source{Client: c, Org: cfg.Sentry.Org, Projects: cfg.Sentry.Projects, Env: cfg.Sentry.Environment, Query: cfg.Sentry.Query, Retention: cfg.Sentry.Retention}
}

// sentryToken reads the CLI's Sentry token from the environment, only when
// Sentry is asked for.
func sentryToken(getenv func(string) string, org string) string {
	if org == "" {
		return ""
	}
	return getenv("SENTRY_AUTH_TOKEN")
}

// runnerLog writes to the Actions log. Arguments are flattened to one line
// first, so that no text from an API (an error message, a name) can start a
// line of its own and be read as a workflow command; warnings go through
// go-githubactions, which escapes them as command data.
type runnerLog struct{ gha *githubactions.Action }

// Infof logs a plain line.
func (l runnerLog) Infof(format string, args ...any) { l.gha.Infof(format, flatten(args)...) }

// Warningf logs a ::warning:: command.
func (l runnerLog) Warningf(format string, args ...any) { l.gha.Warningf(format, flatten(args)...) }

func flatten(args []any) []any {
	out := make([]any, len(args))
	for i, a := range args {
		switch v := a.(type) {
		case string:
			out[i] = oneLine(v)
		case error:
			out[i] = oneLine(v.Error())
		default:
			out[i] = a
		}
	}
	return out
}

func oneLine(s string) string {
	return strings.NewReplacer("\r\n", " ", "\n", " ", "\r", " ").Replace(s)
}

// summaryLimit keeps the job summary under GitHub's 1 MiB per step.
const summaryLimit = 1000 * 1000

// fitSummary cuts a summary that would not fit at a line boundary, and
// says so.
func fitSummary(s string) string {
	if len(s) <= summaryLimit {
		return s
	}
	cut := strings.LastIndex(s[:summaryLimit-200], "\n")
	if cut < 0 {
		cut = summaryLimit - 200
	}
	return s[:cut] + "\n\n> [!WARNING]\n> The summary was cut here: it would not fit in GitHub's 1 MiB job summary. The full figures are in the committed history.\n"
}
