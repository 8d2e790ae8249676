package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/engineering-kpis/engineering-kpis/internal/history"
	"github.com/engineering-kpis/engineering-kpis/internal/testkit/githubfake"
)

const readmeWithMarkers = "# Widgets\n\nIntro stays.\n\n<!-- kpis:start -->\nold block\n<!-- kpis:end -->\n\nFooter stays.\n"

// readHistory reads the whole history under dir of files: the index and
// every part it lists.
func readHistory(t *testing.T, files map[string][]byte, dir string) *history.Tree {
	t.Helper()
	h, err := history.ReadFiles(files, dir)
	if err != nil {
		t.Fatalf("history: %v", err)
	}
	return h
}

// wholeHistory reads the history of .github/kpis under workspace, every
// part of it, as one document.
func wholeHistory(workspace string) ([]byte, error) {
	dir := filepath.Join(workspace, ".github", "kpis")
	index, err := os.ReadFile(filepath.Join(dir, "history.json"))
	if err != nil {
		return nil, err
	}
	h, err := history.ReadAll(index, func(p string) ([]byte, error) { return os.ReadFile(filepath.Join(dir, filepath.FromSlash(p))) })
	if err != nil {
		return nil, err
	}
	return h.Document().Marshal()
}

func snapshotDates(t *testing.T, files map[string][]byte, dir string) []string {
	t.Helper()
	var out []string
	for _, s := range readHistory(t, files, dir).Snapshots() {
		out = append(out, s.Repository+" "+s.Date)
	}
	return out
}

