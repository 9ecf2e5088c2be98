/* postmortem.c -- the postmortem drafts: postmortems/<incident id>.md for
 * each critical or major incident, a blameless draft the incident owner
 * finishes, and postmortems/<incident id>.svg, the member strip chart of
 * problems.html as a file of its own (incidents of two or more series).
 * Owns: which incidents get a draft, the draft's sections (Summary,
 * Impact, Timeline, Detection, Contributing signals, Related events and
 * changes, Recurrence, Action items) and what each draws on: the
 * incident and its anomalies, the SLOs whose service or series it
 * touches, the incident log row it matched, the events calendar and the
 * inorganic steps of its series, its recurring problem, and the
 * suggested actions resting on its series.
 * Not: the numbers themselves (models/problems.c, models/slo.c, the
 * detector) or writing files (report.c). Like every renderer, a pure
 * function of the report: no clock, so the same data gives the same
 * bytes. */
#include "report_int.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "dataprob.h"
#include "detect.h"
#include "html_int.h"
#include "tables.h"
#include "timefmt.h"
#include "units.h"
#include "fileio.h"

#define PM_DAY_MS INT64_C(86400000)
/* How far before the onset calendar events and level shifts count as
 * related: a change that causes an incident shows within minutes to
 * days, and a week covers a weekly release train and a weekend. */
#define PM_RELATED_MS (7 * PM_DAY_MS)
#define PM_MAX_MEMBERS 40 /* members listed (the rest counted) */

int hr_report_postmortem_wanted(const hr_report *r, size_t k)
{
    return r->inc && k < r->inc->n && r->inc->inc[k].level >= HR_PM_MAJOR;
}

/* ---- what the draft draws on ---------------------------------------------- */

typedef struct pm_ctx {
    const hr_report *r;
    size_t k;
    const hr_pm_incident *x;
    char id[24];
    const char **svc;       /* the services of the members, sorted, unique */
    size_t nsvc;
    size_t *first_an;       /* [n_series] the member's earliest anomaly of
                               the incident (index into r->a), or SIZE_MAX */
    size_t *top_an;         /* [n_series] its highest-scoring one */
    unsigned char *slo_hit; /* [nslo] the SLO covers the incident */
    const char **keys;      /* [n_series] the members' keys, sorted */
} pm_ctx;

static int cmp_str(const void *a, const void *b) { return strcmp(*(const char *const *)a, *(const char *const *)b); }

/* key is a member's (a binary search: a draft checks every action's
 * evidence, and a scan per check was most of a 100,000-series run's
 * report time) */
static int is_member(const pm_ctx *c, const char *key)
{
    return c->x->n_series && bsearch(&key, c->keys, c->x->n_series, sizeof *c->keys, cmp_str) != NULL;
}

static int has_service(const pm_ctx *c, const char *svc)
{
    for (size_t j = 0; svc && j < c->nsvc; j++)
        if (strcmp(c->svc[j], svc) == 0)
            return 1;
    return 0;
}

typedef struct mem_at {
    size_t series, q;
} mem_at;

static int cmp_mem_at(const void *pa, const void *pb)
{
    const mem_at *a = pa, *b = pb;
    if (a->series != b->series)
        return a->series < b->series ? -1 : 1;
    return a->q < b->q ? -1 : a->q > b->q;
}

