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
	"github.com/engineering-kpis/engineering-kpis/internal/config"
	"github.com/engineering-kpis/engineering-kpis/internal/demo"
	"github.com/engineering-kpis/engineering-kpis/internal/githubapi"
	"github.com/engineering-kpis/engineering-kpis/internal/kpi"
)

// Env is the process's surroundings, injected so tests never touch the
// real environment.
type Env struct {
	Args   []string
	Getenv func(string) string
	Stdout io.Writer
	Stderr io.Writer
	Now    func() time.Time
	// HTTP is the client for API calls; nil means a client with a
	// 60-second timeout.
	HTTP    *http.Client
	Version string
}

// ErrUsage is returned after a usage message was printed for bad flags.
var ErrUsage = errors.New("bad usage")

// Main runs the program and returns its error; the caller prints it and
// exits 1.
func Main(ctx context.Context, env Env) error {
	if len(env.Args) == 0 && env.Getenv("GITHUB_ACTIONS") == "true" {
		return runAction(ctx, env)
	}
	return runCLI(ctx, env)
}

// actionInputs are the inputs action.yml declares that this run reads.
var actionInputs = []string{
	config.InGitHubToken, config.InRepositories, config.InWindow, config.InSLA,
	config.InExcludeReviewers, config.InExcludeAuthors, config.InExcludeLabels,
}

