/* test_html.c -- the HTML reports (reports/html*.c) and the SVG primitives
 * (reports/svg.c): a hand-made model with three resources, steps and
 * events, anomaly spans grouped into incidents, a weekly recurring
 * problem, an SLO with burn-rate alerts, an incident log and two actions.
 * Checks: self-contained documents (no scripts, nothing fetched), the
 * executive summary first with the numbers a reader acts on, balanced
 * well-formed markup (a small XML tag checker), escaping, byte-identical
 * output on a second rendering, the empty model, the chart cap on a large
 * model, and golden SVG primitives (ticks, coordinates, NaN breaks). */
#include <ctype.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "check.h"
#include "problems.h"
#include "report.h"
#include "slo.h"
#include "svg.h"
#include "timefmt.h"

#define MIN INT64_C(60000)
#define HOUR (60 * MIN)
#define DAY (24 * HOUR)
#define T0 INT64_C(1704067200000) /* 2024-01-01 00:00 UTC, a Monday */
#define NDAYS 120
#define NFAN 53 /* 365 days every 7 */

/* ---- a tiny XML well-formedness checker ---------------------------------- */

static int name_char(int c) { return isalnum(c) || c == '-' || c == '_' || c == ':' || c == '.'; }

/* An entity reference at s ('&'): its length, or 0 when not one of the
 * five XML ones or a numeric reference. */
static size_t entity_len(const char *s)
{
    static const char *const named[] = {"&amp;", "&lt;", "&gt;", "&quot;", "&apos;"};
    for (size_t i = 0; i < 5; i++)
        if (strncmp(s, named[i], strlen(named[i])) == 0)
            return strlen(named[i]);
    if (s[1] != '#')
        return 0;
    size_t i = 2;
    int hex = s[2] == 'x';
    if (hex)
        i++;
    size_t d0 = i;
    while (hex ? isxdigit((unsigned char)s[i]) : isdigit((unsigned char)s[i]))
        i++;
    return i > d0 && s[i] == ';' ? i + 1 : 0;
}

/* Checks s[0..n): every element closed in order, attributes name="value"
 * (or single quotes) without '<' in values, '&' only in references, no
 * text outside the root when root = 1. Returns 0 or the offset + 1 of the
 * first problem. */
static size_t xml_check(const char *s, size_t n)
{
    char stack[256][32];
    size_t depth = 0;
    size_t i = 0;
    while (i < n) {
        if (s[i] == '&') {
            size_t l = entity_len(s + i);
            if (!l)
                return i + 1;
            i += l;
            continue;
        }
        if (s[i] != '<') {
            i++;
            continue;
        }
        if (strncmp(s + i, "<!--", 4) == 0) {
            const char *e = strstr(s + i, "-->");
            if (!e)
                return i + 1;
            i = (size_t)(e - s) + 3;
            continue;
        }
        if (strncmp(s + i, "<!DOCTYPE", 9) == 0) {
            while (i < n && s[i] != '>')
                i++;
            i++;
            continue;
        }
        int closing = s[i + 1] == '/';
        size_t j = i + 1 + (size_t)closing, k = j;
        while (k < n && name_char((unsigned char)s[k]))
            k++;
        if (k == j || k - j >= 32)
            return i + 1;
        char name[32];
        memcpy(name, s + j, k - j);
        name[k - j] = '\0';
        if (closing) {
            if (s[k] != '>' || depth == 0 || strcmp(stack[depth - 1], name) != 0)
                return i + 1;
            depth--;
            i = k + 1;
            continue;
        }
        /* attributes */
        for (;;) {
            while (k < n && isspace((unsigned char)s[k]))
                k++;
            if (k >= n)
                return i + 1;
            if (s[k] == '>' || (s[k] == '/' && s[k + 1] == '>'))
                break;
            size_t a = k;
            while (k < n && name_char((unsigned char)s[k]))
                k++;
            if (k == a || s[k] != '=' || (s[k + 1] != '"' && s[k + 1] != '\''))
                return k + 1;
            char q = s[k + 1];
            k += 2;
            while (k < n && s[k] != q) {
                if (s[k] == '<')
                    return k + 1;
                if (s[k] == '&') {
                    size_t l = entity_len(s + k);
                    if (!l)
                        return k + 1;
                    k += l;
                    continue;
                }
                k++;
            }
            if (k >= n)
                return i + 1;
            k++;
        }
        if (s[k] == '/') {
            i = k + 2;
            continue;
        }
        if (depth == 256)
            return i + 1;
        strcpy(stack[depth++], name);
        i = k + 1;
    }
    return depth ? n + 1 : 0;
}

/* every <svg ...>...</svg> block: well-formed, with width, height,
 * viewBox, role="img", aria-label and a <title> first; returns the count
 * of blocks, or -1 on the first bad one (printed) */
static int svg_blocks_ok(const char *doc)
{
    int count = 0;
    for (const char *p = strstr(doc, "<svg"); p; p = strstr(p + 1, "<svg")) {
        const char *e = strstr(p, "</svg>");
        if (!e)
            return -1;
        size_t n = (size_t)(e - p) + 6;
        size_t bad = xml_check(p, n);
        const char *gt = strchr(p, '>');
        size_t hl = (size_t)(gt - p);
        char head[512];
        snprintf(head, sizeof head, "%.*s", (int)(hl < 500 ? hl : 500), p);
        int ok = !bad && strstr(head, " width=\"") && strstr(head, " height=\"") && strstr(head, " viewBox=\"0 0 ") &&
                 strstr(head, " role=\"img\"") && strstr(head, " aria-label=\"") && strncmp(gt + 1, "<title>", 7) == 0;
        if (!ok) {
            fprintf(stderr, "bad svg block %d (offset %zu): %.300s\n", count, bad, p + (bad ? bad - 1 : 0));
            return -1;
        }
        count++;
        p = e;
    }
    return count;
}

static size_t count_of(const char *h, const char *needle)
{
    size_t k = 0;
    for (const char *p = strstr(h, needle); p; p = strstr(p + 1, needle))
        k++;
    return k;
}

