/* test_actions_capacity.c -- the capacity rules of reports/actions.h
 * (order_capacity, reclaim_capacity, investigate_step, confirm_event), one
 * test per rule on hand-built report models: the exact title, due date,
 * priority, owner and evidence when a rule fires, silence just below its
 * threshold; and the empty report. The invariants of every action are
 * checked on each build (actions_fixture.h). */
#include "actions_fixture.h"

/* ---- empty --------------------------------------------------------------- */

static void test_empty(void)
{
    hr_report r = rep(NULL, 0);
    size_t n;
    hr_rep_action *a = build(&r, &n);
    CHECK_EQ_INT(n, 0);
    free(a);
    /* no data (as_of_day_ms < 0): nothing to date actions by, none */
    hr_rep_series s = res("cpu_used_cores{service=\"search\"}", "search");
    s.units_to_add = 2;
    s.order_by_ms = TODAY;
    r = rep(&s, 1);
    r.as_of_ms = r.as_of_day_ms = -1;
    hr_rep_action *b = NULL;
    CHECK_EQ_INT(hr_actions_build(&r, &b, &n), HR_OK);
    CHECK(b != NULL);
    CHECK_EQ_INT(n, 0);
    free(b);
    /* a series whose analysis failed gets no capacity actions */
    r = rep(&s, 1);
    s.error = "too short";
    a = build(&r, &n);
    CHECK_EQ_INT(n, 0);
    free(a);
}

/* ---- order_capacity -------------------------------------------------------- */

static void test_order_capacity(void)
{
    const char *key = "cpu_used_cores{service=\"search\"}";
    hr_rep_series s = res(key, "search");
    s.units_to_add = 3;
    s.units_needed = 13;
    s.order_by_ms = TODAY + 20 * DAY;
    s.sat_p10_ms = TODAY + 50 * DAY;
    s.sat_p50_ms = TODAY + 80 * DAY;
    s.sat_status = HR_SAT_WITHIN;
    hr_report r = rep(&s, 1);
    size_t n;
    hr_rep_action *a = build(&r, &n);
    CHECK_EQ_INT(n, 1);
    const hr_rep_action *x = nth(a, n, "order_capacity", 0);
    CHECK(x != NULL);
    if (x) {
        CHECK_STR(x->title, "Order 3 units for cpu_used_cores{service=\"search\"} by 2024-03-21 (N+1, lead time 30 d)");
        CHECK_EQ_INT(x->report, HR_REP_CAPACITY);
        CHECK_STR(x->owner, "search");
        CHECK_EQ_INT(x->due_ms, TODAY + 20 * DAY);
        CHECK_EQ_INT(x->priority, 1);
        CHECK_EQ_INT(x->nev, 3);
        CHECK_EV(x, 0, key, TODAY + 50 * DAY, 80, "threshold (capacity x target)");
        CHECK_EV(x, 1, key, TODAY - DAY, 61.25, "current daily peak");
        CHECK_EV(x, 2, key, AS_OF, 13, "units needed");
    }
    free(a);

    /* priority by days to the due date: 30 -> 1, 31 and 90 -> 2, 91 -> 3 */
    const int64_t days[] = {30, 31, 90, 91};
    const int want[] = {1, 2, 2, 3};
    for (int k = 0; k < 4; k++) {
        s.order_by_ms = TODAY + days[k] * DAY;
        a = build(&r, &n);
        CHECK_EQ_INT(n, 1);
        CHECK_EQ_INT(a[0].priority, want[k]);
        CHECK_EQ_INT(a[0].due_ms, TODAY + days[k] * DAY);
        free(a);
    }

    /* overdue: due today, priority 1, the title says so; one unit, N+0,
     * no lead time; without p10 and a current peak, one evidence item */
    s.units_to_add = 1;
    s.redundancy = 0;
    s.lead_time_days = NAN;
    s.order_by_ms = TODAY - 5 * DAY;
    s.sat_p10_ms = -1;
    s.current_peak = NAN;
    a = build(&r, &n);
    CHECK_EQ_INT(n, 1);
    CHECK_STR(a[0].title,
              "Order 1 unit for cpu_used_cores{service=\"search\"} now: the order-by date 2024-02-25 has passed (N+0)");
    CHECK_EQ_INT(a[0].due_ms, TODAY);
    CHECK_EQ_INT(a[0].priority, 1);
    CHECK_EQ_INT(a[0].nev, 1);
    CHECK_EV(&a[0], 0, key, AS_OF, 13, "units needed");
    free(a);

    /* just below: nothing to add, or no unit arithmetic */
    s.units_to_add = 0;
    a = build(&r, &n);
    CHECK_EQ_INT(n, 0);
    free(a);
    s.units_to_add = 2;
    s.has_units = 0;
    a = build(&r, &n);
    CHECK_EQ_INT(n, 0);
    free(a);
}

