package plot

import (
	"bytes"
	"encoding/xml"
	"errors"
	"flag"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"io"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/wcharczuk/go-chart/v2/drawing"
)

var update = flag.Bool("update", false, "update golden files")

func ptr(v float64) *float64 { return &v }

func date(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

// series returns n daily points from start with values from f; f returning
// a negative number means no sample that day.
func series(start time.Time, n int, f func(i int) float64) []Point {
	points := make([]Point, n)
	for i := range points {
		points[i].Date = start.AddDate(0, 0, i)
		if v := f(i); v >= 0 {
			points[i].Value = ptr(v)
		}
	}
	return points
}

// quarterChart is the chart the action draws most: 90 days of review wait,
// median and p90, a week without samples, an SLA, the quarter's bounds and
// an OKR's expected path.
func quarterChart() Chart {
	start := date(2024, time.April, 1)
	end := date(2024, time.June, 29)
	gap := func(i int) bool { return i >= 20 && i < 26 }
	median := func(i int) float64 {
		if gap(i) {
			return -1
		}
		return 10 + 5*float64(i%7) + float64(i)/10
	}
	return Chart{
		Title:  "Review wait",
		YLabel: "hours",
		Lines: []Line{
			{Name: "median", Points: series(start, 90, median)},
			{Name: "p90", Points: series(start, 90, func(i int) float64 {
				if gap(i) {
					return -1
				}
				return 2*median(i) + 3
			})},
		},
		HLines:   []HLine{{Name: "SLA 48h", Value: 48}},
		VLines:   []VLine{{Name: "Q2 start", Date: start}, {Name: "Q2 end", Date: end}},
		Segments: []Segment{{Name: "OKR path", From: Point{start, ptr(60)}, To: Point{end, ptr(20)}}},
	}
}

func yearChart() Chart {
	return Chart{
		Title:  "Lead time over a year",
		YLabel: "days",
		Lines: []Line{
			{Name: "median", Points: series(date(2023, time.July, 1), 365, func(i int) float64 { return 2 + float64(i%30)/10 })},
			{Name: "p90", Dashed: true, Points: series(date(2023, time.July, 1), 365, func(i int) float64 { return 6 + float64(i%45)/5 })},
		},
		HLines: []HLine{{Name: "target", Value: 10}},
	}
}

func goldenCases() []struct {
	name  string
	chart Chart
} {
	return []struct {
		name  string
		chart Chart
	}{
		{"quarter", quarterChart()},
		{"year", yearChart()},
		{"one_point", Chart{
			Title:  "Deploys per day",
			Lines:  []Line{{Name: "median", Points: []Point{{date(2024, time.May, 2), ptr(3)}}}},
			HLines: []HLine{{Name: "target", Value: 5}},
		}},
		{"all_equal", Chart{
			Title: "Flat",
			Lines: []Line{{Name: "median", Points: series(date(2024, time.May, 1), 10, func(int) float64 { return 5 })}},
		}},
		{"gaps", Chart{
			Title: "Gaps & <lone> points",
			Lines: []Line{{Name: "median", Points: series(date(2024, time.May, 1), 21, func(i int) float64 {
				switch i {
				case 5, 6, 8, 9, 15:
					return -1 // day 7 is a lone sample
				}
				return float64(i % 4)
			})}},
		}},
		{"no_data", Chart{
			Title: "Review wait",
			Lines: []Line{{Name: "median", Points: []Point{{Date: date(2024, time.May, 1)}}}},
		}},
	}
}

func TestRenderGolden(t *testing.T) {
	for _, tc := range goldenCases() {
		t.Run(tc.name, func(t *testing.T) {
			got, err := Render(tc.chart, SVG)
			if err != nil {
				t.Fatal(err)
			}
			checkXML(t, got)
			path := filepath.Join("testdata", tc.name+".svg")
			if *update {
				if err := os.WriteFile(path, got, 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run go test ./internal/plot -update to create it)", err)
			}
			if diff := cmp.Diff(string(want), string(got)); diff != "" {
				t.Errorf("%s differs (-want +got; run with -update if the change is intended):\n%s", path, diff)
			}
		})
	}
}

// checkXML fails the test unless b is well-formed XML with an <svg> root of
// the chart's size.
func checkXML(t *testing.T, b []byte) {
	t.Helper()
	dec := xml.NewDecoder(bytes.NewReader(b))
	first := true
	for {
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			return
		}
		if err != nil {
			t.Fatalf("SVG is not well-formed XML: %v", err)
		}
		if se, ok := tok.(xml.StartElement); ok && first {
			first = false
			attrs := map[string]string{}
			for _, a := range se.Attr {
				attrs[a.Name.Local] = a.Value
			}
			if se.Name.Local != "svg" || attrs["width"] == "" || attrs["height"] == "" {
				t.Fatalf("root element is <%s %v>, want <svg> with a width and height", se.Name.Local, attrs)
			}
		}
	}
}

