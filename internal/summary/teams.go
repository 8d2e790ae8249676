package summary

import (
	"fmt"
	"strings"

	"github.com/engineering-kpis/engineering-kpis/internal/kpi"
)

// TeamNotice says what the token could not see of the teams review
// requests went to, for the warning that opens the summary.
type TeamNotice struct {
	// Infer is true under hidden-team-requests: infer.
	Infer bool
	// Hidden counts the window's requests whose reviewer GitHub hid;
	// Requests counts all of the window's requests.
	Hidden, Requests int
	// Estimated splits the hidden requests by outcome (infer only).
	Estimated kpi.Estimate
	// Scope is what GitHub said the token lacks to see teams when it
	// refused the team fields ("read:org"); "" when it did not.
	Scope string
}

// TeamNoticeOf is the notice for rw, the run's pooled figures.
func TeamNoticeOf(rw kpi.ReviewWait, infer bool, scope string) TeamNotice {
	n := TeamNotice{Infer: infer, Requests: rw.Requests(), Scope: scope, Estimated: rw.Estimated}
	n.Hidden = rw.Unattributed
	if infer {
		n.Hidden = rw.Estimated.Total()
	}
	return n
}

// tokenFix is the one-line fix for a token that cannot see teams.
const tokenFix = "**Fix:** run with a token that can read the organisation's teams — a GitHub App token with *Members: read* (recipe under \"Permissions and tokens\" in the README) or a classic token with `read:org`"

// writeTeamNotice opens the summary with what hidden teams do to the
// figures, when anything was hidden.
func writeTeamNotice(b *strings.Builder, n *TeamNotice) {
	if n == nil || (n.Hidden == 0 && n.Scope == "") {
		return
	}
	if n.Hidden == 0 {
		fmt.Fprintf(b, "> [!NOTE]\n> GitHub refused this token the team fields (it lacks `%s`), so a request for a team would count as hidden; no request in the window went to a team.\n\n", Text(n.Scope))
		return
	}
	b.WriteString("> [!WARNING]\n")
	if n.Infer {
		fmt.Fprintf(b, "> **GitHub hid the reviewer of %d of %d review requests in the window, and their waits are estimated** (`hidden-team-requests: infer`: each is taken as answered by the first review from someone not requested by name). ", n.Hidden, n.Requests)
		fmt.Fprintf(b, "The figures below include %d estimated answered waits, %d estimated withdrawn and %d estimated waiting requests, marked *estimated*.\n", n.Estimated.Answered, n.Estimated.Withdrawn, n.Estimated.Waiting)
		b.WriteString("> " + tokenFix + ", for exact figures.\n")
	} else {
		fmt.Fprintf(b, "> **GitHub hid the reviewer of %d of %d review requests in the window** — teams this token cannot see (or deleted accounts). ", n.Hidden, n.Requests)
		fmt.Fprintf(b, "They are left out of every wait figure below, which therefore describe the other %d only", n.Requests-n.Hidden)
		if n.Hidden*10 >= n.Requests {
			b.WriteString("; with this share of team requests (CODEOWNERS), the true median can be hours away")
		}
		b.WriteString(".\n")
		b.WriteString("> " + tokenFix + "; or set `hidden-team-requests: infer` to estimate these waits.\n")
	}
	if n.Scope != "" {
		fmt.Fprintf(b, "> GitHub refused the team fields for this token: it lacks `%s`.\n", Text(n.Scope))
	}
	b.WriteString("\n")
}

// writeEstimated says which of a report's figures include estimated
// waits.
func writeEstimated(b *strings.Builder, rw kpi.ReviewWait) {
	e := rw.Estimated
	if e.Total() == 0 {
		return
	}
	fmt.Fprintf(b, "*Estimated:* these figures include %d answered, %d withdrawn and %d waiting requests whose team GitHub hid; their waits are estimated (`hidden-team-requests: infer`).\n\n", e.Answered, e.Withdrawn, e.Waiting)
}
