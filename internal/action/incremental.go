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
	return ok && err == nil && st.Rules == stateRules && st.Filter == filter && kpi.CanResume(st.AsOf, kept, asOf, window)
}

// keptWindow reads a state's window: written as the input is ("28d"), or
// as Go writes a duration ("672h0m0s") by versions before that.
func keptWindow(s string) (time.Duration, error) {
	if d, err := config.ParseDuration(s); err == nil {
		return d, nil
	}
	return time.ParseDuration(s)
}

// newState keeps the requests that can still count in a later window.
func newState(reqs []kpi.Request, asOf time.Time, window time.Duration, filter string) repoState {
	return repoState{Rules: stateRules, AsOf: asOf.UTC(), Filter: filter, Window: config.FormatDuration(window), Requests: kpi.Keep(reqs, asOf, window)}
}
