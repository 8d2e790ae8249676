// Package plot draws charts of KPI history, rendered with go-chart.
//
// A Chart is plain data: daily lines (with gaps where a day has no sample),
// horizontal reference lines (an SLA, a target), vertical date markers (a
// quarter's start or end) and straight segments (an OKR's expected path).
// Render turns it into a PNG or an SVG of a fixed size.
//
// The output depends only on the Chart: the same input gives the same bytes
// (for SVG, byte-identical, so it can be golden-tested and committed without
// noise). Dates are read and labelled in UTC whatever time.Local is, the x
// ticks are chosen here rather than by go-chart (which labels in local time),
// and nothing iterates over a map.
package plot

import (
	"bytes"
	"errors"
	"fmt"
	"html"
	"image"
	"image/draw"
	"image/png"
	"math"
	"sort"
	"sync"
	"time"

	"github.com/golang/freetype/truetype"
	chart "github.com/wcharczuk/go-chart/v2"
	"github.com/wcharczuk/go-chart/v2/drawing"
	"github.com/wcharczuk/go-chart/v2/roboto"
)

// Point is one day's value; a nil Value means there was no sample that day
// and leaves a gap in the line.
type Point struct {
	Date  time.Time
	Value *float64
}

// Line is a data series drawn as a solid (or, if Dashed, dashed) line.
// Lines are coloured in order: the first a calm blue (the median), the second
// orange (the p90), then green, purple, brown and cyan. Points need not be
// sorted. A Line with a Name gets one legend entry however many gaps split it.
type Line struct {
	Name   string
	Points []Point
	Dashed bool
	// Color, as hex ("ff7f0e"), overrides the colour of the line's place.
	Color string
}

// HLine is a horizontal reference line (an SLA, a target), drawn red and
// dashed across the whole chart (or dotted in Color, to tie a target to
// its line), with a legend entry. A line at the value of an earlier one
// says so in the legend, since one hides the other.
type HLine struct {
	Name  string
	Value float64
	// Color, as hex, draws the line dotted in that colour.
	Color string
}

// VLine is a vertical marker at a date (a quarter's start or end), drawn as a
// grey dotted line labelled with its Name at the top of the plot area.
type VLine struct {
	Name string
	Date time.Time
}

// Segment is a straight line between two (date, value) points (an OKR's
// expected path), drawn grey and dashed, with a legend entry. Both ends need
// a Value.
type Segment struct {
	Name     string
	From, To Point
}

// Chart describes one chart. Width and Height are in pixels and default to
// DefaultWidth and DefaultHeight.
//
// The x axis spans every date in the chart (line points, including those
// without a value, vertical markers and segment ends); the y axis starts at 0
// (lower if a value is negative) and ends at a round number above every value
// and reference line.
type Chart struct {
	Title, YLabel string
	Lines         []Line
	HLines        []HLine
	VLines        []VLine
	Segments      []Segment
	Width, Height int
}

// Format is an output image format.
type Format string

// The formats Render supports.
const (
	PNG Format = "png"
	SVG Format = "svg"
)

// Default and minimum chart sizes, in pixels.
const (
	DefaultWidth  = 800
	DefaultHeight = 300
	MinWidth      = 300
	MinHeight     = 150
)

