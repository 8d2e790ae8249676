package kpi

import (
	"slices"
	"strings"
	"time"
)

// BackfillMoments are the as-of moments of the daily snapshots a first run
// fills in: the ends of the backfill days before asOf's date, oldest first.
func BackfillMoments(asOf time.Time, backfill time.Duration) []time.Time {
	days := int(backfill / (24 * time.Hour))
	today, _ := time.Parse(time.DateOnly, DateOf(asOf))
	out := make([]time.Time, 0, days)
	for k := days; k >= 1; k-- {
		// The end of day today−k is the start of day today−k+1.
		out = append(out, today.AddDate(0, 0, -k+1))
	}
	return out
}

// FetchSince is the oldest update a full fetch needs: the start of the
// window ending at asOf, or of the one ending at the first backfill moment
// when there is a backfill (open pull requests are fetched whatever their
// age).
func FetchSince(asOf time.Time, window time.Duration, backfill []time.Time) time.Time {
	if len(backfill) > 0 {
		return backfill[0].Add(-window)
	}
	return asOf.Add(-window)
}

// PastSnapshots measures the backfill moments from requests measured as of
// a later moment: each request cut at the moment (Request.At), with no
// timeline replayed again. Incomplete marks every snapshot's review
// figures as incomplete.
func PastSnapshots(repo string, reqs []Request, moments []time.Time, opts ReviewOptions, incomplete bool) []Snapshot {
	var out []Snapshot
	var then []Request
	for _, at := range moments {
		then = then[:0]
		for _, r := range reqs {
			if !mayCount(r, at, opts.Window) {
				continue
			}
			if a, ok := r.At(at); ok {
				then = append(then, a)
			}
		}
		snap := ReviewReportOf(repo, then, at, opts).Snapshot
		if incomplete {
			snap.MarkReviewIncomplete()
		}
		out = append(out, snap)
	}
	return out
}

// mayCount reports whether r can count in the window ending at t: it
// ended inside the window, or later (so it was waiting at t), or it waits
// still; unattributed requests count by request time.
func mayCount(r Request, t time.Time, window time.Duration) bool {
	from := t.Add(-window)
	switch {
	case r.RequestedAt.After(t):
		return false
	case r.Unattributed:
		return r.RequestedAt.After(from)
	case r.Outcome == Waiting:
		return true
	default:
		return r.EndedAt.After(from)
	}
}

// MarkReviewIncomplete lists every review-wait metric s holds as
// incomplete.
func (s *Snapshot) MarkReviewIncomplete() {
	for _, m := range Metrics() {
		if _, ok := s.Metrics[m.Name]; ok && strings.HasPrefix(m.Name, "review_") && !slices.Contains(s.Incomplete, m.Name) {
			s.Incomplete = append(s.Incomplete, m.Name)
		}
	}
}
