package kpi

import (
	"math"
	"slices"
	"time"
)

// ReviewWait is the review-request-wait KPI for one window.
type ReviewWait struct {
	AsOf   time.Time
	Window time.Duration
	SLA    time.Duration

	// Waits are the answered waits in the window, ascending.
	Waits []time.Duration
	// CalendarWaits are the same requests' waits in calendar time,
	// ascending; equal to Waits under the calendar clock.
	CalendarWaits []time.Duration

	Answered     int
	WithinSLA    int
	Withdrawn    int
	Unattributed int
	Waiting      int
	OverSLA      int
	// Estimated counts the requests above (answered, withdrawn, waiting)
	// whose reviewer GitHub hid and whose outcome the rule "Hidden teams,
	// estimated" decided; all zero unless Filter.InferHiddenTeams.
	Estimated Estimate
	// Longest are the longest-waiting open requests, longest first, at most
	// LongestLimit of them.
	Longest []WaitingRequest
}

// Estimate counts a window's requests whose reviewer GitHub hid and whose
// outcome was estimated ("Hidden teams, estimated" in docs/definitions.md).
type Estimate struct {
	Answered  int `json:"answered"`
	Withdrawn int `json:"withdrawn"`
	Waiting   int `json:"waiting"`
}

// Total is the number of estimated requests.
func (e Estimate) Total() int { return e.Answered + e.Withdrawn + e.Waiting }

// Requests is the number of requests the window holds, unattributed ones
// included.
func (rw ReviewWait) Requests() int { return rw.Answered + rw.Withdrawn + rw.Waiting + rw.Unattributed }

// WaitingRequest is an open request and its age at the moment of
// measurement.
type WaitingRequest struct {
	Request
	Age time.Duration
}

// LongestLimit is how many longest-waiting requests a ReviewWait keeps.
const LongestLimit = 10

// waits measures every request once with clock, for summarize and
// breakdown to share.
// Only the requests a window starting at from can hold are measured.
func waits(requests []Request, clock Clock, from time.Time) []time.Duration {
	out := make([]time.Duration, len(requests))
	for i, r := range requests {
		if !r.Unattributed && (r.Outcome == Waiting || r.EndedAt.After(from)) {
			out[i] = r.Wait(clock)
		}
	}
	return out
}

// summarize aggregates requests measured as of asOf into the KPI for the
// window (asOf − window, asOf]: answered requests by answer time, withdrawn
// ones by withdrawal time, unattributed ones by request time, and every
// request waiting at asOf whatever its age; ws holds each request's wait.
func summarize(requests []Request, ws []time.Duration, asOf time.Time, window, sla time.Duration, clock Clock) ReviewWait {
	rw := ReviewWait{AsOf: asOf, Window: window, SLA: sla}
	_, calendar := clock.(CalendarClock)
	from := asOf.Add(-window)
	in := func(t time.Time) bool { return t.After(from) && !t.After(asOf) }
	for i, r := range requests {
		if r.Unattributed {
			if in(r.RequestedAt) {
				rw.Unattributed++
			}
			continue
		}
		switch r.Outcome {
		case Answered:
			if !in(r.EndedAt) {
				continue
			}
			w := ws[i]
			rw.Answered++
			if r.Estimated {
				rw.Estimated.Answered++
			}
			rw.Waits = append(rw.Waits, w)
			if !calendar {
				rw.CalendarWaits = append(rw.CalendarWaits, r.Wait(CalendarClock{}))
			}
			if w <= sla {
				rw.WithinSLA++
			}
		case Withdrawn:
			if in(r.EndedAt) {
				rw.Withdrawn++
				if r.Estimated {
					rw.Estimated.Withdrawn++
				}
			}
		case Waiting:
			age := ws[i]
			rw.Waiting++
			if r.Estimated {
				rw.Estimated.Waiting++
			}
			if age > sla {
				rw.OverSLA++
			}
			rw.Longest = keepLongest(rw.Longest, WaitingRequest{Request: r, Age: age})
		}
	}
	sortDurations(rw.Waits)
	if calendar {
		rw.CalendarWaits = rw.Waits
	} else {
		sortDurations(rw.CalendarWaits)
	}

	return rw
}

