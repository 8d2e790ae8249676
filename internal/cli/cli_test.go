package cli

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/engineering-kpis/engineering-kpis/internal/config"
	goldenfile "github.com/engineering-kpis/engineering-kpis/internal/testkit/golden"
)

var update = flag.Bool("update", false, "update golden files")

func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	goldenfile.Check(t, name, got, *update)
}

func noEnv(string) string { return "" }

// realNow fails the test if the demo reads the real clock.
func realNow() time.Time { panic("the demo must not read the real clock") }

func TestDemo(t *testing.T) {
	var out, errOut bytes.Buffer
	dir := filepath.Join(t.TempDir(), "out")
	err := Main(context.Background(), Env{Args: []string{"--demo", "--out", dir}, Getenv: noEnv, Stdout: &out, Stderr: &errOut, Now: realNow, Version: "test"})
	if err != nil {
		t.Fatalf("%v\n%s", err, errOut.String())
	}
	golden(t, "demo-summary.golden.md", out.Bytes())
	hist, err := os.ReadFile(filepath.Join(dir, "history.json"))
	if err != nil {
		t.Fatal(err)
	}
	golden(t, "demo-history.golden.json", hist)
	f, err := os.Open(filepath.Join(dir, "review-wait.png"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		t.Fatal(err)
	}
	if b := img.Bounds(); b.Dx() != 800 || b.Dy() != 520 {
		t.Errorf("chart is %dx%d, want 800x520 (the p90 panel over the median panel)", b.Dx(), b.Dy())
	}

	// A second run over the same directory changes nothing.
	out.Reset()
	errOut.Reset()
	if err := Main(context.Background(), Env{Args: []string{"--demo", "--out", dir}, Getenv: noEnv, Stdout: &out, Stderr: &errOut, Now: realNow, Version: "test"}); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(errOut.String(), "Wrote 0 files") {
		t.Errorf("second run rewrote files:\n%s", errOut.String())
	}
}

func TestDemoWithoutOutPrintsOnly(t *testing.T) {
	var out, errOut bytes.Buffer
	if err := Main(context.Background(), Env{Args: []string{"--demo"}, Getenv: noEnv, Stdout: &out, Stderr: &errOut, Now: realNow, Version: "test"}); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "| Review wait, median | 0.8 h |") {
		t.Errorf("summary lacks the median:\n%s", out.String())
	}
}

func TestCLIErrors(t *testing.T) {
	cases := []struct {
		name string
		args []string
		env  map[string]string
		want string
	}{
		{"no repo", nil, nil, "give --repo"},
		{"unknown flag", []string{"--windw", "1d"}, nil, "flag provided but not defined: -windw"},
		{"no token", []string{"--repo", "a/b"}, nil, "input GITHUB_TOKEN (environment)"},
		{"bad window", []string{"--repo", "a/b", "--window", "2w"}, map[string]string{"GITHUB_TOKEN": "x"}, "input --window"},
		{"bad repo", []string{"--repo", "a/b/c"}, map[string]string{"GITHUB_TOKEN": "x"}, "input --repo"},
		{"bad as-of", []string{"--demo", "--as-of", "soon"}, nil, "input --as-of"},
		{"positional", []string{"--demo", "extra"}, nil, "unexpected argument"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var out, errOut bytes.Buffer
			getenv := func(k string) string { return tc.env[k] }
			err := Main(context.Background(), Env{Args: tc.args, Getenv: getenv, Stdout: &out, Stderr: &errOut, Now: time.Now, Version: "test"})
			if err == nil {
				t.Fatal("no error")
			}
			msg := err.Error() + errOut.String()
			if !strings.Contains(msg, tc.want) {
				t.Errorf("error %q does not say %q", msg, tc.want)
			}
		})
	}
}

func TestVersionAndHelp(t *testing.T) {
	var out, errOut bytes.Buffer
	if err := Main(context.Background(), Env{Args: []string{"--version"}, Getenv: noEnv, Stdout: &out, Stderr: &errOut, Version: "v1.2.3"}); err != nil {
		t.Fatal(err)
	}
	if out.String() != "engineering-kpis v1.2.3\n" {
		t.Errorf("version output %q", out.String())
	}
	for _, arg := range []string{"--help", "-h"} {
		out.Reset()
		errOut.Reset()
		if err := Main(context.Background(), Env{Args: []string{arg}, Getenv: noEnv, Stdout: &out, Stderr: &errOut}); err != nil {
			t.Fatalf("%s: %v", arg, err)
		}
		if errOut.Len() > 0 {
			t.Errorf("%s wrote to stderr:\n%s", arg, errOut.String())
		}
		for _, flag := range []string{"-window", "-sla", "-exclude-reviewers", "-as-of", "-demo", "-out", "-repo", "-okr-file", "-allow-partial", "Inputs without a flag"} {
			if !strings.Contains(out.String(), flag) {
				t.Errorf("%s lacks %s", arg, flag)
			}
		}
	}
}

