package okr

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"math"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/engineering-kpis/engineering-kpis/internal/kpi"
	"go.yaml.in/yaml/v3"
)

// The keys an OKR file and each of its key results may hold.
var (
	fileKeys      = []string{"objective", "quarter", "start", "end", "key-results"}
	keyResultKeys = []string{"metric", "target", "baseline"}
)

const dateLayout = time.DateOnly

// Parse reads the OKR file named file (the name is only used in errors)
// from data:
//
//	objective: Become a faster, more reliable product development team
//	quarter: 2026-Q4            # or start: 2026-10-01 / end: 2026-12-31
//	key-results:
//	  - metric: review_wait_median_hours
//	    target: 24
//	  - metric: sentry_events_per_user_day
//	    target: 0.05
//	    baseline: 0.12          # optional
//
// A mistake gives one *Error naming the file, the line and the field: YAML
// syntax, unknown or repeated keys, an unknown or repeated metric, a target
// or baseline that is not a non-negative number, a malformed quarter or
// date, both a quarter and start/end, an end before the start, a missing
// objective, period, key result list, metric or target. When the file has
// several mistakes, misspelt keys are reported first, then bad values, then
// missing ones, each group in file order.
func Parse(file string, data []byte) (*File, error) {
	root, err := decode(file, data)
	if err != nil {
		return nil, err
	}
	p := &parser{file: file}
	f := p.parseFile(root)
	if e := p.first(); e != nil {
		return nil, e
	}
	return f, nil
}

// decode reads the single YAML document of data.
func decode(file string, data []byte) (*yaml.Node, error) {
	dec := yaml.NewDecoder(bytes.NewReader(data))
	var doc yaml.Node
	if err := dec.Decode(&doc); err != nil {
		if errors.Is(err, io.EOF) {
			return nil, &Error{File: file, Msg: "the file is empty; expected objective, quarter and key-results"}
		}
		return nil, yamlError(file, data, err)
	}
	for {
		var next yaml.Node
		err := dec.Decode(&next)
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, yamlError(file, data, err)
		}
		if !emptyDocument(&next) {
			return nil, &Error{File: file, Line: next.Line, Msg: "a second YAML document (after ---); the OKR file holds one"}
		}
	}
	if doc.Kind != yaml.DocumentNode || len(doc.Content) == 0 {
		return nil, &Error{File: file, Msg: "the file is empty; expected objective, quarter and key-results"}
	}
	return doc.Content[0], nil
}

// emptyDocument reports whether doc holds nothing, as after a trailing ---.
func emptyDocument(doc *yaml.Node) bool {
	if len(doc.Content) == 0 {
		return true
	}
	n := doc.Content[0]
	return len(doc.Content) == 1 && isNull(n) && n.Value == ""
}

var yamlLine = regexp.MustCompile(`^yaml: line (\d+): (.*)$`)

// yamlError turns a YAML syntax error in data into an *Error with the line
// yaml reports. yaml leaves the line out of errors on the first line and of
// some others (an unknown alias); such an error is placed on the last line
// of the shortest start of the file that gives the same error.
func yamlError(file string, data []byte, err error) *Error {
	msg := err.Error()
	if m := yamlLine.FindStringSubmatch(msg); m != nil {
		line, _ := strconv.Atoi(m[1])
		return &Error{File: file, Line: line, Msg: "YAML syntax error: " + m[2]}
	}
	e := &Error{File: file, Msg: "YAML syntax error: " + strings.TrimPrefix(msg, "yaml: ")}
	const maxLines = 2000
	end := 0
	for line := 1; line <= maxLines && end < len(data); line++ {
		if i := bytes.IndexByte(data[end:], '\n'); i >= 0 {
			end += i + 1
		} else {
			end = len(data)
		}
		var n yaml.Node
		if err := yaml.Unmarshal(data[:end], &n); err != nil && err.Error() == msg {
			e.Line = line
			break
		}
	}
	return e
}

// Problems are reported misspelt keys first, then bad values, then missing
// or inconsistent ones.
const (
	phaseKeys = iota
	phaseValues
	phaseMissing
	phases
)

type parser struct {
	file     string
	problems [phases][]*Error
}

