/* report.c -- see report.h. JSON through jansson (JSON_SORT_KEYS, reals
 * as %.17g, null for non-finite), Markdown and CSV through stdio memory
 * streams. */
#include "report.h"

#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "changes.h"
#include "dataprob.h"
#include "fileio.h"
#include "numfmt.h"
#include "orders.h"
#include "timefmt.h"
#include "units.h"

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
    case HR_SAT_STALE: return "stale";
    default: return "unknown";
    }
}

const char *hr_rep_status(const hr_report *r, const hr_rep_series *s)
{
    if (s->sat_status != HR_SAT_ALREADY && s->sat_status != HR_SAT_STALE && s->has_units && s->units_to_add > 0 &&
        s->order_by_ms >= 0 && r->as_of_day_ms >= 0) {
        if (s->order_by_ms < r->as_of_day_ms)
            return "order_overdue";
        double lead = isfinite(s->lead_time_days) ? s->lead_time_days : 0;
        if ((double)(s->order_by_ms - r->as_of_day_ms) <= lead * 86400000.0)
            return "order_now";
    }
    return hr_rep_sat_name(s->sat_status);
}

const char *hr_rep_status_text(const hr_report *r, const hr_rep_series *s)
{
    const char *st = hr_rep_status(r, s);
    return !strcmp(st, "order_overdue") ? "order overdue" : !strcmp(st, "order_now") ? "order now" : st;
}

const char *hr_rep_val(const hr_rep_series *s, double x, char *b, size_t n)
{
    if (!isfinite(x))
        snprintf(b, n, "-");
    else
        hr_fmt_unit(x, s ? s->unit : "", b, n);
    return b;
}

/* Far below target: the highest daily peak of the window is under half
 * of capacity x target, so a share of the capacity can be handed back. */
int hr_rep_reclaimable(const hr_rep_series *s)
{
    if (!s->has_capacity || s->stale)
        return 0;
    if (s->has_units)
        return s->units_reclaimable > 0;
    return s->trend_days && isfinite(s->window_max_peak) && s->window_max_peak < 0.5 * s->threshold;
}

double hr_rep_util_pct(const hr_rep_series *s, double x)
{
    return s->has_capacity && s->capacity > 0 ? 100.0 * x / s->capacity : NAN;
}

/* Text for a number that is not a value of a series (days, scores,
 * percentages) in Markdown/HTML: 4 significant digits is what a reader
 * can use, SI prefixes rather than an exponent; "-" for missing. Values
 * of a series go through hr_rep_val. */
