package summary

import (
	"strings"
	"testing"
	"time"
)

func TestText(t *testing.T) {
	cases := []struct{ in, exp string }{
		{"Fix login", "Fix login"},
		{"a | b", "a &#124; b"},
		{"`code`", "\\`code\\`"},
		{"<script>alert(1)</script>", "&lt;script&gt;alert\\(1\\)&lt;/script&gt;"},
		{"[x](javascript:alert(1))", "\\[x\\]\\(javascript:alert\\(1\\)\\)"},
		{"ping @octocat", "ping @\u200boctocat"},
		{"line1\n::error::boom", "line1 ::error::boom"},
		{"# heading", "\\# heading"},
		{"**bold** _it_", "\\*\\*bold\\*\\* \\_it\\_"},
		{"a\\|b", "a\\\\&#124;b"},
		{"bell\x07", "bell"},
	}
	for _, tc := range cases {
		if got := Text(tc.in); got != tc.exp {
			t.Errorf("Text(%q) = %q, want %q", tc.in, got, tc.exp)
		}
		if strings.ContainsAny(Text(tc.in), "\n|<>") {
			t.Errorf("Text(%q) still holds a raw newline, pipe or angle bracket", tc.in)
		}
	}
}

func TestURL(t *testing.T) {
	cases := []struct{ in, exp string }{
		{"https://github.com/o/r/pull/1", "https://github.com/o/r/pull/1"},
		{"javascript:alert(1)", ""},
		{"https://x.test/a)b", "https://x.test/a%29b"},
		{"/relative", ""},
	}
	for _, tc := range cases {
		if got := URL(tc.in); got != tc.exp {
			t.Errorf("URL(%q) = %q, want %q", tc.in, got, tc.exp)
		}
	}
}

func TestAge(t *testing.T) {
	cases := []struct {
		in  time.Duration
		exp string
	}{
		{0, "0m"},
		{45 * time.Minute, "45m"},
		{59*time.Minute + 59*time.Second, "59m"},
		{time.Hour, "1h"},
		{5*time.Hour + 59*time.Minute, "5h"},
		{24 * time.Hour, "1d"},
		{3*24*time.Hour + 4*time.Hour + 30*time.Minute, "3d 4h"},
		{62 * 24 * time.Hour, "62d"},
	}
	for _, tc := range cases {
		if got := Age(tc.in); got != tc.exp {
			t.Errorf("Age(%v) = %q, want %q", tc.in, got, tc.exp)
		}
	}
}