func TestActionCommitsThroughTheAPI(t *testing.T) {
	srv := githubfake.New(t, widgets())
	srv.SetStrict(true)
	srv.SetFile("acme", "widgets", "", "README.md", []byte(readmeWithMarkers))
	inputs := map[string]string{"as-of": "2026-11-25T12:00:00Z", "backfill": "3d", "readme": "README.md"}
	r := runAction(t, srv, inputs)
	if r.code != 0 {
		t.Fatalf("exit %d\n%s\n%s", r.code, r.stdout.String(), r.stderr.String())
	}
	head := srv.Head("acme", "widgets", "main")
	out := outputsOf(t, r.outputs)
	if out["commit-sha"] != head || head == "" {
		t.Errorf("commit-sha = %q, head = %q", out["commit-sha"], head)
	}
	commits := srv.Commits("acme", "widgets", "main")
	if len(commits) != 2 {
		t.Fatalf("%d commits, want the seed and one more", len(commits))
	}
	c := commits[0]
	if !strings.HasSuffix(c.Headline, "[skip ci]") || !strings.Contains(c.Headline, "2026-11-25") {
		t.Errorf("commit headline %q", c.Headline)
	}
	wantChanged := []string{".github/kpis/history.json", ".github/kpis/history/2026-11/2026-11-22.json", ".github/kpis/history/2026-11/2026-11-23.json",
		".github/kpis/history/2026-11/2026-11-24.json", ".github/kpis/history/2026-11/2026-11-25.json", ".github/kpis/review-wait.png", "README.md"}
	if strings.Join(c.Changed, ",") != strings.Join(wantChanged, ",") {
		t.Errorf("changed %v, want %v", c.Changed, wantChanged)
	}
	files := srv.Files("acme", "widgets", "main")
	if got := snapshotDates(t, files, ".github/kpis"); strings.Join(got, ",") != "acme/widgets 2026-11-22,acme/widgets 2026-11-23,acme/widgets 2026-11-24,acme/widgets 2026-11-25" {
		t.Errorf("snapshots %v", got)
	}
	readme := string(files["README.md"])
	if !strings.HasPrefix(readme, "# Widgets\n\nIntro stays.\n\n<!-- kpis:start -->\n") || !strings.HasSuffix(readme, "<!-- kpis:end -->\n\nFooter stays.\n") {
		t.Errorf("README outside the markers changed:\n%s", readme)
	}
	if !strings.Contains(readme, "![Review request wait: daily median and p90](.github/kpis/review-wait.png)") || strings.Contains(readme, "old block") {
		t.Errorf("README block not replaced:\n%s", readme)
	}
	summary, _ := os.ReadFile(r.summary)
	if !strings.Contains(string(summary), "https://github.com/acme/widgets/blob/"+head+"/.github/kpis/review-wait.png") {
		t.Errorf("summary does not link the committed chart:\n%s", summary)
	}
	if srv.Stats().RefUpdates != 0 {
		t.Error("a ref was moved by REST")
	}
	// The token is in no output channel: log (but the mask command),
	// outputs, summary, committed files, commit message.
	outputsFile, _ := os.ReadFile(r.outputs)
	channels := map[string]string{
		"stdout":  strings.Replace(r.stdout.String(), "::add-mask::"+githubfake.DefaultToken, "", 1),
		"stderr":  r.stderr.String(),
		"outputs": string(outputsFile),
		"summary": string(summary),
		"message": c.Headline + c.Body,
	}
	for p, data := range files {
		channels["file "+p] = string(data)
	}
	for name, data := range channels {
		if strings.Contains(data, githubfake.DefaultToken) {
			t.Errorf("the token appears in %s", name)
		}
	}

	// The same run again: nothing changed, nothing committed.
	r2 := runAction(t, srv, inputs)
	if r2.code != 0 {
		t.Fatalf("re-run: exit %d\n%s", r2.code, r2.stdout.String())
	}
	if n := len(srv.Commits("acme", "widgets", "main")); n != 2 {
		t.Errorf("re-run made a commit (%d commits)", n)
	}
	if got := outputsOf(t, r2.outputs)["commit-sha"]; got != "" {
		t.Errorf("re-run commit-sha = %q, want empty", got)
	}

	// The next day: one new snapshot in a new part, the earlier parts
	// untouched.
	r3 := runAction(t, srv, map[string]string{"as-of": "2026-11-26T12:00:00Z", "backfill": "3d", "readme": "README.md"})
	if r3.code != 0 {
		t.Fatalf("next day: exit %d\n%s", r3.code, r3.stdout.String())
	}
	after := srv.Files("acme", "widgets", "main")
	if got := snapshotDates(t, after, ".github/kpis"); len(got) != 5 || got[4] != "acme/widgets 2026-11-26" {
		t.Errorf("snapshots after the next day: %v", got)
	}
	if changed := srv.Commits("acme", "widgets", "main")[0].Changed; !slices.Contains(changed, ".github/kpis/history/2026-11/2026-11-26.json") ||
		slices.ContainsFunc(changed, func(p string) bool {
			return strings.HasPrefix(p, ".github/kpis/history/2026-11/2026-11-2") && !strings.HasSuffix(p, "26.json")
		}) {
		t.Errorf("the next day changed %v: earlier parts were rewritten", changed)
	}
}

func TestActionConcurrentRunKeepsBothSnapshots(t *testing.T) {
	srv := githubfake.New(t, widgets())
	srv.SetFile("acme", "widgets", "", "README.md", []byte("# w\n"))
	// Another run committed yesterday's snapshot to the branch between
	// this run's read and its write.
	other := `{
  "schema": 1,
  "snapshots": [
    {
      "date": "2026-11-24",
      "repository": "acme/widgets",
      "clock": "calendar",
      "computed_at": "2026-11-24T23:00:00Z",
      "metrics": {"review_requests_waiting": 9},
      "samples": {},
      "incomplete": [],
      "note": "written by another run"
    }
  ],
  "future_section": {"kept": true}
}
`
	srv.OnBeforeCommit(func(n int) {
		if n == 1 {
			srv.CommitFiles("acme", "widgets", "main", "other run", map[string][]byte{".github/kpis/history.json": []byte(other)})
		}
	})
	r := runAction(t, srv, map[string]string{"as-of": "2026-11-25T12:00:00Z", "backfill": "0d"})
	if r.code != 0 {
		t.Fatalf("exit %d\n%s\n%s", r.code, r.stdout.String(), r.stderr.String())
	}
	files := srv.Files("acme", "widgets", "main")
	hist := files[".github/kpis/history/2026-11/2026-11-24.json"]
	if got := snapshotDates(t, files, ".github/kpis"); strings.Join(got, ",") != "acme/widgets 2026-11-24,acme/widgets 2026-11-25" {
		t.Errorf("snapshots %v: one run's snapshot was lost", got)
	}
	for _, s := range []string{`"note": "written by another run"`, `"review_requests_waiting": 9`} {
		if !strings.Contains(string(hist), s) {
			t.Errorf("history lost %s:\n%s", s, hist)
		}
	}
	for _, s := range []string{`"future_section"`} {
		if !strings.Contains(string(files[".github/kpis/history.json"]), s) {
			t.Errorf("history lost %s:\n%s", s, hist)
		}
	}
	writes := srv.Stats().Writes
	if len(writes) != 2 || writes[0].Error != "STALE_DATA" || writes[1].Error != "" {
		t.Errorf("writes %+v, want a stale one then a good one", writes)
	}
}

