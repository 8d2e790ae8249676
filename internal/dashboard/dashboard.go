// Package dashboard writes the KPI dashboard: a self-contained index.html
// (the page's script and style, and the vendored uPlot chart library, all
// inline; no CDN, no network but the files beside it) and dashboard.json,
// the little the page needs that history.json does not hold — the SLA, the
// metric catalogue and chart groups, and the longest-waiting review
// requests of the run. The page reads history.json (and okr-report.json
// when the run wrote one) relative to itself, so any static host such as
// GitHub Pages serves it from the output directory.
package dashboard

import (
	"bytes"
	"crypto/sha256"
	_ "embed"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/engineering-kpis/engineering-kpis/internal/kpi"
)

// File names of the dashboard inside the output directory.
const (
	PageFile = "index.html"
	DataFile = "dashboard.json"
)

var (
	//go:embed page.html
	pageHTML string
	//go:embed page.css
	pageCSS string
	//go:embed page.js
	pageJS string
	//go:embed vendor/uplot/uPlot.iife.min.js
	uplotJS string
	//go:embed vendor/uplot/uPlot.min.css
	uplotCSS string
	//go:embed vendor/uplot/LICENSE
	uplotLicense string
	//go:embed vendor/uplot/VERSION
	uplotVersion string
)

// UPlotVersion is the version of the vendored uPlot library.
func UPlotVersion() string { return strings.TrimSpace(uplotVersion) }

// Page returns index.html: the same bytes on every call, so an unchanged
// page is never committed again. Its Content-Security-Policy allows only
// its own inline script and style (by hash) and fetches from its own
// origin, so even a string that escaped escaping could not run or load
// anything.
func Page() []byte {
	style := "\n" + uplotCSS + "\n" + pageCSS
	csp := fmt.Sprintf("default-src 'none'; script-src %s %s; style-src %s; connect-src 'self'; img-src data:; base-uri 'none'; form-action 'none'",
		hash(uplotJS), hash(pageJS), hash(style))
	r := strings.NewReplacer(
		"{{CSP}}", csp,
		"{{UPLOT_VERSION}}", UPlotVersion(),
		"{{UPLOT_LICENSE}}", strings.TrimSpace(uplotLicense),
		"{{STYLE}}", style,
		"{{UPLOT_JS}}", uplotJS,
		"{{PAGE_JS}}", pageJS,
	)
	return []byte(r.Replace(pageHTML))
}

func hash(s string) string {
	sum := sha256.Sum256([]byte(s))
	return "'sha256-" + base64.StdEncoding.EncodeToString(sum[:]) + "'"
}

// Data is dashboard.json.
type Data struct {
	Schema int `json:"schema"`
	// AsOf is the run's moment of measurement (RFC 3339, UTC).
	AsOf string `json:"as_of"`
	// Clock is the review-wait clock, "calendar" or "business".
	Clock       string  `json:"clock"`
	SLAHours    float64 `json:"sla_hours"`
	WindowHours float64 `json:"window_hours"`
	// Primary is the repository the Sentry figures and the OKR report
	// belong to.
	Primary string `json:"primary"`
	// History and OKRReport are the file names, beside the page, of the
	// history and of the OKR report ("" without an OKR file).
	History   string `json:"history"`
	OKRReport string `json:"okr_report"`
	// Settings is the history's key of the run's settings: the page
	// charts the figures computed like the run (see history.Settings).
	Settings string `json:"settings"`
	// Repositories are the run's repositories, with "*" (every one pooled)
	// first when it measured several.
	Repositories []string `json:"repositories"`
	Metrics      []Metric `json:"metrics"`
	Charts       []Chart  `json:"charts"`
	// Waiting maps a repository to its longest-waiting requests.
	Waiting map[string]Waiting `json:"waiting"`
}

// Metric describes a metric of kpi.Metrics for the page.
type Metric struct {
	Name          string `json:"name"`
	Title         string `json:"title"`
	Unit          string `json:"unit"`
	LowerIsBetter bool   `json:"lower_is_better"`
}

// Chart is one chart of the page: metrics of one unit drawn together.
type Chart struct {
	ID      string   `json:"id"`
	Title   string   `json:"title"`
	Unit    string   `json:"unit"`
	Metrics []string `json:"metrics"`
	// Labels are the metrics' short names in the legend, in order.
	Labels []string `json:"labels"`
	// Percent shows ratios as percentages.
	Percent bool `json:"percent,omitempty"`
	// SLA draws the SLA line; Daily adds the daily Sentry E/U series.
	SLA   bool `json:"sla,omitempty"`
	Daily bool `json:"daily,omitempty"`
}

