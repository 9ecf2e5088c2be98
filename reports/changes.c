/* changes.c -- see changes.h. The comparison is by action id (stable
 * across runs, reports/actions.h), by series key for saturation dates,
 * and by origin series and overlapping time for incidents, whose D-
 * numbers shift when an earlier incident appears. JSON through jansson
 * (sorted keys), Markdown and HTML through stdio. */
#include "changes.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "dataprob.h"
#include "svg.h"
#include "timefmt.h"
#include "fileio.h"

#define DAY_MS INT64_C(86400000)

void hr_prev_run_clear(hr_prev_run *p)
{
    if (!p)
        return;
    free(p->stamp);
    for (size_t i = 0; i < p->nact; i++) {
        free(p->act[i].id);
        free(p->act[i].rule);
        free(p->act[i].title);
    }
    free(p->act);
    for (size_t i = 0; i < p->nsat; i++)
        free(p->sat[i].series);
    free(p->sat);
    for (size_t i = 0; i < p->ninc; i++) {
        free(p->inc[i].id);
        free(p->inc[i].origin);
    }
    free(p->inc);
    memset(p, 0, sizeof *p);
}

void hr_changes_clear(hr_changes *c)
{
    if (!c)
        return;
    free(c->added);
    free(c->open);
    free(c->closed);
    free(c->moved);
    free(c->inc_new);
    memset(c, 0, sizeof *c);
}

/* The previous action with this id, or NULL. A linear search: a run has
 * tens to hundreds of actions. */
static const hr_prev_action *prev_action(const hr_prev_run *p, const char *id)
{
    for (size_t i = 0; p && i < p->nact; i++)
        if (p->act[i].id && strcmp(p->act[i].id, id) == 0)
            return &p->act[i];
    return NULL;
}

void hr_changes_carry(hr_rep_action *a, size_t n, const hr_prev_run *prev)
{
    for (size_t i = 0; prev && i < n; i++) {
        const hr_prev_action *q = prev_action(prev, a[i].id);
        if (q && q->first_seen_ms >= 0 && q->first_seen_ms < a[i].first_seen_ms)
            a[i].first_seen_ms = q->first_seen_ms;
    }
}

static int cmp_sat(const void *k, const void *e) { return strcmp(k, ((const hr_prev_sat *)e)->series); }

int hr_changes_build(const hr_report *r, const hr_prev_run *prev, hr_changes *c)
{
    memset(c, 0, sizeof *c);
    c->previous = prev ? prev->stamp : NULL;
    size_t na = r->nactions, np = prev ? prev->nact : 0, ni = r->inc ? r->inc->n : 0;
    c->added = malloc((na + 1) * sizeof *c->added);
    c->open = malloc((na + 1) * sizeof *c->open);
    c->closed = malloc((np + 1) * sizeof *c->closed);
    c->moved = malloc((r->n + 1) * sizeof *c->moved);
    c->inc_new = malloc((ni + 1) * sizeof *c->inc_new);
    if (!c->added || !c->open || !c->closed || !c->moved || !c->inc_new) {
        hr_changes_clear(c);
        return HR_ESOFTWARE;
    }
    for (size_t k = 0; k < na; k++) {
        if (prev && prev_action(prev, r->actions[k].id))
            c->open[c->nopen++] = k;
        else
            c->added[c->nadded++] = k;
    }
    for (size_t k = 0; k < np; k++) {
        size_t j = 0;
        while (j < na && strcmp(r->actions[j].id, prev->act[k].id) != 0)
            j++;
        if (j == na)
            c->closed[c->nclosed++] = &prev->act[k];
    }
    /* a resource whose date moved by a week or more, or that gained or
     * lost a date within the horizon; resources new since the previous
     * run are not moves */
    for (size_t i = 0; prev && i < r->n; i++) {
        const hr_rep_series *s = &r->s[i];
        if (!s->has_capacity)
            continue;
        const hr_prev_sat *q = prev->nsat ? bsearch(s->key, prev->sat, prev->nsat, sizeof *prev->sat, cmp_sat) : NULL;
        if (!q)
            continue;
        int64_t to = s->sat_p50_ms >= 0 ? s->sat_p50_ms / DAY_MS * DAY_MS : -1, from = q->p50_ms;
        if (to < 0 && from < 0)
            continue;
        if (to >= 0 && from >= 0 && llabs((to - from) / DAY_MS) < HR_CHANGES_MOVED_DAYS)
            continue;
        c->moved[c->nmoved++] = (hr_chg_sat){s->key, from, to};
    }
    for (size_t k = 0; k < ni; k++) {
        const hr_pm_incident *x = &r->inc->inc[k];
        const char *origin = r->s[x->origin].key;
        int seen = 0;
        for (size_t j = 0; prev && j < prev->ninc && !seen; j++) {
            const hr_prev_incident *q = &prev->inc[j];
            seen = q->origin && strcmp(q->origin, origin) == 0 && q->start_ms <= x->end_ms && x->start_ms <= q->end_ms;
        }
        if (!seen)
            c->inc_new[c->ninc_new++] = k;
    }
    return HR_OK;
}

