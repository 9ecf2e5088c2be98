/* test_ingest.c -- readers: keys, values, layouts, located errors, shares,
 * and the ingest step with on_bad_file = skip. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "ingest.h"
#include "store.h"

static char diagbuf[16384];
static void on_diag(int level, const char *msg, void *ud)
{
    (void)ud;
    size_t n = strlen(diagbuf);
    snprintf(diagbuf + n, sizeof diagbuf - n, "%d|%s\n", level, msg);
}

static char dir[64];
static const char *put(const char *name, const char *text, size_t len)
{
    static char path[128];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "wb");
    fwrite(text, 1, len, f);
    fclose(f);
    return path;
}
#define PUT(name, lit) put(name, lit, sizeof(lit) - 1)

/* Reads one file into a fresh accumulator and merges into set. */
static int read1(const char *path, hr_format fmt, hr_seriesset *set, hr_file_stats *st, hr_err *err)
{
    hr_ingest_opts o;
    hr_ingest_opts_init(&o);
    o.format = fmt;
    o.diag = on_diag;
    diagbuf[0] = '\0';
    hr_ingest *ig = hr_ingest_alloc(&o);
    int rc = hr_ingest_file(ig, path, st, err);
    if (rc == HR_OK) {
        int changed;
        rc = hr_ingest_merge(ig, set, 0, &changed, err);
    }
    hr_ingest_free(ig);
    return rc;
}

static const hr_series *find(const hr_seriesset *set, const char *key)
{
    for (size_t i = 0; i < set->n; i++)
        if (strcmp(set->s[i].key, key) == 0)
            return &set->s[i];
    return NULL;
}

static int count(const char *h, const char *n)
{
    int k = 0;
    for (const char *p = strstr(h, n); p; p = strstr(p + 1, n))
        k++;
    return k;
}

/* "Last wins" for duplicates rests on the order of a builder's samples
 * (the accumulator keeps no sequence number): within a file, out of
 * order and at equal timestamps, and across two files into one
 * accumulator, the later row wins; the number of superseded samples is
 * reported. */
static void test_last_wins(void)
{
    char *f1 = strdup(PUT("lw1.csv", "timestamp,series,value\n"
                                     "1717200120,a,3\n1717200000,a,1\n1717200060,a,2\n"
                                     "1717200060,b,10\n1717200060,a,5\n1717200000,b,9\n"
                                     "1717200120,a,4\n1717200120,b,11\n1717200000,a,6\n"));
    char *f2 = strdup(PUT("lw2.csv", "timestamp,series,value\n1717200060,b,12\n1717200060,a,7\n"));
    hr_ingest_opts o;
    hr_ingest_opts_init(&o);
    o.diag = on_diag;
    diagbuf[0] = '\0';
    hr_ingest *ig = hr_ingest_alloc(&o);
    hr_file_stats st;
    hr_err err = {0};
    hr_seriesset set = {0};
    CHECK_EQ_INT(hr_ingest_file(ig, f1, &st, &err), HR_OK);
    CHECK_EQ_INT(hr_ingest_file(ig, f2, &st, &err), HR_OK);
    int changed = 0;
    CHECK_EQ_INT(hr_ingest_merge(ig, &set, 0, &changed, &err), HR_OK);
    hr_ingest_free(ig);
    const hr_series *a = find(&set, "a"), *b = find(&set, "b");
    CHECK(a && b);
    if (a && b) {
        CHECK_EQ_INT(a->n, 3);
        CHECK_EQ_INT(a->step_ms, 60000);
        CHECK(a->v[0] == 6 && a->v[1] == 7 && a->v[2] == 4);
        CHECK_EQ_INT(b->n, 3);
        CHECK(b->v[0] == 9 && b->v[1] == 12 && b->v[2] == 11);
    }
    CHECK_CONTAINS(diagbuf, "series a: 4 samples superseded by a later sample for the same grid point");
    CHECK_CONTAINS(diagbuf, "series b: 1 samples superseded by a later sample for the same grid point");
    hr_seriesset_clear(&set);
    free(f1);
    free(f2);
}

/* on_bad_file = skip: a file that fails is dropped whole (here one that
 * fails at its end, after rows of a series another file also has, and
 * one over the share of rejected rows), and the store equals the one the
 * good files alone give; fail keeps the all-or-nothing rule. */
