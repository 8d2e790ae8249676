// Package sample generates the fictional pull-request data set that package
// demo embeds for `engineering-kpis --demo`: about five months of pull
// requests of "acme/storefront" with realistic review timelines.
//
// Generation is deterministic (math/rand/v2 with a fixed PCG seed and no map
// iteration), so the same code always yields the same bytes; the demo tests
// check the embedded file against a fresh generation.
package sample

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"time"

	"github.com/engineering-kpis/engineering-kpis/internal/kpi"
)

// Repository is the fictional repository of the sample.
const Repository = "acme/storefront"

// The teams of the sample, as timelines name them.
const (
	Backend  = "acme/backend"
	Frontend = "acme/frontend"
)

// The review states the sample uses (PENDING reviews never appear: they are
// filtered out before timelines reach the KPI).
const (
	approved         = "APPROVED"
	changesRequested = "CHANGES_REQUESTED"
	commented        = "COMMENTED"
	dismissed        = "DISMISSED"
)

// The fixed PCG seed of the generator ("eng-kpis", the sample's "now").
const (
	seedHi = 0x656e672d6b706973
	seedLo = 20261125
)

// Now is the sample's fixed moment of measurement, 2026-11-25T12:00:00Z.
func Now() time.Time { return time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC) }

// start is the first day on which the sample's pull requests are opened.
func start() time.Time { return time.Date(2026, 6, 22, 0, 0, 0, 0, time.UTC) }

// JSON returns the sample encoded as package demo embeds it.
func JSON() ([]byte, error) { return Encode(Generate()) }

// Encode writes prs as a JSON array with one pull request per line (compact,
// HTML characters left unescaped) and a trailing newline.
func Encode(prs []kpi.PullRequest) ([]byte, error) {
	var buf bytes.Buffer
	buf.WriteString("[\n")
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	for i, pr := range prs {
		if err := enc.Encode(pr); err != nil {
			return nil, fmt.Errorf("encoding pull request #%d: %w", pr.Number, err)
		}
		buf.Truncate(buf.Len() - 1) // the encoder's newline
		if i < len(prs)-1 {
			buf.WriteByte(',')
		}
		buf.WriteByte('\n')
	}
	buf.WriteString("]\n")
	return buf.Bytes(), nil
}

// Generate builds the sample's pull requests, ordered by number.
func Generate() []kpi.PullRequest {
	g := &gen{
		r:      rand.New(rand.NewPCG(seedHi, seedLo)),
		people: roster(),
		used:   map[string]bool{},
		deps:   dependencies(),
	}
	builds := g.scenarios()
	for day := start(); day.Before(Now()); day = day.AddDate(0, 0, 1) {
		builds = append(builds, g.day(day)...)
	}
	slices.SortStableFunc(builds, func(a, b *build) int { return a.pr.CreatedAt.Compare(b.pr.CreatedAt) })

	prs := make([]kpi.PullRequest, 0, len(builds))
	number := 2107
	for _, b := range builds {
		number++
		if g.chance(0.3) { // issues share the numbering
			number += 1 + g.r.IntN(3)
		}
		b.pr.Number = number
		b.pr.URL = fmt.Sprintf("https://github.com/%s/pull/%d", Repository, number)
		prs = append(prs, b.finish())
	}
	return prs
}

// ---------------------------------------------------------------------------
// People, bots and teams.

type person struct {
	login   string
	teams   []string
	speed   float64 // multiplies the person's review waits
	writes  int     // relative share of authored pull requests
	reviews int     // relative share of review requests
}

func (p *person) actor() *kpi.Actor { return &kpi.Actor{Login: p.login} }

func (p *person) in(team string) bool { return slices.Contains(p.teams, team) }

func roster() []*person {
	return []*person{
		{login: "amara-okafor", teams: []string{Backend}, speed: 0.8, writes: 5, reviews: 5},
		{login: "chen-wei", teams: []string{Backend}, speed: 0.6, writes: 5, reviews: 6},
		{login: "dmitri-v", teams: []string{Backend}, speed: 1.9, writes: 3, reviews: 4},
		{login: "farid-h", teams: []string{Backend}, speed: 1.0, writes: 4, reviews: 3},
		{login: "jonas-b", teams: []string{Backend}, speed: 1.2, writes: 3, reviews: 3},
		{login: "ben-k", teams: []string{Frontend}, speed: 0.9, writes: 4, reviews: 5},
		{login: "elena-r", teams: []string{Frontend}, speed: 0.7, writes: 5, reviews: 6},
		{login: "grace-h", teams: []string{Frontend}, speed: 1.3, writes: 3, reviews: 4},
		{login: "hiro-t", teams: []string{Frontend}, speed: 1.0, writes: 4, reviews: 3},
		{login: "isabel-m", teams: []string{Frontend}, speed: 1.5, writes: 3, reviews: 3},
		{login: "kate-l", teams: []string{Backend, Frontend}, speed: 1.1, writes: 2, reviews: 4},
	}
}

