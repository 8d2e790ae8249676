package githubapi

import (
	"errors"
	"strings"
	"testing"

	"github.com/engineering-kpis/engineering-kpis/internal/publish"
	"github.com/engineering-kpis/engineering-kpis/internal/testkit/githubfake"
)

// TestWriteThroughGitData: files over MaxMutationBytes go through blobs,
// a tree, a commit and a fast-forward ref update; a branch that moved
// meanwhile answers 422 "Update is not a fast forward", which is a
// conflict to merge and retry, never a forced update.
func TestWriteThroughGitData(t *testing.T) {
	s := githubfake.New(t, app())
	seed := s.SetFile("acme", "app", "", "keep.txt", []byte("kept\n"))
	b := newBranch(t, s, s.APIURL(), "main")
	b.MaxMutationBytes = 10
	big := []byte(strings.Repeat("0123456789", 100))
	oid, err := b.Write(t.Context(), seed, publish.Files{"kpis/history/2026-11/2026-11-25.json": big, "kpis/history.json": []byte("{}\n")}, "Update KPIs\n\nbody")
	if err != nil {
		t.Fatal(err)
	}
	if head := s.Head("acme", "app", "main"); head != oid {
		t.Fatalf("head %s, commit %s", head, oid)
	}
	c := s.Commits("acme", "app", "main")[0]
	if c.Parent != seed || c.Headline != "Update KPIs" || c.Body != "body" || string(c.Files["kpis/history/2026-11/2026-11-25.json"]) != string(big) || string(c.Files["keep.txt"]) != "kept\n" {
		t.Errorf("commit %+v", c)
	}
	if got := strings.Join(c.Changed, ","); got != "kpis/history.json,kpis/history/2026-11/2026-11-25.json" {
		t.Errorf("changed %s", got)
	}
	st := s.Stats()
	if st.GitDataUpdates != 1 || len(st.Writes) != 0 || st.RefUpdates != 0 || st.BlobBytes != len(big)+3 {
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