// Render draws c in format f.
//
// When no Line has a single value (a new repository, a KPI without samples
// yet) Render does not fail: it draws a placeholder of the same size with the
// title and "No data yet", so a README image is never broken. It fails on an
// unknown format, a size below MinWidth x MinHeight, a zero date, a value that
// is NaN or infinite, or a Segment end without a value.
func Render(c Chart, f Format) ([]byte, error) {
	var rp chart.RendererProvider
	switch f {
	case PNG:
		rp = chart.PNG
	case SVG:
		rp = chart.SVG
	default:
		return nil, fmt.Errorf("unknown chart format %q (want %q or %q)", f, PNG, SVG)
	}
	if c.Width == 0 {
		c.Width = DefaultWidth
	}
	if c.Height == 0 {
		c.Height = DefaultHeight
	}
	if c.Width < MinWidth || c.Height < MinHeight {
		return nil, fmt.Errorf("chart %q: size %dx%d is below the minimum %dx%d", c.Title, c.Width, c.Height, MinWidth, MinHeight)
	}
	if err := validate(c); err != nil {
		return nil, fmt.Errorf("chart %q: %w", c.Title, err)
	}
	ttf, err := defaultFont()
	if err != nil {
		return nil, fmt.Errorf("load chart font: %w", err)
	}

	// Text is measured as the output renderer will draw it (the PNG one
	// draws a little wider than the SVG one measures).
	scratch, err := rp(1, 1)
	if err != nil {
		return nil, fmt.Errorf("render chart %q as %s: %w", c.Title, f, err)
	}
	scratch.SetDPI(dpi)
	scratch.SetFont(ttf)
	d := drawer{font: ttf, measurer: scratch, text: func(s string) string { return s }}
	if f == SVG {
		// go-chart writes SVG text unescaped.
		d.text = html.EscapeString
	}

	var buf bytes.Buffer
	if hasData(c) {
		err = d.chart(c).Render(rp, &buf)
	} else {
		err = d.placeholder(c, rp, &buf)
	}
	if err != nil {
		return nil, fmt.Errorf("render chart %q as %s: %w", c.Title, f, err)
	}
	out := buf.Bytes()
	if f == SVG {
		// go-chart only sets a viewBox; give the image its intended size.
		out = bytes.Replace(out, []byte("<svg "), fmt.Appendf(nil, `<svg width="%d" height="%d" `, c.Width, c.Height), 1)
	}
	return out, nil
}

// RenderStack draws charts one above the other in one image of format f,
// as wide as the widest: panels that share an x axis but need their own y
// scale (a median under a p90 many times larger).
func RenderStack(charts []Chart, f Format) ([]byte, error) {
	if len(charts) == 0 {
		return nil, errors.New("no chart to stack")
	}
	var parts [][]byte
	width, height := 0, 0
	sizes := make([][2]int, len(charts))
	for i, c := range charts {
		if c.Width == 0 {
			c.Width = DefaultWidth
		}
		if c.Height == 0 {
			c.Height = DefaultHeight
		}
		data, err := Render(c, f)
		if err != nil {
			return nil, err
		}
		parts = append(parts, data)
		sizes[i] = [2]int{c.Width, c.Height}
		width = max(width, c.Width)
		height += c.Height
	}
	switch f {
	case SVG:
		var b bytes.Buffer
		fmt.Fprintf(&b, `<svg width="%d" height="%d" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 %d %d">`, width, height, width, height)
		y := 0
		for i, p := range parts {
			b.Write(bytes.Replace(p, []byte("<svg "), fmt.Appendf(nil, `<svg y="%d" `, y), 1))
			y += sizes[i][1]
		}
		b.WriteString("</svg>")
		return b.Bytes(), nil
	default:
		dst := image.NewRGBA(image.Rect(0, 0, width, height))
		draw.Draw(dst, dst.Bounds(), image.White, image.Point{}, draw.Src)
		y := 0
		for i, p := range parts {
			img, err := png.Decode(bytes.NewReader(p))
			if err != nil {
				return nil, fmt.Errorf("stack chart %q: %w", charts[i].Title, err)
			}
			draw.Draw(dst, image.Rect(0, y, sizes[i][0], y+sizes[i][1]), img, img.Bounds().Min, draw.Src)
			y += sizes[i][1]
		}
		var b bytes.Buffer
		if err := png.Encode(&b, dst); err != nil {
			return nil, err
		}
		return b.Bytes(), nil
	}
}

// defaultFont parses go-chart's embedded Roboto once. chart.GetDefaultFont
// would do the same but is not safe for concurrent first use.
var defaultFont = sync.OnceValues(func() (*truetype.Font, error) {
	return truetype.Parse(roboto.Roboto)
})