// Dependabot is spelled as REST spells it (the "[bot]" suffix, no Bot flag);
// Renovate and Copilot as GraphQL reports a Bot.
func dependabot() kpi.Actor { return kpi.Actor{Login: "dependabot[bot]"} }
func renovate() kpi.Actor   { return kpi.Actor{Login: "renovate", Bot: true} }
func copilot() *kpi.Actor {
	return &kpi.Actor{Login: "copilot-pull-request-reviewer[bot]", Bot: true}
}

func teamActor(team string) *kpi.Actor { return &kpi.Actor{Login: team, Team: true} }

// target is a requested reviewer: a user, a team, or (neither) a reviewer
// GitHub does not reveal.
type target struct {
	user *person
	team string
}

func (t target) actor() *kpi.Actor {
	switch {
	case t.user != nil:
		return t.user.actor()
	case t.team != "":
		return teamActor(t.team)
	}
	return nil
}

// ---------------------------------------------------------------------------
// Events.

func requested(at time.Time, who *kpi.Actor) kpi.Event {
	return kpi.Event{Kind: kpi.ReviewRequested, At: at, Reviewer: who}
}

func removed(at time.Time, who *kpi.Actor) kpi.Event {
	return kpi.Event{Kind: kpi.ReviewRequestRemoved, At: at, Reviewer: who}
}

func reviewed(at time.Time, by *kpi.Actor, state string, teams ...string) kpi.Event {
	return kpi.Event{Kind: kpi.Reviewed, At: at, Author: by, ReviewState: state, OnBehalfOf: teams}
}

func event(kind kpi.EventKind, at time.Time) kpi.Event { return kpi.Event{Kind: kind, At: at} }

// build is a pull request under construction; its events are sorted and
// cut at Now by finish.
type build struct {
	pr           kpi.PullRequest
	createdDraft bool
	events       []kpi.Event
}

func (b *build) add(e ...kpi.Event) { b.events = append(b.events, e...) }

// cut drops every event at or after t.
func (b *build) cut(t time.Time) {
	b.events = slices.DeleteFunc(b.events, func(e kpi.Event) bool { return !e.At.Before(t) })
}

func (b *build) merge(at time.Time) { b.add(event(kpi.Merged, at), event(kpi.Closed, at)) }

func (b *build) finish() kpi.PullRequest {
	slices.SortStableFunc(b.events, func(x, y kpi.Event) int { return x.At.Compare(y.At) })
	now := Now()
	b.events = slices.DeleteFunc(b.events, func(e kpi.Event) bool { return e.At.After(now) })
	pr := b.pr
	pr.Events = append([]kpi.Event{}, b.events...)
	pr.IsDraft = b.createdDraft
	pr.UpdatedAt = pr.CreatedAt
	for _, e := range pr.Events {
		switch e.Kind {
		case kpi.ReadyForReview:
			pr.IsDraft = false
		case kpi.ConvertedToDraft:
			pr.IsDraft = true
		}
		pr.UpdatedAt = e.At
	}
	return pr
}

// ---------------------------------------------------------------------------
// Time.

func isWeekend(t time.Time) bool { return t.Weekday() == time.Saturday || t.Weekday() == time.Sunday }

func clock(t time.Time, h int) time.Time {
	return time.Date(t.Year(), t.Month(), t.Day(), h, 0, 0, 0, time.UTC)
}

// nextWorking returns t, or the start of the next working hours (weekdays
// 08:00–18:00 UTC) when t lies outside them.
func nextWorking(t time.Time) time.Time {
	for {
		switch {
		case isWeekend(t) || t.Hour() >= 18:
			t = clock(t, 8).AddDate(0, 0, 1)
		case t.Hour() < 8:
			t = clock(t, 8)
		default:
			return t
		}
	}
}

// addWorking returns the moment d of working hours after t.
func addWorking(t time.Time, d time.Duration) time.Time {
	for {
		t = nextWorking(t)
		left := clock(t, 18).Sub(t)
		if d < left {
			return t.Add(d)
		}
		d -= left
		t = clock(t, 18)
	}
}

func later(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
}

func earlier(a, b time.Time) time.Time {
	if b.Before(a) {
		return b
	}
	return a
}

// progress is how far into the sample's period t lies, 0 to 1.
func progress(t time.Time) float64 {
	return float64(t.Sub(start())) / float64(Now().Sub(start()))
}

// ---------------------------------------------------------------------------
// Randomness.

type gen struct {
	r      *rand.Rand
	people []*person
	used   map[string]bool // titles taken (lookups only, never iterated)
	deps   []*dependency
}

func (g *gen) chance(p float64) bool { return g.r.Float64() < p }

func (g *gen) secs(lo, hi int) time.Duration {
	return time.Duration(lo+g.r.IntN(hi-lo+1)) * time.Second
}

