package dashboard_test

// Browser tests: the dashboard a real run writes, loaded over HTTP in
// headless Chromium driven through the DevTools protocol. Without Chromium
// they skip locally and fail in CI (CI set), which installs it.

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"image"
	"image/png"
	"io"
	"math"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/chromedp"
	"github.com/google/go-cmp/cmp"

	"github.com/engineering-kpis/engineering-kpis/internal/cli"
	"github.com/engineering-kpis/engineering-kpis/internal/history"
	"github.com/engineering-kpis/engineering-kpis/internal/testkit/githubfake"
)

var screenshots = flag.Bool("screenshots", false, "write the README's dashboard screenshots into docs/")

// chromium returns the browser's path; without one the test skips, or
// fails when CI is set.
func chromium(t *testing.T) string {
	t.Helper()
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	if os.Getenv("CI") != "" {
		t.Fatal("no chromium on PATH: CI needs it for the dashboard's browser tests (apt-get install -y chromium)")
	}
	t.Skip("no chromium on PATH: install it (apt-get install -y chromium) to run the dashboard's browser tests")
	return ""
}

// browser is one headless Chromium tab whose console is collected.
type browser struct {
	ctx  context.Context
	mu   sync.Mutex
	msgs []string
}

func newBrowser(t *testing.T, width, height int64) *browser {
	t.Helper()
	exe := chromium(t)
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(exe),
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.Flag("disable-quic", true),
		chromedp.NoFirstRun,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.UserDataDir(t.TempDir()),
	)
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelCtx := chromedp.NewContext(actx)
	t.Cleanup(func() {
		cancelCtx()
		cancelAlloc()
	})
	b := &browser{ctx: ctx}
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(width, height)); err != nil {
		t.Fatalf("start chromium: %v", err)
	}
	msgs := chromedp.Console(ctx)
	go func() {
		for m, err := range msgs {
			if err != nil {
				return
			}
			if m.Type == chromedp.ConsoleError || m.Type == chromedp.ConsoleWarning || m.IsException() {
				b.mu.Lock()
				b.msgs = append(b.msgs, m.String()+" "+m.URL)
				b.mu.Unlock()
			}
		}
	}()
	return b
}

// do runs actions with a deadline.
func (b *browser) do(t *testing.T, what string, actions ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, 30*time.Second)
	defer cancel()
	if err := chromedp.Do(ctx, actions...); err != nil {
		t.Fatalf("%s: %v", what, err)
	}
}

// eval evaluates a JavaScript expression into out.
func eval[T any](t *testing.T, b *browser, expr string) T {
	t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, 30*time.Second)
	defer cancel()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](expr))
	if err != nil {
		t.Fatalf("evaluate %.80s: %v", expr, err)
	}
	return v
}

// open loads the dashboard and waits until it has drawn.
func (b *browser) open(t *testing.T, url string) {
	t.Helper()
	b.do(t, "load the dashboard", chromedp.Navigate(url))
	ctx, cancel := context.WithTimeout(b.ctx, 30*time.Second)
	defer cancel()
	if _, err := chromedp.Run(ctx, chromedp.Poll[bool](`document.documentElement.dataset.ready === "true" || document.getElementById("status").className === "error"`)); err != nil {
		t.Fatalf("the dashboard never became ready: %v", err)
	}
	if status := eval[string](t, b, `document.getElementById("status").className + ": " + document.getElementById("status").textContent`); strings.HasPrefix(status, "error") {
		t.Fatalf("the dashboard failed: %s", status)
	}
}

// noConsoleErrors fails on any error, warning or exception the page
// logged, CSP violations and failed loads included.
func (b *browser) noConsoleErrors(t *testing.T) {
	t.Helper()
	// Let the last events arrive.
	time.Sleep(200 * time.Millisecond)
	b.mu.Lock()
	defer b.mu.Unlock()
	for _, m := range b.msgs {
		t.Errorf("console: %s", m)
	}
}