func validate(c Chart) error {
	for i, l := range c.Lines {
		for _, p := range l.Points {
			if p.Date.IsZero() {
				return fmt.Errorf("line %d (%q): a point has no date", i, l.Name)
			}
			if p.Value != nil && !finite(*p.Value) {
				return fmt.Errorf("line %d (%q): value on %s is %v", i, l.Name, p.Date.UTC().Format(time.DateOnly), *p.Value)
			}
		}
	}
	for i, h := range c.HLines {
		if !finite(h.Value) {
			return fmt.Errorf("reference line %d (%q): value is %v", i, h.Name, h.Value)
		}
	}
	for i, v := range c.VLines {
		if v.Date.IsZero() {
			return fmt.Errorf("marker %d (%q): no date", i, v.Name)
		}
	}
	for i, s := range c.Segments {
		for _, p := range []Point{s.From, s.To} {
			switch {
			case p.Date.IsZero():
				return fmt.Errorf("segment %d (%q): an end has no date", i, s.Name)
			case p.Value == nil:
				return fmt.Errorf("segment %d (%q): the end on %s has no value", i, s.Name, p.Date.UTC().Format(time.DateOnly))
			case !finite(*p.Value):
				return fmt.Errorf("segment %d (%q): the end on %s is %v", i, s.Name, p.Date.UTC().Format(time.DateOnly), *p.Value)
			}
		}
	}
	return nil
}

func finite(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }

// hasData reports whether any Line has a value.
func hasData(c Chart) bool {
	for _, l := range c.Lines {
		for _, p := range l.Points {
			if p.Value != nil {
				return true
			}
		}
	}
	return false
}

// Colours and strokes.
var (
	lineColors = []drawing.Color{
		drawing.ColorFromHex("1f77b4"), // blue: the median
		drawing.ColorFromHex("ff7f0e"), // orange: the p90
		drawing.ColorFromHex("2ca02c"),
		drawing.ColorFromHex("9467bd"),
		drawing.ColorFromHex("8c564b"),
		drawing.ColorFromHex("17becf"),
	}
	hlineColors = []drawing.Color{
		drawing.ColorFromHex("d62728"), // red
		drawing.ColorFromHex("8c1c13"), // dark red, for a second reference line
	}
	segmentColor = drawing.ColorFromHex("7f7f7f")
	markerColor  = drawing.ColorFromHex("a0a0a0")
	gridColor    = drawing.ColorFromHex("ebebeb")
	axisColor    = drawing.ColorFromHex("999999")
	textColor    = drawing.ColorFromHex("333333")
	mutedColor   = drawing.ColorFromHex("777777")

	dashed = []float64{6, 4}
	dotted = []float64{2, 3}
)

// Font sizes in points.
const (
	titleFontSize  = 12
	legendFontSize = 9
	axisFontSize   = 9
	markerFontSize = 8
	emptyFontSize  = 12
	dpi            = chart.DefaultDPI
)

// Layout, in pixels.
const (
	edge          = 10 // around the chart
	legendGap     = 16 // between legend entries
	legendSample  = 24 // length of a legend entry's line
	legendTextGap = 5  // between an entry's line and its text
	legendRowGap  = 4
	tickLabelGap  = 28 // minimum space between x tick labels
	yTickSpacing  = 40 // minimum space between y ticks
)

const day = 24 * time.Hour

// drawer holds what every drawing step needs.
type drawer struct {
	font     *truetype.Font
	measurer chart.Renderer      // a renderer of the output format, to measure text with
	text     func(string) string // escapes text for the output format
}

// measure returns the width and height in pixels of s at size points.
func (d drawer) measure(s string, size float64) (w, h int) {
	d.measurer.SetFontSize(size)
	return d.measurer.MeasureText(s).Width(), int(drawing.PointsToPixels(dpi, size))
}

// legendEntry is one legend item: a name and a sample of its stroke.
type legendEntry struct {
	name  string
	style chart.Style
}

// legendLayout places legend entries in centred rows. Entries that do not
// fit in the rows allowed are summed up as "+N more" at the end.
type legendLayout struct {
	names  []string // entry names, shortened to fit
	rows   [][]int  // entry indexes per row
	widths []int    // entry widths, sample included
	rowW   []int
	rowH   int
	more   int // entries left out
}

