package sentryapi

import (
	"context"
	"fmt"
	"net/url"
	"regexp"
	"strconv"
	"strings"
)

var numericID = regexp.MustCompile(`^[0-9]+$`)

// ResolveProjects turns sentry-projects entries (numeric ids or slugs)
// into numeric ids, in the order given and without duplicates. Numeric
// ids pass through unchecked; slugs are looked up once, with one listing
// of the organization's projects
// (https://docs.sentry.io/api/organizations/list-an-organizations-projects/,
// needs org:read), because not every endpoint accepts slugs. A slug the
// token cannot see fails with an error naming it and the organization.
func (c *Client) ResolveProjects(ctx context.Context, org string, projects []string) ([]int64, error) {
	ids, err := c.resolveProjects(ctx, org, projects)
	return ids, c.redact(err)
}

func (c *Client) resolveProjects(ctx context.Context, org string, projects []string) ([]int64, error) {
	var ids []int64
	seen := map[int64]bool{}
	add := func(id int64) {
		if !seen[id] {
			seen[id] = true
			ids = append(ids, id)
		}
	}
	var bySlug map[string]int64
	var visible []string
	for _, p := range projects {
		p = strings.TrimSpace(p)
		if p == "" {
			continue
		}
		if numericID.MatchString(p) {
			id, err := strconv.ParseInt(p, 10, 64)
			if err != nil || id <= 0 {
				return nil, fmt.Errorf("sentry-projects: %q is not a valid project id", p)
			}
			add(id)
			continue
		}
		if bySlug == nil {
			var err error
			if bySlug, visible, err = c.listProjects(ctx, org); err != nil {
				return nil, err
			}
		}
		id, ok := bySlug[strings.ToLower(p)]
		if !ok {
			return nil, fmt.Errorf("sentry-projects: project %q was not found in Sentry organization %q (the sentry-token can see %s)", p, org, describeSlugs(visible))
		}
		add(id)
	}
	return ids, nil
}

// listProjects returns the organization's projects by lower-cased slug,
// and their slugs in the order listed.
func (c *Client) listProjects(ctx context.Context, org string) (map[string]int64, []string, error) {
	cl := call{
		op:    fmt.Sprintf("list the projects of organization %q", org),
		path:  orgPath(org, "projects"),
		org:   org,
		scope: ScopeOrgRead,
	}
	bySlug := map[string]int64{}
	var slugs []string
	cursor := ""
	for page := 0; ; page++ {
		if page >= maxPages {
			return nil, nil, fmt.Errorf("sentry: %s: more than %d pages", cl.op, maxPages)
		}
		q := url.Values{"per_page": {"100"}}
		if cursor != "" {
			q.Set("cursor", cursor)
		}
		cl.query = q
		body, h, err := c.get(ctx, cl)
		if err != nil {
			return nil, nil, err
		}
		var items []struct {
			ID   string `json:"id"`
			Slug string `json:"slug"`
		}
		if err := c.decode(cl, body, &items); err != nil {
			return nil, nil, err
		}
		for _, it := range items {
			id, err := strconv.ParseInt(it.ID, 10, 64)
			if err != nil {
				return nil, nil, fmt.Errorf("sentry: %s: project %q has id %q, not a number", cl.op, it.Slug, it.ID)
			}
			key := strings.ToLower(it.Slug)
			if _, dup := bySlug[key]; !dup {
				slugs = append(slugs, it.Slug)
			}
			bySlug[key] = id
		}
		next, ok := nextCursor(h)
		if !ok || next == cursor {
			return bySlug, slugs, nil
		}
		cursor = next
	}
}

func describeSlugs(slugs []string) string {
	switch {
	case len(slugs) == 0:
		return "no projects"
	case len(slugs) <= 10:
		return strings.Join(slugs, ", ")
	default:
		return strings.Join(slugs[:10], ", ") + fmt.Sprintf(" and %d more", len(slugs)-10)
	}
}
