/* report_capacity.c -- capacity.json (hr_report_capacity_json) and
 * capacity.md (hr_report_capacity_md), and the resource order both and
 * the HTML report use (hr_rep_sorted_resources). Shared helpers come
 * from report.c through report_int.h. */
#include "report_int.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "dataprob.h"
#include "growth.h"
#include "orders.h"
#include "timefmt.h"
#include "units.h"
#include "fileio.h"

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
        if (k->named)
            hr_rep_md_cell(f, k->kind);
        else
            hr_rep_md_code(f, k->kind);
        fprintf(f, " | %ld | %zu | %s%s | %s |\n", k->units, k->resources,
                hr_rep_fdate(k->first_order_by_ms, a, sizeof a),
                k->first_order_by_ms >= 0 && k->first_order_by_ms < r->as_of_day_ms ? " (overdue)" : "",
                isfinite(k->cost) ? hr_fmt_unit(k->cost, r->currency, b, sizeof b) : "-");
    }
    if (isfinite(o->cost))
        fprintf(f, "| **total** | | %zu | | **%s** |\n", o->resources, hr_fmt_unit(o->cost, r->currency, b, sizeof b));
}

/* Month (1-12) and day of day doy of a 365-day year (0 = 1 January). */
static void doy_civil(int doy, unsigned *m, unsigned *d)
{
    int64_t y;
    hr_civil_from_days(hr_days_from_civil(2001, 1, 1) + doy, &y, m, d);
}

/* "MM-DD" of day doy of a 365-day year. */
static json_t *month_day(int doy)
{
    unsigned m, d;
    doy_civil(doy, &m, &d);
    char b[8];
    snprintf(b, sizeof b, "%02u-%02u", m % 100, d % 100);
    return json_string(b);
}

/* The yearly season the forecast carries: null, or its size (peak over
 * trough), the days of the year of both, and how well the two halves of
 * the history agreed on it. */
static json_t *yearly_json(const hr_rep_series *s)
{
    if (!s->yearly)
        return json_null();
    json_t *y = json_object();
    json_object_set_new(y, "amplitude_pct", hr_rep_jnum(s->yearly_amp_pct));
    json_object_set_new(y, "peak", month_day(s->yearly_peak_doy));
    json_object_set_new(y, "trough", month_day(s->yearly_trough_doy));
    json_object_set_new(y, "repeat_correlation", hr_rep_jnum(s->yearly_corr));
    return y;
}