static int icontains(const char *h, const char *needle)
{
    size_t n = strlen(needle);
    for (; *h; h++)
        if (strncasecmp(h, needle, n) == 0)
            return 1;
    return 0;
}

/* an attribute on...= inside some tag */
static int has_handler(const char *doc)
{
    for (const char *p = strchr(doc, '<'); p; p = strchr(p + 1, '<')) {
        const char *e = strchr(p, '>');
        if (!e)
            return 0;
        for (const char *q = p; q + 3 < e; q++)
            if (isspace((unsigned char)q[0]) && tolower((unsigned char)q[1]) == 'o' &&
                tolower((unsigned char)q[2]) == 'n') {
                const char *z = q + 3;
                while (z < e && isalpha((unsigned char)*z))
                    z++;
                if (z < e && *z == '=')
                    return 1;
            }
    }
    return 0;
}

/* the common checks of a document */
static void check_document(const char *doc)
{
    CHECK(doc != NULL);
    if (!doc)
        return;
    CHECK(strncmp(doc, "<!DOCTYPE html>\n<html lang=\"en\">", 31) == 0);
    CHECK(!icontains(doc, "<script"));
    CHECK(!icontains(doc, "http://"));
    CHECK(!icontains(doc, "https://"));
    CHECK(!icontains(doc, "url("));
    CHECK(!icontains(doc, "@import"));
    CHECK(!icontains(doc, "<link"));
    CHECK(!icontains(doc, "<img"));
    CHECK(!icontains(doc, " src="));
    CHECK(!icontains(doc, "javascript:"));
    CHECK(!has_handler(doc)); /* no event handler attributes (onload= ...) */
    CHECK_CONTAINS(doc, "@media print");
    CHECK_CONTAINS(doc, "break-inside:avoid");
    size_t bad = xml_check(doc, strlen(doc));
    if (bad)
        fprintf(stderr, "markup problem at offset %zu: %.200s\n", bad - 1, doc + bad - 1);
    CHECK_EQ_INT(bad, 0);
    CHECK(svg_blocks_ok(doc) >= 0);
    size_t n = strlen(doc);
    CHECK(n > 7 && strcmp(doc + n - 8, "</html>\n") == 0);
    CHECK(strchr(doc, '\r') == NULL);
}

/* ---- the model ------------------------------------------------------------- */

static double peak0[NDAYS], level0[NDAYS], organic0[NDAYS];
static double fan_lo0[NFAN], fan_mid0[NFAN], fan_hi0[NFAN];
static double peak1[NDAYS], level1[NDAYS], organic1[NDAYS];

static void fill_charts(void)
{
    for (int i = 0; i < NDAYS; i++) {
        double step = i >= 40 ? 1.2 : 1.0;
        level0[i] = 40.0 * step * pow(1.0014, i);
        peak0[i] = level0[i] * (1.25 + 0.05 * ((i * 7) % 5));
        organic0[i] = i >= 30 ? 40.0 * 1.2 * pow(1.0014, i) : NAN;
        level1[i] = 800 + i;
        peak1[i] = i == 60 ? NAN : 900 + 0.5 * i; /* a gap */
        organic1[i] = 800 + i;
    }
    for (int k = 0; k < NFAN; k++) {
        fan_mid0[k] = 70 * pow(1.0014, 7.0 * k);
        fan_lo0[k] = 70 * pow(1.001, 7.0 * k);
        fan_hi0[k] = 70 * pow(1.0018, 7.0 * k);
    }
}

typedef struct fixture {
    hr_report r;
    hr_rep_series s[4];
    hr_rep_step steps0[2], steps3[1];
    hr_rep_event ev[1];
    const hr_rep_event *planned0[1];
    hr_rep_anomaly a[16];
    hr_pm_span spans[16];
    hr_pm_incidents *inc;
    size_t anomaly_incident[16];
    const char *anomaly_event[16];
    hr_pm_recurs *rec;
    hr_pm_logrow log[2];
    hr_pm_logstats *ls;
    hr_pm_match *match;
    hr_slo_result *slo_res;
    hr_rep_slo slo[2];
    hr_rep_action act[2];
    const char *missing[1];
    double good[35 * 24], total[35 * 24];
} fixture;

static const char *const nasty_key = "mem <&\"'> bytes";

static int anomaly_cmp(const void *pa, const void *pb)
{
    static const char *const keys[] = {"cpu_used_cores{service=\"api\"}", "mem <&\"'> bytes", "disk_used_bytes",
                                       "requests_total"};
    const hr_rep_anomaly *x = pa, *y = pb;
    if (x->start_ms != y->start_ms)
        return x->start_ms < y->start_ms ? -1 : 1;
    return strcmp(keys[x->series], keys[y->series]);
}