/* ---- renderings ------------------------------------------------------ */

static json_t *jdate(int64_t t)
{
    char b[40];
    return t < 0 ? json_null() : json_string(hr_date_format(t, b, sizeof b));
}

static json_t *jids(const hr_report *r, const size_t *ix, size_t n)
{
    json_t *a = json_array();
    for (size_t k = 0; k < n; k++)
        json_array_append_new(a, json_string(r->actions[ix[k]].id));
    return a;
}

/* The days a date moved (later positive), or 0 when either is unknown. */
static long long moved_days(const hr_chg_sat *m) { return (m->to_ms - m->from_ms) / DAY_MS; }

char *hr_report_changes_json(const hr_report *r)
{
    const hr_changes *c = r->changes;
    if (!c)
        return NULL;
    json_t *root = json_object(), *act = json_object(), *closed = json_array(), *moved = json_array(),
           *inc = json_array();
    char id[32];
    json_object_set_new(root, "previous", c->previous ? json_string(c->previous) : json_null());
    json_object_set_new(act, "new", jids(r, c->added, c->nadded));
    json_object_set_new(act, "open", jids(r, c->open, c->nopen));
    for (size_t k = 0; k < c->nclosed; k++)
        json_array_append_new(closed, json_string(c->closed[k]->id));
    json_object_set_new(act, "closed", closed);
    json_object_set_new(root, "actions", act);
    for (size_t k = 0; k < c->nmoved; k++) {
        const hr_chg_sat *m = &c->moved[k];
        json_t *o = json_object();
        json_object_set_new(o, "series", json_string(m->series));
        json_object_set_new(o, "from", jdate(m->from_ms));
        json_object_set_new(o, "to", jdate(m->to_ms));
        json_object_set_new(o, "days", m->from_ms >= 0 && m->to_ms >= 0 ? json_integer(moved_days(m)) : json_null());
        json_array_append_new(moved, o);
    }
    json_object_set_new(root, "saturation_moved", moved);
    for (size_t k = 0; k < c->ninc_new; k++)
        json_array_append_new(inc, json_string(hr_report_incident_id(c->inc_new[k], id, sizeof id)));
    json_object_set_new(root, "incidents_new", inc);
    char *s = json_dumps(root, JSON_SORT_KEYS | JSON_INDENT(2));
    json_decref(root);
    if (!s)
        return NULL;
    size_t n = strlen(s);
    char *t = realloc(s, n + 2);
    if (!t) {
        free(s);
        return NULL;
    }
    memcpy(t + n, "\n", 2);
    return t;
}

static const char *report_name(int which) { return which == HR_REP_CAPACITY ? "capacity" : "problems"; }