static int ctx_init(pm_ctx *c, const hr_report *r, size_t k)
{
    memset(c, 0, sizeof *c);
    c->r = r;
    c->k = k;
    c->x = &r->inc->inc[k];
    hr_report_incident_id(k, c->id, sizeof c->id);
    size_t m = c->x->n_series;
    c->svc = malloc((m ? m : 1) * sizeof *c->svc);
    c->first_an = malloc((m ? m : 1) * sizeof *c->first_an);
    c->top_an = malloc((m ? m : 1) * sizeof *c->top_an);
    c->slo_hit = calloc(r->nslo ? r->nslo : 1, 1);
    c->keys = malloc((m ? m : 1) * sizeof *c->keys);
    if (!c->svc || !c->first_an || !c->top_an || !c->slo_hit || !c->keys)
        return -1;
    for (size_t q = 0; q < m; q++)
        c->keys[q] = r->s[c->x->members[q].series].key;
    qsort(c->keys, m, sizeof *c->keys, cmp_str);
    for (size_t q = 0; q < m; q++) {
        const char *s = r->s[c->x->members[q].series].service;
        if (s)
            c->svc[c->nsvc++] = s;
        c->first_an[q] = c->top_an[q] = SIZE_MAX;
    }
    qsort(c->svc, c->nsvc, sizeof *c->svc, cmp_str);
    size_t u = 0;
    for (size_t j = 0; j < c->nsvc; j++)
        if (!u || strcmp(c->svc[u - 1], c->svc[j]))
            c->svc[u++] = c->svc[j];
    c->nsvc = u;
    /* the anomalies of each member within this incident: the member of
     * an anomaly's series found by binary search among the members
     * sorted by series (the first in member order for a series named
     * twice), not by a scan of the members per anomaly */
    mem_at *by = malloc((m ? m : 1) * sizeof *by);
    if (!by)
        return -1;
    for (size_t q = 0; q < m; q++)
        by[q] = (mem_at){c->x->members[q].series, q};
    qsort(by, m, sizeof *by, cmp_mem_at);
    for (size_t j = 0; r->anomaly_incident && j < r->na; j++) {
        if (r->anomaly_incident[j] != k)
            continue;
        size_t lo = 0, hi = m, want = r->a[j].series;
        while (lo < hi) {
            size_t mid = lo + (hi - lo) / 2;
            if (by[mid].series < want)
                lo = mid + 1;
            else
                hi = mid;
        }
        if (lo == m || by[lo].series != want)
            continue;
        size_t q = by[lo].q;
        if (c->first_an[q] == SIZE_MAX || r->a[j].start_ms < r->a[c->first_an[q]].start_ms)
            c->first_an[q] = j;
        if (c->top_an[q] == SIZE_MAX || r->a[j].peak_z > r->a[c->top_an[q]].peak_z)
            c->top_an[q] = j;
    }
    free(by);
    /* SLOs of its services or of its series */
    for (size_t j = 0; j < r->nslo; j++) {
        const hr_rep_slo *s = &r->slo[j];
        const char *ser[4] = {s->total, s->good, s->bad, s->latency};
        int hit = has_service(c, s->service);
        for (int q = 0; q < 4 && !hit; q++)
            hit = ser[q] && is_member(c, ser[q]);
        c->slo_hit[j] = (unsigned char)hit;
    }
    return 0;
}

static void ctx_clear(pm_ctx *c)
{
    free(c->svc);
    free(c->first_an);
    free(c->top_an);
    free(c->slo_hit);
    free(c->keys);
}

/* The recurring problem incident k belongs to (SIZE_MAX: none) and its
 * occurrence number (1-based) in *occ. */
static size_t recurring_of(const hr_report *r, size_t k, size_t *occ)
{
    for (size_t p = 0; r->rec && p < r->rec->n; p++)
        for (size_t j = 0; j < r->rec->rec[p].count; j++)
            if (r->rec->rec[p].occ[j] == k) {
                *occ = j + 1;
                return p;
            }
    return SIZE_MAX;
}

static size_t log_row(const hr_report *r, size_t k)
{
    return r->match && r->log && k < r->match->n_inc ? r->match->inc_row[k] : HR_PM_NONE;
}

static const char *fired_text(int fired, char *b, size_t n)
{
    const char *st = hr_det_stat_name(hr_det_fired_stat(fired)), *ba = hr_det_base_name(hr_det_fired_base(fired));
    if (!st || !ba)
        snprintf(b, n, "-");
    else
        snprintf(b, n, "%s statistic against the %s", st, ba);
    return b;
}

static void code(FILE *f, const char *s)
{
    hr_rep_md_code(f, s);
}

/* "+3.2 h after" / "12 min before" / "at the same time as" */
static const char *lead_text(int64_t d, char *b, size_t n)
{
    char t[40];
    if (d == 0)
        snprintf(b, n, "at the same time as");
    else
        snprintf(b, n, "%s %s", hr_rep_fdur(d < 0 ? -d : d, t, sizeof t), d < 0 ? "before" : "after");
    return b;
}

/* ---- sections ----------------------------------------------------------------- */