// TestUsageErrorsAreShort: a bad flag gets one line and a hint, not the
// whole usage, and exit status 1 (ErrUsage).
func TestUsageErrorsAreShort(t *testing.T) {
	for _, args := range [][]string{{"--bogus"}, {"--demo", "extra"}, {}, {"--window"}} {
		var out, errOut bytes.Buffer
		err := Main(context.Background(), Env{Args: args, Getenv: noEnv, Stdout: &out, Stderr: &errOut, Now: time.Now})
		if !errors.Is(err, ErrUsage) {
			t.Errorf("%q: error %v, want ErrUsage", args, err)
		}
		lines := strings.Split(strings.TrimSpace(errOut.String()), "\n")
		if len(lines) != 2 || !strings.HasPrefix(lines[0], "engineering-kpis: ") || !strings.Contains(lines[1], "--help") {
			t.Errorf("%q: stderr is not one line and a hint:\n%s", args, errOut.String())
		}
		if out.Len() > 0 {
			t.Errorf("%q wrote to stdout", args)
		}
	}
}

// TestEveryInputHasAFlagOrAReason: each input has a flag (of its name,
// --repo for repositories), or says why not in the usage text and the
// README's command line section.
func TestEveryInputHasAFlagOrAReason(t *testing.T) {
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	section := string(readme)
	if i := strings.Index(section, "## Command line"); i >= 0 {
		section = section[i:]
	}
	help, _, err := run(t, "--help")
	if err != nil {
		t.Fatal(err)
	}
	for _, in := range config.Inputs {
		if in.HasFlag() {
			if in.NoFlag != "" || in.Usage == "" {
				t.Errorf("%s has a flag: want usage text and no reason for lacking one", in.Name)
			}
			if !strings.Contains(help, "-"+in.FlagName()) {
				t.Errorf("--help does not list --%s", in.FlagName())
			}
			continue
		}
		if in.NoFlag == "" {
			t.Errorf("input %s has no flag and no reason", in.Name)
		}
		if !strings.Contains(help, in.Name+" ") || !strings.Contains(help, in.NoFlag) {
			t.Errorf("the usage text does not say that %s has no flag, and why", in.Name)
		}
		if !strings.Contains(section, "`"+in.Name+"`") {
			t.Errorf("the README's command line section does not name %s among the inputs without a flag", in.Name)
		}
	}
}

func run(t *testing.T, args ...string) (string, string, error) {
	t.Helper()
	var out, errOut bytes.Buffer
	err := Main(context.Background(), Env{Args: args, Getenv: noEnv, Stdout: &out, Stderr: &errOut, Now: realNow, Version: "test"})
	return out.String(), errOut.String(), err
}

