package history

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"path"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/engineering-kpis/engineering-kpis/internal/kpi"
)

// A history of schema 2 is a small index and parts beside it, all paths
// relative to the index's directory (the output directory):
//
//	history.json                        the index: the parts there are, each
//	                                    repository's dates, settings and
//	                                    metrics, the recent figures
//	                                    (RecentDays), the incremental state
//	history/YYYY-MM/YYYY-MM-DD.json     every snapshot of one UTC date
//	history/YYYY-MM/sentry-days.json    the daily Sentry figures of a month
//
// A daily run rewrites the index, its date's part and the Sentry months it
// refetched, whatever the history's age; readers take the recent figures
// from the index and load a part only for what lies outside them.

// RecentDays is how many days, up to the latest date, the index holds the
// figures of: every chart, delta and quarter baseline of a daily run
// reads them there.
const RecentDays = 200

// PartsDir is the directory of the parts, beside the index.
const PartsDir = "history"

// Layout describes the parts; it is written into the index for people and
// scripts that find the file without this documentation.
const Layout = "history/YYYY-MM/YYYY-MM-DD.json holds every snapshot of a date; history/YYYY-MM/sentry-days.json the daily Sentry figures of a month; this index lists them (days, sentry_months) and holds the last 200 days' figures (recent)"

// DayPath is the path, relative to the index, of the part of date.
func DayPath(date string) string { return path.Join(PartsDir, date[:7], date+".json") }

// SentryPath is the path, relative to the index, of month's Sentry part.
func SentryPath(month string) string { return path.Join(PartsDir, month, "sentry-days.json") }

// Tree is a history split into an index and parts, with the parts loaded
// so far. Queries see the index's recent figures and the loaded parts;
// changes need the parts they touch loaded first (Paths, Load).
type Tree struct {
	doc          *History // loaded snapshots and Sentry days; the index's other sections
	days         map[string]bool
	months       map[string]bool
	loadedDays   map[string]bool
	loadedMonths map[string]bool
	partExtra    map[string]map[string]json.RawMessage
	repos        map[string]*repoInfo
	recent       []*series
	recentFrom   string
	migrated     bool
}

// repoInfo is what the index says of one repository.
type repoInfo struct {
	First    string   `json:"first"`
	Last     string   `json:"last"`
	Settings []string `json:"settings"`
	Metrics  []string `json:"metrics"`
}

// series is the recent figures of one repository under one settings key.
type series struct {
	Repository string                `json:"repository"`
	Settings   string                `json:"settings"`
	Dates      []string              `json:"dates"`
	Metrics    map[string][]*float64 `json:"metrics"`
	// Incomplete lists, per metric, the dates it was incomplete.
	Incomplete map[string][]string `json:"incomplete,omitempty"`
}

// indexSections are the index's sections this version interprets.
var indexSections = []string{"layout", "days", "sentry_months", "repositories", "recent"}

// NewTree returns an empty history.
func NewTree() *Tree {
	return &Tree{doc: New(), days: map[string]bool{}, months: map[string]bool{}, loadedDays: map[string]bool{},
		loadedMonths: map[string]bool{}, partExtra: map[string]map[string]json.RawMessage{}, repos: map[string]*repoInfo{}}
}

