package main

import (
	"encoding/json"
	"fmt"
	"math"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/engineering-kpis/engineering-kpis/internal/testkit/githubfake"
)

// Requests for teams the token cannot see, through the binary as the
// runner runs it. The widgets repository has one team request: #2's
// acme/core, requested 11-18 10:00 beside dave and answered by erin on
// behalf of the team at 12:30 (2.5h).

// TestHiddenTeamsThroughTheBinary: the default GITHUB_TOKEN (team null
// with FORBIDDEN) and a classic token without read:org (the whole query
// refused with INSUFFICIENT_SCOPES) give the same figures, worked out by
// hand, under both values of hidden-team-requests.
func TestHiddenTeamsThroughTheBinary(t *testing.T) {
	// exclude: acme/core is unattributed; answered bob 4h, dave 30h, bob
	// 48h → median (⌈1.5⌉ = 2nd) 30, p90 (⌈2.7⌉ = 3rd) 48, mean 82/3 =
	// 27.33, within 24h 1 of 3. The window holds 3 answered + 1 withdrawn
	// + 3 waiting + 1 unattributed = 8 requests.
	exclude := map[string]string{
		"review-wait-median-hours": "30", "review-wait-p90-hours": "48", "review-wait-mean-hours": "27.33",
		"review-requests-answered": "3", "review-answered-within-sla-ratio": "0.3333",
		"review-requests-unattributed": "1", "review-requests-estimated": "0",
	}
	// infer: the hidden request is answered by the first review from
	// someone not named before it: erin at 12:30, 2.5h — the true figures
	// (TestActionReviewWait): 2.5, 4, 30, 48 → median 4, p90 48.
	infer := map[string]string{
		"review-wait-median-hours": "4", "review-wait-p90-hours": "48", "review-wait-mean-hours": "21.13",
		"review-requests-answered": "4", "review-answered-within-sla-ratio": "0.5",
		"review-requests-unattributed": "0", "review-requests-estimated": "1",
	}
	cases := []struct {
		name    string
		access  githubfake.TeamAccess
		mode    string
		want    map[string]string
		warning string
		scope   bool
	}{
		{"GITHUB_TOKEN exclude", githubfake.TeamsForbidden, "exclude", exclude, "**GitHub hid the reviewer of 1 of 8 review requests in the window**", false},
		{"GITHUB_TOKEN infer", githubfake.TeamsForbidden, "infer", infer, "**GitHub hid the reviewer of 1 of 8 review requests in the window, and their waits are estimated**", false},
		{"no read:org exclude", githubfake.TeamsNoScope, "exclude", exclude, "**GitHub hid the reviewer of 1 of 8 review requests in the window**", true},
		{"no read:org infer", githubfake.TeamsNoScope, "infer", infer, "their waits are estimated", true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			srv := githubfake.New(t, widgets())
			srv.SetStrict(true)
			srv.SetTeamAccess(tc.access)
			r := runAction(t, srv, map[string]string{
				"as-of": "2026-11-25T12:00:00Z", "commit": "false", "backfill": "0d",
				"hidden-team-requests": tc.mode,
			})
			if r.code != 0 {
				t.Fatalf("exit %d\nstdout:\n%s\nstderr:\n%s", r.code, r.stdout.String(), r.stderr.String())
			}
			out := outputsOf(t, r.outputs)
			for k, v := range tc.want {
				if out[k] != v {
					t.Errorf("output %s = %q, want %q", k, out[k], v)
				}
			}
			sum, err := os.ReadFile(r.summary)
			if err != nil {
				t.Fatal(err)
			}
			// The summary opens with the warning and the fix.
			head := strings.SplitN(string(sum), "\n## ", 2)[0]
			if !strings.HasPrefix(string(sum), "# Engineering KPIs\n\n> [!WARNING]\n") || !strings.Contains(head, tc.warning) || !strings.Contains(head, "*Members: read*") {
				t.Errorf("summary does not open with the hidden-team warning %q:\n%s", tc.warning, head)
			}
			if tc.mode == "infer" && !strings.Contains(string(sum), "hidden-team-requests: infer") {
				t.Errorf("summary does not say the figures include estimated waits")
			}
			log := r.stdout.String()
			if got := strings.Count(log, "a token with read:org would attribute them"); got != btoi(tc.scope) {
				t.Errorf("log names read:org %d times, want %d:\n%s", got, btoi(tc.scope), log)
			}
			if got := strings.Contains(head, "it lacks `read:org`"); got != tc.scope {
				t.Errorf("summary names the missing read:org: %v, want %v", got, tc.scope)
			}
			// The history says which figures include estimated waits.
			hist, err := wholeHistory(r.workspace)
			if err != nil {
				t.Fatal(err)
			}
			var h struct {
				Snapshots []struct {
					Estimated *struct{ Answered, Withdrawn, Waiting int } `json:"estimated"`
				} `json:"snapshots"`
			}
			if err := json.Unmarshal(hist, &h); err != nil || len(h.Snapshots) != 1 {
				t.Fatalf("history: %v, %d snapshots", err, len(h.Snapshots))
			}
			est := h.Snapshots[0].Estimated
			if tc.mode == "infer" {
				if est == nil || est.Answered != 1 || est.Withdrawn != 0 || est.Waiting != 0 {
					t.Errorf("history estimated = %+v, want 1 answered", est)
				}
			} else if est != nil {
				t.Errorf("history estimated = %+v under exclude, want none", est)
			}
			// Without read:org, the first query is refused once, then
			// every query asks without team fields.
			if tc.access == githubfake.TeamsNoScope {
				calls := srv.Stats().Calls
				if len(calls) < 2 || calls[0].Operation != "PullRequests" || !strings.Contains(strings.Join(calls[0].Errors, " "), "read:org") {
					t.Fatalf("first call = %+v, want PullRequests refused for read:org", calls[0])
				}
				for _, c := range calls[1:] {
					if !strings.HasSuffix(c.Operation, "WithoutTeams") || len(c.Errors) > 0 {
						t.Errorf("call after the refusal: %s with errors %v", c.Operation, c.Errors)
					}
				}
			}
		})
	}
}

