package githubapi

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"testing"

	"github.com/engineering-kpis/engineering-kpis/internal/publish"
	"github.com/engineering-kpis/engineering-kpis/internal/testkit/githubfake"
)

// TestWriteThroughGitData: files over MaxMutationBytes go through a tree
// carrying the text files inline and a blob for each binary one, a
// commit and a fast-forward ref update; a branch that moved
// meanwhile answers 422 "Update is not a fast forward", which is a
// conflict to merge and retry, never a forced update.
func TestWriteThroughGitData(t *testing.T) {
	s := githubfake.New(t, app())
	seed := s.SetFile("acme", "app", "", "keep.txt", []byte("kept\n"))
	b := newBranch(t, s, s.APIURL(), "main")
	b.MaxMutationBytes = 10
	big := []byte(strings.Repeat("0123456789", 100))
	png := []byte{0x89, 'P', 'N', 'G', 0xff, 0xfe}
	oid, err := b.Write(t.Context(), seed, publish.Files{"kpis/history/2026-11/2026-11-25.json": big, "kpis/history.json": []byte("{}\n"), "kpis/chart.png": png}, "Update KPIs\n\nbody")
	if err != nil {
		t.Fatal(err)
	}
	if head := s.Head("acme", "app", "main"); head != oid {
		t.Fatalf("head %s, commit %s", head, oid)
	}
	c := s.Commits("acme", "app", "main")[0]
	if c.Parent != seed || c.Headline != "Update KPIs" || c.Body != "body" || string(c.Files["kpis/history/2026-11/2026-11-25.json"]) != string(big) || string(c.Files["keep.txt"]) != "kept\n" || string(c.Files["kpis/chart.png"]) != string(png) {
		t.Errorf("commit %+v", c)
	}
	if got := strings.Join(c.Changed, ","); got != "kpis/chart.png,kpis/history.json,kpis/history/2026-11/2026-11-25.json" {
		t.Errorf("changed %s", got)
	}
	st := s.Stats()
	// Only the binary file is uploaded as a blob; the text rides in the tree.
	if st.GitDataUpdates != 1 || len(st.Writes) != 0 || st.RefUpdates != 0 || st.BlobBytes != len(png) {
		t.Errorf("stats: %d Git Data updates, %d mutations, %d forced, %d blob bytes", st.GitDataUpdates, len(st.Writes), st.RefUpdates, st.BlobBytes)
	}

	// Another writer moves the branch: writing on the old head conflicts.
	s.SetFile("acme", "app", "", "other.txt", []byte("other\n"))
	moved := s.Head("acme", "app", "main")
	_, err = b.Write(t.Context(), oid, publish.Files{"kpis/history.json": []byte("{\"n\":2}\n")}, "Again")
	if !errors.Is(err, publish.ErrConflict) {
		t.Fatalf("err = %v, want ErrConflict", err)
	}
	if s.Head("acme", "app", "main") != moved {
		t.Error("the branch moved on a conflict")
	}

	// Publish merges and retries through the same path.
	res, err := publish.Publish(t.Context(), b, []string{"team.txt"}, &publish.Snapshot{Version: oid, Files: publish.Files{}}, unionLines("team.txt", "dave"), "Add dave", publish.Retry{})
	if err != nil || res.Attempts != 2 {
		t.Fatalf("publish: %v after %d attempts, want success on the second", err, res.Attempts)
	}
	files := s.Files("acme", "app", "main")
	if string(files["other.txt"]) != "other\n" || string(files["team.txt"]) != "dave\n" {
		t.Errorf("files after the retry: other %q, team %q", files["other.txt"], files["team.txt"])
	}
}

// TestReadAtVersion reads files as they were at a commit, whatever the
// branch holds now.
func TestReadAtVersion(t *testing.T) {
	s := githubfake.New(t, app())
	v1 := s.SetFile("acme", "app", "", "a.txt", []byte("one\n"))
	s.SetFile("acme", "app", "", "a.txt", []byte("two\n"))
	b := newBranch(t, s, s.APIURL(), "main")
	files, err := b.ReadAt(t.Context(), v1, []string{"a.txt", "missing.txt"})
	if err != nil {
		t.Fatal(err)
	}
	if len(files) != 1 || string(files["a.txt"]) != "one\n" {
		t.Errorf("ReadAt = %q", files)
	}
}

// TestGitDataTreesInBatches: text beyond one tree request's share goes in
// further trees, each on the one before; the commit holds every file.
func TestGitDataTreesInBatches(t *testing.T) {
	s := githubfake.New(t, app())
	seed := s.SetFile("acme", "app", "", "keep.txt", []byte("kept\n"))
	b := newBranch(t, s, s.APIURL(), "main")
	b.MaxMutationBytes, b.TreeBatchBytes = 10, 250
	files := publish.Files{}
	for i := range 5 {
		files[fmt.Sprintf("kpis/history/2026-11/2026-11-%02d.json", i+1)] = []byte(strings.Repeat(strconv.Itoa(i), 200))
	}
	if _, err := b.Write(t.Context(), seed, files, "Update KPIs"); err != nil {
		t.Fatal(err)
	}
	got := s.Files("acme", "app", "main")
	for p, want := range files {
		if string(got[p]) != string(want) {
			t.Errorf("%s = %.20q…, want %.20q…", p, got[p], want)
		}
	}
	if string(got["keep.txt"]) != "kept\n" || s.Stats().BlobBytes != 0 {
		t.Errorf("keep.txt %q, %d blob bytes", got["keep.txt"], s.Stats().BlobBytes)
	}
}

// TestGitDataRefused: a ruleset or branch protection that refuses the ref
// update gets the same advice as on the createCommitOnBranch path.
func TestGitDataRefused(t *testing.T) {
	cases := []struct {
		name string
		p    *githubfake.Protection
		want string
	}{
		{"ruleset", githubfake.RulesetProtection(), "was refused by a repository ruleset"},
		{"branch protection", githubfake.BranchProtection(), "was refused by branch protection"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s := githubfake.New(t, app())
			seed := s.SetFile("acme", "app", "", "keep.txt", []byte("kept\n"))
			s.ProtectBranch("acme", "app", "main", tc.p)
			b := newBranch(t, s, s.APIURL(), "main")
			b.MaxMutationBytes = 1
			_, err := b.Write(t.Context(), seed, publish.Files{"kpis/history.json": []byte("{}\n")}, "Update")
			if err == nil || !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), "branch: kpi-data") {
				t.Errorf("err = %v, want one saying %q and what to change", err, tc.want)
			}
			if s.Head("acme", "app", "main") != seed {
				t.Error("the branch moved")
			}
		})
	}
}
