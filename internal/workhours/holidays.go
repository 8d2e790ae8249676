package workhours

import (
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/rickar/cal/v2"
	"github.com/rickar/cal/v2/ar"
	"github.com/rickar/cal/v2/at"
	"github.com/rickar/cal/v2/au"
	"github.com/rickar/cal/v2/be"
	"github.com/rickar/cal/v2/bg"
	"github.com/rickar/cal/v2/br"
	"github.com/rickar/cal/v2/ca"
	"github.com/rickar/cal/v2/ch"
	"github.com/rickar/cal/v2/cz"
	"github.com/rickar/cal/v2/de"
	"github.com/rickar/cal/v2/dk"
	"github.com/rickar/cal/v2/es"
	"github.com/rickar/cal/v2/fr"
	"github.com/rickar/cal/v2/gb"
	"github.com/rickar/cal/v2/gr"
	"github.com/rickar/cal/v2/hr"
	"github.com/rickar/cal/v2/ie"
	"github.com/rickar/cal/v2/it"
	"github.com/rickar/cal/v2/jp"
	"github.com/rickar/cal/v2/lt"
	"github.com/rickar/cal/v2/lv"
	"github.com/rickar/cal/v2/mw"
	"github.com/rickar/cal/v2/nc"
	"github.com/rickar/cal/v2/nl"
	"github.com/rickar/cal/v2/no"
	"github.com/rickar/cal/v2/nz"
	"github.com/rickar/cal/v2/pl"
	"github.com/rickar/cal/v2/ro"
	"github.com/rickar/cal/v2/ru"
	"github.com/rickar/cal/v2/se"
	"github.com/rickar/cal/v2/si"
	"github.com/rickar/cal/v2/sk"
	"github.com/rickar/cal/v2/ua"
	"github.com/rickar/cal/v2/us"
	"github.com/rickar/cal/v2/za"
)