const char *hr_rep_fmt(double x, char *b, size_t n)
{
    if (!isfinite(x))
        snprintf(b, n, "-");
    else if (fabs(x) >= 1e6 || (fabs(x) < 1e-3 && x != 0))
        hr_fmt_unit(x, "", b, n); /* never an exponent */
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

/* "40 s", "25 min", "3.2 h" (under two days), "2.1 d" */
const char *hr_rep_fdur(int64_t ms, char *b, size_t n)
{
    const char *sg = ms < 0 ? "-" : "";
    double a = fabs((double)ms);
    if (a < 60000)
        snprintf(b, n, "%s%.0f s", sg, a / 1000);
    else if (a < 3600000)
        snprintf(b, n, "%s%.0f min", sg, a / 60000);
    else if (a < 48 * 3600000.0)
        snprintf(b, n, "%s%.1f h", sg, a / 3600000);
    else
        snprintf(b, n, "%s%.1f d", sg, a / 86400000);
    return b;
}

/* Markdown table cells must not contain '|' or line breaks. */
void hr_rep_md_cell(FILE *f, const char *s)
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

static json_t *actions_json(const hr_report *r, int which);
static void md_actions(FILE *f, const hr_report *r, int which);

/* The largest unexplained level shifts of all series (by |delta_pct|,
 * then in series and time order): at most HR_REP_SUMMARY_ROWS. */
static size_t top_unexplained(const hr_report *r, const hr_rep_series **us, const hr_rep_step **ust)
{
    size_t nu = 0;
    for (size_t i = 0; i < r->n; i++)
        for (size_t k = 0; k < r->s[i].nsteps; k++) {
            const hr_rep_step *st = &r->s[i].steps[k];
            if (st->event || st->slope || !isfinite(st->delta_pct))
                continue;
            size_t j = nu < HR_REP_SUMMARY_ROWS ? nu++ : HR_REP_SUMMARY_ROWS;
            while (j > 0 && fabs(ust[j - 1]->delta_pct) < fabs(st->delta_pct)) {
                if (j < HR_REP_SUMMARY_ROWS) {
                    us[j] = us[j - 1];
                    ust[j] = ust[j - 1];
                }
                j--;
            }
            if (j < HR_REP_SUMMARY_ROWS) {
                us[j] = &r->s[i];
                ust[j] = st;
            }
        }
    return nu;
}

/* Under a Markdown report's title: the data's age against the run's
 * clock, then the data problems. */
static void md_data_head(FILE *f, const hr_report *r)
{
    if (r->run_ms >= 0 && r->as_of_ms >= 0) {
        hr_rep_data_age(f, r);
        fputs("\n\n", f);
    }
    hr_rep_data_problems_md(f, r);
}

/* ---- capacity ---------------------------------------------------------- */

/* "Orders by kind": units summed within a kind only, money over all */
static void md_orders(FILE *f, const hr_report *r, const hr_rep_orders *o)
{
    if (!o->n)
        return;
    char a[48], b[48];
    fprintf(f, "\n### Orders by kind\n\n| kind | units to add | resources | first order by | cost |\n"
               "|---|---:|---:|---|---:|\n");
    for (size_t q = 0; q < o->n; q++) {
        const hr_rep_order_kind *k = &o->k[q];
        fputs("| ", f);
        if (!k->named)
            fputs("`", f);
        hr_rep_md_cell(f, k->kind);
        fprintf(f, "%s | %ld | %zu | %s%s | %s |\n", k->named ? "" : "`", k->units, k->resources,
                hr_rep_fdate(k->first_order_by_ms, a, sizeof a),
                k->first_order_by_ms >= 0 && k->first_order_by_ms < r->as_of_day_ms ? " (overdue)" : "",
                isfinite(k->cost) ? hr_fmt_unit(k->cost, r->currency, b, sizeof b) : "-");
    }
    if (isfinite(o->cost))
        fprintf(f, "| **total** | | %zu | | **%s** |\n", o->resources, hr_fmt_unit(o->cost, r->currency, b, sizeof b));
}

static json_t *cap_resource(const hr_report *r, const hr_rep_series *s)
{
    json_t *o = json_object();
    json_object_set_new(o, "series", json_string(s->key));
    json_object_set_new(o, "unit", json_string(s->unit));
    json_object_set_new(o, "status", json_string(hr_rep_status(r, s)));
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
    int units = s->has_units && !s->stale; /* stale: withheld, not zero */
    json_object_set_new(rec, "units_to_add", units ? json_integer(s->units_to_add) : json_null());
    json_object_set_new(rec, "units_needed", units ? json_integer(s->units_needed) : json_null());
    json_object_set_new(rec, "units_reclaimable", units ? json_integer(s->units_reclaimable) : json_null());
    json_object_set_new(rec, "order_by", jdate(s->order_by_ms));
    json_object_set_new(rec, "order_overdue", json_boolean(s->order_by_ms >= 0 && s->order_by_ms < r->as_of_day_ms));
    json_object_set_new(o, "recommendation", rec);
    json_object_set_new(o, "organic_growth_pct_per_30d_lo80", jnum(s->organic_lo_pct_30d));
    json_object_set_new(o, "organic_growth_pct_per_30d_hi80", jnum(s->organic_hi_pct_30d));
    json_object_set_new(o, "reclaimable", json_boolean(hr_rep_reclaimable(s)));
    json_object_set_new(o, "stale", json_boolean(s->stale));
    json_object_set_new(o, "last_point", jtime(s->points ? s->last_ms : -1));
    json_t *inv = json_object();
    json_object_set_new(inv, "unit_capacity", jnum(s->unit_capacity));
    json_object_set_new(inv, "units", jnum(s->units));
    json_object_set_new(inv, "redundancy", json_integer(s->redundancy));
    json_object_set_new(inv, "lead_time_days", jnum(s->lead_time_days));
    json_object_set_new(inv, "unit_name", jstr(s->unit_name));
    json_object_set_new(inv, "unit_cost", jnum(s->unit_cost));
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
    json_object_set_new(o, "service", jstr(s->service));
    json_t *ch = json_null();
    if (s->chart.ndays) {
        const hr_rep_chart *c = &s->chart;
        ch = json_object();
        json_object_set_new(ch, "history_start", jdate(c->day0_ms));
        json_object_set_new(ch, "forecast_start", jdate(c->fan0_ms));
        json_object_set_new(ch, "forecast_step_days", json_integer(c->fan_step_days));
        const double *arrs[6] = {c->peak, c->level, c->organic, c->fan_lo, c->fan_mid, c->fan_hi};
        const char *names[6] = {"daily_peak", "daily_level", "organic_fit", "forecast_peak_slow",
                                "forecast_peak_median", "forecast_peak_fast"};
        for (int k = 0; k < 6; k++) {
            json_t *a = json_array();
            size_t n = k < 3 ? c->ndays : c->nfan;
            for (size_t i = 0; i < n; i++)
                json_array_append_new(a, jnum(arrs[k][i]));
            json_object_set_new(ch, names[k], a);
        }
    }
    json_object_set_new(o, "chart", ch);
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
    json_object_set_new(root, "data_problems", hr_rep_data_problems_json(r));
    json_t *res = json_array();
    for (size_t i = 0; i < r->n; i++)
        if (r->s[i].has_capacity)
            json_array_append_new(res, cap_resource(r, &r->s[i]));
    json_object_set_new(root, "resources", res);
    json_t *miss = json_array();
    for (size_t i = 0; i < r->nmissing; i++)
        json_array_append_new(miss, json_string(r->missing_inventory[i]));
    json_object_set_new(root, "inventory_without_data", miss);
    json_object_set_new(root, "actions", actions_json(r, HR_REP_CAPACITY));
    size_t nres = 0, nsat = 0, nwithin = 0, nrec = 0;
    const hr_rep_series *first = NULL;
    for (size_t i = 0; i < r->n; i++) {
        const hr_rep_series *x = &r->s[i];
        if (!x->has_capacity)
            continue;
        nres++;
        nsat += x->sat_status == HR_SAT_ALREADY;
        nwithin += x->sat_status == HR_SAT_WITHIN;
        nrec += hr_rep_reclaimable(x);
        if (x->sat_status == HR_SAT_WITHIN &&
            (!first || x->sat_p50_ms < first->sat_p50_ms || (x->sat_p50_ms == first->sat_p50_ms && strcmp(x->key, first->key) < 0)))
            first = x;
    }
    json_t *sum = json_object();
    json_object_set_new(sum, "resources", json_integer((json_int_t)nres));
    json_object_set_new(sum, "saturated", json_integer((json_int_t)nsat));
    json_object_set_new(sum, "saturating_within_horizon", json_integer((json_int_t)nwithin));
    json_object_set_new(sum, "first_saturation_series", jstr(first ? first->key : NULL));
    json_object_set_new(sum, "first_saturation_p50", jdate(first ? first->sat_p50_ms : -1));
    hr_rep_orders ord;
    if (hr_rep_orders_build(r, &ord)) {
        json_decref(sum);
        json_decref(root);
        return NULL;
    }
    json_object_set_new(sum, "resources_to_order", json_integer((json_int_t)ord.resources));
    json_t *ok = json_array();
    for (size_t q = 0; q < ord.n; q++) {
        const hr_rep_order_kind *k = &ord.k[q];
        json_t *e = json_object();
        json_object_set_new(e, "kind", json_string(k->kind));
        json_object_set_new(e, "unit_name", k->named ? json_string(k->kind) : json_null());
        json_object_set_new(e, "resources", json_integer((json_int_t)k->resources));
        json_object_set_new(e, "units", json_integer(k->units));
        json_object_set_new(e, "cost", jnum(k->cost));
        json_object_set_new(e, "first_order_by", jdate(k->first_order_by_ms));
        json_array_append_new(ok, e);
    }
    json_object_set_new(sum, "orders_by_kind", ok);
    json_object_set_new(sum, "order_cost", jnum(ord.cost));
    json_object_set_new(sum, "currency", json_string(r->currency ? r->currency : ""));
    hr_rep_orders_clear(&ord);
    json_object_set_new(sum, "reclaimable", json_integer((json_int_t)nrec));
    json_object_set_new(root, "summary", sum);
    const hr_rep_series *us[HR_REP_SUMMARY_ROWS];
    const hr_rep_step *ust[HR_REP_SUMMARY_ROWS];
    size_t nu = top_unexplained(r, us, ust);
    json_t *ua = json_array();
    for (size_t k = 0; k < nu; k++) {
        json_t *e = json_object();
        json_object_set_new(e, "series", json_string(us[k]->key));
        json_object_set_new(e, "service", jstr(us[k]->service));
        json_object_set_new(e, "time", jtime(ust[k]->t_ms));
        json_object_set_new(e, "delta", jnum(ust[k]->delta));
        json_object_set_new(e, "delta_pct", jnum(ust[k]->delta_pct));
        json_array_append_new(ua, e);
    }
    json_object_set_new(root, "largest_unexplained_steps", ua);
    return dump(root);
}

/* resources in the order a review reads them: saturated first, then by
 * saturation date, then the stale ones (whose status is unknown until
 * their data flows again), then the rest, each by key */
static int cap_order(const hr_rep_series *a, const hr_rep_series *b)
{
    int ra = a->sat_status == HR_SAT_ALREADY ? 0 : a->sat_status == HR_SAT_WITHIN ? 1 : a->stale ? 2 : 3;
    int rb = b->sat_status == HR_SAT_ALREADY ? 0 : b->sat_status == HR_SAT_WITHIN ? 1 : b->stale ? 2 : 3;
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
    md_data_head(f, r);
    fprintf(f, "## Summary\n\n");
    fprintf(f, "- %zu resources with a capacity in the inventory.\n", m);
    fprintf(f, "- %zu already above their target utilisation.\n", nsat);
    fprintf(f, "- %zu reach their target within the horizon", nwithin);
    for (size_t i = 0; i < m; i++)
        if (v[i]->sat_status == HR_SAT_WITHIN) {
            fprintf(f, "; the first is `");
            hr_rep_md_cell(f, v[i]->key);
            fprintf(f, "` on %s", hr_rep_fdate(v[i]->sat_p50_ms, a, sizeof a));
            break;
        }
    hr_rep_orders ord;
    if (hr_rep_orders_build(r, &ord))
        memset(&ord, 0, sizeof ord);
    fprintf(f, ".\n- %zu resources need units within the horizon, of %zu kind%s%s", ord.resources, ord.n,
            ord.n == 1 ? "" : "s", ord.n ? " (see Orders by kind and Provisioning)" : "");
    if (isfinite(ord.cost))
        fprintf(f, "; cost %s%s", hr_fmt_unit(ord.cost, r->currency, b, sizeof b),
                ord.unpriced ? " for the kinds with a unit cost" : "");
    fprintf(f, ".\n");
    fprintf(f, "- %zu reclaimable.\n", nrec);
    if (r->nmissing)
        fprintf(f, "- %zu inventory entries have no data in the store (listed at the end).\n", r->nmissing);
    /* what to buy first: the earliest order-by dates */
    const hr_rep_series **o = malloc((m ? m : 1) * sizeof *o);
    size_t no = 0;
    for (size_t i = 0; o && i < m; i++)
        if (v[i]->has_units && v[i]->units_to_add > 0) {
            size_t j = no++;
            while (j > 0 && (o[j - 1]->order_by_ms > v[i]->order_by_ms ||
                             (o[j - 1]->order_by_ms == v[i]->order_by_ms && strcmp(o[j - 1]->key, v[i]->key) > 0))) {
                o[j] = o[j - 1];
                j--;
            }
            o[j] = v[i];
        }
    if (no) {
        fprintf(f, "\n### Order first\n\n| order by | series | units to add | N+k | why |\n|---|---|---:|---:|---|\n");
        for (size_t i = 0; i < no && i < HR_REP_SUMMARY_ROWS; i++) {
            const hr_rep_series *x = o[i];
            fprintf(f, "| %s%s | `", hr_rep_fdate(x->order_by_ms, a, sizeof a),
                    x->order_by_ms < r->as_of_day_ms ? " (overdue)" : "");
            hr_rep_md_cell(f, x->key);
            fprintf(f, "` | %ld | N+%d | ", x->units_to_add, x->redundancy);
            if (x->sat_status == HR_SAT_ALREADY)
                fprintf(f, "daily peak %s is above the threshold %s now |\n", hr_rep_val(x, x->current_peak, b, sizeof b),
                        hr_rep_val(x, x->threshold, c, sizeof c));
            else if (x->sat_p10_ms >= 0)
                fprintf(f, "reaches the threshold %s from %s (p10; p50 %s), lead time %s d |\n",
                        hr_rep_val(x, x->threshold, b, sizeof b), hr_rep_fdate(x->sat_p10_ms, c, sizeof c),
                        hr_rep_fdate(x->sat_p50_ms, d, sizeof d), hr_rep_fmt(x->lead_time_days, e, sizeof e));
            else
                fprintf(f, "the forecast peak %s needs %ld units at N+%d |\n",
                        hr_rep_val(x, x->peak_end_p50, b, sizeof b), x->units_needed, x->redundancy);
        }
        if (no > HR_REP_SUMMARY_ROWS)
            fprintf(f, "\n%zu more in Provisioning below.\n", no - HR_REP_SUMMARY_ROWS);
    }
    free(o);
    md_orders(f, r, &ord);
    hr_rep_orders_clear(&ord);
    /* the largest unexplained level shifts */
    const hr_rep_series *us[HR_REP_SUMMARY_ROWS];
    const hr_rep_step *ust[HR_REP_SUMMARY_ROWS];
    size_t nu = top_unexplained(r, us, ust);
    if (nu) {
        fprintf(f, "\n### Largest unexplained steps\n\nLevel shifts no event in the calendar explains.\n\n"
                   "| date | series | change |\n|---|---|---:|\n");
        for (size_t i = 0; i < nu; i++) {
            fprintf(f, "| %s | `", hr_rep_fdate(ust[i]->t_ms, a, sizeof a));
            hr_rep_md_cell(f, us[i]->key);
            fprintf(f, "` | %s%s%% |\n", ust[i]->delta_pct > 0 ? "+" : "", hr_rep_fmt(ust[i]->delta_pct, b, sizeof b));
        }
    }
    md_actions(f, r, HR_REP_CAPACITY);
    fprintf(f, "\n## Resources\n\nSaturated first, then by the day the forecast daily peak reaches "
               "capacity x target (p50, with the plausible p10-p90 range)%s.\n\n",
            r->nstale ? "; then the stale ones, with no dates (see Data problems)" : "");
    fprintf(f, "| series | status | current peak | threshold | utilisation | organic growth / 30 d | "
               "steps | saturation p10 | p50 | p90 |\n|---|---|---:|---:|---:|---:|---:|---|---|---|\n");
    for (size_t i = 0; i < m; i++) {
        const hr_rep_series *s = v[i];
        fputs("| `", f);
        hr_rep_md_cell(f, s->key);
        fprintf(f, "` | %s%s | %s | %s | %s%% | %s%% | %zu | %s | %s | %s |\n", hr_rep_status_text(r, s),
                hr_rep_reclaimable(s) ? ", reclaimable" : "", hr_rep_val(s, s->current_peak, a, sizeof a),
                hr_rep_val(s, s->threshold, b, sizeof b), hr_rep_fmt(hr_rep_util_pct(s, s->current_peak), c, sizeof c),
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
        hr_rep_md_cell(f, s->key);
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
        hr_rep_md_cell(f, s->key);
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
                hr_rep_md_cell(f, v[i]->key);
                fprintf(f, "` | %s%s%% |", st->delta_pct > 0 ? "+" : "", hr_rep_fmt(st->delta_pct, b, sizeof b));
                if (st->event) {
                    fputc(' ', f);
                    hr_rep_md_cell(f, st->event);
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
            hr_rep_md_cell(f, v[i]->planned[k]->name);
            fputs(" | `", f);
            hr_rep_md_cell(f, v[i]->key);
            fprintf(f, "` | %s%% |\n", hr_rep_fmt(v[i]->planned[k]->expected_pct, b, sizeof b));
        }
    if (r->nmissing) {
        fprintf(f, "\n## Inventory without data\n\n");
        for (size_t i = 0; i < r->nmissing; i++) {
            fputs("- `", f);
            hr_rep_md_cell(f, r->missing_inventory[i]);
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

const char *hr_rep_direction_name(int d) { return d == 2 ? "shift" : d > 0 ? "spike" : "dip"; }

/* "Mon 03:00 UTC" (weekly), "03:00 UTC" (daily), or "every 36.5 h" */
static const char *phase_text(const hr_pm_recur *p, char *b, size_t n)
{
    static const char *const dow[7] = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};
    int64_t ph = p->phase_ms / 60000; /* minutes */
    if (p->period == HR_PM_WEEKLY)
        snprintf(b, n, "%s %02d:%02d UTC", dow[(ph / 1440) % 7], (int)(ph % 1440 / 60), (int)(ph % 60));
    else if (p->period == HR_PM_DAILY)
        snprintf(b, n, "daily %02d:%02d UTC", (int)(ph % 1440 / 60), (int)(ph % 60));
    else
        snprintf(b, n, "every %.1f h", (double)p->period_ms / 3600000.0);
    return b;
}

static json_t *jsecs(double ms) { return isfinite(ms) ? json_real(ms / 1000.0) : json_null(); }

const char *hr_report_recurring_id(size_t k, char *b, size_t n)
{
    snprintf(b, n, "R-%02zu", k + 1);
    return b;
}

int hr_report_recurring_lapsed(const hr_report *r, const hr_pm_recur *p)
{
    return r->as_of_ms > p->next_ms + p->period_ms / 2;
}

/* index of the recurring problem incident k belongs to, or SIZE_MAX */
static size_t recurring_of(const hr_report *r, size_t k)
{
    for (size_t p = 0; r->rec && p < r->rec->n; p++)
        for (size_t j = 0; j < r->rec->rec[p].count; j++)
            if (r->rec->rec[p].occ[j] == k)
                return p;
    return SIZE_MAX;
}

static json_t *actions_json(const hr_report *r, int which)
{
    json_t *arr = json_array();
    char b[40];
    for (size_t k = 0; k < r->nactions; k++) {
        const hr_rep_action *x = &r->actions[k];
        if (x->report != which)
            continue;
        json_t *o = json_object();
        json_object_set_new(o, "rule", json_string(x->rule));
        json_object_set_new(o, "id", json_string(x->id));
        json_object_set_new(o, "first_seen", jdate(x->first_seen_ms));
        json_object_set_new(o, "title", json_string(x->title));
        json_object_set_new(o, "owner", jstr(x->owner));
        json_object_set_new(o, "due", jdate(x->due_ms));
        json_object_set_new(o, "priority", json_integer(x->priority));
        json_t *ev = json_array();
        for (size_t e = 0; e < x->nev; e++) {
            json_t *j = json_object();
            json_object_set_new(j, "series", jstr(x->ev[e].series));
            json_object_set_new(j, "time", x->ev[e].t_ms >= 0 ? json_string(hr_time_format(x->ev[e].t_ms, b, sizeof b))
                                                              : json_null());
            json_object_set_new(j, "value", jnum(x->ev[e].value));
            if (x->ev[e].unit)
                json_object_set_new(j, "unit", json_string(x->ev[e].unit));
            json_object_set_new(j, "what", json_string(x->ev[e].what));
            json_array_append_new(ev, j);
        }
        json_object_set_new(o, "evidence", ev);
        json_array_append_new(arr, o);
    }
    return arr;
}

static json_t *incidents_json(const hr_report *r)
{
    json_t *arr = json_array();
    char id[32];
    for (size_t k = 0; r->inc && k < r->inc->n; k++) {
        const hr_pm_incident *x = &r->inc->inc[k];
        json_t *o = json_object();
        json_object_set_new(o, "id", json_string(hr_report_incident_id(k, id, sizeof id)));
        json_object_set_new(o, "start", jtime(x->start_ms));
        json_object_set_new(o, "end", jtime(x->end_ms));
        json_object_set_new(o, "duration_s", json_integer((json_int_t)(x->duration_ms / 1000)));
        json_object_set_new(o, "origin", json_string(r->s[x->origin].key));
        json_object_set_new(o, "origin_service", jstr(r->s[x->origin].service));
        json_object_set_new(o, "direction", json_string(hr_rep_direction_name(x->direction)));
        json_object_set_new(o, "severity", jnum(x->severity));
        json_object_set_new(o, "level", json_string(hr_pm_level_name(x->level)));
        json_object_set_new(o, "peak_score", jnum(x->peak_score));
        json_object_set_new(o, "peak_time", jtime(x->peak_ms));
        json_object_set_new(o, "n_series", json_integer((json_int_t)x->n_series));
        json_object_set_new(o, "n_spans", json_integer((json_int_t)x->n_spans));
        json_t *svcs = json_array(), *mem = json_array();
        for (size_t m = 0; m < x->n_series; m++) {
            const hr_pm_member *p = &x->members[m];
            const hr_rep_series *s = &r->s[p->series];
            int seen = 0;
            for (size_t q = 0; q < m && s->service; q++)
                seen |= r->s[x->members[q].series].service == s->service;
            if (s->service && !seen)
                json_array_append_new(svcs, json_string(s->service));
            json_t *j = json_object();
            json_object_set_new(j, "series", json_string(s->key));
            json_object_set_new(j, "service", jstr(s->service));
            json_object_set_new(j, "onset", jtime(p->onset_ms));
            json_object_set_new(j, "onset_offset_s", json_integer((json_int_t)((p->onset_ms - x->start_ms) / 1000)));
            json_object_set_new(j, "end", jtime(p->end_ms));
            json_object_set_new(j, "peak_time", jtime(p->peak_ms));
            json_object_set_new(j, "peak_score", jnum(p->peak_score));
            json_object_set_new(j, "direction", json_string(hr_rep_direction_name(p->direction)));
            json_object_set_new(j, "spans", json_integer((json_int_t)p->n_spans));
            json_array_append_new(mem, j);
        }
        json_object_set_new(o, "services", svcs);
        json_object_set_new(o, "members", mem);
        size_t row = r->match ? r->match->inc_row[k] : HR_PM_NONE;
        json_object_set_new(o, "logged", row == HR_PM_NONE ? json_null() : json_string(r->log[row].title ? r->log[row].title : ""));
        size_t p = recurring_of(r, k);
        json_object_set_new(o, "recurring", p == SIZE_MAX ? json_null() : json_string(hr_report_recurring_id(p, id, sizeof id)));
        json_array_append_new(arr, o);
    }
    return arr;
}

static json_t *recurring_json(const hr_report *r)
{
    json_t *arr = json_array();
    char id[32], ph[64];
    for (size_t k = 0; r->rec && k < r->rec->n; k++) {
        const hr_pm_recur *p = &r->rec->rec[k];
        json_t *o = json_object();
        json_object_set_new(o, "id", json_string(hr_report_recurring_id(k, id, sizeof id)));
        json_object_set_new(o, "origin", json_string(r->s[p->origin].key));
        json_object_set_new(o, "service", jstr(r->s[p->origin].service));
        json_object_set_new(o, "direction", json_string(hr_rep_direction_name(p->direction)));
        json_object_set_new(o, "period", json_string(hr_pm_period_name(p->period)));
        json_object_set_new(o, "period_s", json_integer((json_int_t)(p->period_ms / 1000)));
        json_object_set_new(o, "pattern", json_string(phase_text(p, ph, sizeof ph)));
        json_object_set_new(o, "phase_s", json_integer((json_int_t)(p->phase_ms / 1000)));
        json_object_set_new(o, "median_duration_s", json_integer((json_int_t)(p->median_duration_ms / 1000)));
        json_object_set_new(o, "count", json_integer((json_int_t)p->count));
        json_object_set_new(o, "first", jtime(p->first_ms));
        json_object_set_new(o, "last", jtime(p->last_ms));
        json_object_set_new(o, "next_expected", jtime(p->next_ms));
        json_object_set_new(o, "status", json_string(hr_report_recurring_lapsed(r, p) ? "lapsed" : "active"));
        json_t *occ = json_array();
        for (size_t j = 0; j < p->count; j++)
            json_array_append_new(occ, json_string(hr_report_incident_id(p->occ[j], id, sizeof id)));
        json_object_set_new(o, "incidents", occ);
        json_array_append_new(arr, o);
    }
    return arr;
}

static json_t *svc_json(const hr_pm_svc *v)
{
    json_t *o = json_object();
    json_object_set_new(o, "service", jstr(v->service));
    json_object_set_new(o, "incidents", json_integer((json_int_t)v->n));
    json_object_set_new(o, "with_detected", json_integer((json_int_t)v->n_detected));
    json_object_set_new(o, "with_resolved", json_integer((json_int_t)v->n_resolved));
    json_object_set_new(o, "mttd_s", jsecs(v->mttd_ms));
    json_object_set_new(o, "mttr_s", jsecs(v->mttr_ms));
    json_object_set_new(o, "mtbf_s", jsecs(v->mtbf_ms));
    json_object_set_new(o, "impact_s", jsecs(v->impact_ms));
    json_object_set_new(o, "first", jtime(v->n ? v->first_ms : -1));
    json_object_set_new(o, "last", jtime(v->n ? v->last_ms : -1));
    return o;
}

static json_t *log_json(const hr_report *r)
{
    if (!r->logstats)
        return json_null();
    json_t *o = json_object(), *svcs = json_array(), *rows = json_array();
    json_object_set_new(o, "path", json_string(r->log_path));
    json_object_set_new(o, "match_tolerance_s", json_integer((json_int_t)(r->match_tolerance_ms / 1000)));
    for (size_t k = 0; k < r->logstats->n_svc; k++)
        json_array_append_new(svcs, svc_json(&r->logstats->svc[k]));
    json_object_set_new(o, "services", svcs);
    json_object_set_new(o, "all", svc_json(&r->logstats->all));
    char id[32];
    for (size_t k = 0; k < r->nlog; k++) {
        const hr_pm_logrow *x = &r->log[k];
        json_t *j = json_object();
        json_object_set_new(j, "start", jtime(x->start_ms));
        json_object_set_new(j, "end", jtime(x->end_ms));
        json_object_set_new(j, "detected", jtime(x->detected_ms));
        json_object_set_new(j, "resolved", jtime(x->resolved_ms));
        json_object_set_new(j, "service", jstr(x->service));
        json_object_set_new(j, "title", jstr(x->title));
        int seen = r->match && r->match->row_status[k] == HR_PM_SEEN;
        json_object_set_new(j, "status", json_string(seen ? "seen" : "missed"));
        json_object_set_new(j, "incident", seen ? json_string(hr_report_incident_id(r->match->row_incident[k], id, sizeof id))
                                                : json_null());
        json_object_set_new(j, "detection_lead_s", seen ? json_integer((json_int_t)(r->match->row_lead_ms[k] / 1000))
                                                        : json_null());
        json_array_append_new(rows, j);
    }
    json_object_set_new(o, "logged", rows);
    json_t *m = json_object();
    if (r->match) {
        json_object_set_new(m, "seen", json_integer((json_int_t)r->match->n_seen));
        json_object_set_new(m, "missed", json_integer((json_int_t)r->match->n_missed));
        json_object_set_new(m, "unlogged", json_integer((json_int_t)r->match->n_unlogged));
        json_object_set_new(m, "mean_detection_lead_s", jsecs(r->match->mean_lead_ms));
        json_object_set_new(m, "median_detection_lead_s", jsecs(r->match->median_lead_ms));
    }
    json_object_set_new(o, "match", m);
    return o;
}

const char *hr_report_rule_name(const hr_slo_rule *ru, char *b, size_t n)
{
    char x[32], y[32];
    int64_t t[2] = {ru->long_ms, ru->short_ms};
    char *o[2] = {x, y};
    for (int k = 0; k < 2; k++) {
        int64_t v = t[k] / 1000;
        if (v % 86400 == 0)
            snprintf(o[k], sizeof x, "%lldd", (long long)(v / 86400));
        else if (v % 3600 == 0)
            snprintf(o[k], sizeof x, "%lldh", (long long)(v / 3600));
        else if (v % 60 == 0)
            snprintf(o[k], sizeof x, "%lldm", (long long)(v / 60));
        else
            snprintf(o[k], sizeof x, "%llds", (long long)v);
    }
    snprintf(b, n, "%s/%s", x, y);
    return b;
}

static json_t *slos_json(const hr_report *r)
{
    json_t *arr = json_array();
    char b[40];
    for (size_t k = 0; k < r->nslo; k++) {
        const hr_rep_slo *d = &r->slo[k];
        const hr_slo_result *x = d->res;
        json_t *o = json_object();
        json_object_set_new(o, "name", json_string(d->name));
        json_object_set_new(o, "service", jstr(d->service));
        json_object_set_new(o, "kind", json_string(d->latency ? "latency" : "ratio"));
        json_object_set_new(o, "good", jstr(d->good));
        json_object_set_new(o, "bad", jstr(d->bad));
        json_object_set_new(o, "total", jstr(d->total));
        json_object_set_new(o, "latency", jstr(d->latency));
        json_object_set_new(o, "threshold", d->latency ? jnum(d->threshold) : json_null());
        json_object_set_new(o, "objective", jnum(d->objective));
        json_object_set_new(o, "window_days", jnum(d->window_days));
        json_object_set_new(o, "error", jstr(d->error));
        if (x) {
            json_object_set_new(o, "window_start", jtime(x->window_start_ms));
            json_object_set_new(o, "window_end", jtime(x->window_end_ms));
            json_object_set_new(o, "partial_window", json_boolean(x->partial));
            json_object_set_new(o, "points", json_integer((json_int_t)x->n_valid));
            json_object_set_new(o, "gaps", json_integer((json_int_t)x->n_gaps));
            json_object_set_new(o, "good_events", jnum(x->good));
            json_object_set_new(o, "total_events", jnum(x->total));
            json_object_set_new(o, "bad_events", jnum(x->bad));
            json_object_set_new(o, "sli", jnum(x->sli));
            json_object_set_new(o, "error_budget", jnum(x->budget));
            json_object_set_new(o, "budget_consumed", jnum(x->consumed));
            json_object_set_new(o, "budget_remaining", jnum(x->remaining));
            json_object_set_new(o, "exhausted", json_boolean(x->exhausted));
            json_object_set_new(o, "exhausted_at", x->exhausted ? jtime(x->exhausted_ms) : json_null());
            json_t *al = json_array();
            for (size_t a = 0; a < x->n_alerts; a++) {
                const hr_slo_alert *y = &x->alerts[a];
                const hr_slo_rule *ru = &x->rules[y->rule];
                json_t *j = json_object();
                json_object_set_new(j, "rule", json_string(hr_report_rule_name(ru, b, sizeof b)));
                json_object_set_new(j, "severity", json_string(y->severity == HR_SLO_PAGE ? "page" : "ticket"));
                json_object_set_new(j, "burn_threshold", jnum(ru->burn));
                json_object_set_new(j, "long_window_s", json_integer((json_int_t)(x->eff[y->rule].long_ms / 1000)));
                json_object_set_new(j, "short_window_s", json_integer((json_int_t)(x->eff[y->rule].short_ms / 1000)));
                json_object_set_new(j, "start", jtime(y->start_ms));
                json_object_set_new(j, "end", jtime(y->end_ms));
                json_object_set_new(j, "peak_burn", jnum(y->peak_burn));
                json_object_set_new(j, "peak_time", jtime(y->peak_ms));
                json_object_set_new(j, "open", json_boolean(y->open));
                json_array_append_new(al, j);
            }
            json_object_set_new(o, "alerts", al);
            json_t *bd = json_array();
            for (size_t c = 0; c < x->n_curve; c++) {
                json_t *j = json_object();
                json_object_set_new(j, "time", jtime(x->curve_ms[c]));
                json_object_set_new(j, "budget_remaining", jnum(x->curve_remaining[c]));
                json_array_append_new(bd, j);
            }
            json_object_set_new(o, "burn_down", bd);
        }
        json_array_append_new(arr, o);
    }
    return arr;
}

char *hr_report_problems_json(const hr_report *r)
{
    json_t *root = json_object();
    json_object_set_new(root, "schema_version", json_integer(HR_REPORT_SCHEMA));
    json_object_set_new(root, "report", json_string("problems"));
    json_object_set_new(root, "as_of", jtime(r->as_of_ms));
    json_object_set_new(root, "data_problems", hr_rep_data_problems_json(r));
    json_object_set_new(root, "models", json_string(r->models));
    json_object_set_new(root, "anomaly_threshold", jnum(r->anomaly_z));
    json_t *arr = json_array();
    size_t nser = 0;
    char id[32];
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
        json_object_set_new(o, "direction", json_string(hr_rep_direction_name(x->direction)));
        json_object_set_new(o, "peak_value", jnum(x->peak_value));
        json_object_set_new(o, "unit", json_string(r->s[x->series].unit));
        json_object_set_new(o, "expected_value", jnum(x->expected_value));
        json_object_set_new(o, "duration_s", json_integer((json_int_t)((x->end_ms - x->start_ms) / 1000)));
        size_t ik = r->anomaly_incident ? r->anomaly_incident[i] : SIZE_MAX;
        json_object_set_new(o, "incident", ik != SIZE_MAX ? json_string(hr_report_incident_id(ik, id, sizeof id))
                                                          : json_null());
        json_object_set_new(o, "explained_by", jstr(r->anomaly_event ? r->anomaly_event[i] : NULL));
        json_array_append_new(arr, o);
    }
    json_object_set_new(root, "anomalies", arr);
    json_object_set_new(root, "series_with_anomalies", json_integer((json_int_t)nser));
    json_object_set_new(root, "series_analysed", json_integer((json_int_t)r->n));
    json_t *grp = json_object();
    json_object_set_new(grp, "group_by", jstr(r->group_by));
    json_object_set_new(grp, "gap_s", json_integer((json_int_t)(r->incident_gap_ms / 1000)));
    json_object_set_new(root, "incident_grouping", grp);
    size_t lv[3] = {0, 0, 0};
    for (size_t k = 0; r->inc && k < r->inc->n; k++)
        lv[r->inc->inc[k].level]++;
    json_t *cnt = json_object();
    json_object_set_new(cnt, "critical", json_integer((json_int_t)lv[HR_PM_CRITICAL]));
    json_object_set_new(cnt, "major", json_integer((json_int_t)lv[HR_PM_MAJOR]));
    json_object_set_new(cnt, "minor", json_integer((json_int_t)lv[HR_PM_MINOR]));
    json_object_set_new(root, "incident_counts", cnt);
    json_object_set_new(root, "incidents", incidents_json(r));
    json_object_set_new(root, "recurring_problems", recurring_json(r));
    json_object_set_new(root, "incident_log", log_json(r));
    json_object_set_new(root, "slos", slos_json(r));
    json_object_set_new(root, "actions", actions_json(r, HR_REP_PROBLEMS));
    return dump(root);
}

static const char *hours(double ms, char *b, size_t n)
{
    if (!isfinite(ms))
        snprintf(b, n, "-");
    else
        snprintf(b, n, "%.1f h", ms / 3600000.0);
    return b;
}

static const char *pct1(double share, char *b, size_t n)
{
    if (!isfinite(share))
        snprintf(b, n, "-");
    else
        snprintf(b, n, "%.1f%%", 100.0 * share);
    return b;
}

static void md_actions(FILE *f, const hr_report *r, int which)
{
    char a[40], b[40];
    size_t n = 0;
    for (size_t k = 0; k < r->nactions; k++)
        n += r->actions[k].report == which;
    fprintf(f, "\n## Suggested actions\n\n");
    if (!n) {
        fprintf(f, "None: no rule fired.\n");
        return;
    }
    fprintf(f, "| priority | due | owner | action | evidence |\n|---:|---|---|---|---|\n");
    for (size_t k = 0; k < r->nactions; k++) {
        const hr_rep_action *x = &r->actions[k];
        if (x->report != which)
            continue;
        fprintf(f, "| P%d | %s | ", x->priority, hr_rep_fdate(x->due_ms, a, sizeof a));
        hr_rep_md_cell(f, x->owner ? x->owner : "-");
        fputs(" | ", f);
        hr_rep_md_cell(f, x->title);
        fputs(" | ", f);
        for (size_t e = 0; e < x->nev; e++) {
            if (e)
                fputs("; ", f);
            hr_rep_md_cell(f, x->ev[e].what);
            fprintf(f, " %s", x->ev[e].unit ? hr_fmt_unit(x->ev[e].value, x->ev[e].unit, b, sizeof b)
                                             : hr_rep_fmt(x->ev[e].value, b, sizeof b));
            if (x->ev[e].series) {
                fputs(" (`", f);
                hr_rep_md_cell(f, x->ev[e].series);
                fputs("`", f);
                if (x->ev[e].t_ms >= 0)
                    fprintf(f, ", %s", hr_time_format(x->ev[e].t_ms, a, sizeof a));
                fputs(")", f);
            }
        }
        fprintf(f, " |\n");
    }
}

char *hr_report_problems_md(const hr_report *r)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    if (!f)
        return NULL;
    char a[40], b[40], c[40], d[40], id[32];
    size_t nser = 0;
    for (size_t i = 0; i < r->n; i++)
        nser += r->s[i].nanomalies > 0;
    size_t lv[3] = {0, 0, 0}, ninc = r->inc ? r->inc->n : 0;
    for (size_t k = 0; k < ninc; k++)
        lv[r->inc->inc[k].level]++;
    fprintf(f, "# Problems report\n\nAs of %s (last data point).\n\n", hr_time_format(r->as_of_ms, a, sizeof a));
    md_data_head(f, r);
    fputs("## Summary\n\n", f);
    fprintf(f, "- %zu anomalies in %zu of %zu series (score >= %s).\n", r->na, nser, r->n,
            hr_rep_fmt(r->anomaly_z, b, sizeof b));
    fprintf(f, "- %zu incidents: %zu critical, %zu major, %zu minor.\n", ninc, lv[HR_PM_CRITICAL], lv[HR_PM_MAJOR],
            lv[HR_PM_MINOR]);
    fprintf(f, "- %zu recurring problems.\n", r->rec ? r->rec->n : 0);
    for (size_t k = 0; r->rec && k < r->rec->n; k++) {
        const hr_pm_recur *p = &r->rec->rec[k];
        fprintf(f, "  - %s: %s %s of `", hr_report_recurring_id(k, id, sizeof id), hr_pm_period_name(p->period),
                hr_rep_direction_name(p->direction));
        hr_rep_md_cell(f, r->s[p->origin].key);
        fprintf(f, "` at %s, %zu times, next expected %s", phase_text(p, c, sizeof c), p->count,
                hr_time_format(p->next_ms, a, sizeof a));
        if (hr_report_recurring_lapsed(r, p))
            fprintf(f, " (lapsed: no occurrence since %s)", hr_time_format(p->last_ms, a, sizeof a));
        fputs(".\n", f);
    }
    for (size_t k = 0; k < r->nslo; k++) {
        const hr_rep_slo *s = &r->slo[k];
        if (!s->res)
            continue;
        char sl[40];
        if (isfinite(s->res->sli))
            snprintf(sl, sizeof sl, "%.3f%%", 100 * s->res->sli);
        else
            snprintf(sl, sizeof sl, "-");
        fprintf(f, "- SLO %s: SLI %s against %s%%; error budget left %s%s; %zu burn-rate alerts.\n", s->name, sl,
                hr_rep_fmt(100 * s->objective, b, sizeof b), pct1(s->res->remaining, c, sizeof c),
                s->res->exhausted ? " (exhausted)" : "", s->res->n_alerts);
    }
    if (r->logstats)
        fprintf(f, "- Incident log: %zu incidents; MTTD %s, MTTR %s; %zu seen by the detector, %zu missed, "
                   "%zu detected incidents not in the log.\n",
                r->logstats->all.n, hours(r->logstats->all.mttd_ms, a, sizeof a),
                hours(r->logstats->all.mttr_ms, b, sizeof b), r->match ? r->match->n_seen : 0,
                r->match ? r->match->n_missed : 0, r->match ? r->match->n_unlogged : 0);
    md_actions(f, r, HR_REP_PROBLEMS);

    fprintf(f, "\n## Incidents\n\nAnomaly spans of all series joined when they overlap or start within %s of "
               "each other%s%s%s. The suspected origin is the series with the earliest onset.\n\n",
            hours((double)r->incident_gap_ms, a, sizeof a), r->group_by ? " (within one " : "",
            r->group_by ? r->group_by : "", r->group_by ? ")" : "");
    if (!ninc)
        fprintf(f, "None.\n");
    else
        fprintf(f, "| id | start | duration | level | severity | origin | series | logged |\n"
                   "|---|---|---:|---|---:|---|---:|---|\n");
    for (size_t k = 0; k < ninc; k++) {
        const hr_pm_incident *x = &r->inc->inc[k];
        fprintf(f, "| %s | %s | %s | %s | %s | `", hr_report_incident_id(k, id, sizeof id),
                hr_time_format(x->start_ms, a, sizeof a), hours((double)x->duration_ms, b, sizeof b),
                hr_pm_level_name(x->level), hr_rep_fmt(x->severity, c, sizeof c));
        hr_rep_md_cell(f, r->s[x->origin].key);
        fprintf(f, "` | %zu | ", x->n_series);
        size_t row = r->match ? r->match->inc_row[k] : HR_PM_NONE;
        hr_rep_md_cell(f, row == HR_PM_NONE ? (r->match ? "no" : "-") : r->log[row].title);
        fputs(" |\n", f);
    }
    for (size_t k = 0; k < ninc; k++) {
        const hr_pm_incident *x = &r->inc->inc[k];
        if (x->n_series < 2)
            continue;
        fprintf(f, "\n### %s: %s %s, %zu series\n\n", hr_report_incident_id(k, id, sizeof id),
                hr_pm_level_name(x->level), hr_rep_direction_name(x->direction), x->n_series);
        for (size_t m = 0; m < x->n_series; m++) {
            const hr_pm_member *p = &x->members[m];
            fprintf(f, "%zu. `", m + 1);
            hr_rep_md_cell(f, r->s[p->series].key);
            fprintf(f, "` onset %s (+%s), %s, peak score %s%s\n", hr_time_format(p->onset_ms, a, sizeof a),
                    hours((double)(p->onset_ms - x->start_ms), b, sizeof b), hr_rep_direction_name(p->direction),
                    hr_rep_fmt(p->peak_score, c, sizeof c), m == 0 ? " (suspected origin)" : "");
        }
    }

    fprintf(f, "\n## Recurring problems\n\nIncidents of the same service (or origin) and direction at a similar "
               "time of day or week and with similar durations, %zu or more times.\n\n",
            r->recurring_min);
    if (!r->rec || !r->rec->n)
        fprintf(f, "None.\n");
    else
        fprintf(f, "| id | origin | pattern | period | count | first | last | next expected | median duration | incidents |\n"
                   "|---|---|---|---|---:|---|---|---|---:|---|\n");
    for (size_t k = 0; r->rec && k < r->rec->n; k++) {
        const hr_pm_recur *p = &r->rec->rec[k];
        fprintf(f, "| %s | `", hr_report_recurring_id(k, id, sizeof id));
        hr_rep_md_cell(f, r->s[p->origin].key);
        fprintf(f, "` | %s %s | %s | %zu | %s | ", hr_rep_direction_name(p->direction), phase_text(p, c, sizeof c),
                hr_pm_period_name(p->period), p->count, hr_time_format(p->first_ms, a, sizeof a));
        fprintf(f, "%s | ", hr_time_format(p->last_ms, a, sizeof a));
        fprintf(f, "%s | %s | ", hr_time_format(p->next_ms, a, sizeof a), hours((double)p->median_duration_ms, b, sizeof b));
        for (size_t j = 0; j < p->count; j++)
            fprintf(f, "%s%s", j ? ", " : "", hr_report_incident_id(p->occ[j], id, sizeof id));
        fputs(" |\n", f);
    }

    fprintf(f, "\n## SLOs and error budgets\n\n");
    if (!r->nslo)
        fprintf(f, "No SLO in the configuration.\n");
    for (size_t k = 0; k < r->nslo; k++) {
        const hr_rep_slo *s = &r->slo[k];
        const hr_slo_result *x = s->res;
        fprintf(f, "### %s\n\n", s->name);
        if (s->latency) {
            fputs("- Latency SLO: share of points of `", f);
            hr_rep_md_cell(f, s->latency);
            fprintf(f, "` at or under %s.\n", hr_rep_fmt(s->threshold, a, sizeof a));
        } else {
            fputs("- Request SLO: good events of `", f);
            hr_rep_md_cell(f, s->total);
            fprintf(f, "` (%s `", s->good ? "good:" : "minus");
            hr_rep_md_cell(f, s->good ? s->good : s->bad);
            fputs("`).\n", f);
        }
        if (!x) {
            fprintf(f, "- Not evaluated: %s.\n\n", s->error ? s->error : "no data");
            continue;
        }
        fprintf(f, "- Objective %s over %s days (%s to %s)%s.\n", pct1(s->objective, a, sizeof a),
                hr_rep_fmt(s->window_days, b, sizeof b), hr_time_format(x->window_start_ms, c, sizeof c),
                hr_time_format(x->window_end_ms, d, sizeof d), x->partial ? ", partial window: less data than the window" : "");
        fprintf(f, "- SLI %.4f%%; error budget consumed %s, remaining %s", 100 * x->sli, pct1(x->consumed, a, sizeof a),
                pct1(x->remaining, b, sizeof b));
        if (x->exhausted)
            fprintf(f, "; exhausted at %s", hr_time_format(x->exhausted_ms, c, sizeof c));
        fputs(".\n", f);
        if (!x->n_alerts) {
            fprintf(f, "- No burn-rate alert.\n\n");
            continue;
        }
        fprintf(f, "\n| rule | severity | burn > | start | end | peak burn | open |\n|---|---|---:|---|---|---:|---|\n");
        for (size_t q = 0; q < x->n_alerts; q++) {
            const hr_slo_alert *y = &x->alerts[q];
            fprintf(f, "| %s | %s | %s | ", hr_report_rule_name(&x->rules[y->rule], id, sizeof id),
                    y->severity == HR_SLO_PAGE ? "page" : "ticket", hr_rep_fmt(x->rules[y->rule].burn, a, sizeof a));
            fprintf(f, "%s | ", hr_time_format(y->start_ms, a, sizeof a));
            fprintf(f, "%s | %s | %s |\n", hr_time_format(y->end_ms, a, sizeof a), hr_rep_fmt(y->peak_burn, b, sizeof b),
                    y->open ? "yes" : "no");
        }
        fputs("\n", f);
    }

    fprintf(f, "\n## Incident log\n\n");
    if (!r->logstats) {
        fprintf(f, "No incident log given ([incidents] path).\n");
    } else {
        fputs("From `", f);
        hr_rep_md_cell(f, r->log_path);
        fprintf(f, "`. MTTD: start to detected; MTTR: start to resolved (time to restore); MTBF: mean time "
                   "between successive starts.\n\n| service | incidents | MTTD | MTTR | MTBF | impact |\n"
                   "|---|---:|---:|---:|---:|---:|\n");
        for (size_t k = 0; k <= r->logstats->n_svc; k++) {
            const hr_pm_svc *v = k < r->logstats->n_svc ? &r->logstats->svc[k] : &r->logstats->all;
            fputs("| ", f);
            hr_rep_md_cell(f, v->service ? v->service : "all");
            fprintf(f, " | %zu | %s | ", v->n, hours(v->mttd_ms, a, sizeof a));
            fprintf(f, "%s | %s | ", hours(v->mttr_ms, a, sizeof a), hours(v->mtbf_ms, b, sizeof b));
            fprintf(f, "%s |\n", hours(v->impact_ms, a, sizeof a));
        }
        if (r->match) {
            fprintf(f, "\nDetector against the log (within %s): %zu seen, %zu missed, %zu detected incidents not "
                       "in the log; median detection lead %s.\n",
                    hours((double)r->match_tolerance_ms, a, sizeof a), r->match->n_seen, r->match->n_missed,
                    r->match->n_unlogged, hours(r->match->median_lead_ms, b, sizeof b));
            for (size_t k = 0; k < r->nlog; k++)
                if (r->match->row_status[k] == HR_PM_MISSED) {
                    fprintf(f, "- Missed: %s ", hr_time_format(r->log[k].start_ms, a, sizeof a));
                    hr_rep_md_cell(f, r->log[k].service ? r->log[k].service : "");
                    fputs(": ", f);
                    hr_rep_md_cell(f, r->log[k].title ? r->log[k].title : "");
                    fputs("\n", f);
                }
        }
    }

    fprintf(f, "\n## Anomalies\n\nIn order of start time.\n\n");
    if (!r->na)
        fprintf(f, "None.\n");
    else
        fprintf(f, "| start | end | series | kind | peak score | peak value | expected | incident |\n"
                   "|---|---|---|---|---:|---:|---:|---|\n");
    for (size_t i = 0; i < r->na; i++) {
        const hr_rep_anomaly *x = &r->a[i];
        fprintf(f, "| %s | %s | `", hr_time_format(x->start_ms, a, sizeof a),
                hr_time_format(x->end_ms, b, sizeof b));
        hr_rep_md_cell(f, r->s[x->series].key);
        fprintf(f, "` | %s | %s | %s | %s | ", hr_rep_direction_name(x->direction),
                hr_rep_fmt(x->peak_z, c, sizeof c), hr_rep_val(&r->s[x->series], x->peak_value, d, sizeof d),
                hr_rep_val(&r->s[x->series], x->expected_value, a, sizeof a));
        size_t ik = r->anomaly_incident ? r->anomaly_incident[i] : SIZE_MAX;
        if (ik != SIZE_MAX)
            fprintf(f, "%s |\n", hr_report_incident_id(ik, id, sizeof id));
        else if (r->anomaly_event && r->anomaly_event[i]) {
            fputs("change: ", f);
            hr_rep_md_cell(f, r->anomaly_event[i]);
            fputs(" |\n", f);
        } else
            fputs("- |\n", f);
    }
    fprintf(f, "\n## Method and caveats\n\n%s\n\n"
               "- Anomaly: a span where the causal detector's score reaches %s (and stays above "
               "half of it); the score of a point uses only the points before it, so past scores "
               "never change as data arrives. Expected value: trend plus seasonal profile of the "
               "decomposition.\n"
               "- Incident severity: 0.40 x peak score + 0.35 x breadth (log2 of the series involved / 4) + "
               "0.25 x duration (log scale, 24 h = 1); critical from 0.70, major from 0.45.\n"
               "- SLO burn-rate alerts: the SRE Workbook's multiwindow rules (1 h and 5 min windows at 14.4x "
               "the budget rate, 6 h and 30 min at 6x); windows shorter than the data step are widened to one "
               "step.\n",
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
        if (s->has_units && !s->stale)
            fprintf(f, "%ld,", s->units_to_add);
        else
            fputc(',', f);
        fprintf(f, "%s,", s->order_by_ms >= 0 ? hr_date_format(s->order_by_ms, a, sizeof a) : "");
        fprintf(f, "%s,%zu\n", hr_rep_reclaimable(s) ? "yes" : (s->has_capacity ? "no" : ""), s->nanomalies);
    }
    fclose(f);
    return buf;
}

/* Renders one file with fn and writes it atomically into dir. */
static int write_one(const hr_report *r, const char *dir, const char *name, char *(*fn)(const hr_report *),
                     hr_err *err)
{
    char *text = fn(r);
    if (!text)
        return hr_err_set(err, HR_ESOFTWARE, "out of memory rendering %s", name);
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    int rc = hr_file_write_atomic(path, text, strlen(text), err);
    free(text);
    return rc;
}

int hr_report_write_all(const hr_report *r, const char *dir, hr_err *err)
{
    static const char *names[] = {"capacity.html", "capacity.json", "capacity.md", "problems.html",
                                  "problems.json", "problems.md",   "summary.csv", "changes.json", "changes.md"};
    char *(*const fns[])(const hr_report *) = {hr_report_capacity_html, hr_report_capacity_json,
                                               hr_report_capacity_md,   hr_report_problems_html,
                                               hr_report_problems_json, hr_report_problems_md,
                                               hr_report_summary_csv,   hr_report_changes_json,
                                               hr_report_changes_md};
    /* the last two only when the run was compared (r->changes) */
    size_t n = sizeof names / sizeof names[0] - (r->changes ? 0 : 2);
    for (size_t i = 0; i < n; i++) {
        int rc = write_one(r, dir, names[i], fns[i], err);
        if (rc)
            return rc;
    }
    return HR_OK;
}
