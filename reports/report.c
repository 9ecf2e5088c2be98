/* report.c -- see report.h. JSON through jansson (JSON_SORT_KEYS, reals
 * as %.17g, null for non-finite), Markdown and CSV through stdio memory
 * streams. */
#include "report.h"

#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fileio.h"
#include "numfmt.h"
#include "timefmt.h"

/* ---- helpers ----------------------------------------------------------- */

const char *hr_report_incident_id(size_t k, char *b, size_t n)
{
    snprintf(b, n, "D-%04zu", k + 1);
    return b;
}

static json_t *jnum(double x) { return isfinite(x) ? json_real(x) : json_null(); }
static json_t *jtime(int64_t t)
{
    char b[40];
    return t < 0 ? json_null() : json_string(hr_time_format(t, b, sizeof b));
}
static json_t *jdate(int64_t t)
{
    char b[40];
    return t < 0 ? json_null() : json_string(hr_date_format(t, b, sizeof b));
}
static json_t *jstr(const char *s) { return s ? json_string(s) : json_null(); }

static char *dump(json_t *root)
{
    char *s = json_dumps(root, JSON_SORT_KEYS | JSON_INDENT(2) | JSON_REAL_PRECISION(17));
    json_decref(root);
    if (!s)
        return NULL;
    size_t n = strlen(s);
    char *t = realloc(s, n + 2); /* end with a newline */
    if (!t) {
        free(s);
        return NULL;
    }
    t[n] = '\n';
    t[n + 1] = '\0';
    return t;
}

const char *hr_rep_sat_name(int st)
{
    switch (st) {
    case HR_SAT_ALREADY: return "saturated";
    case HR_SAT_WITHIN: return "saturating";
    case HR_SAT_BEYOND: return "ok";
    default: return "unknown";
    }
}

/* Far below target: the highest daily peak of the window is under half
 * of capacity x target, so a share of the capacity can be handed back. */
int hr_rep_reclaimable(const hr_rep_series *s)
{
    if (!s->has_capacity)
        return 0;
    if (s->has_units)
        return s->units_reclaimable > 0;
    return s->trend_days && isfinite(s->window_max_peak) && s->window_max_peak < 0.5 * s->threshold;
}

double hr_rep_util_pct(const hr_rep_series *s, double x)
{
    return s->has_capacity && s->capacity > 0 ? 100.0 * x / s->capacity : NAN;
}

/* Text for a number in Markdown/CSV: 4 significant digits is what a
 * reader can use; "-" for missing. */
const char *hr_rep_fmt(double x, char *b, size_t n)
{
    if (!isfinite(x))
        snprintf(b, n, "-");
    else if (fabs(x) >= 1e6 || (fabs(x) < 1e-3 && x != 0))
        snprintf(b, n, "%.4g", x);
    else
        snprintf(b, n, "%.4g", x);
    return b;
}

const char *hr_rep_fdate(int64_t t, char *b, size_t n)
{
    if (t < 0) {
        snprintf(b, n, "-");
        return b;
    }
    return hr_date_format(t, b, n);
}

/* Markdown table cells must not contain '|' or line breaks. */
static void md_cell(FILE *f, const char *s)
{
    for (; *s; s++) {
        if (*s == '|')
            fputs("\\|", f);
        else if (*s == '\n' || *s == '\r')
            fputc(' ', f);
        else
            fputc(*s, f);
    }
}

/* ---- capacity ---------------------------------------------------------- */