static void summary(FILE *f, const pm_ctx *c)
{
    const hr_report *r = c->r;
    const hr_pm_incident *x = c->x;
    char a[40], b[40], d[40];
    fprintf(f, "## Summary\n\n%s was a %s %s from %s to %s (%s) across %zu series", c->id, hr_pm_level_name(x->level),
            hr_rep_direction_name(x->direction), hr_time_format(x->start_ms, a, sizeof a),
            hr_time_format(x->end_ms, b, sizeof b), hr_rep_fdur(x->duration_ms, d, sizeof d), x->n_series);
    if (c->nsvc) {
        fprintf(f, " of %zu service%s (", c->nsvc, c->nsvc == 1 ? "" : "s");
        for (size_t j = 0; j < c->nsvc; j++)
            fprintf(f, "%s%s", j ? ", " : "", c->svc[j]);
        fputc(')', f);
    }
    fputs(". It was first seen in ", f);
    code(f, r->s[x->origin].key);
    fprintf(f, ", the suspected origin. Severity index %s (peak anomaly score %s, %zu series, %s).",
            hr_rep_fmt(x->severity, a, sizeof a), hr_rep_fmt(x->peak_score, b, sizeof b), x->n_series,
            hr_rep_fdur(x->duration_ms, d, sizeof d));
    size_t row = log_row(r, c->k);
    if (row != HR_PM_NONE) {
        fprintf(f, " The incident log has it as row %zu, \"", row + 1);
        hr_rep_md_cell(f, r->log[row].title ? r->log[row].title : "(no title)");
        fputs("\".", f);
    } else if (r->match)
        fputs(" It is not in the incident log.", f);
    size_t occ = 0, p = recurring_of(r, c->k, &occ);
    if (p != SIZE_MAX)
        fprintf(f, " It is occurrence %zu of the recurring problem %s.", occ,
                hr_report_recurring_id(p, a, sizeof a));
    fprintf(f, "\n\nDetails: [%s in problems.html](../problems.html#%s-detail).\n\n"
               "_What happened and why, in two or three sentences, for readers outside the team._\n\n",
            c->id, c->id);
}

static void impact(FILE *f, const pm_ctx *c)
{
    const hr_report *r = c->r;
    const hr_pm_incident *x = c->x;
    char a[40], b[40], d[48];
    fprintf(f, "## Impact\n\n- Duration: %s, from %s to %s.\n", hr_rep_fdur(x->duration_ms, d, sizeof d),
            hr_time_format(x->start_ms, a, sizeof a), hr_time_format(x->end_ms, b, sizeof b));
    fprintf(f, "- Series affected: %zu (see Contributing signals).\n", x->n_series);
    fputs("- Services affected: ", f);
    if (!c->nsvc)
        fputs("none named (the series carry no `service` label)", f);
    for (size_t j = 0; j < c->nsvc; j++)
        fprintf(f, "%s%s", j ? ", " : "", c->svc[j]);
    fputs(".\n", f);
    size_t nhit = 0;
    for (size_t j = 0; j < r->nslo; j++) {
        if (!c->slo_hit[j])
            continue;
        nhit++;
        const hr_rep_slo *s = &r->slo[j];
        fprintf(f, "- SLO %s (objective %s %%, %s-day window): ", s->name, hr_rep_fmt(100 * s->objective, a, sizeof a),
                hr_rep_fmt(s->window_days, b, sizeof b));
        if (!s->res) {
            fprintf(f, "not evaluated (%s).\n", s->error ? s->error : "no data");
            continue;
        }
        int64_t we = -1;
        double used = hr_slo_consumed_between(s->res, x->start_ms, x->end_ms, &we);
        if (isnan(used))
            fputs("its data does not cover the incident, so the budget it used is not measured", f);
        else if (we == s->res->window_end_ms)
            fprintf(f, "%.1f %% of the error budget of the current window was used during the incident", 100 * used);
        else
            fprintf(f, "%.1f %% of the error budget of the window ending %s was used during the incident",
                    100 * used, hr_time_format(we, a, sizeof a));
        if (s->res->remaining >= 0)
            fprintf(f, "; %.1f %% of the current window's budget is left.\n", 100 * s->res->remaining);
        else
            fprintf(f, "; the current window's budget is overspent by %.1f %%.\n", -100 * s->res->remaining);
    }
    if (!nhit)
        fputs("- SLO budget: no SLO of the configuration covers these services or series.\n", f);
    fputs("\n_Customer-visible effect (requests failed, users affected), from the owner's knowledge._\n\n", f);
}

