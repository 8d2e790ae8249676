package summary

import (
	"bytes"
	"errors"
	"fmt"
	"strings"
)

// The markers that delimit the README block the action owns.
const (
	StartMarker = "<!-- kpis:start -->"
	EndMarker   = "<!-- kpis:end -->"
)

// ErrNoMarkers is returned by ReplaceBlock for a file without the markers.
var ErrNoMarkers = errors.New("the file has no " + StartMarker + " … " + EndMarker + " markers")

// ReplaceBlock puts block between the markers of doc, keeping everything
// outside them byte for byte, and the file's line endings (CRLF stays
// CRLF). A file with missing, repeated or misordered markers is left alone
// and the error says why.
func ReplaceBlock(doc []byte, block string) ([]byte, error) {
	starts, ends := bytes.Count(doc, []byte(StartMarker)), bytes.Count(doc, []byte(EndMarker))
	switch {
	case starts == 0 && ends == 0:
		return nil, ErrNoMarkers
	case starts != 1 || ends != 1:
		return nil, fmt.Errorf("the file must hold exactly one %s and one %s (found %d and %d)", StartMarker, EndMarker, starts, ends)
	}
	i := bytes.Index(doc, []byte(StartMarker)) + len(StartMarker)
	j := bytes.Index(doc, []byte(EndMarker))
	if j < i {
		return nil, fmt.Errorf("%s comes before %s", EndMarker, StartMarker)
	}
	nl := "\n"
	if bytes.Contains(doc, []byte("\r\n")) {
		nl = "\r\n"
	}
	body := strings.TrimRight(block, "\n")
	body = strings.ReplaceAll(body, "\r\n", "\n")
	if nl != "\n" {
		body = strings.ReplaceAll(body, "\n", nl)
	}
	var out bytes.Buffer
	out.Write(doc[:i])
	out.WriteString(nl)
	out.WriteString(body)
	out.WriteString(nl)
	out.Write(doc[j:])
	return out.Bytes(), nil
}