static json_t *cap_resource(const hr_report *r, const hr_rep_series *s)
{
    json_t *o = json_object();
    json_object_set_new(o, "series", json_string(s->key));
    json_object_set_new(o, "capacity", jnum(s->capacity));
    json_object_set_new(o, "target_utilization", jnum(s->target));
    json_object_set_new(o, "current_peak", jnum(s->current_peak));
    json_object_set_new(o, "current_peak_date", jdate(s->trend_days ? s->current_peak_day_ms : -1));
    json_object_set_new(o, "current_utilization_pct", jnum(hr_rep_util_pct(s, s->current_peak)));
    json_object_set_new(o, "peak_utilization_pct", jnum(hr_rep_util_pct(s, s->window_max_peak)));
    json_object_set_new(o, "headroom_pct", jnum(s->has_capacity && s->threshold > 0
                                                    ? 100.0 * (s->threshold - s->current_peak) / s->threshold
                                                    : NAN));
    json_object_set_new(o, "organic_growth_pct_per_30d", jnum(s->organic_pct_30d));
    json_object_set_new(o, "organic_fit_days", json_integer((json_int_t)s->organic_fit_days));
    json_t *steps = json_array();
    for (size_t k = 0; k < s->nsteps; k++) {
        const hr_rep_step *st = &s->steps[k];
        json_t *e = json_object();
        json_object_set_new(e, "time", jtime(st->t_ms));
        json_object_set_new(e, "kind", json_string(st->slope ? "slope" : "level"));
        json_object_set_new(e, "delta", jnum(st->delta));
        json_object_set_new(e, "delta_pct", jnum(st->delta_pct));
        json_object_set_new(e, "event", jstr(st->event));
        json_array_append_new(steps, e);
    }
    json_object_set_new(o, "inorganic_steps", steps);
    json_t *tr = json_object();
    json_object_set_new(tr, "method", json_string("theil-sen on daily peaks"));
    json_object_set_new(tr, "days", json_integer((json_int_t)s->trend_days));
    json_object_set_new(tr, "level", jnum(s->trend_level));
    json_object_set_new(tr, "slope_per_day", jnum(s->slope_per_day));
    json_object_set_new(tr, "slope_per_day_lo80", jnum(s->slope_lo));
    json_object_set_new(tr, "slope_per_day_hi80", jnum(s->slope_hi));
    json_object_set_new(tr, "growth_pct_per_30d", jnum(s->growth_pct_30d));
    json_object_set_new(o, "trend", tr);
    json_t *sat = json_object();
    json_object_set_new(sat, "threshold", jnum(s->threshold));
    json_object_set_new(sat, "status", json_string(hr_rep_sat_name(s->sat_status)));
    json_object_set_new(sat, "p10", jdate(s->sat_p10_ms));
    json_object_set_new(sat, "p50", jdate(s->sat_p50_ms));
    json_object_set_new(sat, "p90", jdate(s->sat_p90_ms));
    json_object_set_new(sat, "method", json_string(s->sat_method ? "daily-peak forecast" : "daily-peak line (baseline)"));
    json_object_set_new(sat, "forecast_peak_at_horizon", jnum(s->peak_end_p50));
    json_object_set_new(o, "saturation", sat);
    json_t *rec = json_object();
    json_object_set_new(rec, "units_to_add", s->has_units ? json_integer(s->units_to_add) : json_null());
    json_object_set_new(rec, "units_needed", s->has_units ? json_integer(s->units_needed) : json_null());
    json_object_set_new(rec, "units_reclaimable", s->has_units ? json_integer(s->units_reclaimable) : json_null());
    json_object_set_new(rec, "order_by", jdate(s->order_by_ms));
    json_object_set_new(rec, "order_overdue", json_boolean(s->order_by_ms >= 0 && s->order_by_ms < r->as_of_day_ms));
    json_object_set_new(o, "recommendation", rec);
    json_object_set_new(o, "organic_growth_pct_per_30d_lo80", jnum(s->organic_lo_pct_30d));
    json_object_set_new(o, "organic_growth_pct_per_30d_hi80", jnum(s->organic_hi_pct_30d));
    json_object_set_new(o, "reclaimable", json_boolean(hr_rep_reclaimable(s)));
    json_t *inv = json_object();
    json_object_set_new(inv, "unit_capacity", jnum(s->unit_capacity));
    json_object_set_new(inv, "units", jnum(s->units));
    json_object_set_new(inv, "redundancy", json_integer(s->redundancy));
    json_object_set_new(inv, "lead_time_days", jnum(s->lead_time_days));
    json_object_set_new(o, "inventory", inv);
    json_t *pe = json_array();
    for (size_t k = 0; k < s->nplanned; k++) {
        json_t *e = json_object();
        json_object_set_new(e, "date", jdate(s->planned[k]->t_ms));
        json_object_set_new(e, "name", json_string(s->planned[k]->name));
        json_object_set_new(e, "expected_change_pct", jnum(s->planned[k]->expected_pct));
        json_array_append_new(pe, e);
    }
    json_object_set_new(o, "planned_events", pe);
    json_object_set_new(o, "error", jstr(s->error));
    return o;
}