// Charts are the page's charts; every metric is on exactly one.
func Charts() []Chart {
	return []Chart{
		{ID: "review-wait", Title: "Review request wait", Unit: string(kpi.UnitHours), SLA: true,
			Metrics: []string{kpi.ReviewWaitMedianHours, kpi.ReviewWaitP75Hours, kpi.ReviewWaitP90Hours, kpi.ReviewWaitMeanHours, kpi.ReviewWaitMaxHours},
			Labels:  []string{"median", "p75", "p90", "mean", "max"}},
		{ID: "review-requests", Title: "Review requests", Unit: string(kpi.UnitCount),
			Metrics: []string{kpi.ReviewRequestsAnswered, kpi.ReviewRequestsWithdrawn, kpi.ReviewRequestsWaiting, kpi.ReviewRequestsOverSLA},
			Labels:  []string{"answered", "withdrawn", "waiting", "waiting over SLA"}},
		{ID: "review-sla", Title: "Review requests answered within the SLA", Unit: string(kpi.UnitRatio), Percent: true,
			Metrics: []string{kpi.ReviewAnsweredWithinSLARatio}, Labels: []string{"within SLA"}},
		{ID: "sentry-ratio", Title: "Sentry error events per active user per day", Unit: string(kpi.UnitRatio), Daily: true,
			Metrics: []string{kpi.SentryEventsPerUserDay}, Labels: []string{"window ΣE/ΣU"}},
		{ID: "sentry-events", Title: "Sentry error events (window)", Unit: string(kpi.UnitCount),
			Metrics: []string{kpi.SentryEvents}, Labels: []string{"events"}},
		{ID: "sentry-users", Title: "Sentry active user-days (window)", Unit: string(kpi.UnitCount),
			Metrics: []string{kpi.SentryActiveUsers}, Labels: []string{"user-days"}},
		{ID: "sentry-issues", Title: "Unresolved Sentry issues (the old KPI)", Unit: string(kpi.UnitCount),
			Metrics: []string{kpi.SentryUnresolvedIssues}, Labels: []string{"unresolved issues"}},
	}
}

// Waiting is the waiting list of one repository.
type Waiting struct {
	// Total counts every request waiting, of which Longest are the
	// longest-waiting (at most kpi.LongestLimit).
	Total   int              `json:"total"`
	OverSLA int              `json:"over_sla"`
	Longest []WaitingRequest `json:"longest"`
}

// WaitingRequest is one open review request.
type WaitingRequest struct {
	Repository string `json:"repository"`
	Number     int    `json:"number"`
	Title      string `json:"title"`
	// URL is an http(s) URL, or empty.
	URL         string  `json:"url"`
	Reviewer    string  `json:"reviewer"`
	Team        bool    `json:"team"`
	RequestedAt string  `json:"requested_at"`
	AgeHours    float64 `json:"age_hours"`
}

// Input is what a run gives the dashboard.
type Input struct {
	AsOf    time.Time
	Clock   string
	SLA     time.Duration
	Window  time.Duration
	Primary string
	// History and OKR are the file names of the history and of the OKR
	// report beside the page; OKR is "" without an OKR file.
	History string
	OKR     string
	// Settings is the history's key of the run's settings.
	Settings string
	// Reports has one report per repository, and the pooled one.
	Reports []kpi.Report
}

// New builds dashboard.json's content from a run's reports (one per
// repository, and the pooled "*" one when there are several).
func New(in Input) Data {
	d := Data{
		Schema:       1,
		AsOf:         in.AsOf.UTC().Format(time.RFC3339),
		Clock:        in.Clock,
		SLAHours:     kpi.Hours(in.SLA),
		WindowHours:  kpi.Hours(in.Window),
		Primary:      in.Primary,
		History:      in.History,
		OKRReport:    in.OKR,
		Settings:     in.Settings,
		Repositories: []string{},
		Charts:       Charts(),
		Waiting:      map[string]Waiting{},
	}
	for _, m := range kpi.Metrics() {
		d.Metrics = append(d.Metrics, Metric{Name: m.Name, Title: m.Title, Unit: string(m.Unit), LowerIsBetter: m.LowerIsBetter})
	}
	for _, r := range in.Reports {
		d.Repositories = append(d.Repositories, r.Repository)
		w := Waiting{Total: r.ReviewWait.Waiting, OverSLA: r.ReviewWait.OverSLA, Longest: []WaitingRequest{}}
		for _, l := range r.ReviewWait.Longest {
			w.Longest = append(w.Longest, WaitingRequest{
				Repository:  l.Repository,
				Number:      l.Number,
				Title:       l.Title,
				URL:         safeURL(l.URL),
				Reviewer:    l.Reviewer.Login,
				Team:        l.Reviewer.Team,
				RequestedAt: l.RequestedAt.UTC().Format(time.RFC3339),
				AgeHours:    kpi.Hours(l.Age),
			})
		}
		d.Waiting[r.Repository] = w
	}
	return d
}

// safeURL keeps u only when it is an http(s) URL with a host: never a
// javascript: or data: link.
func safeURL(u string) string {
	p, err := url.Parse(u)
	if err != nil || (p.Scheme != "https" && p.Scheme != "http") || p.Host == "" {
		return ""
	}
	return p.String()
}

// Marshal encodes d as 2-space indented JSON with a trailing newline. Text
// is HTML-escaped as well (<, >, & as \u003c...), which changes nothing for
// the page, which never treats it as markup.
func Marshal(d Data) ([]byte, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetIndent("", "  ")
	if err := enc.Encode(d); err != nil {
		return nil, fmt.Errorf("encode %s: %w", DataFile, err)
	}
	return b.Bytes(), nil
}