// logDur is log-uniform in [lo, hi], whole seconds.
func (g *gen) logDur(lo, hi time.Duration) time.Duration {
	a, b := math.Log(float64(lo)), math.Log(float64(hi))
	return time.Duration(math.Exp(a + g.r.Float64()*(b-a))).Truncate(time.Second)
}

// within is uniform in (from, to), whole seconds.
func (g *gen) within(from, to time.Time) time.Time {
	n := int64(to.Sub(from) / time.Second)
	if n < 2 {
		return from.Add(time.Second)
	}
	return from.Add(time.Duration(1+g.r.Int64N(n-1)) * time.Second)
}

func scale(d time.Duration, f float64) time.Duration {
	return max(time.Duration(float64(d)*f).Truncate(time.Second), 2*time.Minute)
}

// wait draws a review wait in working hours for a request made at progress
// p: mostly minutes to a few hours, some a day or two, and a long tail of
// several working days. Waits shrink as the period advances (the team's
// OKR at work); re-reviews are faster.
func (g *gen) wait(p, speed float64, again bool) time.Duration {
	f := (2.0 - 1.4*p) * speed
	tail := 0.18 - 0.13*p
	if again {
		f *= 0.45
		tail /= 2
	}
	u := g.r.Float64()
	switch {
	case u < tail:
		return scale(g.logDur(20*time.Hour, 45*time.Hour), math.Sqrt(f))
	case u < tail+0.25:
		return scale(g.logDur(3*time.Hour, 16*time.Hour), f)
	default:
		return scale(g.logDur(6*time.Minute, 4*time.Hour), f)
	}
}

// answer is when a review requested at from arrives after a wait in working
// hours; now and then someone answers in the evening instead.
func (g *gen) answer(from time.Time, wait time.Duration) time.Time {
	if g.chance(0.06) {
		return from.Add(g.logDur(15*time.Minute, 5*time.Hour))
	}
	return addWorking(from, wait)
}

func (g *gen) state() string {
	switch u := g.r.Float64(); {
	case u < 0.64:
		return approved
	case u < 0.84:
		if g.chance(0.08) {
			return dismissed
		}
		return changesRequested
	default:
		return commented
	}
}

// pick chooses one of ps by weight, or nil when ps is empty.
func (g *gen) pick(ps []*person, weight func(*person) int) *person {
	total := 0
	for _, p := range ps {
		total += weight(p)
	}
	if total == 0 {
		return nil
	}
	n := g.r.IntN(total)
	for _, p := range ps {
		if n -= weight(p); n < 0 {
			return p
		}
	}
	return nil
}

func (g *gen) person(login string) *person {
	for _, p := range g.people {
		if p.login == login {
			return p
		}
	}
	panic("unknown person " + login)
}

// others returns the people other than author and those in skip for whom
// keep holds.
func (g *gen) others(author *person, skip []*person, keep func(*person) bool) []*person {
	var ps []*person
	for _, p := range g.people {
		if p != author && !slices.Contains(skip, p) && keep(p) {
			ps = append(ps, p)
		}
	}
	return ps
}

func byReviews(p *person) int { return p.reviews }

// member picks who reviews for team: a member other than the author and
// those requested by name.
func (g *gen) member(team string, author *person, named []*person) *person {
	if p := g.pick(g.others(author, named, func(p *person) bool { return p.in(team) }), byReviews); p != nil {
		return p
	}
	return g.person("kate-l")
}

// reviewer picks an individual reviewer, usually from area.
func (g *gen) reviewer(author *person, named []*person, area string) *person {
	in := func(p *person) bool { return p.in(area) }
	if g.chance(0.2) {
		in = func(*person) bool { return true }
	}
	if p := g.pick(g.others(author, named, in), byReviews); p != nil {
		return p
	}
	return g.pick(g.others(author, named, func(*person) bool { return true }), byReviews)
}

// ---------------------------------------------------------------------------
// Pull-request flows.

type ending int

const (
	endMerge             ending = iota
	endCloseBeforeAnswer        // closed while every request still waits
	endMergeBeforeReview        // merged while every request still waits
	endCloseAfterReview         // abandoned after the first reviews
)

type spec struct {
	author  kpi.Actor
	human   *person // the author, when a person
	created time.Time
	title   string
	labels  []string
	area    string
	targets []target
	slow    float64 // multiplies every wait

	draft          bool // opened as a draft
	requestOnDraft bool // reviewers requested while still a draft
	convert        bool // converted back to draft while requests wait
	reopen         bool // closed by mistake, reopened
	removal        bool // one requested reviewer removed
	copilot        bool // Copilot review requested
	driveBy        bool // someone not requested comments
	end            ending
}

type review struct {
	who   *person
	at    time.Time
	state string
}

