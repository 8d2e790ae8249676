package sentryfake

import (
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
)

// ingestionDelay is how long after a bucket's end Sentry still calls it
// incomplete (INGESTION_DELAY in Sentry's timeseries endpoint).
const ingestionDelay = 90 * time.Second

const day = 24 * time.Hour

// params checks r's query parameters: every name of need is present
// (with exactly the given value, unless that is ""), and every name is in
// need or allow. A violation fails the test and answers 400.
func (s *Server) params(w http.ResponseWriter, r *http.Request, need map[string]string, allow ...string) (url.Values, bool) {
	q := r.URL.Query()
	for name, want := range need {
		got, ok := q[name]
		if !ok || len(got) == 0 || got[0] == "" {
			s.tb.Errorf("sentryfake: %s: required parameter %q missing (query %q)", r.URL.Path, name, r.URL.RawQuery)
			writeDetail(w, http.StatusBadRequest, name+" is required")
			return nil, false
		}
		if want != "" && (len(got) != 1 || got[0] != want) {
			s.tb.Errorf("sentryfake: %s: parameter %s=%q, the fake serves only %s=%q", r.URL.Path, name, got, name, want)
			writeDetail(w, http.StatusBadRequest, "unsupported "+name)
			return nil, false
		}
	}
	for name := range q {
		if _, ok := need[name]; !ok && !slices.Contains(allow, name) {
			s.tb.Errorf("sentryfake: %s: unexpected parameter %q", r.URL.Path, name)
			writeDetail(w, http.StatusBadRequest, "unexpected parameter "+name)
			return nil, false
		}
	}
	return q, true
}

// dateRange reads start and end, which must be UTC midnights: the fake
// serves whole days only.
func (s *Server) dateRange(w http.ResponseWriter, r *http.Request, q url.Values) (start, end time.Time, ok bool) {
	if _, has := q["statsPeriod"]; has {
		s.tb.Errorf("sentryfake: %s: statsPeriod is rounded by Sentry; send start and end at UTC midnights", r.URL.Path)
		writeDetail(w, http.StatusBadRequest, "statsPeriod not served")
		return start, end, false
	}
	var err error
	if start, err = parseSentryTime(q.Get("start")); err == nil {
		end, err = parseSentryTime(q.Get("end"))
	}
	if err != nil {
		writeDetail(w, http.StatusBadRequest, "Invalid date range: "+err.Error())
		return start, end, false
	}
	if !start.Before(end) {
		writeDetail(w, http.StatusBadRequest, "Invalid date range: start must be before end")
		return start, end, false
	}
	if !start.Equal(start.Truncate(day)) || !end.Equal(end.Truncate(day)) {
		s.tb.Errorf("sentryfake: %s: start %s and end %s are not UTC midnights", r.URL.Path, q.Get("start"), q.Get("end"))
		writeDetail(w, http.StatusBadRequest, "the fake serves whole UTC days only")
		return start, end, false
	}
	return start, end, true
}

// parseSentryTime reads an ISO 8601 time as Sentry does: a trailing Z or
// +00:00 is dropped, the rest is read as UTC.
func parseSentryTime(v string) (time.Time, error) {
	v = strings.TrimSuffix(strings.TrimSuffix(v, "Z"), "+00:00")
	for _, layout := range []string{"2006-01-02T15:04:05.999999", "2006-01-02T15:04:05", time.DateOnly} {
		if t, err := time.Parse(layout, v); err == nil {
			return t.UTC(), nil
		}
	}
	return time.Time{}, fmt.Errorf("%q is not a valid ISO8601 date query", v)
}

// selectedProjects reads the project parameters: numeric ids, or -1 (or
// none) for every project. A slug fails the test (the client must
// resolve slugs to ids); an id the organization lacks answers 403, as
// Sentry's get_projects does.
func (s *Server) selectedProjects(w http.ResponseWriter, r *http.Request, q url.Values) ([]Project, bool) {
	s.mu.Lock()
	all := slices.Clone(s.projects)
	s.mu.Unlock()
	vals := q["project"]
	if len(vals) == 0 || (len(vals) == 1 && vals[0] == "-1") {
		return all, true
	}
	var out []Project
	for _, v := range vals {
		id, err := strconv.ParseInt(v, 10, 64)
		if err != nil || id <= 0 {
			s.tb.Errorf("sentryfake: %s: project=%q is not a numeric id; resolve slugs first", r.URL.Path, v)
			writeDetail(w, http.StatusBadRequest, "Invalid project ids")
			return nil, false
		}
		i := slices.IndexFunc(all, func(p Project) bool { return p.ID == id })
		if i < 0 {
			writeDetail(w, http.StatusForbidden, "You do not have permission to perform this action.")
			return nil, false
		}
		out = append(out, all[i])
	}
	return out, true
}

