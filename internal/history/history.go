// Package history reads, merges and writes history.json: one snapshot of
// every KPI per (UTC date, repository), dates ascending, 2-space indented
// with a trailing newline. Fields and sections this version does not know
// are kept as they were; values already recorded are never changed.
package history

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"slices"
	"sort"
	"time"

	"github.com/engineering-kpis/engineering-kpis/internal/kpi"
)

// SchemaVersion is the history format this version writes: 2 is the
// index with parts (see Tree); 1, one file holding everything, is read and
// migrated.
const SchemaVersion = 2

// History is a decoded history.json.
type History struct {
	Schema    int
	Snapshots []Entry
	// Daily holds the daily Sentry figures behind the snapshots (the
	// "sentry_days" section), dates ascending.
	Daily []kpi.ErrorDay
	// extra holds top-level sections this version does not know.
	extra map[string]json.RawMessage
}

// Entry is one snapshot with the fields this version does not know.
type Entry struct {
	kpi.Snapshot
	// ComputedAt is when the snapshot was computed (RFC 3339); of two
	// snapshots for the same date and repository the later one wins.
	ComputedAt string
	// Settings is what the snapshot was computed with; nil for a snapshot
	// written before schema 2, which recorded only the clock.
	Settings *Settings
	extra    map[string]json.RawMessage
	// fixedKey is the settings key of figures taken from the index.
	fixedKey string
}

// ErrNewerSchema is returned for a history written by a newer version.
var ErrNewerSchema = errors.New("history was written by a newer version of Engineering KPIs")

// knownSnapshotFields are the snapshot fields this version writes.
var knownSnapshotFields = []string{"date", "repository", "clock", "settings", "computed_at", "metrics", "samples", "incomplete", "estimated", "breakdown"}

// Parse decodes a history file. A file that is not a valid history fails
// with an error that says why; it must then never be overwritten.
func Parse(data []byte) (*History, error) {
	var top map[string]json.RawMessage
	if err := json.Unmarshal(data, &top); err != nil {
		var te *json.UnmarshalTypeError
		if errors.As(err, &te) {
			return nil, fmt.Errorf("not a history object: the file holds a JSON %s", te.Value)
		}
		return nil, fmt.Errorf("not valid JSON: %w", err)
	}
	if top == nil {
		return nil, errors.New("not a history object (null)")
	}
	h := &History{extra: map[string]json.RawMessage{}}
	rawSchema, ok := top["schema"]
	if !ok {
		return nil, errors.New(`no "schema" field: not an Engineering KPIs history`)
	}
	if err := json.Unmarshal(rawSchema, &h.Schema); err != nil || h.Schema < 1 {
		return nil, fmt.Errorf(`"schema" is %s, expected a positive integer`, rawSchema)
	}
	if h.Schema > SchemaVersion {
		return nil, fmt.Errorf("%w (schema %d; this version reads up to %d): upgrade the action", ErrNewerSchema, h.Schema, SchemaVersion)
	}
	var raws []map[string]json.RawMessage
	if rs, ok := top["snapshots"]; ok {
		if err := json.Unmarshal(rs, &raws); err != nil {
			return nil, fmt.Errorf(`"snapshots" is not a list of objects: %w`, err)
		}
	}
	for k, v := range top {
		if k != "schema" && k != "snapshots" && k != dailySection {
			h.extra[k] = v
		}
	}
	if raw, ok := top[dailySection]; ok {
		if err := json.Unmarshal(raw, &h.Daily); err != nil {
			return nil, fmt.Errorf("%q is not a list of daily figures: %w", dailySection, err)
		}
		for i, d := range h.Daily {
			if _, err := parseDate(d.Date); err != nil {
				return nil, fmt.Errorf("%s entry %d: date %q is not a YYYY-MM-DD date", dailySection, i+1, d.Date)
			}
		}
		h.SetDaily(nil)
	}
	seen := map[string]bool{}
	for i, raw := range raws {
		e, err := decodeEntry(raw)
		if err != nil {
			return nil, fmt.Errorf("snapshot %d: %w", i+1, err)
		}
		k := e.key()
		if seen[k] {
			return nil, fmt.Errorf("snapshot %d: a second snapshot for %s %s (%s)", i+1, e.Date, e.Repository, e.SettingsKey())
		}
		seen[k] = true
		h.Snapshots = append(h.Snapshots, e)
	}
	h.sort()
	return h, nil
}