/* ---- reclaim_capacity ------------------------------------------------------ */

/* the number of reclaim actions r raises */
static size_t reclaims(const hr_report *r)
{
    size_t n;
    hr_rep_action *a = build(r, &n);
    size_t k = count_rule(a, n, "reclaim_capacity");
    free(a);
    return k;
}

static void test_reclaim_capacity(void)
{
    const char *key = "memory_bytes{service=\"batch\"}";
    hr_rep_series s = res(key, "batch");
    s.units = 8;
    s.capacity = 120;
    s.unit_capacity = 15;
    s.units_needed = 5;
    s.units_reclaimable = 2;
    s.window_max_peak = 41;
    hr_report r = rep(&s, 1);
    size_t n;
    hr_rep_action *a = build(&r, &n);
    CHECK_EQ_INT(n, 1);
    const hr_rep_action *x = nth(a, n, "reclaim_capacity", 0);
    CHECK(x != NULL);
    if (x) {
        /* 41 / 120 = 34.17% */
        CHECK_STR(x->title, "Reclaim 2 of 8 units of memory_bytes{service=\"batch\"} by 2024-03-31: the fast-growth "
                            "path needs 6 (N+1 kept); highest daily peak of the last 90 d is 34.2% of capacity");
        CHECK_STR(x->owner, "batch");
        CHECK_EQ_INT(x->due_ms, TODAY + 30 * DAY);
        CHECK_EQ_INT(x->priority, 4);
        CHECK_EQ_INT(x->nev, 3);
        CHECK_EV(x, 0, key, TODAY, 41, "highest daily peak");
        CHECK_EV(x, 1, key, TODAY, 120, "capacity");
        CHECK_EV(x, 2, key, AS_OF, 2, "units reclaimable");
    }
    free(a);

    /* units not in the inventory, no window peak: the short form */
    s.units = NAN;
    s.units_reclaimable = 1;
    s.window_max_peak = NAN;
    s.service = NULL;
    a = build(&r, &n);
    CHECK_EQ_INT(n, 1);
    CHECK_STR(a[0].title, "Reclaim 1 unit of memory_bytes{service=\"batch\"} by 2024-03-31: not needed even on the "
                          "fast-growth path (N+1 kept)");
    CHECK(a[0].owner == NULL);
    CHECK_EQ_INT(a[0].nev, 2);
    free(a);

    /* just below: nothing reclaimable; or units to add at the same time
     * (then only the order) */
    s.units_reclaimable = 0;
    a = build(&r, &n);
    CHECK_EQ_INT(n, 0);
    free(a);
    /* 10% of the resource: 1 of 10 units is enough, 1 of 11 is not; without
     * units, 1 x 15 of 150 is, 1 x 15 of 151 is not; neither known: none */
    s.units_reclaimable = 1;
    s.units = 10;
    CHECK_EQ_INT(reclaims(&r), 1);
    s.units = 11;
    CHECK_EQ_INT(reclaims(&r), 0);
    s.units = NAN;
    s.capacity = 150;
    CHECK_EQ_INT(reclaims(&r), 1);
    s.capacity = 151;
    CHECK_EQ_INT(reclaims(&r), 0);
    s.capacity = 150;
    s.unit_capacity = NAN;
    CHECK_EQ_INT(reclaims(&r), 0);
    s.unit_capacity = 15;
    s.units_reclaimable = 2;
    s.units_to_add = 1;
    s.order_by_ms = TODAY + 100 * DAY;
    a = build(&r, &n);
    CHECK_EQ_INT(n, 1);
    CHECK_EQ_INT(count_rule(a, n, "reclaim_capacity"), 0);
    CHECK_EQ_INT(count_rule(a, n, "order_capacity"), 1);
    free(a);
}

/* ---- investigate_step ------------------------------------------------------ */