/* A timeline row; sorted by time, then kind, then input order. */
typedef struct tl_row {
    int64_t t;
    int kind;
    size_t ord;
    size_t ref;
} tl_row;

enum { TL_EVENT, TL_LOG_START, TL_ONSET, TL_PEAK, TL_LOG_DETECTED, TL_LOG_RESOLVED, TL_END };

/* Appends a timeline row; ord is its position, the tie-break in time. */
static void tl_add(tl_row *v, size_t *n, int64_t t, int kind, size_t ref)
{
    v[*n] = (tl_row){t, kind, *n, ref};
    (*n)++;
}

static int tl_cmp(const void *pa, const void *pb)
{
    const tl_row *p = pa, *q = pb;
    if (p->t != q->t)
        return p->t < q->t ? -1 : 1;
    if (p->kind != q->kind)
        return p->kind < q->kind ? -1 : 1;
    return p->ord < q->ord ? -1 : p->ord > q->ord;
}

/* 1 when calendar event e covers one of the incident's series. */
static int event_covers(const pm_ctx *c, const hr_rep_event *e)
{
    for (size_t q = 0; q < c->x->n_series; q++)
        if (e->scope && hr_scope_matches(e->scope, c->r->s[c->x->members[q].series].key))
            return 1;
    return 0;
}

static int event_related(const pm_ctx *c, const hr_rep_event *e)
{
    return e->t_ms >= c->x->start_ms - PM_RELATED_MS && e->t_ms <= c->x->end_ms;
}

static int timeline(FILE *f, const pm_ctx *c)
{
    const hr_report *r = c->r;
    const hr_pm_incident *x = c->x;
    size_t shown = x->n_series < PM_MAX_MEMBERS ? x->n_series : PM_MAX_MEMBERS;
    size_t cap = shown + r->nevents + 6, n = 0;
    tl_row *v = malloc(cap * sizeof *v);
    if (!v)
        return -1;
    for (size_t e = 0; e < r->nevents; e++)
        if (event_related(c, &r->events[e]) && event_covers(c, &r->events[e]))
            tl_add(v, &n, r->events[e].t_ms, TL_EVENT, e);
    size_t row = log_row(r, c->k);
    if (row != HR_PM_NONE) {
        const hr_pm_logrow *lr = &r->log[row];
        tl_add(v, &n, lr->start_ms, TL_LOG_START, row);
        if (lr->detected_ms != HR_PM_MISSING)
            tl_add(v, &n, lr->detected_ms, TL_LOG_DETECTED, row);
        if (lr->resolved_ms != HR_PM_MISSING)
            tl_add(v, &n, lr->resolved_ms, TL_LOG_RESOLVED, row);
    }
    for (size_t q = 0; q < shown; q++)
        tl_add(v, &n, x->members[q].onset_ms, TL_ONSET, q);
    tl_add(v, &n, x->peak_ms, TL_PEAK, 0);
    tl_add(v, &n, x->end_ms, TL_END, 0);
    qsort(v, n, sizeof *v, tl_cmp);
    char a[40], b[64];
    fputs("## Timeline\n\nTimes are UTC. Onsets are the first anomalous point of each series (the detector is "
          "causal: a run over data up to that point flags it there); the nightly run reports it the next "
          "morning.\n\n| time | what |\n|---|---|\n",
          f);
    for (size_t j = 0; j < n; j++) {
        fprintf(f, "| %s | ", hr_time_format(v[j].t, a, sizeof a));
        switch (v[j].kind) {
        case TL_EVENT: {
            const hr_rep_event *e = &r->events[v[j].ref];
            fputs("calendar event \"", f);
            hr_rep_md_cell(f, e->name);
            fputs("\" (scope ", f);
            code(f, e->scope ? e->scope : "");
            fputs(")", f);
            break;
        }
        case TL_LOG_START: fputs("impact began (incident log)", f); break;
        case TL_LOG_DETECTED: fputs("detected (incident log)", f); break;
        case TL_LOG_RESOLVED: fputs("resolved (incident log)", f); break;
        case TL_ONSET: {
            size_t q = v[j].ref;
            const hr_pm_member *mb = &x->members[q];
            fputs(q == 0 ? "first onset, in " : "onset in ", f);
            code(f, r->s[mb->series].key);
            fprintf(f, " (%s", hr_rep_direction_name(mb->direction));
            if (c->first_an[q] != SIZE_MAX && r->a[c->first_an[q]].fired)
                fprintf(f, "; flagged by the %s", fired_text(r->a[c->first_an[q]].fired, b, sizeof b));
            fputs(")", f);
            break;
        }
        case TL_PEAK:
            fprintf(f, "highest anomaly score of the incident, %s", hr_rep_fmt(x->peak_score, b, sizeof b));
            break;
        default: fputs("last anomalous point: the end of the incident", f); break;
        }
        fputs(" |\n", f);
    }
    if (x->n_series > shown)
        fprintf(f, "\n%zu more series had their onset within the incident (listed in problems.html).\n",
                x->n_series - shown);
    fputs("\n_Add what people did and when: pages, escalations, mitigations, the fix._\n\n", f);
    free(v);
    return 0;
}

