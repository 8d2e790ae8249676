// Package publish writes a run's files back: as one commit on a branch
// through a Store that compares and swaps the branch head, retried on a
// concurrent update after merging with what the other writer committed, or
// into a local directory.
package publish

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"
)

// ErrConflict is returned by Store.Write when the target moved since the
// version it was given.
var ErrConflict = errors.New("the branch moved since it was read")

// Files maps "/"-separated repository paths to contents.
type Files map[string][]byte

// Snapshot is the state of some files at one version of the target.
type Snapshot struct {
	// Version identifies what was read (a commit id); "" for a directory.
	Version string
	// Files holds the files that exist; a missing path is absent.
	Files Files
}

// Store reads and writes repository files.
type Store interface {
	// Read returns the current contents of paths. A missing file is
	// absent from the result; any other failure is an error, never an
	// empty file.
	Read(ctx context.Context, paths []string) (Snapshot, error)
	// ReadAt returns the contents of paths at version (as Read gave it),
	// whatever the target holds now. A missing file is absent.
	ReadAt(ctx context.Context, version string, paths []string) (Files, error)
	// Write records files on top of version in one step and returns the
	// new version (a commit id, or "" for a directory). It returns an error
	// wrapping ErrConflict when the target is no longer at version.
	Write(ctx context.Context, version string, files Files, message string) (string, error)
}

// Update turns the files as read into the files to write. It is called
// again with the newer contents after a conflict, so it must merge rather
// than overwrite. It may add the files it read besides (with ReadAt at
// current.Version) to current.Files, so that those it returns unchanged
// are not written.
type Update func(current Snapshot) (Files, error)

// Result is what Publish did.
type Result struct {
	// Version is the new commit id ("" when nothing was written or for a
	// directory).
	Version string
	// Changed lists the paths written, sorted.
	Changed []string
	// Files are the final contents of every path update returned.
	Files Files
	// Attempts is how many writes were tried.
	Attempts int
}

// MaxAttempts bounds the writes tried when the target keeps moving: enough
// for 20 jobs of a matrix committing to one branch at once, each write
// after a jittered pause (see Backoff).
const MaxAttempts = 30

// Retry is how Publish waits between writes after a conflict.
type Retry struct {
	// Sleep waits (injected, so that tests never sleep); nil does not
	// wait.
	Sleep func(ctx context.Context, d time.Duration) error
	// Rand returns a number in [0, 1) for the jitter; nil takes
	// math/rand.
	Rand func() float64
}

// Backoff is the pause before write attempt+1 after attempt conflicted:
// a random share (full jitter) of 1 s doubled each attempt up to 16 s, so
// that writers that collided spread out instead of colliding again.
func Backoff(attempt int, r float64) time.Duration {
	ceiling := time.Second << min(attempt-1, 4)
	return time.Duration(r * float64(ceiling))
}

// Publish reads paths (or starts from first when given), applies update and
// writes the files that changed, retrying from a fresh read when the target
// moved meanwhile. Nothing is written when no file changed.
func Publish(ctx context.Context, s Store, paths []string, first *Snapshot, update Update, message string, retry Retry) (Result, error) {
	var res Result
	for attempt := 1; ; attempt++ {
		var cur Snapshot
		if attempt == 1 && first != nil {
			cur = *first
		} else {
			var err error
			if cur, err = s.Read(ctx, paths); err != nil {
				return res, err
			}
		}
		files, err := update(cur)
		if err != nil {
			return res, err
		}
		res.Files = files
		changed := Files{}
		res.Changed = nil
		for p, data := range files {
			if old, ok := cur.Files[p]; !ok || !bytes.Equal(old, data) {
				changed[p] = data
				res.Changed = append(res.Changed, p)
			}
		}
		sort.Strings(res.Changed)
		if len(changed) == 0 {
			return res, nil
		}
		res.Attempts = attempt
		version, err := s.Write(ctx, cur.Version, changed, message)
		if err == nil {
			res.Version = version
			return res, nil
		}
		if !errors.Is(err, ErrConflict) || attempt >= MaxAttempts {
			if errors.Is(err, ErrConflict) {
				return res, fmt.Errorf("gave up after %d attempts, the branch kept moving: %w", attempt, err)
			}
			return res, err
		}
		if retry.Sleep != nil {
			r := rand.Float64
			if retry.Rand != nil {
				r = retry.Rand
			}
			if err := retry.Sleep(ctx, Backoff(attempt, r())); err != nil {
				return res, err
			}
		}
	}
}

// Dir is a Store over a local directory (the workspace).
type Dir struct {
	Root string
}

// Read returns the files that exist under the directory.
func (d Dir) Read(_ context.Context, paths []string) (Snapshot, error) {
	snap := Snapshot{Files: Files{}}
	for _, p := range paths {
		data, err := os.ReadFile(d.path(p))
		if errors.Is(err, os.ErrNotExist) {
			continue
		}
		if err != nil {
			return snap, fmt.Errorf("read %s: %w", p, err)
		}
		snap.Files[p] = data
	}
	return snap, nil
}

// Write writes each file atomically (a temporary file renamed into place).
func (d Dir) Write(_ context.Context, _ string, files Files, _ string) (string, error) {
	paths := make([]string, 0, len(files))
	for p := range files {
		paths = append(paths, p)
	}
	sort.Strings(paths)
	for _, p := range paths {
		full := d.path(p)
		if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
			return "", fmt.Errorf("write %s: %w", p, err)
		}
		tmp, err := os.CreateTemp(filepath.Dir(full), "."+filepath.Base(full)+".*")
		if err != nil {
			return "", fmt.Errorf("write %s: %w", p, err)
		}
		_, werr := tmp.Write(files[p])
		cerr := tmp.Close()
		if werr == nil {
			werr = cerr
		}
		if werr == nil {
			werr = os.Chmod(tmp.Name(), 0o644)
		}
		if werr == nil {
			werr = os.Rename(tmp.Name(), full)
		}
		if werr != nil {
			os.Remove(tmp.Name())
			return "", fmt.Errorf("write %s: %w", p, werr)
		}
	}
	return "", nil
}

// ReadAt reads the files as they are now: a directory has no versions.
func (d Dir) ReadAt(ctx context.Context, _ string, paths []string) (Files, error) {
	snap, err := d.Read(ctx, paths)
	return snap.Files, err
}

func (d Dir) path(p string) string {
	return filepath.Join(d.Root, filepath.FromSlash(strings.TrimPrefix(p, "/")))
}

// Mem is a Store held in memory: a run that keeps nothing, but computes
// and renders everything a real run would.
type Mem struct {
	Files Files
}

// Read returns the files held.
func (m *Mem) Read(_ context.Context, paths []string) (Snapshot, error) {
	snap := Snapshot{Files: Files{}}
	for _, p := range paths {
		if data, ok := m.Files[p]; ok {
			snap.Files[p] = append([]byte(nil), data...)
		}
	}
	return snap, nil
}

// ReadAt returns the files held: Mem has no versions.
func (m *Mem) ReadAt(ctx context.Context, _ string, paths []string) (Files, error) {
	snap, err := m.Read(ctx, paths)
	return snap.Files, err
}

// Write keeps files.
func (m *Mem) Write(_ context.Context, _ string, files Files, _ string) (string, error) {
	if m.Files == nil {
		m.Files = Files{}
	}
	for p, data := range files {
		m.Files[p] = append([]byte(nil), data...)
	}
	return "", nil
}