static json_t *cap_resource(const hr_report *r, const hr_rep_series *s)
{
    json_t *o = json_object();
    json_object_set_new(o, "series", json_string(s->key));
    json_object_set_new(o, "unit", json_string(s->unit));
    json_object_set_new(o, "status", json_string(hr_rep_status(r, s)));
    json_object_set_new(o, "capacity", hr_rep_jnum(s->capacity));
    json_object_set_new(o, "target_utilization", hr_rep_jnum(s->target));
    json_object_set_new(o, "current_peak", hr_rep_jnum(s->current_peak));
    json_object_set_new(o, "current_peak_date", hr_rep_jdate(s->trend_days ? s->current_peak_day_ms : -1));
    json_object_set_new(o, "current_utilization_pct", hr_rep_jnum(hr_rep_util_pct(s, s->current_peak)));
    json_object_set_new(o, "peak_utilization_pct", hr_rep_jnum(hr_rep_util_pct(s, s->window_max_peak)));
    json_object_set_new(o, "headroom_pct", hr_rep_jnum(s->has_capacity && s->threshold > 0
                                                    ? 100.0 * (s->threshold - s->current_peak) / s->threshold
                                                    : NAN));
    json_object_set_new(o, "organic_growth_pct_per_30d", hr_rep_jnum(s->organic_pct_30d));
    json_object_set_new(o, "organic_fit_days", json_integer((json_int_t)s->organic_fit_days));
    json_object_set_new(o, "yearly_season", yearly_json(s));
    json_t *steps = json_array();
    for (size_t k = 0; k < s->nsteps; k++) {
        const hr_rep_step *st = &s->steps[k];
        json_t *e = json_object();
        json_object_set_new(e, "time", hr_rep_jtime(st->t_ms));
        json_object_set_new(e, "kind", json_string(st->slope ? "slope" : "level"));
        json_object_set_new(e, "delta", hr_rep_jnum(st->delta));
        json_object_set_new(e, "delta_pct", hr_rep_jnum(st->delta_pct));
        json_object_set_new(e, "event", hr_rep_jstr(st->event));
        json_object_set_new(e, "change", hr_rep_jstr(st->change));
        json_array_append_new(steps, e);
    }
    json_object_set_new(o, "inorganic_steps", steps);
    json_t *tr = json_object();
    json_object_set_new(tr, "method", json_string("theil-sen on daily peaks"));
    json_object_set_new(tr, "days", json_integer((json_int_t)s->trend_days));
    json_object_set_new(tr, "level", hr_rep_jnum(s->trend_level));
    json_object_set_new(tr, "slope_per_day", hr_rep_jnum(s->slope_per_day));
    json_object_set_new(tr, "slope_per_day_lo80", hr_rep_jnum(s->slope_lo));
    json_object_set_new(tr, "slope_per_day_hi80", hr_rep_jnum(s->slope_hi));
    json_object_set_new(tr, "growth_pct_per_30d", hr_rep_jnum(s->growth_pct_30d));
    json_object_set_new(o, "trend", tr);
    json_t *sat = json_object();
    json_object_set_new(sat, "threshold", hr_rep_jnum(s->threshold));
    json_object_set_new(sat, "status", json_string(hr_rep_sat_name(s->sat_status)));
    json_object_set_new(sat, "p10", hr_rep_jdate(s->sat_p10_ms));
    json_object_set_new(sat, "p50", hr_rep_jdate(s->sat_p50_ms));
    json_object_set_new(sat, "p90", hr_rep_jdate(s->sat_p90_ms));
    json_object_set_new(sat, "method", json_string(s->sat_method ? "daily-peak forecast" : "daily-peak line (baseline)"));
    json_object_set_new(sat, "forecast_peak_at_horizon", hr_rep_jnum(s->peak_end_p50));
    json_object_set_new(sat, "bound", hr_rep_jnum(s->bound));
    json_object_set_new(sat, "bound_reached", hr_rep_jdate(s->bound_p50_ms));
    json_object_set_new(o, "saturation", sat);
    json_t *rec = json_object();
    int units = s->has_units && !s->stale; /* stale: withheld, not zero */
    json_object_set_new(rec, "units_to_add", units ? json_integer(s->units_to_add) : json_null());
    json_object_set_new(rec, "units_needed", units ? json_integer(s->units_needed) : json_null());
    json_object_set_new(rec, "units_reclaimable", units ? json_integer(s->units_reclaimable) : json_null());
    json_object_set_new(rec, "order_by", hr_rep_jdate(s->order_by_ms));
    json_object_set_new(rec, "order_overdue", json_boolean(s->order_by_ms >= 0 && s->order_by_ms < r->as_of_day_ms));
    json_object_set_new(o, "recommendation", rec);
    json_object_set_new(o, "organic_growth_pct_per_30d_lo80", hr_rep_jnum(s->organic_lo_pct_30d));
    json_object_set_new(o, "organic_growth_pct_per_30d_hi80", hr_rep_jnum(s->organic_hi_pct_30d));
    json_object_set_new(o, "reclaimable", json_boolean(hr_rep_reclaimable(s)));
    json_object_set_new(o, "stale", json_boolean(s->stale));
    json_object_set_new(o, "last_point", hr_rep_jtime(s->points ? s->last_ms : -1));
    json_t *inv = json_object();
    json_object_set_new(inv, "unit_capacity", hr_rep_jnum(s->unit_capacity));
    json_object_set_new(inv, "units", hr_rep_jnum(s->units));
    json_object_set_new(inv, "redundancy", json_integer(s->redundancy));
    json_object_set_new(inv, "lead_time_days", hr_rep_jnum(s->lead_time_days));
    json_object_set_new(inv, "unit_name", hr_rep_jstr(s->unit_name));
    json_object_set_new(inv, "unit_cost", hr_rep_jnum(s->unit_cost));
    json_object_set_new(o, "inventory", inv);
    json_t *pe = json_array();
    for (size_t k = 0; k < s->nplanned; k++) {
        json_t *e = json_object();
        json_object_set_new(e, "date", hr_rep_jdate(s->planned[k]->t_ms));
        json_object_set_new(e, "name", json_string(s->planned[k]->name));
        json_object_set_new(e, "expected_change_pct", hr_rep_jnum(s->planned[k]->expected_pct));
        json_array_append_new(pe, e);
    }
    json_object_set_new(o, "planned_events", pe);
    json_object_set_new(o, "error", hr_rep_jstr(s->error));
    json_object_set_new(o, "service", hr_rep_jstr(s->service));
    json_t *ch = json_null();
    if (s->chart.ndays) {
        const hr_rep_chart *c = &s->chart;
        ch = json_object();
        json_object_set_new(ch, "history_start", hr_rep_jdate(c->day0_ms));
        json_object_set_new(ch, "forecast_start", hr_rep_jdate(c->fan0_ms));
        json_object_set_new(ch, "forecast_step_days", json_integer(c->fan_step_days));
        const double *arrs[6] = {c->peak, c->level, c->organic, c->fan_lo, c->fan_mid, c->fan_hi};
        const char *names[6] = {"daily_peak", "daily_level", "organic_fit", "forecast_peak_slow",
                                "forecast_peak_median", "forecast_peak_fast"};
        for (int k = 0; k < 6; k++)
            json_object_set_new(ch, names[k], hr_rep_jnums(arrs[k], k < 3 ? c->ndays : c->nfan));
    }
    json_object_set_new(o, "chart", ch);
    return o;
}