// dayEvents is the events of project p on date in the environments envs
// (none: every environment).
func (s *Server) dayEvents(p int64, date string, envs []string) int64 {
	var n int64
	for env, perDay := range s.events[p] {
		if len(envs) > 0 && !slices.Contains(envs, env) {
			continue
		}
		n += perDay[date]
	}
	return n
}

func (s *Server) days(start, end time.Time) []time.Time {
	var out []time.Time
	for d := start; d.Before(end); d = d.Add(day) {
		if !s.omit[d.Format(time.DateOnly)] {
			out = append(out, d)
		}
	}
	return out
}

// outsideRetentionDetail is Sentry's answer to a range that ends before
// the retention limit (QueryOutsideRetentionError through
// handle_query_errors in src/sentry/api/utils.py).
const outsideRetentionDetail = "Invalid date range. Please try a more recent date range."

// multiProjectDetail is Sentry's answer to a query over several projects
// without the organizations:global-views feature.
const multiProjectDetail = "You cannot view events from multiple projects."

// kept scales n, the count of the day that starts at d, to what a store
// keeping data back to limit still counts: all of it after the limit,
// none before, and the share of the day after the limit on the day the
// limit falls in (rounded down).
func kept(n int64, d, limit time.Time) int64 {
	switch {
	case !d.Before(limit):
		return n
	case !d.Add(day).After(limit):
		return 0
	default:
		return int64(float64(n) * float64(d.Add(day).Sub(limit)) / float64(day))
	}
}

// eventsLimit is the retention limit of error events now (the zero time
// when they are kept forever), and whether the range [start, end) ends
// before it, which Sentry refuses.
func (s *Server) eventsLimit(end time.Time) (limit time.Time, refused bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.retention <= 0 {
		return time.Time{}, false
	}
	limit = s.clock().Add(-s.retention)
	return limit, limit.After(end)
}

// refuseMultiProject answers 400 when the organization lacks global views
// and more than one project is selected.
func (s *Server) refuseMultiProject(w http.ResponseWriter, projects []Project) bool {
	s.mu.Lock()
	no := s.noGlobalViews
	s.mu.Unlock()
	if no && len(projects) > 1 {
		writeDetail(w, http.StatusBadRequest, multiProjectDetail)
		return true
	}
	return false
}

var eventsNeed = map[string]string{"dataset": "errors", "yAxis": "count()", "interval": "1d", "start": "", "end": ""}

// eventsReq is an events request, checked.
type eventsReq struct {
	q          url.Values
	start, end time.Time
	projects   []Project
	limit      time.Time
}

// eventsQuery is what both events endpoints check first, answering the
// error Sentry would when a check fails (the status is then not 200): the
// parameters, the date range, the projects, the multi-project feature and
// the retention.
func (s *Server) eventsQuery(w http.ResponseWriter, r *http.Request, extra ...string) (eventsReq, int) {
	var e eventsReq
	q, ok := s.params(w, r, eventsNeed, append([]string{"project", "environment", "query", "referrer"}, extra...)...)
	if !ok {
		return e, http.StatusBadRequest
	}
	e.q = q
	if e.start, e.end, ok = s.dateRange(w, r, q); !ok {
		return e, http.StatusBadRequest
	}
	if e.projects, ok = s.selectedProjects(w, r, q); !ok {
		return e, statusOf(w)
	}
	if s.refuseMultiProject(w, e.projects) {
		return e, http.StatusBadRequest
	}
	limit, refused := s.eventsLimit(e.end)
	if refused {
		return e, writeDetail(w, http.StatusBadRequest, outsideRetentionDetail)
	}
	e.limit = limit
	return e, http.StatusOK
}

