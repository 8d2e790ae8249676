package demo

import (
	"bytes"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/engineering-kpis/engineering-kpis/internal/demo/sample"
	"github.com/engineering-kpis/engineering-kpis/internal/kpi"
)

func load(t *testing.T) []kpi.PullRequest {
	t.Helper()
	prs, err := PullRequests()
	if err != nil {
		t.Fatalf("PullRequests: %v", err)
	}
	return prs
}

func TestSampleIsGeneratorOutput(t *testing.T) {
	want, err := sample.JSON()
	if err != nil {
		t.Fatalf("sample.JSON: %v", err)
	}
	if !bytes.Equal([]byte(sampleJSON), want) {
		t.Fatal("sample.json differs from the generator's output; run `go generate ./internal/demo`")
	}
	again, err := sample.JSON()
	if err != nil || !bytes.Equal(again, want) {
		t.Fatal("the generator is not deterministic")
	}
	if sample.Repository != Repository || !sample.Now().Equal(Now()) {
		t.Errorf("generator uses %s at %s, package demo %s at %s",
			sample.Repository, sample.Now(), Repository, Now())
	}
	if len(sampleJSON) > 600<<10 {
		t.Errorf("sample.json is %d bytes, want under 600 KiB", len(sampleJSON))
	}
}

func TestNow(t *testing.T) {
	want := time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)
	if got := Now(); !got.Equal(want) || got.Location() != time.UTC {
		t.Errorf("Now() = %v, want %v", got, want)
	}
}

func TestPullRequestsFreshEachCall(t *testing.T) {
	a := load(t)
	a[0].Title = "changed"
	a[0].Events[0].Kind = "changed"
	b := load(t)
	if b[0].Title == "changed" || b[0].Events[0].Kind == "changed" {
		t.Fatal("PullRequests returned data shared with an earlier call")
	}
}

func isBot(a *kpi.Actor) bool {
	return a != nil && (a.Bot || strings.HasSuffix(strings.ToLower(a.Login), "[bot]"))
}

// answers reports whether review e is by or on behalf of reviewer r.
func answers(e kpi.Event, r *kpi.Actor) bool {
	if e.Kind != kpi.Reviewed || r == nil {
		return false
	}
	if r.Team {
		return slices.Contains(e.OnBehalfOf, r.Login)
	}
	return e.Author.Login == r.Login
}

func sameReviewer(a, b *kpi.Actor) bool {
	return a != nil && b != nil && a.Login == b.Login && a.Team == b.Team
}