static void build(fixture *fx)
{
    memset(fx, 0, sizeof *fx);
    fill_charts();
    hr_report *r = &fx->r;
    int64_t as_of_day = T0 + (NDAYS - 1) * DAY;
    r->as_of_ms = as_of_day + 23 * HOUR;
    r->as_of_day_ms = as_of_day;
    r->horizon_days = 365;
    r->trend_window_days = 90;
    r->anomaly_z = 0.5;
    r->models = "organic/inorganic split (PELT + Theil-Sen), daily-peak saturation forecast, causal detector";
    r->s = fx->s;
    r->n = 4;

    /* 0: saturating, short of units */
    hr_rep_series *s = &fx->s[0];
    s->key = "cpu_used_cores{service=\"api\"}";
    s->service = "api";
    s->step_ms = HOUR;
    s->first_ms = T0;
    s->last_ms = r->as_of_ms;
    s->points = NDAYS * 24;
    s->trend_days = 90;
    s->current_peak = 68.5;
    s->current_peak_day_ms = as_of_day;
    s->window_max_peak = 71.25;
    s->organic_pct_30d = 4.217;
    s->organic_lo_pct_30d = 3.1;
    s->organic_hi_pct_30d = 5.34;
    s->organic_fit_days = 90;
    s->organic_log_scale = 1;
    fx->steps0[0] = (hr_rep_step){T0 + 40 * DAY + 14 * HOUR, 0, 8.0, 20.04, "launch EU", NULL};
    fx->steps0[1] = (hr_rep_step){T0 + 80 * DAY + 3 * HOUR, 0, 4.1, 8.53, NULL, NULL};
    s->steps = fx->steps0;
    s->nsteps = 2;
    s->has_capacity = 1;
    s->capacity = 100;
    s->target = 0.8;
    s->threshold = 80;
    s->unit_capacity = 10;
    s->units = 10;
    s->redundancy = 1;
    s->lead_time_days = 14;
    s->sat_status = HR_SAT_WITHIN;
    s->sat_p10_ms = as_of_day + 20 * DAY;
    s->sat_p50_ms = as_of_day + 35 * DAY;
    s->sat_p90_ms = as_of_day + 61 * DAY;
    s->sat_method = 1;
    s->peak_end_p50 = 118.7;
    s->has_units = 1;
    s->units_needed = 13;
    s->units_to_add = 3;
    s->order_by_ms = s->sat_p10_ms - 14 * DAY;
    fx->ev[0] = (hr_rep_event){as_of_day + 45 * DAY, "Black Friday", "cpu_used_cores", 25};
    fx->planned0[0] = &fx->ev[0];
    s->planned = fx->planned0;
    s->nplanned = 1;
    s->chart = (hr_rep_chart){NDAYS, T0, peak0, level0, organic0, NFAN, as_of_day + DAY, 7, fan_lo0, fan_mid0, fan_hi0};

    /* 1: saturated, no units, a key that needs escaping */
    s = &fx->s[1];
    s->key = nasty_key;
    s->step_ms = HOUR;
    s->first_ms = T0;
    s->last_ms = r->as_of_ms;
    s->points = NDAYS * 24;
    s->trend_days = 90;
    s->current_peak = 959.5;
    s->current_peak_day_ms = as_of_day;
    s->window_max_peak = 961;
    s->organic_pct_30d = 0.04;
    s->organic_lo_pct_30d = -0.2;
    s->organic_hi_pct_30d = 0.3;
    s->organic_fit_days = 90;
    s->has_capacity = 1;
    s->capacity = 1000;
    s->target = 0.9;
    s->threshold = 900;
    s->sat_status = HR_SAT_ALREADY;
    s->sat_p10_ms = s->sat_p50_ms = s->sat_p90_ms = as_of_day;
    s->sat_method = 1;
    s->peak_end_p50 = 975;
    s->order_by_ms = -1;
    s->chart = (hr_rep_chart){NDAYS, T0, peak1, level1, organic1, 0, 0, 0, NULL, NULL, NULL};

    /* 2: fine, reclaimable units, no chart */
    s = &fx->s[2];
    s->key = "disk_used_bytes";
    s->step_ms = HOUR;
    s->first_ms = T0;
    s->last_ms = r->as_of_ms;
    s->points = NDAYS * 24;
    s->trend_days = 90;
    s->current_peak = 1.2e11;
    s->current_peak_day_ms = as_of_day;
    s->window_max_peak = 1.25e11;
    s->organic_pct_30d = 1.5;
    s->has_capacity = 1;
    s->capacity = 1e12;
    s->target = 0.85;
    s->threshold = 8.5e11;
    s->unit_capacity = 1.25e11;
    s->units = 8;
    s->redundancy = 1;
    s->lead_time_days = 30;
    s->sat_status = HR_SAT_BEYOND;
    s->sat_p10_ms = s->sat_p50_ms = s->sat_p90_ms = -1;
    s->has_units = 1;
    s->units_needed = 4;
    s->units_reclaimable = 4;
    s->order_by_ms = -1;

    /* 3: no capacity, a large unexplained shift */
    s = &fx->s[3];
    s->key = "requests_total";
    s->counter = 1;
    s->step_ms = HOUR;
    s->first_ms = T0;
    s->last_ms = r->as_of_ms;
    s->points = NDAYS * 24;
    s->organic_pct_30d = 2;
    fx->steps3[0] = (hr_rep_step){T0 + 99 * DAY + 6 * HOUR, 0, -350, -35.27, NULL, NULL};
    s->steps = fx->steps3;
    s->nsteps = 1;
    s->sat_p10_ms = s->sat_p50_ms = s->sat_p90_ms = s->order_by_ms = -1;

    fx->missing[0] = "gpu_used{site=\"b\"}";
    r->missing_inventory = fx->missing;
    r->nmissing = 1;

    /* anomalies: one incident across 0, 1, 3 on day 100; series 1 alone
     * on Mondays around 03:00 for four weeks; the level shift of series 0
     * at its "launch EU" step, which the event explains (not grouped) */
    size_t na = 0;
    int64_t d100 = T0 + 100 * DAY + 9 * HOUR;
    fx->a[na++] = (hr_rep_anomaly){3, d100, d100 + 90 * MIN, d100 + 10 * MIN, 0.97, 1, 5000, 1200, 0};
    fx->a[na++] = (hr_rep_anomaly){0, d100 + 4 * MIN, d100 + 80 * MIN, d100 + 20 * MIN, 0.88, 1, 77, 60, 0};
    fx->a[na++] = (hr_rep_anomaly){1, d100 + 15 * MIN, d100 + 60 * MIN, d100 + 30 * MIN, 0.71, -1, 700, 940, 0};
    for (int w = 0; w < 4; w++) {
        int64_t st = T0 + (70 + 7 * w) * DAY + 3 * HOUR + (w % 2) * 5 * MIN;
        fx->a[na++] = (hr_rep_anomaly){1, st, st + 25 * MIN, st + 5 * MIN, 0.66, 1, 990, 950, 0};
    }
    int64_t launch = fx->steps0[0].t_ms;
    fx->a[na++] = (hr_rep_anomaly){0, launch, launch + 3 * HOUR, launch + HOUR, 0.8, 2, 56, 47, 0};
    qsort(fx->a, na, sizeof fx->a[0], anomaly_cmp);
    r->a = fx->a;
    r->na = na;
    size_t ns = 0, span_of[16];
    for (size_t k = 0; k < na; k++) {
        fx->s[fx->a[k].series].nanomalies++;
        if (fx->a[k].start_ms == launch) {
            fx->anomaly_event[k] = "launch EU";
            span_of[k] = SIZE_MAX;
            continue;
        }
        span_of[k] = ns;
        fx->spans[ns++] = (hr_pm_span){fx->a[k].series, fx->a[k].start_ms, fx->a[k].end_ms, fx->a[k].peak_ms,
                                       fx->a[k].peak_z, fx->a[k].direction, HR_PM_NOGROUP};
    }
    hr_pm_cfg cfg;
    hr_pm_cfg_init(&cfg);
    CHECK_EQ_INT(hr_pm_group(fx->spans, ns, &cfg, &fx->inc, NULL), HR_PM_OK);
    r->inc = fx->inc;
    for (size_t k = 0; k < na; k++)
        fx->anomaly_incident[k] = span_of[k] == SIZE_MAX ? SIZE_MAX : fx->inc->span_incident[span_of[k]];
    r->anomaly_incident = fx->anomaly_incident;
    r->anomaly_event = fx->anomaly_event;
    r->incident_gap_ms = cfg.gap_ms;
    hr_pm_recur_cfg rc;
    hr_pm_recur_cfg_init(&rc);
    CHECK_EQ_INT(hr_pm_recurring(fx->inc, &rc, &fx->rec, NULL), HR_PM_OK);
    r->rec = fx->rec;
    r->recurring_min = rc.min_count;

    /* incident log: the day-100 incident (seen) and one on day 110 (missed) */
    fx->log[0] = (hr_pm_logrow){d100 - 5 * MIN, d100 + 100 * MIN, d100 + 25 * MIN, d100 + 130 * MIN, "api",
                                "API errors <EU>"};
    fx->log[1] = (hr_pm_logrow){T0 + 110 * DAY, T0 + 110 * DAY + HOUR, T0 + 110 * DAY + 30 * MIN,
                                T0 + 110 * DAY + 2 * HOUR, "db", "replica lag"};
    r->log = fx->log;
    r->nlog = 2;
    r->log_path = "incidents.csv";
    CHECK_EQ_INT(hr_pm_log_metrics(fx->log, 2, &fx->ls, NULL), HR_PM_OK);
    r->logstats = fx->ls;
    CHECK_EQ_INT(hr_pm_match_log(fx->log, 2, fx->inc, NULL, 0, 30 * MIN, &fx->match, NULL), HR_PM_OK);
    r->match = fx->match;
    r->match_tolerance_ms = 30 * MIN;

    /* SLO: hourly, 0.05% errors, 5% for 6 hours on day 110 (pages) */
    size_t n = 35 * 24;
    for (size_t i = 0; i < n; i++) {
        fx->total[i] = 1000;
        fx->good[i] = i >= 110 * 24 - 85 * 24 + 9 && i < 110 * 24 - 85 * 24 + 15 ? 950 : 999.5;
    }
    hr_slo_cfg sc;
    hr_slo_cfg_init(&sc);
    CHECK_EQ_INT(hr_slo_eval(T0 + 85 * DAY, HOUR, n, fx->good, fx->total, &sc, &fx->slo_res, NULL), HR_SLO_OK);
    fx->slo[0] = (hr_rep_slo){"api-availability", "api", "http_good_total", NULL, "http_total", NULL, NAN,
                              0.999, 30, fx->slo_res, NULL};
    fx->slo[1] = (hr_rep_slo){"checkout-latency", "shop", NULL, NULL, NULL, "latency_p99", 0.25, 0.99, 30, NULL,
                              "series latency_p99 has no data in the window"};
    r->slo = fx->slo;
    r->nslo = 2;

    /* actions */
    hr_rep_action *ac = &fx->act[0];
    ac->rule = "CAP-ORDER";
    ac->report = HR_REP_CAPACITY;
    snprintf(ac->title, sizeof ac->title, "Order 3 units for cpu_used_cores{service=\"api\"} before its p10 date");
    ac->owner = "api";
    ac->due_ms = fx->s[0].order_by_ms;
    ac->priority = 1;
    ac->ev[0].series = fx->s[0].key;
    ac->ev[0].t_ms = fx->s[0].sat_p10_ms;
    ac->ev[0].value = 80;
    snprintf(ac->ev[0].what, sizeof ac->ev[0].what, "p10 saturation day peak");
    ac->nev = 1;
    ac = &fx->act[1];
    ac->rule = "PM-RECUR";
    ac->report = HR_REP_PROBLEMS;
    snprintf(ac->title, sizeof ac->title, "Find the Monday 03:00 job behind recurring dips & spikes");
    ac->owner = NULL;
    ac->due_ms = as_of_day + 7 * DAY;
    ac->priority = 2;
    ac->ev[0].series = nasty_key;
    ac->ev[0].t_ms = fx->rec && fx->rec->n ? fx->rec->rec[0].next_ms : 0;
    ac->ev[0].value = 4;
    snprintf(ac->ev[0].what, sizeof ac->ev[0].what, "occurrences");
    ac->nev = 1;
    r->actions = fx->act;
    r->nactions = 2;
}

