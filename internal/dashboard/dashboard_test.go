package dashboard

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"os"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/engineering-kpis/engineering-kpis/internal/kpi"
)

func TestChartsHoldEveryMetricOnce(t *testing.T) {
	seen := map[string]string{}
	for _, c := range Charts() {
		if len(c.Labels) != len(c.Metrics) {
			t.Errorf("chart %s: %d labels for %d metrics", c.ID, len(c.Labels), len(c.Metrics))
		}
		for _, m := range c.Metrics {
			metric, ok := kpi.LookupMetric(m)
			if !ok {
				t.Errorf("chart %s: unknown metric %s", c.ID, m)
			}
			if string(metric.Unit) != c.Unit {
				t.Errorf("chart %s (%s): metric %s is in %s", c.ID, c.Unit, m, metric.Unit)
			}
			if other, dup := seen[m]; dup {
				t.Errorf("metric %s on charts %s and %s", m, other, c.ID)
			}
			seen[m] = c.ID
		}
	}
	for _, m := range kpi.Metrics() {
		if _, ok := seen[m.Name]; !ok {
			t.Errorf("metric %s is on no chart", m.Name)
		}
	}
}

// TestPageIsSelfContained checks that the page loads nothing from
// elsewhere, that its policy allows exactly its own inline script and
// style, and that its script never writes markup.
func TestPageIsSelfContained(t *testing.T) {
	page := Page()
	if !bytes.Equal(page, Page()) {
		t.Fatal("Page is not the same bytes on every call")
	}
	s := string(page)
	for _, bad := range []string{"<script src", "<link rel=\"stylesheet\"", "@import", "<iframe", "{{"} {
		if strings.Contains(s, bad) {
			t.Errorf("page holds %q", bad)
		}
	}
	csp := regexp.MustCompile(`http-equiv="Content-Security-Policy" content="([^"]+)"`).FindStringSubmatch(s)
	if csp == nil {
		t.Fatal("no Content-Security-Policy")
	}
	for _, block := range []struct{ tag, directive string }{{"script", "script-src"}, {"style", "style-src"}} {
		re := regexp.MustCompile(`(?s)<` + block.tag + `>(.*?)</` + block.tag + `>`)
		matches := re.FindAllStringSubmatch(s, -1)
		var want []string
		for _, m := range matches {
			sum := sha256.Sum256([]byte(m[1]))
			want = append(want, "'sha256-"+base64.StdEncoding.EncodeToString(sum[:])+"'")
		}
		dir := regexp.MustCompile(block.directive + ` ([^;]+)`).FindStringSubmatch(csp[1])
		if dir == nil || len(matches) == 0 {
			t.Fatalf("no %s or no <%s>", block.directive, block.tag)
		}
		if diff := cmp.Diff(want, strings.Fields(dir[1])); diff != "" {
			t.Errorf("%s does not allow exactly the page's <%s> blocks (-blocks +policy):\n%s", block.directive, block.tag, diff)
		}
	}
	if !strings.Contains(csp[1], "default-src 'none'") || !strings.Contains(csp[1], "connect-src 'self'") {
		t.Errorf("policy %q", csp[1])
	}
	for _, sink := range []string{"innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval(", "new Function"} {
		if strings.Contains(pageJS, sink) {
			t.Errorf("page.js uses %s", sink)
		}
	}
}

func TestVendoredVersion(t *testing.T) {
	if v := UPlotVersion(); !strings.HasPrefix(uplotJS, "/*! https://github.com/leeoniya/uPlot (v"+v+") */") {
		t.Errorf("VERSION %s does not match the vendored file's header %.60q", v, uplotJS)
	}
	if !strings.Contains(uplotLicense, "MIT License") || !strings.Contains(string(Page()), "Copyright (c) 2022 Leon Sorokin") {
		t.Error("the uPlot licence is not in the page")
	}
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(readme), "uPlot "+UPlotVersion()) {
		t.Errorf("README does not name uPlot %s", UPlotVersion())
	}
}

func TestNewKeepsTextAndOnlyWebLinks(t *testing.T) {
	asOf := time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)
	title := "Fix | table `code` <script>alert(1)</script> [x](javascript:alert(1))"
	report := kpi.Report{Repository: "o/r", ReviewWait: kpi.ReviewWait{Waiting: 3, OverSLA: 1, Longest: []kpi.WaitingRequest{
		{Request: kpi.Request{Repository: "o/r", Number: 7, Title: title, URL: "https://github.com/o/r/pull/7", Reviewer: kpi.Actor{Login: "octo-org/core", Team: true}, RequestedAt: asOf.Add(-76 * time.Hour)}, Age: 76 * time.Hour},
		{Request: kpi.Request{Repository: "o/r", Number: 9, Title: "ping @everyone\n::error::injected", URL: "javascript:alert(1)", Reviewer: kpi.Actor{Login: "mal_lory"}, RequestedAt: asOf.Add(-5 * time.Hour)}, Age: 5*time.Hour + 30*time.Minute},
	}}}
	d := New(Input{AsOf: asOf, Clock: "calendar", SLA: 24 * time.Hour, Window: 28 * 24 * time.Hour, Primary: "o/r", History: "history.json", Reports: []kpi.Report{report}})
	want := Waiting{Total: 3, OverSLA: 1, Longest: []WaitingRequest{
		{Repository: "o/r", Number: 7, Title: title, URL: "https://github.com/o/r/pull/7", Reviewer: "octo-org/core", Team: true, RequestedAt: "2026-11-22T08:00:00Z", AgeHours: 76},
		{Repository: "o/r", Number: 9, Title: "ping @everyone\n::error::injected", URL: "", Reviewer: "mal_lory", RequestedAt: "2026-11-25T07:00:00Z", AgeHours: 5.5},
	}}
	if diff := cmp.Diff(want, d.Waiting["o/r"]); diff != "" {
		t.Errorf("waiting (-want +got):\n%s", diff)
	}
	if d.SLAHours != 24 || d.WindowHours != 672 || d.AsOf != "2026-11-25T12:00:00Z" || len(d.Metrics) != len(kpi.Metrics()) {
		t.Errorf("data %+v", d)
	}
	data, err := Marshal(d)
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(data, []byte("<script>")) || !bytes.HasSuffix(data, []byte("}\n")) {
		t.Errorf("dashboard.json holds raw markup or lacks its trailing newline:\n%s", data)
	}
}