func (d drawer) layoutLegend(entries []legendEntry, width, maxRows int) legendLayout {
	_, h := d.measure("Mg", legendFontSize)
	l := legendLayout{rowH: h}
	avail := width - 2*edge
	var row []int
	rowW := 0
	for i, e := range entries {
		name := d.fit(e.name, legendFontSize, avail-legendSample-legendTextGap)
		tw, _ := d.measure(name, legendFontSize)
		w := legendSample + legendTextGap + tw
		if len(row) > 0 && rowW+legendGap+w > avail {
			if len(l.rows)+1 == maxRows {
				break
			}
			l.rows = append(l.rows, row)
			l.rowW = append(l.rowW, rowW)
			row, rowW = nil, 0
		}
		if len(row) > 0 {
			rowW += legendGap
		}
		l.names = append(l.names, name)
		l.widths = append(l.widths, w)
		row = append(row, i)
		rowW += w
	}
	l.more = len(entries) - len(l.names)
	for l.more > 0 && len(row) > 1 && rowW+legendGap+d.moreWidth(l.more) > avail {
		last := row[len(row)-1]
		row = row[:len(row)-1]
		rowW -= legendGap + l.widths[last]
		l.names, l.widths = l.names[:last], l.widths[:last]
		l.more++
	}
	if l.more > 0 {
		rowW += legendGap + d.moreWidth(l.more)
	}
	if len(row) > 0 {
		l.rows = append(l.rows, row)
		l.rowW = append(l.rowW, rowW)
	}
	return l
}

func moreText(n int) string { return fmt.Sprintf("+%d more", n) }

func (d drawer) moreWidth(n int) int {
	w, _ := d.measure(moreText(n), legendFontSize)
	return w
}

func (l legendLayout) height() int {
	if len(l.rows) == 0 {
		return 0
	}
	return len(l.rows)*l.rowH + (len(l.rows)-1)*legendRowGap
}

// fit shortens s with an ellipsis until it is at most maxW pixels wide.
func (d drawer) fit(s string, size float64, maxW int) string {
	if w, _ := d.measure(s, size); w <= maxW {
		return s
	}
	r := []rune(s)
	for len(r) > 1 {
		r = r[:len(r)-1]
		if w, _ := d.measure(string(r)+"…", size); w <= maxW {
			break
		}
	}
	return string(r) + "…"
}