func TestActionRefusesBadHistory(t *testing.T) {
	cases := []struct {
		name, history, want string
	}{
		{"corrupt", `{"schema": 1, "snapshots": [`, "not a valid history file"},
		{"newer schema", `{"schema": 3, "snapshots": []}`, "newer version"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			srv := githubfake.New(t, widgets())
			srv.SetFile("acme", "widgets", "", ".github/kpis/history.json", []byte(tc.history))
			head := srv.Head("acme", "widgets", "main")
			r := runAction(t, srv, map[string]string{"as-of": "2026-11-25T12:00:00Z"})
			if r.code != 1 {
				t.Fatalf("exit %d, want 1", r.code)
			}
			if !strings.Contains(r.stdout.String(), tc.want) {
				t.Errorf("error does not say %q:\n%s", tc.want, r.stdout.String())
			}
			if tc.name == "newer schema" && (strings.Contains(r.stdout.String(), "remove") || strings.Contains(r.stdout.String(), "not a valid")) {
				t.Errorf("a newer history is valid and must not be removed:\n%s", r.stdout.String())
			}
			if srv.Head("acme", "widgets", "main") != head || string(srv.Files("acme", "widgets", "main")[".github/kpis/history.json"]) != tc.history {
				t.Error("the history was overwritten")
			}
			if n := srv.Stats().ByOperation["PullRequests"].Requests; n != 0 {
				t.Errorf("%d pull-request queries spent before refusing", n)
			}
		})
	}
}

func TestActionReadmeWithoutMarkersIsLeftAlone(t *testing.T) {
	srv := githubfake.New(t, widgets())
	srv.SetFile("acme", "widgets", "", "README.md", []byte("# no markers\n"))
	r := runAction(t, srv, map[string]string{"as-of": "2026-11-25T12:00:00Z", "readme": "README.md", "backfill": "0d"})
	if r.code != 0 {
		t.Fatalf("exit %d\n%s", r.code, r.stdout.String())
	}
	if !strings.Contains(r.stdout.String(), "::warning::readme: README.md has no <!-- kpis:start -->") {
		t.Errorf("no warning:\n%s", r.stdout.String())
	}
	if got := string(srv.Files("acme", "widgets", "main")["README.md"]); got != "# no markers\n" {
		t.Errorf("README changed: %q", got)
	}
}

func TestActionMissingBranch(t *testing.T) {
	srv := githubfake.New(t, widgets())
	srv.SetFile("acme", "widgets", "", "README.md", []byte("# w\n"))
	r := runAction(t, srv, map[string]string{"branch": "kpi-data"})
	if r.code != 1 || !strings.Contains(r.stdout.String(), `branch "kpi-data" does not exist`) {
		t.Errorf("exit %d:\n%s", r.code, r.stdout.String())
	}
	if n := srv.Stats().Requests; n != 0 {
		t.Errorf("%d GraphQL requests spent before failing", n)
	}
}

