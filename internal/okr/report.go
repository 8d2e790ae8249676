package okr

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"time"

	"github.com/engineering-kpis/engineering-kpis/internal/kpi"
)

// Report is the OKR table of one day: the content of the okr-report file.
type Report struct {
	Objective string `json:"objective"`
	// Quarter is empty for a period that is not a calendar quarter.
	Quarter string `json:"quarter"`
	// Start, End (inclusive) and Today are UTC dates (time.DateOnly).
	Start string `json:"start"`
	End   string `json:"end"`
	Today string `json:"today"`
	// Elapsed is the share of the period gone (see Evaluate).
	Elapsed float64 `json:"elapsed"`
	// Status is the worst status of the key results (see Worst); empty
	// when none has data.
	Status     Status            `json:"status"`
	KeyResults []ReportKeyResult `json:"key_results"`
}

// ReportKeyResult is one row of the OKR table.
type ReportKeyResult struct {
	Metric        string   `json:"metric"`
	Title         string   `json:"title"`
	Unit          kpi.Unit `json:"unit"`
	LowerIsBetter bool     `json:"lower_is_better"`
	Baseline      *float64 `json:"baseline"`
	// BaselineSource is "file" or "history"; empty without a baseline.
	BaselineSource string `json:"baseline_source"`
	// BaselineDate is the date of the history snapshot the baseline was
	// taken from; empty otherwise.
	BaselineDate string   `json:"baseline_date"`
	Current      *float64 `json:"current"`
	Target       float64  `json:"target"`
	Expected     *float64 `json:"expected"`
	// Progress is a fraction: 0.5 is 50% of the way from baseline to
	// target.
	Progress  *float64 `json:"progress"`
	TargetMet bool     `json:"target_met"`
	Status    Status   `json:"status"`
}

// Baseline sources.
const (
	BaselineFromFile    = "file"
	BaselineFromHistory = "history"
)

// NewReport evaluates every key result of f on day today. history holds
// each metric's points (any order; see BaselineFrom) and current the
// metric values of today; a metric missing from current has no data.
// Progress and the elapsed share are rounded to 4 decimals and the expected
// value to 6 significant digits; the status is computed before rounding.
func NewReport(f *File, history map[string][]Point, current kpi.Values, today time.Time) Report {
	r := Report{
		Objective:  f.Objective,
		Quarter:    f.Quarter,
		Start:      f.Start.Format(dateLayout),
		End:        f.End.Format(dateLayout),
		Today:      dateOf(today).Format(dateLayout),
		Elapsed:    round(Elapsed(f.Start, f.End, today), 4),
		KeyResults: []ReportKeyResult{},
	}
	var statuses []Status
	for _, kr := range f.KeyResults {
		var base *float64
		var baseDate string
		if kr.Baseline == nil {
			base, baseDate = BaselineFrom(history[kr.Metric.Name], f.Start, f.End, today)
		}
		res := Evaluate(kr, base, true, current[kr.Metric.Name], f.Start, f.End, today)
		row := ReportKeyResult{
			Metric:        kr.Metric.Name,
			Title:         kr.Metric.Title,
			Unit:          kr.Metric.Unit,
			LowerIsBetter: kr.Metric.LowerIsBetter,
			Baseline:      res.Baseline,
			Current:       res.Current,
			Target:        kr.Target,
			Expected:      roundSignificant(res.Expected, 6),
			TargetMet:     res.TargetMet,
			Status:        res.Status,
		}
		if res.Progress != nil {
			p := round(*res.Progress, 4)
			row.Progress = &p
		}
		switch {
		case res.BaselineFromHistory:
			row.BaselineSource, row.BaselineDate = BaselineFromHistory, baseDate
		case res.Baseline != nil:
			row.BaselineSource = BaselineFromFile
		}
		r.KeyResults = append(r.KeyResults, row)
		statuses = append(statuses, res.Status)
	}
	r.Status = Worst(statuses...)
	return r
}

// MarshalReport encodes r as 2-space indented JSON with a trailing
// newline. Text is not HTML-escaped.
func MarshalReport(r Report) ([]byte, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(r); err != nil {
		return nil, fmt.Errorf("encode OKR report: %w", err)
	}
	return b.Bytes(), nil
}

func round(f float64, decimals int) float64 {
	p := math.Pow(10, float64(decimals))
	v := math.Round(f*p) / p
	if v == 0 {
		return 0 // not -0
	}
	return v
}

func roundSignificant(f *float64, digits int) *float64 {
	if f == nil {
		return nil
	}
	v, err := strconv.ParseFloat(strconv.FormatFloat(*f, 'g', digits, 64), 64)
	if err != nil {
		v = *f
	}
	return &v
}
