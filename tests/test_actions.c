/* test_actions.c -- what holds across the suggested-action rules of
 * reports/actions.h: the sort order and determinism of the list, one-line
 * titles, and ids, first_seen and the comparison with a previous run.
 * Each rule has its own tests in test_actions_capacity.c and
 * test_actions_pm.c; the shared fixtures are in actions_fixture.h. */
#include "actions_fixture.h"

/* ---- order, determinism, hygiene ------------------------------------------------ */

static int same_actions(const hr_rep_action *a, const hr_rep_action *b, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (strcmp(a[i].rule, b[i].rule) || strcmp(a[i].title, b[i].title) || a[i].due_ms != b[i].due_ms ||
            a[i].priority != b[i].priority || str_null_cmp(a[i].owner, b[i].owner) || a[i].nev != b[i].nev)
            return 0;
        for (size_t k = 0; k < a[i].nev; k++)
            if (str_null_cmp(a[i].ev[k].series, b[i].ev[k].series) || a[i].ev[k].t_ms != b[i].ev[k].t_ms ||
                a[i].ev[k].value != b[i].ev[k].value || strcmp(a[i].ev[k].what, b[i].ev[k].what))
                return 0;
    }
    return 1;
}

static void test_sort_order(void)
{
    /* capacity: an order due in 10 days (p1), two orders due the same day
     * (p2) owned by api and by nobody, a reclaim (p4) */
    hr_rep_series s[4] = {res("cpu{service=\"z\"}", "search"), res("cpu{service=\"y\"}", "api"),
                          res("cpu{service=\"x\"}", NULL), res("mem{service=\"w\"}", "batch")};
    s[0].units_to_add = 1;
    s[0].order_by_ms = TODAY + 10 * DAY;
    for (int i = 1; i < 3; i++) {
        s[i].units_to_add = 2;
        s[i].order_by_ms = TODAY + 40 * DAY;
    }
    s[3].units_reclaimable = 3;
    double bad[48];
    for (size_t i = 0; i < 48; i++)
        bad[i] = 15; /* 720 of 480: spent */
    hr_slo_result *res1 = slo(bad);
    hr_rep_slo o[1] = {rslo("web-availability", "web", res1)};
    hr_report r = rep(s, 4);
    r.slo = o;
    r.nslo = 1;
    size_t n;
    hr_rep_action *a = build(&r, &n);
    CHECK_EQ_INT(n, 5);
    if (n == 5) {
        /* p1 today (freeze) before p1 in 10 days (order) */
        CHECK_STR(a[0].rule, "freeze_releases");
        CHECK_STR(a[1].rule, "order_capacity");
        CHECK_STR(a[1].owner, "search");
        CHECK(a[2].owner == NULL); /* p2, same day: no owner first */
        CHECK_STR(a[3].owner, "api");
        CHECK_STR(a[4].rule, "reclaim_capacity");
        CHECK_EQ_INT(a[4].priority, 4);
    }
    /* the same model with its arrays reversed: the same actions */
    hr_rep_series rs[4] = {s[3], s[2], s[1], s[0]};
    hr_report r2 = rep(rs, 4);
    r2.slo = o;
    r2.nslo = 1;
    size_t n2;
    hr_rep_action *b = build(&r2, &n2);
    CHECK_EQ_INT(n2, n);
    CHECK(n2 == n && same_actions(a, b, n));
    free(a);
    free(b);

    /* the whole problems fixture plus capacity: every invariant holds
     * (checked in build) and the two reports both appear */
    fixture f;
    fixture_init(&f);
    hr_report rf = fixture_report(&f);
    f.s[4] = res(KEYS[4], "api");
    f.s[4].units_to_add = 4;
    f.s[4].order_by_ms = TODAY + 200 * DAY;
    rf.slo = o;
    rf.nslo = 1;
    a = build(&rf, &n);
    CHECK_EQ_INT(n, 1 + 1 + 1 + 2 + 3 + 1);
    size_t ncap = 0;
    for (size_t i = 0; i < n; i++)
        ncap += a[i].report == HR_REP_CAPACITY;
    CHECK_EQ_INT(ncap, 1);
    CHECK_STR(a[0].rule, "freeze_releases");
    CHECK_STR(a[n - 1].rule, "order_capacity"); /* p3, due in 200 days */
    free(a);
    fixture_free(&f);
    hr_slo_result_free(res1);
}

static void test_title_hygiene(void)
{
    /* a key with a newline and tab, and a key too long for a title whose
     * cut falls inside a 2-byte UTF-8 character */
    static char longkey[400];
    memset(longkey, 'a', sizeof longkey - 1);
    for (size_t i = 7; i + 1 < sizeof longkey - 1; i += 2) {
        longkey[i] = (char)0xC3; /* U+00E9 */
        longkey[i + 1] = (char)0xA9;
    }
    longkey[sizeof longkey - 1] = '\0';
    hr_rep_series s[2] = {res("bad\nkey\t{x=\"1\"}", "svc"), res(longkey, "svc")};
    s[0].units_to_add = 1;
    s[0].order_by_ms = TODAY + 5 * DAY;
    s[1].units_to_add = 1;
    s[1].order_by_ms = TODAY + 6 * DAY;
    hr_report r = rep(s, 2);
    size_t n;
    hr_rep_action *a = build(&r, &n);
    CHECK_EQ_INT(n, 2);
    if (n == 2) {
        CHECK_STR(a[0].title, "Order 1 unit for bad key {x=\"1\"} by 2024-03-06 (N+1, lead time 30 d)");
        size_t len = strlen(a[1].title);
        CHECK(len < sizeof a[1].title && len > 300);
        /* valid UTF-8 to the end: no lead byte without its continuation */
        int ok = 1;
        for (size_t i = 0; i < len; i++) {
            unsigned char c = (unsigned char)a[1].title[i];
            if (c == 0xC3)
                ok &= i + 1 < len && ((unsigned char)a[1].title[i + 1] & 0xC0) == 0x80;
            else if ((c & 0xC0) == 0x80)
                ok &= i > 0 && (unsigned char)a[1].title[i - 1] == 0xC3;
        }
        CHECK(ok);
        /* the evidence still names the whole key */
        CHECK_STR(a[1].ev[a[1].nev - 1].series, longkey);
    }
    free(a);
}

