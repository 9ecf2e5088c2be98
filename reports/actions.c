/* actions.c -- the suggested actions of both reports (rules in actions.h). */
#include "actions.h"

#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "timefmt.h"

/* ---- the rules and their thresholds (documented in actions.h) --------- */

enum {
    R_ORDER_CAPACITY,
    R_RECLAIM_CAPACITY,
    R_INVESTIGATE_STEP,
    R_CONFIRM_EVENT,
    R_RECURRING_CALENDAR,
    R_PROBLEM_RECORD,
    R_FREEZE_RELEASES,
    R_SLO_BURN,
    R_SLOW_RELEASES,
    R_POSTMORTEM,
    R_TUNE_DETECTION,
    R_COUNT
};

static const struct rule_def {
    const char *id;
    int report;
} RULES[R_COUNT] = {
    [R_ORDER_CAPACITY] = {"order_capacity", HR_REP_CAPACITY},
    [R_RECLAIM_CAPACITY] = {"reclaim_capacity", HR_REP_CAPACITY},
    [R_INVESTIGATE_STEP] = {"investigate_step", HR_REP_CAPACITY},
    [R_CONFIRM_EVENT] = {"confirm_event", HR_REP_CAPACITY},
    [R_RECURRING_CALENDAR] = {"recurring_calendar", HR_REP_PROBLEMS},
    [R_PROBLEM_RECORD] = {"problem_record", HR_REP_PROBLEMS},
    [R_FREEZE_RELEASES] = {"freeze_releases", HR_REP_PROBLEMS},
    [R_SLO_BURN] = {"slo_burn", HR_REP_PROBLEMS},
    [R_SLOW_RELEASES] = {"slow_releases", HR_REP_PROBLEMS},
    [R_POSTMORTEM] = {"postmortem", HR_REP_PROBLEMS},
    [R_TUNE_DETECTION] = {"tune_detection", HR_REP_PROBLEMS},
};

#define DAY_MS INT64_C(86400000)
#define HOUR_MS 3600000.0

/* order_capacity: priority by days from today to the due date */
static const int64_t ORDER_P1_DAYS = 30;
static const int64_t ORDER_P2_DAYS = 90;
/* reclaim_capacity */
static const int64_t RECLAIM_DUE_DAYS = 30;
static const int RECLAIM_PRIORITY = 4;
/* below this share of the resource a reclaim saves too little to be
 * worth a change ticket (a whole unit is needed besides) */
static const double RECLAIM_MIN_SHARE = 0.10;
/* investigate_step */
static const double STEP_MIN_ABS_PCT = 10.0;
static const int64_t STEP_LOOKBACK_DAYS = 90;
static const int64_t STEP_DUE_DAYS = 14;
static const int STEP_PRIORITY_CAPACITY = 2, STEP_PRIORITY_OTHER = 3;
/* confirm_event */
static const int64_t EVENT_DEFAULT_LEAD_DAYS = 14;
static const int64_t EVENT_P2_DAYS = 30;
/* recurring_calendar, problem_record */
static const int64_t RECUR_CALENDAR_BEFORE_DAYS = 1;
static const int64_t PROBLEM_RECORD_DUE_DAYS = 7;
static const int RECUR_PRIORITY = 2;
/* freeze_releases, slo_burn */
static const int FREEZE_PRIORITY = 1;
static const int64_t SLO_ALERT_LOOKBACK_DAYS = 7;
static const double SLO_LOW_REMAINING = 0.25;
static const int64_t SLO_BURN_DUE_DAYS = 3;
static const int SLO_BURN_PRIORITY = 2;
/* postmortem */
/* slow_releases */
static const double SLOW_BUDGET_BELOW = 0.5;
static const int64_t SLOW_DUE_DAYS = 7;
static const int SLOW_PRIORITY = 2;

static const int64_t POSTMORTEM_LOOKBACK_DAYS = 30;
static const size_t POSTMORTEM_MAJOR_MIN_SERIES = 2;
static const int64_t POSTMORTEM_DUE_DAYS = 7;
static const int POSTMORTEM_PRIORITY = 2;
/* tune_detection */
static const int64_t TUNE_DUE_DAYS = 30;
static const int TUNE_PRIORITY = 3;

/* ---- text helpers ------------------------------------------------------ */

static int64_t floor_div(int64_t a, int64_t b) { return a >= 0 ? a / b : -((-a + b - 1) / b); }
static int64_t day_of(int64_t t_ms) { return floor_div(t_ms, DAY_MS) * DAY_MS; }

/* After vsnprintf into b[size]: when the text was cut, drop a partial
 * UTF-8 character at the end; then blank control characters, so a title
 * is one valid line whatever the keys hold. */
static void tidy(char *b, size_t size, int wrote)
{
    size_t len = strlen(b);
    if (wrote >= 0 && (size_t)wrote >= size && len > 0) {
        size_t j = len - 1;
        while (j > 0 && ((unsigned char)b[j] & 0xC0) == 0x80)
            j--;
        unsigned char c = (unsigned char)b[j];
        size_t need = c < 0x80 ? 1 : c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
        if (j + need > len)
            b[j] = '\0';
    }
    for (char *p = b; *p; p++)
        if ((unsigned char)*p < 0x20 || *p == 0x7f)
            *p = ' ';
}

