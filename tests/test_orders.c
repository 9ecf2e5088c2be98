/* test_orders.c -- orders summed per resource kind (never across kinds),
 * their cost, and a resource's status agreeing with its order. */
#include <math.h>
#include <stdint.h>
#include <string.h>

#include "check.h"
#include "orders.h"
#include "report.h"
#include "units.h"

#define DAY INT64_C(86400000)
#define TODAY (INT64_C(1704067200000) + 60 * DAY) /* 2024-03-01 */

static hr_rep_series res(const char *key, const char *unit_name, double cost, long add, int64_t order_by)
{
    hr_rep_series s;
    memset(&s, 0, sizeof s);
    s.key = key;
    s.has_capacity = s.has_units = 1;
    s.sat_status = HR_SAT_BEYOND;
    s.unit_name = unit_name;
    s.unit_cost = cost;
    s.units_to_add = add;
    s.order_by_ms = order_by;
    s.lead_time_days = 30;
    s.sat_p10_ms = s.sat_p50_ms = s.sat_p90_ms = -1;
    return s;
}

int main(void)
{
    hr_rep_series s[6] = {
        res("disk_used_bytes{service=\"a\"}", "2 TiB disk", 180, 3, TODAY + 100 * DAY),
        res("disk_used_bytes{service=\"b\"}", "2 TiB disk", 180, 2, TODAY - 5 * DAY),
        res("cpu_used_cores{service=\"a\"}", NULL, NAN, 4, TODAY + 20 * DAY),
        res("cpu_used_cores{service=\"b\"}", NULL, 75.5, 1, TODAY - 40 * DAY),
        res("mem_used_bytes{service=\"a\"}", NULL, 10, 0, -1),
        res("mem_used_bytes{service=\"b\"}", "64 GiB DIMM", 10, 0, -1),
    };
    s[3].sat_status = HR_SAT_ALREADY;
    s[5].stale = 1;
    s[5].sat_status = HR_SAT_STALE;
    hr_report r;
    memset(&r, 0, sizeof r);
    r.s = s;
    r.n = 6;
    r.as_of_day_ms = TODAY;
    r.as_of_ms = TODAY + 23 * 3600000;

    /* status: an order-by date passed is overdue, one within the lead
     * time (30 d) is "order now", later is the saturation status;
     * saturated and stale win */
    CHECK_STR(hr_rep_status(&r, &s[0]), "ok");
    CHECK_STR(hr_rep_status(&r, &s[1]), "order_overdue");
    CHECK_STR(hr_rep_status_text(&r, &s[1]), "order overdue");
    CHECK_STR(hr_rep_status(&r, &s[2]), "order_now");
    CHECK_STR(hr_rep_status_text(&r, &s[2]), "order now");
    CHECK_STR(hr_rep_status(&r, &s[3]), "saturated");
    CHECK_STR(hr_rep_status(&r, &s[4]), "ok");
    CHECK_STR(hr_rep_status(&r, &s[5]), "stale");
    /* just outside the lead time: the saturation status again; on it: now */
    s[2].order_by_ms = TODAY + 31 * DAY;
    CHECK_STR(hr_rep_status(&r, &s[2]), "ok");
    s[2].order_by_ms = TODAY + 30 * DAY;
    CHECK_STR(hr_rep_status(&r, &s[2]), "order_now");
    s[2].sat_status = HR_SAT_WITHIN;
    CHECK_STR(hr_rep_status(&r, &s[2]), "order_now");
    s[2].order_by_ms = TODAY + 20 * DAY;

    /* orders: two kinds, never one total of units */
    hr_rep_orders o;
    CHECK_EQ_INT(hr_rep_orders_build(&r, &o), HR_OK);
    CHECK_EQ_INT(o.n, 2);
    CHECK_EQ_INT(o.resources, 4);
    if (o.n == 2) {
        /* by first order-by date: the CPUs (40 days overdue) first */
        CHECK_STR(o.k[0].kind, "cpu_used_cores");
        CHECK_EQ_INT(o.k[0].named, 0);
        CHECK_EQ_INT(o.k[0].units, 5);
        CHECK_EQ_INT(o.k[0].resources, 2);
        CHECK(isnan(o.k[0].cost)); /* one of them has no unit_cost */
        CHECK_EQ_INT(o.k[0].first_order_by_ms, TODAY - 40 * DAY);
        CHECK_STR(o.k[1].kind, "2 TiB disk");
        CHECK_EQ_INT(o.k[1].named, 1);
        CHECK_EQ_INT(o.k[1].units, 5);
        CHECK_NEAR(o.k[1].cost, 900.0, 1e-12);
        CHECK_EQ_INT(o.k[1].first_order_by_ms, TODAY - 5 * DAY);
    }
    CHECK_NEAR(o.cost, 900.0, 1e-12);
    CHECK_EQ_INT(o.unpriced, 1);
    hr_rep_orders_clear(&o);
    hr_rep_orders_clear(NULL);

    /* every kind priced: the total is over all; nothing to order: empty */
    s[2].unit_cost = 200;
    CHECK_EQ_INT(hr_rep_orders_build(&r, &o), HR_OK);
    CHECK_NEAR(o.cost, 900.0 + 800.0 + 75.5, 1e-12);
    CHECK_EQ_INT(o.unpriced, 0);
    hr_rep_orders_clear(&o);
    for (size_t i = 0; i < 6; i++)
        s[i].units_to_add = 0;
    CHECK_EQ_INT(hr_rep_orders_build(&r, &o), HR_OK);
    CHECK_EQ_INT(o.n, 0);
    CHECK(isnan(o.cost));
    hr_rep_orders_clear(&o);

    char b[HR_UNIT_MAX + 64];
    CHECK_STR(hr_rep_val(&s[0], 3.87e13, b, sizeof b), "38.7 T"); /* no unit set */
    snprintf(s[0].unit, sizeof s[0].unit, "bytes");
    CHECK_STR(hr_rep_val(&s[0], 3.87e13, b, sizeof b), "35.2 TiB");
    CHECK_STR(hr_rep_val(&s[0], NAN, b, sizeof b), "-");
    CHECK_STR(hr_rep_fmt(3.87e13, b, sizeof b), "38.7 T"); /* no exponent */
    CHECK_STR(hr_rep_fmt(257.59999999999997, b, sizeof b), "257.6");
    return check_summary("orders");
}