func TestRenderPNG(t *testing.T) {
	c := Chart{
		Title: "PNG",
		Lines: []Line{{Name: "median", Points: series(date(2024, time.May, 1), 30, func(i int) float64 { return 1 + float64(i%3)/10 })}},
		// Far above the data, so that the red found below is the SLA's.
		HLines: []HLine{{Name: "SLA", Value: 10}},
	}
	for _, size := range []struct{ w, h int }{{0, 0}, {640, 240}} {
		c.Width, c.Height = size.w, size.h
		b, err := Render(c, PNG)
		if err != nil {
			t.Fatal(err)
		}
		img, err := png.Decode(bytes.NewReader(b))
		if err != nil {
			t.Fatalf("decode PNG: %v", err)
		}
		wantW, wantH := size.w, size.h
		if wantW == 0 {
			wantW, wantH = DefaultWidth, DefaultHeight
		}
		if got := img.Bounds(); got != image.Rect(0, 0, wantW, wantH) {
			t.Fatalf("PNG bounds = %v, want %dx%d", got, wantW, wantH)
		}
		for _, p := range []image.Point{{0, 0}, {wantW - 1, 0}, {0, wantH - 1}, {wantW - 1, wantH - 1}} {
			if r, g, b := rgb(img.At(p.X, p.Y)); r != 255 || g != 255 || b != 255 {
				t.Errorf("%dx%d: pixel at %v = (%d,%d,%d), want white background", wantW, wantH, p, r, g, b)
			}
		}
		isRed := func(r, g, b uint8) bool { return r > 180 && g < 100 && b < 100 }
		isBlue := func(r, g, b uint8) bool { return b > 150 && r < 100 }
		// The SLA line crosses the middle of the plot, near its top; the
		// data runs along its bottom.
		if !columnHas(img, wantW/2, 0, wantH/2, isRed) {
			t.Errorf("%dx%d: no red SLA pixel around x=%d in the upper half", wantW, wantH, wantW/2)
		}
		if !columnHas(img, wantW/2, wantH/2, wantH, isBlue) {
			t.Errorf("%dx%d: no blue median pixel around x=%d in the lower half", wantW, wantH, wantW/2)
		}
	}
}

func rgb(c color.Color) (r, g, b uint8) {
	n := color.NRGBAModel.Convert(c).(color.NRGBA)
	return n.R, n.G, n.B
}

// columnHas reports whether a pixel in columns x-10..x+10 and rows y0..y1
// (a band, as a dashed line may have a gap at any one column) matches.
func columnHas(img image.Image, x, y0, y1 int, match func(r, g, b uint8) bool) bool {
	for dx := -10; dx <= 10; dx++ {
		for y := y0; y < y1; y++ {
			if match(rgb(img.At(x+dx, y))) {
				return true
			}
		}
	}
	return false
}

func TestRenderDeterministic(t *testing.T) {
	c := quarterChart()
	for _, f := range []Format{SVG, PNG} {
		a, err := Render(c, f)
		if err != nil {
			t.Fatal(err)
		}
		b, err := Render(c, f)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(a, b) {
			t.Errorf("%s: two renders of the same chart differ", f)
		}
	}
}