char *hr_report_capacity_json(const hr_report *r)
{
    json_t *root = json_object();
    json_object_set_new(root, "schema_version", json_integer(HR_REPORT_SCHEMA));
    json_object_set_new(root, "report", json_string("capacity"));
    json_object_set_new(root, "as_of", jtime(r->as_of_ms));
    json_object_set_new(root, "horizon_days", jnum(r->horizon_days));
    json_object_set_new(root, "trend_window_days", jnum(r->trend_window_days));
    json_object_set_new(root, "models", json_string(r->models));
    json_t *res = json_array();
    for (size_t i = 0; i < r->n; i++)
        if (r->s[i].has_capacity)
            json_array_append_new(res, cap_resource(r, &r->s[i]));
    json_object_set_new(root, "resources", res);
    json_t *miss = json_array();
    for (size_t i = 0; i < r->nmissing; i++)
        json_array_append_new(miss, json_string(r->missing_inventory[i]));
    json_object_set_new(root, "inventory_without_data", miss);
    return dump(root);
}

/* resources in the order a review reads them: saturated first, then by
 * saturation date, then the rest by key */
static int cap_order(const hr_rep_series *a, const hr_rep_series *b)
{
    int ra = a->sat_status == HR_SAT_ALREADY ? 0 : a->sat_status == HR_SAT_WITHIN ? 1 : 2;
    int rb = b->sat_status == HR_SAT_ALREADY ? 0 : b->sat_status == HR_SAT_WITHIN ? 1 : 2;
    if (ra != rb)
        return ra - rb;
    if (ra == 1 && a->sat_p50_ms != b->sat_p50_ms)
        return a->sat_p50_ms < b->sat_p50_ms ? -1 : 1;
    return strcmp(a->key, b->key);
}

const hr_rep_series **hr_rep_sorted_resources(const hr_report *r, size_t *m)
{
    const hr_rep_series **v = malloc((r->n ? r->n : 1) * sizeof *v);
    if (!v)
        return NULL;
    *m = 0;
    for (size_t i = 0; i < r->n; i++)
        if (r->s[i].has_capacity)
            v[(*m)++] = &r->s[i];
    for (size_t i = 1; i < *m; i++) { /* insertion sort: stable, total order */
        const hr_rep_series *x = v[i];
        size_t j = i;
        while (j > 0 && cap_order(v[j - 1], x) > 0) {
            v[j] = v[j - 1];
            j--;
        }
        v[j] = x;
    }
    return v;
}