// simulate plays one pull request's life from its spec.
func (g *gen) simulate(s spec) *build {
	b := &build{createdDraft: s.draft, pr: kpi.PullRequest{
		Repository: Repository,
		Title:      s.title,
		Author:     s.author,
		CreatedAt:  s.created,
		Labels:     s.labels,
	}}
	p := progress(s.created)
	reqAt := s.created.Add(g.secs(5, 90))
	origin := reqAt
	if s.draft {
		ready := addWorking(s.created, g.logDur(20*time.Minute, 28*time.Hour))
		b.add(event(kpi.ReadyForReview, ready))
		origin = ready
		if !s.requestOnDraft {
			reqAt = ready.Add(g.secs(5, 60))
			origin = reqAt
		}
	}
	var named []*person
	for _, t := range s.targets {
		b.add(requested(reqAt, t.actor()))
		if t.user != nil {
			named = append(named, t.user)
		}
	}
	if s.copilot {
		at := origin.Add(g.secs(1, 30))
		b.add(requested(at, copilot()), reviewed(at.Add(g.secs(50, 240)), copilot(), commented))
	}
	if s.reopen {
		closed := origin.Add(g.logDur(20*time.Minute, 5*time.Hour))
		reopened := addWorking(closed, g.logDur(40*time.Minute, 18*time.Hour))
		b.add(event(kpi.Closed, closed), event(kpi.Reopened, reopened))
		origin = reopened
	}
	if s.convert {
		conv := addWorking(origin, g.logDur(30*time.Minute, 8*time.Hour))
		ready := addWorking(conv, g.logDur(time.Hour, 30*time.Hour))
		b.add(event(kpi.ConvertedToDraft, conv), event(kpi.ReadyForReview, ready))
		origin = ready
	}

	// First round: every requested reviewer answers, unless removed first.
	removeAt := -1
	if s.removal {
		for i, t := range s.targets {
			if t.user != nil {
				removeAt = i
				break
			}
		}
	}
	var cur []review
	handled := make([]bool, len(s.targets))
	for i, t := range s.targets {
		if handled[i] || t.actor() == nil { // nobody answers an unrevealed team
			continue
		}
		who, teams := t.user, []string(nil)
		if t.team != "" {
			who = g.member(t.team, s.human, named)
			if g.chance(0.8) {
				teams = []string{t.team}
			}
			// One review on behalf of both teams, by someone in both.
			for j := i + 1; j < len(s.targets); j++ {
				if o := s.targets[j].team; o != "" && o != t.team && g.chance(0.6) {
					if k := g.person("kate-l"); k != s.human && !slices.Contains(named, k) {
						who, teams, handled[j] = k, []string{t.team, o}, true
					}
				}
			}
		}
		ans := g.answer(origin, g.wait(p, who.speed*s.slow, false))
		if i == removeAt {
			rm := addWorking(origin, g.logDur(time.Hour, 20*time.Hour))
			if rm.Before(ans) {
				b.add(removed(rm, t.actor()))
				if g.chance(0.6) {
					alt := g.reviewer(s.human, named, s.area)
					named = append(named, alt)
					at := rm.Add(g.secs(5, 60))
					ans := g.answer(at, g.wait(p, alt.speed*s.slow, false))
					st := g.state()
					b.add(requested(at, alt.actor()), reviewed(ans, alt.actor(), st))
					cur = append(cur, review{alt, ans, st})
				}
				continue
			}
		}
		if ans.Sub(reqAt) > 40*time.Hour && g.chance(0.45) {
			nudge := addWorking(origin, 8*time.Hour+g.secs(0, 8*3600))
			if nudge.After(reqAt) && nudge.Before(ans) {
				b.add(requested(nudge, t.actor()))
			}
		}
		st := g.state()
		if s.human == nil && g.chance(0.9) { // bumps rarely need discussion
			st = approved
		}
		b.add(reviewed(ans, who.actor(), st, teams...))
		cur = append(cur, review{who, ans, st})
	}
	if s.driveBy {
		if who := g.pick(g.others(s.human, named, func(*person) bool { return true }), byReviews); who != nil {
			b.add(reviewed(g.answer(origin, g.wait(p, who.speed, false)), who.actor(), commented))
		}
	}

	// Further rounds: the author addresses the feedback and re-requests.
	for round := 0; round < 3; round++ {
		ok := slices.ContainsFunc(cur, func(r review) bool { return r.state == approved })
		var redo []int
		last := time.Time{}
		for i, r := range cur {
			if r.state == changesRequested || (r.state == commented && !ok) {
				redo = append(redo, i)
				last = later(last, r.at)
			}
		}
		if len(redo) == 0 || s.human == nil { // bots address no feedback
			break
		}
		fix := addWorking(last, g.logDur(15*time.Minute, 10*time.Hour))
		if s.human != nil && g.chance(0.3) { // the author answers comments
			b.add(reviewed(g.within(last, fix), s.human.actor(), commented))
		}
		for _, i := range redo {
			who := cur[i].who
			ans := g.answer(fix, g.wait(p, who.speed*s.slow, true))
			st := approved
			if round < 2 && g.chance(0.15) {
				st = changesRequested
			}
			b.add(requested(fix, who.actor()), reviewed(ans, who.actor(), st))
			cur[i] = review{who, ans, st}
		}
	}
	if !slices.ContainsFunc(cur, func(r review) bool { return r.state == approved }) {
		// Someone picks it up unasked and approves.
		from := origin
		for _, r := range cur {
			from = later(from, r.at)
		}
		who := g.member(s.area, s.human, nil)
		b.add(reviewed(g.answer(from, g.wait(p, who.speed, false)), who.actor(), approved))
	}

	var last, firstAnswer time.Time
	for _, e := range b.events {
		last = later(last, e.At)
		if e.Kind != kpi.Reviewed {
			continue
		}
		if !e.Author.IsBot() && e.Author.Login != s.author.Login && !e.At.Before(origin) &&
			(firstAnswer.IsZero() || e.At.Before(firstAnswer)) {
			firstAnswer = e.At
		}
	}
	merged := addWorking(last, g.logDur(3*time.Minute, 5*time.Hour))
	b.merge(merged)

	gap := firstAnswer.Sub(origin)
	switch s.end {
	case endCloseBeforeAnswer:
		if gap > 30*time.Minute {
			at := g.within(origin.Add(10*time.Minute), firstAnswer.Add(-time.Minute))
			b.cut(at)
			b.add(event(kpi.Closed, at))
		}
	case endMergeBeforeReview:
		if gap > 30*time.Minute {
			at := g.within(origin.Add(10*time.Minute), earlier(origin.Add(3*time.Hour), firstAnswer.Add(-time.Minute)))
			b.cut(at)
			b.merge(at)
		}
	case endCloseAfterReview:
		if at := addWorking(firstAnswer, g.logDur(30*time.Minute, 30*time.Hour)); at.Before(merged) {
			b.cut(at)
			b.add(event(kpi.Closed, at))
		}
	}
	return b
}