// calendars maps a country code (ISO 3166-1 alpha-2) or a region code (ISO
// 3166-2) to the holiday set github.com/rickar/cal/v2 defines for it.
var calendars = map[string][]*cal.Holiday{
	"AR": ar.Holidays,
	"AT": at.Holidays,
	// The library has only per-state lists for Australia; the national
	// list is the public holidays that every state and territory keeps.
	"AU":     {au.NewYear, au.AustraliaDay, au.GoodFriday, au.EasterMonday, au.AnzacDay, au.ChristmasDay, au.BoxingDay},
	"AU-ACT": au.HolidaysACT,
	"AU-NSW": au.HolidaysNSW,
	"AU-NT":  au.HolidaysNT,
	"AU-QLD": au.HolidaysQLD,
	"AU-SA":  au.HolidaysSA,
	"AU-TAS": au.HolidaysTAS,
	"AU-VIC": au.HolidaysVIC,
	"AU-WA":  au.HolidaysWA,
	"BE":     be.Holidays,
	"BG":     bg.Holidays,
	"BR":     br.Holidays,
	"CA":     ca.Holidays,
	"CH":     ch.Holidays,
	"CH-AG":  ch.HolidaysAG,
	"CH-AI":  ch.HolidaysAI,
	"CH-AR":  ch.HolidaysAR,
	"CH-BE":  ch.HolidaysBE,
	"CH-BL":  ch.HolidaysBL,
	"CH-BS":  ch.HolidaysBS,
	"CH-FR":  ch.HolidaysFR,
	"CH-GE":  ch.HolidaysGE,
	"CH-GL":  ch.HolidaysGL,
	"CH-GR":  ch.HolidaysGR,
	"CH-JU":  ch.HolidaysJU,
	"CH-LU":  ch.HolidaysLU,
	"CH-NE":  ch.HolidaysNE,
	"CH-NW":  ch.HolidaysNW,
	"CH-OW":  ch.HolidaysOW,
	"CH-SG":  ch.HolidaysSG,
	"CH-SH":  ch.HolidaysSH,
	"CH-SO":  ch.HolidaysSO,
	"CH-SZ":  ch.HolidaysSZ,
	"CH-TG":  ch.HolidaysTG,
	"CH-TI":  ch.HolidaysTI,
	"CH-UR":  ch.HolidaysUR,
	"CH-VD":  ch.HolidaysVD,
	"CH-VS":  ch.HolidaysVS,
	"CH-ZG":  ch.HolidaysZG,
	"CH-ZH":  ch.HolidaysZH,
	"CZ":     cz.Holidays,
	"DE":     de.Holidays,
	"DE-BB":  de.HolidaysBB,
	"DE-BE":  de.HolidaysBE,
	"DE-BW":  de.HolidaysBW,
	"DE-BY":  de.HolidaysBY,
	"DE-HB":  de.HolidaysHB,
	"DE-HE":  de.HolidaysHE,
	"DE-HH":  de.HolidaysHH,
	"DE-MV":  de.HolidaysMV,
	"DE-NI":  de.HolidaysNI,
	"DE-NW":  de.HolidaysNW,
	"DE-RP":  de.HolidaysRP,
	"DE-SH":  de.HolidaysSH,
	"DE-SL":  de.HolidaysSL,
	"DE-SN":  de.HolidaysSN,
	"DE-ST":  de.HolidaysST,
	"DE-TH":  de.HolidaysTH,
	"DK":     dk.Holidays,
	"ES":     es.Holidays,
	"FR":     fr.Holidays,
	// The library's United Kingdom list is the bank holidays of England and
	// Wales.
	"GB": gb.Holidays,
	"GR": gr.Holidays,
	"HR": hr.Holidays,
	"IE": ie.Holidays,
	"IT": it.Holidays,
	"JP": jp.Holidays,
	"LT": lt.Holidays,
	"LV": lv.Holidays,
	"MW": mw.Holidays,
	"NC": nc.Holidays,
	"NL": nl.Holidays,
	"NO": no.Holidays,
	"NZ": nz.Holidays,
	"PL": pl.Holidays,
	"RO": ro.Holidays,
	"RU": ru.Holidays,
	"SE": se.Holidays,
	"SI": si.Holidays,
	"SK": sk.Holidays,
	"UA": ua.Holidays,
	"US": us.Holidays,
	"ZA": za.Holidays,
}

// aliases are other spellings of a code in calendars.
var aliases = map[string]string{"UK": "GB"}

// HolidayCodes returns every code ParseHolidays accepts, sorted: country
// codes such as "US" and region codes such as "DE-BY".
func HolidayCodes() []string {
	codes := slices.Sorted(maps.Keys(calendars))
	for a := range aliases {
		codes = append(codes, a)
	}
	slices.Sort(codes)
	return codes
}

// civil is a calendar date.
type civil struct {
	year  int
	month time.Month
	day   int
}

func dateOf(t time.Time) civil {
	y, m, d := t.Date()
	return civil{y, m, d}
}

func (c civil) String() string {
	return fmt.Sprintf("%04d-%02d-%02d", c.year, c.month, c.day)
}

// Holidays is a set of whole local dates on which nobody works: the
// holidays of one or more calendars plus extra dates. The zero Holidays
// holds no date.
type Holidays struct {
	codes []string
	rules []*cal.Holiday
	extra []civil
}