// chart builds the go-chart chart for c, which has data.
func (d drawer) chart(c Chart) chart.Chart {
	entries := legendEntries(c)

	// The top band holds the title and the legend.
	top := edge
	titleTop := top
	if c.Title != "" {
		_, th := d.measure(c.Title, titleFontSize)
		top += th + 8
	}
	legend := d.layoutLegend(entries, c.Width, max(1, c.Height/4/(legendRowGap+int(drawing.PointsToPixels(dpi, legendFontSize)))))
	legendTop := top
	if lh := legend.height(); lh > 0 {
		top += lh + 10
	}
	// The y label is drawn rotated along the left edge.
	left := edge
	if c.YLabel != "" {
		_, lh := d.measure(c.YLabel, axisFontSize)
		left += lh + 6
	}

	// Ticks, for a plot area about as large as go-chart will leave after
	// the tick labels on the left and below.
	yMin, yMax := yDomain(c)
	yTicks := yAxisTicks(yMin, yMax, (c.Height-top-edge-30)/yTickSpacing)
	yr := &tickRange{ContinuousRange: &chart.ContinuousRange{Min: yTicks[0].Value, Max: yTicks[len(yTicks)-1].Value}, ticks: yTicks}
	xMin, xMax := xDomain(c)
	labelFormat := "Jan 02"
	if xMin.Year() != xMax.Year() {
		labelFormat = time.DateOnly
	}
	labelW, _ := d.measure("May 30", axisFontSize)
	if labelFormat == time.DateOnly {
		labelW, _ = d.measure("2006-05-30", axisFontSize)
	}
	plotW := c.Width - left - edge - 50
	xTicks := xAxisTicks(xMin, xMax, plotW/(labelW+tickLabelGap), labelFormat)
	xr := &tickRange{ContinuousRange: &chart.ContinuousRange{Min: xValue(xMin), Max: xValue(xMax)}, ticks: xTicks}

	// Series: reference marks first so that data is drawn over them.
	var series []chart.Series
	add := func(xs, ys []float64, style chart.Style) {
		series = append(series, chart.ContinuousSeries{
			Style: style, YAxis: chart.YAxisSecondary, XValues: xs, YValues: ys,
		})
	}
	for _, v := range c.VLines {
		x := xValue(v.Date)
		add([]float64{x, x}, []float64{yr.Min, yr.Max}, markerStyle)
	}
	for i, h := range c.HLines {
		add([]float64{xr.Min, xr.Max}, []float64{h.Value, h.Value}, hlineStyle(i, h))
	}
	for _, s := range c.Segments {
		add([]float64{xValue(s.From.Date), xValue(s.To.Date)}, []float64{*s.From.Value, *s.To.Value}, segmentStyle)
	}
	for i, l := range c.Lines {
		style := lineStyle(i, l)
		for _, p := range splitAtGaps(l.Points) {
			s := style
			if len(p.xs) == 1 {
				// A lone sample has no line to draw: mark it with a dot.
				s.DotColor, s.DotWidth = style.StrokeColor, 3
			}
			add(p.xs, p.ys, s)
		}
	}

	axisStyle := chart.Style{
		FontSize: axisFontSize, FontColor: textColor,
		StrokeColor: axisColor, StrokeWidth: 1,
	}
	// go-chart draws grid lines with the axes, before the series, and only
	// when a grid style is set.
	grid := chart.Style{StrokeColor: gridColor, StrokeWidth: 1}
	var xGrid, yGrid []chart.GridLine
	for _, t := range xTicks {
		if t.Value != xr.Min && t.Value != xr.Max { // not over the frame
			xGrid = append(xGrid, chart.GridLine{Value: t.Value, Style: grid})
		}
	}
	for _, t := range yTicks[1:] {
		yGrid = append(yGrid, chart.GridLine{Value: t.Value, Style: grid})
	}
	return chart.Chart{
		Width:  c.Width,
		Height: c.Height,
		DPI:    dpi,
		Font:   d.font,
		Background: chart.Style{
			FillColor: drawing.ColorWhite,
			Padding:   chart.Box{Top: top, Left: left, Right: edge + 10, Bottom: edge},
		},
		Canvas: chart.Style{FillColor: drawing.ColorWhite},
		XAxis: chart.XAxis{
			Style: axisStyle, Range: xr,
			GridLines: xGrid, GridMajorStyle: grid,
		},
		// The primary (right) axis is unused: everything is plotted
		// against the secondary axis, which go-chart draws on the left.
		YAxis: chart.YAxis{
			Style: chart.Hidden(),
			Range: &chart.ContinuousRange{Min: yr.Min, Max: yr.Max},
		},
		YAxisSecondary: chart.YAxis{
			Style: axisStyle, Range: yr,
			GridLines: yGrid, GridMajorStyle: grid,
		},
		Series: series,
		Elements: []chart.Renderable{
			d.drawTitle(c.Title, c.Width, titleTop),
			d.drawLegend(entries, legend, c.Width, legendTop),
			d.drawYLabel(c.YLabel),
			d.drawMarkerLabels(c.VLines, xr),
		},
	}
}

var (
	markerStyle  = chart.Style{StrokeColor: markerColor, StrokeWidth: 1, StrokeDashArray: dotted}
	segmentStyle = chart.Style{StrokeColor: segmentColor, StrokeWidth: 2, StrokeDashArray: dashed}
)

func hlineStyle(i int, h HLine) chart.Style {
	if h.Color != "" {
		return chart.Style{StrokeColor: drawing.ColorFromHex(h.Color), StrokeWidth: 2, StrokeDashArray: dotted}
	}
	return chart.Style{StrokeColor: hlineColors[i%len(hlineColors)], StrokeWidth: 2, StrokeDashArray: dashed}
}