static void teardown(fixture *fx)
{
    hr_pm_incidents_free(fx->inc);
    hr_pm_recurs_free(fx->rec);
    hr_pm_logstats_free(fx->ls);
    hr_pm_match_free(fx->match);
    hr_slo_result_free(fx->slo_res);
}

/* With HR_TEST_HTML_DIR set, the documents are also written there (to
 * look at them in a browser or run tools/report_check.py svg on them). */
static void keep(const char *name, const char *doc)
{
    const char *dir = getenv("HR_TEST_HTML_DIR");
    if (!dir || !doc)
        return;
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "w");
    if (!f)
        return;
    fputs(doc, f);
    fclose(f);
}

/* h contains needle before the offset `before` */
static int before(const char *h, const char *needle, const char *limit)
{
    const char *p = strstr(h, needle);
    return p && limit && p < limit;
}

static void test_capacity(void)
{
    static fixture fx;
    build(&fx);
    char *doc = hr_report_capacity_html(&fx.r);
    keep("capacity.html", doc);
    check_document(doc);
    if (!doc) {
        teardown(&fx);
        return;
    }
    const char *first_res = strstr(doc, "<section class=\"res\"");
    CHECK(first_res != NULL);
    const char *summary = strstr(doc, "<h2>Executive summary</h2>");
    CHECK(summary != NULL && summary < first_res);
    /* what to buy, by when and why, before any per-resource section */
    CHECK(before(doc, "Order for 1 resource</strong> within the 365-day horizon: <strong>3</strong> units of <code>", first_res));
    CHECK(strstr(doc, "units for 1 resource") == NULL); /* no total across kinds */
    CHECK(before(doc, "by 2024-05-05", first_res)); /* order by = p10 2024-05-19 - 14 d */
    CHECK(before(doc, "<td>2024-05-19</td><td>2024-06-03</td>", first_res)); /* p10, p50 */
    CHECK(before(doc, "<b>1</b>saturated now", first_res));
    CHECK(before(doc, "<b>1</b>saturating within 365 days", first_res));
    CHECK(before(doc, "<b>1</b>resource to order for", first_res));
    CHECK(before(doc, "<td class=\"n\">68.5 %</td><td class=\"n\">+4.2 %</td>", first_res));
    /* the largest unexplained level shift first (-35.3% of requests_total) */
    const char *uhead = strstr(doc, "Largest unexplained level shifts");
    CHECK(uhead && uhead < first_res);
    if (uhead) {
        const char *big = strstr(uhead, "-35.3"), *small = strstr(uhead, "+8.5");
        CHECK(big && small && big < small && small < first_res);
        CHECK_CONTAINS(uhead, "2024-04-09T06:00:00Z");
    }
    /* the capacity action, not the problems one */
    CHECK(before(doc, "Order 3 units for cpu_used_cores{service=&quot;api&quot;} before its p10 date", first_res));
    CHECK(before(doc, "p10 saturation day peak = 80 (2024-05-19)", first_res));
    CHECK(strstr(doc, "Monday 03:00 job") == NULL);
    /* escaping: the raw key never appears; its escaped form does */
    CHECK(strstr(doc, nasty_key) == NULL);
    CHECK_CONTAINS(doc, "mem &lt;&amp;&quot;&#39;&gt; bytes");
    /* per-resource facts and charts: two drawn resources, two charts each */
    CHECK_EQ_INT(count_of(doc, "<section class=\"res\""), 2);
    CHECK_EQ_INT(svg_blocks_ok(doc), 4); /* two charts for each (resource 1 without a fan) */
    CHECK_CONTAINS(doc, "threshold 80 (capacity 100 x target 80.0 %) - current peak 68.5 = 11.5 (14.4 % of the threshold)");
    CHECK_CONTAINS(doc, "+4.2 % per 30 days (80% interval +3.1 % to +5.3 %)");
    CHECK_CONTAINS(doc, "10 units of 10, N+1; units needed 13, <strong>to add 3</strong>");
    CHECK_CONTAINS(doc, "launch EU");
    CHECK_CONTAINS(doc, "p50 saturation 2024-06-03");
    CHECK_CONTAINS(doc, ">unexplained +8.5 %</text>");
    CHECK_CONTAINS(doc, "2024-06-13 Black Friday, expected change +25.0 %");
    /* reclaimable and inventory without data */
    const char *rec = strstr(doc, "<h2>Reclaimable</h2>");
    CHECK(rec && strstr(rec, "disk_used_bytes"));
    CHECK_CONTAINS(doc, "<code>gpu_used<wbr/>{site=&quot;b&quot;}</code>");
    /* footer */
    char ver[40];
    snprintf(ver, sizeof ver, "Report schema version %d.", HR_REPORT_SCHEMA);
    CHECK_CONTAINS(doc, ver);
    CHECK_CONTAINS(doc, "As of 2024-04-29T23:00:00Z");
    /* deterministic */
    char *again = hr_report_capacity_html(&fx.r);
    CHECK(again && strcmp(doc, again) == 0);
    free(again);
    free(doc);
    teardown(&fx);
}