// OpenTree reads an index. A schema-1 history (everything in one file) is
// read whole and migrated: every part counts as loaded, and Files writes
// them all. A file that is not a valid history fails; it must then never
// be overwritten.
func OpenTree(index []byte) (*Tree, error) {
	doc, err := Parse(index)
	if err != nil {
		return nil, err
	}
	t := NewTree()
	if doc.Schema == 1 {
		t.doc, t.migrated = doc, true
		t.doc.Schema = SchemaVersion
		for _, e := range doc.Snapshots {
			t.days[e.Date], t.loadedDays[e.Date] = true, true
		}
		for _, d := range doc.Daily {
			t.months[d.Date[:7]], t.loadedMonths[d.Date[:7]] = true, true
		}
		return t, nil
	}
	if len(doc.Snapshots) > 0 || len(doc.Daily) > 0 {
		return nil, errors.New("a schema-2 index holds no snapshots or sentry_days: they belong in the parts")
	}
	sections := map[string]any{"days": new(map[string][]int), "sentry_months": &[]string{}, "repositories": &t.repos, "recent": new(json.RawMessage)}
	for name, dst := range sections {
		raw, ok := doc.extra[name]
		if !ok {
			continue
		}
		if err := json.Unmarshal(raw, dst); err != nil {
			return nil, fmt.Errorf("index section %q: %w", name, err)
		}
	}
	for month, ds := range *sections["days"].(*map[string][]int) {
		for _, d := range ds {
			date := fmt.Sprintf("%s-%02d", month, d)
			if _, err := parseDate(date); err != nil {
				return nil, fmt.Errorf("index section \"days\": %s has no day %d", month, d)
			}
			t.days[date] = true
		}
	}
	for _, m := range *sections["sentry_months"].(*[]string) {
		if _, err := time.Parse("2006-01", m); err != nil {
			return nil, fmt.Errorf("index section \"sentry_months\": %q is not a YYYY-MM month", m)
		}
		t.months[m] = true
	}
	if t.repos == nil {
		t.repos = map[string]*repoInfo{}
	}
	if raw := *sections["recent"].(*json.RawMessage); raw != nil {
		var rec struct {
			From   string    `json:"from"`
			Series []*series `json:"series"`
		}
		if err := json.Unmarshal(raw, &rec); err != nil {
			return nil, fmt.Errorf("index section \"recent\": %w", err)
		}
		for _, s := range rec.Series {
			for name, vs := range s.Metrics {
				if len(vs) != len(s.Dates) {
					return nil, fmt.Errorf("index section \"recent\": %s %s has %d dates and %d values of %s", s.Repository, s.Settings, len(s.Dates), len(vs), name)
				}
			}
		}
		t.recent, t.recentFrom = rec.Series, rec.From
	}
	for _, name := range indexSections {
		delete(doc.extra, name)
	}
	t.doc = doc
	return t, nil
}

// Migrated reports whether the history was read in schema 1.
func (t *Tree) Migrated() bool { return t.migrated }

// Paths lists the parts to load, not loaded yet: the days from..to
// (inclusive, "YYYY-MM-DD") that the index's recent figures do not cover,
// the Sentry months of monthFrom..to, and the days of dates whatever the
// recent figures hold (to change them). Parts that do not exist are left
// out.
func (t *Tree) Paths(from, monthFrom, to string, dates ...string) []string {
	var out []string
	want := map[string]bool{}
	for _, d := range dates {
		want[d] = true
	}
	for d := range t.days {
		if (d >= from && d <= to && (t.recentFrom == "" || d < t.recentFrom)) || want[d] {
			if !t.loadedDays[d] {
				out = append(out, DayPath(d))
			}
		}
	}
	for m := range t.months {
		if m >= monthFrom[:7] && m <= to[:7] && !t.loadedMonths[m] {
			out = append(out, SentryPath(m))
		}
	}
	sort.Strings(out)
	return out
}

// Load adds parts read (path relative to the index → contents). A part
// that is not valid fails the load, naming it.
func (t *Tree) Load(files map[string][]byte) error {
	for _, p := range slices.Sorted(maps.Keys(files)) {
		part, err := Parse(files[p])
		if err != nil {
			return fmt.Errorf("%s: %w", p, err)
		}
		base := strings.TrimSuffix(path.Base(p), ".json")
		switch {
		case path.Base(p) == "sentry-days.json":
			month := path.Base(path.Dir(p))
			for _, d := range part.Daily {
				if d.Date[:7] != month {
					return fmt.Errorf("%s: day %s is not in %s", p, d.Date, month)
				}
			}
			if len(part.Snapshots) > 0 {
				return fmt.Errorf("%s: a Sentry part holds no snapshots", p)
			}
			t.doc.Daily = append(t.doc.Daily, part.Daily...)
			t.doc.SetDaily(nil)
			t.loadedMonths[month], t.months[month] = true, true
		default:
			if _, err := parseDate(base); err != nil || p != DayPath(base) {
				return fmt.Errorf("%s is not a part of the history", p)
			}
			for _, e := range part.Snapshots {
				if e.Date != base {
					return fmt.Errorf("%s: snapshot of %s %s is not of that date", p, e.Repository, e.Date)
				}
			}
			if len(part.Daily) > 0 {
				return fmt.Errorf("%s: a day's part holds no sentry_days", p)
			}
			t.doc.Snapshots = append(t.doc.Snapshots, part.Snapshots...)
			t.doc.sort()
			t.loadedDays[base], t.days[base] = true, true
		}
		if len(part.extra) > 0 {
			t.partExtra[p] = part.extra
		}
	}
	return nil
}