func serve(t *testing.T, dir string) string {
	t.Helper()
	srv := httptest.NewServer(http.FileServer(http.Dir(dir)))
	t.Cleanup(srv.Close)
	return srv.URL + "/"
}

// demoDashboard runs `engineering-kpis --demo --out DIR --dashboard` (and
// the extra flags) and returns DIR.
func demoDashboard(t *testing.T, extra ...string) string {
	t.Helper()
	dir := t.TempDir()
	var stderr bytes.Buffer
	err := cli.Main(context.Background(), cli.Env{
		Args:   append([]string{"--demo", "--out", dir, "--dashboard"}, extra...),
		Getenv: func(string) string { return "" },
		Stdout: io.Discard, Stderr: &stderr,
		Now: time.Now, Version: "test",
	})
	if err != nil {
		t.Fatalf("demo: %v\n%s", err, stderr.String())
	}
	return dir
}

// hist is the part of history.json the tests compare the charts with.
type hist struct {
	Snapshots []struct {
		Date       string              `json:"date"`
		Repository string              `json:"repository"`
		Metrics    map[string]*float64 `json:"metrics"`
		Incomplete []string            `json:"incomplete"`
	} `json:"snapshots"`
}

func readHist(t *testing.T, p string) hist {
	t.Helper()
	index, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	whole, err := history.ReadAll(index, func(part string) ([]byte, error) {
		return os.ReadFile(filepath.Join(filepath.Dir(p), filepath.FromSlash(part)))
	})
	if err != nil {
		t.Fatal(err)
	}
	data, err := whole.Document().Marshal()
	if err != nil {
		t.Fatal(err)
	}
	var h hist
	if err := json.Unmarshal(data, &h); err != nil {
		t.Fatal(err)
	}
	return h
}

// values maps date → value of metric for repo: the values a chart must
// show (incomplete figures are not shown).
func (h hist) values(repo, metric string) (map[string]*float64, bool) {
	out := map[string]*float64{}
	has := false
	for _, s := range h.Snapshots {
		if s.Repository != repo {
			continue
		}
		v, ok := s.Metrics[metric]
		has = has || ok
		for _, m := range s.Incomplete {
			if m == metric {
				v = nil
			}
		}
		out[s.Date] = v
	}
	return out, has
}

func (h hist) metricNames(repo string) map[string]bool {
	out := map[string]bool{}
	for _, s := range h.Snapshots {
		if s.Repository == repo {
			for m := range s.Metrics {
				out[m] = true
			}
		}
	}
	return out
}

// drawn is what a chart of the page holds, read from its uPlot instance.
type drawn struct {
	ID       string       `json:"id"`
	Metrics  []string     `json:"metrics"`
	X        []float64    `json:"x"`
	Ys       [][]*float64 `json:"ys"`
	SpanGaps []bool       `json:"spanGaps"`
	Inked    int          `json:"inked"`
}

const readCharts = `kpiDashboard.charts.map(c => ({
  id: c.id, metrics: c.metrics, x: Array.from(c.u.data[0]),
  ys: c.metrics.map((m, i) => Array.from(c.u.data[i + 1])),
  spanGaps: c.metrics.map((m, i) => !!c.u.series[i + 1].spanGaps),
  inked: (() => { const cv = c.u.ctx.canvas, d = c.u.ctx.getImageData(0, 0, cv.width, cv.height).data; let n = 0; for (let k = 3; k < d.length; k += 4) if (d[k] > 0) n++; return n; })()
}))`

func day(ts float64) string { return time.Unix(int64(ts), 0).UTC().Format("2006-01-02") }

