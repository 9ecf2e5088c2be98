/* test_deploys.c -- change management (models/deploys.h) on a hand-computed
 * log: links (nearest change, the window's edge, a change after the
 * onset, ties by origin service then service name), failed changes
 * (major incident, rollback; a minor incident is not a failure),
 * deployment frequency, change failure rate, lead time p50/p90 and time
 * to restore over the whole span and the recent window; then the changes
 * log reader (engine/tables.c: columns, file:line:column errors, all or
 * nothing) and the [changes] config keys. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "config.h"
#include "deploys.h"
#include "tables.h"

#define MIN INT64_C(60000)
#define HOUR (60 * MIN)
#define DAY (24 * HOUR)
#define T0 INT64_C(1704067200000) /* 2024-01-01 00:00 UTC */
#define NONE HR_DEP_NONE
#define NOC HR_DEP_MISSING

static hr_dep_change ch(int64_t t, const char *svc, const char *id, int kind, int64_t commit, size_t rb)
{
    return (hr_dep_change){t, commit, svc, id, kind, rb};
}

static void test_model(void)
{
    const hr_dep_change c[] = {
        ch(T0 + 1 * DAY + 10 * HOUR, "checkout", "c1", HR_DEP_DEPLOY, T0 + 1 * DAY + 6 * HOUR, NONE),  /* lead 4 h */
        ch(T0 + 3 * DAY + 12 * HOUR, "checkout", "c2", HR_DEP_DEPLOY, T0 + 3 * DAY + 10 * HOUR, NONE), /* lead 2 h */
        ch(T0 + 3 * DAY + 12 * HOUR, "search", "s1", HR_DEP_DEPLOY, NOC, NONE),
        ch(T0 + 10 * DAY + 9 * HOUR, "checkout", "c3", HR_DEP_DEPLOY, T0 + 9 * DAY + 9 * HOUR, NONE), /* 24 h */
        ch(T0 + 10 * DAY + 9 * HOUR + 30 * MIN, "checkout", "c4", HR_DEP_DEPLOY, T0 + 10 * DAY + 9 * HOUR + 20 * MIN,
           3), /* reverts c3; lead 10 min */
        ch(T0 + 20 * DAY + 8 * HOUR, "checkout", "c5", HR_DEP_CONFIG, NOC, NONE),
        ch(T0 + 20 * DAY + 8 * HOUR, "payments", "p1", HR_DEP_FLAG, NOC, NONE),
        ch(T0 + 21 * DAY, "search", "s2", HR_DEP_DEPLOY, T0 + 20 * DAY + 12 * HOUR, NONE), /* 12 h */
        ch(T0 + 25 * DAY, "search", "s3", HR_DEP_INFRA, NOC, NONE),
        ch(T0 + 29 * DAY, "checkout", "late", HR_DEP_DEPLOY, NOC, NONE), /* after the span */
    };
    const char *co[] = {"checkout"}, *se[] = {"search"}, *sc[] = {"search", "checkout"},
               *acp[] = {"auth", "payments", "checkout"};
    const hr_dep_incident in[] = {
        /* B: starts before c1: no link */
        {T0 + 1 * DAY + 9 * HOUR, T0 + 1 * DAY + 11 * HOUR, 1, "checkout", co, 1},
        /* A: c2 and s1 at the same time, origin search: s1 */
        {T0 + 3 * DAY + 12 * HOUR + 30 * MIN, T0 + 3 * DAY + 14 * HOUR, 1, "search", sc, 2},
        /* A2: checkout only, minor: c2, not failed */
        {T0 + 3 * DAY + 13 * HOUR, T0 + 3 * DAY + 13 * HOUR + 20 * MIN, 0, "checkout", co, 1},
        /* C: c5 and p1 at the same time, origin auth (no change): by name, c5 */
        {T0 + 20 * DAY + 9 * HOUR, T0 + 20 * DAY + 11 * HOUR, 1, "auth", acp, 3},
        /* D: minor after s2 */
        {T0 + 21 * DAY + 1 * HOUR, T0 + 21 * DAY + 2 * HOUR, 0, "search", se, 1},
        /* E: 3 h after s3: outside the window */
        {T0 + 25 * DAY + 3 * HOUR, T0 + 25 * DAY + 3 * HOUR + 30 * MIN, 0, "search", se, 1},
        /* F: exactly 2 h after s3: linked, major; ends 4.5 h after it */
        {T0 + 25 * DAY + 2 * HOUR, T0 + 25 * DAY + 4 * HOUR + 30 * MIN, 1, "search", se, 1},
    };
    hr_dep_cfg cfg;
    hr_dep_cfg_init(&cfg);
    CHECK_EQ_INT(cfg.window_ms, 2 * HOUR);
    cfg.from_ms = T0;
    cfg.to_ms = T0 + 28 * DAY;
    cfg.recent_ms = 14 * DAY;
    hr_dep_result *r = NULL;
    size_t bad = 0;
    CHECK_EQ_INT(hr_dep_analyze(c, 10, in, 7, &cfg, &r, &bad), HR_DEP_OK);
    CHECK(r != NULL);
    if (!r)
        return;
    CHECK_EQ_INT(bad, NONE);
    const size_t want_link[] = {NONE, 2, 1, 5, 7, NONE, 8};
    for (int k = 0; k < 7; k++)
        CHECK_EQ_INT(r->incident_change[k], want_link[k]);
    CHECK_EQ_INT(r->nlinks, 5);
    CHECK_EQ_INT(r->links[0].incident, 1);
    CHECK_EQ_INT(r->links[0].lag_ms, 30 * MIN);
    CHECK_EQ_INT(r->links[1].lag_ms, HOUR);
    CHECK_EQ_INT(r->links[4].incident, 6);
    CHECK_EQ_INT(r->links[4].lag_ms, 2 * HOUR);
    const int want_failed[] = {0, 0, 1, 1, 0, 1, 0, 0, 1, 0};
    for (int k = 0; k < 10; k++)
        CHECK_EQ_INT(r->failed[k], want_failed[k]);
    CHECK_EQ_INT(r->rolled_back_by[3], 4);
    CHECK_EQ_INT(r->rolled_back_by[4], NONE);
    CHECK_EQ_INT(r->nsvc, 3);
    CHECK_STR(r->svc[0].service, "checkout");
    CHECK_STR(r->svc[1].service, "payments");
    CHECK_STR(r->svc[2].service, "search");
    /* checkout over 4 weeks: c1..c5 (late is after the span), 4 deploys,
     * failed c3 (rolled back) and c5 (critical C); leads 1/6, 2, 4, 24 h:
     * p50 3, p90 at rank 2.7: 4 + 0.7 x 20 = 18; restore c5: 3 h */
    const hr_dep_metrics *m = &r->svc[0].all;
    CHECK_EQ_INT(m->n_changes, 5);
    CHECK_EQ_INT(m->n_deploys, 4);
    CHECK_EQ_INT(m->n_failed, 2);
    CHECK_NEAR(m->deploys_per_week, 1.0, 1e-12);
    CHECK_NEAR(m->failure_rate, 0.4, 1e-12);
    CHECK_NEAR(m->lead_p50_h, 3.0, 1e-12);
    CHECK_NEAR(m->lead_p90_h, 18.0, 1e-12);
    CHECK_NEAR(m->restore_p50_h, 3.0, 1e-12);
    /* payments: one flag flip, no deploys */
    m = &r->svc[1].all;
    CHECK_EQ_INT(m->n_changes, 1);
    CHECK_NEAR(m->deploys_per_week, 0.0, 0);
    CHECK_NEAR(m->failure_rate, 0.0, 0);
    CHECK(isnan(m->lead_p50_h) && isnan(m->lead_p90_h) && isnan(m->restore_p50_h));
    /* search: s1, s2, s3; 2 deploys; failed s1 (A) and s3 (F); lead 12 h;
     * restores 2 h and 4.5 h: median 3.25 */
    m = &r->svc[2].all;
    CHECK_EQ_INT(m->n_changes, 3);
    CHECK_NEAR(m->deploys_per_week, 0.5, 1e-12);
    CHECK_NEAR(m->failure_rate, 2.0 / 3.0, 1e-12);
    CHECK_NEAR(m->lead_p50_h, 12.0, 1e-12);
    CHECK_NEAR(m->lead_p90_h, 12.0, 1e-12);
    CHECK_NEAR(m->restore_p50_h, 3.25, 1e-12);
    /* all: 9 changes, 6 deploys, 4 failed; leads 1/6, 2, 4, 12, 24:
     * p50 4, p90 at rank 3.6: 12 + 0.6 x 12 = 19.2; restores 2, 3, 4.5 */
    m = &r->all;
    CHECK_EQ_INT(m->n_changes, 9);
    CHECK_EQ_INT(m->n_failed, 4);
    CHECK_NEAR(m->deploys_per_week, 1.5, 1e-12);
    CHECK_NEAR(m->failure_rate, 4.0 / 9.0, 1e-12);
    CHECK_NEAR(m->lead_p50_h, 4.0, 1e-12);
    CHECK_NEAR(m->lead_p90_h, 19.2, 1e-12);
    CHECK_NEAR(m->restore_p50_h, 3.0, 1e-12);
    /* the recent 14 days (T0 + 14 d, T0 + 28 d]: checkout c5 (failed),
     * search s2 and s3 (s3 failed) */
    CHECK_EQ_INT(r->svc[0].recent.n_changes, 1);
    CHECK_NEAR(r->svc[0].recent.failure_rate, 1.0, 0);
    CHECK_NEAR(r->svc[0].recent.deploys_per_week, 0.0, 0);
    CHECK_EQ_INT(r->svc[2].recent.n_changes, 2);
    CHECK_NEAR(r->svc[2].recent.failure_rate, 0.5, 0);
    CHECK_NEAR(r->svc[2].recent.deploys_per_week, 0.5, 1e-12);
    CHECK_NEAR(r->svc[2].recent.restore_p50_h, 4.5, 1e-12);
    CHECK_EQ_INT(r->recent.n_changes, 4);
    hr_dep_result_free(r);

    /* the same log in another order gives the same links (by id) */
    hr_dep_change rev[10];
    for (int k = 0; k < 10; k++) {
        rev[k] = c[9 - k];
        rev[k].rollback_of = c[9 - k].rollback_of == NONE ? NONE : 9 - c[9 - k].rollback_of;
    }
    CHECK_EQ_INT(hr_dep_analyze(rev, 10, in, 7, &cfg, &r, NULL), HR_DEP_OK);
    for (int k = 0; r && k < 7; k++)
        CHECK_STR(r->incident_change[k] == NONE ? "-" : rev[r->incident_change[k]].id,
                  want_link[k] == NONE ? "-" : c[want_link[k]].id);
    hr_dep_result_free(r);

    /* errors and the empty log */
    hr_dep_change self = ch(T0, "a", "x", HR_DEP_DEPLOY, NOC, 0);
    CHECK_EQ_INT(hr_dep_analyze(&self, 1, NULL, 0, &cfg, &r, &bad), HR_DEP_EINPUT);
    CHECK_EQ_INT(bad, 0);
    CHECK(r == NULL);
    cfg.window_ms = 0;
    CHECK_EQ_INT(hr_dep_analyze(c, 10, in, 7, &cfg, &r, NULL), HR_DEP_ECONFIG);
    cfg.window_ms = HOUR;
    CHECK_EQ_INT(hr_dep_analyze(NULL, 0, in, 7, &cfg, &r, NULL), HR_DEP_OK);
    if (r) {
        CHECK_EQ_INT(r->nlinks, 0);
        CHECK_EQ_INT(r->nsvc, 0);
        CHECK(isnan(r->all.failure_rate));
        CHECK_NEAR(r->all.deploys_per_week, 0.0, 0);
    }
    hr_dep_result_free(r);
    hr_dep_result_free(NULL);
    int kind = -1;
    CHECK_EQ_INT(hr_dep_kind_parse("flag", &kind), 0);
    CHECK_EQ_INT(kind, HR_DEP_FLAG);
    CHECK_EQ_INT(hr_dep_kind_parse("Deploy", &kind), -1);
    CHECK_STR(hr_dep_kind_name(HR_DEP_INFRA), "infra");
}

