package action

import (
	"errors"
	"fmt"
	"path"
	"sort"

	"strings"
	"time"

	"github.com/engineering-kpis/engineering-kpis/internal/config"
	"github.com/engineering-kpis/engineering-kpis/internal/history"
	"github.com/engineering-kpis/engineering-kpis/internal/kpi"
	"github.com/engineering-kpis/engineering-kpis/internal/okr"
	"github.com/engineering-kpis/engineering-kpis/internal/publish"
	"github.com/engineering-kpis/engineering-kpis/internal/summary"
)

// extras gathers, per repository, what the history adds to the reports.
func extras(cfg *config.Config, res *Result, h *history.Tree, charts []Chart, fileURL func(version, path string) string) map[string]summary.Extras {
	out := map[string]summary.Extras{}
	if h == nil {
		return out
	}
	today, _ := time.Parse(time.DateOnly, kpi.DateOf(res.AsOf))
	reports := res.Reports
	if res.Total.Repository == TotalRepository {
		reports = append(reports[:len(reports):len(reports)], res.Total)
	}
	for _, r := range reports {
		x := summary.Extras{}
		from := today.AddDate(0, 0, -chartDays).Format(time.DateOnly)
		for _, e := range h.SeriesWith(r.Repository, res.settingsKey) {
			if e.Date < from {
				continue
			}
			x.Trend = append(x.Trend, summary.TrendPoint{Date: e.Date, Median: e.Metrics[kpi.ReviewWaitMedianHours], P90: e.Metrics[kpi.ReviewWaitP90Hours]})
		}
		if e, ok := h.FindWith(today.AddDate(0, 0, -7).Format(time.DateOnly), r.Repository, res.settingsKey); ok {
			x.Ago7 = e.Metrics
		}
		if e, ok := h.FindWith(today.AddDate(0, 0, -28).Format(time.DateOnly), r.Repository, res.settingsKey); ok {
			x.Ago28 = e.Metrics
		}
		for _, c := range charts {
			if c.Repository == r.Repository && !c.Sentry {
				x.ChartPath = c.Image
			}
		}
		if res.OKR != nil && r.Repository == res.Primary {
			x.Goals = map[string]okr.ReportKeyResult{}
			for _, kr := range res.OKR.KeyResults {
				x.Goals[kr.Metric] = kr
			}
		}
		if fileURL != nil && res.Published.Version != "" {
			if x.ChartPath != "" {
				x.ChartURL = fileURL(res.Published.Version, x.ChartPath)
			}
			x.HistoryURL = fileURL(res.Published.Version, path.Join(cfg.OutputDir, HistoryFile))
		}
		out[r.Repository] = x
	}
	return out
}

func summaryInput(cfg *config.Config, res *Result, h *history.Tree, charts []Chart, fileURL func(version, path string) string) summary.Input {
	in := summary.Input{
		Reports: res.Reports,
		AsOf:    res.AsOf,
		Clock:   cfg.WaitClock,
		Demo:    cfg.Demo,
		Extras:  extras(cfg, res, h, charts, fileURL),
		Commit:  res.Published.Version,
		OKR:     res.OKR,
	}
	if res.Total.Repository == TotalRepository {
		total := res.Total
		in.Total = &total
	}
	teams := summary.TeamNoticeOf(res.Total.ReviewWait, cfg.HiddenTeams == config.HiddenInfer, res.TeamsWithheld)
	in.Teams = &teams
	if fileURL != nil && in.Commit != "" {
		in.CommitURL = fileURL(in.Commit, "")
	}
	if in.Commit == "" {
		in.Files = ListFiles(cfg, res.Published.Changed)
	}
	return in
}

// ListFiles lists files written by a run, the history's parts as one
// entry ("history/ (N parts)").
func ListFiles(cfg *config.Config, files []string) []string {
	dir := path.Join(cfg.OutputDir, history.PartsDir)
	var out []string
	n := 0
	for _, f := range files {
		if strings.HasPrefix(f, dir+"/") {
			n++
			continue
		}
		out = append(out, f)
	}
	if n > 0 {
		out = append(out, fmt.Sprintf("%s/ (%d parts)", dir, n))
		sort.Strings(out)
	}
	return out
}

// updateReadme replaces the marked block of the README in files; a README
// that is missing or has no markers is left alone with a warning.
func updateReadme(cur publish.Snapshot, files publish.Files, cfg *config.Config, h *history.Tree, charts []Chart, log Logger, res *Result) error {
	doc, ok := cur.Files[cfg.Readme]
	if !ok {
		log.Warningf("readme: %s does not exist on the target; add it with %s and %s markers to get the KPI block", cfg.Readme, summary.StartMarker, summary.EndMarker)
		return nil
	}
	images := map[string]string{}
	sentryImage := ""
	for _, c := range charts {
		if c.Sentry {
			sentryImage = relativePath(path.Dir(cfg.Readme), c.Image)
			continue
		}
		images[c.Repository] = relativePath(path.Dir(cfg.Readme), c.Image)
	}
	block := summary.ReadmeBlock(res.Reports, extras(cfg, res, h, charts, nil), images)
	if sentryImage != "" {
		block += "\n#### Sentry error events per active user per day\n\n![Sentry error events per active user per day](" + sentryImage + ")\n"
	}
	out, err := summary.ReplaceBlock(doc, block)
	if errors.Is(err, summary.ErrNoMarkers) {
		log.Warningf("readme: %s has no %s and %s markers: left untouched", cfg.Readme, summary.StartMarker, summary.EndMarker)
		return nil
	}
	if err != nil {
		log.Warningf("readme: %s left untouched: %v", cfg.Readme, err)
		return nil
	}
	files[cfg.Readme] = out
	return nil
}

// relativePath is the "/"-separated path of target relative to dir (both
// relative to the repository root).
func relativePath(dir, target string) string {
	split := func(p string) []string {
		if p == "." || p == "" {
			return nil
		}
		return strings.Split(p, "/")
	}
	d, t := split(dir), split(target)
	i := 0
	for i < len(d) && i < len(t) && d[i] == t[i] {
		i++
	}
	parts := make([]string, 0, len(d)-i+len(t)-i)
	for range d[i:] {
		parts = append(parts, "..")
	}
	parts = append(parts, t[i:]...)
	return strings.Join(parts, "/")
}