func TestRenderIgnoresLocalTimeZone(t *testing.T) {
	want, err := Render(quarterChart(), SVG)
	if err != nil {
		t.Fatal(err)
	}
	// Not parallel: time.Local is process-wide.
	saved := time.Local
	t.Cleanup(func() { time.Local = saved })
	for _, zone := range []*time.Location{
		time.FixedZone("UTC+13:45", 13*3600+45*60),
		time.FixedZone("UTC-09:30", -(9*3600 + 30*60)),
	} {
		time.Local = zone
		got, err := Render(quarterChart(), SVG)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("time.Local = %s: SVG differs from the one rendered in %s", zone, saved)
		}

		// The same instants given in the local zone draw the same chart.
		c := quarterChart()
		for i := range c.Lines {
			for j := range c.Lines[i].Points {
				c.Lines[i].Points[j].Date = c.Lines[i].Points[j].Date.Local()
			}
		}
		for i := range c.VLines {
			c.VLines[i].Date = c.VLines[i].Date.Local()
		}
		for i := range c.Segments {
			c.Segments[i].From.Date = c.Segments[i].From.Date.Local()
			c.Segments[i].To.Date = c.Segments[i].To.Date.Local()
		}
		got, err = Render(c, SVG)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("time.Local = %s: dates in the local zone change the SVG", zone)
		}
	}
}

func TestRenderGaps(t *testing.T) {
	c := goldenCases()[4].chart // "gaps": runs 0-4, 7, 10-14, 16-20
	got, err := Render(c, SVG)
	if err != nil {
		t.Fatal(err)
	}
	svg := string(got)
	// A blue path that draws at least one segment: a run of two or more
	// samples, or the legend sample.
	blueLine := regexp.MustCompile(`<path\s+d="M[^"]*L[^"]*" style="[^"]*stroke:rgba\(31,119,180,1\.0\)`)
	if n := len(blueLine.FindAllString(svg, -1)); n != 3+1 {
		t.Errorf("found %d blue lines, want 3 runs + 1 legend sample", n)
	}
	if n := strings.Count(svg, "<circle"); n != 1 {
		t.Errorf("found %d dots, want 1 for the lone sample", n)
	}
	if n := strings.Count(svg, ">median</text>"); n != 1 {
		t.Errorf("legend names the line %d times, want once", n)
	}
}

func TestSplitAtGaps(t *testing.T) {
	d := func(i int) time.Time { return date(2024, time.January, 1).AddDate(0, 0, i) }
	x := func(i int) float64 { return xValue(d(i)) }
	cases := []struct {
		name string
		in   []Point
		exp  []part
	}{
		{"empty", nil, nil},
		{"all nil", []Point{{d(0), nil}, {d(1), nil}}, nil},
		{"no gap", []Point{{d(0), ptr(1)}, {d(1), ptr(2)}}, []part{{[]float64{x(0), x(1)}, []float64{1, 2}}}},
		{"gap", []Point{{d(0), ptr(1)}, {d(1), nil}, {d(2), ptr(3)}, {d(3), ptr(4)}},
			[]part{{[]float64{x(0)}, []float64{1}}, {[]float64{x(2), x(3)}, []float64{3, 4}}}},
		{"unsorted", []Point{{d(2), ptr(3)}, {d(0), ptr(1)}, {d(1), nil}},
			[]part{{[]float64{x(0)}, []float64{1}}, {[]float64{x(2)}, []float64{3}}}},
		{"leading and trailing nils", []Point{{d(0), nil}, {d(1), ptr(2)}, {d(2), nil}},
			[]part{{[]float64{x(1)}, []float64{2}}}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := splitAtGaps(tc.in)
			if diff := cmp.Diff(tc.exp, got, cmp.AllowUnexported(part{})); diff != "" {
				t.Errorf("splitAtGaps (-want +got):\n%s", diff)
			}
		})
	}
}