static void md_action_rows(FILE *f, const hr_report *r, const size_t *ix, size_t n)
{
    char d[24];
    fputs("| id | report | first seen | action |\n|---|---|---|---|\n", f);
    for (size_t k = 0; k < n; k++) {
        const hr_rep_action *x = &r->actions[ix[k]];
        fprintf(f, "| `%s` | %s | %s | ", x->id, report_name(x->report), hr_rep_fdate(x->first_seen_ms, d, sizeof d));
        hr_rep_md_cell(f, x->title);
        fputs(" |\n", f);
    }
}

char *hr_report_changes_md(const hr_report *r)
{
    const hr_changes *c = r->changes;
    char *buf = NULL, a[40], b[40];
    size_t len = 0;
    FILE *f = c ? hr_memstream(&buf, &len) : NULL;
    if (!f)
        return NULL;
    fputs("# Changes since the last run\n\n", f);
    if (c->previous)
        fprintf(f, "Compared with the report folder `%s`. Data as of %s.\n\n", c->previous,
                hr_rep_fdate(r->as_of_day_ms, a, sizeof a));
    else
        fputs("No previous report folder to compare with: every action is new.\n\n", f);
    fprintf(f, "- Actions: %zu new, %zu still open, %zu closed.\n", c->nadded, c->nopen, c->nclosed);
    fprintf(f, "- Saturation dates moved by %d days or more: %zu.\n", HR_CHANGES_MOVED_DAYS, c->nmoved);
    fprintf(f, "- New incidents: %zu.\n", c->ninc_new);
    fputs("\n## New actions\n\n", f);
    if (c->nadded)
        md_action_rows(f, r, c->added, c->nadded);
    else
        fputs("None.\n", f);
    fputs("\n## Closed actions\n\nRaised by the previous run, not by this one: done, or no longer needed.\n\n", f);
    if (c->nclosed) {
        fputs("| id | report | first seen | action |\n|---|---|---|---|\n", f);
        for (size_t k = 0; k < c->nclosed; k++) {
            const hr_prev_action *q = c->closed[k];
            fprintf(f, "| `%s` | %s | %s | ", q->id, report_name(q->report), hr_rep_fdate(q->first_seen_ms, a, sizeof a));
            hr_rep_md_cell(f, q->title ? q->title : "");
            fputs(" |\n", f);
        }
    } else {
        fputs("None.\n", f);
    }
    fputs("\n## Open actions\n\n", f);
    if (c->nopen)
        md_action_rows(f, r, c->open, c->nopen);
    else
        fputs("None.\n", f);
    fprintf(f, "\n## Saturation dates moved\n\nThe p50 date of a resource moved by %d days or more, or "
               "appeared or left the horizon (\"-\").\n\n", HR_CHANGES_MOVED_DAYS);
    if (c->nmoved) {
        fputs("| series | from | to | days |\n|---|---|---|---:|\n", f);
        for (size_t k = 0; k < c->nmoved; k++) {
            const hr_chg_sat *m = &c->moved[k];
            fputs("| ", f);
            hr_rep_md_code(f, m->series);
            fprintf(f, " | %s | %s | ", hr_rep_fdate(m->from_ms, a, sizeof a), hr_rep_fdate(m->to_ms, b, sizeof b));
            if (m->from_ms >= 0 && m->to_ms >= 0)
                fprintf(f, "%+lld |\n", moved_days(m));
            else
                fputs("- |\n", f);
        }
    } else {
        fputs("None.\n", f);
    }
    fputs("\n## New incidents\n\n", f);
    if (c->ninc_new) {
        fputs("| id | start | origin |\n|---|---|---|\n", f);
        for (size_t k = 0; k < c->ninc_new; k++) {
            const hr_pm_incident *x = &r->inc->inc[c->inc_new[k]];
            fprintf(f, "| %s | %s | ", hr_report_incident_id(c->inc_new[k], a, sizeof a),
                    hr_time_format(x->start_ms, b, sizeof b));
            hr_rep_md_code(f, r->s[x->origin].key);
            fputs(" |\n", f);
        }
    } else {
        fputs("None.\n", f);
    }
    if (fclose(f)) {
        free(buf);
        return NULL;
    }
    return buf;
}

/* Up to this many rows per list in the HTML section: changes.md has all. */
#define HTML_ROWS 8