func (p *parser) add(phase int, n *yaml.Node, field, format string, args ...any) {
	line := 0
	if n != nil {
		line = n.Line
	}
	p.problems[phase] = append(p.problems[phase], &Error{File: p.file, Line: line, Field: field, Msg: fmt.Sprintf(format, args...)})
}

// first is the problem to report: of the earliest phase, the first in the
// file.
func (p *parser) first() *Error {
	for _, list := range p.problems {
		var best *Error
		for _, e := range list {
			if best == nil || e.Line < best.Line {
				best = e
			}
		}
		if best != nil {
			return best
		}
	}
	return nil
}

// pair is one key and its value in a mapping.
type pair struct {
	key, value *yaml.Node
}

// mapping returns the pairs of mapping n under the field path prefix
// ("" at the top), reporting unknown and repeated keys.
func (p *parser) mapping(n *yaml.Node, prefix string, known []string) map[string]pair {
	out := map[string]pair{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], resolve(n.Content[i+1])
		name := k.Value
		field := name
		if prefix != "" {
			field = prefix + "." + name
		}
		switch {
		case k.Kind != yaml.ScalarNode || !contains(known, name):
			if k.Kind != yaml.ScalarNode {
				field = prefix
			}
			p.add(phaseKeys, k, field, "unknown key%s (known: %s)", didYouMean(name, known), strings.Join(known, ", "))
		case out[name].key != nil:
			p.add(phaseKeys, k, field, "repeated key (first at line %d)", out[name].key.Line)
		default:
			out[name] = pair{k, v}
		}
	}
	return out
}

func (p *parser) parseFile(root *yaml.Node) *File {
	root = resolve(root)
	if root.Kind != yaml.MappingNode {
		p.add(phaseKeys, root, "", "expected a mapping with objective, quarter and key-results, got %s", describe(root))
		return nil
	}
	m := p.mapping(root, "", fileKeys)
	f := &File{}

	if kv, ok := m["objective"]; !ok {
		p.add(phaseMissing, root, "objective", "missing; say what the team wants to achieve this quarter")
	} else if kv.value.Kind != yaml.ScalarNode {
		p.add(phaseValues, kv.value, "objective", "expected text, got %s", describe(kv.value))
	} else if f.Objective = strings.TrimSpace(kv.value.Value); isNull(kv.value) || f.Objective == "" {
		f.Objective = ""
		p.add(phaseMissing, kv.key, "objective", "empty; say what the team wants to achieve this quarter")
	}

	p.period(f, root, m)

	kv, ok := m["key-results"]
	switch {
	case !ok:
		p.add(phaseMissing, root, "key-results", "missing; list at least one key result (metric and target)")
		return f
	case isNull(kv.value) || (kv.value.Kind == yaml.SequenceNode && len(kv.value.Content) == 0):
		p.add(phaseMissing, kv.key, "key-results", "empty; list at least one key result (metric and target)")
		return f
	case kv.value.Kind != yaml.SequenceNode:
		p.add(phaseKeys, kv.value, "key-results", "expected a list of key results (- metric: ..., target: ...), got %s", describe(kv.value))
		return f
	}
	seen := map[string]int{}
	for i, item := range kv.value.Content {
		if kr, ok := p.keyResult(resolve(item), fmt.Sprintf("key-results[%d]", i), seen); ok {
			f.KeyResults = append(f.KeyResults, kr)
		}
	}
	return f
}

// period sets f.Start, f.End and f.Quarter from quarter, or start and end.
func (p *parser) period(f *File, root *yaml.Node, m map[string]pair) {
	q, hasQ := m["quarter"]
	s, hasS := m["start"]
	e, hasE := m["end"]
	if hasQ {
		if start, end, name, ok := p.quarter(q.value); ok {
			f.Start, f.End, f.Quarter = start, end, name
		}
	}
	var start, end time.Time
	okS, okE := false, false
	if hasS {
		start, okS = p.date(s.value, "start")
	}
	if hasE {
		end, okE = p.date(e.value, "end")
	}
	switch {
	case hasQ && (hasS || hasE):
		other, field := s, "start"
		if !hasS || (hasE && e.key.Line < s.key.Line) {
			other, field = e, "end"
		}
		p.add(phaseMissing, other.key, field, "give either quarter or start and end, not both (quarter is at line %d)", q.key.Line)
	case hasQ:
	case hasS && !hasE:
		p.add(phaseMissing, s.key, "end", "missing; start is given, so give end too (YYYY-MM-DD, inclusive), or a quarter instead")
	case hasE && !hasS:
		p.add(phaseMissing, e.key, "start", "missing; end is given, so give start too (YYYY-MM-DD), or a quarter instead")
	case !hasS && !hasE:
		p.add(phaseMissing, root, "quarter", "missing; give a quarter (e.g. 2026-Q4), or start and end dates")
	case okS && okE && end.Before(start):
		p.add(phaseValues, e.value, "end", "%s is before start %s", end.Format(dateLayout), start.Format(dateLayout))
	case okS && okE:
		f.Start, f.End = start, end
		f.Quarter = quarterName(start, end)
	}
}