func TestRenderEdgeCases(t *testing.T) {
	cases := []struct {
		name  string
		chart Chart
	}{
		{"one point", goldenCases()[2].chart},
		{"one point, no reference", Chart{Lines: []Line{{Name: "median", Points: []Point{{date(2024, time.May, 2), ptr(3)}}}}}},
		{"one zero", Chart{Lines: []Line{{Points: []Point{{date(2024, time.May, 2), ptr(0)}}}}}},
		{"one point not at midnight", Chart{Lines: []Line{{Points: []Point{{time.Date(2024, 5, 2, 13, 7, 0, 0, time.UTC), ptr(1)}}}}}},
		{"all equal", goldenCases()[3].chart},
		{"all zero", Chart{Lines: []Line{{Points: series(date(2024, time.May, 1), 5, func(int) float64 { return 0 })}}}},
		{"negative", Chart{Lines: []Line{{Points: []Point{{date(2024, time.May, 1), ptr(-3)}, {date(2024, time.May, 2), ptr(2)}}}}}},
		{"marker only spans x", Chart{
			Lines:  []Line{{Points: []Point{{date(2024, time.May, 1), ptr(1)}}}},
			VLines: []VLine{{Name: "Q2 end", Date: date(2024, time.June, 30)}},
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			for _, f := range []Format{SVG, PNG} {
				b, err := Render(tc.chart, f)
				if err != nil {
					t.Fatalf("%s: %v", f, err)
				}
				if f == SVG {
					checkXML(t, b)
					if strings.Contains(string(b), "No data yet") {
						t.Errorf("a chart with data rendered the placeholder")
					}
				}
			}
		})
	}
}

func TestRenderCrowded(t *testing.T) {
	// Too many long names for a small chart: the title is shortened and the
	// legend ends with a count of the entries left out, rather than
	// covering the plot.
	c := Chart{
		Title:  "A long title that cannot fit in a chart this narrow, not at all",
		YLabel: "a y label longer than the plot is high",
		Width:  MinWidth, Height: MinHeight,
	}
	for i := range 14 {
		c.Lines = append(c.Lines, Line{
			Name:   fmt.Sprintf("a rather long series name %d", i),
			Points: series(date(2024, time.May, 1), 5, func(j int) float64 { return float64(i * j) }),
		})
	}
	for _, f := range []Format{SVG, PNG} {
		b, err := Render(c, f)
		if err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		if f != SVG {
			continue
		}
		svg := string(b)
		if !strings.Contains(svg, ">+12 more</text>") {
			t.Errorf("legend does not end with %q", "+12 more")
		}
		if !strings.Contains(svg, "…</text>") || strings.Contains(svg, "not at all") {
			t.Errorf("long title not shortened with an ellipsis")
		}
	}
}

func TestRenderNoData(t *testing.T) {
	cases := []struct {
		name  string
		chart Chart
	}{
		{"nothing", Chart{}},
		{"only references", Chart{Title: "SLA", HLines: []HLine{{Name: "SLA", Value: 48}}, VLines: []VLine{{"Q2 start", date(2024, 4, 1)}}}},
		{"only nil values", goldenCases()[5].chart},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			b, err := Render(tc.chart, SVG)
			if err != nil {
				t.Fatal(err)
			}
			checkXML(t, b)
			if !strings.Contains(string(b), ">No data yet</text>") {
				t.Errorf("no %q in the placeholder", "No data yet")
			}
			b, err = Render(tc.chart, PNG)
			if err != nil {
				t.Fatal(err)
			}
			img, err := png.Decode(bytes.NewReader(b))
			if err != nil {
				t.Fatal(err)
			}
			if got := img.Bounds().Size(); got != image.Pt(DefaultWidth, DefaultHeight) {
				t.Errorf("placeholder size = %v, want %dx%d", got, DefaultWidth, DefaultHeight)
			}
		})
	}
}