// Files encodes the index and every part loaded or changed, by path
// relative to the index. Unchanged parts come out byte for byte as read.
func (t *Tree) Files(indexName string) (map[string][]byte, error) {
	out := map[string][]byte{}
	byDate := map[string][]Entry{}
	for _, e := range t.doc.Snapshots {
		byDate[e.Date] = append(byDate[e.Date], e)
		t.days[e.Date] = true
	}
	for d := range t.loadedDays {
		p := DayPath(d)
		part := &History{Schema: SchemaVersion, Snapshots: byDate[d], extra: t.partExtra[p]}
		data, err := part.Marshal()
		if err != nil {
			return nil, fmt.Errorf("%s: %w", p, err)
		}
		out[p] = data
	}
	byMonth := map[string][]kpi.ErrorDay{}
	for _, d := range t.doc.Daily {
		byMonth[d.Date[:7]] = append(byMonth[d.Date[:7]], d)
	}
	for m := range t.loadedMonths {
		p := SentryPath(m)
		part := &History{Schema: SchemaVersion, Daily: byMonth[m], extra: t.partExtra[p]}
		data, err := part.Marshal()
		if err != nil {
			return nil, fmt.Errorf("%s: %w", p, err)
		}
		out[p] = data
	}
	index, err := t.marshalIndex()
	if err != nil {
		return nil, fmt.Errorf("%s: %w", indexName, err)
	}
	out[indexName] = index
	return out, nil
}

// latest is the last date of the history.
func (t *Tree) latest() string {
	last := ""
	for d := range t.days {
		last = max(last, d)
	}
	for _, e := range t.doc.Snapshots {
		last = max(last, e.Date)
	}
	return last
}

func (t *Tree) refresh() {
	for _, e := range t.doc.Snapshots {
		t.days[e.Date] = true
		r := t.repos[e.Repository]
		if r == nil {
			r = &repoInfo{First: e.Date, Last: e.Date}
			t.repos[e.Repository] = r
		}
		r.First, r.Last = min(r.First, e.Date), max(r.Last, e.Date)
		if k := e.SettingsKey(); !slices.Contains(r.Settings, k) {
			r.Settings = append(r.Settings, k)
			slices.Sort(r.Settings)
		}
		for m := range e.Metrics {
			if !slices.Contains(r.Metrics, m) {
				r.Metrics = append(r.Metrics, m)
				slices.Sort(r.Metrics)
			}
		}
	}
	for _, d := range t.doc.Daily {
		t.months[d.Date[:7]] = true
	}
	last := t.latest()
	if last == "" {
		return
	}
	end, _ := parseDate(last)
	from := end.AddDate(0, 0, -(RecentDays - 1)).Format("2006-01-02")
	type fig struct {
		metrics    kpi.Values
		incomplete []string
	}
	all := map[[2]string]map[string]fig{}
	add := func(repo, key, date string, f fig) {
		k := [2]string{repo, key}
		if all[k] == nil {
			all[k] = map[string]fig{}
		}
		all[k][date] = f
	}
	for _, s := range t.recent {
		for i, d := range s.Dates {
			if d < from || t.loadedDays[d] {
				continue
			}
			f := fig{metrics: kpi.Values{}}
			for name, vs := range s.Metrics {
				if i < len(vs) {
					f.metrics[name] = vs[i]
				}
			}
			for name, ds := range s.Incomplete {
				if slices.Contains(ds, d) {
					f.incomplete = append(f.incomplete, name)
				}
			}
			add(s.Repository, s.Settings, d, f)
		}
	}
	for _, e := range t.doc.Snapshots {
		if e.Date >= from {
			add(e.Repository, e.SettingsKey(), e.Date, fig{metrics: e.Metrics, incomplete: e.Incomplete})
		}
	}
	t.recent, t.recentFrom = nil, from
	for _, k := range slices.SortedFunc(maps.Keys(all), func(a, b [2]string) int {
		return strings.Compare(a[0]+"\x00"+a[1], b[0]+"\x00"+b[1])
	}) {
		figs := all[k]
		s := &series{Repository: k[0], Settings: k[1], Metrics: map[string][]*float64{}}
		s.Dates = slices.Sorted(maps.Keys(figs))
		for i, d := range s.Dates {
			f := figs[d]
			for name, v := range f.metrics {
				if s.Metrics[name] == nil {
					s.Metrics[name] = make([]*float64, len(s.Dates))
				}
				s.Metrics[name][i] = v
			}
			for _, name := range f.incomplete {
				if s.Incomplete == nil {
					s.Incomplete = map[string][]string{}
				}
				s.Incomplete[name] = append(s.Incomplete[name], d)
			}
		}
		t.recent = append(t.recent, s)
	}
}