func (s *Server) serveTimeseries(w http.ResponseWriter, r *http.Request) int {
	e, status := s.eventsQuery(w, r)
	if status != http.StatusOK {
		return status
	}
	q, start, end, projects, limit := e.q, e.start, e.end, e.projects, e.limit
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.clock()
	groups := [][]Project{projects}
	if s.seriesPerProj {
		groups = nil
		for _, p := range projects {
			groups = append(groups, []Project{p})
		}
	}
	series := []map[string]any{}
	for _, g := range groups {
		values := []map[string]any{}
		for _, d := range s.days(start, end) {
			var n int64
			for _, p := range g {
				n += s.dayEvents(p.ID, d.Format(time.DateOnly), q["environment"])
			}
			n = kept(n, d, limit)
			v := map[string]any{"timestamp": d.UnixMilli(), "value": n, "incomplete": false}
			if d.Add(day).After(now.Add(-ingestionDelay)) {
				v["incomplete"] = true
				v["incompleteReason"] = "INCOMPLETE_BUCKET"
			}
			values = append(values, v)
		}
		ts := map[string]any{
			"values": values,
			"yAxis":  "count()",
			"meta":   map[string]any{"valueType": "integer", "valueUnit": nil, "interval": day.Milliseconds()},
		}
		if s.seriesPerProj {
			ts["groupBy"] = []map[string]string{{"key": "project", "value": g[0].Slug}}
		}
		series = append(series, ts)
	}
	writeJSON(w, http.StatusOK, map[string]any{
		"timeSeries": series,
		"meta":       map[string]any{"dataset": "errors", "start": start.UnixMilli(), "end": end.UnixMilli()},
	})
	return http.StatusOK
}

func (s *Server) serveEventsStats(w http.ResponseWriter, r *http.Request) int {
	e, status := s.eventsQuery(w, r, "partial")
	if status != http.StatusOK {
		return status
	}
	q, start, end, projects, limit := e.q, e.start, e.end, e.projects, e.limit
	s.mu.Lock()
	defer s.mu.Unlock()
	data := []any{}
	for _, d := range s.days(start, end) {
		bucket := []map[string]int64{}
		var total int64
		for _, p := range projects {
			n := kept(s.dayEvents(p.ID, d.Format(time.DateOnly), q["environment"]), d, limit)
			total += n
			if s.seriesPerProj {
				bucket = append(bucket, map[string]int64{"count": n})
			}
		}
		if !s.seriesPerProj {
			bucket = append(bucket, map[string]int64{"count": total})
		}
		if s.emptyBuckets && total == 0 {
			bucket = []map[string]int64{}
		}
		data = append(data, []any{d.Unix(), bucket})
	}
	writeJSON(w, http.StatusOK, map[string]any{
		"data":          data,
		"start":         start.Unix(),
		"end":           end.Unix(),
		"isMetricsData": false,
		"meta": map[string]any{
			"fields":                 map[string]string{"count": "integer"},
			"units":                  map[string]any{"count": nil},
			"isMetricsData":          false,
			"isMetricsExtractedData": false,
			"tips":                   map[string]any{},
			"datasetReason":          "unchanged",
			"dataset":                "errors",
		},
	})
	return http.StatusOK
}