// day returns the pull requests opened on day.
func (g *gen) day(day time.Time) []*build {
	var out []*build
	add := func(b *build) {
		if b.pr.CreatedAt.Before(Now().Add(-10 * time.Minute)) {
			out = append(out, b)
		}
	}
	n := 0
	if isWeekend(day) {
		if g.chance(0.1) {
			n = 1
		}
	} else {
		for range 5 {
			if g.chance(0.5) {
				n++
			}
		}
	}
	for range n {
		add(g.human(day))
	}
	switch day.Weekday() {
	case time.Monday: // Dependabot's weekly run
		for _, eco := range []string{"gomod", "npm"} {
			k := 0
			if u := g.r.Float64(); u < 0.2 {
				k = 2
			} else if u < 0.85 {
				k = 1
			}
			for range k {
				add(g.dependabot(day, eco))
			}
		}
	case time.Saturday: // Renovate's weekend schedule
		if g.chance(0.6) {
			add(g.renovate(day))
		}
	}
	return out
}

func (g *gen) human(day time.Time) *build {
	author := g.pick(g.people, func(p *person) int { return p.writes })
	area := author.teams[g.r.IntN(len(author.teams))]
	hour := 8 + g.r.Float64()*10
	switch u := g.r.Float64(); {
	case u < 0.1:
		hour = 18 + g.r.Float64()*4
	case u < 0.15:
		hour = 6 + g.r.Float64()*2
	}
	created := day.Add(time.Duration(hour * float64(time.Hour))).Truncate(time.Second)

	var targets []target
	var named []*person
	n := 1
	switch u := g.r.Float64(); {
	case u < 0.12:
		n = 0
	case u < 0.45:
		n = 2
	}
	for range n {
		p := g.reviewer(author, named, area)
		named = append(named, p)
		targets = append(targets, target{user: p})
	}
	if n == 0 || g.chance(0.28) {
		targets = append(targets, target{team: area})
		if g.chance(0.12) {
			other := Backend
			if area == Backend {
				other = Frontend
			}
			targets = append(targets, target{team: other})
		}
	}
	if g.chance(0.025) {
		targets = append(targets, target{}) // a team the token cannot see
	}

	draft := g.chance(0.22)
	end := endMerge
	switch u := g.r.Float64(); {
	case u < 0.05:
		end = endCloseBeforeAnswer
	case u < 0.08:
		end = endMergeBeforeReview
	case u < 0.12:
		end = endCloseAfterReview
	}
	labels := []string{map[string]string{Backend: "backend", Frontend: "frontend"}[area]}
	switch u := g.r.Float64(); {
	case u < 0.3:
		labels = append(labels, "bug")
	case u < 0.5:
		labels = append(labels, "enhancement")
	}
	return g.simulate(spec{
		author:         *author.actor(),
		human:          author,
		created:        created,
		title:          g.title(area),
		labels:         labels,
		area:           area,
		targets:        targets,
		slow:           1,
		draft:          draft,
		requestOnDraft: draft && g.chance(0.35),
		convert:        g.chance(0.05),
		reopen:         end == endMerge && g.chance(0.01),
		removal:        g.chance(0.06),
		copilot:        !created.Before(time.Date(2026, 8, 17, 0, 0, 0, 0, time.UTC)) && g.chance(0.45),
		driveBy:        g.chance(0.1),
		end:            end,
	})
}

