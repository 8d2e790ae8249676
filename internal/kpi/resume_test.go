package kpi

import (
	"strconv"
	"testing"
	"time"
)

func TestCanResume(t *testing.T) {
	kept := at("2026-11-20T06:00")
	cases := []struct {
		name       string
		keptWindow time.Duration
		asOf       time.Time
		window     time.Duration
		want       bool
	}{
		{"a day later, same window", window28, kept.Add(24 * time.Hour), window28, true},
		{"exactly a window later", window28, kept.Add(window28), window28, true},
		{"more than a window later", window28, kept.Add(window28 + time.Second), window28, false},
		{"earlier than the records", window28, kept.Add(-time.Second), window28, false},
		{"a longer window than kept", 14 * day, kept.Add(time.Hour), window28, false},
		{"a shorter window than kept", window28, kept.Add(time.Hour), 14 * day, true},
	}
	for _, tc := range cases {
		if got := CanResume(kept, tc.keptWindow, tc.asOf, tc.window); got != tc.want {
			t.Errorf("%s: CanResume = %v, want %v", tc.name, got, tc.want)
		}
	}
}

func TestHiddenOnly(t *testing.T) {
	cases := []struct {
		name string
		recs []RequestRecord
		want bool
	}{
		{"none", nil, false},
		{"users only", []RequestRecord{{Reviewer: "bob"}}, false},
		{"unattributed and users", []RequestRecord{{Reviewer: "bob"}, {Unattributed: true}}, true},
		{"estimated", []RequestRecord{{Reviewer: "hidden team", Team: true, Estimated: true}}, true},
		{"hidden beside a visible team", []RequestRecord{{Unattributed: true}, {Reviewer: "acme/core", Team: true}}, false},
	}
	for _, tc := range cases {
		if got := HiddenOnly(tc.recs); got != tc.want {
			t.Errorf("%s: HiddenOnly = %v, want %v", tc.name, got, tc.want)
		}
	}
}

// TestResume: a changed pull request is measured again from its timeline
// and its kept records dropped; the others' records stand.
func TestResume(t *testing.T) {
	asOf := at("2026-11-10T00:00")
	kept := []RequestRecord{
		{Number: 1, Reviewer: "bob", RequestedAt: at("2026-11-02T09:00"), Outcome: Waiting},
		{Number: 2, Reviewer: "carol", RequestedAt: at("2026-11-03T09:00"), Outcome: Waiting},
	}
	changed := []PullRequest{{Number: 2, Author: Actor{Login: "alice"}, Events: evs(
		evRequest("2026-11-03T09:00", usr("carol")),
		evReview("2026-11-03T11:00", usr("carol"), "APPROVED"),
	)}}
	got := Resume("acme/web", kept, changed, asOf, Filter{})
	if len(got) != 2 {
		t.Fatalf("%d requests, want 2: %+v", len(got), got)
	}
	if got[0].Number != 1 || got[0].Outcome != Waiting || got[0].Repository != "acme/web" {
		t.Errorf("kept record: %+v", got[0])
	}
	if got[1].Number != 2 || got[1].Outcome != Answered || got[1].Wait(CalendarClock{}) != 2*time.Hour {
		t.Errorf("changed pull request: %+v, want carol answered after 2h", got[1])
	}
}

func TestMergeDays(t *testing.T) {
	n := func(v int64) *int64 { return &v }
	stored := []ErrorDay{{Date: "2026-11-02", Events: n(1)}, {Date: "2026-11-01", Events: n(2)}}
	fresh := []ErrorDay{{Date: "2026-11-02", Events: n(5)}, {Date: "2026-11-03", Events: n(7)}}
	got := MergeDays(stored, fresh)
	want := []string{"2026-11-01:2", "2026-11-02:5", "2026-11-03:7"}
	if len(got) != len(want) {
		t.Fatalf("%d days, want %d", len(got), len(want))
	}
	for i, d := range got {
		if s := d.Date + ":" + strconv.FormatInt(*d.Events, 10); s != want[i] {
			t.Errorf("day %d = %s, want %s", i, s, want[i])
		}
	}
	if MergeDays(nil, nil) != nil {
		t.Error("no days merged into something")
	}
}

// TestFilterKeyIsASet: the order, case and repeats of a filter's lists do
// not change what it leaves out, nor its key.
func TestFilterKeyIsASet(t *testing.T) {
	a := Filter{ExcludeReviewers: []string{"bob", "Alice"}, ExcludeLabels: []string{"wip", "docs", "WIP"}}
	b := Filter{ExcludeReviewers: []string{"alice", "bob"}, ExcludeLabels: []string{"docs", "wip"}}
	if a.FilterKey() != b.FilterKey() {
		t.Errorf("keys differ:\n%s\n%s", a.FilterKey(), b.FilterKey())
	}
	if a.FilterKey() == (Filter{ExcludeReviewers: []string{"alice"}}).FilterKey() {
		t.Error("a different filter has the same key")
	}
}