func (s *Server) serveSessions(w http.ResponseWriter, r *http.Request) int {
	q, ok := s.params(w, r, map[string]string{"field": "count_unique(user)", "interval": "1d", "start": "", "end": ""},
		"project", "environment", "query", "includeTotals", "includeSeries", "per_page")
	if !ok {
		return http.StatusBadRequest
	}
	start, end, ok := s.dateRange(w, r, q)
	if !ok {
		return http.StatusBadRequest
	}
	if _, ok := s.selectedProjects(w, r, q); !ok {
		return statusOf(w)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	var limit time.Time
	if s.sessionsKept > 0 {
		limit = s.clock().Add(-s.sessionsKept)
	}
	intervals := []string{}
	series := []int64{}
	var most int64
	for _, d := range s.days(start, end) {
		intervals = append(intervals, d.Format(time.RFC3339))
		n := kept(s.users[d.Format(time.DateOnly)], d, limit)
		series = append(series, n)
		most = max(most, n)
	}
	groups := []any{}
	if len(s.users) > 0 {
		// Totals are the distinct users of the whole range, which the
		// fake cannot know: it reports the busiest day's, a lower bound.
		groups = append(groups, map[string]any{
			"by":     map[string]any{},
			"totals": map[string]int64{"count_unique(user)": most},
			"series": map[string][]int64{"count_unique(user)": series},
		})
	}
	writeJSON(w, http.StatusOK, map[string]any{
		"start":     start.Format(time.RFC3339),
		"end":       end.Format(time.RFC3339),
		"intervals": intervals,
		"groups":    groups,
		"query":     q.Get("query"),
	})
	return http.StatusOK
}

func (s *Server) serveProjects(w http.ResponseWriter, r *http.Request) int {
	q, ok := s.params(w, r, nil, "per_page", "cursor", "query")
	if !ok {
		return http.StatusBadRequest
	}
	offset, limit, ok := s.page(w, r, q, "per_page")
	if !ok {
		return http.StatusBadRequest
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	items := []any{}
	end := min(offset+limit, len(s.projects))
	for _, p := range s.projects[min(offset, end):end] {
		name := p.Name
		if name == "" {
			name = p.Slug
		}
		items = append(items, map[string]any{
			"id":           strconv.FormatInt(p.ID, 10),
			"slug":         p.Slug,
			"name":         name,
			"platform":     "python",
			"dateCreated":  "2024-01-29T07:30:00.000000Z",
			"isBookmarked": false,
			"isMember":     true,
			"hasAccess":    true,
			"firstEvent":   nil,
			"features":     []string{"releases"},
			"environments": []string{"production"},
			"teams":        []any{},
		})
	}
	w.Header().Set("Link", linkHeader(r, offset, limit, len(s.projects)))
	writeJSON(w, http.StatusOK, items)
	return http.StatusOK
}

func (s *Server) serveIssues(w http.ResponseWriter, r *http.Request) int {
	q, ok := s.params(w, r, map[string]string{"query": "", "statsPeriod": ""},
		"project", "environment", "limit", "cursor", "collapse", "sort", "expand", "shortIdLookup", "groupStatsPeriod")
	if !ok {
		return http.StatusBadRequest
	}
	period, err := parsePeriod(q.Get("statsPeriod"))
	if err != nil {
		writeDetail(w, http.StatusBadRequest, "Invalid date range: "+err.Error())
		return http.StatusBadRequest
	}
	projects, ok := s.selectedProjects(w, r, q)
	if !ok {
		return statusOf(w)
	}
	offset, limit, ok := s.page(w, r, q, "limit")
	if !ok {
		return http.StatusBadRequest
	}
	statuses := map[string]bool{}
	for _, tok := range strings.Fields(q.Get("query")) {
		if st, ok := strings.CutPrefix(tok, "is:"); ok {
			statuses[st] = true
		}
	}
	envs := q["environment"]
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.clock()
	var matched []Issue
	for _, is := range s.issues {
		status := is.Status
		if status == "" {
			status = "unresolved"
		}
		last := is.LastSeen
		if last.IsZero() {
			last = now
		}
		switch {
		case len(statuses) > 0 && !statuses[status]:
		case !slices.ContainsFunc(projects, func(p Project) bool { return p.ID == is.ProjectID }):
		case len(envs) > 0 && !slices.Contains(envs, is.Environment):
		case last.Before(now.Add(-period)) || last.After(now):
		default:
			matched = append(matched, is)
		}
	}
	items := []any{}
	end := min(offset+limit, len(matched))
	for _, is := range matched[min(offset, end):end] {
		items = append(items, s.issueJSON(is, now))
	}
	w.Header().Set("Link", linkHeader(r, offset, limit, len(matched)))
	w.Header().Set("X-Hits", strconv.Itoa(len(matched)))
	w.Header().Set("X-Max-Hits", "1000")
	writeJSON(w, http.StatusOK, items)
	return http.StatusOK
}

func (s *Server) issueJSON(is Issue, now time.Time) map[string]any {
	var proj Project
	if i := slices.IndexFunc(s.projects, func(p Project) bool { return p.ID == is.ProjectID }); i >= 0 {
		proj = s.projects[i]
	}
	status := is.Status
	if status == "" {
		status = "unresolved"
	}
	last := is.LastSeen
	if last.IsZero() {
		last = now
	}
	title := is.Title
	if title == "" {
		title = fmt.Sprintf("ValueError: example %d", is.ID)
	}
	shortID := fmt.Sprintf("%s-%d", strings.ToUpper(proj.Slug), is.ID)
	return map[string]any{
		"annotations":  []any{},
		"assignedTo":   nil,
		"count":        "1",
		"culprit":      "app.main in handler",
		"firstSeen":    last.Format("2006-01-02T15:04:05Z"),
		"hasSeen":      false,
		"id":           strconv.FormatInt(is.ID, 10),
		"isBookmarked": false,
		"isPublic":     false,
		"isSubscribed": false,
		"lastSeen":     last.Format("2006-01-02T15:04:05Z"),
		"level":        "error",
		"logger":       nil,
		"metadata":     map[string]string{"title": title},
		"numComments":  0,
		"permalink":    fmt.Sprintf("https://sentry.example/organizations/%s/issues/%d/", s.org, is.ID),
		"project": map[string]string{
			"id":       strconv.FormatInt(proj.ID, 10),
			"name":     proj.Slug,
			"slug":     proj.Slug,
			"platform": "python",
		},
		"shareId":       nil,
		"shortId":       shortID,
		"status":        status,
		"statusDetails": map[string]any{},
		"title":         title,
		"type":          "error",
		"userCount":     1,
		"priority":      "medium",
		"platform":      "python",
		"issueCategory": "error",
		"issueType":     "error",
	}
}

// page reads the cursor (Sentry's "value:offset:is_prev") and the page
// size parameter, capped at the fake's page size.
func (s *Server) page(w http.ResponseWriter, r *http.Request, q url.Values, sizeParam string) (offset, limit int, ok bool) {
	s.mu.Lock()
	limit = s.pageSize
	s.mu.Unlock()
	if v := q.Get(sizeParam); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			writeDetail(w, http.StatusBadRequest, "Invalid "+sizeParam)
			return 0, 0, false
		}
		limit = min(limit, n, 100)
	}
	if c := q.Get("cursor"); c != "" {
		parts := strings.Split(c, ":")
		var err error
		if len(parts) == 3 {
			offset, err = strconv.Atoi(parts[1])
		}
		if len(parts) != 3 || err != nil || offset < 0 || parts[0] != "0" || parts[2] != "0" {
			s.tb.Errorf("sentryfake: %s: cursor %q is not one the fake gave", r.URL.Path, c)
			writeDetail(w, http.StatusBadRequest, "Invalid cursor parameter.")
			return 0, 0, false
		}
	}
	return offset, limit, true
}

