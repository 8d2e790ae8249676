package cli

import (
	"bytes"
	"context"
	"image"
	"image/png"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

var shBlock = regexp.MustCompile("(?ms)^```sh\n(.*?)^```")

// readmeCommands returns the README's `go run .` commands that need no
// token (no --repo), as argument lists.
func readmeCommands(t *testing.T) [][]string {
	t.Helper()
	readme, err := os.ReadFile(filepath.Join(repoRoot, "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	var out [][]string
	for _, m := range shBlock.FindAllStringSubmatch(string(readme), -1) {
		for _, line := range strings.Split(m[1], "\n") {
			if i := strings.Index(line, "#"); i >= 0 {
				line = line[:i]
			}
			args := strings.Fields(line)
			if len(args) < 3 || args[0] != "go" || args[1] != "run" || args[2] != "." {
				continue
			}
			if strings.Contains(line, "--repo") {
				continue
			}
			out = append(out, args[3:])
		}
	}
	return out
}

// TestReadmeCommandsRun runs every CLI example of the README that needs no
// token, as written, in an empty directory.
func TestReadmeCommandsRun(t *testing.T) {
	cmds := readmeCommands(t)
	if len(cmds) < 6 {
		t.Fatalf("found %d token-free commands in the README, want at least 6", len(cmds))
	}
	t.Chdir(t.TempDir())
	for _, args := range cmds {
		var out, errOut bytes.Buffer
		err := Main(context.Background(), Env{Args: args, Getenv: noEnv, Stdout: &out, Stderr: &errOut, Now: realNow, Version: "test"})
		if err != nil {
			t.Errorf("go run . %s: %v\n%s", strings.Join(args, " "), err, errOut.String())
			continue
		}
		if out.Len() == 0 {
			t.Errorf("go run . %s printed nothing", strings.Join(args, " "))
		}
	}
}

// TestReadmeShowsTheDemo: the README's summary excerpt is what the demo
// prints, line for line, and the charts it shows are the demo's, of the
// size the demo draws them.
func TestReadmeShowsTheDemo(t *testing.T) {
	readme, err := os.ReadFile(filepath.Join(repoRoot, "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile("(?s)<!-- demo-summary:start -->\n```markdown\n(.*?)```\n<!-- demo-summary:end -->").FindSubmatch(readme)
	if m == nil {
		t.Fatal("the README has no demo summary excerpt")
	}
	dir := t.TempDir()
	out, errOut, err := run(t, "--demo", "--out", dir)
	if err != nil {
		t.Fatalf("%v\n%s", err, errOut)
	}
	lines := strings.Split(strings.TrimSpace(string(m[1])), "\n")
	if len(lines) < 10 {
		t.Errorf("the excerpt has %d lines", len(lines))
	}
	for _, line := range lines {
		if !strings.Contains(out, line) {
			t.Errorf("the demo does not print the README's line %q", line)
		}
	}
	for _, name := range []string{"review-wait.png", "sentry-events-per-user.png"} {
		if !strings.Contains(string(readme), "](docs/"+name+")") {
			t.Errorf("the README does not show docs/%s", name)
		}
		want, err := decodeSize(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		got, err := decodeSize(filepath.Join(repoRoot, "docs", name))
		if err != nil {
			t.Errorf("docs/%s: %v", name, err)
		} else if got != want {
			t.Errorf("docs/%s is %v, the demo draws %v: refresh it (see the README)", name, got, want)
		}
	}
}

func decodeSize(path string) (image.Point, error) {
	f, err := os.Open(path)
	if err != nil {
		return image.Point{}, err
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		return image.Point{}, err
	}
	return img.Bounds().Size(), nil
}