char *hr_report_capacity_md(const hr_report *r)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    if (!f)
        return NULL;
    size_t m = 0;
    const hr_rep_series **v = hr_rep_sorted_resources(r, &m);
    if (!v) {
        fclose(f);
        free(buf);
        return NULL;
    }
    char a[40], b[40], c[40], d[40], e[40], g[40], h[40];
    size_t nsat = 0, nwithin = 0, nrec = 0;
    for (size_t i = 0; i < m; i++) {
        nsat += v[i]->sat_status == HR_SAT_ALREADY;
        nwithin += v[i]->sat_status == HR_SAT_WITHIN;
        nrec += hr_rep_reclaimable(v[i]);
    }
    fprintf(f, "# Capacity report\n\nAs of %s (last data point). Horizon %s days.\n\n",
            hr_time_format(r->as_of_ms, a, sizeof a), hr_rep_fmt(r->horizon_days, b, sizeof b));
    fprintf(f, "## Summary\n\n");
    fprintf(f, "- %zu resources with a capacity in the inventory.\n", m);
    fprintf(f, "- %zu already above their target utilisation.\n", nsat);
    fprintf(f, "- %zu reach their target within the horizon", nwithin);
    for (size_t i = 0; i < m; i++)
        if (v[i]->sat_status == HR_SAT_WITHIN) {
            fprintf(f, "; the first is `");
            md_cell(f, v[i]->key);
            fprintf(f, "` on %s", hr_rep_fdate(v[i]->sat_p50_ms, a, sizeof a));
            break;
        }
    size_t norder = 0;
    long units = 0;
    for (size_t i = 0; i < m; i++)
        if (v[i]->has_units && v[i]->units_to_add > 0) {
            norder++;
            units += v[i]->units_to_add;
        }
    fprintf(f, ".\n- %zu resources need %ld units in all within the horizon (see Provisioning).\n", norder, units);
    fprintf(f, "- %zu reclaimable.\n", nrec);
    if (r->nmissing)
        fprintf(f, "- %zu inventory entries have no data in the store (listed at the end).\n", r->nmissing);
    fprintf(f, "\n## Resources\n\nSaturated first, then by the day the forecast daily peak reaches "
               "capacity x target (p50, with the plausible p10-p90 range).\n\n");
    fprintf(f, "| series | status | current peak | threshold | utilisation | organic growth / 30 d | "
               "steps | saturation p10 | p50 | p90 |\n|---|---|---:|---:|---:|---:|---:|---|---|---|\n");
    for (size_t i = 0; i < m; i++) {
        const hr_rep_series *s = v[i];
        fputs("| `", f);
        md_cell(f, s->key);
        fprintf(f, "` | %s%s | %s | %s | %s%% | %s%% | %zu | %s | %s | %s |\n", hr_rep_sat_name(s->sat_status),
                hr_rep_reclaimable(s) ? ", reclaimable" : "", hr_rep_fmt(s->current_peak, a, sizeof a),
                hr_rep_fmt(s->threshold, b, sizeof b), hr_rep_fmt(hr_rep_util_pct(s, s->current_peak), c, sizeof c),
                hr_rep_fmt(s->organic_pct_30d, d, sizeof d), s->nsteps, hr_rep_fdate(s->sat_p10_ms, e, sizeof e),
                hr_rep_fdate(s->sat_p50_ms, g, sizeof g), hr_rep_fdate(s->sat_p90_ms, h, sizeof h));
    }
    /* what to buy by when, then what to hand back */
    int head = 0;
    for (size_t i = 0; i < m; i++) {
        const hr_rep_series *s = v[i];
        if (!s->has_units || s->units_to_add <= 0)
            continue;
        if (!head++)
            fprintf(f, "\n## Provisioning\n\nUnits to add so the median forecast of the daily peak stays "
                       "under capacity x target through the horizon with N+k redundancy; order by = "
                       "p10 saturation date minus the lead time.\n\n| series | units now | units to add | "
                       "N+k spares | order by | lead time (days) |\n|---|---:|---:|---:|---|---:|\n");
        fputs("| `", f);
        md_cell(f, s->key);
        fprintf(f, "` | %s | %ld | %d | %s%s | %s |\n", hr_rep_fmt(s->units, a, sizeof a), s->units_to_add, s->redundancy,
                hr_rep_fdate(s->order_by_ms, b, sizeof b),
                s->order_by_ms >= 0 && s->order_by_ms < r->as_of_day_ms ? " (overdue)" : "",
                hr_rep_fmt(s->lead_time_days, c, sizeof c));
    }
    head = 0;
    for (size_t i = 0; i < m; i++) {
        const hr_rep_series *s = v[i];
        if (!s->has_units || s->units_reclaimable <= 0)
            continue;
        if (!head++)
            fprintf(f, "\n## Reclaimable\n\nUnits not needed through the horizon even on the fast-growth "
                       "path (p10 saturation path), N+k kept.\n\n| series | units now | units needed | reclaimable |\n|---|---:|---:|---:|\n");
        fputs("| `", f);
        md_cell(f, s->key);
        fprintf(f, "` | %s | %ld | %ld |\n", hr_rep_fmt(s->units, a, sizeof a), s->units_needed, s->units_reclaimable);
    }
    /* inorganic steps: attributed first, then unexplained, each by time */
    for (int pass = 0; pass < 2; pass++) {
        int shown = 0;
        for (size_t i = 0; i < m; i++)
            for (size_t k = 0; k < v[i]->nsteps; k++) {
                const hr_rep_step *st = &v[i]->steps[k];
                if ((st->event != NULL) != (pass == 0))
                    continue;
                if (!shown++)
                    fprintf(f, pass == 0 ? "\n## Inorganic steps attributed to events\n\n| time | series | "
                                           "change | event |\n|---|---|---:|---|\n"
                                         : "\n## Unexplained steps\n\nLevel shifts with no event in the "
                                           "calendar: investigate, or add the event.\n\n| time | series | "
                                           "change |\n|---|---|---:|\n");
                fprintf(f, "| %s | `", hr_time_format(st->t_ms, a, sizeof a));
                md_cell(f, v[i]->key);
                fprintf(f, "` | %s%s%% |", st->delta_pct > 0 ? "+" : "", hr_rep_fmt(st->delta_pct, b, sizeof b));
                if (st->event) {
                    fputc(' ', f);
                    md_cell(f, st->event);
                    fputs(" |", f);
                }
                fputc('\n', f);
            }
    }
    int any = 0;
    for (size_t i = 0; i < m; i++)
        for (size_t k = 0; k < v[i]->nplanned; k++) {
            if (!any++)
                fprintf(f, "\n## Planned events\n\n| date | event | series | expected change |\n"
                           "|---|---|---|---:|\n");
            fprintf(f, "| %s | ", hr_rep_fdate(v[i]->planned[k]->t_ms, a, sizeof a));
            md_cell(f, v[i]->planned[k]->name);
            fputs(" | `", f);
            md_cell(f, v[i]->key);
            fprintf(f, "` | %s%% |\n", hr_rep_fmt(v[i]->planned[k]->expected_pct, b, sizeof b));
        }
    if (r->nmissing) {
        fprintf(f, "\n## Inventory without data\n\n");
        for (size_t i = 0; i < r->nmissing; i++) {
            fputs("- `", f);
            md_cell(f, r->missing_inventory[i]);
            fputs("`\n", f);
        }
    }
    fprintf(f, "\n## Method and caveats\n\n%s\n\n"
               "- Daily peak: the highest value of each UTC day with at least half of its points.\n"
               "- Organic growth: the series minus its seasonal profiles (periods from the "
               "autocorrelation), as daily medians on the log scale, with every inorganic step "
               "removed; compound rate of a Theil-Sen line over the last 90 days (after the last "
               "change of slope).\n"
               "- Inorganic steps: change points (PELT with a penalty scaled to the series' noise) of "
               "those daily medians, placed at the hour, level shifts of at least 3%%; matched to "
               "the events calendar within the tolerance, else unexplained.\n"
               "- Saturation: daily-peak forecast = organic level x compound organic growth x the "
               "weekday's peak factor (daily peak over daily level, last 8 weeks) x planned events "
               "with an expected change; p50 = first day it reaches capacity x target; p10 / p90 use "
               "the 80%% bounds of the growth rate and of the peak factors.\n"
               "- Baseline kept in capacity.json (trend): Theil-Sen line through the daily peaks of "
               "the last %s days.\n"
               "- Saturation: first day the trend line reaches capacity x target utilisation; p10 "
               "and p90 use the 80%% confidence bounds of the slope (daily peaks are autocorrelated, "
               "so the range is optimistic). Steps from launches and migrations are not separated "
               "yet: a recent step inside the window tilts the trend.\n",
            r->models, hr_rep_fmt(r->trend_window_days, a, sizeof a));
    free(v);
    fclose(f);
    return buf;
}

