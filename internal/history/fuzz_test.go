package history

import (
	"bytes"
	"testing"
)

// FuzzParse checks that no file makes Parse panic, and that whatever it
// accepts is written back stably: Marshal(Parse(x)) parses to the same
// bytes again. Seeds are in testdata/fuzz/FuzzParse.
func FuzzParse(f *testing.F) {
	for _, s := range []string{
		`{"schema":1,"snapshots":[]}`,
		`{"schema":1,"snapshots":[{"date":"2026-11-25","repository":"o/r","clock":"calendar","metrics":{"review_wait_median_hours":7},"samples":{},"incomplete":[]}]}`,
		`{"schema":1,"snapshots":[],"sentry_days":[{"date":"2026-11-24","events":3,"users":0}],"other":{"x":[1,2]}}`,
		`{"schema":2}`,
		`[1,2]`,
		`{"schema":1,"snapshots":[{"date":"x"}]}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		h, err := Parse(data)
		if err != nil {
			return
		}
		out, err := h.Marshal()
		if err != nil {
			return
		}
		h2, err := Parse(out)
		if err != nil {
			t.Fatalf("Parse(Marshal(Parse(%q))) failed: %v\n%s", data, err, out)
		}
		out2, err := h2.Marshal()
		if err != nil || !bytes.Equal(out, out2) {
			t.Fatalf("not stable:\n%s\n---\n%s", out, out2)
		}
	})
}
