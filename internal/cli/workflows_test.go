package cli

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/rhysd/actionlint"
	"go.yaml.in/yaml/v3"
)

// repoRoot is the repository's root, from this package's directory.
const repoRoot = "../.."

// linter is actionlint as CI runs it: shellcheck checks the run: scripts
// when it is installed (it is on GitHub's runners).
func linter(t *testing.T, out *bytes.Buffer) (*actionlint.Linter, *actionlint.Project) {
	t.Helper()
	opts := &actionlint.LinterOptions{Oneline: true, WorkingDir: repoRoot}
	if p, err := exec.LookPath("shellcheck"); err == nil {
		opts.Shellcheck = p
	}
	l, err := actionlint.NewLinter(out, opts)
	if err != nil {
		t.Fatal(err)
	}
	root, err := filepath.Abs(repoRoot)
	if err != nil {
		t.Fatal(err)
	}
	proj, err := actionlint.NewProject(root)
	if err != nil {
		t.Fatal(err)
	}
	return l, proj
}

// TestWorkflowsPassActionlint lints every workflow of the repository;
// `uses: ./` is checked against this repository's action.yml.
func TestWorkflowsPassActionlint(t *testing.T) {
	files, err := filepath.Glob(filepath.Join(repoRoot, ".github", "workflows", "*.yml"))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"ci.yml", "release.yml", "kpis.yml"} {
		if !containsBase(files, want) {
			t.Errorf(".github/workflows/%s is missing", want)
		}
	}
	var out bytes.Buffer
	l, proj := linter(t, &out)
	errs, err := l.LintFiles(files, proj)
	if err != nil {
		t.Fatal(err)
	}
	if len(errs) > 0 {
		t.Errorf("actionlint found %d problems:\n%s", len(errs), out.String())
	}
}

func containsBase(files []string, base string) bool {
	for _, f := range files {
		if filepath.Base(f) == base {
			return true
		}
	}
	return false
}

var yamlBlock = regexp.MustCompile("(?ms)^```yaml\n(.*?)^```")

// readmeWorkflows returns the README's ```yaml blocks that are workflows
// (they have jobs:) and its step snippets (they start with "- uses:"),
// each snippet wrapped into a workflow of one job.
func readmeWorkflows(t *testing.T) []string {
	t.Helper()
	readme, err := os.ReadFile(filepath.Join(repoRoot, "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, m := range yamlBlock.FindAllStringSubmatch(string(readme), -1) {
		block := m[1]
		switch {
		case regexp.MustCompile(`(?m)^jobs:`).MatchString(block):
			out = append(out, block)
		case strings.HasPrefix(strings.TrimSpace(block), "- uses:"):
			out = append(out, "on: workflow_dispatch\njobs:\n  snippet:\n    runs-on: ubuntu-latest\n    steps:\n"+block)
		}
	}
	return out
}

// TestReadmeWorkflowsPassActionlint lints the README's workflow examples,
// with the action's published name replaced by ./ so that actionlint
// checks every input they pass against action.yml.
func TestReadmeWorkflowsPassActionlint(t *testing.T) {
	blocks := readmeWorkflows(t)
	if len(blocks) < 4 {
		t.Fatalf("found %d workflow examples in the README, want at least 4 (usage, image, matrix, fork)", len(blocks))
	}
	var out bytes.Buffer
	l, proj := linter(t, &out)
	for i, b := range blocks {
		local := strings.ReplaceAll(b, "engineering-kpis/engineering-kpis@v1", "./")
		var doc map[string]any
		if err := yaml.Unmarshal([]byte(local), &doc); err != nil {
			t.Errorf("README workflow %d is not YAML: %v", i+1, err)
			continue
		}
		out.Reset()
		errs, err := l.Lint(filepath.Join(repoRoot, ".github", "workflows", "readme-example.yml"), []byte(local), proj)
		if err != nil {
			t.Fatal(err)
		}
		if len(errs) > 0 {
			t.Errorf("README workflow %d: actionlint found %d problems:\n%s\n%s", i+1, len(errs), out.String(), b)
		}
	}
}

// TestPinImage checks the release's rewrite of action.yml: only the image
// line changes, to the published image, and a file without the line is
// refused.
func TestPinImage(t *testing.T) {
	orig, err := os.ReadFile(filepath.Join(repoRoot, "action.yml"))
	if err != nil {
		t.Fatal(err)
	}
	script, err := filepath.Abs(filepath.Join(repoRoot, ".ci", "pin-image"))
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	file := filepath.Join(dir, "action.yml")
	if err := os.WriteFile(file, orig, 0o644); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command(script, "ghcr.io/acme/engineering-kpis:v1.2.3", file).CombinedOutput(); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	pinned, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Runs struct{ Using, Image string } `yaml:"runs"`
	}
	if err := yaml.Unmarshal(pinned, &doc); err != nil {
		t.Fatal(err)
	}
	if doc.Runs.Using != "docker" || doc.Runs.Image != "docker://ghcr.io/acme/engineering-kpis:v1.2.3" {
		t.Errorf("runs = %+v after pinning", doc.Runs)
	}
	if want := bytes.Replace(orig, []byte("  image: Dockerfile\n"), []byte("  image: docker://ghcr.io/acme/engineering-kpis:v1.2.3\n"), 1); !bytes.Equal(pinned, want) {
		t.Errorf("pinning changed more than the image line")
	}
	// Pinning twice, or a bad reference, fails.
	for _, ref := range []string{"ghcr.io/acme/engineering-kpis:v1.2.4", "ghcr.io/Acme/X:v1", "ghcr.io/acme/x"} {
		if out, err := exec.Command(script, ref, file).CombinedOutput(); err == nil {
			t.Errorf("pin-image %s succeeded on a pinned file:\n%s", ref, out)
		}
	}
	// The released action.yml is a valid action for actionlint too.
	var lintOut bytes.Buffer
	l, proj := linter(t, &lintOut)
	wf := "on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: docker://ghcr.io/acme/engineering-kpis:v1.2.3\n        with:\n          window: 28d\n"
	if errs, err := l.Lint("pinned.yml", []byte(wf), proj); err != nil || len(errs) > 0 {
		t.Errorf("a workflow using the image: %v %s", err, lintOut.String())
	}
}