func decodeEntry(raw map[string]json.RawMessage) (Entry, error) {
	var e Entry
	fields := map[string]any{
		"date": &e.Date, "repository": &e.Repository, "clock": &e.Clock, "computed_at": &e.ComputedAt,
		"metrics": &e.Metrics, "samples": &e.Samples, "incomplete": &e.Incomplete, "breakdown": &e.Breakdown,
		"estimated": &e.Estimated, "settings": &e.Settings,
	}
	e.extra = map[string]json.RawMessage{}
	for k, v := range raw {
		dst, ok := fields[k]
		if !ok {
			e.extra[k] = v
			continue
		}
		if err := json.Unmarshal(v, dst); err != nil {
			return Entry{}, fmt.Errorf("field %q: %w", k, err)
		}
	}
	if _, err := parseDate(e.Date); err != nil {
		return Entry{}, fmt.Errorf("date %q is not a YYYY-MM-DD date", e.Date)
	}
	e.fillEmpty()
	return e, nil
}

// fillEmpty gives absent metrics, samples and incomplete lists their empty
// values, so that they are written as {} and [] and filled without panics.
func (e *Entry) fillEmpty() {
	if e.Metrics == nil {
		e.Metrics = kpi.Values{}
	}
	if e.Samples == nil {
		e.Samples = kpi.Samples{}
	}
	if e.Incomplete == nil {
		e.Incomplete = []string{}
	}
}

func (e Entry) key() string { return e.Date + "\x00" + e.Repository + "\x00" + e.SettingsKey() }

// SettingsKey is the key of what e was computed with (see Settings.Key).
func (e Entry) SettingsKey() string {
	if e.fixedKey != "" {
		return e.fixedKey
	}
	return KeyOf(e.Settings, e.Clock)
}

// find returns the index of the snapshot of date and repository computed
// with settings comparable to key (the exact ones first), or -1.
func (h *History) find(date, repository, key string) int {
	found := -1
	for i, e := range h.Snapshots {
		if e.Date != date || e.Repository != repository {
			continue
		}
		switch k := e.SettingsKey(); {
		case k == key:
			return i
		case found < 0 && Comparable(k, key):
			found = i
		}
	}
	return found
}

func (h *History) sort() {
	sort.SliceStable(h.Snapshots, func(i, j int) bool {
		a, b := h.Snapshots[i], h.Snapshots[j]
		if a.Date != b.Date {
			return a.Date < b.Date
		}
		if a.Repository != b.Repository {
			return a.Repository < b.Repository
		}
		return a.SettingsKey() < b.SettingsKey()
	})
}

// New returns an empty history.
func New() *History { return &History{Schema: SchemaVersion, extra: map[string]json.RawMessage{}} }

// Find returns the snapshot for date and repository (of any settings).
func (h *History) Find(date, repository string) (Entry, bool) {
	return h.FindWith(date, repository, "")
}

// FindWith returns the snapshot for date and repository computed with
// settings comparable to key; "" takes any.
func (h *History) FindWith(date, repository, key string) (Entry, bool) {
	for _, e := range h.Snapshots {
		if e.Date == date && e.Repository == repository && (key == "" || Comparable(e.SettingsKey(), key)) {
			return e, true
		}
	}
	return Entry{}, false
}

// Upsert records s computed at computedAt with settings not recorded; see
// UpsertWith.
func (h *History) Upsert(s kpi.Snapshot, computedAt string) { h.UpsertWith(s, nil, computedAt) }

// UpsertWith records s computed at computedAt with settings st: it
// replaces the snapshot of the same date and repository computed with
// comparable settings (keeping its unknown fields) unless that one was
// computed later (a concurrent run), or adds it. A snapshot computed with
// other settings is kept beside it, never replaced.
func (h *History) UpsertWith(s kpi.Snapshot, st *Settings, computedAt string) {
	e := Entry{Snapshot: s, ComputedAt: computedAt, Settings: st, extra: map[string]json.RawMessage{}}
	e.Metrics, e.Samples, e.Incomplete = maps.Clone(s.Metrics), maps.Clone(s.Samples), slices.Clone(s.Incomplete)
	e.fillEmpty()
	if i := h.find(e.Date, e.Repository, e.SettingsKey()); i >= 0 {
		old := h.Snapshots[i]
		if later(old.ComputedAt, computedAt) || (sameFigures(old.Snapshot, e.Snapshot) && sameSettings(old.Settings, st)) {
			// A later computation stands; an identical one leaves the
			// file byte for byte as it was.
			return
		}
		e.extra = old.extra
		h.Snapshots[i] = e
		h.sort()
		return
	}
	h.Snapshots = append(h.Snapshots, e)
	h.sort()
}

