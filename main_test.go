package main

// End-to-end tests: the built binary run the way the Actions runner runs a
// Docker container action (INPUT_* variables, GITHUB_OUTPUT,
// GITHUB_STEP_SUMMARY, GITHUB_GRAPHQL_URL), against the fake GitHub.

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/engineering-kpis/engineering-kpis/internal/testkit/githubfake"
	goldenfile "github.com/engineering-kpis/engineering-kpis/internal/testkit/golden"
)

var update = flag.Bool("update", false, "update golden files")

// binary is the path of the binary under test, built once by TestMain.
var binary string

func TestMain(m *testing.M) {
	flag.Parse()
	dir, err := os.MkdirTemp("", "engineering-kpis-e2e")
	if err != nil {
		panic(err)
	}
	binary = filepath.Join(dir, "engineering-kpis")
	// The same build the Dockerfile does (TestDockerfile keeps them equal).
	build := exec.Command("go", "build", "-trimpath", "-ldflags=-s -w -X main.version=dev", "-o", binary, ".")
	build.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := build.CombinedOutput(); err != nil {
		os.Stderr.Write(out)
		panic(err)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

func at(s string) time.Time {
	t, err := time.Parse("2006-01-02T15:04", s)
	if err != nil {
		panic(err)
	}
	return t
}

// widgets is a small repository whose figures are worked out by hand in
// TestActionReviewWait.
func widgets() githubfake.Repo {
	u := githubfake.User
	return githubfake.Repo{Owner: "acme", Name: "widgets", PullRequests: []githubfake.PullRequest{
		{Number: 1, Title: "Add widget sizes", Author: u("alice"), CreatedAt: at("2026-11-20T08:00"), Items: []githubfake.Item{
			githubfake.Requested(at("2026-11-20T09:00"), u("bob")),
			githubfake.Review(at("2026-11-20T13:00"), u("bob"), "APPROVED"),
			githubfake.Merged(at("2026-11-21T10:00")),
			githubfake.Closed(at("2026-11-21T10:00")),
		}},
		{Number: 2, Title: "Refactor | pipes `and` <b>tags</b>", Author: u("carol"), CreatedAt: at("2026-11-18T09:00"), Items: []githubfake.Item{
			githubfake.Requested(at("2026-11-18T10:00"), u("dave")),
			githubfake.Requested(at("2026-11-18T10:00"), githubfake.Team("acme/core")),
			githubfake.Review(at("2026-11-18T12:30"), u("erin"), "COMMENTED", "acme/core"),
			githubfake.Review(at("2026-11-19T16:00"), u("dave"), "CHANGES_REQUESTED"),
		}},
		{Number: 3, Title: "Speed up the widget cache", Author: u("bob"), CreatedAt: at("2026-11-22T07:00"), Items: []githubfake.Item{
			githubfake.Requested(at("2026-11-22T08:00"), u("alice")),
		}},
		{Number: 4, Title: "Draft: new API", Author: u("frank"), IsDraft: false, CreatedAt: at("2026-11-24T08:00"), Items: []githubfake.Item{
			githubfake.Requested(at("2026-11-24T09:00"), u("carol")),
			githubfake.Ready(at("2026-11-25T06:00")),
		}},
		{Number: 5, Title: "Abandoned idea", Author: u("dave"), CreatedAt: at("2026-11-10T08:00"), Items: []githubfake.Item{
			githubfake.Requested(at("2026-11-10T09:00"), u("alice")),
			githubfake.Closed(at("2026-11-12T09:00")),
		}},
		{Number: 6, Title: "Old forgotten change", Author: u("erin"), CreatedAt: at("2026-06-01T09:00"), Items: []githubfake.Item{
			githubfake.Requested(at("2026-06-01T10:00"), u("frank")),
		}},
		{Number: 7, Title: "Bump deps", Author: u("alice"), CreatedAt: at("2026-11-01T09:00"), Items: []githubfake.Item{
			githubfake.Requested(at("2026-11-01T09:30"), githubfake.Bot("copilot-pull-request-reviewer")),
			githubfake.Requested(at("2026-11-01T10:00"), u("bob")),
			githubfake.Review(at("2026-11-01T09:40"), githubfake.Bot("copilot-pull-request-reviewer"), "COMMENTED"),
			githubfake.Review(at("2026-11-03T10:00"), u("bob"), "APPROVED"),
			githubfake.Merged(at("2026-11-03T11:00")),
			githubfake.Closed(at("2026-11-03T11:00")),
		}},
	}}
}

// run is one execution of the binary as the runner does it.
type run struct {
	workspace string
	summary   string
	outputs   string
	stdout    bytes.Buffer
	stderr    bytes.Buffer
	code      int
}

func runAction(t *testing.T, srv *githubfake.Server, inputs map[string]string) *run {
	t.Helper()
	dir := t.TempDir()
	r := &run{workspace: filepath.Join(dir, "workspace"), summary: filepath.Join(dir, "summary.md"), outputs: filepath.Join(dir, "output.txt")}
	if err := os.MkdirAll(filepath.Join(r.workspace, ".git"), 0o755); err != nil {
		t.Fatal(err)
	}
	env := []string{
		"GITHUB_ACTIONS=true",
		"GITHUB_REPOSITORY=acme/widgets",
		"GITHUB_WORKSPACE=" + r.workspace,
		"GITHUB_STEP_SUMMARY=" + r.summary,
		"GITHUB_OUTPUT=" + r.outputs,
		"GITHUB_API_URL=" + srv.APIURL(),
		"GITHUB_GRAPHQL_URL=" + srv.URL(),
		"GITHUB_SERVER_URL=https://github.com",
		"HOME=" + dir,
		"PATH=" + os.Getenv("PATH"),
		"INPUT_GITHUB-TOKEN=" + githubfake.DefaultToken,
		"INPUT_REPOSITORIES=acme/widgets",
	}
	for k, v := range inputs {
		env = append(env, "INPUT_"+strings.ToUpper(k)+"="+v)
	}
	cmd := exec.Command(binary)
	cmd.Dir = r.workspace
	cmd.Env = env
	cmd.Stdout, cmd.Stderr = &r.stdout, &r.stderr
	err := cmd.Run()
	if ee, ok := err.(*exec.ExitError); ok {
		r.code = ee.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	return r
}

// outputsOf parses the GITHUB_OUTPUT file (name<<DELIMITER ... DELIMITER).
func outputsOf(t *testing.T, path string) map[string]string {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	lines := strings.Split(string(data), "\n")
	for i := 0; i < len(lines); i++ {
		name, delim, ok := strings.Cut(lines[i], "<<")
		if !ok {
			continue
		}
		var val []string
		for i++; i < len(lines) && lines[i] != delim; i++ {
			val = append(val, lines[i])
		}
		out[name] = strings.Join(val, "\n")
	}
	return out
}

func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	goldenfile.Check(t, name, got, *update)
}

func TestActionReviewWait(t *testing.T) {
	srv := githubfake.New(t, widgets())
	srv.SetStrict(true)
	r := runAction(t, srv, map[string]string{
		"as-of":    "2026-11-25T12:00:00Z",
		"commit":   "false",
		"backfill": "7d",
	})
	if r.code != 0 {
		t.Fatalf("exit %d\nstdout:\n%s\nstderr:\n%s", r.code, r.stdout.String(), r.stderr.String())
	}
	// The token is masked before anything else is printed.
	if first, _, _ := strings.Cut(r.stdout.String(), "\n"); first != "::add-mask::"+githubfake.DefaultToken {
		t.Errorf("first log line = %q, want the add-mask command", first)
	}

	// Worked out by hand from docs/definitions.md, as of 2026-11-25 12:00, 28 days, SLA 24h:
	// answered in the window: #1 bob 4h, #2 dave 30h, #2 acme/core 2.5h
	// (erin on behalf of the team), #7 bob 48h (the bot's request and
	// review count for nothing) → sorted 2.5, 4, 30, 48.
	// median = 2nd = 4; p75 = ⌈3⌉ = 3rd = 30; p90 = ⌈3.6⌉ = 4th = 48;
	// mean = 84.5/4 = 21.125 → 21.13; max 48; within 24h: 2 of 4 = 0.5.
	// Withdrawn: #5 closed 11-12. Waiting: #3 alice 76h, #4 carol 6h (her
	// clock started at ready-for-review), #6 frank since June; over SLA: #3, #6.
	want := map[string]string{
		"review-wait-median-hours":         "4",
		"review-wait-p75-hours":            "30",
		"review-wait-p90-hours":            "48",
		"review-wait-mean-hours":           "21.13",
		"review-wait-max-hours":            "48",
		"review-requests-answered":         "4",
		"review-requests-withdrawn":        "1",
		"review-requests-waiting":          "3",
		"review-requests-over-sla":         "2",
		"review-answered-within-sla-ratio": "0.5",
		"review-requests-unattributed":     "0",
		"review-requests-estimated":        "0",
		"history-file":                     ".github/kpis/history.json",
		"commit-sha":                       "",
		"okr-status":                       "",
		"okr-report":                       "",
	}
	if diff := cmp.Diff(want, outputsOf(t, r.outputs)); diff != "" {
		t.Errorf("outputs (-want +got):\n%s", diff)
	}

	summary, err := os.ReadFile(r.summary)
	if err != nil {
		t.Fatal(err)
	}
	golden(t, "e2e-summary.golden.md", summary)
	for _, s := range []string{"| [#3 Speed up the widget cache](https://github.com/acme/widgets/pull/3) | alice | 3d 4h |", "177d 2h"} {
		if !strings.Contains(string(summary), s) {
			t.Errorf("summary lacks %q", s)
		}
	}

	hist, err := wholeHistory(r.workspace)
	if err != nil {
		t.Fatal(err)
	}
	golden(t, "e2e-history.golden.json", normaliseComputedAt(t, hist))
	checkBackfill(t, hist)
	if _, err := os.Stat(filepath.Join(r.workspace, ".github/kpis/review-wait.png")); err != nil {
		t.Error(err)
	}

	// The token appears nowhere but in the mask command.
	for name, data := range map[string][]byte{
		"stdout": bytes.Replace(r.stdout.Bytes(), []byte("::add-mask::"+githubfake.DefaultToken), nil, 1),
		"stderr": r.stderr.Bytes(), "summary": summary, "history": hist,
	} {
		if bytes.Contains(data, []byte(githubfake.DefaultToken)) {
			t.Errorf("the token appears in %s", name)
		}
	}
}

var computedAtRE = regexp.MustCompile(`"computed_at": "([^"]*)"`)

// normaliseComputedAt replaces the real time of computation (checked to be
// a moment of this test run) with a placeholder, for the golden file.
func normaliseComputedAt(t *testing.T, data []byte) []byte {
	t.Helper()
	for _, m := range computedAtRE.FindAllSubmatch(data, -1) {
		ts, err := time.Parse(time.RFC3339, string(m[1]))
		if err != nil || time.Since(ts) > 10*time.Minute || time.Until(ts) > time.Minute {
			t.Errorf("computed_at %q is not the time of this run", m[1])
		}
	}
	return computedAtRE.ReplaceAll(data, []byte(`"computed_at": "COMPUTED_AT"`))
}

// checkBackfill compares backfilled snapshots with values worked out by
// hand (each as of the end of its date, window 28 days).
func checkBackfill(t *testing.T, data []byte) {
	t.Helper()
	var h struct {
		Snapshots []struct {
			Date    string              `json:"date"`
			Metrics map[string]*float64 `json:"metrics"`
		} `json:"snapshots"`
	}
	if err := json.Unmarshal(data, &h); err != nil {
		t.Fatal(err)
	}
	got := map[string]map[string]*float64{}
	var dates []string
	for _, s := range h.Snapshots {
		got[s.Date] = s.Metrics
		dates = append(dates, s.Date)
	}
	wantDates := []string{"2026-11-18", "2026-11-19", "2026-11-20", "2026-11-21", "2026-11-22", "2026-11-23", "2026-11-24", "2026-11-25"}
	if diff := cmp.Diff(wantDates, dates); diff != "" {
		t.Fatalf("snapshot dates (-want +got):\n%s", diff)
	}
	f := func(v float64) *float64 { return &v }
	cases := []struct {
		date string
		want map[string]*float64
	}{
		// As of 11-19 00:00: answered #7 bob 48h, #2 acme/core 2.5h; #2
		// dave (answered 11-19 16:00) is still waiting, 14h; #6 waits.
		{"2026-11-18", map[string]*float64{
			"review_wait_median_hours": f(2.5), "review_wait_p90_hours": f(48),
			"review_requests_answered": f(2), "review_requests_waiting": f(2),
			"review_requests_over_sla": f(1), "review_requests_withdrawn": f(1),
		}},
		// As of 11-20 00:00: + #2 dave 30h → 2.5, 30, 48; #1's request
		// (11-20 09:00) does not exist yet.
		{"2026-11-19", map[string]*float64{
			"review_wait_median_hours": f(30), "review_wait_p90_hours": f(48),
			"review_requests_answered": f(3), "review_requests_waiting": f(1),
			"review_requests_over_sla": f(1), "review_requests_withdrawn": f(1),
		}},
	}
	for _, tc := range cases {
		for name, want := range tc.want {
			if diff := cmp.Diff(want, got[tc.date][name]); diff != "" {
				t.Errorf("%s %s (-want +got):\n%s", tc.date, name, diff)
			}
		}
	}
}

func TestActionBadInput(t *testing.T) {
	cases := []struct {
		name   string
		inputs map[string]string
		input  string
	}{
		{"window", map[string]string{"window": "5w"}, "window"},
		{"sla", map[string]string{"sla": "-1h"}, "sla"},
		{"repositories", map[string]string{"repositories": "owner/name/extra"}, "repositories"},
		{"output-dir", map[string]string{"output-dir": "../x"}, "output-dir"},
		{"commit", map[string]string{"commit": "maybe"}, "commit"},
		{"empty token", map[string]string{"github-token": ""}, "github-token"},
		{"absolute path", map[string]string{"output-dir": "/etc/x"}, "output-dir"},
		{"readme escapes", map[string]string{"readme": "../README.md"}, "readme"},
		{"absurd window", map[string]string{"window": "99999999d"}, "window"},
		{"negative backfill", map[string]string{"backfill": "-3d"}, "backfill"},
		{"unknown clock", map[string]string{"wait-clock": "lunar"}, "wait-clock"},
		{"unknown chart format", map[string]string{"chart-format": "gif"}, "chart-format"},
		{"bad timezone", map[string]string{"timezone": "Nowhere/Land"}, "timezone"},
		{"non-UTF-8", map[string]string{"exclude-labels": "wip,\xff\xfe"}, "exclude-labels"},
		// Linux caps one environment variable at 128 KiB, so the runner
		// cannot pass 1 MB; the config test feeds 1 MB in process.
		{"100 KB string", map[string]string{"exclude-reviewers": strings.Repeat("a", 100<<10)}, "exclude-reviewers"},
		{"sentry without org", map[string]string{"sentry-token": "x"}, "sentry-org"},
		{"sentry projects alone", map[string]string{"sentry-projects": "web"}, "sentry-projects"},
		{"bad sentry url", map[string]string{"sentry-token": "x", "sentry-org": "acme", "sentry-url": "ftp://x"}, "sentry-url"},
		{"allow-partial enum", map[string]string{"allow-partial": "sometimes"}, "allow-partial"},
		{"dashboard enum", map[string]string{"dashboard": "yes"}, "dashboard"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			srv := githubfake.New(t, widgets())
			r := runAction(t, srv, tc.inputs)
			if r.code != 1 {
				t.Fatalf("exit %d, want 1", r.code)
			}
			if !strings.Contains(r.stdout.String(), "::error::input "+tc.input) {
				t.Errorf("stdout does not hold an error naming the input:\n%s", r.stdout.String())
			}
			if n := srv.Stats().Requests; n != 0 {
				t.Errorf("%d API requests made", n)
			}
			entries, _ := os.ReadDir(r.workspace)
			if len(entries) != 1 { // only the .git made by the test
				t.Errorf("files written into the workspace: %v", entries)
			}
			if _, err := os.Stat(r.outputs); err == nil {
				t.Error("outputs written")
			}
		})
	}
}

func TestActionUnknownRepository(t *testing.T) {
	srv := githubfake.New(t, widgets())
	r := runAction(t, srv, map[string]string{"repositories": "acme/nope", "commit": "false"})
	if r.code != 1 {
		t.Fatalf("exit %d, want 1", r.code)
	}
	if !strings.Contains(r.stdout.String(), "acme/nope") {
		t.Errorf("error does not name the repository:\n%s", r.stdout.String())
	}
	if _, err := os.Stat(filepath.Join(r.workspace, ".github")); err == nil {
		t.Error("files written on failure")
	}
}

func TestActionBusinessClock(t *testing.T) {
	srv := githubfake.New(t, widgets())
	r := runAction(t, srv, map[string]string{
		"as-of": "2026-11-25T12:00:00Z", "commit": "false", "backfill": "0d",
		"wait-clock": "business", "breakdown": "reviewer",
	})
	if r.code != 0 {
		t.Fatalf("exit %d\n%s\n%s", r.code, r.stdout.String(), r.stderr.String())
	}
	// Mon-Fri 09:00-17:00 UTC, by hand:
	// #1 bob Fri 11-20 09:00 → 13:00 = 4h; #2 dave Wed 11-18 10:00 → Thu
	// 16:00 = 7h + 7h = 14h; #2 acme/core 10:00 → 12:30 = 2.5h; #7 bob Sun
	// 11-01 10:00 → Tue 11-03 10:00 = 0 + 8h + 1h = 9h. Sorted 2.5, 4, 9,
	// 14: median 4, p90 14, mean 29.5/4 = 7.375 → 7.38, all within 24h.
	// Waiting: #3 alice Sun 11-22 08:00 → Wed 12:00 = 0 + 8 + 8 + 3 = 19h
	// (not over the SLA); #4 carol from ready Wed 06:00 → 12:00 = 3h; #6
	// frank for months: over the SLA.
	want := map[string]string{
		"review-wait-median-hours":         "4",
		"review-wait-p75-hours":            "9",
		"review-wait-p90-hours":            "14",
		"review-wait-mean-hours":           "7.38",
		"review-wait-max-hours":            "14",
		"review-requests-answered":         "4",
		"review-requests-withdrawn":        "1",
		"review-requests-waiting":          "3",
		"review-requests-over-sla":         "1",
		"review-answered-within-sla-ratio": "1",
		"review-requests-unattributed":     "0",
		"review-requests-estimated":        "0",
		"history-file":                     ".github/kpis/history.json",
		"commit-sha":                       "",
		"okr-status":                       "",
		"okr-report":                       "",
	}
	if diff := cmp.Diff(want, outputsOf(t, r.outputs)); diff != "" {
		t.Errorf("outputs (-want +got):\n%s", diff)
	}
	summary, _ := os.ReadFile(r.summary)
	for _, s := range []string{
		"| Median wait | 4 h (4h) working · 4 h (4h) calendar |",
		"| p90 wait | 14 h (14h) working · 48 h (2d) calendar |",
		"**100% of requests answered within 24h working hours** (4 of 4).",
		"| bob | 2 | 2 | 4 h working · 4 h calendar | 9 h working · 48 h calendar | 100% | 0 |",
		"| team acme/core | 1 | 1 | 2.5 h working · 2.5 h calendar | 2.5 h working · 2.5 h calendar | 100% | 0 |",
		"| Review wait, median (working hours) | 4 h · 4 h calendar |",
		"| Re-requests (after a review) | 0 | 0 | – | – | – | 0 |",
	} {
		if !strings.Contains(string(summary), s) {
			t.Errorf("summary lacks %q", s)
		}
	}
	hist, _ := wholeHistory(r.workspace)
	if !strings.Contains(string(hist), `"clock": "business"`) || !strings.Contains(string(hist), `"reviewer:bob"`) {
		t.Error("history lacks the clock or the breakdown")
	}
}

// TestDockerfile checks that the image builds the binary these tests run,
// runs it as its entrypoint, and keeps the default root user that GitHub
// requires of Docker actions.
func TestDockerfile(t *testing.T) {
	data, err := os.ReadFile("Dockerfile")
	if err != nil {
		t.Fatal(err)
	}
	df := string(data)
	for _, want := range []string{
		`RUN CGO_ENABLED=0 go build -trimpath -ldflags="-s -w -X main.version=${VERSION}" -o /engineering-kpis .`,
		`ARG VERSION=dev`,
		`FROM gcr.io/distroless/static-debian12`,
		`COPY --from=build /engineering-kpis /engineering-kpis`,
		`ENTRYPOINT ["/engineering-kpis"]`,
	} {
		if !strings.Contains(df, want) {
			t.Errorf("Dockerfile lacks %s", want)
		}
	}
	final := df[strings.Index(df, "FROM gcr.io/distroless"):]
	for _, line := range strings.Split(df, "\n") {
		if f := strings.Fields(line); len(f) > 0 && f[0] == "USER" {
			t.Errorf("Dockerfile sets %q: a Docker action must run as the image's default root user", line)
		}
	}
	if strings.Contains(final, "\nWORKDIR") {
		t.Error("the final stage sets WORKDIR: the runner mounts the workspace and sets the working directory")
	}
}
