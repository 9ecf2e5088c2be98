/* report.c -- see report.h. The helpers every text renderer shares
 * (JSON value builders, status names, number, date and duration
 * formatting, Markdown cell escaping), the per-service rollup as JSON
 * and Markdown (its rows come from services.c), the summary CSV and
 * hr_report_write_all, which writes every report file. The renderers
 * themselves: capacity.json and capacity.md in report_capacity.c,
 * problems.json in report_pm_json.c, problems.md in report_pm_md.c; the
 * HTML reports in html*.c. JSON through jansson (JSON_SORT_KEYS, reals
 * as %.17g, null for non-finite), Markdown and CSV through stdio memory
 * streams. */
#include "report_int.h"

#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "changes.h"
#include "services.h"
#include "dataprob.h"
#include "fileio.h"
#include "jalloc.h"
#include "numfmt.h"
#include "timefmt.h"
#include "units.h"

/* ---- helpers ----------------------------------------------------------- */

const char *hr_report_incident_id(size_t k, char *b, size_t n)
{
    snprintf(b, n, "D-%04zu", k + 1);
    return b;
}

json_t *hr_rep_jnum(double x) { return isfinite(x) ? json_real(x) : json_null(); }
json_t *hr_rep_jtime(int64_t t)
{
    char b[40];
    return t < 0 ? json_null() : json_string(hr_time_format(t, b, sizeof b));
}
json_t *hr_rep_jdate(int64_t t)
{
    char b[40];
    return t < 0 ? json_null() : json_string(hr_date_format(t, b, sizeof b));
}
json_t *hr_rep_jstr(const char *s) { return s ? json_string(s) : json_null(); }

/* An array of numbers written straight into the text by hr_rep_dump: a
 * placeholder string holding the array's address and length. Its first
 * byte is NUL, which no string of the reports holds (keys, names and
 * messages are C strings), so the dump's `"\\u0000hrnums:` marks only
 * these. The array must outlive the dump (the report model's does). */
#define NUMS_TAG "\\u0000hrnums:"

json_t *hr_rep_jnums(const double *x, size_t n)
{
    char b[80];
    int k = snprintf(b, sizeof b, "%chrnums:%" PRIxPTR ":%zu", 0, (uintptr_t)x, n);
    return json_stringn(b, (size_t)k);
}

/* A JSON real as the shortest text that reads back the same double,
 * with ".0" on integral values so it stays a real; null for non-finite. */
static void put_real(FILE *f, double x)
{
    char b[40];
    if (!isfinite(x)) {
        fputs("null", f);
        return;
    }
    hr_fmt_double(x, b, sizeof b);
    fputs(b, f);
    if (!strpbrk(b, ".eE"))
        fputs(".0", f);
}

/* The text of one number array, "[a, b, ...]" on one line (long arrays
 * read as a row), reals as put_real writes them. */
typedef struct numtext {
    const double *x;
    size_t n;
    char *s;
    size_t len, cap;
    int oom;
} numtext;

static void nt_put(numtext *t, const char *s, size_t k)
{
    if (t->oom)
        return;
    if (t->len + k + 1 > t->cap) {
        size_t c = t->cap ? 2 * t->cap : 4096;
        while (c < t->len + k + 1)
            c *= 2;
        char *m = realloc(t->s, c);
        if (!m) {
            t->oom = 1;
            return;
        }
        t->s = m;
        t->cap = c;
    }
    memcpy(t->s + t->len, s, k);
    t->len += k;
}

static void nt_render(numtext *t)
{
    char b[48];
    nt_put(t, "[", 1);
    for (size_t i = 0; i < t->n; i++) {
        if (i)
            nt_put(t, ", ", 2);
        double x = t->x[i];
        if (!isfinite(x)) {
            nt_put(t, "null", 4);
            continue;
        }
        hr_fmt_double(x, b, sizeof b);
        size_t k = strlen(b);
        if (!strpbrk(b, ".eE"))
            b[k++] = '.', b[k++] = '0';
        nt_put(t, b, k);
    }
    nt_put(t, "]", 1);
}

