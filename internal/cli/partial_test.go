package cli

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/sethvargo/go-githubactions"

	"github.com/engineering-kpis/engineering-kpis/internal/testkit/githubfake"
)

// actionEnv runs Main as the Actions runner would, in process, with an
// injected sleeper so that no retry waits for real.
func actionEnv(t *testing.T, srv *githubfake.Server, inputs map[string]string) (Env, string, string) {
	dir := t.TempDir()
	summaryPath, outputPath := filepath.Join(dir, "summary.md"), filepath.Join(dir, "output.txt")
	env := map[string]string{
		"GITHUB_ACTIONS": "true", "GITHUB_REPOSITORY": "acme/synthetic", "GITHUB_WORKSPACE": dir,
		"GITHUB_STEP_SUMMARY": summaryPath, "GITHUB_OUTPUT": outputPath,
		"GITHUB_API_URL": srv.APIURL(), "GITHUB_GRAPHQL_URL": srv.URL(),
		"INPUT_GITHUB-TOKEN": githubfake.DefaultToken, "INPUT_REPOSITORIES": "acme/synthetic",
		"INPUT_AS-OF": "2026-11-25T12:00:00Z", "INPUT_BACKFILL": "0d",
	}
	for k, v := range inputs {
		env["INPUT_"+strings.ToUpper(k)] = v
	}
	var out bytes.Buffer
	return Env{
		Getenv: func(k string) string { return env[k] },
		Stdout: &out, Stderr: &out,
		Now:   func() time.Time { return time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC) },
		Sleep: func(context.Context, time.Duration) error { return nil },
	}, summaryPath, outputPath
}

const partialBody = `{"data":null,"errors":[{"type":"SERVICE_UNAVAILABLE","message":"Something went wrong while executing your query.","path":["repository","pullRequests"]}]}`

func partialServer(t *testing.T) *githubfake.Server {
	srv := githubfake.New(t, githubfake.Repo{Owner: "acme", Name: "synthetic", PullRequests: githubfake.Synthetic(150, 3)})
	srv.SetFile("acme", "synthetic", "", "README.md", []byte("# s\n"))
	// The first page of pull requests comes; the second never does.
	srv.SetFault(func(n int, op string) *githubfake.Fault {
		if op == "PullRequests" && n > 1 {
			return &githubfake.Fault{Status: 200, Body: partialBody}
		}
		return nil
	})
	return srv
}

func TestPartialDataFailsAndWritesNothing(t *testing.T) {
	srv := partialServer(t)
	head := srv.Head("acme", "synthetic", "main")
	env, summaryPath, outputPath := actionEnv(t, srv, nil)
	err := Main(context.Background(), env)
	if err == nil || !strings.Contains(err.Error(), "allow-partial") {
		t.Fatalf("err = %v, want a failure pointing at allow-partial", err)
	}
	if srv.Head("acme", "synthetic", "main") != head {
		t.Error("something was committed")
	}
	summary, _ := os.ReadFile(summaryPath)
	if !strings.Contains(string(summary), "**Incomplete data.**") || !strings.Contains(string(summary), "**not recorded**") {
		t.Errorf("summary does not say the data is incomplete:\n%s", summary)
	}
	if _, err := os.Stat(outputPath); err == nil {
		t.Error("outputs were set")
	}
}

func TestAllowPartialRecordsIncomplete(t *testing.T) {
	srv := partialServer(t)
	env, summaryPath, _ := actionEnv(t, srv, map[string]string{"allow-partial": "true"})
	if err := Main(context.Background(), env); err != nil {
		t.Fatal(err)
	}
	hist := wholeHistory(t, srv.Files("acme", "synthetic", "main"), ".github/kpis")
	if !strings.Contains(hist, `"incomplete": ["review_wait_median_hours"`) {
		t.Errorf("history does not mark the figures incomplete:\n%s", hist)
	}
	summary, _ := os.ReadFile(summaryPath)
	if !strings.Contains(string(summary), "recorded marked as incomplete") {
		t.Errorf("summary does not say the figures are incomplete:\n%s", summary)
	}
}

func TestLogCannotInjectCommands(t *testing.T) {
	var out bytes.Buffer
	gha := githubactions.New(githubactions.WithWriter(&out), githubactions.WithGetenv(func(string) string { return "" }))
	log := runnerLog{gha}
	log.Infof("Fetched %s", "x\n::error::pwned\r\n::set-output name=a::b")
	log.Warningf("problem: %v", errors.New("boom\n::add-mask::x"))
	for _, line := range strings.Split(out.String(), "\n") {
		if strings.HasPrefix(line, "::") && !strings.HasPrefix(line, "::warning::problem: boom") {
			t.Errorf("a line reads as a workflow command: %q", line)
		}
	}
}

// TestCLIRepo runs the command line as a user would: --repo with a token
// in GITHUB_TOKEN prints the summary to stdout and writes nothing.
func TestCLIRepo(t *testing.T) {
	srv := githubfake.New(t, githubfake.Repo{Owner: "acme", Name: "synthetic", PullRequests: githubfake.Synthetic(40, 5)})
	env := map[string]string{"GITHUB_TOKEN": githubfake.DefaultToken, "GITHUB_API_URL": srv.APIURL(), "GITHUB_GRAPHQL_URL": srv.URL()}
	var out, errOut bytes.Buffer
	dir := t.TempDir()
	t.Chdir(dir)
	err := Main(context.Background(), Env{
		Args:   []string{"--repo", "acme/synthetic", "--as-of", "2026-11-25T12:00:00Z", "--window", "14d", "--sla", "8h"},
		Getenv: func(k string) string { return env[k] },
		Stdout: &out, Stderr: &errOut, Now: time.Now, Sleep: func(context.Context, time.Duration) error { return nil },
	})
	if err != nil {
		t.Fatalf("%v\n%s", err, errOut.String())
	}
	for _, s := range []string{"## Review request wait — acme/synthetic", "window 14 days", "SLA 8h"} {
		if !strings.Contains(out.String(), s) {
			t.Errorf("stdout lacks %q:\n%s", s, out.String())
		}
	}
	if !strings.Contains(errOut.String(), "GraphQL requests") {
		t.Errorf("stderr does not report the API spend:\n%s", errOut.String())
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Errorf("the CLI wrote files without --out: %v", entries)
	}
}

func TestFitSummary(t *testing.T) {
	short := "# ok\n"
	if fitSummary(short) != short {
		t.Error("a short summary was changed")
	}
	long := strings.Repeat("| a table row of a very long summary |\n", 40000)
	got := fitSummary(long)
	if len(got) > 1<<20 || !strings.Contains(got, "was cut here") || !strings.HasPrefix(long, got[:strings.Index(got, "\n\n> [!WARNING]")]) {
		t.Errorf("cut summary is %d bytes", len(got))
	}
}