func btoi(b bool) int {
	if b {
		return 1
	}
	return 0
}

// TestHiddenTeamEstimateAccuracy measures how far hidden-team-requests:
// infer lands from the true figures, on the synthetic organisation (600
// pull requests over 120 days; about a quarter of the requests go to a
// team and are answered on behalf of the team): the true figures with a
// token that sees teams, against the default GITHUB_TOKEN with infer and
// with exclude. The numbers are pinned: the README quotes them.
func TestHiddenTeamEstimateAccuracy(t *testing.T) {
	prs := githubfake.Synthetic(600, 7)
	measure := func(access githubfake.TeamAccess, mode string) map[string]string {
		srv := githubfake.New(t, githubfake.Repo{Owner: "acme", Name: "widgets", PullRequests: prs})
		srv.SetTeamAccess(access)
		r := runAction(t, srv, map[string]string{
			"as-of": githubfake.SyntheticNow().Format("2006-01-02T15:04:05Z"), "commit": "false", "backfill": "0d",
			"hidden-team-requests": mode,
		})
		if r.code != 0 {
			t.Fatalf("exit %d\n%s\n%s", r.code, r.stdout.String(), r.stderr.String())
		}
		return outputsOf(t, r.outputs)
	}
	truth := measure(githubfake.TeamsVisible, "exclude")
	inferred := measure(githubfake.TeamsForbidden, "infer")
	excluded := measure(githubfake.TeamsForbidden, "exclude")
	row := func(name string, o map[string]string) string {
		return fmt.Sprintf("%s: median %s h, p90 %s h, answered %s, estimated %s, unattributed %s",
			name, o["review-wait-median-hours"], o["review-wait-p90-hours"], o["review-requests-answered"],
			o["review-requests-estimated"], o["review-requests-unattributed"])
	}
	t.Log(row("true (teams visible)", truth))
	t.Log(row("infer (GITHUB_TOKEN)", inferred))
	t.Log(row("exclude (GITHUB_TOKEN)", excluded))
	diff := func(o map[string]string, k string) float64 {
		a, _ := strconv.ParseFloat(o[k], 64)
		b, _ := strconv.ParseFloat(truth[k], 64)
		return math.Round((a-b)*100) / 100
	}
	got := fmt.Sprintf("infer: median %+g h, p90 %+g h, answered %+g; exclude: median %+g h, p90 %+g h, answered %+g",
		diff(inferred, "review-wait-median-hours"), diff(inferred, "review-wait-p90-hours"), diff(inferred, "review-requests-answered"),
		diff(excluded, "review-wait-median-hours"), diff(excluded, "review-wait-p90-hours"), diff(excluded, "review-requests-answered"))
	t.Log(got)
	const want = "infer: median +2.84 h, p90 -4.33 h, answered +1; exclude: median -1.5 h, p90 +4.27 h, answered -121"
	if got != want {
		t.Errorf("estimate error:\n got %s\nwant %s", got, want)
	}
}