static void test_problems(void)
{
    static fixture fx;
    build(&fx);
    CHECK_EQ_INT(fx.inc->n, 5);
    CHECK_EQ_INT(fx.rec->n, 1);
    char *doc = hr_report_problems_html(&fx.r);
    keep("problems.html", doc);
    check_document(doc);
    if (!doc) {
        teardown(&fx);
        return;
    }
    const char *timeline = strstr(doc, "<section id=\"timeline\">");
    CHECK(timeline != NULL);
    /* summary first: counts by level, the top incident, recurring, SLOs, MTTD/MTTR, actions */
    size_t lv[3] = {0, 0, 0};
    for (size_t k = 0; k < fx.inc->n; k++)
        lv[fx.inc->inc[k].level]++;
    char want[200];
    snprintf(want, sizeof want, "<strong>5 incidents</strong> (%zu critical, %zu major, %zu minor)", lv[2], lv[1], lv[0]);
    CHECK(before(doc, want, timeline));
    CHECK(before(doc, "<a href=\"#D-0005\">D-0005</a>", timeline)); /* the day-100 incident, 5th by start */
    CHECK_EQ_INT(fx.inc->inc[4].n_series, 3);
    CHECK_EQ_INT(fx.inc->inc[4].origin, 3);
    CHECK(before(doc, "<td>2024-04-10T09:00:00Z</td><td><code>requests_total</code></td><td class=\"w\">3 (also <code>cpu_used_cores<wbr/>{service=&quot;api&quot;}</code>, <code>mem", timeline));
    CHECK(before(doc, "Mondays 03:02 UTC", timeline));
    CHECK(before(doc, "api-availability", timeline));
    CHECK(before(doc, "checkout-latency", timeline));
    CHECK(before(doc, "MTTD <strong>0.5 h</strong>, MTTR <strong>2.1 h</strong>", timeline));
    CHECK(before(doc, "saw 1 of them and missed 1", timeline));
    CHECK(before(doc, "Find the Monday 03:00 job behind recurring dips &amp; spikes", timeline));
    CHECK(strstr(doc, "before its p10 date") == NULL);
    /* timeline: three series rows; the shift an event explains is no incident */
    const char *tl_svg = strstr(timeline, "<svg");
    CHECK(tl_svg && strstr(tl_svg, "Incident timeline: 3 series"));
    const char *tl_end = tl_svg ? strstr(tl_svg, "</svg>") : NULL;
    const char *launch_bar = tl_svg ? strstr(tl_svg, "2024-02-10T14:00:00Z") : NULL;
    CHECK(tl_end && (!launch_bar || launch_bar > tl_end));
    CHECK_CONTAINS(doc, "<td>spike</td><td><a href=\"#R-01\">R-01</a></td>");
    /* incident details: origin, members ranked by onset with offsets, log row */
    const char *det = strstr(doc, "id=\"D-0005-detail\"");
    CHECK(det != NULL);
    if (det) {
        CHECK_CONTAINS(det, "<code>requests_total</code> (the first onset)");
        const char *m0 = strstr(det, "<code>requests_total</code> (origin)</td><td class=\"n\">+0 s</td>");
        /* a member with a capacity links to its row of capacity.html */
        const char *m1 = strstr(det, "<code>cpu_used_cores<wbr/>{service=&quot;api&quot;}</code></a></td><td class=\"n\">+4 min</td>");
        CHECK_CONTAINS(det, "<a href=\"capacity.html#r-");
        const char *m2 = strstr(det, "<td class=\"n\">+15 min</td>");
        CHECK(m0 && m1 && m2 && m0 < m1 && m1 < m2);
        CHECK_CONTAINS(det, "row 1: API errors &lt;EU&gt;, service api");
        CHECK_CONTAINS(det, "rect class=\"hs-");
        CHECK_CONTAINS(det, " hs-origin\"");
    }
    /* recurring: weekly phrase, next expected, occurrence ids */
    const char *rec = strstr(doc, "<h2>Recurring problems</h2>");
    CHECK(rec && strstr(rec, "<td>weekly</td><td>Mondays 03:02 UTC</td><td class=\"n\">4</td>"));
    CHECK(rec && strstr(rec, "<a href=\"#D-0001\">D-0001</a>, <a href=\"#D-0002\">D-0002</a>"));
    CHECK_CONTAINS(doc, "<tr id=\"D-0001\">");
    /* SLO: alerts and the burn-down chart */
    const char *slo = strstr(doc, "id=\"slo-1\"");
    CHECK(slo && strstr(slo, "Error budget burn-down: api-availability"));
    CHECK(slo && strstr(slo, "1h/5m burn &gt; 14.4x (as 1h/1h on this grid)"));
    CHECK(fx.slo_res->n_alerts > 0);
    CHECK_CONTAINS(doc, "not evaluated: series latency_p99 has no data in the window");
    /* log metrics and the missed incident */
    CHECK_CONTAINS(doc, "<td>all services</td><td class=\"n\">2</td>");
    const char *missed = strstr(doc, "<h3>Missed logged incidents</h3>");
    CHECK(missed && strstr(missed, "replica lag"));
    /* anomalies table with incident ids */
    const char *an = strstr(doc, "<h2>Anomalies</h2>");
    CHECK(an && strstr(an, "<a href=\"#D-0005\">D-0005</a>"));
    CHECK(an && strstr(an, "<td>shift</td><td class=\"n\">0.8</td><td class=\"n\">56</td><td class=\"n\">47</td>"
                           "<td>change: launch EU</td>"));
    CHECK(strstr(doc, nasty_key) == NULL);
    char *again = hr_report_problems_html(&fx.r);
    CHECK(again && strcmp(doc, again) == 0);
    free(again);
    free(doc);
    teardown(&fx);
}