func TestSampleIsWellFormed(t *testing.T) {
	prs := load(t)
	if n := len(prs); n < 250 || n > 400 {
		t.Errorf("%d pull requests, want 250–400", n)
	}
	now := Now()
	numbers := map[int]bool{}
	var reviews, working int
	for _, pr := range prs {
		name := fmt.Sprintf("#%d", pr.Number)
		if pr.Repository != Repository {
			t.Errorf("%s: repository %q", name, pr.Repository)
		}
		if numbers[pr.Number] {
			t.Errorf("%s: duplicate number", name)
		}
		numbers[pr.Number] = true
		if want := fmt.Sprintf("https://github.com/%s/pull/%d", Repository, pr.Number); pr.URL != want {
			t.Errorf("%s: URL %q, want %q", name, pr.URL, want)
		}
		if pr.Title == "" || pr.Author.Login == "" {
			t.Errorf("%s: missing title or author", name)
		}
		if pr.CreatedAt.After(now) || pr.UpdatedAt.After(now) || pr.UpdatedAt.Before(pr.CreatedAt) {
			t.Errorf("%s: created %v, updated %v, now %v", name, pr.CreatedAt, pr.UpdatedAt, now)
		}
		if pr.CreatedAt.Location() != time.UTC {
			t.Errorf("%s: created_at not in UTC", name)
		}
		closed := false
		for i, e := range pr.Events {
			if e.At.Before(pr.CreatedAt) || e.At.After(now) {
				t.Errorf("%s: event %d (%s) at %v outside [created, now]", name, i, e.Kind, e.At)
			}
			if i > 0 && e.At.Before(pr.Events[i-1].At) {
				t.Errorf("%s: event %d (%s) out of time order", name, i, e.Kind)
			}
			if closed && e.Kind != kpi.Reopened {
				t.Errorf("%s: %s after the pull request was closed", name, e.Kind)
			}
			switch e.Kind {
			case kpi.Reviewed:
				switch e.ReviewState {
				case "APPROVED", "CHANGES_REQUESTED", "COMMENTED", "DISMISSED":
				default:
					t.Errorf("%s: review state %q", name, e.ReviewState)
				}
				if e.Author == nil || e.Reviewer != nil {
					t.Errorf("%s: review without author or with a reviewer", name)
				}
				if !isBot(e.Author) {
					reviews++
					wd := e.At.Weekday()
					if wd != time.Saturday && wd != time.Sunday && e.At.Hour() >= 8 && e.At.Hour() < 18 {
						working++
					}
				}
			case kpi.ReviewRequested, kpi.ReviewRequestRemoved:
				if e.Author != nil || e.ReviewState != "" || e.OnBehalfOf != nil {
					t.Errorf("%s: %s carries review fields", name, e.Kind)
				}
			case kpi.Merged:
				if i+1 >= len(pr.Events) || pr.Events[i+1].Kind != kpi.Closed || !pr.Events[i+1].At.Equal(e.At) {
					t.Errorf("%s: merged not followed by closed at the same time", name)
				}
			case kpi.Closed:
				closed = true
			case kpi.Reopened:
				if !closed {
					t.Errorf("%s: reopened while open", name)
				}
				closed = false
			case kpi.ReadyForReview, kpi.ConvertedToDraft:
			default:
				t.Errorf("%s: unknown event kind %q", name, e.Kind)
			}
		}
	}
	if share := float64(working) / float64(reviews); share < 0.8 {
		t.Errorf("%.0f%% of human reviews on weekdays 08:00–18:00 UTC, want most", share*100)
	}
}

