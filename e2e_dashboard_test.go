package main

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/engineering-kpis/engineering-kpis/internal/testkit/githubfake"
)

// checkDashboard checks the page and its data as a run wrote them.
func checkDashboard(t *testing.T, page, data []byte, repo string) {
	t.Helper()
	if !bytes.HasPrefix(page, []byte("<!doctype html>")) || !bytes.Contains(page, []byte("Content-Security-Policy")) {
		t.Errorf("index.html is not the dashboard page: %.100q", page)
	}
	var d struct {
		History      string   `json:"history"`
		SLAHours     float64  `json:"sla_hours"`
		Repositories []string `json:"repositories"`
		Waiting      map[string]struct {
			Total   int `json:"total"`
			Longest []struct {
				Number int    `json:"number"`
				Title  string `json:"title"`
			} `json:"longest"`
		} `json:"waiting"`
	}
	if err := json.Unmarshal(data, &d); err != nil {
		t.Fatalf("dashboard.json: %v", err)
	}
	if d.History != "history.json" || d.SLAHours != 24 || len(d.Repositories) != 1 || d.Repositories[0] != repo {
		t.Errorf("dashboard.json %+v", d)
	}
	if w := d.Waiting[repo]; w.Total == 0 || len(w.Longest) == 0 {
		t.Errorf("dashboard.json has no waiting list for %s: %+v", repo, d.Waiting)
	}
}

// checkDashboardFiles checks the page and its data written into dir.
func checkDashboardFiles(t *testing.T, dir, repo string) {
	t.Helper()
	var files [2][]byte
	for i, name := range []string{"index.html", "dashboard.json"} {
		data, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		files[i] = data
	}
	checkDashboard(t, files[0], files[1], repo)
}

// TestActionCommitsTheDashboard: with dashboard: true the page and its
// data go into the one commit that records the history.
func TestActionCommitsTheDashboard(t *testing.T) {
	srv := githubfake.New(t, widgets())
	srv.SetStrict(true)
	srv.SetFile("acme", "widgets", "", "README.md", []byte("# Widgets\n"))
	r := runAction(t, srv, map[string]string{"as-of": "2026-11-25T12:00:00Z", "backfill": "3d", "dashboard": "true"})
	if r.code != 0 {
		t.Fatalf("exit %d\n%s\n%s", r.code, r.stdout.String(), r.stderr.String())
	}
	commits := srv.Commits("acme", "widgets", "main")
	if len(commits) != 2 {
		t.Fatalf("%d commits, want the seed and one more", len(commits))
	}
	want := []string{".github/kpis/dashboard.json", ".github/kpis/history.json", ".github/kpis/history/2026-11/2026-11-22.json", ".github/kpis/history/2026-11/2026-11-23.json",
		".github/kpis/history/2026-11/2026-11-24.json", ".github/kpis/history/2026-11/2026-11-25.json", ".github/kpis/index.html", ".github/kpis/review-wait.png"}
	if diff := cmp.Diff(want, commits[0].Changed); diff != "" {
		t.Errorf("files of the commit (-want +got):\n%s", diff)
	}
	files := srv.Files("acme", "widgets", "main")
	checkDashboard(t, files[".github/kpis/index.html"], files[".github/kpis/dashboard.json"], "acme/widgets")
	entries, _ := os.ReadDir(filepath.Join(r.workspace, ".github"))
	if len(entries) != 0 {
		t.Errorf("commit: true wrote into the workspace: %v", entries)
	}
}

// TestActionWritesTheDashboardIntoTheWorkspace: with commit: false the
// page is written beside the history in the workspace, and nothing is
// committed.
func TestActionWritesTheDashboardIntoTheWorkspace(t *testing.T) {
	srv := githubfake.New(t, widgets())
	head := srv.Head("acme", "widgets", "main")
	r := runAction(t, srv, map[string]string{"as-of": "2026-11-25T12:00:00Z", "backfill": "3d", "dashboard": "true", "commit": "false"})
	if r.code != 0 {
		t.Fatalf("exit %d\n%s\n%s", r.code, r.stdout.String(), r.stderr.String())
	}
	checkDashboardFiles(t, filepath.Join(r.workspace, ".github", "kpis"), "acme/widgets")
	if got := srv.Head("acme", "widgets", "main"); got != head {
		t.Errorf("commit: false moved the branch to %s", got)
	}
}

// TestActionWithoutDashboard: the default writes no page.
func TestActionWithoutDashboard(t *testing.T) {
	srv := githubfake.New(t, widgets())
	r := runAction(t, srv, map[string]string{"as-of": "2026-11-25T12:00:00Z", "backfill": "0d", "commit": "false"})
	if r.code != 0 {
		t.Fatalf("exit %d\n%s\n%s", r.code, r.stdout.String(), r.stderr.String())
	}
	for _, f := range []string{"index.html", "dashboard.json"} {
		if _, err := os.Stat(filepath.Join(r.workspace, ".github", "kpis", f)); err == nil {
			t.Errorf("%s written without dashboard: true", f)
		}
	}
}

// TestDemoDashboard: --demo --out DIR --dashboard writes the page beside
// the history; --dashboard without --out is refused.
func TestDemoDashboard(t *testing.T) {
	dir := t.TempDir()
	out, err := exec.Command(binary, "--demo", "--out", dir, "--dashboard").CombinedOutput()
	if err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	checkDashboardFiles(t, dir, "acme/storefront")

	cmd := exec.Command(binary, "--demo", "--dashboard")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Run(); err == nil || !strings.Contains(stderr.String(), "--out") {
		t.Errorf("--dashboard without --out: err %v, stderr %q", err, stderr.String())
	}
}
