/* test_services.c -- the per-service rollup (reports/services.h) on a
 * report built by hand: rows by name with the unlabelled series last,
 * status counts, orders per kind within a service, an incident counted
 * once for each service among its members, SLOs lowest budget first; its
 * JSON and Markdown; the percentage format (hr_rep_pct); and the action
 * id and first-seen date in the Markdown and HTML action tables. */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "report.h"
#include "services.h"

#define DAY INT64_C(86400000)
#define TODAY (INT64_C(1704067200000) + 60 * DAY) /* 2024-03-01 */

static hr_rep_series ser(const char *key, const char *service)
{
    hr_rep_series s;
    memset(&s, 0, sizeof s);
    s.key = key;
    s.service = service;
    s.sat_status = HR_SAT_NONE;
    s.unit_cost = NAN;
    s.order_by_ms = s.sat_p10_ms = s.sat_p50_ms = s.sat_p90_ms = -1;
    s.current_peak = s.window_max_peak = s.growth_pct_30d = s.organic_pct_30d = NAN;
    s.organic_lo_pct_30d = s.organic_hi_pct_30d = s.peak_end_p50 = NAN;
    return s;
}

static void res(hr_rep_series *s, const char *unit_name, double cost, long add, int64_t order_by)
{
    s->has_capacity = s->has_units = 1;
    s->capacity = 100;
    s->target = 0.8;
    s->threshold = 80;
    s->units = 10;
    s->unit_capacity = 10;
    s->sat_status = HR_SAT_BEYOND;
    s->unit_name = unit_name;
    s->unit_cost = cost;
    s->units_to_add = add;
    s->order_by_ms = order_by;
    s->lead_time_days = 30;
}

static void pct_cases(void)
{
    char b[48];
    CHECK_STR(hr_rep_pct(85.58, 0, b, sizeof b), "85.6 %");
    CHECK_STR(hr_rep_pct(0.8186, 0, b, sizeof b), "0.8 %");
    CHECK_STR(hr_rep_pct(-15.53, 0, b, sizeof b), "-15.5 %");
    CHECK_STR(hr_rep_pct(-15.53, 1, b, sizeof b), "-15.5 %");
    CHECK_STR(hr_rep_pct(3.002, 1, b, sizeof b), "+3.0 %");
    CHECK_STR(hr_rep_pct(3.002, 0, b, sizeof b), "3.0 %");
    CHECK_STR(hr_rep_pct(112.4, 0, b, sizeof b), "112 %");
    CHECK_STR(hr_rep_pct(-205.6, 0, b, sizeof b), "-206 %");
    CHECK_STR(hr_rep_pct(99.96, 0, b, sizeof b), "100 %"); /* rounds to 100: no decimal */
    CHECK_STR(hr_rep_pct(99.94, 0, b, sizeof b), "99.9 %");
    CHECK_STR(hr_rep_pct(-0.04, 1, b, sizeof b), "0.0 %"); /* never "-0.0" or "+0.0" */
    CHECK_STR(hr_rep_pct(0.04, 1, b, sizeof b), "0.0 %");
    CHECK_STR(hr_rep_pct(NAN, 1, b, sizeof b), "-");
    CHECK_STR(hr_rep_pct(INFINITY, 0, b, sizeof b), "-");
}

