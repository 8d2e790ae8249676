package action

import (
	"path"
	"time"

	"github.com/engineering-kpis/engineering-kpis/internal/config"
	"github.com/engineering-kpis/engineering-kpis/internal/dashboard"
	"github.com/engineering-kpis/engineering-kpis/internal/kpi"
	"github.com/engineering-kpis/engineering-kpis/internal/publish"
)

// dashboardPaths are the dashboard's files in the output directory; none
// without cfg.Dashboard.
func dashboardPaths(cfg *config.Config) []string {
	if !cfg.Dashboard {
		return nil
	}
	return []string{path.Join(cfg.OutputDir, dashboard.PageFile), path.Join(cfg.OutputDir, dashboard.DataFile)}
}

// addDashboard puts the dashboard page and its data into files, beside the
// history, when cfg asks for it: the same commit as the history.
func addDashboard(files publish.Files, cfg *config.Config, res *Result, asOf time.Time) error {
	if !cfg.Dashboard {
		return nil
	}
	reports := res.Reports
	if len(cfg.Repositories) > 1 {
		reports = append([]kpi.Report{res.Total}, reports...)
	}
	in := dashboard.Input{
		AsOf: asOf, Clock: cfg.WaitClock, SLA: cfg.SLA, Window: cfg.Window,
		Primary: res.Primary, History: HistoryFile, Settings: res.settingsKey, Reports: reports,
	}
	if res.OKR != nil {
		in.OKR = OKRReportFile
	}
	data, err := dashboard.Marshal(dashboard.New(in))
	if err != nil {
		return err
	}
	files[path.Join(cfg.OutputDir, dashboard.PageFile)] = dashboard.Page()
	files[path.Join(cfg.OutputDir, dashboard.DataFile)] = data
	return nil
}