char *hr_report_capacity_json(const hr_report *r)
{
    json_t *root = json_object();
    json_object_set_new(root, "schema_version", json_integer(HR_REPORT_SCHEMA));
    json_object_set_new(root, "report", json_string("capacity"));
    json_object_set_new(root, "as_of", hr_rep_jtime(r->as_of_ms));
    json_object_set_new(root, "horizon_days", hr_rep_jnum(r->horizon_days));
    json_object_set_new(root, "trend_window_days", hr_rep_jnum(r->trend_window_days));
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
    json_object_set_new(root, "actions", hr_rep_actions_json(r, HR_REP_CAPACITY));
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
    json_object_set_new(sum, "first_saturation_series", hr_rep_jstr(first ? first->key : NULL));
    json_object_set_new(sum, "first_saturation_p50", hr_rep_jdate(first ? first->sat_p50_ms : -1));
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
        json_object_set_new(e, "cost", hr_rep_jnum(k->cost));
        json_object_set_new(e, "first_order_by", hr_rep_jdate(k->first_order_by_ms));
        json_array_append_new(ok, e);
    }
    json_object_set_new(sum, "orders_by_kind", ok);
    json_object_set_new(sum, "order_cost", hr_rep_jnum(ord.cost));
    json_object_set_new(sum, "currency", json_string(r->currency ? r->currency : ""));
    hr_rep_orders_clear(&ord);
    json_object_set_new(sum, "reclaimable", json_integer((json_int_t)nrec));
    json_object_set_new(root, "summary", sum);
    const hr_rep_series *us[HR_REP_SUMMARY_ROWS];
    const hr_rep_step *ust[HR_REP_SUMMARY_ROWS];
    size_t nu = hr_rep_top_unexplained(r, us, ust);
    json_t *ua = json_array();
    for (size_t k = 0; k < nu; k++) {
        json_t *e = json_object();
        json_object_set_new(e, "series", json_string(us[k]->key));
        json_object_set_new(e, "service", hr_rep_jstr(us[k]->service));
        json_object_set_new(e, "time", hr_rep_jtime(ust[k]->t_ms));
        json_object_set_new(e, "delta", hr_rep_jnum(ust[k]->delta));
        json_object_set_new(e, "delta_pct", hr_rep_jnum(ust[k]->delta_pct));
        json_array_append_new(ua, e);
    }
    json_object_set_new(root, "largest_unexplained_steps", ua);
    json_t *svc = hr_rep_services_json(r);
    if (!svc) {
        json_decref(root);
        return NULL;
    }
    json_object_set_new(root, "services", svc);
    return hr_rep_dump(root);
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
    FILE *f = hr_memstream(&buf, &len);
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
    hr_rep_md_data_head(f, r);
    fprintf(f, "## Summary\n\n");
    fprintf(f, "- %zu resources with a capacity in the inventory.\n", m);
    fprintf(f, "- %zu already above their target utilisation.\n", nsat);
    fprintf(f, "- %zu reach their target within the horizon", nwithin);
    for (size_t i = 0; i < m; i++)
        if (v[i]->sat_status == HR_SAT_WITHIN) {
            fprintf(f, "; the first is ");
            hr_rep_md_code(f, v[i]->key);
            fprintf(f, " on %s", hr_rep_fdate(v[i]->sat_p50_ms, a, sizeof a));
            break;
        }
    hr_rep_orders ord;
    int ord_oom = 0; /* the counts would read 0: the report is not written (make faults) */
    if (hr_rep_orders_build(r, &ord)) {
        memset(&ord, 0, sizeof ord);
        ord_oom = 1;
    }
    fprintf(f, ".\n- %zu resources need units within the horizon, of %zu kind%s%s", ord.resources, ord.n,
            ord.n == 1 ? "" : "s", ord.n ? " (see Orders by kind and Provisioning)" : "");
    if (isfinite(ord.cost))
        fprintf(f, "; cost %s%s", hr_fmt_unit(ord.cost, r->currency, b, sizeof b),
                ord.unpriced ? " for the kinds with a unit cost" : "");
    fprintf(f, ".\n");
    fprintf(f, "- %zu reclaimable.\n", nrec);
    /* the yearly seasons the forecasts carry (two years of history or
     * more): how many, and the largest */
    size_t nyear = 0, ybig = 0;
    for (size_t i = 0; i < m; i++) {
        if (!v[i]->yearly)
            continue;
        if (!nyear || v[i]->yearly_amp_pct > v[ybig]->yearly_amp_pct)
            ybig = i;
        nyear++;
    }
    if (nyear) {
        unsigned pm, pd;
        doy_civil(v[ybig]->yearly_peak_doy, &pm, &pd);
        static const char *const mon[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                          "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
        fprintf(f, "- %zu with a yearly season in their forecast; the largest ", nyear);
        hr_rep_md_code(f, v[ybig]->key);
        fprintf(f, ": its peak %s %% above its trough, around %u %s.\n",
                hr_rep_fmt(v[ybig]->yearly_amp_pct, a, sizeof a), pd, mon[(pm - 1) % 12]);
    }
    if (r->nmissing)
        fprintf(f, "- %zu inventory entries have no data in the store (listed at the end).\n", r->nmissing);
    /* what to buy first: the earliest order-by dates */
    const hr_rep_series **o = malloc((m ? m : 1) * sizeof *o);
    int first_oom = !o; /* no "Order first" table: not written (make faults) */
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
            fprintf(f, "| %s%s | ", hr_rep_fdate(x->order_by_ms, a, sizeof a),
                    x->order_by_ms < r->as_of_day_ms ? " (overdue)" : "");
            hr_rep_md_code(f, x->key);
            fprintf(f, " | %ld | N+%d | ", x->units_to_add, x->redundancy);
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
    size_t nu = hr_rep_top_unexplained(r, us, ust);
    if (nu) {
        fprintf(f, "\n### Largest unexplained steps\n\nLevel shifts no event in the calendar explains.\n\n"
                   "| date | series | change |\n|---|---|---:|\n");
        for (size_t i = 0; i < nu; i++) {
            fprintf(f, "| %s | ", hr_rep_fdate(ust[i]->t_ms, a, sizeof a));
            hr_rep_md_code(f, us[i]->key);
            fprintf(f, " | %s |\n", hr_rep_pct(ust[i]->delta_pct, 1, b, sizeof b));
        }
    }
    int svc_oom = hr_rep_md_services(f, r) < 0;
    hr_rep_md_actions(f, r, HR_REP_CAPACITY);
    fprintf(f, "\n## Resources\n\nSaturated first, then by the day the forecast daily peak reaches "
               "capacity x target (p50, with the plausible p10-p90 range)%s.\n\n",
            r->nstale ? "; then the stale ones, with no dates (see Data problems)" : "");
    fprintf(f, "| series | status | current peak | threshold | utilisation | organic growth / 30 d | "
               "steps | saturation p10 | p50 | p90 |\n|---|---|---:|---:|---:|---:|---:|---|---|---|\n");
    for (size_t i = 0; i < m; i++) {
        const hr_rep_series *s = v[i];
        fputs("| ", f);
        hr_rep_md_code(f, s->key);
        fprintf(f, " | %s%s | %s | %s | %s | %s | %zu | %s | %s | %s |\n", hr_rep_status_text(r, s),
                hr_rep_reclaimable(s) ? ", reclaimable" : "", hr_rep_val(s, s->current_peak, a, sizeof a),
                hr_rep_val(s, s->threshold, b, sizeof b), hr_rep_pct(hr_rep_util_pct(s, s->current_peak), 0, c, sizeof c),
                hr_rep_pct(s->organic_pct_30d, 0, d, sizeof d), s->nsteps, hr_rep_fdate(s->sat_p10_ms, e, sizeof e),
                hr_rep_fdate(s->sat_p50_ms, g, sizeof g), hr_rep_fdate(s->sat_p90_ms, h, sizeof h));
    }
    /* bounded metrics whose forecast reaches the bound */
    int bhead = 0;
    for (size_t i = 0; i < m; i++) {
        const hr_rep_series *s = v[i];
        if (s->bound_p50_ms < 0)
            continue;
        if (!bhead++)
            fprintf(f, "\n## Bounded metrics\n\nA ratio or a percentage cannot show demand above its bound: "
                       "the forecast stops there, and from that day real demand queues or is throttled.\n\n");
        fputs("- ", f);
        hr_rep_md_code(f, s->key);
        fprintf(f, " reaches its bound %s on %s (median path)", hr_rep_val(s, s->bound, a, sizeof a),
                hr_rep_fdate(s->bound_p50_ms, b, sizeof b));
        if (s->has_capacity && s->threshold >= s->bound)
            fprintf(f, "; its threshold is the bound itself, so this is its saturation");
        fputs(".\n", f);
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
        fputs("| ", f);
        hr_rep_md_code(f, s->key);
        fprintf(f, " | %s | %ld | %d | %s%s | %s |\n", hr_rep_fmt(s->units, a, sizeof a), s->units_to_add, s->redundancy,
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
        fputs("| ", f);
        hr_rep_md_code(f, s->key);
        fprintf(f, " | %s | %ld | %ld |\n", hr_rep_fmt(s->units, a, sizeof a), s->units_needed, s->units_reclaimable);
    }
    /* inorganic steps: attributed first, then unexplained, each by time */
    for (int pass = 0; pass < 2; pass++) {
        int shown = 0;
        for (size_t i = 0; i < m; i++)
            for (size_t k = 0; k < v[i]->nsteps; k++) {
                const hr_rep_step *st = &v[i]->steps[k];
                if ((st->event != NULL) != (pass == 0))
                    continue;
                if (!shown++) {
                    fprintf(f, pass == 0 ? "\n## Inorganic steps attributed to events\n\n| time | series | "
                                           "change | event |%s\n|---|---|---:|---|%s\n"
                                         : "\n## Unexplained steps\n\nLevel shifts with no event in the "
                                           "calendar: investigate, or add the event.\n\n| time | series | "
                                           "change |%s\n|---|---|---:|%s\n",
                            r->deploys ? " with change |" : "", r->deploys ? "---|" : "");
                }
                fprintf(f, "| %s | ", hr_time_format(st->t_ms, a, sizeof a));
                hr_rep_md_code(f, v[i]->key);
                fprintf(f, " | %s |", hr_rep_pct(st->delta_pct, 1, b, sizeof b));
                if (st->event) {
                    fputc(' ', f);
                    hr_rep_md_cell(f, st->event);
                    fputs(" |", f);
                }
                if (r->deploys) {
                    fputc(' ', f);
                    if (st->change)
                        hr_rep_md_code(f, st->change);
                    else
                        fputc('-', f);
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
            fputs(" | ", f);
            hr_rep_md_code(f, v[i]->key);
            fprintf(f, " | %s |\n", hr_rep_pct(v[i]->planned[k]->expected_pct, 1, b, sizeof b));
        }
    if (r->nmissing) {
        fprintf(f, "\n## Inventory without data\n\n");
        for (size_t i = 0; i < r->nmissing; i++) {
            fputs("- ", f);
            hr_rep_md_code(f, r->missing_inventory[i]);
            fputs("\n", f);
        }
    }
    fprintf(f, "\n## Method and caveats\n\n%s\n\n"
               "- Daily peak: the highest value of each UTC day with at least half of its points.\n"
               "- Organic growth: the series minus its seasonal profiles (periods from the "
               "autocorrelation), as daily medians on the log scale, with every inorganic step "
               "removed; compound rate of a Theil-Sen line over the last %d days (after the last "
               "change of slope).\n"
               "- Inorganic steps: change points (PELT with a penalty scaled to the series' noise) of "
               "those daily medians, placed at the hour, level shifts of at least 3%%; matched to "
               "the events calendar within the tolerance, else unexplained.\n"
               "- Saturation: daily-peak forecast = organic level x compound organic growth x the "
               "weekday's peak factor (the typical day's peak over its level, last 8 weeks) x planned events "
               "with an expected change; p50 = first day it reaches capacity x target; p10 / p90 = "
               "first day the 90%% / 10%% quantile of the fitted organic line (its level and slope "
               "uncertain, the daily levels' autocorrelation allowed for) does.\n"
               "- Baseline kept in capacity.json (trend): Theil-Sen line through the daily peaks of "
               "the last %s days.\n"
               "- Saturation: first day the trend line reaches capacity x target utilisation; p10 "
               "and p90 use the 80%% confidence bounds of the slope (daily peaks are autocorrelated, "
               "so the range is optimistic). Steps from launches and migrations are not separated "
               "yet: a recent step inside the window tilts the trend.\n",
            r->models, HR_ORGANIC_WINDOW_DAYS, hr_rep_fmt(r->trend_window_days, a, sizeof a));
    free(v);
    if (fclose(f) || svc_oom || ord_oom || first_oom) { /* lost text, no Services section, no order counts or
                                                          * no Order first table: not written */
        free(buf);
        return NULL;
    }
    return buf;
}