static void test_skip(void)
{
    char *fa = strdup(PUT("a.csv", "timestamp,series,value\n1717200000,a,1\n1717200060,a,2\n1717200120,a,3\n"));
    char *fb = strdup(PUT("b.csv", "timestamp,series,value\n1717200180,a,9\n1717200000,bonly,5\n1717200060,\"x,1\n"));
    char *fc = strdup(PUT("c.csv", "timestamp,series,value\n1717200000,c,7\n1717200060,c,8\n"));
    char *fd = strdup(PUT("d.csv", "timestamp,series,value\n1717200000,d,1\n1717200060,d,zz\n1717200120,d,3\n"));
    char s1[128], s2[128], s3[128];
    snprintf(s1, sizeof s1, "%s/skip.h5", dir);
    snprintf(s2, sizeof s2, "%s/good.h5", dir);
    snprintf(s3, sizeof s3, "%s/fail.h5", dir);
    hr_ingest_opts o;
    hr_ingest_opts_init(&o);
    o.diag = on_diag;
    hr_ingest_summary sum;
    hr_err err = {0};

    /* the bad files first and between: the accumulator is rebuilt twice */
    char *all[] = {fb, fa, fd, fc};
    o.skip_bad_files = 1;
    diagbuf[0] = '\0';
    CHECK_EQ_INT(hr_ingest_into_store(s1, all, 4, &o, 0, NULL, NULL, &sum, &err), HR_OK);
    CHECK_EQ_INT(sum.failed, 2);
    CHECK_EQ_INT(sum.nskipped, 2);
    if (sum.nskipped == 2) {
        CHECK_STR(sum.skipped[0].path, fb);
        CHECK_CONTAINS(sum.skipped[0].error, "b.csv:4:12: quoted field never closed");
        CHECK(sum.skipped[0].first_bad == NULL);
        CHECK_STR(sum.skipped[1].path, fd);
        CHECK_CONTAINS(sum.skipped[1].error, "d.csv: 1 of 3 rows rejected");
        CHECK(sum.skipped[1].first_bad != NULL);
        if (sum.skipped[1].first_bad)
            CHECK_CONTAINS(sum.skipped[1].first_bad, "d.csv:3:");
    }
    /* every message once, though a.csv was read twice */
    CHECK_EQ_INT(count(diagbuf, "a.csv: long"), 1);
    CHECK_EQ_INT(count(diagbuf, "d.csv:3:"), 1);
    CHECK_CONTAINS(diagbuf, "1|2 of 4 files skipped (on_bad_file = skip)");
    hr_ingest_summary_clear(&sum);
    hr_ingest_summary_clear(&sum); /* twice is fine */

    char *good[] = {fa, fc};
    o.skip_bad_files = 0;
    CHECK_EQ_INT(hr_ingest_into_store(s2, good, 2, &o, 0, NULL, NULL, &sum, &err), HR_OK);
    CHECK_EQ_INT(sum.nskipped, 0);
    hr_seriesset x = {0}, y = {0};
    CHECK_EQ_INT(hr_store_load(s1, &x, &err), HR_OK);
    CHECK_EQ_INT(hr_store_load(s2, &y, &err), HR_OK);
    CHECK_EQ_INT(x.n, 2);
    CHECK_EQ_INT(x.n, y.n);
    for (size_t i = 0; i < x.n && i < y.n; i++) {
        CHECK_STR(x.s[i].key, y.s[i].key);
        CHECK_EQ_INT(x.s[i].n, y.s[i].n);
        CHECK(x.s[i].t0_ms == y.s[i].t0_ms && x.s[i].step_ms == y.s[i].step_ms);
        CHECK(x.s[i].n == y.s[i].n && memcmp(x.s[i].v, y.s[i].v, x.s[i].n * sizeof *x.s[i].v) == 0);
    }
    hr_seriesset_clear(&x);
    hr_seriesset_clear(&y);

    /* fail: nothing written, the failures named */
    diagbuf[0] = '\0';
    CHECK_EQ_INT(hr_ingest_into_store(s3, all, 4, &o, 0, NULL, NULL, &sum, &err), HR_EINPUT);
    CHECK_CONTAINS(err.msg, "not changed: 2 of 4 files failed");
    CHECK_EQ_INT(sum.nskipped, 0);
    CHECK(access(s3, F_OK) != 0);

    /* skip, every file bad: HR_OK, nothing to store */
    char *bad[] = {fb, fd};
    o.skip_bad_files = 1;
    CHECK_EQ_INT(hr_ingest_into_store(s3, bad, 2, &o, 0, NULL, NULL, &sum, &err), HR_OK);
    CHECK_EQ_INT(sum.nskipped, 2);
    CHECK(!sum.changed && access(s3, F_OK) != 0);
    hr_ingest_summary_clear(&sum);
    /* a missing file is skipped as well */
    char miss_path[] = "/nonexistent/x.csv";
    char *miss[] = {fa, miss_path};
    CHECK_EQ_INT(hr_ingest_into_store(s3, miss, 2, &o, 0, NULL, NULL, &sum, &err), HR_OK);
    CHECK_EQ_INT(sum.nskipped, 1);
    if (sum.nskipped == 1)
        CHECK_CONTAINS(sum.skipped[0].error, "/nonexistent/x.csv: cannot open");
    hr_ingest_summary_clear(&sum);
    free(fa);
    free(fb);
    free(fc);
    free(fd);
}