func (g *gen) dependabot(day time.Time, eco string) *build {
	area, label := Backend, "go"
	if eco == "npm" {
		area, label = Frontend, "javascript"
	}
	var pool []*dependency
	for _, d := range g.deps {
		if d.eco == eco {
			pool = append(pool, d)
		}
	}
	d := pool[g.r.IntN(len(pool))]
	from, to := d.bump(g)
	title := fmt.Sprintf("Bump %s from %s to %s", d.name, from, to)
	if eco == "npm" {
		title += " in /web"
	}
	end := endMerge
	if g.chance(0.12) {
		end = endCloseBeforeAnswer // superseded by a newer version
	}
	return g.simulate(spec{
		author:  dependabot(),
		created: day.Add(4*time.Hour + g.secs(0, 3600)),
		title:   title,
		labels:  []string{"dependencies", label},
		area:    area,
		targets: []target{{team: area}},
		slow:    1.4,
		end:     end,
	})
}

func (g *gen) renovate(day time.Time) *build {
	d := g.deps[len(g.deps)-1-g.r.IntN(4)] // the renovate-managed ones
	_, to := d.bump(g)
	t := target{user: g.person("kate-l")}
	if g.chance(0.5) {
		t = target{team: Backend}
	}
	return g.simulate(spec{
		author:  renovate(),
		created: day.Add(2*time.Hour + g.secs(0, 7200)),
		title:   fmt.Sprintf("Update %s to v%s", d.name, to),
		labels:  []string{"dependencies", "renovate"},
		area:    Backend,
		targets: []target{t},
		slow:    1.2,
	})
}

// dependency is a package whose updates the bots propose.
type dependency struct {
	eco                 string // gomod, npm or renovate
	name                string
	major, minor, patch int
	minorBumps          bool
}

func (d *dependency) bump(g *gen) (from, to string) {
	from = fmt.Sprintf("%d.%d.%d", d.major, d.minor, d.patch)
	if d.minorBumps && g.chance(0.7) {
		d.minor++
		d.patch = 0
	} else {
		d.patch++
	}
	return from, fmt.Sprintf("%d.%d.%d", d.major, d.minor, d.patch)
}

func dependencies() []*dependency {
	return []*dependency{
		{eco: "gomod", name: "golang.org/x/net", major: 0, minor: 28, minorBumps: true},
		{eco: "gomod", name: "golang.org/x/crypto", major: 0, minor: 26, minorBumps: true},
		{eco: "gomod", name: "github.com/jackc/pgx/v5", major: 5, minor: 6},
		{eco: "gomod", name: "github.com/stripe/stripe-go/v79", major: 79, minor: 6, minorBumps: true},
		{eco: "gomod", name: "google.golang.org/grpc", major: 1, minor: 65, minorBumps: true},
		{eco: "gomod", name: "github.com/redis/go-redis/v9", major: 9, minor: 6, patch: 1},
		{eco: "gomod", name: "go.opentelemetry.io/otel", major: 1, minor: 28, minorBumps: true},
		{eco: "npm", name: "@types/react", major: 18, minor: 3, patch: 3},
		{eco: "npm", name: "vite", major: 5, minor: 3, patch: 5},
		{eco: "npm", name: "eslint", major: 9, minor: 8, minorBumps: true},
		{eco: "npm", name: "@testing-library/react", major: 16, minor: 0, minorBumps: true},
		{eco: "npm", name: "typescript", major: 5, minor: 5, patch: 4},
		{eco: "npm", name: "next", major: 14, minor: 2, patch: 5},
		{eco: "npm", name: "postcss", major: 8, minor: 4, patch: 40},
		// Renovate keeps these four current (the last four entries).
		{eco: "renovate", name: "actions/checkout action", major: 4, minor: 1, patch: 7},
		{eco: "renovate", name: "node Docker tag", major: 20, minor: 16, minorBumps: true},
		{eco: "renovate", name: "dependency golangci/golangci-lint", major: 1, minor: 60, patch: 1, minorBumps: true},
		{eco: "renovate", name: "actions/setup-go action", major: 5, minor: 0, patch: 2},
	}
}

// ---------------------------------------------------------------------------
// Titles.