static void test_empty(void)
{
    hr_report r;
    memset(&r, 0, sizeof r);
    r.as_of_ms = -1;
    r.as_of_day_ms = -1;
    char *doc = hr_report_capacity_html(&r);
    keep("capacity_empty.html", doc);
    check_document(doc);
    CHECK_CONTAINS(doc, "nothing to plan and nothing to buy");
    CHECK_CONTAINS(doc, "No resources with a capacity: nothing to show.");
    CHECK(doc && strstr(doc, "<svg") == NULL);
    free(doc);
    doc = hr_report_problems_html(&r);
    keep("problems_empty.html", doc);
    check_document(doc);
    CHECK_CONTAINS(doc, "No anomalies in 0 series");
    CHECK_CONTAINS(doc, "nothing to investigate");
    CHECK_CONTAINS(doc, "No SLOs configured.");
    CHECK_CONTAINS(doc, "No incident log given");
    CHECK_CONTAINS(doc, "None: no rule fired.");
    free(doc);
}

/* 70 saturating resources with charts, each with an anomaly in one incident */
static void test_large(void)
{
    enum { N = 70 };
    static hr_rep_series s[N];
    static char keys[N][32];
    static hr_rep_anomaly a[N];
    static hr_pm_span sp[N];
    memset(s, 0, sizeof s);
    fill_charts();
    hr_report r;
    memset(&r, 0, sizeof r);
    r.as_of_ms = T0 + NDAYS * DAY - HOUR;
    r.as_of_day_ms = T0 + (NDAYS - 1) * DAY;
    r.horizon_days = 365;
    for (int i = 0; i < N; i++) {
        snprintf(keys[i], sizeof keys[i], "node_%02d_cpu", i);
        s[i].key = keys[i];
        s[i].points = 10;
        s[i].first_ms = T0;
        s[i].last_ms = r.as_of_ms;
        s[i].has_capacity = 1;
        s[i].capacity = 100;
        s[i].target = 0.8;
        s[i].threshold = 80;
        s[i].sat_status = HR_SAT_WITHIN;
        s[i].sat_p10_ms = r.as_of_day_ms + (10 + i) * DAY;
        s[i].sat_p50_ms = r.as_of_day_ms + (20 + i) * DAY;
        s[i].sat_p90_ms = -1;
        s[i].order_by_ms = -1;
        s[i].nanomalies = 1;
        s[i].chart = (hr_rep_chart){NDAYS, T0, peak0, level0, organic0, NFAN, r.as_of_day_ms + DAY, 7, fan_lo0,
                                    fan_mid0, fan_hi0};
        a[i] = (hr_rep_anomaly){(size_t)i, T0 + 50 * DAY + i * MIN, T0 + 50 * DAY + (i + 30) * MIN, T0 + 50 * DAY,
                                0.6, 1, 1, 1, 0};
        sp[i] = (hr_pm_span){(size_t)i, a[i].start_ms, a[i].end_ms, a[i].peak_ms, 0.6, 1, HR_PM_NOGROUP};
    }
    r.s = s;
    r.n = N;
    r.a = a;
    r.na = N;
    hr_pm_incidents *inc = NULL;
    hr_pm_cfg cfg;
    hr_pm_cfg_init(&cfg);
    CHECK_EQ_INT(hr_pm_group(sp, N, &cfg, &inc, NULL), HR_PM_OK);
    r.inc = inc;
    r.anomaly_incident = inc->span_incident;
    char *doc = hr_report_capacity_html(&r);
    keep("capacity_large.html", doc);
    check_document(doc);
    CHECK_EQ_INT(count_of(doc, "<section class=\"res\""), 40);
    CHECK_EQ_INT(svg_blocks_ok(doc), 80);
    CHECK_CONTAINS(doc, "(the first 40 of 70; the others are in the table above)");
    CHECK_EQ_INT(count_of(doc, "<code>node_69_cpu</code>"), 1); /* in the table, not detailed */
    CHECK_CONTAINS(doc, "<a href=\"#res-39\"><code>node_39_cpu</code></a>");
    free(doc);
    doc = hr_report_problems_html(&r);
    keep("problems_large.html", doc);
    check_document(doc);
    CHECK_CONTAINS(doc, "Incident timeline: 60 series");
    CHECK_CONTAINS(doc, "70 series involved; the 60 with the most severe incidents are drawn, 10 left out.");
    CHECK_CONTAINS(doc, "40 more series not drawn.");
    CHECK_CONTAINS(doc, "10 more series.");
    free(doc);
    hr_pm_incidents_free(inc);
}

