package summary

import (
	"strings"
	"testing"
)

// FuzzText checks that no input can get out of the table cell or link text
// Text puts it in. Seeds are in testdata/fuzz/FuzzText.
func FuzzText(f *testing.F) {
	for _, s := range []string{"plain", "a | b", "`x`", "<script>", "[x](javascript:y)", "@team", "line\n::error::x", "\\|", "**b**"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		out := Text(s)
		if strings.ContainsAny(out, "\n\r|<>") {
			t.Fatalf("Text(%q) = %q holds a raw newline, pipe or angle bracket", s, out)
		}
		// Every backtick, bracket and parenthesis is escaped by a backslash
		// that is not itself escaped.
		for i := 0; i < len(out); i++ {
			switch out[i] {
			case '`', '[', ']', '(', ')', '*', '_':
				n := 0
				for j := i - 1; j >= 0 && out[j] == '\\'; j-- {
					n++
				}
				if n%2 == 0 {
					t.Fatalf("Text(%q) = %q leaves %q unescaped at %d", s, out, out[i], i)
				}
			}
		}
		if strings.Contains(strings.ReplaceAll(out, "@\u200b", ""), "@") {
			t.Fatalf("Text(%q) = %q leaves a mention", s, out)
		}
	})
}