func lineStyle(i int, l Line) chart.Style {
	s := chart.Style{StrokeColor: lineColors[i%len(lineColors)], StrokeWidth: 2}
	if l.Color != "" {
		s.StrokeColor = drawing.ColorFromHex(l.Color)
	}
	if l.Dashed {
		s.StrokeDashArray = dashed
	}
	return s
}

// legendEntries lists the named lines, then reference lines, then segments.
// Vertical markers are labelled in place instead.
func legendEntries(c Chart) []legendEntry {
	var entries []legendEntry
	for i, l := range c.Lines {
		if l.Name != "" {
			entries = append(entries, legendEntry{l.Name, lineStyle(i, l)})
		}
	}
	for i, h := range c.HLines {
		if h.Name == "" {
			continue
		}
		name := h.Name
		for _, earlier := range c.HLines[:i] {
			if earlier.Value == h.Value && earlier.Name != "" {
				name += " (= " + earlier.Name + ")"
				break
			}
		}
		entries = append(entries, legendEntry{name, hlineStyle(i, h)})
	}
	for _, s := range c.Segments {
		if s.Name != "" {
			entries = append(entries, legendEntry{s.Name, segmentStyle})
		}
	}
	return entries
}

// part is a run of consecutive samples of a Line.
type part struct{ xs, ys []float64 }

// splitAtGaps sorts points by date and splits them into runs at nil values.
func splitAtGaps(points []Point) []part {
	sorted := make([]Point, len(points))
	copy(sorted, points)
	sort.SliceStable(sorted, func(i, j int) bool { return sorted[i].Date.Before(sorted[j].Date) })
	var parts []part
	var cur part
	for _, p := range sorted {
		if p.Value == nil {
			if len(cur.xs) > 0 {
				parts = append(parts, cur)
				cur = part{}
			}
			continue
		}
		cur.xs = append(cur.xs, xValue(p.Date))
		cur.ys = append(cur.ys, *p.Value)
	}
	if len(cur.xs) > 0 {
		parts = append(parts, cur)
	}
	return parts
}

// xValue is a date's position on the x axis: Unix seconds.
func xValue(t time.Time) float64 { return float64(t.Unix()) }

// xDomain returns the dates the x axis spans, in UTC. A span under a day is
// widened by a day on each side, so that one day still makes an axis.
func xDomain(c Chart) (lo, hi time.Time) {
	var dates []time.Time
	for _, l := range c.Lines {
		for _, p := range l.Points {
			dates = append(dates, p.Date)
		}
	}
	for _, v := range c.VLines {
		dates = append(dates, v.Date)
	}
	for _, s := range c.Segments {
		dates = append(dates, s.From.Date, s.To.Date)
	}
	lo, hi = dates[0], dates[0]
	for _, t := range dates[1:] {
		if t.Before(lo) {
			lo = t
		}
		if t.After(hi) {
			hi = t
		}
	}
	lo, hi = lo.UTC().Truncate(time.Second), hi.UTC().Truncate(time.Second)
	if hi.Sub(lo) < day {
		lo, hi = lo.Add(-day), hi.Add(day)
	}
	return lo, hi
}

// yDomain returns the lowest and highest value to show: every sample,
// reference line and segment end, and 0.
func yDomain(c Chart) (lo, hi float64) {
	for _, l := range c.Lines {
		for _, p := range l.Points {
			if p.Value != nil {
				lo, hi = math.Min(lo, *p.Value), math.Max(hi, *p.Value)
			}
		}
	}
	for _, h := range c.HLines {
		lo, hi = math.Min(lo, h.Value), math.Max(hi, h.Value)
	}
	for _, s := range c.Segments {
		lo = math.Min(lo, math.Min(*s.From.Value, *s.To.Value))
		hi = math.Max(hi, math.Max(*s.From.Value, *s.To.Value))
	}
	return lo, hi
}

// tickRange is a continuous range whose ticks are fixed in advance, so that
// go-chart neither picks nor formats them.
type tickRange struct {
	*chart.ContinuousRange
	ticks []chart.Tick
}

// GetTicks implements chart.TicksProvider.
func (r *tickRange) GetTicks(chart.Renderer, chart.Style, chart.ValueFormatter) []chart.Tick {
	return r.ticks
}