func TestActionOKR(t *testing.T) {
	srv := githubfake.New(t, widgets())
	srv.SetFile("acme", "widgets", "", ".github/kpis.yml", []byte(`objective: Faster reviews
quarter: 2026-Q4
key-results:
  - metric: review_wait_median_hours
    target: 2
    baseline: 10
  - metric: review_wait_p90_hours
    target: 24
`))
	r := runAction(t, srv, map[string]string{"as-of": "2026-11-25T12:00:00Z", "backfill": "3d"})
	if r.code != 0 {
		t.Fatalf("exit %d\n%s\n%s", r.code, r.stdout.String(), r.stderr.String())
	}
	// By hand: 55 of Q4's 92 days are gone, f = 0.5978.
	// Median: baseline 10, target 2, now 4: p = 6/8 = 0.75 ≥ f → on track;
	// expected 10 − 8·55/92 = 5.21739.
	// p90: no baseline in the file; the first snapshot on or after
	// 2026-10-01 is the backfilled 2026-11-22 (waits 2.5, 4, 30, 48 → 48);
	// now 48: p = 0 < f − 0.25 → off track. Overall: off track.
	out := outputsOf(t, r.outputs)
	if out["okr-status"] != "off-track" || out["okr-report"] != ".github/kpis/okr-report.json" {
		t.Errorf("okr outputs: status %q, report %q", out["okr-status"], out["okr-report"])
	}
	var rep struct {
		Status     string `json:"status"`
		KeyResults []struct {
			Metric       string   `json:"metric"`
			Baseline     *float64 `json:"baseline"`
			BaselineDate string   `json:"baseline_date"`
			Current      *float64 `json:"current"`
			Expected     *float64 `json:"expected"`
			Progress     *float64 `json:"progress"`
			Status       string   `json:"status"`
		} `json:"key_results"`
	}
	data := srv.Files("acme", "widgets", "main")[".github/kpis/okr-report.json"]
	if err := json.Unmarshal(data, &rep); err != nil {
		t.Fatalf("okr report: %v\n%s", err, data)
	}
	got := fmt.Sprintf("%s|%s %v %v %v %v %s|%s %v %s %v %v %s", rep.Status,
		rep.KeyResults[0].Metric, *rep.KeyResults[0].Baseline, *rep.KeyResults[0].Current, *rep.KeyResults[0].Expected, *rep.KeyResults[0].Progress, rep.KeyResults[0].Status,
		rep.KeyResults[1].Metric, *rep.KeyResults[1].Baseline, rep.KeyResults[1].BaselineDate, *rep.KeyResults[1].Current, *rep.KeyResults[1].Progress, rep.KeyResults[1].Status)
	want := "off-track|review_wait_median_hours 10 4 5.21739 0.75 on-track|review_wait_p90_hours 48 2026-11-22 48 0 off-track"
	if got != want {
		t.Errorf("okr report\n got %s\nwant %s", got, want)
	}
	if _, err := os.Stat(filepath.Join(r.workspace, ".github/kpis/okr-report.json")); err != nil {
		t.Errorf("okr-report is not in the workspace for later steps: %v", err)
	}
	summary, _ := os.ReadFile(r.summary)
	if !strings.Contains(string(summary), "## OKR: Faster reviews") || !strings.Contains(string(summary), "🔴 off track") {
		t.Errorf("summary lacks the OKR table:\n%s", summary)
	}
}

func TestActionBadOKRFile(t *testing.T) {
	srv := githubfake.New(t, widgets())
	srv.SetFile("acme", "widgets", "", ".github/kpis.yml", []byte("objective: x\nquarter: 2026-Q5\nkey-results:\n  - metric: review_wait_median_hours\n    target: 2\n"))
	head := srv.Head("acme", "widgets", "main")
	r := runAction(t, srv, map[string]string{"as-of": "2026-11-25T12:00:00Z"})
	if r.code != 1 {
		t.Fatalf("exit %d, want 1", r.code)
	}
	if !strings.Contains(r.stdout.String(), ".github/kpis.yml line 2") || !strings.Contains(r.stdout.String(), "quarter") {
		t.Errorf("error does not name the file, line and field:\n%s", r.stdout.String())
	}
	if srv.Head("acme", "widgets", "main") != head || srv.Stats().Requests != 0 {
		t.Error("something was fetched or committed")
	}
}

