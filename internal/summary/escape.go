package summary

import (
	"net/url"
	"strings"
)

// Text escapes untrusted text (PR titles, logins, team names) for a
// Markdown table cell or link text: it cannot close the cell, open a link,
// an HTML tag or code span, start a heading or list, or break the line.
func Text(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch r {
		case '\r', '\n', '\t', '\v', '\f':
			b.WriteByte(' ')
		case '<':
			b.WriteString("&lt;")
		case '>':
			b.WriteString("&gt;")
		case '&':
			b.WriteString("&amp;")
		case '|':
			b.WriteString("&#124;")
		case '@':
			// Keep @mentions from notifying anyone where the text is rendered.
			b.WriteString("@\u200b")
		case '\\', '`', '*', '_', '[', ']', '(', ')', '#', '!', '~', '$':
			b.WriteByte('\\')
			b.WriteRune(r)
		default:
			if r < 0x20 || r == 0x7f {
				continue
			}
			b.WriteRune(r)
		}
	}
	return b.String()
}

// URL returns u if it is a plain http(s) URL, safe inside a Markdown link
// target, and "" otherwise.
func URL(u string) string {
	p, err := url.Parse(u)
	if err != nil || (p.Scheme != "https" && p.Scheme != "http") || p.Host == "" {
		return ""
	}
	s := p.String()
	r := strings.NewReplacer("(", "%28", ")", "%29", " ", "%20", "<", "%3C", ">", "%3E", "|", "%7C", "`", "%60", "\"", "%22")
	return r.Replace(s)
}