// Fill adds s for a past date with settings not recorded; see FillWith.
func (h *History) Fill(s kpi.Snapshot, computedAt string) { h.FillWith(s, nil, computedAt) }

// FillWith adds s, computed with settings st, for a past date: a new
// snapshot where there is none with comparable settings, else only the
// metrics the existing one lacks. Values already recorded are never
// changed.
func (h *History) FillWith(s kpi.Snapshot, st *Settings, computedAt string) {
	if i := h.find(s.Date, s.Repository, KeyOf(st, s.Clock)); i >= 0 {
		old := h.Snapshots[i]
		for name, v := range s.Metrics {
			if _, ok := old.Metrics[name]; ok {
				continue
			}
			old.Metrics[name] = v
			if n, ok := s.Samples[name]; ok {
				old.Samples[name] = n
			}
			if slices.Contains(s.Incomplete, name) && !slices.Contains(old.Incomplete, name) {
				old.Incomplete = append(old.Incomplete, name)
			}
		}
		h.Snapshots[i] = old
		return
	}
	h.UpsertWith(s, st, computedAt)
}

// Marshal encodes h: keys in a fixed order, 2-space indent, trailing
// newline. Equal histories give identical bytes.
//
// It writes the schema of this version: a document read in schema 1 is
// written as a part of schema 2.
func (h *History) Marshal() ([]byte, error) {
	h.Schema = SchemaVersion
	for _, e := range h.Snapshots {
		if _, err := parseDate(e.Date); err != nil {
			return nil, fmt.Errorf("snapshot of %s has date %q, not YYYY-MM-DD", e.Repository, e.Date)
		}
	}
	var b bytes.Buffer
	b.WriteString("{\n  \"schema\": ")
	fmt.Fprintf(&b, "%d", h.Schema)
	b.WriteString(",\n  \"snapshots\": [")
	for i, e := range h.Snapshots {
		if i > 0 {
			b.WriteString(",")
		}
		b.WriteString("\n    ")
		if err := writeEntry(&b, e); err != nil {
			return nil, fmt.Errorf("snapshot %s %s: %w", e.Date, e.Repository, err)
		}
	}
	if len(h.Snapshots) > 0 {
		b.WriteString("\n  ")
	}
	b.WriteString("]")
	if len(h.Daily) > 0 {
		fmt.Fprintf(&b, ",\n  %q: [", dailySection)
		for i, d := range h.Daily {
			if i > 0 {
				b.WriteString(",")
			}
			line, err := json.Marshal(d)
			if err != nil {
				return nil, err
			}
			b.WriteString("\n    ")
			b.Write(line)
		}
		b.WriteString("\n  ]")
	}
	for _, k := range sortedKeys(h.extra) {
		b.WriteString(",\n  ")
		if err := writeField(&b, k, h.extra[k], "  "); err != nil {
			return nil, err
		}
	}
	b.WriteString("\n}\n")
	return b.Bytes(), nil
}

func writeEntry(b *bytes.Buffer, e Entry) error {
	values := map[string]any{
		"date": e.Date, "repository": e.Repository, "clock": e.Clock, "computed_at": e.ComputedAt,
		"metrics": e.Metrics, "samples": e.Samples, "incomplete": e.Incomplete, "breakdown": e.Breakdown,
		"estimated": e.Estimated, "settings": e.Settings,
	}
	b.WriteString("{")
	first := true
	sep := func() {
		if !first {
			b.WriteString(",")
		}
		first = false
		b.WriteString("\n      ")
	}
	for _, k := range knownSnapshotFields {
		if (k == "computed_at" && e.ComputedAt == "") || (k == "breakdown" && e.Breakdown == nil) || (k == "estimated" && e.Estimated == nil) || (k == "settings" && e.Settings == nil) {
			continue
		}
		raw, err := json.Marshal(values[k])
		if err != nil {
			return err
		}
		sep()
		if k == "settings" {
			// One line: what the snapshot was computed with, at a glance.
			fmt.Fprintf(b, "%q: %s", k, raw)
			continue
		}
		if err := writeField(b, k, raw, "      "); err != nil {
			return err
		}
	}
	for _, k := range sortedKeys(e.extra) {
		sep()
		if err := writeField(b, k, e.extra[k], "      "); err != nil {
			return err
		}
	}
	b.WriteString("\n    }")
	return nil
}