static void detection(FILE *f, const pm_ctx *c)
{
    const hr_report *r = c->r;
    const hr_pm_incident *x = c->x;
    char a[40], b[64], d[40];
    fputs("## Detection\n\n", f);
    int fired = c->first_an[0] != SIZE_MAX ? r->a[c->first_an[0]].fired : 0;
    fprintf(f, "- The detector first flagged it at %s in ", hr_time_format(x->start_ms, a, sizeof a));
    code(f, r->s[x->origin].key);
    if (fired)
        fprintf(f, ": the %s crossed the score threshold %s", fired_text(fired, b, sizeof b),
                hr_rep_fmt(r->anomaly_z, d, sizeof d));
    else
        fprintf(f, " (score threshold %s)", hr_rep_fmt(r->anomaly_z, d, sizeof d));
    fputs(".\n", f);
    size_t cnt[8] = {0};
    for (size_t q = 0; q < x->n_series; q++)
        if (c->first_an[q] != SIZE_MAX) {
            int fi = r->a[c->first_an[q]].fired;
            if (fi > 0 && fi < 8)
                cnt[fi]++;
        }
    fputs("- What fired across its series: ", f);
    int any = 0;
    for (int fi = 1; fi < 8; fi++)
        if (cnt[fi]) {
            fprintf(f, "%s%s %zu", any ? ", " : "", fired_text(fi, b, sizeof b), cnt[fi]);
            any = 1;
        }
    fputs(any ? ".\n" : "not recorded.\n", f);
    size_t row = log_row(r, c->k);
    if (row != HR_PM_NONE) {
        const hr_pm_logrow *lr = &r->log[row];
        int64_t lead = x->start_ms - lr->start_ms;
        fprintf(f, "- MTTD of the detector for this incident: %s (it flagged the incident %s the logged start, %s).\n",
                lead > 0 ? hr_rep_fdur(lead, d, sizeof d) : "0 s", lead_text(lead, b, sizeof b),
                hr_time_format(lr->start_ms, a, sizeof a));
        if (lr->detected_ms != HR_PM_MISSING) {
            int64_t md = lr->detected_ms - lr->start_ms, gain = lr->detected_ms - x->start_ms;
            fprintf(f, "- MTTD as logged: %s (detected %s)", hr_rep_fdur(md, d, sizeof d),
                    hr_time_format(lr->detected_ms, a, sizeof a));
            if (gain > 0)
                fprintf(f, "; the detector's flag came %s earlier", hr_rep_fdur(gain, b, sizeof b));
            fputs(".\n", f);
        } else
            fputs("- The log gives no detection time.\n", f);
    } else if (r->match)
        fputs("- MTTD: not measured, the incident is not in the incident log (no logged start).\n", f);
    else
        fputs("- MTTD: not measured, no incident log was given.\n", f);
    fputs("\n_How did people learn of it (alert, customer report), and did an alert fire?_\n\n", f);
}