// checkCharts compares every chart with the history of repo: the same
// value (or gap) on every date, so the same number of points, and every
// metric of the history on a chart.
func checkCharts(t *testing.T, b *browser, h hist, repo string) []drawn {
	t.Helper()
	charts := eval[[]drawn](t, b, readCharts)
	if len(charts) == 0 {
		t.Fatalf("%s: no chart drawn", repo)
	}
	onChart := map[string]bool{}
	for _, c := range charts {
		if c.Inked < 500 {
			t.Errorf("%s chart %s: only %d pixels drawn", repo, c.ID, c.Inked)
		}
		dates := map[string]bool{}
		for _, x := range c.X {
			dates[day(x)] = true
		}
		for i, m := range c.Metrics {
			onChart[m] = true
			want, _ := h.values(repo, m)
			for d := range want {
				if !dates[d] {
					t.Errorf("%s chart %s: date %s of the history is not on the x axis", repo, c.ID, d)
				}
			}
			var wantYs []*float64
			points, wantPoints := 0, 0
			for _, x := range c.X {
				wantYs = append(wantYs, want[day(x)])
			}
			for _, v := range want {
				if v != nil {
					wantPoints++
				}
			}
			for _, v := range c.Ys[i] {
				if v != nil {
					points++
				}
			}
			if points != wantPoints || wantPoints == 0 {
				t.Errorf("%s chart %s: %s has %d points, the history %d", repo, c.ID, m, points, wantPoints)
			}
			if diff := cmp.Diff(wantYs, c.Ys[i]); diff != "" {
				t.Errorf("%s chart %s: %s differs from the history (-history +chart):\n%s", repo, c.ID, m, diff)
			}
			if c.SpanGaps[i] {
				t.Errorf("%s chart %s: %s joins its gaps", repo, c.ID, m)
			}
		}
	}
	for m := range h.metricNames(repo) {
		if vals, _ := h.values(repo, m); !onChart[m] && countPoints(vals) > 0 {
			t.Errorf("%s: metric %s of the history is on no chart", repo, m)
		}
	}
	return charts
}

func countPoints(m map[string]*float64) int {
	n := 0
	for _, v := range m {
		if v != nil {
			n++
		}
	}
	return n
}