func TestRenderErrors(t *testing.T) {
	ok := []Line{{Points: []Point{{date(2024, time.May, 1), ptr(1)}}}}
	cases := []struct {
		name  string
		chart Chart
		f     Format
		exp   string
	}{
		{"unknown format", Chart{Lines: ok}, "jpeg", `unknown chart format "jpeg"`},
		{"too narrow", Chart{Lines: ok, Width: 100}, SVG, "below the minimum"},
		{"negative height", Chart{Lines: ok, Height: -1}, SVG, "below the minimum"},
		{"NaN", Chart{Lines: []Line{{Name: "p90", Points: []Point{{date(2024, time.May, 1), ptr(math.NaN())}}}}}, SVG,
			`line 0 ("p90"): value on 2024-05-01 is NaN`},
		{"infinite reference", Chart{Lines: ok, HLines: []HLine{{Name: "SLA", Value: math.Inf(1)}}}, PNG, `reference line 0 ("SLA")`},
		{"zero date", Chart{Lines: []Line{{Points: []Point{{Value: ptr(1)}}}}}, SVG, "has no date"},
		{"zero marker date", Chart{Lines: ok, VLines: []VLine{{Name: "Q3"}}}, SVG, `marker 0 ("Q3"): no date`},
		{"segment without value", Chart{Lines: ok, Segments: []Segment{{Name: "path",
			From: Point{date(2024, time.May, 1), ptr(1)}, To: Point{Date: date(2024, time.June, 1)}}}}, SVG,
			`segment 0 ("path"): the end on 2024-06-01 has no value`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Render(tc.chart, tc.f)
			if err == nil || !strings.Contains(err.Error(), tc.exp) {
				t.Errorf("Render error = %v, want one containing %q", err, tc.exp)
			}
		})
	}
}

func TestYAxisTicks(t *testing.T) {
	cases := []struct {
		name   string
		lo, hi float64
		target int
		exp    []string
	}{
		{"hours", 0, 99, 5, []string{"0", "25", "50", "75", "100", "125"}},
		{"SLA at the top", 0, 48, 5, []string{"0", "20", "40", "60"}},
		{"small", 0, 0.8, 4, []string{"0.00", "0.25", "0.50", "0.75", "1.00"}},
		{"all zero", 0, 0, 5, []string{"0.00", "0.25", "0.50", "0.75", "1.00", "1.25"}},
		{"flat at 5", 0, 5, 5, []string{"0", "2", "4", "6"}},
		{"negative", -3, 10, 5, []string{"-5", "0", "5", "10", "15"}},
		{"large", 0, 123456, 5, []string{"0", "50000", "100000", "150000"}},
		{"target clamped", 0, 10, 0, []string{"0", "10", "20"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var got []string
			for _, tick := range yAxisTicks(tc.lo, tc.hi, tc.target) {
				got = append(got, tick.Label)
			}
			if diff := cmp.Diff(tc.exp, got); diff != "" {
				t.Errorf("yAxisTicks(%v, %v, %d) labels (-want +got):\n%s", tc.lo, tc.hi, tc.target, diff)
			}
		})
	}
}

func TestXAxisTicks(t *testing.T) {
	cases := []struct {
		name     string
		lo, hi   time.Time
		maxTicks int
		format   string
		exp      []string
	}{
		{"a week, daily", date(2024, 5, 1), date(2024, 5, 7), 10, "Jan 02",
			[]string{"May 01", "May 02", "May 03", "May 04", "May 05", "May 06", "May 07"}},
		{"a week, room for 4", date(2024, 5, 1), date(2024, 5, 7), 4, "Jan 02",
			[]string{"May 01", "May 03", "May 05", "May 07"}},
		{"90 days, fortnightly Mondays", date(2024, 4, 1), date(2024, 6, 29), 8, "Jan 02",
			[]string{"Apr 01", "Apr 15", "Apr 29", "May 13", "May 27", "Jun 10", "Jun 24"}},
		{"a year, every other month", date(2023, 7, 1), date(2024, 6, 29), 8, time.DateOnly,
			[]string{"2023-07-01", "2023-09-01", "2023-11-01", "2024-01-01", "2024-03-01", "2024-05-01"}},
		{"not at midnight", time.Date(2024, 5, 1, 13, 0, 0, 0, time.UTC), time.Date(2024, 5, 3, 13, 0, 0, 0, time.UTC), 10, "Jan 02",
			[]string{"May 02", "May 03"}},
		{"no room still gets a tick", date(2024, 5, 1), date(2024, 5, 3), 0, "Jan 02",
			[]string{"May 02"}},
		// May 1, 20:00 at UTC-5 is May 2, 01:00 UTC: the first tick is May 3.
		{"labels are UTC", time.Date(2024, 5, 1, 20, 0, 0, 0, time.FixedZone("UTC-5", -5*3600)), date(2024, 5, 4), 10, "Jan 02",
			[]string{"May 03", "May 04"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var got []string
			for _, tick := range xAxisTicks(tc.lo, tc.hi, tc.maxTicks, tc.format) {
				got = append(got, tick.Label)
			}
			if diff := cmp.Diff(tc.exp, got); diff != "" {
				t.Errorf("xAxisTicks labels (-want +got):\n%s", diff)
			}
		})
	}
}