static void test_investigate_step(void)
{
    const char *key = "requests_per_second{service=\"web\"}";
    hr_rep_step st[] = {
        {TODAY - 91 * DAY, 0, 50, 50.0, NULL, NULL},            /* too old */
        {TODAY - 90 * DAY, 0, -10, -10.0, NULL, NULL},          /* oldest still in */
        {TODAY - 40 * DAY, 0, 9.99, 9.99, NULL, NULL},          /* just below 10% */
        {TODAY - 30 * DAY, 0, 30, 30.0, "launch", NULL},        /* explained */
        {TODAY - 20 * DAY, 1, 40, 40.0, NULL, NULL},            /* a slope break */
        {TODAY - 15 * DAY, 0, NAN, NAN, NULL, NULL},            /* unknown size */
        {TODAY - 10 * DAY + 14 * HOUR, 0, 12.5, 12.54, NULL, NULL},
    };
    hr_rep_series s = res(key, "web");
    s.steps = st;
    s.nsteps = sizeof st / sizeof st[0];
    hr_report r = rep(&s, 1);
    size_t n;
    hr_rep_action *a = build(&r, &n);
    CHECK_EQ_INT(n, 2);
    CHECK_EQ_INT(count_rule(a, n, "investigate_step"), 2);
    /* same priority and due: by title ("... of +12.5%" < "... of -10.0%") */
    const hr_rep_action *x = nth(a, n, "investigate_step", 0), *y = nth(a, n, "investigate_step", 1);
    if (x && y) {
        CHECK_STR(x->title, "Investigate the unexplained level shift of +12.5% on 2024-02-20 in "
                            "requests_per_second{service=\"web\"} (no event in the calendar explains it)");
        CHECK_STR(x->owner, "web");
        CHECK_EQ_INT(x->due_ms, TODAY + 14 * DAY);
        CHECK_EQ_INT(x->priority, 2);
        CHECK_EQ_INT(x->nev, 1);
        CHECK_EV(x, 0, key, TODAY - 10 * DAY + 14 * HOUR, 12.54, "level shift");
        CHECK_STR(y->title, "Investigate the unexplained level shift of -10.0% on 2023-12-02 in "
                            "requests_per_second{service=\"web\"} (no event in the calendar explains it)");
        CHECK_EV(y, 0, key, TODAY - 90 * DAY, -10, "level shift");
    }
    free(a);
    /* a series without capacity: priority 3 */
    s = ser(key, "web");
    s.steps = st + 6;
    s.nsteps = 1;
    a = build(&r, &n);
    CHECK_EQ_INT(n, 1);
    CHECK_EQ_INT(a[0].priority, 3);
    CHECK_EQ_INT(a[0].due_ms, TODAY + 14 * DAY);
    free(a);
    /* only the ones below the thresholds: none */
    s.steps = st;
    s.nsteps = 1;
    hr_rep_step below[] = {st[0], st[2], st[3], st[4], st[5]};
    s.steps = below;
    s.nsteps = 5;
    a = build(&r, &n);
    CHECK_EQ_INT(n, 0);
    free(a);
}

/* ---- confirm_event ---------------------------------------------------------- */

/* One action per event over every resource it covers: the earliest due
 * date, no owner when the services differ, the current peaks as evidence. */
static void test_confirm_event_grouped(void)
{
    hr_rep_event e = {TODAY + 100 * DAY, "Tenant wave", "service=shop", 20.0};
    const hr_rep_event *pe[] = {&e};
    hr_rep_series s[3] = {res("cpu{service=\"shop\"}", "shop"), res("mem{service=\"shop\"}", "shop"),
                          ser("qps{service=\"shop\"}", "shop")};
    for (int i = 0; i < 3; i++) {
        s[i].planned = pe;
        s[i].nplanned = 1;
        s[i].has_units = 0; /* nothing to order: only the event's action */
    }
    s[1].lead_time_days = 60; /* due 40 days from today: the earlier one */
    s[1].current_peak = 40;
    hr_report r = rep(s, 3);
    size_t n;
    hr_rep_action *a = build(&r, &n);
    CHECK_EQ_INT(count_rule(a, n, "confirm_event"), 1);
    if (n == 1) {
        CHECK_STR(a[0].title, "Confirm the planned event Tenant wave on 2024-06-09 (+20.0% expected on 2 resources, "
                              "first cpu{service=\"shop\"}): the saturation forecast assumes it");
        CHECK_STR(a[0].owner, "shop");
        CHECK_EQ_INT(a[0].due_ms, TODAY + 40 * DAY);
        CHECK_EQ_INT(a[0].priority, 3);
        CHECK_EQ_INT(a[0].nev, 3);
        CHECK_EV(&a[0], 0, "cpu{service=\"shop\"}", TODAY + 100 * DAY, 20, "expected change");
        CHECK_EV(&a[0], 1, "cpu{service=\"shop\"}", TODAY - DAY, 76.5625, "current daily peak as %");
        CHECK_EV(&a[0], 2, "mem{service=\"shop\"}", TODAY - DAY, 50, "current daily peak as %");
    }
    free(a);
    /* services differ: no single owner */
    s[1].service = "other";
    a = build(&r, &n);
    CHECK_EQ_INT(n, 1);
    if (n == 1)
        CHECK(a[0].owner == NULL);
    free(a);
}

