package history

import "time"

func parseDate(s string) (time.Time, error) { return time.Parse(time.DateOnly, s) }