// TestDashboardDemo loads the demo's dashboard: every chart holds the
// history's values with its gaps, hovering shows a dated value, the range
// presets and a drag zoom set every chart's range, the theme switches, and
// nothing is logged to the console.
func TestDashboardDemo(t *testing.T) {
	b := newBrowser(t, 1280, 1000)
	dir := demoDashboard(t)
	h := readHist(t, filepath.Join(dir, "history.json"))
	b.open(t, serve(t, dir))
	repo := eval[string](t, b, `kpiDashboard.repo`)
	if repo != "acme/storefront" {
		t.Fatalf("repository shown %q", repo)
	}
	charts := checkCharts(t, b, h, repo)
	if charts[0].ID != "review-wait" {
		t.Fatalf("first chart %s", charts[0].ID)
	}

	// Hover a point of the median line.
	type target struct {
		I int     `json:"i"`
		X float64 `json:"x"`
		Y float64 `json:"y"`
	}
	pt := eval[target](t, b, `(() => {
	  const u = kpiDashboard.charts[0].u; u.over.scrollIntoView({block: "center"});
	  const ys = u.data[1]; let i = Math.floor(ys.length * 2 / 3); while (i > 0 && ys[i] == null) i--;
	  const r = u.over.getBoundingClientRect();
	  return {i: i, x: r.left + u.valToPos(u.data[0][i], "x"), y: r.top + r.height / 2};
	})()`)
	b.do(t, "hover", chromedp.MouseEvent(input.DispatchMouseEventTypeMouseMoved, pt.X, pt.Y))
	type legend struct {
		Idx   int    `json:"idx"`
		Date  string `json:"date"`
		Value string `json:"value"`
	}
	got := eval[legend](t, b, `(() => { const u = kpiDashboard.charts[0].u, rows = u.root.querySelectorAll(".u-legend .u-series");
	  return {idx: u.cursor.idx == null ? -1 : u.cursor.idx, date: rows[0].querySelector(".u-value").textContent, value: rows[1].querySelector(".u-value").textContent}; })()`)
	if got.Idx < 0 || math.Abs(float64(got.Idx-pt.I)) > 1 {
		t.Fatalf("hovering point %d put the cursor on %d", pt.I, got.Idx)
	}
	median, _ := h.values(repo, "review_wait_median_hours")
	date := day(charts[0].X[got.Idx])
	want := "–"
	if v := median[date]; v != nil {
		want = strconv.FormatFloat(*v, 'f', -1, 64) + " h"
	}
	if got.Date != date || got.Value != want {
		t.Errorf("hover shows %q %q, want %q %q", got.Date, got.Value, date, want)
	}

	// Range presets: the 28 days up to the as-of date on every chart.
	type scale struct{ Min, Max float64 }
	scales := func() []scale {
		return eval[[]scale](t, b, `kpiDashboard.charts.map(c => ({Min: c.u.scales.x.min, Max: c.u.scales.x.max}))`)
	}
	b.do(t, "click 28 d", chromedp.Click(chromedp.CSS(`button[data-range="28"]`)))
	for _, s := range scales() {
		if day(s.Max) != "2026-11-25" || s.Max-s.Min != 27*86400 {
			t.Errorf("28 d shows %s to %s", day(s.Min), day(s.Max))
		}
	}
	b.do(t, "click Year", chromedp.Click(chromedp.CSS(`button[data-range="365"]`)))
	for _, s := range scales() {
		if s.Max-s.Min != 364*86400 {
			t.Errorf("Year shows %s to %s", day(s.Min), day(s.Max))
		}
	}
	if hash := eval[string](t, b, `location.hash`); !strings.Contains(hash, "range=365") {
		t.Errorf("address %q does not keep the range", hash)
	}
	b.do(t, "click All", chromedp.Click(chromedp.CSS(`button[data-range="all"]`)))
	all := scales()

	// Drag across the middle of the first chart: every chart zooms in.
	r := eval[struct{ L, T, W, H float64 }](t, b, `(() => { const o = kpiDashboard.charts[0].u.over; o.scrollIntoView({block: "center"}); const r = o.getBoundingClientRect(); return {L: r.left, T: r.top, W: r.width, H: r.height}; })()`)
	y := r.T + r.H/2
	b.do(t, "drag to zoom",
		chromedp.MouseEvent(input.DispatchMouseEventTypeMouseMoved, r.L+r.W*0.3, y),
		chromedp.MouseEvent(input.DispatchMouseEventTypeMousePressed, r.L+r.W*0.3, y, chromedp.ButtonLeft, chromedp.ClickCount(1)),
		chromedp.MouseEvent(input.DispatchMouseEventTypeMouseMoved, r.L+r.W*0.5, y, chromedp.ButtonLeft),
		chromedp.MouseEvent(input.DispatchMouseEventTypeMouseMoved, r.L+r.W*0.6, y, chromedp.ButtonLeft),
		chromedp.MouseEvent(input.DispatchMouseEventTypeMouseReleased, r.L+r.W*0.6, y, chromedp.ButtonLeft, chromedp.ClickCount(1)),
	)
	zoomed := scales()
	for i, s := range zoomed {
		if s.Max-s.Min >= (all[i].Max-all[i].Min)*0.5 || s != zoomed[0] {
			t.Errorf("chart %d after the drag shows %s to %s (all: %s to %s)", i, day(s.Min), day(s.Max), day(all[i].Min), day(all[i].Max))
		}
	}

	// The theme button goes auto → light → dark.
	b.do(t, "theme", chromedp.Click(chromedp.ID("theme")), chromedp.Click(chromedp.ID("theme")))
	theme := eval[[]string](t, b, `[document.documentElement.dataset.theme, getComputedStyle(document.documentElement).backgroundColor, document.getElementById("theme").textContent, String(kpiDashboard.charts.length)]`)
	if diff := cmp.Diff([]string{"dark", "rgb(13, 17, 23)", "Theme: dark", strconv.Itoa(len(charts))}, theme); diff != "" {
		t.Errorf("dark theme (-want +got):\n%s", diff)
	}
	checkCharts(t, b, h, repo)

	// The waiting list, from dashboard.json.
	rows := eval[[]string](t, b, `Array.from(document.querySelectorAll("#waiting-table tbody tr")).map(r => r.textContent)`)
	if len(rows) == 0 || !strings.Contains(rows[0], "#") {
		t.Errorf("waiting list rows %q", rows)
	}
	b.noConsoleErrors(t)
}

