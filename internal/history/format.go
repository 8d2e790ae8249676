package history

import (
	"bytes"
	"encoding/json"
	"fmt"
)

// writeJSON writes raw indented like json.Indent, except that an array
// whose elements are all objects gets one compact element per line (long
// lists of records stay readable and diff line by line), and an array of
// numbers, strings, booleans or nulls is written on one line (a series of
// daily values stays one line). Key order is kept.
func writeJSON(b *bytes.Buffer, raw json.RawMessage, indent string) error {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 {
		return fmt.Errorf("empty value")
	}
	switch raw[0] {
	case '{':
		keys, vals, err := objectFields(raw)
		if err != nil {
			return err
		}
		if len(keys) == 0 {
			b.WriteString("{}")
			return nil
		}
		b.WriteString("{")
		for i, k := range keys {
			if i > 0 {
				b.WriteString(",")
			}
			b.WriteString("\n" + indent + "  ")
			kb, _ := json.Marshal(k)
			b.Write(kb)
			b.WriteString(": ")
			if err := writeJSON(b, vals[i], indent+"  "); err != nil {
				return err
			}
		}
		b.WriteString("\n" + indent + "}")
		return nil
	case '[':
		elems, err := split(raw, '[', ']')
		if err != nil {
			return err
		}
		if len(elems) == 0 {
			b.WriteString("[]")
			return nil
		}
		records, scalars := true, true
		for _, e := range elems {
			if e = bytes.TrimSpace(e); len(e) == 0 || e[0] != '{' {
				records = false
			}
			if len(e) > 0 && (e[0] == '{' || e[0] == '[') {
				scalars = false
			}
		}
		if scalars {
			b.WriteString("[")
			for i, e := range elems {
				if i > 0 {
					b.WriteString(", ")
				}
				var c bytes.Buffer
				if err := json.Compact(&c, e); err != nil {
					return err
				}
				b.Write(c.Bytes())
			}
			b.WriteString("]")
			return nil
		}
		b.WriteString("[")
		for i, e := range elems {
			if i > 0 {
				b.WriteString(",")
			}
			b.WriteString("\n" + indent + "  ")
			if records {
				var c bytes.Buffer
				if err := json.Compact(&c, e); err != nil {
					return err
				}
				b.Write(c.Bytes())
				continue
			}
			if err := writeJSON(b, e, indent+"  "); err != nil {
				return err
			}
		}
		b.WriteString("\n" + indent + "]")
		return nil
	default:
		var c bytes.Buffer
		if err := json.Compact(&c, raw); err != nil {
			return err
		}
		b.Write(c.Bytes())
		return nil
	}
}

// objectFields returns an object's keys in order with their raw values.
func objectFields(raw json.RawMessage) ([]string, []json.RawMessage, error) {
	members, err := split(raw, '{', '}')
	if err != nil {
		return nil, nil, err
	}
	keys := make([]string, 0, len(members))
	vals := make([]json.RawMessage, 0, len(members))
	for _, m := range members {
		end := stringEnd(m, 0)
		if end < 0 {
			return nil, nil, fmt.Errorf("object member %q has no key", m)
		}
		var k string
		if err := json.Unmarshal(m[:end], &k); err != nil {
			return nil, nil, err
		}
		rest := bytes.TrimSpace(m[end:])
		if len(rest) == 0 || rest[0] != ':' {
			return nil, nil, fmt.Errorf("object member %q has no value", k)
		}
		keys = append(keys, k)
		vals = append(vals, bytes.TrimSpace(rest[1:]))
	}
	return keys, vals, nil
}

// split returns the members of a JSON object or the elements of an array
// (raw is valid JSON: it was parsed or marshalled before), found by
// tracking nesting and strings rather than by decoding.
func split(raw json.RawMessage, open, close byte) ([]json.RawMessage, error) {
	raw = bytes.TrimSpace(raw)
	if len(raw) < 2 || raw[0] != open || raw[len(raw)-1] != close {
		return nil, fmt.Errorf("not a JSON %c…%c value", open, close)
	}
	body := raw[1 : len(raw)-1]
	var out []json.RawMessage
	depth, start := 0, 0
	for i := 0; i < len(body); i++ {
		switch body[i] {
		case '"':
			end := stringEnd(body, i)
			if end < 0 {
				return nil, fmt.Errorf("unterminated string")
			}
			i = end - 1
		case '{', '[':
			depth++
		case '}', ']':
			depth--
		case ',':
			if depth == 0 {
				out = append(out, bytes.TrimSpace(body[start:i]))
				start = i + 1
			}
		}
	}
	if last := bytes.TrimSpace(body[start:]); len(last) > 0 || len(out) > 0 {
		out = append(out, last)
	}
	return out, nil
}

// stringEnd returns the index just past the JSON string starting at
// b[i] (a quote), or -1.
func stringEnd(b []byte, i int) int {
	if i >= len(b) || b[i] != '"' {
		return -1
	}
	for j := i + 1; j < len(b); j++ {
		switch b[j] {
		case '\\':
			j++
		case '"':
			return j + 1
		}
	}
	return -1
}
