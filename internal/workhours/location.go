package workhours

import (
	"fmt"
	"strings"
	"time"

	// The action runs in a distroless image without /usr/share/zoneinfo;
	// the embedded copy of the time zone database makes LoadLocation work
	// there.
	_ "time/tzdata"
)

// LoadLocation returns the time zone named by the timezone input: an IANA
// name such as "Europe/Berlin" or "America/New_York". An empty name means
// UTC. "Local" is refused, since it would depend on the runner's settings.
func LoadLocation(name string) (*time.Location, error) {
	name = strings.TrimSpace(name)
	const expected = `expected an IANA time zone name such as "UTC", "Europe/Berlin" or "America/New_York"`
	switch name {
	case "":
		return time.UTC, nil
	case "Local":
		return nil, fmt.Errorf("time zone %q depends on the runner; %s", name, expected)
	}
	loc, err := time.LoadLocation(name)
	if err != nil {
		return nil, fmt.Errorf("unknown time zone %q; %s", name, expected)
	}
	return loc, nil
}