/* ---- problems ---------------------------------------------------------- */

char *hr_report_problems_json(const hr_report *r)
{
    json_t *root = json_object();
    json_object_set_new(root, "schema_version", json_integer(HR_REPORT_SCHEMA));
    json_object_set_new(root, "report", json_string("problems"));
    json_object_set_new(root, "as_of", jtime(r->as_of_ms));
    json_object_set_new(root, "models", json_string(r->models));
    json_object_set_new(root, "anomaly_threshold", jnum(r->anomaly_z));
    json_t *arr = json_array();
    size_t nser = 0;
    for (size_t i = 0; i < r->n; i++)
        nser += r->s[i].nanomalies > 0;
    for (size_t i = 0; i < r->na; i++) {
        const hr_rep_anomaly *x = &r->a[i];
        json_t *o = json_object();
        json_object_set_new(o, "series", json_string(r->s[x->series].key));
        json_object_set_new(o, "start", jtime(x->start_ms));
        json_object_set_new(o, "end", jtime(x->end_ms));
        json_object_set_new(o, "peak_time", jtime(x->peak_ms));
        json_object_set_new(o, "peak_score", jnum(x->peak_z));
        json_object_set_new(o, "direction", json_string(x->direction == 2 ? "shift" : x->direction > 0 ? "spike" : "dip"));
        json_object_set_new(o, "peak_value", jnum(x->peak_value));
        json_object_set_new(o, "expected_value", jnum(x->expected_value));
        json_object_set_new(o, "duration_s", json_integer((json_int_t)((x->end_ms - x->start_ms) / 1000)));
        json_array_append_new(arr, o);
    }
    json_object_set_new(root, "anomalies", arr);
    json_object_set_new(root, "series_with_anomalies", json_integer((json_int_t)nser));
    json_object_set_new(root, "series_analysed", json_integer((json_int_t)r->n));
    return dump(root);
}