func TestRenderTickCount(t *testing.T) {
	// 90 and 365 days at the default size get a readable number of dated
	// ticks, not one a day.
	for _, c := range []Chart{quarterChart(), yearChart()} {
		got, err := Render(c, SVG)
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		for _, m := range []string{"Jan ", "Feb ", "Mar ", "Apr ", "May ", "Jun ", "Jul ", "Aug ", "Sep ", "Oct ", "Nov ", "Dec ", ">2023-", ">2024-"} {
			n += strings.Count(string(got), m)
		}
		if n < 4 || n > 10 {
			t.Errorf("%s: %d date labels, want 4 to 10", c.Title, n)
		}
	}
}

func BenchmarkRender365Days(b *testing.B) {
	c := yearChart()
	for _, f := range []Format{SVG, PNG} {
		b.Run(string(f), func(b *testing.B) {
			for b.Loop() {
				if _, err := Render(c, f); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// TestRenderStack: panels are stacked into one image of the widest width
// and the summed height, in both formats.
func TestRenderStack(t *testing.T) {
	v := 5.0
	panel := func(h int) Chart {
		return Chart{Title: "p", Height: h, Lines: []Line{{Name: "x", Points: []Point{{date(2024, time.May, 1), &v}, {date(2024, time.May, 2), &v}}}}}
	}
	data, err := RenderStack([]Chart{panel(200), panel(160)}, PNG)
	if err != nil {
		t.Fatal(err)
	}
	img, err := png.Decode(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	if b := img.Bounds(); b.Dx() != 800 || b.Dy() != 360 {
		t.Errorf("stack is %dx%d, want 800x360", b.Dx(), b.Dy())
	}
	svg, err := RenderStack([]Chart{panel(200), panel(160)}, SVG)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(svg, []byte(`<svg width="800" height="360"`)) || !bytes.Contains(svg, []byte(`<svg y="200" `)) {
		t.Errorf("stacked SVG does not place the second panel below the first: %.200s", svg)
	}
	if _, err := RenderStack(nil, PNG); err == nil {
		t.Error("an empty stack rendered")
	}
}

// TestLegendSaysWhenLinesCoincide: a reference line at the value of an
// earlier one, which hides it, says so in the legend; a target drawn in its
// line's colour is dotted.
func TestLegendSaysWhenLinesCoincide(t *testing.T) {
	c := Chart{HLines: []HLine{{Name: "SLA 24h", Value: 24}, {Name: "p90 target 24", Value: 24, Color: "ff7f0e"}, {Name: "median target 4", Value: 4}}}
	entries := legendEntries(c)
	if len(entries) != 3 || entries[1].name != "p90 target 24 (= SLA 24h)" || entries[2].name != "median target 4" {
		t.Errorf("legend %+v", entries)
	}
	if s := entries[1].style; s.StrokeColor != drawing.ColorFromHex("ff7f0e") || len(s.StrokeDashArray) == 0 || s.StrokeDashArray[0] != dotted[0] {
		t.Errorf("the target's style %+v is not its line's colour, dotted", s)
	}
}