func writeField(b *bytes.Buffer, key string, raw json.RawMessage, indent string) error {
	k, _ := json.Marshal(key)
	b.Write(k)
	b.WriteString(": ")
	if err := writeJSON(b, raw, indent); err != nil {
		return fmt.Errorf("field %s: %w", key, err)
	}
	return nil
}

func sortedKeys(m map[string]json.RawMessage) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// Has reports whether the history holds any snapshot of repository.
func (h *History) Has(repository string) bool {
	for _, e := range h.Snapshots {
		if e.Repository == repository {
			return true
		}
	}
	return false
}

// Series returns the snapshots of repository, dates ascending.
func (h *History) Series(repository string) []Entry { return h.SeriesWith(repository, "") }

// SeriesWith returns the snapshots of repository computed with settings
// comparable to key ("" takes all), one a date (the exact settings
// first), dates ascending: the points that can be charted together.
func (h *History) SeriesWith(repository, key string) []Entry {
	var out []Entry
	for _, e := range h.Snapshots {
		if e.Repository != repository || (key != "" && !Comparable(e.SettingsKey(), key)) {
			continue
		}
		if n := len(out); n > 0 && out[n-1].Date == e.Date {
			if key == "" || out[n-1].SettingsKey() == key {
				continue
			}
			out[n-1] = e
			continue
		}
		out = append(out, e)
	}
	return out
}

// later reports whether RFC 3339 time a is after b; an unparsable or empty
// time is earlier than any valid one.
func later(a, b string) bool {
	ta, errA := time.Parse(time.RFC3339Nano, a)
	tb, errB := time.Parse(time.RFC3339Nano, b)
	switch {
	case errA == nil && errB == nil:
		return ta.After(tb)
	case errA == nil:
		return true
	case errB == nil:
		return false
	}
	return a > b
}

// sameFigures reports whether two snapshots record the same values.
func sameFigures(a, b kpi.Snapshot) bool {
	if a.Clock != b.Clock || !maps.Equal(a.Samples, b.Samples) || !slices.Equal(a.Incomplete, b.Incomplete) || len(a.Metrics) != len(b.Metrics) {
		return false
	}
	for k, v := range a.Metrics {
		w, ok := b.Metrics[k]
		if !ok || (v == nil) != (w == nil) || (v != nil && *v != *w) {
			return false
		}
	}
	if (a.Estimated == nil) != (b.Estimated == nil) || (a.Estimated != nil && *a.Estimated != *b.Estimated) {
		return false
	}
	ba, _ := json.Marshal(a.Breakdown)
	bb, _ := json.Marshal(b.Breakdown)
	return bytes.Equal(ba, bb)
}

// dailySection is the history's section of daily Sentry figures.
const dailySection = "sentry_days"

// SetDaily records days, replacing the figures of the same dates, and
// keeps the section sorted by date.
func (h *History) SetDaily(days []kpi.ErrorDay) {
	h.Daily = kpi.MergeDays(h.Daily, days)
}

// HasMetric reports whether any snapshot of repository records metric.
func (h *History) HasMetric(repository, metric string) bool {
	for _, e := range h.Snapshots {
		if _, ok := e.Metrics[metric]; ok && e.Repository == repository {
			return true
		}
	}
	return false
}

// Section returns a top-level section this package does not interpret.
func (h *History) Section(name string) (json.RawMessage, bool) {
	raw, ok := h.extra[name]
	return raw, ok
}

// SetSection sets a top-level section this package does not interpret.
func (h *History) SetSection(name string, raw json.RawMessage) {
	if h.extra == nil {
		h.extra = map[string]json.RawMessage{}
	}
	h.extra[name] = raw
}