func (d drawer) drawTitle(title string, width, top int) chart.Renderable {
	return func(r chart.Renderer, _ chart.Box, _ chart.Style) {
		if title == "" {
			return
		}
		title := d.fit(title, titleFontSize, width-2*edge)
		w, h := d.measure(title, titleFontSize)
		d.textAt(r, title, (width-w)/2, top+h, titleFontSize, textColor)
	}
}

func (d drawer) drawLegend(entries []legendEntry, l legendLayout, width, top int) chart.Renderable {
	return func(r chart.Renderer, _ chart.Box, _ chart.Style) {
		y := top
		for ri, row := range l.rows {
			x := (width - l.rowW[ri]) / 2
			for _, i := range row {
				e := entries[i]
				mid := y + l.rowH/2 + 1
				r.ResetStyle()
				r.SetStrokeColor(e.style.StrokeColor)
				r.SetStrokeWidth(e.style.StrokeWidth)
				r.SetStrokeDashArray(e.style.StrokeDashArray)
				r.MoveTo(x, mid)
				r.LineTo(x+legendSample, mid)
				r.Stroke()
				d.textAt(r, l.names[i], x+legendSample+legendTextGap, y+l.rowH, legendFontSize, textColor)
				x += l.widths[i] + legendGap
			}
			if l.more > 0 && ri == len(l.rows)-1 {
				d.textAt(r, moreText(l.more), x, y+l.rowH, legendFontSize, mutedColor)
			}
			y += l.rowH + legendRowGap
		}
		r.ResetStyle()
	}
}

func (d drawer) drawYLabel(label string) chart.Renderable {
	return func(r chart.Renderer, cb chart.Box, _ chart.Style) {
		if label == "" {
			return
		}
		label := d.fit(label, axisFontSize, cb.Height())
		w, h := d.measure(label, axisFontSize)
		chart.Draw.Text(r, d.text(label), edge+h, cb.Top+(cb.Height()+w)/2, chart.Style{
			Font: d.font, FontSize: axisFontSize, FontColor: textColor, TextRotationDegrees: 270,
		})
	}
}

func (d drawer) drawMarkerLabels(markers []VLine, xr *tickRange) chart.Renderable {
	return func(r chart.Renderer, cb chart.Box, _ chart.Style) {
		for _, m := range markers {
			if m.Name == "" {
				continue
			}
			x := cb.Left + xr.Translate(xValue(m.Date))
			w, h := d.measure(m.Name, markerFontSize)
			// Right of the marker, unless that would leave the plot.
			tx := x + 5
			if tx+w > cb.Right {
				tx = x - 6 - w
			}
			d.textAt(r, m.Name, tx, cb.Top+h+2, markerFontSize, mutedColor)
		}
	}
}

// textAt draws s with its baseline at y.
func (d drawer) textAt(r chart.Renderer, s string, x, y int, size float64, color drawing.Color) {
	chart.Draw.Text(r, d.text(s), x, y, chart.Style{Font: d.font, FontSize: size, FontColor: color})
}

// placeholder draws a frame with the title and "No data yet".
func (d drawer) placeholder(c Chart, rp chart.RendererProvider, buf *bytes.Buffer) error {
	r, err := rp(c.Width, c.Height)
	if err != nil {
		return err
	}
	r.SetDPI(dpi)
	chart.Draw.Box(r, chart.Box{Right: c.Width, Bottom: c.Height}, chart.Style{FillColor: drawing.ColorWhite})
	chart.Draw.Box(r, chart.Box{Left: edge, Top: edge, Right: c.Width - edge, Bottom: c.Height - edge},
		chart.Style{StrokeColor: gridColor, StrokeWidth: 1})
	d.drawTitle(c.Title, c.Width, 2*edge)(r, chart.Box{}, chart.Style{})
	const msg = "No data yet"
	w, h := d.measure(msg, emptyFontSize)
	d.textAt(r, msg, (c.Width-w)/2, (c.Height+h)/2, emptyFontSize, mutedColor)
	return r.Save(buf)
}
