/* test_demo.c -- the nightly run end to end on the demo fleet, checked
 * against the generator's ground truth (datasets/demo/generated/truth.json,
 * made by `make`), and byte-identical at 1 and 4 threads.
 *
 * Stated tolerances:
 *   - saturation p50 within 14 days of the true date with planned events
 *     (or both null within the 365-day horizon) for at least 90% of the
 *     resources (the bar of the saturation issue; 93 of 96 here);
 *   - resources already above target at the as-of time are "saturated";
 *   - p10 <= p50 <= p90 whenever all three exist;
 *   - order_by = p10 - lead_time_days whenever p10 exists and units are
 *     to be added;
 *   - injected anomalies are reported on their series within 2 hours of
 *     their spans by the causal detector at the default threshold 0.5:
 *     at least 75% (25 of 33 here; it misses a weekly recurring problem,
 *     having no weekly model, and small correlated dips). */
#include <jansson.h>
#include <math.h>
#include <omp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "config.h"
#include "run.h"
#include "timefmt.h"

static int64_t T(const char *s)
{
    int64_t t = -1;
    const char *why;
    if (!s || hr_time_parse(s, strlen(s), &t, &why))
        return -1;
    return t;
}

static char *slurp(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    rewind(f);
    char *b = malloc((size_t)n + 1);
    if (b && fread(b, 1, (size_t)n, f) != (size_t)n) {
        free(b);
        b = NULL;
    }
    if (b)
        b[n] = '\0';
    fclose(f);
    return b;
}

static json_t *find_series(json_t *arr, const char *key, const char *field)
{
    size_t i;
    json_t *o;
    json_array_foreach(arr, i, o)
    {
        if (strcmp(json_string_value(json_object_get(o, field)), key) == 0)
            return o;
    }
    return NULL;
}