var quarterPattern = regexp.MustCompile(`^([0-9]{4})-[Qq]([0-9]+)$`)

// quarter parses "2026-Q4" into its first and last day.
func (p *parser) quarter(n *yaml.Node) (start, end time.Time, name string, ok bool) {
	if n.Kind != yaml.ScalarNode || isNull(n) {
		p.add(phaseValues, n, "quarter", "expected a quarter such as 2026-Q4, got %s", describe(n))
		return
	}
	v := strings.TrimSpace(n.Value)
	m := quarterPattern.FindStringSubmatch(v)
	if m == nil {
		p.add(phaseValues, n, "quarter", "%q is not a quarter; expected YEAR-QN such as 2026-Q4", v)
		return
	}
	year, _ := strconv.Atoi(m[1])
	q, err := strconv.Atoi(m[2])
	if err != nil || q < 1 || q > 4 {
		p.add(phaseValues, n, "quarter", "%q is not a quarter; the quarter number is 1, 2, 3 or 4 (e.g. 2026-Q4)", v)
		return
	}
	start = time.Date(year, time.Month(3*(q-1)+1), 1, 0, 0, 0, 0, time.UTC)
	end = start.AddDate(0, 3, -1)
	return start, end, fmt.Sprintf("%d-Q%d", year, q), true
}

// quarterName names the calendar quarter that start..end covers exactly.
func quarterName(start, end time.Time) string {
	if start.Day() != 1 || (start.Month()-1)%3 != 0 || !start.AddDate(0, 3, -1).Equal(end) {
		return ""
	}
	return fmt.Sprintf("%d-Q%d", start.Year(), (int(start.Month())-1)/3+1)
}

func (p *parser) date(n *yaml.Node, field string) (time.Time, bool) {
	if n.Kind != yaml.ScalarNode || isNull(n) {
		p.add(phaseValues, n, field, "expected a date such as 2026-10-01, got %s", describe(n))
		return time.Time{}, false
	}
	v := strings.TrimSpace(n.Value)
	t, err := time.Parse(dateLayout, v)
	if err != nil {
		p.add(phaseValues, n, field, "%q is not a date; expected YYYY-MM-DD such as 2026-10-01", v)
		return time.Time{}, false
	}
	return t, true
}

// keyResult reads one item of key-results; seen maps metric names to the
// line of their first key result.
func (p *parser) keyResult(n *yaml.Node, field string, seen map[string]int) (KeyResult, bool) {
	if n.Kind != yaml.MappingNode {
		p.add(phaseKeys, n, field, "expected a key result with metric and target, got %s", describe(n))
		return KeyResult{}, false
	}
	m := p.mapping(n, field, keyResultKeys)
	kr := KeyResult{Line: n.Line}
	ok := true

	if kv, has := m["metric"]; !has {
		ok = false
		p.add(phaseMissing, n, field+".metric", "missing; give one of: %s", metricNames())
	} else if v := kv.value; v.Kind != yaml.ScalarNode || isNull(v) {
		ok = false
		p.add(phaseValues, v, field+".metric", "expected a metric name, got %s (known: %s)", describe(v), metricNames())
	} else if metric, known := kpi.LookupMetric(strings.TrimSpace(v.Value)); !known {
		ok = false
		p.add(phaseValues, v, field+".metric", "unknown metric %q%s (known: %s)", v.Value, didYouMean(v.Value, names()), metricNames())
	} else if first, dup := seen[metric.Name]; dup {
		ok = false
		p.add(phaseMissing, v, field+".metric", "repeated metric %q (first key result at line %d); give each metric once", metric.Name, first)
	} else {
		seen[metric.Name] = n.Line
		kr.Metric = metric
	}

	if kv, has := m["target"]; !has || isNull(kv.value) {
		ok = false
		at := n
		if has {
			at = kv.key
		}
		p.add(phaseMissing, at, field+".target", "missing; give the value to reach by the end of the period")
	} else if t, good := p.number(kv.value, field+".target", kr.Metric); good {
		kr.Target = t
	} else {
		ok = false
	}

	if kv, has := m["baseline"]; has && !isNull(kv.value) {
		if b, good := p.number(kv.value, field+".baseline", kr.Metric); good {
			kr.Baseline = &b
		} else {
			ok = false
		}
	}
	return kr, ok
}

