/* test_series.c -- grid placement, duplicate rule, merge, counter rates. */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>

#include "check.h"
#include "numfmt.h"
#include "series.h"

#define H 3600000LL
#define T0 1717200000000LL

static hr_series mk(const char *key)
{
    hr_series s = {0};
    s.key = (char *)key;
    return s;
}

static void drop(hr_series *s)
{
    free(s->v);
    s->v = NULL;
    s->n = 0;
}

static int cmp_gap(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

/* hr_step_detect (a selection, not a sort) against the lower median of
 * the sorted gaps, on series with few distinct gaps (long runs of equal
 * ones), many distinct gaps and repeated timestamps. */
static void test_step_select(void)
{
    uint64_t r = 2463534242ULL;
    for (int c = 0; c < 60; c++) {
        size_t n = 2 + (size_t)c * 37;
        hr_sample *smp = malloc(n * sizeof *smp);
        int64_t *g = malloc(n * sizeof *g), t = 1717200000000LL;
        size_t m = 0;
        for (size_t i = 0; i < n; i++) {
            r ^= r << 13;
            r ^= r >> 7;
            r ^= r << 17;
            int64_t gap = c % 3 == 0 ? 60000 * (int64_t)(1 + r % 3) : c % 3 == 1 ? (int64_t)(r % 900000) : (int64_t)(r % 2) * 300000;
            if (i) {
                t += gap;
                if (gap)
                    g[m++] = gap;
            }
            smp[i] = (hr_sample){t, 1.0, i};
        }
        int64_t want = 0;
        if (m) {
            qsort(g, m, sizeof *g, cmp_gap);
            want = g[(m - 1) / 2];
            if (want >= 1000)
                want = (want + 500) / 1000 * 1000;
        }
        CHECK_EQ_INT(hr_step_detect(smp, n), want);
        free(smp);
        free(g);
    }
}

/* hr_series_plan: the grid n sorted samples would give, by hand. */
static void test_plan(void)
{
    hr_err err;
    hr_grid_plan pl;
    hr_series s = mk("p");
    /* two points a minute apart and one a day later: 1,441 slots, the
     * latest end far from the median */
    hr_sample a[] = {{T0, 1, 0}, {T0 + 60000, 2, 1}, {T0 + 86400000, 3, 2}};
    CHECK_EQ_INT(hr_series_plan(&s, a, 3, 0, &pl, &err), HR_OK);
    CHECK_EQ_INT(pl.step_ms, 60000);
    CHECK_EQ_INT(pl.slots, 1441);
    CHECK_EQ_INT(pl.filled, 3);
    CHECK_EQ_INT(pl.t_first, T0);
    CHECK_EQ_INT(pl.t_last, T0 + 86400000);
    CHECK_EQ_INT(pl.far_low, 0);
    /* the same a day earlier: the earliest end is far */
    hr_sample b[] = {{T0 - 86400000, 3, 0}, {T0, 1, 1}, {T0 + 60000, 2, 2}};
    CHECK_EQ_INT(hr_series_plan(&s, b, 3, 0, &pl, &err), HR_OK);
    CHECK_EQ_INT(pl.slots, 1442);
    CHECK_EQ_INT(pl.far_low, 1);
    /* the step override wins; placing at the planned step gives the plan */
    CHECK_EQ_INT(hr_series_plan(&s, a, 3, 30000, &pl, &err), HR_OK);
    CHECK_EQ_INT(pl.slots, 2881);
    CHECK_EQ_INT(hr_series_place(&s, a, 3, pl.step_ms, 0, NULL, &err), HR_OK);
    CHECK_EQ_INT(s.n, 2881);
    /* against a stored grid: its values count, the new point is far */
    hr_sample c[] = {{T0 + 10 * 86400000LL, 4, 0}};
    CHECK_EQ_INT(hr_series_plan(&s, c, 1, 0, &pl, &err), HR_OK);
    CHECK_EQ_INT(pl.step_ms, 30000);
    CHECK_EQ_INT(pl.filled, 4);
    CHECK_EQ_INT(pl.slots, 10 * 2880 + 1);
    CHECK_EQ_INT(pl.far_low, 0);
    drop(&s);
    /* one timestamp only: a one-slot grid */
    hr_sample d[] = {{T0, 1, 0}, {T0, 2, 1}};
    CHECK_EQ_INT(hr_series_plan(&s, d, 2, 0, &pl, &err), HR_OK);
    CHECK_EQ_INT(pl.slots, 1);
    CHECK_EQ_INT(pl.step_ms, 0);
}

/* hr_size_parse: binary units, suffix forms, and refusals. */
static void test_size(void)
{
    unsigned long long b = 7;
    CHECK(hr_size_parse("0", &b) == 0 && b == 0);
    CHECK(hr_size_parse("1000000", &b) == 0 && b == 1000000);
    CHECK(hr_size_parse("512B", &b) == 0 && b == 512);
    CHECK(hr_size_parse("100K", &b) == 0 && b == 102400);
    CHECK(hr_size_parse("1.5M", &b) == 0 && b == 1572864);
    CHECK(hr_size_parse("8GiB", &b) == 0 && b == 8ULL << 30);
    CHECK(hr_size_parse("8gb", &b) == 0 && b == 8ULL << 30);
    CHECK(hr_size_parse("2T", &b) == 0 && b == 2ULL << 40);
    b = 7;
    CHECK(hr_size_parse("", &b) == -1);
    CHECK(hr_size_parse("-1G", &b) == -1);
    CHECK(hr_size_parse("12X", &b) == -1);
    CHECK(hr_size_parse("1G ", &b) == -1);
    CHECK(hr_size_parse(" 1G", &b) == -1);
    CHECK(hr_size_parse("nan", &b) == -1);
    CHECK(hr_size_parse("9000000T", &b) == -1);
    CHECK(hr_size_parse("1GiBB", &b) == -1);
    CHECK(b == 7);
}

int main(void)
{
    hr_err err = {0};
    hr_place_stats st;

    /* step detection: median gap, robust to one gap; rounded to seconds */
    hr_sample a[] = {{T0, 1, 0}, {T0 + H, 2, 1}, {T0 + 2 * H, 3, 2}, {T0 + 5 * H, 4, 3}, {T0 + 6 * H, 5, 4}};
    CHECK_EQ_INT(hr_step_detect(a, 5), H);
    hr_sample j[] = {{T0, 1, 0}, {T0 + 59998, 1, 1}, {T0 + 120003, 1, 2}, {T0 + 180001, 1, 3}};
    CHECK_EQ_INT(hr_step_detect(j, 4), 60000);
    CHECK_EQ_INT(hr_step_detect(a, 1), 0);

    /* a new series: grid from the data, gaps NaN */
    hr_series s = mk("x");
    memset(&st, 0, sizeof st);
    CHECK_EQ_INT(hr_series_place(&s, a, 5, 0, 0, &st, &err), HR_OK);
    CHECK_EQ_INT(s.n, 7);
    CHECK_EQ_INT(s.step_ms, H);
    CHECK_EQ_INT(s.t0_ms, T0);
    CHECK_NEAR(s.v[2], 3, 0);
    CHECK(isnan(s.v[3]) && isnan(s.v[4]));
    CHECK_NEAR(s.v[6], 5, 0);
    CHECK_EQ_INT(st.added, 5);

    /* the same samples again: nothing changes */
    memset(&st, 0, sizeof st);
    hr_series_place(&s, a, 5, 0, 0, &st, &err);
    CHECK_EQ_INT(st.added, 0);
    CHECK_EQ_INT(st.same, 5);
    CHECK_EQ_INT(st.extended, 0);

    /* fill a gap, append after, prepend before, one conflict */
    hr_sample b[] = {{T0 - 2 * H, 9, 10}, {T0 + 3 * H, 3.5, 11}, {T0 + 4 * H, 99, 12}, {T0 + 8 * H, 8, 13}};
    b[2].t_ms = T0 + 6 * H; /* conflicts with stored 5 */
    b[2].v = 6;
    memset(&st, 0, sizeof st);
    CHECK_EQ_INT(hr_series_place(&s, b, 4, 0, 0, &st, &err), HR_OK);
    CHECK_EQ_INT(s.t0_ms, T0 - 2 * H);
    CHECK_EQ_INT(s.n, 11);
    CHECK_NEAR(s.v[0], 9, 0);
    CHECK(isnan(s.v[1]));
    CHECK_NEAR(s.v[5], 3.5, 0);
    CHECK_NEAR(s.v[8], 5, 0); /* stored value kept */
    CHECK_NEAR(s.v[10], 8, 0);
    CHECK_EQ_INT(st.conflicts, 1);
    CHECK_EQ_INT(st.first_conflict_ms, T0 + 6 * H);
    CHECK_EQ_INT(st.added, 3);
    /* replace mode overwrites */
    memset(&st, 0, sizeof st);
    hr_series_place(&s, &b[2], 1, 0, 1, &st, &err);
    CHECK_EQ_INT(st.replaced, 1);
    CHECK_NEAR(s.v[8], 6, 0);
    drop(&s);

    /* duplicate rule: same timestamp -> last in input order; same slot with
     * jitter -> latest timestamp; NaN never overwrites */
    hr_sample d[] = {{T0, 1, 0}, {T0 + H, 2, 1}, {T0 + H, 7, 2}, {T0 + 2 * H, 3, 3},
                     {T0 + 2 * H + 60000, 4, 4}, {T0 + 3 * H, 5, 5}, {T0 + 3 * H, NAN, 6}};
    hr_samples_sort(d, 7);
    s = mk("d");
    memset(&st, 0, sizeof st);
    hr_series_place(&s, d, 7, H, 0, &st, &err);
    CHECK_EQ_INT(s.n, 4);
    CHECK_NEAR(s.v[1], 7, 0);
    CHECK_NEAR(s.v[2], 4, 0);
    CHECK_NEAR(s.v[3], 5, 0);
    CHECK_EQ_INT(st.duplicates, 2);
    drop(&s);

    /* out-of-order input is sorted by time, input order breaking ties */
    hr_sample o[] = {{T0 + 2 * H, 3, 0}, {T0, 1, 1}, {T0 + H, 2, 2}, {T0, 9, 3}};
    hr_samples_sort(o, 4);
    CHECK_EQ_INT(o[0].t_ms, T0);
    CHECK_NEAR(o[0].v, 1, 0);
    CHECK_NEAR(o[1].v, 9, 0);
    CHECK_EQ_INT(o[3].t_ms, T0 + 2 * H);

    /* a stray timestamp far away is refused, naming the series */
    hr_sample far[] = {{0, 1, 0}, {T0, 1, 1}, {T0 + 1000, 1, 2}, {T0 + 2000, 1, 3}};
    s = mk("cpu{host=\"a\"}");
    CHECK_EQ_INT(hr_series_place(&s, far, 4, 0, 0, NULL, &err), HR_EINPUT);
    CHECK_CONTAINS(err.msg, "series cpu{host=\"a\"}: timestamps from 1970-01-01T00:00:00Z");
    drop(&s);

    /* single point, then more: the step is learnt on the second batch */
    s = mk("one");
    hr_sample p1[] = {{T0, 1, 0}};
    hr_series_place(&s, p1, 1, 0, 0, NULL, &err);
    CHECK_EQ_INT(s.n, 1);
    CHECK_EQ_INT(s.step_ms, 0);
    hr_sample p2[] = {{T0 + 300000, 2, 1}, {T0 + 600000, 3, 2}};
    hr_series_place(&s, p2, 2, 0, 0, NULL, &err);
    CHECK_EQ_INT(s.step_ms, 300000);
    CHECK_EQ_INT(s.n, 3);
    CHECK_NEAR(s.v[0], 1, 0);
    CHECK_NEAR(s.v[2], 3, 0);
    drop(&s);

    /* counter rates: increase / seconds, resets restart from zero, gaps span */
    hr_series c = mk("req_total");
    c.kind = HR_COUNTER;
    c.step_ms = 60000;
    double cv[] = {0, 60, 120, 30, NAN, 150, 150};
    c.v = cv;
    c.n = 7;
    double r[7];
    hr_series_rate(&c, r);
    CHECK(isnan(r[0]));
    CHECK_NEAR(r[1], 1.0, 1e-12);
    CHECK_NEAR(r[2], 1.0, 1e-12);
    CHECK_NEAR(r[3], 0.5, 1e-12); /* reset: 30 since restart */
    CHECK(isnan(r[4]));
    CHECK_NEAR(r[5], 1.0, 1e-12); /* (150-30)/120 s */
    CHECK_NEAR(r[6], 0.0, 0);

    CHECK(hr_key_is_counter("http_requests_total{job=\"api\"}"));
    CHECK(hr_key_is_counter("x_total"));
    CHECK(!hr_key_is_counter("total"));
    CHECK(!hr_key_is_counter("cpu{mode=\"x_total\"}"));
    CHECK_EQ_INT(hr_key_metric_len("cpu{a=\"b\"}"), 3);
    test_step_select();
    test_plan();
    test_size();
    return check_summary("series");
}