func (t *Tree) marshalIndex() ([]byte, error) {
	t.refresh()
	var b bytes.Buffer
	fmt.Fprintf(&b, "{\n  \"schema\": %d,\n  \"layout\": %s", SchemaVersion, strconv.Quote(Layout))
	days := map[string][]int{}
	for d := range t.days {
		n, _ := strconv.Atoi(d[8:])
		days[d[:7]] = append(days[d[:7]], n)
	}
	for _, ds := range days {
		slices.Sort(ds)
	}
	field := func(name string, v any) error {
		raw, err := json.Marshal(v)
		if err != nil {
			return err
		}
		b.WriteString(",\n  ")
		return writeField(&b, name, raw, "  ")
	}
	if err := field("days", days); err != nil {
		return nil, err
	}
	if err := field("sentry_months", slices.Sorted(maps.Keys(t.months))); err != nil {
		return nil, err
	}
	if err := field("repositories", t.repos); err != nil {
		return nil, err
	}
	fmt.Fprintf(&b, ",\n  \"recent\": {\n    \"from\": %q,\n    \"series\": [", t.recentFrom)
	for i, s := range t.recent {
		if i > 0 {
			b.WriteString(",")
		}
		raw, err := json.Marshal(s)
		if err != nil {
			return nil, err
		}
		b.WriteString("\n      ")
		if err := writeJSON(&b, raw, "      "); err != nil {
			return nil, err
		}
	}
	if len(t.recent) > 0 {
		b.WriteString("\n    ")
	}
	b.WriteString("]\n  }")
	for _, k := range sortedKeys(t.doc.extra) {
		b.WriteString(",\n  ")
		if err := writeField(&b, k, t.doc.extra[k], "  "); err != nil {
			return nil, err
		}
	}
	b.WriteString("\n}\n")
	return b.Bytes(), nil
}

// Has reports whether the history holds a snapshot of repository computed
// with settings comparable to key ("" takes any).
func (t *Tree) Has(repository, key string) bool {
	t.refresh()
	r := t.repos[repository]
	return r != nil && (key == "" || slices.ContainsFunc(r.Settings, func(k string) bool { return Comparable(k, key) }))
}

// HasMetric reports whether any snapshot of repository records metric.
func (t *Tree) HasMetric(repository, metric string) bool {
	t.refresh()
	r := t.repos[repository]
	return r != nil && slices.Contains(r.Metrics, metric)
}

// SeriesWith returns the figures of repository computed with settings
// comparable to key, one a date (the exact settings first), dates
// ascending: the recent figures and the loaded parts. Entries from the
// recent figures carry metrics and incomplete only.
func (t *Tree) SeriesWith(repository, key string) []Entry {
	var out []Entry
	for _, s := range t.recent {
		if s.Repository != repository || !Comparable(s.Settings, key) {
			continue
		}
		for i, d := range s.Dates {
			if t.loadedDays[d] {
				continue
			}
			e := Entry{Snapshot: kpi.Snapshot{Date: d, Repository: repository, Metrics: kpi.Values{}, Samples: kpi.Samples{}, Incomplete: []string{}}, fixedKey: s.Settings}
			for name, vs := range s.Metrics {
				e.Metrics[name] = vs[i]
			}
			for name, ds := range s.Incomplete {
				if slices.Contains(ds, d) {
					e.Incomplete = append(e.Incomplete, name)
				}
			}
			out = append(out, e)
		}
	}
	out = append(out, t.doc.SeriesWith(repository, key)...)
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].Date != out[j].Date {
			return out[i].Date < out[j].Date
		}
		return out[i].SettingsKey() == key && out[j].SettingsKey() != key
	})
	dedup := out[:0]
	for _, e := range out {
		if n := len(dedup); n > 0 && dedup[n-1].Date == e.Date {
			continue
		}
		dedup = append(dedup, e)
	}
	return dedup
}

// FindWith returns the figures of date and repository computed with
// settings comparable to key.
func (t *Tree) FindWith(date, repository, key string) (Entry, bool) {
	for _, e := range t.SeriesWith(repository, key) {
		if e.Date == date {
			return e, true
		}
	}
	return Entry{}, false
}