int main(void)
{
    pct_cases();

    hr_rep_series s[7] = {
        ser("cpu_used_cores{service=\"b\"}", "b"), ser("disk_used_bytes{service=\"b\",host=\"1\"}", "b"),
        ser("disk_used_bytes{service=\"b\",host=\"2\"}", "b"), ser("cpu_used_cores{service=\"a\"}", "a"),
        ser("mem_used_bytes", NULL), ser("latency_seconds{service=\"a\"}", "a"),
        ser("http_errors_total{service=\"c\"}", "c"),
    };
    res(&s[0], NULL, 10, 3, TODAY - 5 * DAY);              /* b: overdue */
    res(&s[1], "2 TiB disk", 180, 2, TODAY + 100 * DAY);   /* b: ok */
    res(&s[2], "2 TiB disk", 180, 1, TODAY + 90 * DAY);    /* b: same kind */
    res(&s[3], NULL, NAN, 4, TODAY - 40 * DAY);            /* a: saturated wins */
    s[3].sat_status = HR_SAT_ALREADY;
    res(&s[4], NULL, NAN, 1, TODAY + 10 * DAY);            /* no service: order now */

    hr_pm_member mem[5] = {{.series = 5}, {.series = 0}, {.series = 3}, {.series = 4}, {.series = 6}};
    hr_pm_incident inc[3];
    memset(inc, 0, sizeof inc);
    inc[0].n_series = 3; /* a, b, a: one major for a and one for b */
    inc[0].members = &mem[0];
    inc[0].level = HR_PM_MAJOR;
    inc[1].n_series = 2; /* no service and c */
    inc[1].members = &mem[3];
    inc[1].level = HR_PM_CRITICAL;
    inc[2].n_series = 1;
    inc[2].members = &mem[4];
    inc[2].level = HR_PM_MINOR;
    hr_pm_incidents incs;
    memset(&incs, 0, sizeof incs);
    incs.n = 3;
    incs.inc = inc;

    hr_slo_result sr[3];
    memset(sr, 0, sizeof sr);
    sr[0].remaining = 0.43;
    sr[1].remaining = -0.2;
    sr[2].remaining = 1.0;
    hr_rep_slo slo[4];
    memset(slo, 0, sizeof slo);
    const char *names[4] = {"b-avail", "b-lat", "a-x", "d-only"}, *svcs[4] = {"b", "b", "a", "d"};
    for (int k = 0; k < 4; k++) {
        slo[k].name = names[k];
        slo[k].service = svcs[k];
        slo[k].total = "requests_total";
        slo[k].bad = "errors_total";
        slo[k].objective = 0.99;
        slo[k].window_days = 28;
        slo[k].res = k < 2 ? &sr[k] : k == 3 ? &sr[2] : NULL;
    }
    slo[2].error = "no data";

    hr_rep_action act;
    memset(&act, 0, sizeof act);
    act.rule = "order_capacity";
    snprintf(act.id, sizeof act.id, "order_capacity-1234abcd");
    act.first_seen_ms = TODAY - 10 * DAY;
    act.report = HR_REP_CAPACITY;
    snprintf(act.title, sizeof act.title, "Order 3 units for cpu_used_cores{service=\"b\"} now");
    act.owner = "b";
    act.due_ms = TODAY;
    act.priority = 1;
    act.nev = 1;
    act.ev[0].series = s[0].key;
    act.ev[0].t_ms = -1;
    act.ev[0].value = 3;
    snprintf(act.ev[0].what, sizeof act.ev[0].what, "units to add");

    hr_report r;
    memset(&r, 0, sizeof r);
    r.s = s;
    r.n = 7;
    r.as_of_day_ms = TODAY;
    r.as_of_ms = TODAY + 23 * 3600000;
    r.run_ms = -1;
    r.horizon_days = 365;
    r.trend_window_days = 90;
    r.models = "test";
    r.inc = &incs;
    r.slo = slo;
    r.nslo = 4;
    r.currency = "USD";
    r.actions = &act;
    r.nactions = 1;

    hr_rep_services sv;
    CHECK_EQ_INT(hr_rep_services_build(&r, &sv), HR_OK);
    CHECK_EQ_INT(sv.n, 5);
    if (sv.n == 5) {
        CHECK_STR(sv.v[0].service, "a");
        CHECK_STR(sv.v[1].service, "b");
        CHECK_STR(sv.v[2].service, "c");
        CHECK_STR(sv.v[3].service, "d"); /* a service named only by an SLO */
        CHECK(sv.v[4].service == NULL);  /* the unlabelled series, last */
        const hr_rep_service *a = &sv.v[0], *b = &sv.v[1], *c = &sv.v[2], *d = &sv.v[3], *z = &sv.v[4];
        CHECK_EQ_INT(a->resources, 1);
        CHECK_EQ_INT(a->saturated, 1);
        CHECK_EQ_INT(a->order_overdue, 0); /* saturated wins over overdue */
        CHECK_EQ_INT(b->resources, 3);
        CHECK_EQ_INT(b->saturated, 0);
        CHECK_EQ_INT(b->order_overdue, 1);
        CHECK_EQ_INT(b->order_now, 0);
        CHECK_EQ_INT(z->resources, 1);
        CHECK_EQ_INT(z->order_now, 1);
        CHECK_EQ_INT(c->resources + d->resources, 0);
        /* orders: per kind within the service, never across kinds */
        CHECK_EQ_INT(b->orders.n, 2);
        if (b->orders.n == 2) {
            CHECK_STR(b->orders.k[0].kind, "cpu_used_cores"); /* earliest order-by first */
            CHECK_EQ_INT(b->orders.k[0].units, 3);
            CHECK_NEAR(b->orders.k[0].cost, 30.0, 1e-12);
            CHECK_STR(b->orders.k[1].kind, "2 TiB disk");
            CHECK_EQ_INT(b->orders.k[1].units, 3);
            CHECK_NEAR(b->orders.k[1].cost, 540.0, 1e-12);
        }
        CHECK_EQ_INT(a->orders.n, 1);
        if (a->orders.n == 1)
            CHECK(isnan(a->orders.k[0].cost));
        CHECK_EQ_INT(c->orders.n, 0);
        /* incidents: inc 0 touches a (twice) and b, inc 1 c and the unlabelled */
        CHECK_EQ_INT(a->incidents[HR_PM_MAJOR], 1);
        CHECK_EQ_INT(b->incidents[HR_PM_MAJOR], 1);
        CHECK_EQ_INT(a->incidents[HR_PM_CRITICAL] + a->incidents[HR_PM_MINOR], 0);
        CHECK_EQ_INT(c->incidents[HR_PM_CRITICAL], 1);
        CHECK_EQ_INT(c->incidents[HR_PM_MINOR], 1);
        CHECK_EQ_INT(z->incidents[HR_PM_CRITICAL], 1);
        CHECK_EQ_INT(d->incidents[0] + d->incidents[1] + d->incidents[2], 0);
        /* SLOs: lowest budget left first, not evaluated (NaN) last */
        CHECK_EQ_INT(b->nslo, 2);
        if (b->nslo == 2) {
            CHECK_STR(b->slo[0].name, "b-lat");
            CHECK_NEAR(b->slo[0].budget_left, -0.2, 1e-12);
            CHECK_STR(b->slo[1].name, "b-avail");
        }
        CHECK_EQ_INT(a->nslo, 1);
        if (a->nslo == 1)
            CHECK(isnan(a->slo[0].budget_left));
        CHECK_EQ_INT(z->nslo, 0);
    }
    hr_rep_services_clear(&sv);
    hr_rep_services_clear(NULL);

    /* the same in both JSON reports, and in Markdown */
    char *cj = hr_report_capacity_json(&r), *pj = hr_report_problems_json(&r);
    CHECK(cj && pj);
    if (cj && pj) {
        /* top level (incidents have a "services" list of their own) */
        const char *x = strstr(cj, "\n  \"services\": ["), *y = strstr(pj, "\n  \"services\": [");
        CHECK(x && y);
        CHECK_CONTAINS(x, "\"service\": null");
        CHECK_CONTAINS(x, "\"order_overdue\": 1");
        CHECK_CONTAINS(x, "\"unit_name\": \"2 TiB disk\"");
        CHECK_CONTAINS(x, "\"budget_left\": -0.2,"); /* shortest round-trip text */
        CHECK_CONTAINS(x, "\"critical\": 1");
        if (x && y) {
            const char *ex = strstr(x, "\n  ]"), *ey = strstr(y, "\n  ]");
            size_t nx = ex ? (size_t)(ex - x) : 0, ny = ey ? (size_t)(ey - y) : 1;
            CHECK(nx == ny && strncmp(x, y, nx) == 0);
        }
    }
    free(cj);
    free(pj);
    char *cm = hr_report_capacity_md(&r), *pm = hr_report_problems_md(&r);
    CHECK(cm && pm);
    if (cm && pm) {
        CHECK_CONTAINS(cm, "\n## Services\n");
        CHECK_CONTAINS(pm, "\n## Services\n");
        CHECK_CONTAINS(cm, "| a | 1 | 1 | 0 | 0 | 4 x `cpu_used_cores` | 0 | 1 | 0 | a-x - |\n");
        CHECK_CONTAINS(cm, "| b | 3 | 0 | 1 | 0 | 3 x `cpu_used_cores` (30 USD); 3 x 2 TiB disk (540 USD) | 0 | 1 | 0 | "
                           "b-lat -20.0 %; b-avail 43.0 % |\n");
        CHECK_CONTAINS(pm, "| d | 0 | 0 | 0 | 0 | - | 0 | 0 | 0 | d-only 100 % |\n");
        CHECK_CONTAINS(pm, "| - | 1 | 0 | 0 | 1 | 1 x `mem_used_bytes` | 1 | 0 | 0 | - |\n");
        /* the action table: id and first seen */
        CHECK_CONTAINS(cm, "| priority | due | owner | action | evidence | id | first seen |\n");
        CHECK_CONTAINS(cm, " | `order_capacity-1234abcd` | 2024-02-20 |\n");
    }
    free(cm);
    free(pm);
    char *ch = hr_report_capacity_html(&r), *ph = hr_report_problems_html(&r);
    CHECK(ch && ph);
    if (ch && ph) {
        CHECK_CONTAINS(ch, "<a href=\"#services\">Services</a>");
        CHECK_CONTAINS(ph, "<a href=\"#services\">Services</a>");
        CHECK_CONTAINS(ch, "<section id=\"services\">");
        CHECK_CONTAINS(ph, "<tr><td>b</td><td class=\"n\">3</td><td class=\"n\">0</td><td class=\"n\">1</td>");
        CHECK_CONTAINS(ch, "<th>id</th><th>first seen</th>");
        CHECK_CONTAINS(ch, "<td><code>order_capacity-1234abcd</code></td><td>2024-02-20</td></tr>");
    }
    free(ch);
    free(ph);
    return check_summary("services");
}