/* ---- SVG primitives --------------------------------------------------------- */

static char *render(void (*fn)(FILE *))
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    fn(f);
    fclose(f);
    return buf;
}

static void draw_line(FILE *f)
{
    hr_svg p;
    hr_svg_frame(&p, f, 10, 10, 100, 50, 0, 10, 0, 100);
    double y[] = {0, 50, NAN, 100, 25, NAN, 75};
    hr_svg_line(&p, NULL, 0, 2, y, 7, "hs-peak");
}

static void draw_misc(FILE *f)
{
    hr_svg p;
    hr_svg_begin(f, 200, 100, "A <chart> & \"more\"", NULL, 0);
    hr_svg_frame(&p, f, 20, 10, 160, 60, 0, 4, 0, 10);
    double lo[] = {1, 2, 3}, hi[] = {2, 4, 6};
    hr_svg_band(&p, NULL, 0, 2, lo, hi, 3, "hs-fan");
    double x[] = {0, 1, 3}, y[] = {10, 5, 0};
    hr_svg_step(&p, x, y, 3, "hs-burn");
    hr_svg_hline(&p, 8, "capacity 8", "hs-cap");
    hr_svg_hline(&p, 12, "off the chart", "hs-cap");
    hr_svg_vline(&p, 2, "p50 'x'", 1, "hs-sat");
    hr_svg_vspan(&p, 1, 9, "hs-satband");
    hr_svg_end(f);
}

static void draw_strip(FILE *f)
{
    hr_svg p;
    hr_svg_frame(&p, f, 100, 0, 200, 40, 0, 100, 2, 0);
    hr_svg_row_label(&p, 1, "a_very_long_series_name_indeed", 10, NULL);
    hr_svg_bar(&p, 1, 10, 10, "hs-major", "instant");
    hr_svg_bar(&p, 0, 25, 75, "hs-minor", NULL);
}