func runAction(ctx context.Context, env Env) error {
	gha := githubactions.New(githubactions.WithGetenv(env.Getenv), githubactions.WithWriter(env.Stdout))
	// Mask the token before anything else is printed.
	if tok := gha.GetInput(config.InGitHubToken); tok != "" {
		gha.AddMask(tok)
	}
	raw := config.Raw{Values: map[string]string{}}
	for _, in := range actionInputs {
		raw.Values[in] = gha.GetInput(in)
	}
	cfg, err := config.Validate(raw, env.Getenv, false)
	if err != nil {
		return err
	}
	client := newClient(cfg, env)
	res, err := action.Run(ctx, cfg, action.Deps{Source: client, Now: env.Now, Log: gha})
	if err != nil {
		return err
	}
	gha.Infof("GitHub API: %d GraphQL requests, %d points spent, %d remaining", client.Stats.Requests, client.Stats.Points, client.Stats.Remaining)
	if env.Getenv("GITHUB_STEP_SUMMARY") != "" {
		gha.AddStepSummary(res.Summary)
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

Computes engineering KPIs (review request wait) from GitHub and prints the
Markdown report. In a GitHub Actions workflow the same binary reads its
inputs from INPUT_* variables instead of flags.

  engineering-kpis --demo                 run on the embedded sample, no token or network
  engineering-kpis --repo owner/name      needs a token in GITHUB_TOKEN (or GH_TOKEN)

Flags:
`

func runCLI(ctx context.Context, env Env) error {
	fs := flag.NewFlagSet("engineering-kpis", flag.ContinueOnError)
	fs.SetOutput(env.Stderr)
	fs.Usage = func() {
		fmt.Fprint(env.Stderr, usage)
		fs.PrintDefaults()
	}
	var (
		repos       multi
		window      = fs.String("window", config.DefaultWindow, "trailing window of the report, e.g. 28d, 36h")
		sla         = fs.String("sla", config.DefaultSLA, "review SLA: requests waiting longer are flagged, e.g. 24h")
		exReviewers = fs.String("exclude-reviewers", "", "comma-separated logins or org/team names whose requests and reviews are ignored")
		exAuthors   = fs.String("exclude-authors", "", "comma-separated logins whose pull requests are ignored")
		exLabels    = fs.String("exclude-labels", "", "comma-separated labels whose pull requests are ignored")
		asOf        = fs.String("as-of", "", "measure as of this UTC date (end of day) or RFC 3339 time instead of now")
		demoFlag    = fs.Bool("demo", false, "run on the embedded sample data set: no token, no network")
		out         = fs.String("out", "", "also write the files a real run would write into this directory (nothing is committed)")
		version     = fs.Bool("version", false, "print the version and exit")
	)
	fs.Var(&repos, "repo", "repository as owner/name (repeatable, or comma-separated)")
	if err := fs.Parse(env.Args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return nil
		}
		return ErrUsage
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(env.Stderr, "unexpected argument %q\n", fs.Arg(0))
		fs.Usage()
		return ErrUsage
	}
	if *version {
		fmt.Fprintf(env.Stdout, "engineering-kpis %s\n", env.Version)
		return nil
	}
	token := env.Getenv("GITHUB_TOKEN")
	if token == "" {
		token = env.Getenv("GH_TOKEN")
	}
	raw := config.Raw{
		Names: map[string]string{
			config.InGitHubToken: "GITHUB_TOKEN (environment)", config.InRepositories: "--repo",
			config.InWindow: "--window", config.InSLA: "--sla", config.InExcludeReviewers: "--exclude-reviewers",
			config.InExcludeAuthors: "--exclude-authors", config.InExcludeLabels: "--exclude-labels", config.InAsOf: "--as-of",
		},
		Values: map[string]string{
			config.InGitHubToken: token, config.InRepositories: strings.Join(repos, ","),
			config.InWindow: *window, config.InSLA: *sla, config.InExcludeReviewers: *exReviewers,
			config.InExcludeAuthors: *exAuthors, config.InExcludeLabels: *exLabels, config.InAsOf: *asOf,
		},
	}
	if !*demoFlag && len(repos) == 0 {
		fmt.Fprintln(env.Stderr, "engineering-kpis: give --repo owner/name (with a token in GITHUB_TOKEN), or --demo")
		fs.Usage()
		return ErrUsage
	}
	cfg, err := config.Validate(raw, env.Getenv, *demoFlag)
	if err != nil {
		return err
	}
	cfg.Out = *out
	log := stderrLog{env.Stderr}
	deps := action.Deps{Now: env.Now, Log: log}
	var client *githubapi.Client
	if cfg.Demo {
		cfg.Repositories = []string{demo.Repository}
		if cfg.AsOf.IsZero() {
			cfg.AsOf = demo.Now()
		}
		deps.Source = demoSource{}
	} else {
		client = newClient(cfg, env)
		deps.Source = client
	}
	res, err := action.Run(ctx, cfg, deps)
	if err != nil {
		return err
	}
	if client != nil {
		log.Infof("GitHub API: %d GraphQL requests, %d points spent, %d remaining", client.Stats.Requests, client.Stats.Points, client.Stats.Remaining)
	}
	if cfg.Out != "" {
		if err := writeOut(cfg.Out, res); err != nil {
			return err
		}
		log.Infof("Wrote the run's files to %s", cfg.Out)
	}
	_, err = io.WriteString(env.Stdout, res.Summary)
	return err
}

// writeOut writes the files of a run into dir.
func writeOut(dir string, res *action.Result) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("--out: %w", err)
	}
	var b strings.Builder
	for _, k := range sortedKeys(res.Outputs) {
		fmt.Fprintf(&b, "%s=%s\n", k, res.Outputs[k])
	}
	files := map[string]string{"summary.md": res.Summary, "outputs.txt": b.String()}
	for name, content := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644); err != nil {
			return fmt.Errorf("--out: %w", err)
		}
	}
	return nil
}

func newClient(cfg *config.Config, env Env) *githubapi.Client {
	hc := env.HTTP
	if hc == nil {
		hc = &http.Client{Timeout: 60 * time.Second}
	}
	return &githubapi.Client{
		Endpoint:    githubapi.GraphQLEndpoint(cfg.APIURL, cfg.GraphQLURL),
		Token:       cfg.Token,
		HTTP:        hc,
		UserAgent:   "engineering-kpis/" + env.Version,
		FetchLabels: len(cfg.ExcludeLabels) > 0,
	}
}

type demoSource struct{}

func (demoSource) PullRequests(_ context.Context, _ string, _ time.Time) ([]kpi.PullRequest, error) {
	return demo.PullRequests()
}

type stderrLog struct{ w io.Writer }

func (l stderrLog) Infof(format string, args ...any) { fmt.Fprintf(l.w, format+"\n", args...) }

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
	if getenv("GITHUB_ACTIONS") == "true" {
		gha := githubactions.New(githubactions.WithGetenv(getenv), githubactions.WithWriter(stdout))
		gha.Errorf("%s", err.Error())
		return
	}
	fmt.Fprintf(stderr, "engineering-kpis: %v\n", err)
}
