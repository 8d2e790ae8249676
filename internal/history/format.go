package history

import (
	"bytes"
	"encoding/json"
	"fmt"
)

// writeJSON writes raw indented like json.Indent, except that an array
// whose elements are all objects gets one compact element per line: long
// lists of records stay readable and diff line by line. Key order is kept.
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
		var elems []json.RawMessage
		if err := json.Unmarshal(raw, &elems); err != nil {
			return err
		}
		if len(elems) == 0 {
			b.WriteString("[]")
			return nil
		}
		records := true
		for _, e := range elems {
			if e = bytes.TrimSpace(e); len(e) == 0 || e[0] != '{' {
				records = false
			}
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
	dec := json.NewDecoder(bytes.NewReader(raw))
	if _, err := dec.Token(); err != nil {
		return nil, nil, err
	}
	var keys []string
	var vals []json.RawMessage
	for dec.More() {
		t, err := dec.Token()
		if err != nil {
			return nil, nil, err
		}
		k, ok := t.(string)
		if !ok {
			return nil, nil, fmt.Errorf("object key is %v", t)
		}
		var v json.RawMessage
		if err := dec.Decode(&v); err != nil {
			return nil, nil, err
		}
		keys = append(keys, k)
		vals = append(vals, v)
	}
	return keys, vals, nil
}
