package summary

import (
	"errors"
	"testing"
)

func TestReplaceBlock(t *testing.T) {
	cases := []struct {
		name    string
		doc     string
		block   string
		exp     string
		wantErr error
		anyErr  bool
	}{
		{
			name:  "replaces between markers",
			doc:   "# Title\n\nintro\n<!-- kpis:start -->\nold\nstuff\n<!-- kpis:end -->\nrest\n",
			block: "| a | b |\n",
			exp:   "# Title\n\nintro\n<!-- kpis:start -->\n| a | b |\n<!-- kpis:end -->\nrest\n",
		},
		{
			name:  "empty block between adjacent markers",
			doc:   "x <!-- kpis:start --><!-- kpis:end --> y",
			block: "new",
			exp:   "x <!-- kpis:start -->\nnew\n<!-- kpis:end --> y",
		},
		{
			name:  "crlf kept",
			doc:   "a\r\n<!-- kpis:start -->\r\nold\r\n<!-- kpis:end -->\r\nb\r\n",
			block: "l1\nl2\n",
			exp:   "a\r\n<!-- kpis:start -->\r\nl1\r\nl2\r\n<!-- kpis:end -->\r\nb\r\n",
		},
		{name: "missing", doc: "no markers here\n", wantErr: ErrNoMarkers},
		{name: "only start", doc: "<!-- kpis:start -->\n", anyErr: true},
		{name: "duplicated", doc: "<!-- kpis:start -->\n<!-- kpis:end -->\n<!-- kpis:start -->\n<!-- kpis:end -->\n", anyErr: true},
		{name: "reversed", doc: "<!-- kpis:end -->\n<!-- kpis:start -->\n", anyErr: true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, err := ReplaceBlock([]byte(tc.doc), tc.block)
			switch {
			case tc.wantErr != nil:
				if !errors.Is(err, tc.wantErr) {
					t.Fatalf("err = %v, want %v", err, tc.wantErr)
				}
				return
			case tc.anyErr:
				if err == nil {
					t.Fatalf("no error, got %q", got)
				}
				return
			case err != nil:
				t.Fatal(err)
			}
			if string(got) != tc.exp {
				t.Errorf("got\n%q\nwant\n%q", got, tc.exp)
			}
			again, err := ReplaceBlock(got, tc.block)
			if err != nil || string(again) != string(got) {
				t.Errorf("replacing twice is not stable: %q", again)
			}
		})
	}
}
