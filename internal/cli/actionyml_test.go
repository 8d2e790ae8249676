package cli

import (
	"os"
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"go.yaml.in/yaml/v3"

	"github.com/engineering-kpis/engineering-kpis/internal/config"
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
		Inputs map[string]struct {
			Description string
			Default     *string
		} `yaml:"inputs"`
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
	read := config.Names()
	for _, in := range config.Inputs {
		d, ok := doc.Inputs[in.Name]
		if !ok {
			continue
		}
		want := in.Default
		if in.ActionDefault != "" {
			want = in.ActionDefault
		}
		if d.Default == nil || *d.Default != want {
			t.Errorf("input %s: action.yml's default is %v, the code's %q", in.Name, d.Default, want)
		}
	}
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

// TestLimitsAreDocumented: every duration that action.yml's description
// or the README's inputs table writes for a duration input is accepted by
// it, and both state its upper bound.
func TestLimitsAreDocumented(t *testing.T) {
	action, err := os.ReadFile("../../action.yml")
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Inputs map[string]struct{ Description string } `yaml:"inputs"`
	}
	if err := yaml.Unmarshal(action, &doc); err != nil {
		t.Fatal(err)
	}
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	bounds := map[string][2]time.Duration{
		config.InWindow:   {config.MinWindow, config.MaxWindow},
		config.InSLA:      {config.MinSLA, config.MaxSLA},
		config.InBackfill: {0, config.MaxBackfill},
		config.InMaxWait:  {0, config.MaxMaxWait},
	}
	durations := regexp.MustCompile(`\b[0-9]+[dhm]\b`)
	for in, b := range bounds {
		row := regexp.MustCompile("(?m)^\\| `" + in + "` \\|.*$").FindString(string(readme))
		for where, text := range map[string]string{"action.yml": doc.Inputs[in].Description, "README": row} {
			if text == "" {
				t.Errorf("%s does not describe %s", where, in)
				continue
			}
			if !strings.Contains(text, config.FormatDuration(b[1])) {
				t.Errorf("%s does not state the upper bound %s of %s: %s", where, config.FormatDuration(b[1]), in, text)
			}
			for _, s := range durations.FindAllString(text, -1) {
				d, err := config.ParseDuration(s)
				if err != nil || d < b[0] || d > b[1] {
					t.Errorf("%s writes %s for %s, which it refuses", where, s, in)
				}
			}
		}
	}
}

// TestActionDescriptionCoversTheProduct: action.yml (what the Marketplace
// shows) says what the README says the action does.
func TestActionDescriptionCoversTheProduct(t *testing.T) {
	data, err := os.ReadFile("../../action.yml")
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Description string
		Inputs      map[string]struct{ Description string } `yaml:"inputs"`
	}
	if err := yaml.Unmarshal(data, &doc); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"review", "Sentry", "history.json", "chart", "OKR", "job summary", "README", "outputs"} {
		if !strings.Contains(doc.Description, want) {
			t.Errorf("the action's description does not mention %s: %q", want, doc.Description)
		}
	}
	if !strings.Contains(doc.Inputs[config.InRepositories].Description, "org:NAME") {
		t.Error("the repositories input does not mention org:NAME")
	}
}
