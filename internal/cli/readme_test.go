package cli

import (
	"bytes"
	"context"
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