// longer orders waiting requests longest first; ties by request time, then
// repository, pull request and reviewer, so the order never depends on
// input order.
func longer(a, b *WaitingRequest) bool {
	if a.Age != b.Age {
		return a.Age > b.Age
	}
	if !a.RequestedAt.Equal(b.RequestedAt) {
		return a.RequestedAt.Before(b.RequestedAt)
	}
	if a.Repository != b.Repository {
		return a.Repository < b.Repository
	}
	if a.Number != b.Number {
		return a.Number < b.Number
	}
	return a.Reviewer.Login < b.Reviewer.Login
}

// keepLongest inserts w into list, which holds at most LongestLimit
// requests longest first, dropping the shortest beyond the limit.
func keepLongest(list []WaitingRequest, w WaitingRequest) []WaitingRequest {
	i := len(list)
	for i > 0 && longer(&w, &list[i-1]) {
		i--
	}
	if i >= LongestLimit {
		return list
	}
	if len(list) < LongestLimit {
		list = append(list, WaitingRequest{})
	}
	copy(list[i+1:], list[i:len(list)-1])
	list[i] = w
	return list
}

func sortDurations(d []time.Duration) { slices.Sort(d) }

// Percentile returns the nearest-rank p-th percentile of sorted: the
// ⌈p·n⌉-th smallest value. ok is false for an empty sample.
func Percentile(sorted []time.Duration, p float64) (d time.Duration, ok bool) {
	if len(sorted) == 0 {
		return 0, false
	}
	return sorted[rank(len(sorted), p)-1], true
}

// rank is the nearest rank ⌈p·n⌉ of the p-th percentile of n values,
// within 1..n. It works in integer per-mille so that 0.9·10 does not land
// on 9.000000001.
func rank(n int, p float64) int {
	r := int(math.Ceil(math.Round(p*1000) * float64(n) / 1000))
	return min(max(r, 1), n)
}

// selectPercentile is Percentile of an unsorted sample, which it reorders:
// a selection in linear time instead of a sort.
func selectPercentile(d []time.Duration, p float64) (time.Duration, bool) {
	if len(d) == 0 {
		return 0, false
	}
	k := rank(len(d), p) - 1
	lo, hi := 0, len(d)-1
	for lo < hi {
		// Median of three as the pivot, then a three-way partition.
		mid := lo + (hi-lo)/2
		a, b, c := d[lo], d[mid], d[hi]
		pivot := max(min(a, b), min(max(a, b), c))
		lt, i, gt := lo, lo, hi
		for i <= gt {
			switch {
			case d[i] < pivot:
				d[lt], d[i] = d[i], d[lt]
				lt++
				i++
			case d[i] > pivot:
				d[i], d[gt] = d[gt], d[i]
				gt--
			default:
				i++
			}
		}
		switch {
		case k < lt:
			hi = lt - 1
		case k > gt:
			lo = gt + 1
		default:
			return pivot, true
		}
	}
	return d[k], true
}

// Mean returns the arithmetic mean of d; ok is false for an empty sample.
func Mean(d []time.Duration) (time.Duration, bool) {
	if len(d) == 0 {
		return 0, false
	}
	var sum time.Duration
	for _, x := range d {
		sum += x
	}
	return sum / time.Duration(len(d)), true
}

// Hours converts d to hours rounded half up to 2 decimals, in integer
// arithmetic so that exact halves (1h0m18s = 1.005 h) round up.
func Hours(d time.Duration) float64 {
	if d < 0 {
		return -Hours(-d)
	}
	return float64((d+18*time.Second)/(36*time.Second)) / 100
}

// Ratio returns k/n rounded half up to 4 decimals, in integer arithmetic.
func Ratio(k, n int) float64 {
	return float64((int64(k)*20000+int64(n))/(2*int64(n))) / 10000
}
