/* test_prevrun.c -- hr_prev_run_load: what a run keeps of the previous
 * report folder, read as a stream. Hand-written report files with the
 * cases a tree reader handled by itself: members in any order, duplicate
 * names (the last wins), nulls and numbers where strings are wanted,
 * escapes, nesting that only looks like the wanted members, elements
 * without their key member, and documents that are not reports. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check.h"
#include "prevrun.h"
#include "report.h"

#define DAY INT64_C(86400000)

static void put(const char *dir, const char *name, const char *text)
{
    char p[512];
    snprintf(p, sizeof p, "%s/%s", dir, name);
    FILE *f = fopen(p, "w");
    if (!f)
        exit(1);
    fputs(text, f);
    fclose(f);
}

static const char CAP[] =
    "{\n"
    "  \"as_of\": \"2025-05-01\",\n"
    "  \"resources\": [\n"
    "    {\"chart\": {\"x\": [1.0, 2.5e3, -3], \"actions\": [{\"id\": \"decoy\"}]},\n"
    "     \"saturation\": {\"p10\": \"2025-06-01\", \"p50\": \"2025-07-01\", \"p90\": null},\n"
    "     \"series\": \"zeta{a=\\\"b\\\"}\"},\n"
    "    {\"series\": \"alpha\", \"saturation\": {\"p50\": null}},\n"
    "    {\"saturation\": {\"p50\": \"2025-08-01\"}},\n"
    "    {\"series\": 7, \"saturation\": {\"p50\": \"2025-08-01\"}},\n"
    "    {\"series\": \"mid\", \"saturation\": {\"deep\": {\"p50\": \"2030-01-01\"}}}\n"
    "  ],\n"
    "  \"incidents\": [{\"origin\": \"not read from capacity.json\"}],\n"
    "  \"actions\": [\n"
    "    {\"id\": \"order-1\", \"rule\": \"order_capacity\", \"title\": \"Order \\u00e9 2\", \"first_seen\": \"2025-04-20\"},\n"
    "    {\"rule\": \"no id\"},\n"
    "    {\"id\": \"old-id\", \"id\": \"order-2\", \"title\": null, \"first_seen\": 5}\n"
    "  ]\n"
    "}\n";

static const char PM[] =
    "{\"actions\": [{\"first_seen\": \"2025-04-30\", \"id\": \"slo-1\", \"rule\": \"slo_burn\", \"title\": \"t\"}],\n"
    " \"resources\": [{\"series\": \"not read from problems.json\"}],\n"
    " \"incidents\": [\n"
    "   {\"id\": \"D-0001\", \"origin\": \"cpu\", \"start\": \"2025-04-01T10:00:00Z\", \"end\": \"2025-04-01T12:00:00Z\"},\n"
    "   {\"id\": \"D-0002\", \"start\": \"2025-04-02T10:00:00Z\"},\n"
    "   {\"origin\": \"mem\", \"start\": null, \"end\": \"bad time\", \"members\": [{\"origin\": \"x\"}]}\n"
    " ]}\n";

int main(void)
{
    char dir[] = "/tmp/hr_test_prevrun_XXXXXX";
    if (!mkdtemp(dir))
        return 1;
    char sub[600];
    snprintf(sub, sizeof sub, "%s/20250501T021500Z", dir);
    mkdir(sub, 0755);
    put(sub, "capacity.json", CAP);
    put(sub, "problems.json", PM);
    hr_prev_run p;
    hr_err err = {0};
    char withslash[700];
    snprintf(withslash, sizeof withslash, "%s/", sub);
    CHECK_EQ_INT(hr_prev_run_load(withslash, &p, &err), HR_OK);
    CHECK_STR(p.stamp, "20250501T021500Z");
    /* actions: capacity's then problems', those without an id left out */
    CHECK_EQ_INT(p.nact, 3);
    if (p.nact == 3) {
        CHECK_STR(p.act[0].id, "order-1");
        CHECK_STR(p.act[0].rule, "order_capacity");
        CHECK_STR(p.act[0].title, "Order \xc3\xa9 2");
        CHECK_EQ_INT(p.act[0].first_seen_ms, INT64_C(1745107200000)); /* 2025-04-20 */
        CHECK_EQ_INT(p.act[0].report, HR_REP_CAPACITY);
        CHECK_STR(p.act[1].id, "order-2"); /* the last of two ids */
        CHECK(p.act[1].rule == NULL && p.act[1].title == NULL);
        CHECK_EQ_INT(p.act[1].first_seen_ms, -1); /* a number is no date */
        CHECK_STR(p.act[2].id, "slo-1");
        CHECK_EQ_INT(p.act[2].report, HR_REP_PROBLEMS);
        CHECK_EQ_INT(p.act[2].first_seen_ms, INT64_C(1745971200000));
    }
    /* resources: sorted by series; no series, no entry; p50 only from
     * saturation itself */
    CHECK_EQ_INT(p.nsat, 3);
    if (p.nsat == 3) {
        CHECK_STR(p.sat[0].series, "alpha");
        CHECK_EQ_INT(p.sat[0].p50_ms, -1);
        CHECK_STR(p.sat[1].series, "mid");
        CHECK_EQ_INT(p.sat[1].p50_ms, -1);
        CHECK_STR(p.sat[2].series, "zeta{a=\"b\"}");
        CHECK_EQ_INT(p.sat[2].p50_ms, INT64_C(1751328000000)); /* 2025-07-01 */
    }
    /* incidents from problems.json only, those without an origin left out */
    CHECK_EQ_INT(p.ninc, 2);
    if (p.ninc == 2) {
        CHECK_STR(p.inc[0].id, "D-0001");
        CHECK_STR(p.inc[0].origin, "cpu");
        CHECK_EQ_INT(p.inc[0].end_ms - p.inc[0].start_ms, 2 * 3600000);
        CHECK(p.inc[1].id == NULL);
        CHECK_STR(p.inc[1].origin, "mem");
        CHECK(p.inc[1].start_ms == -1 && p.inc[1].end_ms == -1);
    }
    hr_prev_run_clear(&p);

    /* not reports: the file and the place named */
    put(sub, "problems.json", "{\"actions\": [\n  {\"id\": }]}\n");
    CHECK_EQ_INT(hr_prev_run_load(sub, &p, &err), HR_EINPUT);
    CHECK_CONTAINS(err.msg, "problems.json:2:");
    CHECK(p.nact == 0 && p.act == NULL && p.stamp == NULL);
    put(sub, "problems.json", "[{\"actions\": []}]\n");
    CHECK_EQ_INT(hr_prev_run_load(sub, &p, &err), HR_EINPUT);
    CHECK_CONTAINS(err.msg, "problems.json: not a headroom report");
    put(sub, "problems.json", "{\"actions\": [");
    CHECK_EQ_INT(hr_prev_run_load(sub, &p, &err), HR_EINPUT);
    CHECK_CONTAINS(err.msg, "problems.json:1:");
    put(sub, "problems.json", "");
    CHECK_EQ_INT(hr_prev_run_load(sub, &p, &err), HR_EINPUT);
    CHECK_CONTAINS(err.msg, "problems.json:");
    char gone[700];
    snprintf(gone, sizeof gone, "%s/nowhere", dir);
    CHECK_EQ_INT(hr_prev_run_load(gone, &p, &err), HR_ENOINPUT);
    CHECK_CONTAINS(err.msg, "nowhere/capacity.json: cannot read");

    char cmd[700];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    if (system(cmd) != 0)
        return 1;
    return check_summary("prevrun");
}