static void put(char *b, size_t size, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void put(char *b, size_t size, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int w = vsnprintf(b, size, fmt, ap);
    va_end(ap);
    if (w < 0)
        b[0] = '\0';
    tidy(b, size, w);
}

/* "YYYY-MM-DD" */
static const char *date_s(int64_t t_ms, char *b, size_t n) { return hr_date_format(t_ms, b, n); }

/* "YYYY-MM-DD HH:MM UTC" (to the minute, rounded down) */
static const char *time_s(int64_t t_ms, char *b, size_t n)
{
    char d[24];
    int64_t min = floor_div(t_ms - day_of(t_ms), 60000);
    snprintf(b, n, "%s %02d:%02d UTC", date_s(t_ms, d, sizeof d), (int)(min / 60), (int)(min % 60));
    return b;
}

/* A quantity with up to 4 significant digits, without an exponent below 1e9. */
static const char *num_s(double x, char *b, size_t n)
{
    if (!isfinite(x))
        snprintf(b, n, "n/a");
    else if (fabs(x) >= 1e4 && fabs(x) < 1e9)
        snprintf(b, n, "%.0f", x);
    else
        snprintf(b, n, "%.4g", x);
    return b;
}

static const char *direction_name(int dir) { return dir == 2 ? "level shift" : dir < 0 ? "dip" : "spike"; }
static const char *plural(long n) { return n == 1 ? "" : "s"; }

/* ---- the action list ---------------------------------------------------- */

typedef struct alist {
    hr_rep_action *a;
    size_t n, cap;
    int64_t today;
    int oom;
} alist;

/* A new zeroed action of rule `rule`, or NULL when out of memory. */
static hr_rep_action *add(alist *l, int rule, const char *owner, int64_t due_ms, int priority)
{
    if (l->oom)
        return NULL;
    if (l->n == l->cap) {
        size_t cap = l->cap ? 2 * l->cap : 16;
        hr_rep_action *a = realloc(l->a, cap * sizeof *a);
        if (!a) {
            l->oom = 1;
            return NULL;
        }
        l->a = a;
        l->cap = cap;
    }
    hr_rep_action *x = &l->a[l->n++];
    memset(x, 0, sizeof *x);
    x->rule = RULES[rule].id;
    x->report = RULES[rule].report;
    x->owner = owner && *owner ? owner : NULL;
    x->due_ms = due_ms < l->today ? l->today : day_of(due_ms);
    x->priority = priority;
    x->first_seen_ms = l->today;
    return x;
}

static void title(hr_rep_action *x, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void title(hr_rep_action *x, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int w = vsnprintf(x->title, sizeof x->title, fmt, ap);
    va_end(ap);
    if (w < 0)
        x->title[0] = '\0';
    tidy(x->title, sizeof x->title, w);
}

/* The action's stable id: "<rule>-" and 8 hex digits of the 64-bit
 * FNV-1a hash of the rule id, a 0x1f separator and the subject text,
 * folded to 32 bits. The subject names what the action is about (a
 * series key, a calendar row, an SLO name: see actions.h), never a
 * position or a counter, so the id survives other actions appearing or
 * going and changes only when the subject does. */
static void subject(hr_rep_action *x, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void subject(hr_rep_action *x, const char *fmt, ...)
{
    char b[1024];
    va_list ap;
    va_start(ap, fmt);
    int w = vsnprintf(b, sizeof b, fmt, ap);
    va_end(ap);
    if (w < 0)
        b[0] = '\0';
    uint64_t h = UINT64_C(14695981039346656037);
    for (const char *p = x->rule; *p; p++)
        h = (h ^ (unsigned char)*p) * UINT64_C(1099511628211);
    h = (h ^ 0x1f) * UINT64_C(1099511628211);
    for (const char *p = b; *p; p++)
        h = (h ^ (unsigned char)*p) * UINT64_C(1099511628211);
    snprintf(x->id, sizeof x->id, "%s-%08lx", x->rule, (unsigned long)((h ^ (h >> 32)) & 0xffffffffu));
}

/* Adds one evidence item (ignored beyond HR_ACTION_MAX_EVIDENCE). */
static void ev(hr_rep_action *x, const char *series, int64_t t_ms, double value, const char *what)
{
    if (x->nev >= HR_ACTION_MAX_EVIDENCE)
        return;
    hr_rep_evidence *e = &x->ev[x->nev++];
    e->series = series;
    e->t_ms = t_ms;
    e->value = value;
    put(e->what, sizeof e->what, "%s", what);
}

/* Evidence that is a value of series s: it carries the series' unit so
 * that the reports write it for people ("35.2 TiB"). */
static void ev_value(hr_rep_action *x, const hr_rep_series *s, int64_t t_ms, double value, const char *what)
{
    size_t k = x->nev;
    ev(x, s->key, t_ms, value, what);
    if (x->nev > k)
        x->ev[k].unit = s->unit;
}

static int64_t days_until(const alist *l, int64_t due_ms) { return floor_div(due_ms - l->today, DAY_MS); }

/* ---- capacity rules ----------------------------------------------------- */

static void lead_clause(const hr_rep_series *s, char *b, size_t n)
{
    char v[32];
    if (isfinite(s->lead_time_days) && s->lead_time_days > 0)
        snprintf(b, n, "(N+%d, lead time %s d)", s->redundancy, num_s(s->lead_time_days, v, sizeof v));
    else
        snprintf(b, n, "(N+%d)", s->redundancy);
}

static void rule_order(const hr_report *r, const hr_rep_series *s, alist *l)
{
    if (!s->has_units || s->units_to_add <= 0)
        return;
    int64_t due = s->order_by_ms >= 0 ? s->order_by_ms : l->today;
    int overdue = s->order_by_ms >= 0 && day_of(s->order_by_ms) < l->today;
    int64_t d = days_until(l, due < l->today ? l->today : due);
    int prio = d <= ORDER_P1_DAYS ? 1 : d <= ORDER_P2_DAYS ? 2 : 3;
    hr_rep_action *x = add(l, R_ORDER_CAPACITY, s->service, due, prio);
    if (!x)
        return;
    subject(x, "%s", s->key);
    char lead[64], dt[24];
    lead_clause(s, lead, sizeof lead);
    if (overdue)
        title(x, "Order %ld unit%s for %s now: the order-by date %s has passed %s", s->units_to_add,
              plural(s->units_to_add), s->key, date_s(s->order_by_ms, dt, sizeof dt), lead);
    else if (s->order_by_ms < 0)
        title(x, "Order %ld unit%s for %s now %s", s->units_to_add, plural(s->units_to_add), s->key, lead);
    else
        title(x, "Order %ld unit%s for %s by %s %s", s->units_to_add, plural(s->units_to_add), s->key,
              date_s(s->order_by_ms, dt, sizeof dt), lead);
    if (s->sat_p10_ms >= 0 && isfinite(s->threshold))
        ev_value(x, s, s->sat_p10_ms, s->threshold, "threshold (capacity x target), reached on the fast path (p10)");
    if (isfinite(s->current_peak))
        ev_value(x, s, s->current_peak_day_ms, s->current_peak, "current daily peak");
    ev(x, s->key, r->as_of_ms, (double)s->units_needed, "units needed through the horizon (N+k)");
}

static void rule_reclaim(const hr_report *r, const hr_rep_series *s, alist *l)
{
    if (!s->has_units || s->units_reclaimable < 1 || s->units_to_add > 0)
        return;
    /* the share of the resource it frees: by units when the inventory
     * counts them, else by capacity */
    double share = NAN;
    if (isfinite(s->units) && s->units > 0)
        share = (double)s->units_reclaimable / s->units;
    else if (isfinite(s->unit_capacity) && isfinite(s->capacity) && s->capacity > 0)
        share = (double)s->units_reclaimable * s->unit_capacity / s->capacity;
    if (!(share >= RECLAIM_MIN_SHARE))
        return;
    hr_rep_action *x = add(l, R_RECLAIM_CAPACITY, s->service, l->today + RECLAIM_DUE_DAYS * DAY_MS, RECLAIM_PRIORITY);
    if (!x)
        return;
    subject(x, "%s", s->key);
    char of[48] = "", need[64] = " not needed even on the fast-growth path", peak[96] = "", dt[24], a[32];
    if (isfinite(s->units) && s->units > 0) {
        long have = (long)s->units;
        snprintf(of, sizeof of, " of %ld", have);
        snprintf(need, sizeof need, " the fast-growth path needs %ld", have - s->units_reclaimable);
    }
    int peak_known = isfinite(s->window_max_peak) && isfinite(s->capacity) && s->capacity > 0;
    if (peak_known)
        snprintf(peak, sizeof peak, "; highest daily peak of the last %s d is %.1f%% of capacity",
                 num_s(r->trend_window_days, a, sizeof a), 100.0 * s->window_max_peak / s->capacity);
    title(x, "Reclaim %ld%s unit%s of %s by %s:%s (N+%d kept)%s", s->units_reclaimable, of,
          of[0] ? "s" : plural(s->units_reclaimable), s->key, date_s(x->due_ms, dt, sizeof dt), need, s->redundancy,
          peak);
    if (isfinite(s->window_max_peak))
        ev_value(x, s, l->today, s->window_max_peak, "highest daily peak in the trend window");
    if (isfinite(s->capacity))
        ev_value(x, s, l->today, s->capacity, "capacity");
    ev(x, s->key, r->as_of_ms, (double)s->units_reclaimable, "units reclaimable (not needed on the fast path, N+k kept)");
}

static void rule_steps(const hr_rep_series *s, alist *l)
{
    for (size_t k = 0; k < s->nsteps; k++) {
        const hr_rep_step *st = &s->steps[k];
        if (st->slope != 0 || st->event != NULL || !isfinite(st->delta_pct) ||
            fabs(st->delta_pct) < STEP_MIN_ABS_PCT || st->t_ms < l->today - STEP_LOOKBACK_DAYS * DAY_MS)
            continue;
        hr_rep_action *x = add(l, R_INVESTIGATE_STEP, s->service, l->today + STEP_DUE_DAYS * DAY_MS,
                               s->has_capacity ? STEP_PRIORITY_CAPACITY : STEP_PRIORITY_OTHER);
        if (!x)
            return;
        char dt[24];
        subject(x, "%s@%s", s->key, date_s(st->t_ms, dt, sizeof dt));
        title(x, "Investigate the unexplained level shift of %+.1f%% on %s in %s (no event in the calendar explains it)",
              st->delta_pct, date_s(st->t_ms, dt, sizeof dt), s->key);
        ev(x, s->key, st->t_ms, st->delta_pct, "level shift (%) with no event in the calendar");
    }
}

/* The due date of confirming event e for resource s: the event's day
 * minus the lead time (or EVENT_DEFAULT_LEAD_DAYS), not before today. */
static int64_t event_due(const hr_rep_series *s, const hr_rep_event *e, const alist *l)
{
    int64_t lead = EVENT_DEFAULT_LEAD_DAYS;
    if (isfinite(s->lead_time_days) && s->lead_time_days > 0) {
        lead = (int64_t)llround(s->lead_time_days);
        if (lead < 1)
            lead = 1;
    }
    int64_t due = day_of(e->t_ms) - lead * DAY_MS;
    return due < l->today ? l->today : due;
}

static int confirm_applies(const hr_rep_series *s, const hr_rep_event *e)
{
    return s->has_capacity && !s->error && e && isfinite(e->expected_pct);
}

/* One action per planned event with an expected change, over every
 * resource with a capacity it covers (the events are shared by pointer:
 * the same calendar row is the same event). */
static void rule_events(const hr_report *r, alist *l)
{
    /* the distinct events, in order of their first resource: few (a
     * calendar's planned rows), so a linear search is enough */
    size_t ne = 0, cap = 0;
    const hr_rep_event **evs = NULL;
    size_t *at = NULL;
    for (size_t i = 0; i < r->n; i++)
        for (size_t k = 0; k < r->s[i].nplanned; k++) {
            const hr_rep_event *e = r->s[i].planned[k];
            if (!confirm_applies(&r->s[i], e))
                continue;
            size_t q = 0;
            while (q < ne && evs[q] != e)
                q++;
            if (q < ne)
                continue;
            if (ne == cap) {
                size_t nc = cap ? 2 * cap : 16;
                const hr_rep_event **p1 = realloc(evs, nc * sizeof *p1);
                if (p1)
                    evs = p1;
                size_t *p2 = realloc(at, nc * sizeof *p2);
                if (p2)
                    at = p2;
                if (!p1 || !p2) {
                    free(evs);
                    free(at);
                    l->oom = 1;
                    return;
                }
                cap = nc;
            }
            evs[ne] = e;
            at[ne++] = i;
        }
    for (size_t m = 0; m < ne; m++) {
        const hr_rep_event *e = evs[m];
        size_t i = at[m];
        const hr_rep_series *first = &r->s[i];
        int64_t due = INT64_MAX;
        size_t nres = 0;
        int same_owner = 1;
        for (size_t j = i; j < r->n; j++)
            for (size_t q = 0; q < r->s[j].nplanned; q++)
                if (r->s[j].planned[q] == e && confirm_applies(&r->s[j], e)) {
                    int64_t d = event_due(&r->s[j], e, l);
                    if (d < due)
                        due = d;
                    nres++;
                    const char *o1 = first->service, *o2 = r->s[j].service;
                    same_owner &= (!o1 && !o2) || (o1 && o2 && strcmp(o1, o2) == 0);
                    break;
                }
        int prio = days_until(l, due) <= EVENT_P2_DAYS ? 2 : 3;
        hr_rep_action *x = add(l, R_CONFIRM_EVENT, same_owner ? first->service : NULL, due, prio);
        if (!x)
            break;
        char dt[24];
        const char *name = e->name && *e->name ? e->name : "(unnamed)";
        subject(x, "%s@%s@%s", e->name ? e->name : "", date_s(e->t_ms, dt, sizeof dt), e->scope ? e->scope : "");
        if (nres == 1) {
            title(x, "Confirm the planned event %s on %s (%+.1f%% expected on %s): the saturation forecast assumes it",
                  name, date_s(e->t_ms, dt, sizeof dt), e->expected_pct, first->key);
            ev(x, first->key, e->t_ms, e->expected_pct, "expected change (%) of the planned event");
            if (isfinite(first->current_peak))
                ev_value(x, first, first->current_peak_day_ms, first->current_peak, "current daily peak");
            if (isfinite(first->threshold))
                ev_value(x, first, l->today, first->threshold, "threshold (capacity x target)");
            continue;
        }
        title(x, "Confirm the planned event %s on %s (%+.1f%% expected on %zu resources, first %s): the saturation "
              "forecast assumes it", name, date_s(e->t_ms, dt, sizeof dt), e->expected_pct, nres, first->key);
        ev(x, first->key, e->t_ms, e->expected_pct, "expected change (%) of the planned event");
        for (size_t j = i; j < r->n && x->nev < HR_ACTION_MAX_EVIDENCE; j++)
            for (size_t q = 0; q < r->s[j].nplanned; q++)
                if (r->s[j].planned[q] == e && confirm_applies(&r->s[j], e)) {
                    const hr_rep_series *t = &r->s[j];
                    if (isfinite(t->current_peak) && t->threshold > 0)
                        ev(x, t->key, t->current_peak_day_ms, 100 * t->current_peak / t->threshold,
                           "current daily peak as % of the threshold (capacity x target)");
                    break;
                }
    }
    free(evs);
    free(at);
}

/* ---- problem-management rules ------------------------------------------- */

static const char *series_key(const hr_report *r, size_t i) { return i < r->n && r->s[i].key ? r->s[i].key : "(unknown series)"; }
static const char *series_service(const hr_report *r, size_t i) { return i < r->n ? r->s[i].service : NULL; }

/* The schedule of a recurrence, e.g. "Mondays 03:00 UTC". */
static void schedule_s(const hr_pm_recur *rc, char *b, size_t n)
{
    static const char *const wd[7] = {"Mondays", "Tuesdays", "Wednesdays", "Thursdays", "Fridays", "Saturdays", "Sundays"};
    int64_t span = rc->period == HR_PM_WEEKLY ? 7 * DAY_MS : DAY_MS;
    int64_t ph = ((rc->phase_ms % span) + span) % span;
    int64_t min = (ph + 30000) / 60000; /* to the nearest minute */
    if (min * 60000 >= span)
        min = 0;
    int day = (int)(min / 1440), hh = (int)(min % 1440 / 60), mm = (int)(min % 60);
    if (rc->period == HR_PM_WEEKLY) {
        snprintf(b, n, "%s %02d:%02d UTC", wd[day % 7], hh, mm);
    } else if (rc->period == HR_PM_DAILY) {
        snprintf(b, n, "every day at %02d:%02d UTC", hh, mm);
    } else {
        char v[32], t[40];
        double h = (double)rc->period_ms / HOUR_MS;
        if (h >= 48)
            snprintf(b, n, "every %s d, next expected %s", num_s(h / 24, v, sizeof v), time_s(rc->next_ms, t, sizeof t));
        else
            snprintf(b, n, "every %s h, next expected %s", num_s(h, v, sizeof v), time_s(rc->next_ms, t, sizeof t));
    }
}

static const char *period_adj(int period)
{
    return period == HR_PM_WEEKLY ? "weekly" : period == HR_PM_DAILY ? "daily" : "periodic";
}

/* Evidence: occurrences first..count-1 of rc that exist (oldest first). */
static void occ_evidence(const hr_report *r, const hr_pm_recur *rc, size_t from, hr_rep_action *x)
{
    for (size_t k = from; k < rc->count; k++) {
        size_t i = rc->occ[k];
        if (!r->inc || i >= r->inc->n)
            continue;
        const hr_pm_incident *in = &r->inc->inc[i];
        ev(x, series_key(r, in->origin), in->start_ms, in->peak_score, "peak anomaly score");
    }
}

/* What identifies a recurring problem across runs: its origin series,
 * period kind, direction and, to the hour, its time of day (daily) or of
 * week (weekly) or its interval (other periods). Not its R- number,
 * which shifts when another problem appears, nor next_ms, which moves. */
static void recur_subject(const hr_pm_recur *rc, const char *key, char *b, size_t n)
{
    int64_t hours;
    if (rc->period == HR_PM_WEEKLY || rc->period == HR_PM_DAILY) {
        int64_t span = rc->period == HR_PM_WEEKLY ? 7 * DAY_MS : DAY_MS;
        int64_t ph = ((rc->phase_ms % span) + span) % span;
        hours = (ph + 1800000) / 3600000 % (span / 3600000);
    } else {
        hours = (rc->period_ms + 1800000) / 3600000;
    }
    snprintf(b, n, "%s|%s|%s|%lld", key, period_adj(rc->period), direction_name(rc->direction), (long long)hours);
}

static void rule_recurring(const hr_report *r, alist *l)
{
    if (!r->rec || !r->inc)
        return;
    for (size_t j = 0; j < r->rec->n; j++) {
        const hr_pm_recur *rc = &r->rec->rec[j];
        /* a lapsed problem has stopped happening: nothing to schedule or
         * record (the reports still list it, marked lapsed); one in the
         * weekly pattern still runs, and is still to be calendared */
        if (hr_report_recurring_lapsed(r, rc))
            continue;
        const char *key = series_key(r, rc->origin), *svc = series_service(r, rc->origin);
        size_t last4 = rc->count > HR_ACTION_MAX_EVIDENCE ? rc->count - HR_ACTION_MAX_EVIDENCE : 0;
        size_t last2 = rc->count > 2 ? rc->count - 2 : 0;
        char sched[96], a[40], b[40], subj[1024];
        schedule_s(rc, sched, sizeof sched);
        recur_subject(rc, key, subj, sizeof subj);

        int64_t next = hr_report_recurring_next(r, rc);
        hr_rep_action *x = add(l, R_RECURRING_CALENDAR, svc, day_of(next) - RECUR_CALENDAR_BEFORE_DAYS * DAY_MS,
                               RECUR_PRIORITY);
        if (!x)
            return;
        subject(x, "%s", subj);
        title(x, "Add the %s job behind the recurring %s in %s (%s) to the events calendar, or fix it",
              period_adj(rc->period), direction_name(rc->direction), key, sched);
        occ_evidence(r, rc, last4, x);
        if (x->nev == 0)
            ev(x, key, rc->first_ms, (double)rc->count, "occurrences, the first at this time");

        x = add(l, R_PROBLEM_RECORD, svc, l->today + PROBLEM_RECORD_DUE_DAYS * DAY_MS, RECUR_PRIORITY);
        if (!x)
            return;
        subject(x, "%s", subj);
        title(x, "Open a problem record for the recurring %s %s in %s (%zu occurrence%s since %s, next expected %s)",
              period_adj(rc->period), direction_name(rc->direction), key, rc->count, plural((long)rc->count),
              date_s(rc->first_ms, a, sizeof a), time_s(next, b, sizeof b));
        ev(x, key, rc->first_ms, (double)rc->count, "occurrences, the first at this time");
        ev(x, key, next, (double)rc->period_ms / HOUR_MS, "period (hours); the next occurrence expected at this time");
        occ_evidence(r, rc, last2, x);
    }
}

static const char *slo_name(const hr_rep_slo *o) { return o->name && *o->name ? o->name : "(unnamed SLO)"; }

static void rule_slo(const hr_report *r, alist *l)
{
    for (size_t k = 0; k < r->nslo; k++) {
        const hr_rep_slo *o = &r->slo[k];
        const hr_slo_result *res = o->res;
        if (!res)
            continue;
        const char *name = slo_name(o);
        char a[40];
        if (res->exhausted || res->remaining <= 0) {
            const hr_slo_alert *worst = NULL;
            for (size_t i = 0; i < res->n_alerts; i++)
                if (!worst || res->alerts[i].peak_burn > worst->peak_burn ||
                    (res->alerts[i].peak_burn == worst->peak_burn && res->alerts[i].start_ms < worst->start_ms))
                    worst = &res->alerts[i];
            hr_rep_action *x = add(l, R_FREEZE_RELEASES, o->service, l->today, FREEZE_PRIORITY);
            if (!x)
                return;
            subject(x, "%s", name);
            double over = res->remaining < 0 ? -100.0 * res->remaining : 0.0;
            if (o->service && *o->service)
                title(x, "Freeze risky releases of %s until the error budget of %s recovers (%.1f%% over budget)",
                      o->service, name, over);
            else
                title(x, "Freeze risky releases affecting %s until its error budget recovers (%.1f%% over budget)", name,
                      over);
            ev(x, name, res->window_end_ms, res->remaining, "error budget remaining at the window end (share)");
            if (res->exhausted)
                ev(x, name, res->exhausted_ms, res->consumed, "error budget consumed (share); all spent at this time");
            if (worst)
                ev(x, name, worst->start_ms, worst->peak_burn, "peak burn rate of the worst burn-rate alert");
            continue;
        }
        const hr_slo_alert *page = NULL; /* the latest page alert firing in the lookback */
        for (size_t i = 0; i < res->n_alerts; i++) {
            const hr_slo_alert *al = &res->alerts[i];
            if (al->severity == HR_SLO_PAGE && al->end_ms > l->today - SLO_ALERT_LOOKBACK_DAYS * DAY_MS &&
                (!page || al->start_ms > page->start_ms || (al->start_ms == page->start_ms && al->peak_burn > page->peak_burn)))
                page = al;
        }
        if (!page && !(res->remaining < SLO_LOW_REMAINING))
            continue;
        hr_rep_action *x = add(l, R_SLO_BURN, o->service, l->today + SLO_BURN_DUE_DAYS * DAY_MS, SLO_BURN_PRIORITY);
        if (!x)
            return;
        subject(x, "%s", name);
        if (page) {
            title(x, "Review the error budget of %s: %.1f%% left, burn-rate alert at %s (%.1fx burn)", name,
                  100.0 * res->remaining, time_s(page->start_ms, a, sizeof a), page->peak_burn);
            ev(x, name, page->start_ms, page->peak_burn, "peak burn rate of the page alert");
        } else {
            title(x, "Review the error budget of %s: %.1f%% left (under %.0f%%)", name, 100.0 * res->remaining,
                  100.0 * SLO_LOW_REMAINING);
        }
        ev(x, name, res->window_end_ms, res->remaining, "error budget remaining at the window end (share)");
    }
}

static void rule_slow_releases(const hr_report *r, alist *l)
{
    const hr_rep_deploys *d = r->deploys;
    if (!d || !d->res)
        return;
    const hr_dep_result *x = d->res;
    int64_t lo = r->as_of_ms - 30 * DAY_MS;
    for (size_t k = 0; k < x->nsvc; k++) {
        const hr_dep_svc *v = &x->svc[k];
        const hr_dep_metrics *m = &v->recent;
        if (!m->n_changes || !(m->failure_rate > d->max_failure_rate))
            continue;
        const hr_rep_slo *low = NULL;
        for (size_t j = 0; j < r->nslo; j++) {
            const hr_rep_slo *o = &r->slo[j];
            if (o->res && o->service && strcmp(o->service, v->service) == 0 &&
                (!low || o->res->remaining < low->res->remaining))
                low = o;
        }
        if (!low || !(low->res->remaining < SLOW_BUDGET_BELOW))
            continue;
        hr_rep_action *a = add(l, R_SLOW_RELEASES, v->service, l->today + SLOW_DUE_DAYS * DAY_MS, SLOW_PRIORITY);
        if (!a)
            return;
        subject(a, "%s", v->service);
        title(a, "Slow releases of %s: %zu of %zu changes failed in 30 days (%.1f%%, above %.0f%%), %.1f%% of the "
                 "error budget of %s left",
              v->service, m->n_failed, m->n_changes, 100.0 * m->failure_rate, 100.0 * d->max_failure_rate,
              100.0 * low->res->remaining, slo_name(low));
        ev(a, v->service, r->as_of_ms, m->failure_rate, "change failure rate over the last 30 days (share)");
        ev(a, slo_name(low), low->res->window_end_ms, low->res->remaining,
           "error budget remaining at the window end (share)");
        /* the latest two failed changes of the 30 days, latest first */
        size_t got = 0, prev = HR_DEP_NONE;
        while (got < 2) {
            size_t best = HR_DEP_NONE;
            for (size_t c = 0; c < d->n; c++) {
                const hr_dep_change *y = &d->c[c];
                if (!x->failed[c] || strcmp(y->service, v->service) != 0 || y->t_ms <= lo || y->t_ms > r->as_of_ms)
                    continue;
                /* strictly before the previous pick in (time, index) */
                if (prev != HR_DEP_NONE && (y->t_ms > d->c[prev].t_ms || (y->t_ms == d->c[prev].t_ms && c >= prev)))
                    continue;
                if (best == HR_DEP_NONE || y->t_ms > d->c[best].t_ms || (y->t_ms == d->c[best].t_ms && c > best))
                    best = c;
            }
            if (best == HR_DEP_NONE)
                break;
            const hr_dep_change *y = &d->c[best];
            int64_t end = -1;
            size_t inc = HR_DEP_NONE;
            for (size_t j = 0; j < x->nlinks; j++)
                if (x->links[j].change == best && r->inc && r->inc->inc[x->links[j].incident].end_ms > end) {
                    end = r->inc->inc[x->links[j].incident].end_ms;
                    inc = x->links[j].incident;
                }
            char what[96], id[32];
            if (inc != HR_DEP_NONE) {
                snprintf(what, sizeof what, "failed change: hours to the end of incident %s",
                         hr_report_incident_id(inc, id, sizeof id));
                ev(a, y->id, y->t_ms, (double)(end - y->t_ms) / HOUR_MS, what);
            } else {
                size_t rb = x->rolled_back_by[best];
                ev(a, y->id, y->t_ms, rb == HR_DEP_NONE ? NAN : (double)(d->c[rb].t_ms - y->t_ms) / HOUR_MS,
                   "failed change: hours to its rollback");
            }
            prev = best;
            got++;
        }
    }
}

static void rule_postmortem(const hr_report *r, alist *l)
{
    const hr_pm_match *m = r->match;
    if (!r->inc || !m || !m->inc_row)
        return;
    size_t n = r->inc->n < m->n_inc ? r->inc->n : m->n_inc;
    for (size_t k = 0; k < n; k++) {
        const hr_pm_incident *in = &r->inc->inc[k];
        int big = in->level == HR_PM_CRITICAL || (in->level == HR_PM_MAJOR && in->n_series >= POSTMORTEM_MAJOR_MIN_SERIES);
        if (!big || m->inc_row[k] != HR_PM_NONE || in->start_ms < l->today - POSTMORTEM_LOOKBACK_DAYS * DAY_MS)
            continue;
        const char *key = series_key(r, in->origin);
        hr_rep_action *x = add(l, R_POSTMORTEM, series_service(r, in->origin), l->today + POSTMORTEM_DUE_DAYS * DAY_MS,
                               POSTMORTEM_PRIORITY);
        if (!x)
            return;
        char id[32], t[40];
        subject(x, "%s@%s", key, time_s(in->start_ms, t, sizeof t));
        title(x, "Log and review %s incident %s (started in %s at %s, %zu series)", hr_pm_level_name(in->level),
              hr_report_incident_id(k, id, sizeof id), key, time_s(in->start_ms, t, sizeof t), in->n_series);
        ev(x, key, in->peak_ms, in->peak_score, "peak anomaly score");
        ev(x, key, in->start_ms, (double)in->n_series, "series involved");
        ev(x, key, in->start_ms, (double)in->duration_ms / HOUR_MS, "duration in hours");
        ev(x, key, in->start_ms, in->severity, "severity index (0..1)");
    }
}

static const char *svc_or_empty(const char *s) { return s ? s : ""; }

static void rule_tune(const hr_report *r, alist *l)
{
    const hr_pm_match *m = r->match;
    if (!m || !m->row_status || !r->log)
        return;
    size_t n = r->nlog < m->n_rows ? r->nlog : m->n_rows;
    int64_t data_first = INT64_MAX;
    for (size_t i = 0; i < r->n; i++)
        if (r->s[i].first_ms >= 0 && r->s[i].first_ms < data_first)
            data_first = r->s[i].first_ms;
    /* missed rows in the data, sorted by (service, start, index) */
    size_t *rows = malloc((n ? n : 1) * sizeof *rows), nm = 0;
    if (!rows) {
        l->oom = 1;
        return;
    }
    for (size_t i = 0; i < n; i++)
        /* a miss on a weekly job the detector has learnt is not one to
         * tune for: the recurring problem's own actions cover it */
        if (m->row_status[i] == HR_PM_MISSED && r->log[i].end_ms >= data_first && r->log[i].start_ms <= r->as_of_ms &&
            hr_report_log_in_pattern(r, i) < 0)
            rows[nm++] = i;
    /* insertion sort keeps it simple and stable; logs are short */
    for (size_t i = 1; i < nm; i++) {
        size_t v = rows[i], j = i;
        while (j > 0) {
            const hr_pm_logrow *p = &r->log[rows[j - 1]], *q = &r->log[v];
            int c = strcmp(svc_or_empty(p->service), svc_or_empty(q->service));
            if (c < 0 || (c == 0 && (p->start_ms < q->start_ms || (p->start_ms == q->start_ms && rows[j - 1] < v))))
                break;
            rows[j] = rows[j - 1];
            j--;
        }
        rows[j] = v;
    }
    for (size_t i = 0; i < nm;) {
        const char *svc = svc_or_empty(r->log[rows[i]].service);
        size_t e = i;
        while (e < nm && strcmp(svc_or_empty(r->log[rows[e]].service), svc) == 0)
            e++;
        const hr_pm_logrow *latest = &r->log[rows[e - 1]];
        hr_rep_action *x = add(l, R_TUNE_DETECTION, latest->service, l->today + TUNE_DUE_DAYS * DAY_MS, TUNE_PRIORITY);
        if (!x)
            break;
        char dt[24], who[200];
        subject(x, "%s", svc);
        if (*svc)
            snprintf(who, sizeof who, "%s", svc);
        else
            snprintf(who, sizeof who, "incidents without a service");
        title(x, "Tune anomaly detection for %s: %zu logged incident%s not detected (latest started %s)", who, e - i,
              e - i == 1 ? " was" : "s were", date_s(latest->start_ms, dt, sizeof dt));
        size_t from = e - i > HR_ACTION_MAX_EVIDENCE ? e - HR_ACTION_MAX_EVIDENCE : i;
        for (size_t k = from; k < e; k++) {
            const hr_pm_logrow *row = &r->log[rows[k]];
            ev(x, svc, row->start_ms, (double)(row->end_ms - row->start_ms) / HOUR_MS,
               "duration in hours of a logged incident the detector missed");
        }
        i = e;
    }
    free(rows);
}

/* ---- order -------------------------------------------------------------- */

static int cmp_str_null_first(const char *a, const char *b)
{
    if (!a || !b)
        return (a != NULL) - (b != NULL);
    return strcmp(a, b);
}

static int cmp_action(const void *pa, const void *pb)
{
    const hr_rep_action *a = pa, *b = pb;
    if (a->priority != b->priority)
        return a->priority < b->priority ? -1 : 1;
    if (a->due_ms != b->due_ms)
        return a->due_ms < b->due_ms ? -1 : 1;
    int c = strcmp(a->rule, b->rule);
    if (!c)
        c = cmp_str_null_first(a->owner, b->owner);
    if (!c)
        c = strcmp(a->title, b->title);
    if (c)
        return c;
    if (a->nev != b->nev)
        return a->nev < b->nev ? -1 : 1;
    for (size_t k = 0; k < a->nev; k++) {
        const hr_rep_evidence *x = &a->ev[k], *y = &b->ev[k];
        if ((c = cmp_str_null_first(x->series, y->series)))
            return c;
        if (x->t_ms != y->t_ms)
            return x->t_ms < y->t_ms ? -1 : 1;
        if (x->value != y->value) /* NaN last */
            return isnan(x->value) ? 1 : isnan(y->value) ? -1 : x->value < y->value ? -1 : 1;
        if ((c = strcmp(x->what, y->what)))
            return c;
    }
    return 0;
}

int hr_actions_build(const hr_report *r, hr_rep_action **out, size_t *n)
{
    *out = NULL;
    *n = 0;
    alist l = {NULL, 0, 0, r ? r->as_of_day_ms : -1, 0};
    if (r && r->as_of_day_ms >= 0) {
        for (size_t i = 0; i < r->n; i++) {
            const hr_rep_series *s = &r->s[i];
            if (s->error)
                continue;
            rule_order(r, s, &l);
            rule_reclaim(r, s, &l);
            rule_steps(s, &l);
        }
        rule_events(r, &l);
        rule_recurring(r, &l);
        rule_slo(r, &l);
        rule_slow_releases(r, &l);
        rule_postmortem(r, &l);
        rule_tune(r, &l);
    }
    if (!l.oom && l.n == 0) {
        l.a = calloc(1, sizeof *l.a);
        l.oom = l.a == NULL;
    }
    if (l.oom) {
        free(l.a);
        return HR_ESOFTWARE;
    }
    qsort(l.a, l.n, sizeof *l.a, cmp_action);
    /* Two actions with one subject (say, two recurring problems of one
     * series an hour apart rounding together) keep distinct ids: the later
     * in the total order gets "-2", "-3"... Quadratic, but lists are short. */
    for (size_t i = 1; i < l.n; i++) {
        char base[sizeof l.a[i].id];
        memcpy(base, l.a[i].id, sizeof base);
        for (int k = 2;; k++) {
            size_t j = 0;
            while (j < i && strcmp(l.a[j].id, l.a[i].id) != 0)
                j++;
            if (j == i)
                break;
            snprintf(l.a[i].id, sizeof l.a[i].id, "%.36s-%d", base, k);
        }
    }
    *out = l.a;
    *n = l.n;
    return HR_OK;
}