// TestSampleCoversFeatures checks that the sample shows every case the
// review-wait KPI distinguishes.
func TestSampleCoversFeatures(t *testing.T) {
	prs := load(t)
	now := Now()
	found := map[string]int{}
	for _, pr := range prs {
		ev := pr.Events
		has := func(k kpi.EventKind) bool {
			return slices.ContainsFunc(ev, func(e kpi.Event) bool { return e.Kind == k })
		}
		humanReviewBefore := func(i int) bool {
			return slices.ContainsFunc(ev[:i], func(e kpi.Event) bool {
				return e.Kind == kpi.Reviewed && !isBot(e.Author) && e.Author.Login != pr.Author.Login
			})
		}
		requestedBefore := func(i int) bool {
			return slices.ContainsFunc(ev[:i], func(e kpi.Event) bool { return e.Kind == kpi.ReviewRequested })
		}
		if isBot(&pr.Author) {
			if pr.Author.Bot {
				found["bot author (GraphQL Bot)"]++
			} else {
				found["bot author ([bot] login)"]++
			}
		}
		if strings.ContainsAny(pr.Title, "|`") && strings.Contains(pr.Title, "<b>") {
			found["Markdown-hostile title"]++
		}
		if has(kpi.Reopened) {
			found["reopen"]++
		}
		if has(kpi.Merged) {
			found["merge"]++
		}
		if has(kpi.ReviewRequestRemoved) {
			found["removal"]++
		}
		open := true
		var firstDraftEvent kpi.EventKind // the first ready/convert event
		if i := slices.IndexFunc(ev, func(e kpi.Event) bool {
			return e.Kind == kpi.ReadyForReview || e.Kind == kpi.ConvertedToDraft
		}); i >= 0 {
			firstDraftEvent = ev[i].Kind
		}
		readySeen := false
		for i, e := range ev {
			switch e.Kind {
			case kpi.ReviewRequested:
				switch {
				case e.Reviewer == nil:
					found["unattributed request"]++
				case e.Reviewer.Team:
					found["team request"]++
				}
				if e.Reviewer != nil && !e.Reviewer.Team && slices.ContainsFunc(ev[:i], func(p kpi.Event) bool { return answers(p, e.Reviewer) }) {
					found["re-request after a review"]++
				}
				// A nudge: the same reviewer requested again, unanswered and
				// not removed in between.
				for j := i - 1; j >= 0; j-- {
					p := ev[j]
					if answers(p, e.Reviewer) || (p.Kind == kpi.ReviewRequestRemoved && sameReviewer(p.Reviewer, e.Reviewer)) {
						break
					}
					if p.Kind == kpi.ReviewRequested && sameReviewer(p.Reviewer, e.Reviewer) {
						found["nudge"]++
						break
					}
				}
				if firstDraftEvent == kpi.ReadyForReview && !readySeen {
					found["request on a draft"]++
				}
			case kpi.Reviewed:
				switch {
				case isBot(e.Author):
					found["bot reviewer"]++
				case len(e.OnBehalfOf) > 1:
					found["review on behalf of several teams"]++
					found["onBehalfOf review"]++
				case len(e.OnBehalfOf) == 1:
					found["onBehalfOf review"]++
				case e.Author.Login == pr.Author.Login:
					found["author's own comment"]++
				default:
					// A team member answering without naming the team.
					team := slices.ContainsFunc(ev[:i], func(p kpi.Event) bool {
						return p.Kind == kpi.ReviewRequested && p.Reviewer != nil && p.Reviewer.Team
					})
					named := slices.ContainsFunc(ev[:i], func(p kpi.Event) bool {
						return p.Kind == kpi.ReviewRequested && p.Reviewer != nil && !p.Reviewer.Team && p.Reviewer.Login == e.Author.Login
					})
					if team && !named {
						found["team answered without onBehalfOf"]++
					}
				}
				if e.ReviewState == "DISMISSED" {
					found["dismissed review"]++
				}
			case kpi.ReadyForReview:
				if firstDraftEvent == kpi.ReadyForReview && !readySeen {
					found["draft then ready"]++
				}
				readySeen = true
			case kpi.ConvertedToDraft:
				if requestedBefore(i) && !humanReviewBefore(i) {
					found["converted to draft while waiting"]++
				}
			case kpi.Merged:
				if requestedBefore(i) && !humanReviewBefore(i) {
					found["merged before a review"]++
				}
			case kpi.Closed:
				if (i == 0 || ev[i-1].Kind != kpi.Merged) && requestedBefore(i) && !humanReviewBefore(i) {
					found["closed before an answer"]++
				}
				open = false
			case kpi.Reopened:
				open = true
			}
		}
		if !open {
			continue
		}
		if pr.IsDraft {
			found["open draft"]++
		}
		// An open request older than a week: requested, then neither
		// answered nor removed.
		for i, e := range ev {
			if e.Kind != kpi.ReviewRequested || e.Reviewer == nil || isBot(e.Reviewer) || now.Sub(e.At) <= 7*24*time.Hour {
				continue
			}
			if !slices.ContainsFunc(ev[i+1:], func(p kpi.Event) bool {
				return answers(p, e.Reviewer) || (p.Kind == kpi.ReviewRequestRemoved && sameReviewer(p.Reviewer, e.Reviewer))
			}) {
				found["open request older than 7 days"]++
				break
			}
		}
	}
	for _, f := range []string{
		"team request", "onBehalfOf review", "review on behalf of several teams",
		"team answered without onBehalfOf", "draft then ready", "request on a draft",
		"converted to draft while waiting", "nudge", "re-request after a review", "removal",
		"closed before an answer", "merged before a review", "reopen", "merge",
		"bot author ([bot] login)", "bot author (GraphQL Bot)", "bot reviewer",
		"unattributed request", "open request older than 7 days", "open draft",
		"author's own comment", "dismissed review", "Markdown-hostile title",
	} {
		if found[f] == 0 {
			t.Errorf("the sample has no %s", f)
		}
	}
	t.Logf("features: %v", found)
}

func TestOneOpenForAboutTwoMonths(t *testing.T) {
	for _, pr := range load(t) {
		if age := Now().Sub(pr.CreatedAt); age > 50*24*time.Hour &&
			!slices.ContainsFunc(pr.Events, func(e kpi.Event) bool { return e.Kind == kpi.Closed }) {
			return
		}
	}
	t.Error("no pull request has been open for about two months")
}