func TestActionOrganisation(t *testing.T) {
	u := githubfake.User
	gadgets := githubfake.Repo{Owner: "acme", Name: "gadgets", PullRequests: []githubfake.PullRequest{
		{Number: 1, Title: "Gadget API", Author: u("frank"), CreatedAt: at("2026-11-24T09:00"), Items: []githubfake.Item{
			githubfake.Requested(at("2026-11-24T10:00"), u("bob")),
			githubfake.Review(at("2026-11-24T11:00"), u("bob"), "APPROVED"),
			githubfake.Merged(at("2026-11-24T12:00")),
			githubfake.Closed(at("2026-11-24T12:00")),
		}},
	}}
	old := githubfake.Repo{Owner: "acme", Name: "old", Archived: true, PullRequests: []githubfake.PullRequest{
		{Number: 1, Title: "Never measured", Author: u("erin"), CreatedAt: at("2026-11-20T09:00"), Items: []githubfake.Item{
			githubfake.Requested(at("2026-11-20T10:00"), u("bob")),
		}},
	}}
	srv := githubfake.New(t, widgets(), gadgets, old)
	srv.SetStrict(true)
	r := runAction(t, srv, map[string]string{"as-of": "2026-11-25T12:00:00Z", "commit": "false", "backfill": "2d", "repositories": "org:acme"})
	if r.code != 0 {
		t.Fatalf("exit %d\n%s\n%s", r.code, r.stdout.String(), r.stderr.String())
	}
	// Pooled by hand: widgets' 2.5, 4, 30, 48 and gadgets' 1 → 1, 2.5, 4,
	// 30, 48: median ⌈2.5⌉ = 3rd = 4, p90 ⌈4.5⌉ = 5th = 48, mean 85.5/5 =
	// 17.1, within 24h 3 of 5 = 0.6; waiting 3 (the archived repository's
	// request is not measured).
	out := outputsOf(t, r.outputs)
	want := map[string]string{
		"review-wait-median-hours": "4", "review-wait-p90-hours": "48", "review-wait-mean-hours": "17.1",
		"review-requests-answered": "5", "review-answered-within-sla-ratio": "0.6", "review-requests-waiting": "3",
	}
	for k, v := range want {
		if out[k] != v {
			t.Errorf("output %s = %q, want %q", k, out[k], v)
		}
	}
	summary, _ := os.ReadFile(r.summary)
	for _, s := range []string{"## Review request wait — all 2 repositories", "## Review request wait — acme/gadgets", "## Review request wait — acme/widgets"} {
		if !strings.Contains(string(summary), s) {
			t.Errorf("summary lacks %q", s)
		}
	}
	if strings.Contains(string(summary), "acme/old") {
		t.Error("the archived repository was measured")
	}
	files := map[string][]byte{}
	root := filepath.Join(r.workspace, ".github/kpis")
	_ = filepath.WalkDir(root, func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			rel, _ := filepath.Rel(r.workspace, p)
			files[filepath.ToSlash(rel)], _ = os.ReadFile(p)
		}
		return nil
	})
	// Each repository and the pooled "*" get today and two backfilled
	// days. As of 11-25 00:00 the pool has answered widgets' four
	// requests and gadgets' one (11-24 11:00): 5.
	dates := snapshotDates(t, files, ".github/kpis")
	wantDates := []string{"* 2026-11-23", "acme/gadgets 2026-11-23", "acme/widgets 2026-11-23", "* 2026-11-24", "acme/gadgets 2026-11-24", "acme/widgets 2026-11-24", "* 2026-11-25", "acme/gadgets 2026-11-25", "acme/widgets 2026-11-25"}
	if strings.Join(dates, ",") != strings.Join(wantDates, ",") {
		t.Errorf("snapshots %v, want %v", dates, wantDates)
	}
	for _, s := range readHistory(t, files, ".github/kpis").Snapshots() {
		if s.Repository == "*" && s.Date == "2026-11-24" {
			if v := s.Metrics["review_requests_answered"]; v == nil || *v != 5 {
				t.Errorf("pooled answered on 11-24 = %v, want 5", v)
			}
		}
	}
	for _, f := range []string{"review-wait-acme-gadgets.png", "review-wait-acme-widgets.png"} {
		if _, err := os.Stat(filepath.Join(r.workspace, ".github/kpis", f)); err != nil {
			t.Error(err)
		}
	}
}