int main(void)
{
    char dir[] = "/tmp/hr_test_demo_XXXXXX";
    if (!mkdtemp(dir))
        return 1;
    hr_config cfg;
    hr_err err = {0};
    if (hr_config_load("datasets/demo/demo.ini", &cfg, &err)) {
        fprintf(stderr, "%s\n", err.msg);
        return 1;
    }
    char store[128], out1[128], out4[128], d1[4096], d4[4096];
    snprintf(store, sizeof store, "%s/demo.h5", dir);
    snprintf(out1, sizeof out1, "%s/o1", dir);
    snprintf(out4, sizeof out4, "%s/o4", dir);
    free(cfg.store);
    cfg.store = strdup(store);
    hr_run_opts ro = {0};
    ro.stamp = "run";

    omp_set_num_threads(1);
    ro.out_dir = out1;
    int rc = hr_run(&cfg, &ro, d1, sizeof d1, &err);
    CHECK_EQ_INT(rc, HR_OK);
    if (rc)
        fprintf(stderr, "%s\n", err.msg);
    omp_set_num_threads(4);
    ro.out_dir = out4;
    CHECK_EQ_INT(hr_run(&cfg, &ro, d4, sizeof d4, &err), HR_OK);
    const char *files[] = {"capacity.json", "capacity.md", "problems.json", "problems.md", "summary.csv"};
    for (int i = 0; i < 5; i++) {
        char p1[4200], p4[4200];
        snprintf(p1, sizeof p1, "%s/%s", d1, files[i]);
        snprintf(p4, sizeof p4, "%s/%s", d4, files[i]);
        char *a = slurp(p1), *b = slurp(p4);
        CHECK(a && b && strcmp(a, b) == 0);
        free(a);
        free(b);
    }

    json_error_t je;
    json_t *truth = json_load_file("datasets/demo/generated/truth.json", 0, &je);
    char path[4200];
    snprintf(path, sizeof path, "%s/capacity.json", d1);
    json_t *cap = json_load_file(path, 0, &je);
    snprintf(path, sizeof path, "%s/problems.json", d1);
    json_t *prob = json_load_file(path, 0, &je);
    CHECK(truth && cap && prob);
    if (!truth || !cap || !prob)
        return check_summary("demo");
    int64_t asof = T(json_string_value(json_object_get(truth, "as_of")));
    CHECK_STR(json_string_value(json_object_get(cap, "as_of")), json_string_value(json_object_get(truth, "as_of")));
    const int64_t DAY = 86400000;
    int64_t asof_day = asof / DAY * DAY;

    /* saturation and provisioning */
    size_t i, total_res = 0, good = 0, already = 0, already_ok = 0, ordered = 0;
    json_t *ts;
    json_t *res = json_object_get(cap, "resources");
    json_array_foreach(json_object_get(truth, "series"), i, ts)
    {
        const char *key = json_string_value(json_object_get(ts, "key"));
        if (!json_is_number(json_object_get(ts, "capacity")))
            continue;
        json_t *r = find_series(res, key, "series");
        CHECK(r != NULL);
        if (!r)
            continue;
        total_res++;
        json_t *sat = json_object_get(r, "saturation");
        const char *status = json_string_value(json_object_get(sat, "status"));
        int64_t td = T(json_string_value(json_object_get(ts, "saturation_date_with_events")));
        if (td >= 0 && td - asof_day > 365 * DAY)
            td = -1;
        int64_t p10 = T(json_string_value(json_object_get(sat, "p10")));
        int64_t p50 = T(json_string_value(json_object_get(sat, "p50")));
        int64_t p90 = T(json_string_value(json_object_get(sat, "p90")));
        int ok = (td < 0 && p50 < 0) || (td >= 0 && p50 >= 0 && llabs(p50 - td) <= 14 * DAY);
        good += ok;
        if (!ok)
            fprintf(stderr, "demo: %s saturates %s, reported p50 %s\n", key,
                    json_string_value(json_object_get(ts, "saturation_date_with_events")),
                    json_string_value(json_object_get(sat, "p50")));
        if (td >= 0 && td <= asof_day) {
            already++;
            already_ok += strcmp(status, "saturated") == 0;
        }
        if (p10 >= 0 && p50 >= 0 && p90 >= 0)
            CHECK(p10 <= p50 && p50 <= p90);
        json_t *rec = json_object_get(r, "recommendation");
        json_int_t add = json_integer_value(json_object_get(rec, "units_to_add"));
        double lead = json_number_value(json_object_get(json_object_get(r, "inventory"), "lead_time_days"));
        int64_t ob = T(json_string_value(json_object_get(rec, "order_by")));
        if (add > 0 && p10 >= 0) {
            ordered++;
            CHECK_EQ_INT(ob, p10 - (int64_t)llround(lead) * DAY);
        }
        if (add == 0)
            CHECK(ob < 0);
    }
    CHECK_EQ_INT(total_res, 96);
    CHECK(good * 10 >= total_res * 9);
    CHECK(already >= 1);
    CHECK_EQ_INT(already_ok, already);
    CHECK(ordered >= 5);

    /* anomalies */
    size_t found = 0, total = 0;
    json_t *ta, *ours = json_object_get(prob, "anomalies");
    json_array_foreach(json_object_get(truth, "anomalies"), i, ta)
    {
        const char *key = json_string_value(json_object_get(ta, "series"));
        int64_t s = T(json_string_value(json_object_get(ta, "start"))) - 2 * 3600000;
        int64_t e = T(json_string_value(json_object_get(ta, "end"))) + 2 * 3600000;
        total++;
        size_t k;
        json_t *a;
        int hit = 0;
        json_array_foreach(ours, k, a)
        {
            if (strcmp(json_string_value(json_object_get(a, "series")), key) == 0 &&
                T(json_string_value(json_object_get(a, "start"))) <= e &&
                T(json_string_value(json_object_get(a, "end"))) >= s)
                hit = 1;
        }
        found += hit;
        if (!hit)
            fprintf(stderr, "demo: missed anomaly %s at %s\n", key, json_string_value(json_object_get(ta, "start")));
    }
    CHECK(total >= 20);
    CHECK(found * 4 >= total * 3);
    json_decref(truth);
    json_decref(cap);
    json_decref(prob);
    hr_config_clear(&cfg);
    char cmd[160];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    if (system(cmd) != 0)
        return 1;
    return check_summary("demo");
}
