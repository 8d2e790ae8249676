package cli

import (
	"os"
	"sort"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"go.yaml.in/yaml/v3"

	"github.com/engineering-kpis/engineering-kpis/internal/kpi"
)

// TestActionYAMLMatchesTheCode checks that action.yml declares exactly the
// inputs the binary reads, documents every output it sets, and gives each
// a description.
func TestActionYAMLMatchesTheCode(t *testing.T) {
	data, err := os.ReadFile("../../action.yml")
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Inputs  map[string]struct{ Description string } `yaml:"inputs"`
		Outputs map[string]struct{ Description string } `yaml:"outputs"`
		Runs    struct{ Using, Image string }           `yaml:"runs"`
	}
	if err := yaml.Unmarshal(data, &doc); err != nil {
		t.Fatal(err)
	}
	if doc.Runs.Using != "docker" || doc.Runs.Image != "Dockerfile" {
		t.Errorf("runs = %+v, want a Docker action built from Dockerfile", doc.Runs)
	}
	var declared []string
	for name, in := range doc.Inputs {
		declared = append(declared, name)
		if strings.TrimSpace(in.Description) == "" {
			t.Errorf("input %s has no description", name)
		}
	}
	read := append([]string(nil), actionInputs...)
	sort.Strings(declared)
	sort.Strings(read)
	if diff := cmp.Diff(read, declared); diff != "" {
		t.Errorf("inputs read by the code (-) vs declared in action.yml (+):\n%s", diff)
	}
	outputs := []string{"history-file", "commit-sha", "okr-status", "okr-report"}
	for _, m := range kpi.Metrics() {
		outputs = append(outputs, m.Output())
	}
	for _, o := range outputs {
		if out, ok := doc.Outputs[o]; !ok || strings.TrimSpace(out.Description) == "" {
			t.Errorf("output %s is not documented in action.yml", o)
		}
	}
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range append(declared, outputs...) {
		if !strings.Contains(string(readme), "`"+name+"`") {
			t.Errorf("README does not document %s", name)
		}
	}
}