var (
	backendTitles = []string{
		"Add idempotency keys to the checkout API",
		"Fix race in inventory reservation on concurrent orders",
		"Cache shipping rates per postcode for 10 minutes",
		"Migrate order events to the transactional outbox",
		"Return 409 when a coupon was already redeemed",
		"Speed up product search with a trigram index",
		"Retry Stripe webhooks with exponential back-off",
		"Remove the deprecated v1 cart endpoints",
		"Add OpenTelemetry spans to payment capture",
		"Fix VAT rounding for orders with mixed tax rates",
		"Support partial refunds in the admin API",
		"Batch stock updates from the warehouse feed",
		"Expire abandoned carts after 30 days",
		"Fix N+1 query on the order history endpoint",
		"Add gift card balance endpoint",
		"Move session storage from Memcached to Redis",
		"Validate EAN barcodes on product import",
		"Send order confirmation emails through the queue",
		"Fix timezone bug in the daily sales report",
		"Add a read replica for reporting queries",
		"Make the price service return money as integer cents",
		"Handle PayPal disputes webhook",
		"Split the monolith's customer module into its own package",
		"Add per-tenant rate limits to the public API",
		"Fix duplicate shipments when the carrier API times out",
		"Store product images in S3 with content hashes",
		"Add health checks for the payment provider",
		"Encrypt customer addresses at rest",
		"Fix flaky TestCheckoutConcurrentCoupons",
		"Upgrade to Go 1.26",
	}
	frontendTitles = []string{
		"Redesign the mini-cart drawer",
		"Fix focus trap in the address form modal",
		"Lazy-load product images below the fold",
		"Add skeleton loaders to the order history page",
		"Migrate the checkout form to React Hook Form",
		"Show delivery estimates on the product page",
		"Fix CLS caused by the promo banner",
		"Add Apple Pay button to the payment step",
		"Remember the last used shipping address",
		"Fix price formatting for the Swiss locale",
		"Add size guide dialog to apparel products",
		"Prefetch category pages on hover",
		"Replace moment.js with date-fns",
		"Fix infinite scroll duplicating search results",
		"Add product comparison view",
		"Show stock warnings when fewer than 5 items are left",
		"Improve colour contrast of secondary buttons",
		"Add Storybook stories for form components",
		"Fix double submit on the place-order button",
		"Render wishlist on the server",
		"Support gift messages at checkout",
		"Fix hydration mismatch on the account page",
		"Add breadcrumbs to category pages",
		"Track add-to-cart events in analytics",
		"Upgrade to Next.js 14 app router for the blog",
		"Fix mobile menu not closing after navigation",
		"Add reduced-motion support to carousels",
		"Show saved cards in the payment step",
		"Fix coupon field losing focus on error",
		"Translate checkout into French and German",
	}
	backendParts = []string{
		"checkout API", "order service", "inventory sync", "payment webhooks",
		"search indexer", "shipping-rates client", "coupon engine", "customer accounts",
		"email notifier", "tax calculation", "admin API", "catalogue import",
	}
	backendActions = []string{
		"Add retries to the %s", "Fix flaky tests in the %s", "Add metrics to the %s",
		"Refactor error handling in the %s", "Speed up the %s", "Log request IDs in the %s",
		"Remove dead code from the %s", "Add pagination to the %s", "Validate input in the %s",
		"Document the %s", "Add integration tests for the %s", "Tighten timeouts in the %s",
	}
	frontendParts = []string{
		"product page", "mini-cart", "checkout form", "search results", "account settings page",
		"order history", "wishlist", "header navigation", "promo banner", "size picker",
		"address form", "payment step",
	}
	frontendActions = []string{
		"Fix layout shift on the %s", "Improve accessibility of the %s", "Add loading states to the %s",
		"Fix Safari rendering of the %s", "Add dark-mode styles to the %s", "Convert the %s to TypeScript",
		"Reduce bundle size of the %s", "Add Playwright tests for the %s", "Track analytics events on the %s",
		"Localise the %s", "Fix keyboard navigation in the %s", "Split the %s into smaller components",
	}
)

// title returns an unused title for a pull request in area.
func (g *gen) title(area string) string {
	titles, parts, actions := backendTitles, backendParts, backendActions
	if area == Frontend {
		titles, parts, actions = frontendTitles, frontendParts, frontendActions
	}
	for {
		t := titles[g.r.IntN(len(titles))]
		if g.chance(0.6) {
			t = fmt.Sprintf(actions[g.r.IntN(len(actions))], parts[g.r.IntN(len(parts))])
		}
		if !g.used[t] {
			g.used[t] = true
			return t
		}
	}
}

// ---------------------------------------------------------------------------
// Hand-written pull requests: the cases a demo must show whatever the dice say.

func at(s string) time.Time {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		panic(err)
	}
	return t
}