// linkHeader is Sentry's pagination header (CURSOR_LINK_HEADER): a
// previous and a next link, each with results="true|false" and the
// cursor both in the URL and as a parameter.
func linkHeader(r *http.Request, offset, limit, total int) string {
	q := r.URL.Query()
	q.Del("cursor")
	base := "http://" + r.Host + r.URL.Path + "?" + q.Encode()
	prev := fmt.Sprintf("0:%d:1", offset)
	next := fmt.Sprintf("0:%d:0", offset+limit)
	return fmt.Sprintf(`<%s&cursor=%s>; rel="previous"; results="%t"; cursor="%s", <%s&cursor=%s>; rel="next"; results="%t"; cursor="%s"`,
		base, prev, offset > 0, prev, base, next, offset+limit < total, next)
}

// parsePeriod reads a statsPeriod such as "14d" or "24h".
func parsePeriod(v string) (time.Duration, error) {
	if len(v) < 2 {
		return 0, fmt.Errorf("invalid statsPeriod %q", v)
	}
	n, err := strconv.Atoi(v[:len(v)-1])
	if err != nil || n < 1 {
		return 0, fmt.Errorf("invalid statsPeriod %q", v)
	}
	unit := map[byte]time.Duration{'s': time.Second, 'm': time.Minute, 'h': time.Hour, 'd': day, 'w': 7 * day}[v[len(v)-1]]
	if unit == 0 {
		return 0, fmt.Errorf("invalid statsPeriod %q", v)
	}
	return time.Duration(n) * unit, nil
}

// statusOf recovers the status a helper already wrote.
func statusOf(w http.ResponseWriter) int {
	if sw, ok := w.(*statusWriter); ok {
		return sw.status
	}
	return http.StatusBadRequest
}

// statusWriter remembers the status written through it.
type statusWriter struct {
	http.ResponseWriter
	status int
}

func (w *statusWriter) WriteHeader(code int) {
	w.status = code
	w.ResponseWriter.WriteHeader(code)
}