// TestDashboardYear: with a year of history the index keeps only the last
// 200 days; the page reads the days before them from their parts, so the
// charts hold every day of the year, date by date.
func TestDashboardYear(t *testing.T) {
	b := newBrowser(t, 1280, 1000)
	dir := demoDashboard(t, "--backfill", "365d")
	h := readHist(t, filepath.Join(dir, "history.json"))
	if n := len(h.Snapshots); n != 366 {
		t.Fatalf("%d snapshots, want 366 (365 backfilled days and today)", n)
	}
	b.open(t, serve(t, dir))
	// At first only the index's 200 days; Year reads the days before from
	// their parts.
	if n := eval[int](t, b, `new Set(kpiDashboard.history.snapshots.map(s => s.date)).size`); n != 200 {
		t.Errorf("%d days before Year was chosen, want the index's 200", n)
	}
	b.do(t, "click Year", chromedp.Click(chromedp.CSS(`button[data-range="365"]`)),
		chromedp.Poll[chromedp.Void](`kpiDashboard.loading === false && kpiDashboard.history.loadYear === null`))
	// Every date of the history on the axis, every value as recorded;
	// the oldest day lies in a part, 166 days before the index's.
	charts := checkCharts(t, b, h, "acme/storefront")
	if first := day(charts[0].X[0]); first != "2025-11-25" {
		t.Errorf("the review-wait chart starts on %s, want 2025-11-25", first)
	}
	b.noConsoleErrors(t)
}

// TestDashboardOnAPhone checks that the page fits a phone's width: no
// sideways scrolling, charts as wide as the screen at most.
func TestDashboardOnAPhone(t *testing.T) {
	b := newBrowser(t, 390, 844)
	dir := demoDashboard(t)
	b.open(t, serve(t, dir))
	got := eval[[]float64](t, b, `[document.documentElement.scrollWidth, window.innerWidth, Math.max(...kpiDashboard.charts.map(c => c.u.root.getBoundingClientRect().right))]`)
	if got[0] > got[1] || got[2] > got[1] {
		t.Errorf("page %gpx wide, charts end at %gpx, on a %gpx screen", got[0], got[2], got[1])
	}
	b.noConsoleErrors(t)
}