// number reads a finite, non-negative number. A quoted number is accepted.
func (p *parser) number(n *yaml.Node, field string, m kpi.Metric) (float64, bool) {
	if n.Kind != yaml.ScalarNode {
		p.add(phaseValues, n, field, "expected a number, got %s", describe(n))
		return 0, false
	}
	v := strings.TrimSpace(n.Value)
	var f float64
	var err error
	switch n.ShortTag() {
	case "!!int", "!!float":
		err = n.Decode(&f)
	case "!!str":
		f, err = strconv.ParseFloat(v, 64)
	default:
		err = errors.New("not a number")
	}
	if err != nil {
		hint := ""
		switch {
		case strings.HasSuffix(v, "%"):
			hint = "; write a share as a fraction, e.g. 0.9 for 90%"
		case m.Unit == kpi.UnitHours:
			hint = "; write the number of hours without a unit, e.g. 24"
		}
		p.add(phaseValues, n, field, "%q is not a number%s", v, hint)
		return 0, false
	}
	if math.IsInf(f, 0) || math.IsNaN(f) {
		p.add(phaseValues, n, field, "%q is not a finite number", v)
		return 0, false
	}
	if f < 0 {
		p.add(phaseValues, n, field, "%s is negative; metrics are never below 0", v)
		return 0, false
	}
	if isShare(m) && f > 1 {
		p.add(phaseValues, n, field, "%s is above 1; %s is a share from 0 to 1, e.g. 0.9 for 90%%", v, m.Name)
		return 0, false
	}
	return f, true
}

// isShare reports whether m is a share from 0 to 1 (the review ratios,
// shown as percentages); other ratios, such as events per user-day, may
// exceed 1.
func isShare(m kpi.Metric) bool {
	return m.Unit == kpi.UnitRatio && strings.HasPrefix(m.Name, "review_")
}

// resolve follows an alias to the node it names.
func resolve(n *yaml.Node) *yaml.Node {
	for n.Kind == yaml.AliasNode && n.Alias != nil {
		n = n.Alias
	}
	return n
}

func isNull(n *yaml.Node) bool { return n.Kind == yaml.ScalarNode && n.ShortTag() == "!!null" }

// describe names the kind of a node for errors.
func describe(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "a mapping"
	case yaml.SequenceNode:
		return "a list"
	case yaml.ScalarNode:
		if isNull(n) {
			return "nothing"
		}
		return strconv.Quote(n.Value)
	}
	return "nothing"
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func names() []string {
	var out []string
	for _, m := range kpi.Metrics() {
		out = append(out, m.Name)
	}
	return out
}

func metricNames() string { return strings.Join(names(), ", ") }

// didYouMean suggests the known name closest to got, if one is close.
func didYouMean(got string, known []string) string {
	norm := func(s string) string {
		return strings.NewReplacer("-", "", "_", "", " ", "").Replace(strings.ToLower(s))
	}
	best, bestD := "", 4
	for _, k := range known {
		d := distance(norm(got), norm(k))
		if d < bestD {
			best, bestD = k, d
		}
	}
	if best == "" || (bestD > 0 && bestD > len(norm(got))/3) {
		return ""
	}
	return fmt.Sprintf("; did you mean %q?", best)
}

// distance is the Levenshtein distance of a and b.
func distance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(rb)]
}