/* Walks the dump d token by token: at each number placeholder calls
 * on_nums(ud, address, length); when f is given, copies everything else
 * to f, reals shortened. */
static void walk(FILE *f, const char *d, void (*on_nums)(void *, const double *, size_t), void *ud)
{
    const size_t tl = strlen(NUMS_TAG);
    /* text is copied a span at a time: from `from` up to the next
     * placeholder or real (a character at a time cost a tenth of a large
     * run's report time) */
    const char *from = d, *p = d;
    while (*p) {
        if (*p == '"') {
            if (strncmp(p + 1, NUMS_TAG, tl) == 0) {
                /* the address and the length, read by strtoull: sscanf
                 * would take the length of the whole rest of the dump at
                 * every array (quadratic: a tenth of a 10,000-series
                 * run's CPU went there) */
                if (f && p > from)
                    fwrite(from, 1, (size_t)(p - from), f);
                char *e;
                uintptr_t addr = (uintptr_t)strtoull(p + 1 + tl, &e, 16);
                size_t n = *e == ':' ? (size_t)strtoull(e + 1, NULL, 10) : 0;
                on_nums(ud, (const double *)addr, n);
                p = from = strchr(p + 1, '"') + 1;
                continue;
            }
            /* a string: through its closing quote */
            for (p++; *p && *p != '"'; p++)
                if (*p == '\\' && p[1])
                    p++;
            if (*p)
                p++;
        } else if (*p == '-' || (*p >= '0' && *p <= '9')) {
            const char *q = p;
            int real = 0;
            while (*q == '-' || *q == '+' || *q == '.' || *q == 'e' || *q == 'E' || (*q >= '0' && *q <= '9'))
                real |= *q == '.' || *q == 'e' || *q == 'E', q++;
            if (f && real) {
                if (p > from)
                    fwrite(from, 1, (size_t)(p - from), f);
                put_real(f, strtod(p, NULL));
                from = q;
            }
            p = q;
        } else {
            p++;
        }
    }
    if (f && p > from)
        fwrite(from, 1, (size_t)(p - from), f);
}

typedef struct numset {
    numtext *t;
    size_t n, cap, next;
    int oom;
} numset;

static void collect(void *ud, const double *x, size_t n)
{
    numset *s = ud;
    if (s->oom)
        return;
    if (s->n == s->cap) {
        size_t c = s->cap ? 2 * s->cap : 256;
        numtext *m = realloc(s->t, c * sizeof *m);
        if (!m) {
            s->oom = 1;
            return;
        }
        s->t = m;
        s->cap = c;
    }
    s->t[s->n++] = (numtext){x, n, NULL, 0, 0, 0};
}

typedef struct emitter {
    numset *s;
    FILE *f;
} emitter;

static void emit(void *ud, const double *x, size_t n)
{
    (void)x, (void)n;
    emitter *em = ud;
    numtext *t = &em->s->t[em->s->next++];
    fwrite(t->s, 1, t->len, em->f);
}

/* Copies the dump d to f, reals shortened and number placeholders
 * expanded. The arrays (nearly all of capacity.json's numbers: charts
 * of every resource) are rendered first, as OpenMP tasks of about
 * TASK_NUMS numbers each: a report job runs inside the report writers'
 * parallel loop, whose other threads take the tasks when their own
 * files are done, so the largest file no longer holds up the rest.
 * The text is the same whichever thread renders a piece. Returns -1
 * when out of memory. */
#define TASK_NUMS 8192
static int rewrite(FILE *f, const char *d)
{
    numset s = {0};
    walk(NULL, d, collect, &s);
    if (s.oom) {
        free(s.t);
        return -1;
    }
    numtext *t = s.t;
    for (size_t i = 0; i < s.n;) {
        size_t j = i, pts = 0;
        while (j < s.n && (j == i || pts + t[j].n <= TASK_NUMS))
            pts += t[j++].n;
#pragma omp task default(none) firstprivate(i, j, t)
        for (size_t k = i; k < j; k++)
            nt_render(&t[k]);
        i = j;
    }
#pragma omp taskwait
    int oom = 0;
    for (size_t k = 0; k < s.n; k++)
        oom |= t[k].oom;
    if (!oom) {
        emitter em = {&s, f};
        walk(f, d, emit, &em);
    }
    for (size_t k = 0; k < s.n; k++)
        free(t[k].s);
    free(t);
    return oom ? -1 : 0;
}


