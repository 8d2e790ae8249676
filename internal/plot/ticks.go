package plot

import (
	"math"
	"strconv"
	"time"

	chart "github.com/wcharczuk/go-chart/v2"
)

// yAxisTicks returns evenly spaced ticks at round values from at or below lo
// to above hi, about target of them. A flat range (all values equal, or all
// zero) still gets a non-empty axis, and there is a little headroom above hi
// so that a line at the maximum does not run along the top edge.
func yAxisTicks(lo, hi float64, target int) []chart.Tick {
	target = max(2, min(target, 8))
	if hi <= lo {
		hi = lo + 1
	}
	top := hi + (hi-lo)*0.05
	step := niceStep((top - lo) / float64(target))
	first := math.Floor(lo/step) * step
	last := math.Ceil(top/step) * step
	decimals := stepDecimals(step)
	var ticks []chart.Tick
	for i := 0; ; i++ {
		v := round(first+float64(i)*step, decimals)
		if v > last+step/2 {
			break
		}
		label := strconv.FormatFloat(v, 'f', decimals, 64)
		if v == 0 {
			v, label = 0, strconv.FormatFloat(0, 'f', decimals, 64) // no "-0"
		}
		ticks = append(ticks, chart.Tick{Value: v, Label: label})
	}
	return ticks
}

// niceStep rounds raw up to 1, 2, 2.5 or 5 times a power of ten.
func niceStep(raw float64) float64 {
	exp := math.Pow(10, math.Floor(math.Log10(raw)))
	for _, m := range []float64{1, 2, 2.5, 5} {
		if raw <= m*exp*(1+1e-9) {
			return m * exp
		}
	}
	return 10 * exp
}

// stepDecimals is the number of decimals that multiples of step need.
func stepDecimals(step float64) int {
	for d := 0; d < 10; d++ {
		scaled := step * math.Pow(10, float64(d))
		if math.Abs(scaled-math.Round(scaled)) < 1e-6*scaled {
			return d
		}
	}
	return 10
}

func round(v float64, decimals int) float64 {
	p := math.Pow(10, float64(decimals))
	return math.Round(v*p) / p
}

// tickStep is a spacing of date ticks: every few days, on Mondays every week
// or two, or on the first of every few months.
type tickStep struct {
	days, weeks, months int
}

var tickSteps = []tickStep{
	{days: 1}, {days: 2}, {days: 3}, {weeks: 1}, {weeks: 2},
	{months: 1}, {months: 2}, {months: 3}, {months: 6}, {months: 12},
}

// xAxisTicks returns ticks at UTC midnights between lo and hi, at most
// maxTicks of them at the finest step that allows (at least one tick even
// when maxTicks is smaller), labelled in UTC with format.
func xAxisTicks(lo, hi time.Time, maxTicks int, format string) []chart.Tick {
	maxTicks = max(1, maxTicks)
	var best []time.Time
	for _, s := range tickSteps {
		dates := s.dates(lo, hi)
		if len(dates) == 0 {
			continue
		}
		best = dates
		if len(dates) <= maxTicks {
			break
		}
	}
	ticks := make([]chart.Tick, len(best))
	for i, t := range best {
		ticks[i] = chart.Tick{Value: xValue(t), Label: t.UTC().Format(format)}
	}
	return ticks
}

// epochMonday is the first Monday of the Unix epoch; fortnightly ticks fall
// an even number of weeks after it, so they stay put as the window slides.
var epochMonday = time.Date(1970, 1, 5, 0, 0, 0, 0, time.UTC)

// dates lists the tick dates of step s in [lo, hi].
func (s tickStep) dates(lo, hi time.Time) []time.Time {
	lo, hi = lo.UTC(), hi.UTC()
	t := time.Date(lo.Year(), lo.Month(), lo.Day(), 0, 0, 0, 0, time.UTC)
	if t.Before(lo) {
		t = t.AddDate(0, 0, 1)
	}
	var next func(time.Time) time.Time
	switch {
	case s.days > 0:
		for daysSince(t, time.Unix(0, 0).UTC())%s.days != 0 {
			t = t.AddDate(0, 0, 1)
		}
		next = func(t time.Time) time.Time { return t.AddDate(0, 0, s.days) }
	case s.weeks > 0:
		for daysSince(t, epochMonday)%(7*s.weeks) != 0 {
			t = t.AddDate(0, 0, 1)
		}
		next = func(t time.Time) time.Time { return t.AddDate(0, 0, 7*s.weeks) }
	default:
		if t.Day() != 1 {
			t = time.Date(t.Year(), t.Month()+1, 1, 0, 0, 0, 0, time.UTC)
		}
		for (int(t.Month())-1)%s.months != 0 {
			t = t.AddDate(0, 1, 0)
		}
		next = func(t time.Time) time.Time { return t.AddDate(0, s.months, 0) }
	}
	var dates []time.Time
	for ; !t.After(hi); t = next(t) {
		dates = append(dates, t)
	}
	return dates
}

// daysSince is the whole number of days from base to t, both UTC midnights.
func daysSince(t, base time.Time) int {
	return int(t.Sub(base) / day)
}