char *hr_report_problems_md(const hr_report *r)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    if (!f)
        return NULL;
    char a[40], b[40], c[40], d[40];
    size_t nser = 0;
    for (size_t i = 0; i < r->n; i++)
        nser += r->s[i].nanomalies > 0;
    fprintf(f, "# Problems report\n\nAs of %s (last data point).\n\n## Summary\n\n",
            hr_time_format(r->as_of_ms, a, sizeof a));
    fprintf(f, "- %zu anomalies in %zu of %zu series (score >= %s).\n", r->na, nser, r->n,
            hr_rep_fmt(r->anomaly_z, b, sizeof b));
    if (r->na) {
        const hr_rep_anomaly *last = &r->a[r->na - 1];
        fprintf(f, "- Most recent: `");
        md_cell(f, r->s[last->series].key);
        fprintf(f, "` from %s.\n", hr_time_format(last->start_ms, a, sizeof a));
    }
    fprintf(f, "\n## Anomalies\n\nIn order of start time.\n\n");
    if (!r->na)
        fprintf(f, "None.\n");
    else
        fprintf(f, "| start | end | series | kind | peak score | peak value | expected |\n"
                   "|---|---|---|---|---:|---:|---:|\n");
    for (size_t i = 0; i < r->na; i++) {
        const hr_rep_anomaly *x = &r->a[i];
        fprintf(f, "| %s | %s | `", hr_time_format(x->start_ms, a, sizeof a),
                hr_time_format(x->end_ms, b, sizeof b));
        md_cell(f, r->s[x->series].key);
        fprintf(f, "` | %s | %s | %s | %s |\n", x->direction == 2 ? "shift" : x->direction > 0 ? "spike" : "dip",
                hr_rep_fmt(x->peak_z, c, sizeof c), hr_rep_fmt(x->peak_value, d, sizeof d),
                hr_rep_fmt(x->expected_value, a, sizeof a));
    }
    fprintf(f, "\n## Method and caveats\n\n%s\n\n"
               "- Anomaly: a span where the causal detector's score reaches %s (and stays above "
               "half of it); the score of a point uses only the points before it, so past scores "
               "never change as data arrives. Expected value: trend plus seasonal profile of the "
               "decomposition.\n",
            r->models, hr_rep_fmt(r->anomaly_z, a, sizeof a));
    fclose(f);
    return buf;
}