func (g *gen) scenarios() []*build {
	u := func(login string) *kpi.Actor { return g.person(login).actor() }
	pr := func(author, created, title string, draft bool, labels ...string) *build {
		g.used[title] = true
		return &build{createdDraft: draft, pr: kpi.PullRequest{
			Repository: Repository, Title: title, Author: *u(author), CreatedAt: at(created), Labels: labels,
		}}
	}
	var out []*build

	// Open for two months: one reviewer never answered despite two nudges.
	b := pr("jonas-b", "2026-09-23T09:41:12Z", "Replace the legacy tax calculation client with the TaxJar v2 SDK", false, "backend")
	b.add(
		requested(at("2026-09-23T09:42:03Z"), u("chen-wei")),
		requested(at("2026-09-23T09:42:03Z"), u("dmitri-v")),
		reviewed(at("2026-09-24T14:18:40Z"), u("chen-wei"), changesRequested),
		reviewed(at("2026-09-28T10:02:51Z"), u("jonas-b"), commented),
		requested(at("2026-09-29T11:05:22Z"), u("chen-wei")),
		reviewed(at("2026-09-30T16:47:09Z"), u("chen-wei"), approved),
		requested(at("2026-10-07T10:12:55Z"), u("dmitri-v")),
		requested(at("2026-10-21T09:30:00Z"), u("dmitri-v")),
	)
	out = append(out, b)

	// A title that breaks Markdown tables unless escaped; a team request
	// waiting almost two weeks.
	b = pr("elena-r", "2026-11-12T15:20:44Z", "Fix product names with `|` pipes and <b>bold</b> tags breaking the cart table", false, "frontend", "bug")
	b.add(
		requested(at("2026-11-12T15:21:30Z"), teamActor(Backend)),
		requested(at("2026-11-12T15:21:30Z"), u("grace-h")),
		reviewed(at("2026-11-12T17:02:11Z"), u("grace-h"), approved),
		requested(at("2026-11-17T10:00:05Z"), teamActor(Backend)),
	)
	out = append(out, b)

	// Waiting nine days, with a spell back in draft and a nudge.
	b = pr("farid-h", "2026-11-16T13:05:10Z", "Expose stock levels per warehouse in the product API", false, "backend", "enhancement")
	b.add(
		requested(at("2026-11-16T13:06:00Z"), u("isabel-m")),
		requested(at("2026-11-16T13:06:00Z"), copilot()),
		reviewed(at("2026-11-16T13:08:41Z"), copilot(), commented),
		event(kpi.ConvertedToDraft, at("2026-11-17T09:15:27Z")),
		event(kpi.ReadyForReview, at("2026-11-17T16:40:03Z")),
		requested(at("2026-11-20T11:02:38Z"), u("isabel-m")),
	)
	out = append(out, b)

	// Still a draft: the request made on it has not started its clock.
	b = pr("hiro-t", "2026-11-19T10:30:00Z", "Prototype a one-page checkout behind a feature flag", true, "frontend")
	b.add(requested(at("2026-11-19T10:31:12Z"), u("ben-k")))
	out = append(out, b)

	// A request for a team the token cannot see.
	b = pr("kate-l", "2026-11-18T08:55:31Z", "Rotate the payment provider API keys through Vault", false, "backend")
	b.add(
		requested(at("2026-11-18T08:56:02Z"), nil),
		requested(at("2026-11-18T08:56:02Z"), u("amara-okafor")),
		reviewed(at("2026-11-18T14:22:10Z"), u("amara-okafor"), approved),
	)
	out = append(out, b)

	// Closed by mistake and reopened: the requests start again.
	b = pr("amara-okafor", "2026-08-11T10:02:00Z", "Add a circuit breaker around the shipping-rates provider", false, "backend")
	b.add(
		requested(at("2026-08-11T10:02:40Z"), u("chen-wei")),
		requested(at("2026-08-11T10:02:40Z"), u("farid-h")),
		event(kpi.Closed, at("2026-08-11T16:30:12Z")),
		event(kpi.Reopened, at("2026-08-12T09:15:00Z")),
		reviewed(at("2026-08-12T11:40:00Z"), u("farid-h"), approved),
		reviewed(at("2026-08-12T15:02:33Z"), u("chen-wei"), commented),
	)
	b.merge(at("2026-08-12T16:10:00Z"))
	out = append(out, b)

	// A team request answered by a member who did not say it was for the
	// team, and the request of a reviewer removed before answering.
	b = pr("ben-k", "2026-10-06T11:20:00Z", "Show the loyalty points balance in the header", false, "frontend", "enhancement")
	b.add(
		requested(at("2026-10-06T11:20:41Z"), teamActor(Frontend)),
		requested(at("2026-10-06T11:20:41Z"), u("dmitri-v")),
		removed(at("2026-10-07T09:03:15Z"), u("dmitri-v")),
		requested(at("2026-10-07T09:03:15Z"), u("chen-wei")),
		reviewed(at("2026-10-07T10:48:02Z"), u("chen-wei"), approved),
		reviewed(at("2026-10-07T13:12:44Z"), u("elena-r"), approved),
	)
	b.merge(at("2026-10-07T14:01:09Z"))
	out = append(out, b)
	return out
}