/* ---- the changes log reader ------------------------------------------- */

static char diag_msg[8][512];
static int ndiag;

static void diag(int level, const char *msg, void *ud)
{
    (void)level;
    (void)ud;
    if (ndiag < 8)
        snprintf(diag_msg[ndiag], sizeof diag_msg[0], "%s", msg);
    ndiag++;
}

static void write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "wb");
    if (f) {
        fputs(text, f);
        fclose(f);
    }
}

/* Loads text as a changes log; returns the status, messages in diag_msg. */
static int load_text(const char *path, const char *text, hr_changelog *log, hr_err *err)
{
    write_file(path, text);
    ndiag = 0;
    memset(log, 0, sizeof *log);
    memset(err, 0, sizeof *err);
    return hr_changelog_load(path, log, diag, NULL, err);
}

static void test_reader(const char *dir)
{
    char path[256];
    snprintf(path, sizeof path, "%s/changes.csv", dir);
    hr_changelog log;
    hr_err err;
    CHECK_EQ_INT(load_text(path,
                           "time,service,id,kind,commit_time,rollback_of,description\n"
                           "2024-01-02T10:00:00Z,checkout,4711,deploy,2024-01-02T06:00:00Z,,\"cart, v2\"\n"
                           "2024-01-02T10:30:00Z,checkout,4712,,,4711,revert\n"
                           "2024-01-03T08:00:00Z,search,cfg-9,config,,,\n",
                           &log, &err),
                 HR_OK);
    CHECK_EQ_INT(log.n, 3);
    if (log.n == 3) {
        CHECK_EQ_INT(log.r[0].t_ms, T0 + DAY + 10 * HOUR);
        CHECK_EQ_INT(log.r[0].commit_ms, T0 + DAY + 6 * HOUR);
        CHECK_STR(log.r[0].id, "4711");
        CHECK_STR(log.description[0], "cart, v2");
        CHECK_EQ_INT(log.r[1].kind, HR_DEP_DEPLOY);
        CHECK_EQ_INT(log.r[1].rollback_of, 0);
        CHECK_EQ_INT(log.r[1].commit_ms, NOC);
        CHECK_EQ_INT(log.r[2].kind, HR_DEP_CONFIG);
        CHECK(log.description[2] == NULL);
        CHECK_EQ_INT(log.line[2], 4);
    }
    hr_changelog_clear(&log);
    hr_changelog_clear(NULL);
    /* only the required columns, any order */
    CHECK_EQ_INT(load_text(path, "id,service,time\na,b,2024-01-01T00:00:00Z\n", &log, &err), HR_OK);
    CHECK_EQ_INT(log.n, 1);
    hr_changelog_clear(&log);

    /* bad rows: every one reported with file:line:column, nothing kept */
    CHECK_EQ_INT(load_text(path,
                           "time,service,id,kind,commit_time,rollback_of\n"
                           "2024-01-02T10:00:00Z,checkout,1,deploy,,\n"
                           "2024-01-02T11:00:00Z,checkout,1,deploy,,\n"            /* id twice */
                           "2024-01-02T12:00:00Z,checkout,2,release,,\n"           /* kind */
                           "2024-01-02T13:00:00Z,checkout,3,,2024-01-02T14:00:00Z,\n" /* commit after */
                           "2024-01-02T14:00:00Z,checkout,4,,,9\n"                 /* unknown rollback */
                           "yesterday,checkout,5,,,\n"                             /* time */
                           "2024-01-02T15:00:00Z,,6,,,\n",                         /* empty service */
                           &log, &err),
                 HR_EINPUT);
    CHECK_EQ_INT(log.n, 0);
    CHECK_EQ_INT(ndiag, 6);
    char want[320];
    snprintf(want, sizeof want, "%s:3:31: change id \"1\" is listed twice", path);
    CHECK_STR(diag_msg[0], want);
    snprintf(want, sizeof want, "%s:4:33: kind: want deploy, config, flag or infra", path);
    CHECK_CONTAINS(diag_msg[1], want);
    snprintf(want, sizeof want, "%s:5:34: commit_time is after time", path);
    CHECK_CONTAINS(diag_msg[2], want);
    snprintf(want, sizeof want, "%s:6:35: rollback_of: no change \"9\" listed before this row", path);
    CHECK_STR(diag_msg[3], want);
    snprintf(want, sizeof want, "%s:7:1: time:", path);
    CHECK_CONTAINS(diag_msg[4], want);
    snprintf(want, sizeof want, "%s:8:22: empty service", path);
    CHECK_STR(diag_msg[5], want);
    snprintf(want, sizeof want, "%s: 6 bad rows", path);
    CHECK_CONTAINS(err.msg, want);

    /* a rollback listed before the change it reverts, and one earlier in time */
    CHECK_EQ_INT(load_text(path,
                           "time,service,id,rollback_of\n"
                           "2024-01-02T10:00:00Z,checkout,1,\n"
                           "2024-01-02T09:00:00Z,checkout,2,1\n",
                           &log, &err),
                 HR_EINPUT);
    CHECK_EQ_INT(ndiag, 1);
    snprintf(want, sizeof want, "%s:3:33: rollback_of: change \"1\" is later than this rollback", path);
    CHECK_STR(diag_msg[0], want);
    /* an unknown column, a missing one, an empty file */
    CHECK_EQ_INT(load_text(path, "time,service,id,owner\n", &log, &err), HR_EINPUT);
    snprintf(want, sizeof want, "%s:1:17: unknown column \"owner\"", path);
    CHECK_CONTAINS(err.msg, want);
    CHECK_EQ_INT(load_text(path, "time,service\n", &log, &err), HR_EINPUT);
    snprintf(want, sizeof want, "%s:1:1: no id column", path);
    CHECK_STR(err.msg, want);
    CHECK_EQ_INT(load_text(path, "", &log, &err), HR_EINPUT);
    CHECK_EQ_INT(load_text(path, "time,service,id\n2024-01-02T10:00:00Z,a\n", &log, &err), HR_EINPUT);
    CHECK_EQ_INT(ndiag, 1);
    unlink(path);
}