static void test_confirm_event(void)
{
    const char *key = "cpu_used_cores{service=\"shop\"}";
    hr_rep_event e[] = {
        {TODAY + 45 * DAY, "Spring sale", "cpu_used_cores", 25.0},  /* due +15 d: priority 2 */
        {TODAY + 120 * DAY, "Summer sale", "cpu_used_cores", -7.5}, /* due +90 d: priority 3 */
        {TODAY + 50 * DAY, "Unknown size", "cpu_used_cores", NAN},  /* no expected change */
        {TODAY + 10 * DAY, "Soon", "cpu_used_cores", 5.0},          /* due in the past: today */
        {TODAY + 60 * DAY, "Edge 30", "cpu_used_cores", 1.0},       /* due +30 d: priority 2 */
        {TODAY + 61 * DAY, "Edge 31", "cpu_used_cores", 1.0},       /* due +31 d: priority 3 */
    };
    const hr_rep_event *pe[] = {&e[0], &e[1], &e[2], &e[3], &e[4], &e[5]};
    hr_rep_series s = res(key, "shop");
    s.planned = pe;
    s.nplanned = 6;
    hr_report r = rep(&s, 1);
    size_t n;
    hr_rep_action *a = build(&r, &n);
    CHECK_EQ_INT(n, 5);
    CHECK_EQ_INT(count_rule(a, n, "confirm_event"), 5);
    if (n == 5) {
        /* order: p2 today (Soon), p2 +15 (Spring), p2 +30 (Edge 30), p3 +31, p3 +90 */
        CHECK_CONTAINS(a[0].title, "Soon");
        CHECK_EQ_INT(a[0].due_ms, TODAY);
        CHECK_EQ_INT(a[0].priority, 2);
        CHECK_STR(a[1].title, "Confirm the planned event Spring sale on 2024-04-15 (+25.0% expected on "
                              "cpu_used_cores{service=\"shop\"}): the saturation forecast assumes it");
        CHECK_STR(a[1].owner, "shop");
        CHECK_EQ_INT(a[1].due_ms, TODAY + 15 * DAY);
        CHECK_EQ_INT(a[1].priority, 2);
        CHECK_EQ_INT(a[1].nev, 3);
        CHECK_EV(&a[1], 0, key, TODAY + 45 * DAY, 25, "expected change");
        CHECK_EV(&a[1], 1, key, TODAY - DAY, 61.25, "current daily peak");
        CHECK_EV(&a[1], 2, key, TODAY, 80, "threshold");
        CHECK_CONTAINS(a[2].title, "Edge 30");
        CHECK_EQ_INT(a[2].priority, 2);
        CHECK_EQ_INT(a[2].due_ms, TODAY + 30 * DAY);
        CHECK_CONTAINS(a[3].title, "Edge 31");
        CHECK_EQ_INT(a[3].priority, 3);
        CHECK_EQ_INT(a[4].due_ms, TODAY + 90 * DAY);
        CHECK_EQ_INT(a[4].priority, 3);
        CHECK_CONTAINS(a[4].title, "(-7.5% expected on");
    }
    free(a);
    /* no lead time: 14 days before the event */
    s.lead_time_days = NAN;
    s.nplanned = 1;
    a = build(&r, &n);
    CHECK_EQ_INT(n, 1);
    CHECK_EQ_INT(a[0].due_ms, TODAY + 31 * DAY);
    CHECK_EQ_INT(a[0].priority, 3);
    free(a);
    /* just below: a series without capacity, or no expected change */
    hr_rep_series t = ser(key, "shop");
    t.planned = pe;
    t.nplanned = 2;
    r = rep(&t, 1);
    a = build(&r, &n);
    CHECK_EQ_INT(n, 0);
    free(a);
    s.planned = pe + 2;
    s.nplanned = 1;
    r = rep(&s, 1);
    a = build(&r, &n);
    CHECK_EQ_INT(n, 0);
    free(a);
}

int main(void)
{
    test_empty();
    test_order_capacity();
    test_reclaim_capacity();
    test_investigate_step();
    test_confirm_event();
    test_confirm_event_grouped();
    return check_summary("actions_capacity");
}
