package action

import (
	"context"
	"encoding/json"
	"time"

	"github.com/engineering-kpis/engineering-kpis/internal/config"
	"github.com/engineering-kpis/engineering-kpis/internal/history"
	"github.com/engineering-kpis/engineering-kpis/internal/kpi"
)

// ChangedSource is a PullRequestSource that can also fetch only what
// changed: an incremental run asks it for the pull requests updated since
// the last run and takes the rest from the records it kept.
type ChangedSource interface {
	// ChangedPullRequests returns the pull requests of repo updated at or
	// after since, with complete timelines, and no others.
	ChangedPullRequests(ctx context.Context, repo string, since time.Time) ([]kpi.PullRequest, error)
}

// stateSection is the history's section of incremental-run records.
const stateSection = "review_state"

// stateRules is the version of the review-request rules; bump it whenever
// kpi.Requests counts differently (3: timeline order for "named earlier",
// a review while closed, deleted reviewers, hidden teams estimated).
const stateRules = 3

// stateMargin re-fetches pull requests updated shortly before the last
// run, in case GitHub's update times lag its events.
const stateMargin = 10 * time.Minute

// repoState is what a run keeps of one repository to resume from: the
// review requests that can still count in a window, as of a moment.
type repoState struct {
	// Rules is the version of the counting rules the records were made
	// with; records of other rules are never reused.
	Rules  int       `json:"rules"`
	AsOf   time.Time `json:"as_of"`
	Filter string    `json:"filter"`
	// Window is the window the records were kept for; a longer one needs
	// a full fetch.
	Window   string              `json:"window"`
	Requests []kpi.RequestRecord `json:"requests"`
}

func loadStates(h *history.Tree) map[string]repoState {
	states := map[string]repoState{}
	if raw, ok := h.Section(stateSection); ok {
		if json.Unmarshal(raw, &states) != nil {
			// An unreadable state only costs a full fetch.
			return map[string]repoState{}
		}
	}
	return states
}

func saveStates(h *history.Tree, states map[string]repoState) error {
	raw, err := json.Marshal(states)
	if err != nil {
		return err
	}
	h.SetSection(stateSection, raw)
	return nil
}

// pruneStates drops the records of repositories that no run can resume
// from any more (their last run is older than the longest window: a
// repository no longer measured), so that the state stays bounded by the
// requests that can still count.
func pruneStates(states map[string]repoState, asOf time.Time) map[string]repoState {
	for repo, st := range states {
		if asOf.Sub(st.AsOf) > maxWindow {
			delete(states, repo)
		}
	}
	return states
}

// maxWindow is the longest window input; a state older than that resumes
// no run.
const maxWindow = 365 * 24 * time.Hour

// resumable says whether st lets a run as of asOf fetch only the changes.
func resumable(st repoState, ok bool, asOf time.Time, window time.Duration, filter string) bool {
	kept, err := keptWindow(st.Window)
	return ok && err == nil && st.Rules == stateRules && kept >= window && st.Filter == filter && !asOf.Before(st.AsOf) && asOf.Sub(st.AsOf) <= window
}

// keptWindow reads a state's window: written as the input is ("28d"), or
// as Go writes a duration ("672h0m0s") by versions before that.
func keptWindow(s string) (time.Duration, error) {
	if d, err := config.ParseDuration(s); err == nil {
		return d, nil
	}
	return time.ParseDuration(s)
}

// resume merges the records of st with the requests of the pull requests
// that changed since: a changed pull request's records are replaced.
func resume(repo string, st repoState, changed []kpi.PullRequest, asOf time.Time, f kpi.Filter) []kpi.Request {
	fresh := map[int]bool{}
	for _, pr := range changed {
		fresh[pr.Number] = true
	}
	var reqs []kpi.Request
	for _, rec := range st.Requests {
		if !fresh[rec.Number] {
			reqs = append(reqs, rec.Request(repo, asOf))
		}
	}
	for _, pr := range changed {
		reqs = append(reqs, kpi.Requests(pr, asOf, f)...)
	}
	return reqs
}

// newState keeps the requests that can still count in a later window.
func newState(reqs []kpi.Request, asOf time.Time, window time.Duration, filter string) repoState {
	st := repoState{Rules: stateRules, AsOf: asOf.UTC(), Filter: filter, Window: config.FormatDuration(window), Requests: []kpi.RequestRecord{}}
	for _, r := range reqs {
		rec := kpi.Record(r)
		if rec.Matters(asOf, window) {
			st.Requests = append(st.Requests, rec)
		}
	}
	return st
}

// holdsHidden reports whether st was written by a token that saw no team:
// it keeps requests whose reviewer GitHub hid (unattributed or estimated)
// and none for a visible team. If the token of this run sees teams, those
// records are stale (the user gave the action a token that can see them).
func holdsHidden(st repoState) bool {
	hidden := false
	for _, r := range st.Requests {
		switch {
		case r.Unattributed || r.Estimated:
			hidden = true
		case r.Team:
			return false
		}
	}
	return hidden
}

// seesTeams reports whether prs name a requested team: the token that
// fetched them can see teams.
func seesTeams(prs []kpi.PullRequest) bool {
	for _, pr := range prs {
		for _, e := range pr.Events {
			if e.Reviewer != nil && e.Reviewer.Team {
				return true
			}
		}
	}
	return false
}
