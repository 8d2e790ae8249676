package cli

import (
	"bytes"
	"context"
	"flag"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	goldenfile "github.com/engineering-kpis/engineering-kpis/internal/golden"
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
	if b := img.Bounds(); b.Dx() != 800 || b.Dy() != 300 {
		t.Errorf("chart is %dx%d, want 800x300", b.Dx(), b.Dy())
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
	out.Reset()
	if err := Main(context.Background(), Env{Args: []string{"--help"}, Getenv: noEnv, Stdout: &out, Stderr: &errOut}); err != nil {
		t.Fatal(err)
	}
	for _, flag := range []string{"-window", "-sla", "-exclude-reviewers", "-as-of", "-demo", "-out", "-repo"} {
		if !strings.Contains(errOut.String(), flag) {
			t.Errorf("help lacks %s", flag)
		}
	}
}
