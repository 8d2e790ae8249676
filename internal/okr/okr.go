// Package okr reads the OKR file (default .github/kpis.yml) and tracks its
// key results: the value expected today on the straight path from baseline
// to target, the progress made, and a status. It is pure: it reads nothing
// but what it is given.
package okr

import (
	"fmt"
	"time"

	"github.com/engineering-kpis/engineering-kpis/internal/kpi"
)

// DefaultFile is where the OKR file is read from unless configured.
const DefaultFile = ".github/kpis.yml"

// File is a parsed and validated OKR file.
type File struct {
	// Objective is the qualitative goal, as written.
	Objective string
	// Start and End are the first and the last day of the period (End
	// inclusive), UTC midnight.
	Start, End time.Time
	// Quarter is the quarter's name, such as "2026-Q4": as written, or
	// derived when start and end cover exactly one calendar quarter; empty
	// for any other period.
	Quarter string
	// KeyResults are in file order; each metric appears once.
	KeyResults []KeyResult
}

// KeyResult is a metric the team commits to move to Target by the end of
// the period.
type KeyResult struct {
	// Metric comes from the registry: its direction (lower or higher is
	// better) is the metric's, never the file's.
	Metric kpi.Metric
	Target float64
	// Baseline is the file's baseline; nil means "the value at the start
	// of the period in the history".
	Baseline *float64
	// Line is the file line the key result starts on.
	Line int
}

// Error is a mistake in the OKR file, located by line (1-based; 0 when
// unknown) and field, a path such as "key-results[1].target" with 0-based
// indexes.
type Error struct {
	File  string
	Line  int
	Field string
	Msg   string
}

// Error formats the mistake as "FILE line N: FIELD: MSG".
func (e *Error) Error() string {
	s := e.File
	if e.Line > 0 {
		s += fmt.Sprintf(" line %d", e.Line)
	}
	if e.Field != "" {
		s += ": " + e.Field
	}
	return s + ": " + e.Msg
}