/* ---- [changes] in the config ------------------------------------------- */

static void test_config(const char *dir)
{
    char path[256];
    snprintf(path, sizeof path, "%s/c.ini", dir);
    hr_config cfg;
    hr_err err = {0};
    write_file(path, "[store]\npath = x.h5\n");
    CHECK_EQ_INT(hr_config_load(path, &cfg, &err), HR_OK);
    CHECK(cfg.changes == NULL);
    CHECK_EQ_INT(cfg.change_window_ms, 2 * HOUR);
    CHECK_NEAR(cfg.max_failure_rate, 0.15, 0);
    hr_config_clear(&cfg);
    write_file(path, "[store]\npath = x.h5\n[changes]\npath = c.csv\nwindow = 90m\nmax_failure_rate = 0.2\n");
    CHECK_EQ_INT(hr_config_load(path, &cfg, &err), HR_OK);
    CHECK_STR(cfg.changes, "c.csv");
    CHECK_EQ_INT(cfg.change_window_ms, 90 * MIN);
    CHECK_NEAR(cfg.max_failure_rate, 0.2, 0);
    hr_config_clear(&cfg);
    write_file(path, "[store]\npath = x.h5\n[changes]\nwindow = soon\n");
    CHECK_EQ_INT(hr_config_load(path, &cfg, &err), HR_ECONFIG);
    CHECK_CONTAINS(err.msg, ":4: [changes] window: want a duration");
    hr_config_clear(&cfg);
    write_file(path, "[store]\npath = x.h5\n[changes]\nmax_failure_rate = 1.5\n");
    CHECK_EQ_INT(hr_config_load(path, &cfg, &err), HR_ECONFIG);
    CHECK_CONTAINS(err.msg, ":4: [changes] max_failure_rate: want a share");
    hr_config_clear(&cfg);
    write_file(path, "[store]\npath = x.h5\n[changes]\npath = a.csv\npath = b.csv\n");
    CHECK_EQ_INT(hr_config_load(path, &cfg, &err), HR_ECONFIG);
    CHECK_CONTAINS(err.msg, ":5: key \"path\" again in [changes]");
    hr_config_clear(&cfg);
    unlink(path);
}

int main(void)
{
    char dir[] = "/tmp/hr_test_deploys_XXXXXX";
    if (!mkdtemp(dir))
        return 1;
    test_model();
    test_reader(dir);
    test_config(dir);
    rmdir(dir);
    return check_summary("deploys");
}