static void signals(FILE *f, const pm_ctx *c)
{
    const hr_report *r = c->r;
    const hr_pm_incident *x = c->x;
    char a[48], b[48], d[64], e[40];
    fputs("## Contributing signals\n\nRanked by onset; the first is the suspected origin. Peak value is the most "
          "anomalous point against what the model expected there.\n\n"
          "| rank | series | service | onset | end | peak score | peak value (expected) | flagged by |\n"
          "|---:|---|---|---|---|---:|---|---|\n",
          f);
    size_t shown = x->n_series < PM_MAX_MEMBERS ? x->n_series : PM_MAX_MEMBERS;
    for (size_t q = 0; q < shown; q++) {
        const hr_pm_member *mb = &x->members[q];
        const hr_rep_series *s = &r->s[mb->series];
        fprintf(f, "| %zu | ", q + 1);
        code(f, s->key);
        fputs(" | ", f);
        hr_rep_md_cell(f, s->service ? s->service : "-");
        fprintf(f, " | +%s | %s | %s | ", hr_rep_fdur(mb->onset_ms - x->start_ms, a, sizeof a),
                hr_time_format(mb->end_ms, b, sizeof b), hr_rep_fmt(mb->peak_score, e, sizeof e));
        size_t t = c->top_an[q];
        if (t != SIZE_MAX)
            fprintf(f, "%s (%s)", hr_rep_val(s, r->a[t].peak_value, a, sizeof a),
                    hr_rep_val(s, r->a[t].expected_value, b, sizeof b));
        else
            fputs("-", f);
        fprintf(f, " | %s |\n",
                c->first_an[q] != SIZE_MAX ? fired_text(r->a[c->first_an[q]].fired, d, sizeof d) : "-");
    }
    if (x->n_series > shown)
        fprintf(f, "\n%zu more series not listed.\n", x->n_series - shown);
    if (x->n_series >= 2)
        fprintf(f, "\n![%s: %zu series from onset to end](%s.svg)\n", c->id, x->n_series, c->id);
    fputs("\n", f);
}

static void related_changes(FILE *f, const pm_ctx *c);

static void related(FILE *f, const pm_ctx *c)
{
    const hr_report *r = c->r;
    const hr_pm_incident *x = c->x;
    char a[40], b[40];
    fprintf(f, "## Related events and changes\n\nCalendar events and inorganic level shifts from 7 days before "
               "the onset (%s) to the end of the incident.\n\n",
            hr_date_format(x->start_ms - PM_RELATED_MS, a, sizeof a));
    size_t ne = 0;
    for (size_t e = 0; e < r->nevents; e++) {
        const hr_rep_event *ev = &r->events[e];
        if (!event_related(c, ev))
            continue;
        if (!ne++)
            fputs("| date | event | scope | covers the incident's series |\n|---|---|---|---|\n", f);
        fprintf(f, "| %s | ", hr_date_format(ev->t_ms, a, sizeof a));
        hr_rep_md_cell(f, ev->name);
        fputs(" | ", f);
        code(f, ev->scope ? ev->scope : "");
        fprintf(f, " | %s |\n", event_covers(c, ev) ? "yes" : "no");
    }
    if (!ne)
        fputs(r->nevents ? "No calendar event in that time.\n" : "No events calendar was given.\n", f);
    size_t ns = 0;
    for (size_t q = 0; q < x->n_series; q++) {
        const hr_rep_series *s = &r->s[x->members[q].series];
        for (size_t j = 0; j < s->nsteps; j++) {
            const hr_rep_step *st = &s->steps[j];
            if (st->t_ms < x->start_ms - PM_RELATED_MS || st->t_ms > x->end_ms)
                continue;
            if (!ns++)
                fputs("\n| time | series | change | explained by |\n|---|---|---|---|\n", f);
            fprintf(f, "| %s | ", hr_time_format(st->t_ms, a, sizeof a));
            code(f, s->key);
            if (st->slope)
                fprintf(f, " | growth rate %+.1f points / 30 d | ", st->delta_pct);
            else
                fprintf(f, " | level %+.1f %% (%s) | ", st->delta_pct, hr_rep_val(s, st->delta, b, sizeof b));
            hr_rep_md_cell(f, st->event ? st->event : "unexplained");
            fputs(" |\n", f);
        }
    }
    if (!ns)
        fputs("\nNo inorganic step in the incident's series in that time.\n", f);
    if (!r->deploys) {
        fputs("\n_Deployments, configuration and infrastructure changes in that time the calendar does not hold._\n\n",
              f);
        return;
    }
    related_changes(f, c);
}