static void test_svg(void)
{
    double t[HR_SVG_MAX_TICKS], step;
    size_t n = hr_svg_nice_ticks(0, 97, 6, t, &step);
    CHECK_EQ_INT(n, 6);
    for (size_t k = 0; k < n && k < 6; k++)
        CHECK_NEAR(t[k], 20.0 * (double)k, 0);
    CHECK_NEAR(step, 20, 0);
    n = hr_svg_nice_ticks(0.013, 0.0871, 6, t, &step);
    CHECK_NEAR(step, 0.02, 1e-12);
    CHECK_EQ_INT(n, 6); /* 0, 0.02, ... 0.1 */
    CHECK_NEAR(t[0], 0, 0);
    CHECK_NEAR(t[n - 1], 0.1, 1e-12);
    n = hr_svg_nice_ticks(-3.2, 7.7, 7, t, &step);
    CHECK_NEAR(step, 2, 0);
    CHECK_NEAR(t[0], -4, 0);
    CHECK_NEAR(t[n - 1], 8, 0);
    n = hr_svg_nice_ticks(5, 5, 6, t, &step); /* degenerate: widened */
    CHECK(n >= 2 && t[0] <= 4.5 && t[n - 1] >= 5.5);
    CHECK_NEAR(hr_svg_nice_step(19.4), 20, 0);
    CHECK_NEAR(hr_svg_nice_step(0.0031), 0.005, 1e-12);
    CHECK_NEAR(hr_svg_nice_step(7), 10, 0);
    char b[48];
    CHECK_STR(hr_svg_tick_label(20000, 5000, 20000, b, sizeof b), "20k");
    CHECK_STR(hr_svg_tick_label(0.5, 0.5, 2, b, sizeof b), "0.5");
    CHECK_STR(hr_svg_tick_label(2.5e9, 5e8, 3e9, b, sizeof b), "2.5G");
    CHECK_STR(hr_svg_tick_label(0, 20, 100, b, sizeof b), "0");
    CHECK_STR(hr_svg_tick_label(-40, 20, 100, b, sizeof b), "-40");

    /* time ticks: a year gives months, five weeks Mondays, a day hours */
    int64_t tt[HR_SVG_MAX_TICKS];
    int unit = -1;
    n = hr_svg_time_ticks((double)T0, (double)(T0 + 366 * DAY), 8, tt, &unit);
    CHECK_EQ_INT(unit, 2);
    CHECK_EQ_INT(n, 5); /* quarters: Jan, Apr, Jul, Oct, Jan */
    CHECK_STR(hr_svg_time_label(tt[1], unit, 0, b, sizeof b), "2024-04");
    n = hr_svg_time_ticks((double)(T0 + 2 * DAY), (double)(T0 + 37 * DAY), 8, tt, &unit);
    CHECK_EQ_INT(unit, 1);
    CHECK_EQ_INT(n, 5);
    CHECK_EQ_INT(tt[0], T0 + 7 * DAY); /* 2024-01-08, a Monday */
    CHECK_STR(hr_svg_time_label(tt[0], unit, 0, b, sizeof b), "2024-01-08");
    n = hr_svg_time_ticks((double)(T0 + 90 * MIN), (double)(T0 + 20 * HOUR), 8, tt, &unit);
    CHECK_EQ_INT(unit, 0);
    CHECK_EQ_INT(n, 6); /* 03:00, 06:00, ... 18:00 */
    CHECK_EQ_INT(tt[0], T0 + 3 * HOUR);
    CHECK_STR(hr_svg_time_label(tt[0], unit, 0, b, sizeof b), "03:00");
    CHECK_STR(hr_svg_time_label(tt[0], unit, 1, b, sizeof b), "01-01 03:00");

    /* a line with NaN gaps: a polyline, a polyline, a circle */
    char *s = render(draw_line);
    CHECK_STR(s, "<polyline class=\"hs-peak\" points=\"10.0,60.0 30.0,35.0\"/>\n"
                 "<polyline class=\"hs-peak\" points=\"70.0,10.0 90.0,47.5\"/>\n"
                 "<circle class=\"hs-peak\" cx=\"110.0\" cy=\"22.5\" r=\"1.5\"/>\n");
    free(s);
    s = render(draw_misc);
    const char *head = "<svg class=\"hs\" width=\"200.0\" height=\"100.0\" viewBox=\"0 0 200.0 100.0\" "
                       "role=\"img\" aria-label=\"A &lt;chart&gt; &amp; &quot;more&quot;\"><title>A &lt;chart&gt; "
                       "&amp; &quot;more&quot;</title>\n";
    CHECK(s && strncmp(s, head, strlen(head)) == 0);
    CHECK_CONTAINS(s, "<polygon class=\"hs-fan\" points=\"20.0,58.0 100.0,46.0 180.0,34.0 180.0,52.0 100.0,58.0 "
                      "20.0,64.0\"/>\n");
    CHECK_CONTAINS(s, "<path class=\"hs-burn\" d=\"M20.0 10.0H60.0V40.0H140.0V70.0\"/>\n");
    CHECK_CONTAINS(s, "<line class=\"hs-cap\" x1=\"20.0\" y1=\"22.0\" x2=\"180.0\" y2=\"22.0\"/>\n");
    CHECK_CONTAINS(s, ">capacity 8</text>");
    CHECK(strstr(s, "off the chart") == NULL);
    CHECK_CONTAINS(s, "<line class=\"hs-sat\" x1=\"100.0\" y1=\"10.0\" x2=\"100.0\" y2=\"70.0\"/>\n");
    /* near the right edge the label goes left of the marker */
    CHECK_CONTAINS(s, "<text class=\"hs-label\" x=\"97.0\" y=\"33.0\" text-anchor=\"end\">p50 &#39;x&#39;</text>");
    CHECK_CONTAINS(s, "<rect class=\"hs-satband\" x=\"60.0\" y=\"10.0\" width=\"120.0\" height=\"60.0\"/>\n");
    CHECK(s && xml_check(s, strlen(s)) == 0);
    free(s);
    s = render(draw_strip);
    CHECK_CONTAINS(s, "<title>a_very_long_series_name_indeed</title>a_very_lo&#8230;</text>");
    CHECK_CONTAINS(s, "<rect class=\"hs-major\" x=\"120.0\" y=\"23.0\" width=\"2.0\" height=\"14.0\"><title>instant</title></rect>");
    CHECK_CONTAINS(s, "<rect class=\"hs-minor\" x=\"150.0\" y=\"3.0\" width=\"100.0\" height=\"14.0\"/>");
    free(s);

    /* escaping: control characters and invalid UTF-8 never break XML */
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    hr_svg_esc(f, "a\x01" "b \xc3\xa9 \xff<>&\"'");
    hr_svg_esc_max(f, "|\xe2\x82\xac\xe2\x82\xac\xe2\x82\xac", 3);
    fclose(f);
    CHECK_STR(buf, "a b \xc3\xa9 &#xFFFD;&lt;&gt;&amp;&quot;&#39;|\xe2\x82\xac&#8230;");
    free(buf);
}

int main(void)
{
    test_svg();
    test_capacity();
    test_problems();
    test_empty();
    test_large();
    return check_summary("html");
}