// ParseHolidays parses the holidays input: country or region codes known
// to github.com/rickar/cal/v2 (see HolidayCodes; case-insensitive) and
// extra dates in YYYY-MM-DD form, separated by commas, newlines or spaces,
// for example "US, 2026-12-24, 2026-12-31". Several codes are combined. An
// empty spec means no holidays.
//
// A holiday counts on the day it is observed (a holiday moved off a
// weekend counts on its substitute day only), as the library's business
// calendar has it.
func ParseHolidays(spec string) (Holidays, error) {
	var h Holidays
	seenCode := map[string]bool{}
	seenDate := map[civil]bool{}
	for _, tok := range strings.FieldsFunc(spec, func(r rune) bool {
		return r == ',' || r == '\n' || r == '\r' || r == ' ' || r == '\t'
	}) {
		if tok[0] >= '0' && tok[0] <= '9' {
			t, err := time.Parse(time.DateOnly, tok)
			if err != nil {
				return Holidays{}, fmt.Errorf("date %q: expected a real date in YYYY-MM-DD form, like 2026-12-24", tok)
			}
			if d := dateOf(t); !seenDate[d] {
				seenDate[d] = true
				h.extra = append(h.extra, d)
			}
			continue
		}
		code, rules, err := lookupCalendar(tok)
		if err != nil {
			return Holidays{}, err
		}
		if !seenCode[code] {
			seenCode[code] = true
			h.codes = append(h.codes, code)
			h.rules = append(h.rules, rules...)
		}
	}
	return h, nil
}

// lookupCalendar returns the canonical code of tok and its holiday rules.
func lookupCalendar(tok string) (string, []*cal.Holiday, error) {
	code := strings.ToUpper(tok)
	if a, ok := aliases[code]; ok {
		code = a
	}
	if rules, ok := calendars[code]; ok {
		return code, rules, nil
	}
	country, _, isRegion := strings.Cut(code, "-")
	if _, ok := calendars[country]; ok && isRegion {
		var regions []string
		for _, c := range HolidayCodes() {
			if strings.HasPrefix(c, country+"-") {
				regions = append(regions, c)
			}
		}
		if len(regions) == 0 {
			return "", nil, fmt.Errorf("holiday calendar %q: the holiday library has no regional calendars for %s; use %q and add the regional holidays as extra dates (YYYY-MM-DD)",
				tok, country, country)
		}
		return "", nil, fmt.Errorf("holiday calendar %q: unknown region of %s; expected %s, or %s for the national holidays",
			tok, country, strings.Join(regions, ", "), country)
	}
	var countries []string
	for _, c := range HolidayCodes() {
		if !strings.Contains(c, "-") {
			countries = append(countries, c)
		}
	}
	return "", nil, fmt.Errorf("unknown holiday calendar %q; expected a country code (%s), a region code (AU-NSW, CH-ZH, DE-BY and the other states of AU, CH and DE) or a date YYYY-MM-DD",
		tok, strings.Join(countries, ", "))
}

// IsZero reports whether h holds no date.
func (h Holidays) IsZero() bool {
	return len(h.rules) == 0 && len(h.extra) == 0
}

// String returns h in the syntax ParseHolidays reads, for example
// "US, 2026-12-24"; empty for the zero Holidays.
func (h Holidays) String() string {
	parts := slices.Clone(h.codes)
	for _, d := range h.extra {
		parts = append(parts, d.String())
	}
	return strings.Join(parts, ", ")
}

// Contains reports whether the local date year-month-day is a holiday.
func (h Holidays) Contains(year int, month time.Month, day int) bool {
	d := civil{year, month, day}
	if slices.Contains(h.extra, d) {
		return true
	}
	_, ok := h.year(year)[d]
	return ok
}

// year returns the dates in year on which a holiday of h's calendars is
// observed.
func (h Holidays) year(year int) map[civil]struct{} {
	dates := map[civil]struct{}{}
	// An observed date can fall in the year before or after the holiday's
	// own (New Year's Day on a Saturday observed on 31 December).
	for y := year - 1; y <= year+1; y++ {
		for _, r := range h.rules {
			_, observed := r.Calc(y)
			if observed.IsZero() {
				continue
			}
			if d := dateOf(observed); d.year == year {
				dates[d] = struct{}{}
			}
		}
	}
	for _, d := range h.extra {
		if d.year == year {
			dates[d] = struct{}{}
		}
	}
	return dates
}