/* ---- summary CSV ------------------------------------------------------- */

char *hr_report_summary_csv(const hr_report *r)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    if (!f)
        return NULL;
    fputs("series,kind,step_s,points,gaps,first,last,last_value,current_peak,capacity,"
          "target_utilization,threshold,utilization_pct,organic_growth_pct_per_30d,inorganic_steps,"
          "unexplained_steps,saturation_status,saturation_p10,saturation_p50,saturation_p90,units_to_add,"
          "order_by,reclaimable,anomalies\n", f);
    char a[40], b[40];
    for (size_t i = 0; i < r->n; i++) {
        const hr_rep_series *s = &r->s[i];
        hr_csv_put(f, s->key);
        fprintf(f, ",%s,%s,%zu,%zu,", s->counter ? "counter_rate" : "gauge",
                hr_fmt_double((double)s->step_ms / 1000.0, a, sizeof a), s->points, s->gaps);
        fprintf(f, "%s,", s->points ? hr_time_format(s->first_ms, a, sizeof a) : "");
        fprintf(f, "%s,", s->points ? hr_time_format(s->last_ms, a, sizeof a) : "");
        double cols[] = {s->last_value, s->current_peak, s->has_capacity ? s->capacity : NAN,
                         s->has_capacity ? s->target : NAN, s->has_capacity ? s->threshold : NAN,
                         hr_rep_util_pct(s, s->current_peak), s->organic_pct_30d};
        for (size_t k = 0; k < sizeof cols / sizeof cols[0]; k++)
            fprintf(f, "%s,", isfinite(cols[k]) ? hr_fmt_double(cols[k], b, sizeof b) : "");
        size_t unexplained = 0;
        for (size_t k = 0; k < s->nsteps; k++)
            unexplained += s->steps[k].event == NULL;
        fprintf(f, "%zu,%zu,", s->nsteps, unexplained);
        fprintf(f, "%s,", s->has_capacity ? hr_rep_sat_name(s->sat_status) : "");
        fprintf(f, "%s,", s->sat_p10_ms >= 0 ? hr_date_format(s->sat_p10_ms, a, sizeof a) : "");
        fprintf(f, "%s,", s->sat_p50_ms >= 0 ? hr_date_format(s->sat_p50_ms, a, sizeof a) : "");
        fprintf(f, "%s,", s->sat_p90_ms >= 0 ? hr_date_format(s->sat_p90_ms, a, sizeof a) : "");
        if (s->has_units)
            fprintf(f, "%ld,", s->units_to_add);
        else
            fputc(',', f);
        fprintf(f, "%s,", s->order_by_ms >= 0 ? hr_date_format(s->order_by_ms, a, sizeof a) : "");
        fprintf(f, "%s,%zu\n", hr_rep_reclaimable(s) ? "yes" : (s->has_capacity ? "no" : ""), s->nanomalies);
    }
    fclose(f);
    return buf;
}

int hr_report_write_all(const hr_report *r, const char *dir, hr_err *err)
{
    static const char *names[] = {"capacity.json", "capacity.md", "problems.json", "problems.md",
                                  "summary.csv"};
    char *(*const fns[])(const hr_report *) = {hr_report_capacity_json, hr_report_capacity_md,
                                               hr_report_problems_json, hr_report_problems_md,
                                               hr_report_summary_csv};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        char *text = fns[i](r);
        if (!text)
            return hr_err_set(err, HR_ESOFTWARE, "out of memory rendering %s", names[i]);
        char path[4096];
        snprintf(path, sizeof path, "%s/%s", dir, names[i]);
        int rc = hr_file_write_atomic(path, text, strlen(text), err);
        free(text);
        if (rc)
            return rc;
    }
    return HR_OK;
}