char *hr_rep_dump(json_t *root)
{
    char *s = json_dumps(root, JSON_SORT_KEYS | JSON_INDENT(2) | JSON_REAL_PRECISION(17));
    json_decref(root);
    if (!s)
        return NULL;
    char *t = NULL;
    size_t len = 0;
    FILE *f = hr_memstream(&t, &len);
    if (!f) {
        free(s);
        return NULL;
    }
    int bad = rewrite(f, s);
    fputc('\n', f); /* end with a newline */
    free(s);
    if (fclose(f) || bad) {
        free(t);
        return NULL;
    }
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

/* Percentages for people, like hr_fmt_unit prints "%" (a space before
 * it): one decimal under 100 in magnitude, none from 100 on, so "85.6 %",
 * "-15.5 %", "112 %"; sign = 1 adds '+' to positive values ("+3.0 %",
 * never "+0.0 %"); "-" when x is missing; never "-0.0". */
const char *hr_rep_pct(double x, int sign, char *b, size_t n)
{
    if (!isfinite(x)) {
        snprintf(b, n, "-");
        return b;
    }
    char d[48];
    snprintf(d, sizeof d, "%.1f", fabs(x));
    if (atof(d) >= 100)
        snprintf(d, sizeof d, "%.0f", fabs(x));
    int zero = atof(d) == 0;
    snprintf(b, n, "%s%s %%", zero ? "" : x < 0 ? "-" : sign ? "+" : "", d);
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

/* Markdown text: a table cell must not hold '|' or a line break, and
 * '<', '>' and '&' would let a title from an input file be read as
 * HTML by a Markdown renderer ("<script>"): written as entities. */
void hr_rep_md_cell(FILE *f, const char *s)
{
    for (; *s; s++) {
        if (*s == '|')
            fputs("\\|", f);
        else if (*s == '\n' || *s == '\r')
            fputc(' ', f);
        else if (*s == '<')
            fputs("&lt;", f);
        else if (*s == '>')
            fputs("&gt;", f);
        else if (*s == '&')
            fputs("&amp;", f);
        else
            fputc(*s, f);
    }
}

/* A code span: the text as it is (no entities: a code span shows them
 * literally), fenced by one backtick more than its longest run of
 * backticks so none ends it early, padded with a blank when it starts or
 * ends with one; '|' escaped and line breaks as blanks for tables. */
void hr_rep_md_code(FILE *f, const char *s)
{
    size_t run = 0, longest = 0, n = strlen(s);
    for (const char *p = s; *p; p++) {
        run = *p == '`' ? run + 1 : 0;
        longest = run > longest ? run : longest;
    }
    int pad = n && (s[0] == '`' || s[n - 1] == '`');
    for (size_t k = 0; k <= longest; k++)
        fputc('`', f);
    if (pad)
        fputc(' ', f);
    for (; *s; s++) {
        if (*s == '|')
            fputs("\\|", f);
        else if (*s == '\n' || *s == '\r')
            fputc(' ', f);
        else
            fputc(*s, f);
    }
    if (pad)
        fputc(' ', f);
    for (size_t k = 0; k <= longest; k++)
        fputc('`', f);
}

/* The largest unexplained level shifts of all series (by |delta_pct|,
 * then in series and time order): at most HR_REP_SUMMARY_ROWS. */
size_t hr_rep_top_unexplained(const hr_report *r, const hr_rep_series **us, const hr_rep_step **ust)
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
void hr_rep_md_data_head(FILE *f, const hr_report *r)
{
    if (r->run_ms >= 0 && r->as_of_ms >= 0) {
        hr_rep_data_age(f, r);
        fputs("\n\n", f);
    }
    hr_rep_data_problems_md(f, r);
}

/* ---- per-service rollup (services.h) ----------------------------------- */

json_t *hr_rep_services_json(const hr_report *r)
{
    hr_rep_services sv;
    if (hr_rep_services_build(r, &sv))
        return NULL;
    static const char *const lvl[3] = {"minor", "major", "critical"}; /* by HR_PM_* */
    json_t *arr = json_array();
    for (size_t q = 0; q < sv.n; q++) {
        const hr_rep_service *p = &sv.v[q];
        json_t *e = json_object();
        json_object_set_new(e, "service", hr_rep_jstr(p->service));
        json_object_set_new(e, "resources", json_integer((json_int_t)p->resources));
        json_object_set_new(e, "saturated", json_integer((json_int_t)p->saturated));
        json_object_set_new(e, "order_overdue", json_integer((json_int_t)p->order_overdue));
        json_object_set_new(e, "order_now", json_integer((json_int_t)p->order_now));
        json_t *ord = json_array();
        for (size_t k = 0; k < p->orders.n; k++) {
            const hr_rep_order_kind *o = &p->orders.k[k];
            json_t *x = json_object();
            json_object_set_new(x, "kind", json_string(o->kind));
            json_object_set_new(x, "unit_name", o->named ? json_string(o->kind) : json_null());
            json_object_set_new(x, "units", json_integer(o->units));
            json_object_set_new(x, "cost", hr_rep_jnum(o->cost));
            json_array_append_new(ord, x);
        }
        json_object_set_new(e, "orders", ord);
        json_t *inc = json_object();
        for (int l = 0; l < 3; l++)
            json_object_set_new(inc, lvl[l], json_integer((json_int_t)p->incidents[l]));
        json_object_set_new(e, "incidents", inc);
        json_t *slo = json_array();
        for (size_t k = 0; k < p->nslo; k++) {
            json_t *x = json_object();
            json_object_set_new(x, "name", hr_rep_jstr(p->slo[k].name));
            json_object_set_new(x, "budget_left", hr_rep_jnum(p->slo[k].budget_left));
            json_array_append_new(slo, x);
        }
        json_object_set_new(e, "slos", slo);
        json_array_append_new(arr, e);
    }
    hr_rep_services_clear(&sv);
    return arr;
}

/* "3 x 2 TiB disk (540 USD); 4 x `cpu_used_cores`" or "-" */
static void md_svc_orders(FILE *f, const hr_report *r, const hr_rep_orders *o)
{
    char b[48];
    if (!o->n)
        fputs("-", f);
    for (size_t k = 0; k < o->n; k++) {
        const hr_rep_order_kind *x = &o->k[k];
        fprintf(f, "%s%ld x ", k ? "; " : "", x->units);
        if (x->named)
            hr_rep_md_cell(f, x->kind);
        else
            hr_rep_md_code(f, x->kind);
        if (isfinite(x->cost))
            fprintf(f, " (%s)", hr_fmt_unit(x->cost, r->currency, b, sizeof b));
    }
}

int hr_rep_md_services(FILE *f, const hr_report *r)
{
    hr_rep_services sv;
    if (hr_rep_services_build(r, &sv)) {
        hr_rep_services_clear(&sv);
        return -1;
    }
    if (!sv.n) {
        hr_rep_services_clear(&sv);
        return 0;
    }
    char b[48];
    fprintf(f, "\n## Services\n\nPer service (the `service` label; \"-\": series without one): resources "
               "with a capacity and their status, units to order per kind, detected incidents touching it "
               "by level, and its SLOs with the error budget left (lowest first).\n\n"
               "| service | resources | saturated | order overdue | order now | orders | critical | major | "
               "minor | SLOs (budget left) |\n|---|---:|---:|---:|---:|---|---:|---:|---:|---|\n");
    for (size_t q = 0; q < sv.n; q++) {
        const hr_rep_service *p = &sv.v[q];
        fputs("| ", f);
        hr_rep_md_cell(f, p->service ? p->service : "-");
        fprintf(f, " | %zu | %zu | %zu | %zu | ", p->resources, p->saturated, p->order_overdue, p->order_now);
        md_svc_orders(f, r, &p->orders);
        fprintf(f, " | %zu | %zu | %zu | ", p->incidents[HR_PM_CRITICAL], p->incidents[HR_PM_MAJOR],
                p->incidents[HR_PM_MINOR]);
        if (!p->nslo)
            fputs("-", f);
        for (size_t k = 0; k < p->nslo; k++) {
            fputs(k ? "; " : "", f);
            hr_rep_md_cell(f, p->slo[k].name ? p->slo[k].name : "-");
            fprintf(f, " %s", hr_rep_pct(100 * p->slo[k].budget_left, 0, b, sizeof b));
        }
        fputs(" |\n", f);
    }
    hr_rep_services_clear(&sv);
    return 0;
}

/* ---- summary CSV ------------------------------------------------------- */

char *hr_report_summary_csv(const hr_report *r)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = hr_memstream(&buf, &len);
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
    if (fclose(f)) {
        free(buf);
        return NULL;
    }
    return buf;
}

/* One file of the report folder: a renderer of the whole report, or a
 * postmortem draft (md) or its chart (svg) of incident k. */
typedef struct job {
    char name[64];
    char *(*fn)(const hr_report *);
    size_t k;
    int svg;
    int rc;
    hr_err err;
} job;

static void run_job(const hr_report *r, const char *dir, job *j)
{
    char *text = j->fn ? j->fn(r) : j->svg ? hr_report_postmortem_svg(r, j->k) : hr_report_postmortem_md(r, j->k);
    if (!text) {
        j->rc = hr_err_set(&j->err, HR_ESOFTWARE, "out of memory rendering %s", j->name);
        return;
    }
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, j->name);
    j->rc = hr_file_write_atomic(path, text, strlen(text), &j->err);
    free(text);
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
    size_t nf = sizeof names / sizeof names[0] - (r->changes ? 0 : 2), ninc = r->inc ? r->inc->n : 0;
    job *jobs = calloc(nf + 2 * ninc, sizeof *jobs);
    if (!jobs)
        return hr_err_set(err, HR_ESOFTWARE, "out of memory writing the reports");
    size_t n = 0;
    for (size_t i = 0; i < nf; i++) {
        snprintf(jobs[n].name, sizeof jobs[n].name, "%s", names[i]);
        jobs[n++].fn = fns[i];
    }
    /* postmortems/<id>.md (and <id>.svg of two or more series) for each
     * incident that wants one; the folder only when there is one */
    char id[24], path[4096];
    for (size_t k = 0; k < ninc; k++) {
        if (!hr_report_postmortem_wanted(r, k))
            continue;
        hr_report_incident_id(k, id, sizeof id);
        for (int svg = 0; svg < 2 && (!svg || r->inc->inc[k].n_series >= 2); svg++) {
            snprintf(jobs[n].name, sizeof jobs[n].name, "postmortems/%s.%s", id, svg ? "svg" : "md");
            jobs[n].k = k;
            jobs[n++].svg = svg;
        }
    }
    snprintf(path, sizeof path, "%s/postmortems", dir);
    int rc = n > nf ? hr_mkdirs(path, err) : HR_OK;
    if (rc) {
        free(jobs);
        return rc;
    }
    /* each file rendered and written on its own thread (the renderers are
     * pure functions of r); the first failure in file order is the one
     * reported. jansson drops a value it could not allocate and the JSON
     * is still written, so a failed jansson allocation fails them all. */
    hr_jalloc_install();
    const unsigned long joom = hr_jalloc_failures();
    const long nj = (long)n;
#pragma omp parallel for schedule(dynamic, 1)
    for (long i = 0; i < nj; i++)
        run_job(r, dir, &jobs[i]);
    for (size_t i = 0; i < n && rc == HR_OK; i++)
        if (jobs[i].rc) {
            rc = jobs[i].rc;
            *err = jobs[i].err;
        }
    if (rc == HR_OK && hr_jalloc_failures() != joom)
        rc = hr_err_set(err, HR_ESOFTWARE, "out of memory writing the JSON reports");
    free(jobs);
    return rc;
}
