package summary

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/engineering-kpis/engineering-kpis/internal/kpi"
	"github.com/engineering-kpis/engineering-kpis/internal/okr"
)

var statusMark = map[okr.Status]string{
	okr.StatusOnTrack:  "🟢 on track",
	okr.StatusAtRisk:   "🟡 at risk",
	okr.StatusOffTrack: "🔴 off track",
	okr.StatusNoData:   "⚪ no data",
}

// OKRTable renders the OKR section: each key result's baseline, current
// value, expected value today, target, progress and status.
func OKRTable(r okr.Report) string {
	var b strings.Builder
	fmt.Fprintf(&b, "## OKR: %s\n\n", Text(r.Objective))
	period := r.Start + " → " + r.End
	if r.Quarter != "" {
		period = r.Quarter + " (" + period + ")"
	}
	overall := "no key result has data yet"
	if r.Status != "" {
		overall = "**" + statusMark[r.Status] + "**"
	}
	fmt.Fprintf(&b, "%s · %s%% of the period elapsed on %s · overall %s\n\n", period, trimFloat(math.Round(r.Elapsed*1000)/10), r.Today, overall)
	b.WriteString("| Key result | Baseline | Now | Expected today | Target | Progress | Status |\n|---|---:|---:|---:|---:|---:|---|\n")
	for _, kr := range r.KeyResults {
		m, _ := kpi.LookupMetric(kr.Metric)
		base := Value(m, kr.Baseline)
		switch kr.BaselineSource {
		case okr.BaselineFromHistory:
			base += " (history, " + kr.BaselineDate + ")"
		case "":
			base = "– (no snapshot yet)"
		}
		progress := "–"
		if kr.Progress != nil {
			progress = trimFloat(math.Round(*kr.Progress*1000)/10) + "%"
		}
		target := kr.Target
		fmt.Fprintf(&b, "| %s (`%s`) | %s | %s | %s | %s | %s | %s |\n", m.Title, kr.Metric, base, Value(m, kr.Current), Value(m, kr.Expected), Value(m, &target), progress, statusMark[kr.Status])
	}
	b.WriteString("\n<sub>Progress is the share of the way from baseline to target; on track when progress ≥ the share of the period elapsed or the target is met, at risk when within 25 points of it, off track otherwise.</sub>\n\n")
	return b.String()
}

func trimFloat(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) }