int main(void)
{
    strcpy(dir, "/tmp/hr_test_ingest_XXXXXX");
    if (!mkdtemp(dir))
        return 1;
    hr_err err = {0};
    hr_file_stats st;
    hr_seriesset set = {0};

    /* key rendering: sorted labels, empty values dropped, escapes */
    const char *n1[] = {"zone", "host", "empty"}, *v1[] = {"eu\"1", "db\\1", ""};
    char *k = hr_key_render("disk_used", n1, v1, 3);
    CHECK_STR(k, "disk_used{host=\"db\\\\1\",zone=\"eu\\\"1\"}");
    free(k);
    k = hr_key_render("up", NULL, NULL, 0);
    CHECK_STR(k, "up");
    free(k);

    /* values */
    double v;
    const char *why = "";
    CHECK(hr_value_parse("71.3", 4, &v, &why) == 0 && v == 71.3);
    CHECK(hr_value_parse(" -2.5e3 ", 8, &v, &why) == 0 && v == -2500);
    CHECK(hr_value_parse("NaN", 3, &v, &why) == 0 && isnan(v));
    CHECK(hr_value_parse("", 0, &v, &why) == 0 && isnan(v));
    CHECK(hr_value_parse("+Inf", 4, &v, &why) == 1 && isnan(v));
    CHECK(hr_value_parse("-Inf", 4, &v, &why) == 1);
    CHECK(hr_value_parse("oops", 4, &v, &why) == -1);
    CHECK_STR(why, "expected a number");
    CHECK(hr_value_parse("45.2%", 5, &v, &why) == -1);
    CHECK_CONTAINS(why, "Formatted data");
    CHECK(hr_value_parse("1e999", 5, &v, &why) == -1);
    CHECK_STR(why, "number out of range");
    CHECK(hr_value_parse("1e300", 5, &v, &why) == -1);
    CHECK_CONTAINS(why, "absurd");
    CHECK(hr_value_parse("0x10", 4, &v, &why) == -1);
    CHECK(hr_value_parse("1e-320", 6, &v, &why) == 0 && v > 0);

    CHECK(hr_utf8_valid("caf\xc3\xa9", 5));
    CHECK(!hr_utf8_valid("caf\xe9", 4));
    CHECK(!hr_utf8_valid("\xc0\xaf", 2));       /* overlong */
    CHECK(!hr_utf8_valid("\xed\xa0\x80", 3));   /* surrogate */
    CHECK(!hr_utf8_valid("a\0b", 3));

    /* long CSV with metric + labels, CRLF, BOM, quoted field with comma */
    const char *p = PUT("labels.csv", "\xEF\xBB\xBFtimestamp,metric,zone,host,value\r\n"
                                      "1717200000,disk_used,eu,\"db,1\",71.5\r\n"
                                      "1717203600,disk_used,eu,\"db,1\",72.5\r\n");
    CHECK_EQ_INT(read1(p, HR_FMT_AUTO, &set, &st, &err), HR_OK);
    CHECK_EQ_INT(st.format, HR_FMT_LONG);
    CHECK_EQ_INT(st.rows, 2);
    const hr_series *s = find(&set, "disk_used{host=\"db,1\",zone=\"eu\"}");
    CHECK(s != NULL);
    if (s) {
        CHECK_EQ_INT(s->n, 2);
        CHECK_EQ_INT(s->step_ms, 3600000);
        CHECK_NEAR(s->v[1], 72.5, 0);
    }
    hr_seriesset_clear(&set);

    /* located errors: line and byte column of the offending field */
    p = PUT("bad.csv", "timestamp,series,value\n"
                       "2024-06-01T00:00:00Z,db1.disk,71.3\n"
                       "2024-06-01T01:00:00Z,\"db1,disk\",oops\n"
                       "2024-13-01T02:00:00Z,db1.disk,1\n"
                       "2024-06-01T03:00:00Z,db1.disk\n");
    CHECK_EQ_INT(read1(p, HR_FMT_AUTO, &set, &st, &err), HR_EINPUT);
    CHECK_CONTAINS(diagbuf, "bad.csv:3:33: expected a number, got \"oops\"");
    CHECK_CONTAINS(diagbuf, "bad.csv:4:1: no such date, got \"2024-13-01T02:00:00Z\"");
    CHECK_CONTAINS(diagbuf, "bad.csv:5:30: expected 3 fields, got 2");
    CHECK_CONTAINS(err.msg, "3 of 4 rows rejected");
    CHECK_EQ_INT(st.bad, 3);
    hr_seriesset_clear(&set);

    /* a multi-line quoted key: the error column counts from its line */
    p = PUT("ml.csv", "timestamp,series,value\n"
                      "1717200000,\"a\nb\",x1\n");
    read1(p, HR_FMT_AUTO, &set, &st, &err);
    CHECK_CONTAINS(diagbuf, "ml.csv:3:4: expected a number, got \"x1\"");
    hr_seriesset_clear(&set);

    /* wide Grafana CSV with doubled quotes, an empty cell and ';' sep line */
    p = PUT("wide.csv", "sep=,\n\"Time\",\"cpu{host=\"\"web1\"\"}\",\"cpu{host=\"\"web2\"\"}\"\n"
                        "1717200000000,41.5,38.2\n1717200060000,43.0,\n");
    CHECK_EQ_INT(read1(p, HR_FMT_AUTO, &set, &st, &err), HR_OK);
    CHECK_EQ_INT(st.format, HR_FMT_WIDE);
    CHECK_EQ_INT(set.n, 2);
    s = find(&set, "cpu{host=\"web2\"}");
    CHECK(s && s->n == 2 && s->v[0] == 38.2 && isnan(s->v[1])); /* the empty cell is a gap */
    s = find(&set, "cpu{host=\"web1\"}");
    CHECK(s && s->n == 2 && s->v[1] == 43.0 && s->step_ms == 60000);
    hr_seriesset_clear(&set);

    /* old Grafana ';' layout Series;Time;Value is long */
    p = PUT("semi.csv", "Series;Time;Value\nload;2024-06-01 00:00:00;1.5\nload;2024-06-01 00:05:00;2,5\n");
    read1(p, HR_FMT_AUTO, &set, &st, &err);
    CHECK_CONTAINS(diagbuf, "semi.csv:3:26: expected a number");
    hr_seriesset_clear(&set);

    /* Prometheus query_range: keys from labels, NaN gap, +Inf kept as gap */
    p = PUT("prom.json",
            "{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":["
            "{\"metric\":{\"__name__\":\"node_filesystem_avail_bytes\",\"mountpoint\":\"/var\","
            "\"instance\":\"db1:9100\"},\"values\":[[1717200000,\"5.12e+10\"],[1717200300,\"NaN\"],"
            "[1717200600,\"5.09e+10\"],[1717200900,\"+Inf\"]]}]}}");
    CHECK_EQ_INT(read1(p, HR_FMT_AUTO, &set, &st, &err), HR_OK);
    CHECK_EQ_INT(st.format, HR_FMT_PROMETHEUS);
    CHECK_EQ_INT(st.nonfinite, 1);
    s = find(&set, "node_filesystem_avail_bytes{instance=\"db1:9100\",mountpoint=\"/var\"}");
    CHECK(s && s->n == 4 && s->step_ms == 300000 && s->v[0] == 5.12e10 && isnan(s->v[1]) &&
          isnan(s->v[3]));
    CHECK_CONTAINS(diagbuf, "1 values were +Inf or -Inf");
    hr_seriesset_clear(&set);

    p = PUT("err.json", "{\"status\":\"error\",\"errorType\":\"bad_data\",\"error\":\"parse error at char 4\"}");
    CHECK_EQ_INT(read1(p, HR_FMT_AUTO, &set, &st, &err), HR_EINPUT);
    CHECK_CONTAINS(err.msg, "Prometheus returned an error: bad_data: parse error at char 4");

    p = PUT("trunc.json", "{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\n\"result\":[");
    CHECK_EQ_INT(read1(p, HR_FMT_AUTO, &set, &st, &err), HR_EINPUT);
    CHECK_CONTAINS(err.msg, "trunc.json:2:");

    p = PUT("badpt.json", "{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":["
                          "{\"metric\":{\"__name__\":\"up\"},\"values\":[[1717200000,\"1\"],[1717200300,\"x\"]]}]}}");
    CHECK_EQ_INT(read1(p, HR_FMT_AUTO, &set, &st, &err), HR_EINPUT);
    CHECK_CONTAINS(diagbuf, "badpt.json: data.result[0].values[1]: expected a number, got \"x\"");
    hr_seriesset_clear(&set);

    /* header problems are whole-file errors */
    p = PUT("nohdr.csv", "");
    CHECK_EQ_INT(read1(p, HR_FMT_AUTO, &set, &st, &err), HR_EINPUT);
    CHECK_CONTAINS(err.msg, "empty file");
    p = PUT("noval.csv", "timestamp,series\n1717200000,a\n");
    CHECK_EQ_INT(read1(p, HR_FMT_LONG, &set, &st, &err), HR_EINPUT);
    CHECK_CONTAINS(err.msg, "noval.csv:1:1: long CSV header has no value column");
    p = PUT("what.csv", "a,b,c\n1,2,3\n");
    CHECK_EQ_INT(read1(p, HR_FMT_AUTO, &set, &st, &err), HR_EINPUT);
    CHECK_CONTAINS(err.msg, "cannot tell the layout");
    p = PUT("dup.csv", "Time,a,a\n1717200000,1,2\n");
    CHECK_EQ_INT(read1(p, HR_FMT_AUTO, &set, &st, &err), HR_EINPUT);
    CHECK_CONTAINS(err.msg, "dup.csv:1:8: series \"a\" appears twice in header");
    p = PUT("hdronly.csv", "timestamp,series,value\n");
    CHECK_EQ_INT(read1(p, HR_FMT_AUTO, &set, &st, &err), HR_OK);
    CHECK_EQ_INT(set.n, 0);
    CHECK_CONTAINS(diagbuf, "no data rows");
    p = PUT("unterm.csv", "timestamp,series,value\n1717200000,\"abc,1\n");
    CHECK_EQ_INT(read1(p, HR_FMT_AUTO, &set, &st, &err), HR_EINPUT);
    CHECK_CONTAINS(err.msg, "unterm.csv:2:12: quoted field never closed");

    /* the share rule: 1 bad row in 200 passes at 1%, 3 in 200 fail */
    char big[16384];
    size_t n = (size_t)sprintf(big, "timestamp,series,value\n");
    for (int i = 0; i < 200; i++)
        n += (size_t)sprintf(big + n, "%d,s,%s\n", 1717200000 + 60 * i, i == 50 ? "bad" : "1");
    p = put("share1.csv", big, n);
    CHECK_EQ_INT(read1(p, HR_FMT_AUTO, &set, &st, &err), HR_OK);
    CHECK_EQ_INT(st.bad, 1);
    CHECK_CONTAINS(diagbuf, "share1.csv:52:14: expected a number, got \"bad\"");
    hr_seriesset_clear(&set);
    big[n - 2] = 'x';
    big[n - 500] = 'y'; /* timestamp digit on some earlier row */
    p = put("share3.csv", big, n);
    CHECK_EQ_INT(read1(p, HR_FMT_AUTO, &set, &st, &err), HR_EINPUT);
    CHECK_EQ_INT(st.bad, 3);
    hr_seriesset_clear(&set);

    /* a missing file */
    CHECK_EQ_INT(read1("/nonexistent/x.csv", HR_FMT_AUTO, &set, &st, &err), HR_ENOINPUT);

    test_skip();
    test_last_wins();

    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    if (system(cmd) != 0)
        return 1;
    return check_summary("ingest");
}