static void html_actions(FILE *f, const char *what, const hr_report *r, int which, const size_t *ix, size_t n,
                         const hr_prev_action *const *closed)
{
    size_t cnt = 0, shown = 0;
    for (size_t k = 0; k < n; k++)
        cnt += (closed ? closed[k]->report : r->actions[ix[k]].report) == which;
    if (!cnt)
        return;
    fprintf(f, "<p>%s:</p>\n<ul>\n", what);
    for (size_t k = 0; k < n && shown < HTML_ROWS; k++) {
        const char *id = closed ? closed[k]->id : r->actions[ix[k]].id;
        const char *title = closed ? closed[k]->title : r->actions[ix[k]].title;
        if ((closed ? closed[k]->report : r->actions[ix[k]].report) != which)
            continue;
        shown++;
        fputs("<li>", f);
        hr_svg_esc(f, title ? title : "");
        fputs(" <code>", f);
        hr_svg_esc(f, id);
        fputs("</code></li>\n", f);
    }
    if (cnt > shown)
        fprintf(f, "<li>%zu more in changes.md</li>\n", cnt - shown);
    fputs("</ul>\n", f);
}

void hr_rep_changes_html(FILE *f, const hr_report *r, int which)
{
    const hr_changes *c = r->changes;
    char a[40], b[40];
    if (!c)
        return;
    fputs("<section id=\"changes\">\n<h2>Since the last run</h2>\n<p>", f);
    if (c->previous) {
        fputs("Compared with <code>", f);
        hr_svg_esc(f, c->previous);
        fputs("</code>: ", f);
    } else {
        fputs("No previous report folder to compare with: ", f);
    }
    fprintf(f, "%zu new action%s, %zu still open, %zu closed; %zu saturation date%s moved by a week or more; "
               "%zu new incident%s. All of it in <a href=\"changes.md\">changes.md</a>.</p>\n",
            c->nadded, c->nadded == 1 ? "" : "s", c->nopen, c->nclosed, c->nmoved, c->nmoved == 1 ? "" : "s",
            c->ninc_new, c->ninc_new == 1 ? "" : "s");
    if (c->previous)
        html_actions(f, "New", r, which, c->added, c->nadded, NULL);
    html_actions(f, "Closed (raised last time, not now)", r, which, NULL, c->nclosed, c->closed);
    if (which == HR_REP_CAPACITY && c->nmoved) {
        fputs("<div class=\"tw\"><table>\n<thead><tr><th>series</th><th>p50 was</th><th>p50 now</th>"
              "<th class=\"n\">days</th></tr></thead>\n<tbody>\n", f);
        for (size_t k = 0; k < c->nmoved && k < HTML_ROWS; k++) {
            const hr_chg_sat *m = &c->moved[k];
            fputs("<tr><td class=\"k\"><code>", f);
            hr_svg_esc(f, m->series);
            fprintf(f, "</code></td><td>%s</td><td>%s</td><td class=\"n\">", hr_rep_fdate(m->from_ms, a, sizeof a),
                    hr_rep_fdate(m->to_ms, b, sizeof b));
            if (m->from_ms >= 0 && m->to_ms >= 0)
                fprintf(f, "%+lld", moved_days(m));
            else
                fputs("-", f);
            fputs("</td></tr>\n", f);
        }
        fputs("</tbody>\n</table></div>\n", f);
    }
    if (which == HR_REP_PROBLEMS && c->ninc_new && c->previous) {
        fputs("<p>New incidents (see <a href=\"#incidents\">Incidents</a>): ", f);
        for (size_t k = 0; k < c->ninc_new && k < HTML_ROWS; k++)
            fprintf(f, "%s<a href=\"#%s\">%s</a>", k ? ", " : "", hr_report_incident_id(c->inc_new[k], a, sizeof a), a);
        if (c->ninc_new > HTML_ROWS)
            fprintf(f, " and %zu more", c->ninc_new - HTML_ROWS);
        fputs(".</p>\n", f);
    }
    fputs("</section>\n", f);
}