/* The changes log's part of "Related events and changes": the change the
 * incident is linked to (reports/deploys.c), then every change to its
 * services from 7 days before the onset to its end, latest first (up to
 * PM_MAX_CHANGES). */
#define PM_MAX_CHANGES 20
static void related_changes(FILE *f, const pm_ctx *c)
{
    const hr_report *r = c->r;
    const hr_pm_incident *x = c->x;
    const hr_rep_deploys *d = r->deploys;
    char a[40], b[40], t[200], l[32];
    size_t lc = hr_rep_incident_change(r, c->k);
    if (hr_rep_change_text(r, c->k, t, sizeof t)) {
        const hr_dep_change *y = &d->c[lc];
        t[0] = (char)(t[0] - 'a' + 'A');
        fprintf(f, "\n**Linked change.** %s (", t);
        code(f, y->id);
        fprintf(f, " at %s", hr_time_format(y->t_ms, a, sizeof a));
        if (y->commit_ms != HR_DEP_MISSING)
            fprintf(f, ", committed %s", hr_time_format(y->commit_ms, b, sizeof b));
        if (d->description && d->description[lc]) {
            fputs(": ", f);
            hr_rep_md_cell(f, d->description[lc]);
        }
        fputs(")", f);
        if (d->res->rolled_back_by[lc] != HR_DEP_NONE) {
            fputs("; rolled back by ", f);
            code(f, d->c[d->res->rolled_back_by[lc]].id);
        }
        fputs(".\n", f);
    } else {
        fprintf(f, "\nNo change to the incident's services in the %s before its onset (changes log ",
                hr_rep_lag_text(d->window_ms, l, sizeof l));
        code(f, d->path);
        fputs(").\n", f);
    }
    size_t nc = 0;
    for (size_t q = d->n; q-- > 0 && nc < PM_MAX_CHANGES;) {
        const hr_dep_change *y = &d->c[q];
        if (y->t_ms < x->start_ms - PM_RELATED_MS || y->t_ms > x->end_ms)
            continue;
        size_t v = 0;
        while (v < c->nsvc && strcmp(c->svc[v], y->service) != 0)
            v++;
        if (v == c->nsvc)
            continue;
        if (!nc++)
            fputs("\n| time | change | kind | service | description |\n|---|---|---|---|---|\n", f);
        fprintf(f, "| %s | ", hr_time_format(y->t_ms, a, sizeof a));
        code(f, y->id);
        fprintf(f, " | %s | ", hr_dep_kind_name(y->kind));
        hr_rep_md_cell(f, y->service);
        fputs(" | ", f);
        hr_rep_md_cell(f, d->description && d->description[q] ? d->description[q] : "-");
        fputs(" |\n", f);
    }
    if (!nc)
        fputs("\nNo change to the incident's services in that time.\n", f);
    fputs("\n_Changes in that time the changes log does not hold._\n\n", f);
}

static void recurrence(FILE *f, const pm_ctx *c)
{
    const hr_report *r = c->r;
    char a[40], b[40], ph[40], id[24];
    fputs("## Recurrence\n\n", f);
    size_t occ = 0, p = recurring_of(r, c->k, &occ);
    if (p == SIZE_MAX) {
        fprintf(f, "Not part of a recurring problem: fewer than %zu incidents share its origin, direction, time of "
                   "day and duration.\n\n",
                r->recurring_min);
        return;
    }
    const hr_pm_recur *x = &r->rec->rec[p];
    fprintf(f, "Occurrence %zu of %zu of %s, the %s %s of ", occ, x->count, hr_report_recurring_id(p, id, sizeof id),
            hr_pm_period_name(x->period), hr_rep_direction_name(x->direction));
    code(f, r->s[x->origin].key);
    fprintf(f, " at %s: first %s, last %s", hr_rep_phase_text(x, ph, sizeof ph), hr_time_format(x->first_ms, a, sizeof a),
            hr_time_format(x->last_ms, b, sizeof b));
    if (hr_report_recurring_lapsed(r, x))
        fputs("; lapsed (no anomaly for more than half a period past the next expected time).\n", f);
    else if (hr_report_recurring_in_pattern(r, x))
        fprintf(f, "; no longer an anomaly: it runs on as part of the weekly pattern the detector learnt; next expected %s.\n",
                hr_time_format(hr_report_recurring_next(r, x), a, sizeof a));
    else
        fprintf(f, "; next expected %s.\n", hr_time_format(x->next_ms, a, sizeof a));
    fputs("\nIts incidents: ", f);
    for (size_t j = 0; j < x->count; j++)
        fprintf(f, "%s%s", j ? ", " : "", hr_report_incident_id(x->occ[j], id, sizeof id));
    fputs(".\n\n", f);
}