// ErrNotLoaded is returned for a change to a part that was not loaded.
var ErrNotLoaded = errors.New("the part was not loaded")

func (t *Tree) needDay(date string) error {
	if t.days[date] && !t.loadedDays[date] {
		return fmt.Errorf("change %s: %w", DayPath(date), ErrNotLoaded)
	}
	t.loadedDays[date] = true
	return nil
}

// UpsertWith records s computed with st at computedAt (see
// History.UpsertWith); the day's part must be loaded.
func (t *Tree) UpsertWith(s kpi.Snapshot, st *Settings, computedAt string) error {
	if err := t.needDay(s.Date); err != nil {
		return err
	}
	t.doc.UpsertWith(s, st, computedAt)
	return nil
}

// FillWith adds what s holds and the history lacks (see
// History.FillWith); the day's part must be loaded.
func (t *Tree) FillWith(s kpi.Snapshot, st *Settings, computedAt string) error {
	if err := t.needDay(s.Date); err != nil {
		return err
	}
	t.doc.FillWith(s, st, computedAt)
	return nil
}

// Daily returns the Sentry days loaded, dates ascending.
func (t *Tree) Daily() []kpi.ErrorDay { return t.doc.Daily }

// SetDaily records days (see History.SetDaily); their months' parts must
// be loaded.
func (t *Tree) SetDaily(days []kpi.ErrorDay) error {
	for _, d := range days {
		m := d.Date[:7]
		if t.months[m] && !t.loadedMonths[m] {
			return fmt.Errorf("change %s: %w", SentryPath(m), ErrNotLoaded)
		}
	}
	for _, d := range days {
		t.loadedMonths[d.Date[:7]] = true
	}
	t.doc.SetDaily(days)
	return nil
}

// Section returns a section of the index this package does not interpret.
func (t *Tree) Section(name string) (json.RawMessage, bool) { return t.doc.Section(name) }

// SetSection sets a section of the index this package does not interpret.
func (t *Tree) SetSection(name string, raw json.RawMessage) { t.doc.SetSection(name, raw) }

// AllPaths lists every part of the history, loaded or not.
func (t *Tree) AllPaths() []string {
	var out []string
	for d := range t.days {
		out = append(out, DayPath(d))
	}
	for m := range t.months {
		out = append(out, SentryPath(m))
	}
	sort.Strings(out)
	return out
}

// Snapshots returns the snapshots of the loaded parts, dates ascending.
func (t *Tree) Snapshots() []Entry { return t.doc.Snapshots }

// ReadAll reads a whole history: the index, and every part it lists
// through part (the path relative to the index), as a script or a test
// that wants every snapshot would.
func ReadAll(index []byte, part func(p string) ([]byte, error)) (*Tree, error) {
	t, err := OpenTree(index)
	if err != nil {
		return nil, err
	}
	files := map[string][]byte{}
	for _, p := range t.AllPaths() {
		if t.loadedDays[strings.TrimSuffix(path.Base(p), ".json")] || (path.Base(p) == "sentry-days.json" && t.loadedMonths[path.Base(path.Dir(p))]) {
			continue
		}
		data, err := part(p)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", p, err)
		}
		files[p] = data
	}
	return t, t.Load(files)
}

// Document returns what is loaded as one document, as a schema-1 history
// held it: the snapshots, the Sentry days and the index's other sections
// (the incremental state, sections of newer versions). With every part
// loaded (ReadAll) it is the whole history.
func (t *Tree) Document() *History {
	return &History{Schema: SchemaVersion, Snapshots: slices.Clone(t.doc.Snapshots), Daily: slices.Clone(t.doc.Daily), extra: maps.Clone(t.doc.extra)}
}

// ReadFiles reads the whole history whose index is dir/history.json in
// files (repository path → contents), as ReadAll does.
func ReadFiles(files map[string][]byte, dir string) (*Tree, error) {
	index, ok := files[path.Join(dir, "history.json")]
	if !ok {
		return nil, fmt.Errorf("%s: %w", path.Join(dir, "history.json"), fs.ErrNotExist)
	}
	return ReadAll(index, func(p string) ([]byte, error) {
		data, ok := files[path.Join(dir, p)]
		if !ok {
			return nil, fs.ErrNotExist
		}
		return data, nil
	})
}