// TestDemoActiveUsers: --active-users works with the demo, a number or a
// local file outside any repository, and always wins over the sample's
// sessions.
func TestDemoActiveUsers(t *testing.T) {
	dir := t.TempDir()
	csv := filepath.Join(dir, "users.csv")
	var b strings.Builder
	b.WriteString("date,users\n")
	for d := time.Date(2026, 8, 1, 0, 0, 0, 0, time.UTC); d.Before(time.Date(2026, 11, 25, 0, 0, 0, 0, time.UTC)); d = d.AddDate(0, 0, 1) {
		fmt.Fprintf(&b, "%s,500\n", d.Format("2006-01-02"))
	}
	if err := os.WriteFile(csv, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	cases := []struct{ value, want string }{
		{"1000", "| Active user-days U (28 days) | 28000 |"},
		{csv, "| Active user-days U (28 days) | 14000 |"},
	}
	for _, tc := range cases {
		out, errOut, err := run(t, "--demo", "--active-users", tc.value)
		if err != nil {
			t.Fatalf("%s: %v\n%s", tc.value, err, errOut)
		}
		if !strings.Contains(out, tc.want) || !strings.Contains(out, "(active-users)") {
			t.Errorf("--active-users %s: the summary lacks %q:\n%s", tc.value, tc.want, out)
		}
	}
	_, _, err := run(t, "--demo", "--active-users", filepath.Join(dir, "missing.csv"))
	if err == nil || !strings.HasPrefix(err.Error(), "input --active-users: ") || strings.Count(err.Error(), "active-users") != 1 {
		t.Errorf("a missing file: %v", err)
	}
}

// TestDemoOKRFile: the OKR file is an explicit flag; --out DIR holds only
// what the run writes, and every file written is listed.
func TestDemoOKRFile(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "out")
	if err := os.MkdirAll(out, 0o755); err != nil {
		t.Fatal(err)
	}
	// A kpis.yml in --out is not an OKR file any more.
	if err := os.WriteFile(filepath.Join(out, "kpis.yml"), []byte("not: [an okr file"), 0o644); err != nil {
		t.Fatal(err)
	}
	okrPath := filepath.Join(dir, "my-okrs.yml")
	if err := os.WriteFile(okrPath, []byte("objective: Faster reviews\nquarter: 2026-Q4\nkey-results:\n  - metric: review_wait_p90_hours\n    target: 12\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	summary, errOut, err := run(t, "--demo", "--out", out, "--okr-file", okrPath)
	if err != nil {
		t.Fatalf("%v\n%s", err, errOut)
	}
	if !strings.Contains(summary, "## OKR: Faster reviews") {
		t.Errorf("the summary does not use --okr-file:\n%s", summary)
	}
	entries, err := os.ReadDir(out)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	want := []string{"history", "history.json", "kpis.yml", "okr-report.json", "review-wait.png", "sentry-events-per-user.png"}
	if diff := cmp.Diff(want, names); diff != "" {
		t.Errorf("files in --out (-want +got):\n%s", diff)
	}
	if !strings.Contains(errOut, "Wrote 100 files to "+out+": history.json, history/ (96 parts), okr-report.json, review-wait.png, sentry-events-per-user.png") {
		t.Errorf("not every file written is listed:\n%s", errOut)
	}
	if _, _, err := run(t, "--demo", "--okr-file", filepath.Join(dir, "missing.yml")); err == nil || !strings.HasPrefix(err.Error(), "input --okr-file: ") {
		t.Errorf("a missing --okr-file: %v", err)
	}
}

// TestCLINames: errors name the CLI's flags and variables, not the
// action's inputs.
func TestCLINames(t *testing.T) {
	cases := []struct {
		args []string
		env  map[string]string
		want string
	}{
		{[]string{"--repo", "a/b", "--active-users", "100"}, map[string]string{"GITHUB_TOKEN": "x"}, "input --active-users: \"100\" is not valid: expected to be used with SENTRY_AUTH_TOKEN (environment) and --sentry-org"},
		{[]string{"--repo", "a/b", "--sentry-org", "acme"}, map[string]string{"GITHUB_TOKEN": "x"}, "input SENTRY_AUTH_TOKEN (environment): \"\" is not valid: expected a Sentry auth token with org:read and event:read (as a secret) when --sentry-org is set"},
		{[]string{"--repo", "a/b", "--allow-partial=maybe"}, map[string]string{"GITHUB_TOKEN": "x"}, "--allow-partial"},
		{[]string{"--demo", "--as-of", "2026-11-27"}, nil, "input --as-of: \"2026-11-27\" is not valid: expected a moment that is not in the future"},
		{[]string{"--demo", "--window", "90m"}, nil, "like 28d, 14d or 36h, from 1d to 365d"},
	}
	for _, tc := range cases {
		var out, errOut bytes.Buffer
		getenv := func(k string) string { return tc.env[k] }
		err := Main(context.Background(), Env{Args: tc.args, Getenv: getenv, Stdout: &out, Stderr: &errOut, Now: func() time.Time { return time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC) }})
		if err == nil || !strings.Contains(err.Error()+errOut.String(), tc.want) {
			t.Errorf("%q: got %v %s, want %q", tc.args, err, errOut.String(), tc.want)
		}
	}
	// The end of the demo's own day is today, not the future.
	if _, errOut, err := run(t, "--demo", "--as-of", "2026-11-25"); err != nil {
		t.Errorf("--as-of today: %v\n%s", err, errOut)
	}
}
