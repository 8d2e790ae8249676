package workhours

import (
	"go/parser"
	"go/token"
	"strconv"
	"strings"
	"testing"
	"time"
)

func TestLoadLocation(t *testing.T) {
	cases := []struct {
		in, exp string
	}{
		{in: "", exp: "UTC"},
		{in: "UTC", exp: "UTC"},
		{in: "Europe/Berlin", exp: "Europe/Berlin"},
		{in: " America/New_York\n", exp: "America/New_York"},
		{in: "Asia/Kolkata", exp: "Asia/Kolkata"},
	}
	for _, tc := range cases {
		loc, err := LoadLocation(tc.in)
		if err != nil {
			t.Errorf("LoadLocation(%q): %v", tc.in, err)
			continue
		}
		if loc.String() != tc.exp {
			t.Errorf("LoadLocation(%q) = %q, want %q", tc.in, loc, tc.exp)
		}
	}
	// Kolkata is UTC+05:30.
	loc, _ := LoadLocation("Asia/Kolkata")
	if _, off := time.Date(2026, 11, 17, 12, 0, 0, 0, loc).Zone(); off != 5*3600+30*60 {
		t.Errorf("Asia/Kolkata offset = %ds, want 19800", off)
	}
}

func TestLoadLocationErrors(t *testing.T) {
	cases := []struct {
		name, in, exp string
	}{
		{name: "typo", in: "Europe/Berln", exp: `unknown time zone "Europe/Berln"; expected an IANA time zone name such as "UTC", "Europe/Berlin" or "America/New_York"`},
		{name: "offset", in: "+02:00", exp: `unknown time zone "+02:00"`},
		{name: "city only", in: "Berlin", exp: `unknown time zone "Berlin"`},
		{name: "local", in: "Local", exp: `time zone "Local" depends on the runner`},
		{name: "path", in: "../../etc/passwd", exp: `unknown time zone "../../etc/passwd"`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			loc, err := LoadLocation(tc.in)
			if err == nil {
				t.Fatalf("LoadLocation(%q) = %v, want an error", tc.in, loc)
			}
			if !strings.Contains(err.Error(), tc.exp) {
				t.Errorf("LoadLocation(%q) error %q, want it to contain %q", tc.in, err, tc.exp)
			}
		})
	}
}

// TestEmbeddedZoneDatabase guards the time/tzdata import that lets
// LoadLocation work in a distroless image, which has no zoneinfo files.
func TestEmbeddedZoneDatabase(t *testing.T) {
	f, err := parser.ParseFile(token.NewFileSet(), "location.go", nil, parser.ImportsOnly)
	if err != nil {
		t.Fatal(err)
	}
	for _, imp := range f.Imports {
		if p, _ := strconv.Unquote(imp.Path.Value); p == "time/tzdata" {
			return
		}
	}
	t.Error(`location.go does not import "time/tzdata"`)
}