/* 1 when action a belongs in the draft: a problem-management action, an
 * order or an unexplained step to investigate (a shortage or a change
 * may have contributed; reclaiming and planned events did not), resting
 * on one of its series or on an SLO that covers it. */
static int action_related(const pm_ctx *c, const hr_rep_action *a)
{
    if (a->report != HR_REP_PROBLEMS && strcmp(a->rule, "order_capacity") && strcmp(a->rule, "investigate_step"))
        return 0;
    for (size_t e = 0; e < a->nev; e++) {
        const char *s = a->ev[e].series;
        if (!s)
            continue;
        if (is_member(c, s))
            return 1;
        for (size_t j = 0; j < c->r->nslo; j++)
            if (c->slo_hit[j] && strcmp(c->r->slo[j].name, s) == 0)
                return 1;
    }
    return 0;
}

static void actions(FILE *f, const pm_ctx *c)
{
    const hr_report *r = c->r;
    char a[40], b[40];
    fputs("## Action items\n\nSuggested actions of this run that rest on the incident's series or on an SLO "
          "it touches: problem management, capacity orders and unexplained steps to investigate (the "
          "reports give their evidence).\n\n",
          f);
    size_t n = 0;
    for (size_t k = 0; k < r->nactions; k++) {
        const hr_rep_action *x = &r->actions[k];
        if (!action_related(c, x))
            continue;
        if (!n++)
            fputs("| priority | due | owner | action | id | first seen |\n|---:|---|---|---|---|---|\n", f);
        fprintf(f, "| P%d | %s | ", x->priority, hr_rep_fdate(x->due_ms, a, sizeof a));
        hr_rep_md_cell(f, x->owner ? x->owner : "-");
        fputs(" | ", f);
        hr_rep_md_cell(f, x->title);
        fprintf(f, " | %s | %s |\n", x->id, hr_rep_fdate(x->first_seen_ms, b, sizeof b));
    }
    if (!n)
        fputs("None of this run's suggested actions rests on these series.\n", f);
    fputs("\n_Add the actions this review agrees on, each with an owner, a due date and a ticket._\n", f);
}

char *hr_report_postmortem_md(const hr_report *r, size_t k)
{
    if (!r->inc || k >= r->inc->n)
        return NULL;
    pm_ctx c;
    char *buf = NULL;
    size_t len = 0;
    FILE *f = NULL;
    if (ctx_init(&c, r, k) || !(f = hr_memstream(&buf, &len))) {
        ctx_clear(&c);
        return NULL;
    }
    char a[40];
    fprintf(f, "# Postmortem draft: %s\n\n", c.id);
    fprintf(f, "A blameless draft written by headroom from the metrics, the events calendar and the incident "
               "log, with data up to %s. It says what the systems did, not who did what. The incident owner "
               "checks the facts and completes the parts in italics.\n\n",
            hr_time_format(r->as_of_ms, a, sizeof a));
    summary(f, &c);
    impact(f, &c);
    int rc = timeline(f, &c);
    detection(f, &c);
    signals(f, &c);
    related(f, &c);
    recurrence(f, &c);
    actions(f, &c);
    ctx_clear(&c);
    if (fclose(f) || rc) {
        free(buf);
        return NULL;
    }
    return buf;
}

char *hr_report_postmortem_svg(const hr_report *r, size_t k)
{
    if (!r->inc || k >= r->inc->n || r->inc->inc[k].n_series < 2)
        return NULL;
    char *buf = NULL;
    size_t len = 0;
    FILE *f = hr_memstream(&buf, &len);
    if (!f)
        return NULL;
    fputs("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n", f);
    hr_html_inc_strip_svg(f, r, k, 1);
    if (fclose(f)) {
        free(buf);
        return NULL;
    }
    return buf;
}