// TestScreenshots renders the demo dashboard light, dark and on a phone,
// checks that the dark one is dark, and with -screenshots writes them to
// docs/ for the README.
func TestScreenshots(t *testing.T) {
	dir := demoDashboard(t)
	url := serve(t, dir)
	shots := []struct {
		name          string
		width, height int64
		dark          bool
	}{
		{"dashboard-light.png", 1280, 1500, false},
		{"dashboard-dark.png", 1280, 1500, true},
		{"dashboard-phone.png", 390, 1400, false},
	}
	luma := map[string]float64{}
	for _, s := range shots {
		b := newBrowser(t, s.width, s.height)
		scheme := "light"
		if s.dark {
			scheme = "dark"
		}
		b.do(t, "prefer "+scheme, func(ctx context.Context, tg *chromedp.Target) (chromedp.Void, error) {
			_, err := cdp.Call(ctx, tg, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Features: []*emulation.MediaFeature{{Name: "prefers-color-scheme", Value: scheme}}})
			return chromedp.Void{}, err
		})
		b.open(t, url)
		ctx, cancel := context.WithTimeout(b.ctx, 30*time.Second)
		data, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
		cancel()
		if err != nil {
			t.Fatal(err)
		}
		img, err := png.Decode(bytes.NewReader(data))
		if err != nil {
			t.Fatalf("%s: %v", s.name, err)
		}
		if got := img.Bounds().Dx(); got != int(s.width) {
			t.Errorf("%s is %d px wide, want %d", s.name, got, s.width)
		}
		luma[s.name] = meanLuma(img)
		b.noConsoleErrors(t)
		if *screenshots {
			if err := os.WriteFile(filepath.Join("..", "..", "docs", s.name), data, 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
	if luma["dashboard-dark.png"] > 0.3 || luma["dashboard-light.png"] < 0.7 {
		t.Errorf("mean brightness: light %.2f, dark %.2f", luma["dashboard-light.png"], luma["dashboard-dark.png"])
	}
}

func meanLuma(img image.Image) float64 {
	var sum float64
	b := img.Bounds()
	n := 0
	for y := b.Min.Y; y < b.Max.Y; y += 4 {
		for x := b.Min.X; x < b.Max.X; x += 4 {
			r, g, bl, _ := img.At(x, y).RGBA()
			sum += (0.299*float64(r) + 0.587*float64(g) + 0.114*float64(bl)) / 65535
			n++
		}
	}
	return sum / float64(n)
}

// Hostile text, as the summary's tests use it, and an element that would
// mark the page if it ever became markup.
const (
	hostileScript = "Fix | table `code` <script>alert(1)</script> [x](javascript:alert(1))"
	hostileLines  = "ping @everyone\n::error::injected"
	hostileImg    = `<img src=x onerror="window.__pwned=1">`
)

func at(s string) time.Time {
	t, err := time.Parse("2006-01-02T15:04", s)
	if err != nil {
		panic(err)
	}
	return t
}

// twoRepositories is a run of the action (as the runner runs it, against
// the fake GitHub, commit: false) over two repositories, one with hostile
// titles and logins, with the dashboard on; it returns the output
// directory in the workspace.
func twoRepositories(t *testing.T) string {
	t.Helper()
	u := githubfake.User
	widgets := githubfake.Repo{Owner: "acme", Name: "widgets", PullRequests: []githubfake.PullRequest{
		// Answered on 20 October and on 22 November: the 28-day window
		// holds no answered wait from 18 to 21 November, a gap.
		{Number: 1, Title: "Add widget sizes", Author: u("alice"), CreatedAt: at("2026-10-20T08:00"), Items: []githubfake.Item{
			githubfake.Requested(at("2026-10-20T09:00"), u("bob")),
			githubfake.Review(at("2026-10-20T13:00"), u("bob"), "APPROVED"),
			githubfake.Merged(at("2026-10-21T10:00")), githubfake.Closed(at("2026-10-21T10:00")),
		}},
		{Number: 2, Title: "Fix widget colours", Author: u("alice"), CreatedAt: at("2026-11-22T08:00"), Items: []githubfake.Item{
			githubfake.Requested(at("2026-11-22T09:00"), u("carol")),
			githubfake.Review(at("2026-11-22T12:00"), u("carol"), "APPROVED"),
		}},
		{Number: 3, Title: "Speed up the widget cache", Author: u("bob"), CreatedAt: at("2026-11-22T07:00"), Items: []githubfake.Item{
			githubfake.Requested(at("2026-11-22T08:00"), u("alice")),
		}},
	}}
	hostile := githubfake.Repo{Owner: "acme", Name: "hostile", PullRequests: []githubfake.PullRequest{
		{Number: 7, Title: hostileScript, Author: u("carol"), CreatedAt: at("2026-11-20T08:00"), Items: []githubfake.Item{
			githubfake.Requested(at("2026-11-20T09:00"), githubfake.Team("acme/<b>core</b>")),
		}},
		{Number: 9, Title: hostileLines, Author: u("carol"), CreatedAt: at("2026-11-21T08:00"), Items: []githubfake.Item{
			githubfake.Requested(at("2026-11-21T09:00"), u("mal_lory")),
		}},
		{Number: 10, Title: hostileImg, Author: u("dave"), CreatedAt: at("2026-11-10T08:00"), Items: []githubfake.Item{
			githubfake.Requested(at("2026-11-10T09:00"), u("erin")),
			githubfake.Review(at("2026-11-12T09:00"), u("erin"), "COMMENTED"),
		}},
	}}
	srv := githubfake.New(t, widgets, hostile)
	dir := t.TempDir()
	env := map[string]string{
		"GITHUB_ACTIONS": "true", "GITHUB_REPOSITORY": "acme/widgets", "GITHUB_WORKSPACE": dir,
		"GITHUB_API_URL": srv.APIURL(), "GITHUB_GRAPHQL_URL": srv.URL(),
		"INPUT_GITHUB-TOKEN": githubfake.DefaultToken, "INPUT_REPOSITORIES": "acme/widgets\nacme/hostile",
		"INPUT_AS-OF": "2026-11-25T12:00:00Z", "INPUT_BACKFILL": "30d", "INPUT_COMMIT": "false", "INPUT_DASHBOARD": "true",
	}
	var out bytes.Buffer
	err := cli.Main(context.Background(), cli.Env{
		Getenv: func(k string) string { return env[k] },
		Stdout: &out, Stderr: &out,
		Now:   func() time.Time { return time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC) },
		Sleep: func(context.Context, time.Duration) error { return nil },
	})
	if err != nil {
		t.Fatalf("run: %v\n%s", err, out.String())
	}
	return filepath.Join(dir, ".github", "kpis")
}

// tamper adds what a hand-edited file could hold: a javascript: link and
// a markup login in the waiting list, a markup repository in the history.
func tamper(t *testing.T, dir string) {
	t.Helper()
	edit := func(name string, f func(map[string]any)) {
		p := filepath.Join(dir, name)
		data, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		var doc map[string]any
		if err := json.Unmarshal(data, &doc); err != nil {
			t.Fatal(err)
		}
		f(doc)
		if data, err = json.Marshal(doc); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	edit("dashboard.json", func(d map[string]any) {
		w := d["waiting"].(map[string]any)["acme/hostile"].(map[string]any)
		w["longest"] = append(w["longest"].([]any), map[string]any{
			"repository": "acme/hostile", "number": 11, "title": "Edited by hand", "url": "javascript:window.__pwned=1",
			"reviewer": hostileImg, "team": false, "requested_at": "2026-11-24T00:00:00Z", "age_hours": 36,
		})
	})
	edit("history.json", func(h map[string]any) {
		recent := h["recent"].(map[string]any)
		series := recent["series"].([]any)
		recent["series"] = append(series, map[string]any{
			"repository": hostileImg, "settings": series[0].(map[string]any)["settings"], "dates": []any{"2026-11-25"},
			"metrics": map[string]any{"review_requests_waiting": []any{1}},
		})
	})
}

// TestDashboardRepositoriesAndHostileText loads the dashboard of a run
// over two repositories: the pooled view first, the picker switches to
// each repository (charts equal to its history, its waiting list), and no
// title, login, team or repository name ever becomes markup.
func TestDashboardRepositoriesAndHostileText(t *testing.T) {
	b := newBrowser(t, 1280, 1000)
	dir := twoRepositories(t)
	h := readHist(t, filepath.Join(dir, "history.json"))
	tamper(t, dir)
	b.open(t, serve(t, dir))

	options := eval[[]string](t, b, `Array.from(document.querySelectorAll("#repo option")).map(o => o.value + "=" + o.textContent)`)
	wantOptions := []string{"*=All repositories (pooled)", hostileImg + "=" + hostileImg, "acme/hostile=acme/hostile", "acme/widgets=acme/widgets"}
	if diff := cmp.Diff(wantOptions, options); diff != "" {
		t.Errorf("picker (-want +got):\n%s", diff)
	}
	if repo := eval[string](t, b, `kpiDashboard.repo`); repo != "*" {
		t.Errorf("first view %q, want the pooled one", repo)
	}
	checkCharts(t, b, h, "*")
	rows := func() []string {
		return eval[[]string](t, b, `Array.from(document.querySelectorAll("#waiting-table tbody tr")).map(r => Array.from(r.cells).map(c => c.textContent).join(" | "))`)
	}
	pooled := rows()
	for _, want := range []string{"acme/hostile#7 " + hostileScript + " | team acme/<b>core</b>", "acme/hostile#9 " + hostileLines + " | mal_lory", "acme/widgets#3 Speed up the widget cache | alice"} {
		found := false
		for _, r := range pooled {
			found = found || strings.HasPrefix(r, want)
		}
		if !found {
			t.Errorf("pooled waiting list lacks %q: %q", want, pooled)
		}
	}

	pick := func(repo string) {
		t.Helper()
		b.do(t, "pick "+repo, chromedp.SetValue(chromedp.ID("repo"), repo))
		eval[bool](t, b, `document.getElementById("repo").dispatchEvent(new Event("change"))`)
		if got := eval[string](t, b, `kpiDashboard.repo`); got != repo {
			t.Fatalf("picked %q, shows %q", repo, got)
		}
	}
	pick("acme/widgets")
	charts := checkCharts(t, b, h, "acme/widgets")
	if got := rows(); len(got) != 1 || !strings.HasPrefix(got[0], "#3 Speed up the widget cache | alice | 3d 4h") {
		t.Errorf("widgets waiting list %q", got)
	}
	if hash := eval[string](t, b, `location.hash`); !strings.Contains(hash, "repo=acme%2Fwidgets") {
		t.Errorf("address %q does not keep the repository", hash)
	}
	gaps := false
	for _, c := range charts {
		for _, ys := range c.Ys {
			for i := 1; i+1 < len(ys); i++ {
				gaps = gaps || (ys[i] == nil && ys[i-1] != nil)
			}
		}
	}
	if !gaps {
		t.Error("acme/widgets has days with no sample, yet no chart shows a gap")
	}

	pick("acme/hostile")
	checkCharts(t, b, h, "acme/hostile")
	got := rows()
	if len(got) != 3 || !strings.HasPrefix(got[2], "#11 Edited by hand | "+hostileImg+" | 1d 12h") {
		t.Errorf("hostile waiting list %q", got)
	}
	pick(hostileImg)

	// Nothing became markup, nothing ran, no javascript: link.
	marks := eval[[]string](t, b, `[String(window.__pwned), String(document.querySelectorAll("script").length),
	  String(document.querySelectorAll("body img, body b, body iframe, body object, body embed").length),
	  String(document.querySelectorAll("a[href]:not([href^='https://']):not([href^='http://'])").length),
	  String(document.querySelectorAll("#waiting-table a").length)]`)
	if diff := cmp.Diff([]string{"undefined", "2", "0", "0", "0"}, marks); diff != "" {
		t.Errorf("[__pwned, scripts, injected elements, non-http links, links] (-want +got):\n%s", diff)
	}
	pick("acme/hostile")
	if n := eval[int](t, b, `document.querySelectorAll("#waiting-table a").length`); n != 2 {
		t.Errorf("%d links in the hostile waiting list, want the 2 real pull requests (not the javascript: one)", n)
	}
	b.noConsoleErrors(t)
}