/* ---- ids, first_seen and the comparison with a previous run --------------- */

static const hr_rep_action *by_key(const hr_rep_action *a, size_t n, const char *rule, const char *key)
{
    for (size_t i = 0; i < n; i++)
        if (!strcmp(a[i].rule, rule) && strstr(a[i].title, key))
            return &a[i];
    return NULL;
}

static void test_ids(void)
{
    const char *ka = "disk_used_bytes{service=\"auth\"}", *kb = "cpu_used_cores{service=\"auth\"}";
    hr_rep_series s[2] = {res(ka, "auth"), res(kb, "auth")};
    s[0].units_to_add = s[1].units_to_add = 2;
    s[0].order_by_ms = s[1].order_by_ms = TODAY + 40 * DAY;
    hr_rep_step st = {TODAY - 20 * DAY + 18 * HOUR, 0, -5, -15.5, NULL, NULL};
    s[0].steps = &st;
    s[0].nsteps = 1;
    hr_report r = rep(s, 1);
    size_t n1, n2, n3;
    hr_rep_action *a1 = build(&r, &n1);
    r = rep(s, 2); /* another action appears: the first keeps its id */
    hr_rep_action *a2 = build(&r, &n2);
    const hr_rep_action *o1 = by_key(a1, n1, "order_capacity", ka), *o2 = by_key(a2, n2, "order_capacity", ka),
                        *ob = by_key(a2, n2, "order_capacity", kb), *i1 = by_key(a1, n1, "investigate_step", ka);
    CHECK(o1 && o2 && ob && i1);
    if (o1 && o2 && ob && i1) {
        CHECK_STR(o1->id, o2->id);
        CHECK(strcmp(o2->id, ob->id) != 0);
        CHECK(!strncmp(o1->id, "order_capacity-", 15) && strlen(o1->id) == 23);
        CHECK(strspn(o1->id + 15, "0123456789abcdef") == 8);
        CHECK(!strncmp(i1->id, "investigate_step-", 17));
        CHECK_EQ_INT(o1->first_seen_ms, TODAY);
    }
    /* a day later, other numbers, same subjects: same ids */
    s[0].units_to_add = 3;
    r = rep(s, 2);
    r.as_of_ms += DAY;
    r.as_of_day_ms += DAY;
    hr_rep_action *a3 = build(&r, &n3);
    const hr_rep_action *o3 = by_key(a3, n3, "order_capacity", ka), *i3 = by_key(a3, n3, "investigate_step", ka);
    CHECK(o3 && i3);
    if (o3 && i3 && o1 && i1) {
        CHECK_STR(o3->id, o1->id);
        CHECK_STR(i3->id, i1->id);
        CHECK_EQ_INT(o3->first_seen_ms, TODAY + DAY);
    }
    /* the comparison: the previous run had the first order (seen 10 days
     * earlier) and an action this run no longer raises */
    hr_prev_action pa[2] = {{(char *)(o1 ? o1->id : ""), (char *)"order_capacity", (char *)"t", TODAY - 10 * DAY,
                             HR_REP_CAPACITY},
                            {(char *)"slo_burn-00000000", (char *)"slo_burn", (char *)"u", TODAY, HR_REP_PROBLEMS}};
    hr_prev_run prev = {(char *)"20240301T021500Z", pa, 2, NULL, 0, NULL, 0};
    hr_changes_carry(a3, n3, &prev);
    r.actions = a3;
    r.nactions = n3;
    hr_changes c;
    CHECK_EQ_INT(hr_changes_build(&r, &prev, &c), HR_OK);
    CHECK_EQ_INT(c.nopen, 1);
    CHECK_EQ_INT(c.nadded, n3 - 1);
    CHECK_EQ_INT(c.nclosed, 1);
    if (c.nopen == 1 && c.nclosed == 1) {
        CHECK_STR(a3[c.open[0]].id, pa[0].id);
        CHECK_EQ_INT(a3[c.open[0]].first_seen_ms, TODAY - 10 * DAY);
        CHECK_STR(c.closed[0]->id, "slo_burn-00000000");
    }
    r.changes = &c;
    char *js = hr_report_changes_json(&r);
    CHECK(js && strstr(js, "\"previous\": \"20240301T021500Z\"") && strstr(js, "\"slo_burn-00000000\""));
    free(js);
    hr_changes_clear(&c);
    /* no previous run: everything new */
    CHECK_EQ_INT(hr_changes_build(&r, NULL, &c), HR_OK);
    CHECK_EQ_INT(c.nadded, n3);
    CHECK(c.previous == NULL && c.nopen == 0 && c.nclosed == 0);
    hr_changes_clear(&c);
    hr_changes_clear(NULL);
    hr_prev_run_clear(NULL);
    free(a1);
    free(a2);
    free(a3);
}

int main(void)
{
    test_ids();
    test_sort_order();
    test_title_hygiene();
    return check_summary("actions");
}
