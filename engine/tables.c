/* tables.c -- see tables.h. */
#include "tables.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "csvread.h"
#include "fileio.h"
#include "strmap.h"
#include "timefmt.h"

typedef struct tctx {
    const char *path;
    hr_diag_fn diag;
    void *ud;
    hr_err *err;
    int header_done;
    long col[10];
    size_t ncol;
    unsigned long bad;
    int kind; /* 0 inventory, 1 events, 2 incident log, 3 changes log */
    double default_target;
    hr_inventory *inv;
    hr_events *ev;
    hr_inclog *log;
    hr_changelog *chg;
    hr_strmap seen;
} tctx;

static const char *inv_cols[] = {"series",     "capacity",       "target_utilization", "unit_capacity", "units",
                                 "redundancy", "lead_time_days", "unit",               "unit_name",     "unit_cost"};
static const char *ev_cols[] = {"date", "name", "scope", "expected_change_pct", "duration", "repeat"};
static const char *log_cols[] = {"start", "end", "service", "detected", "resolved", "title"};
static const char *chg_cols[] = {"time", "service", "id", "kind", "commit_time", "rollback_of", "description"};

static void complain(tctx *t, const hr_csvrow *row, size_t field, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static void complain(tctx *t, const hr_csvrow *row, size_t field, const char *fmt, ...)
{
    t->bad++;
    if (!t->diag)
        return;
    unsigned long l, c;
    hr_csv_locate(row, field, hr_csv_delim(row), &l, &c);
    char why[512], msg[768];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(why, sizeof why, fmt, ap);
    va_end(ap);
    snprintf(msg, sizeof msg, "%s:%lu:%lu: %s", t->path, l, c, why);
    t->diag(HR_DIAG_ERROR, msg, t->ud);
}

/* Parses an optional number in [lo, hi]; empty gives NaN. */
static int opt_num(tctx *t, const hr_csvrow *row, long col, double lo, double hi, const char *name,
                   double *out)
{
    *out = NAN;
    if (col < 0 || row->len[col] == 0)
        return 0;
    char *e;
    errno = 0;
    double x = strtod(row->f[col], &e);
    if (e == row->f[col] || *e || errno || !isfinite(x) || x < lo || x > hi) {
        complain(t, row, (size_t)col, "%s: want a number from %g to %g, got \"%.40s\"", name, lo, hi,
                 row->f[col]);
        return -1;
    }
    *out = x;
    return 0;
}

/* Checks an optional text column: valid UTF-8 of at most max bytes,
 * no control characters (it is printed in every report). */
static int opt_text(tctx *t, const hr_csvrow *row, long col, const char *name, size_t max)
{
    if (col < 0 || row->len[col] == 0)
        return 0;
    int ctl = 0;
    for (size_t i = 0; i < row->len[col]; i++)
        ctl |= (unsigned char)row->f[col][i] < 0x20;
    if (row->len[col] > max || ctl || !hr_utf8_valid(row->f[col], row->len[col])) {
        complain(t, row, (size_t)col, "%s: want text of at most %zu bytes, got \"%.40s\"", name, max, row->f[col]);
        return -1;
    }
    return 0;
}

static int header(tctx *t, const hr_csvrow *row)
{
    const char **names = t->kind == 3 ? chg_cols : t->kind == 2 ? log_cols : t->kind ? ev_cols : inv_cols;
    size_t nn = t->kind == 3 ? 7 : t->kind == 2 ? 6 : t->kind ? 6 : 10, required = t->kind == 3 ? 3 : t->kind == 2 ? 3 : t->kind ? 3 : 2;
    for (size_t k = 0; k < nn; k++)
        t->col[k] = -1;
    for (size_t i = 0; i < row->nf; i++) {
        size_t k = 0;
        while (k < nn && strcasecmp(row->f[i], names[k]) != 0)
            k++;
        if (k == nn) {
            unsigned long l, c;
            hr_csv_locate(row, i, hr_csv_delim(row), &l, &c);
            return hr_err_set(t->err, HR_EINPUT, "%s:%lu:%lu: unknown column \"%.40s\" (want %s%s)", t->path, l,
                              c, row->f[i],
                              t->kind == 3 ? "time,service,id,kind,commit_time,rollback_of,description"
                              : t->kind == 2 ? "start,end,detected,resolved,service,title"
                              : t->kind    ? "date,name,scope,expected_change_pct,duration,repeat"
                                           : "series,capacity,",
                              t->kind ? "" : "target_utilization,unit_capacity,units,redundancy,lead_time_days,"
                                             "unit,unit_name,unit_cost");
        }
        t->col[k] = (long)i;
    }
    for (size_t k = 0; k < required; k++)
        if (t->col[k] < 0)
            return hr_err_set(t->err, HR_EINPUT, "%s:%lu:1: no %s column", t->path, row->line, names[k]);
    t->ncol = row->nf;
    t->header_done = 1;
    return HR_OK;
}

static int inv_row(tctx *t, const hr_csvrow *row)
{
    hr_inv_row r = {0};
    r.line = row->line;
    long cs = t->col[0];
    if (row->len[cs] == 0 || !hr_utf8_valid(row->f[cs], row->len[cs])) {
        complain(t, row, (size_t)cs, row->len[cs] ? "series is not valid UTF-8" : "empty series");
        return 0;
    }
    if (hr_strmap_get(&t->seen, row->f[cs], row->len[cs]) != (size_t)-1) {
        complain(t, row, (size_t)cs, "series \"%.80s\" is listed twice", row->f[cs]);
        return 0;
    }
    double red;
    if (opt_num(t, row, t->col[1], 1e-300, 1e300, "capacity", &r.capacity) ||
        opt_num(t, row, t->col[2], 0.01, 1, "target_utilization", &r.target) ||
        opt_num(t, row, t->col[3], 1e-300, 1e300, "unit_capacity", &r.unit_capacity) ||
        opt_num(t, row, t->col[4], 0, 1e9, "units", &r.units) ||
        opt_num(t, row, t->col[5], 0, 1000, "redundancy", &red) ||
        opt_num(t, row, t->col[6], 0, 3650, "lead_time_days", &r.lead_time_days) ||
        opt_num(t, row, t->col[9], 0, 1e15, "unit_cost", &r.unit_cost) || opt_text(t, row, t->col[7], "unit", 24) ||
        opt_text(t, row, t->col[8], "unit_name", 80))
        return 0;
    if (isnan(r.capacity)) {
        complain(t, row, (size_t)t->col[1], "capacity is required");
        return 0;
    }
    if (!isnan(red) && red != floor(red)) {
        complain(t, row, (size_t)t->col[5], "redundancy: want a whole number of spare units");
        return 0;
    }
    r.redundancy = isnan(red) ? 0 : (int)red;
    if (isnan(r.target))
        r.target = t->default_target;
    if (isnan(r.unit_capacity) && r.units > 0)
        r.unit_capacity = r.capacity / r.units;
    r.series = strdup(row->f[cs]);
    r.unit = t->col[7] >= 0 && row->len[t->col[7]] ? strdup(row->f[t->col[7]]) : NULL;
    r.unit_name = t->col[8] >= 0 && row->len[t->col[8]] ? strdup(row->f[t->col[8]]) : NULL;
    hr_inv_row *p = realloc(t->inv->r, (t->inv->n + 1) * sizeof *p);
    int lost = (t->col[7] >= 0 && row->len[t->col[7]] && !r.unit) || (t->col[8] >= 0 && row->len[t->col[8]] && !r.unit_name);
    if (!r.series || lost || !p || hr_strmap_put(&t->seen, row->f[cs], row->len[cs], t->inv->n)) {
        free(r.series);
        free(r.unit);
        free(r.unit_name);
        if (p)
            t->inv->r = p;
        return -1;
    }
    t->inv->r = p;
    p[t->inv->n++] = r;
    return 0;
}

static int ev_row(tctx *t, const hr_csvrow *row)
{
    hr_event e = {0};
    e.line = row->line;
    const char *why;
    long cd = t->col[0], cn = t->col[1], cs = t->col[2];
    if (hr_time_parse(row->f[cd], row->len[cd], &e.t_ms, &why)) {
        complain(t, row, (size_t)cd, "%s, got \"%.40s\"", why, row->f[cd]);
        return 0;
    }
    if (row->len[cn] == 0 || !hr_utf8_valid(row->f[cn], row->len[cn])) {
        complain(t, row, (size_t)cn, row->len[cn] ? "name is not valid UTF-8" : "empty event name");
        return 0;
    }
    if (row->len[cs] == 0 || !hr_utf8_valid(row->f[cs], row->len[cs])) {
        complain(t, row, (size_t)cs, row->len[cs] ? "scope is not valid UTF-8" : "empty scope (give a series key or key prefix)");
        return 0;
    }
    if (opt_num(t, row, t->col[3], -100, 1e6, "expected_change_pct", &e.expected_pct))
        return 0;
    long cu = t->col[4], cr = t->col[5];
    if (cu >= 0 && row->len[cu] && (hr_duration_parse(row->f[cu], &e.dur_ms) || e.dur_ms < 60000 ||
                                    e.dur_ms > 366 * 86400000LL)) {
        complain(t, row, (size_t)cu, "duration: want 1m to 366d (e.g. 3d), got \"%.40s\"", row->f[cu]);
        return 0;
    }
    if (cr >= 0 && row->len[cr]) {
        const char *r = row->f[cr];
        e.repeat_months = !strcasecmp(r, "yearly") ? 12 : !strcasecmp(r, "quarterly") ? 3 : !strcasecmp(r, "monthly") ? 1 : -1;
        if (e.repeat_months < 0) {
            complain(t, row, (size_t)cr, "repeat: want yearly, quarterly or monthly, got \"%.40s\"", r);
            return 0;
        }
        if (!e.dur_ms) {
            complain(t, row, (size_t)cr, "a repeating event needs a duration (how long each occurrence lasts)");
            return 0;
        }
        if (e.dur_ms > (int64_t)e.repeat_months * 28 * 86400000LL) {
            complain(t, row, (size_t)cu, "duration: longer than the %s repeat", r);
            return 0;
        }
    }
    size_t nocc = e.repeat_months ? (size_t)(HR_EVENT_REPEAT_YEARS * 12 / e.repeat_months) : 1;
    hr_event *p = realloc(t->ev->e, (t->ev->n + nocc) * sizeof *p);
    if (!p)
        return -1;
    t->ev->e = p;
    int64_t day = e.t_ms >= 0 ? e.t_ms / 86400000 : -((-e.t_ms + 86399999) / 86400000), y;
    int64_t tod = e.t_ms - day * 86400000;
    unsigned mo, d;
    hr_civil_from_days(day, &y, &mo, &d);
    for (size_t k = 0; k < nocc; k++) {
        hr_event o = e;
        if (k) { /* the same calendar day k repeats later, or the month's last */
            int64_t m0 = (int64_t)mo - 1 + (int64_t)k * e.repeat_months, yy = y + m0 / 12;
            unsigned mm = (unsigned)(m0 % 12) + 1, dd = d;
            while (dd > 28 && hr_days_from_civil(yy, mm, dd) >= hr_days_from_civil(mm == 12 ? yy + 1 : yy, mm % 12 + 1, 1))
                dd--;
            o.t_ms = hr_days_from_civil(yy, mm, dd) * 86400000 + tod;
        }
        o.name = strdup(row->f[cn]);
        o.scope = strdup(row->f[cs]);
        if (!o.name || !o.scope) {
            free(o.name);
            free(o.scope);
            return -1;
        }
        p[t->ev->n++] = o;
    }
    return 0;
}

/* An optional time column: empty gives HR_PM_MISSING. */
static int opt_time(tctx *t, const hr_csvrow *row, long col, const char *name, int64_t *out)
{
    *out = HR_PM_MISSING;
    if (col < 0 || row->len[col] == 0)
        return 0;
    const char *why;
    if (hr_time_parse(row->f[col], row->len[col], out, &why)) {
        complain(t, row, (size_t)col, "%s: %s, got \"%.40s\"", name, why, row->f[col]);
        return -1;
    }
    return 0;
}

static int log_row(tctx *t, const hr_csvrow *row)
{
    hr_pm_logrow r = {0};
    int64_t v[4];
    const int which[4] = {0, 1, 3, 4}; /* start, end, detected, resolved */
    for (int k = 0; k < 4; k++)
        if (opt_time(t, row, t->col[which[k]], log_cols[which[k]], &v[k]))
            return 0;
    for (int k = 0; k < 2; k++)
        if (v[k] == HR_PM_MISSING) {
            complain(t, row, (size_t)t->col[which[k]], "%s time is required", log_cols[which[k]]);
            return 0;
        }
    r.start_ms = v[0], r.end_ms = v[1], r.detected_ms = v[2], r.resolved_ms = v[3];
    if (r.end_ms < r.start_ms) {
        complain(t, row, (size_t)t->col[1], "end is before start (%.40s)", row->f[t->col[0]]);
        return 0;
    }
    if (r.detected_ms != HR_PM_MISSING && r.detected_ms < r.start_ms) {
        complain(t, row, (size_t)t->col[3], "detected is before start (%.40s)", row->f[t->col[0]]);
        return 0;
    }
    if (r.resolved_ms != HR_PM_MISSING && r.resolved_ms < (r.detected_ms != HR_PM_MISSING ? r.detected_ms : r.start_ms)) {
        complain(t, row, (size_t)t->col[4], "resolved is before %s", r.detected_ms != HR_PM_MISSING ? "detected" : "start");
        return 0;
    }
    long cs = t->col[2], ct = t->col[5];
    if (row->len[cs] == 0 || !hr_utf8_valid(row->f[cs], row->len[cs])) {
        complain(t, row, (size_t)cs, row->len[cs] ? "service is not valid UTF-8" : "empty service");
        return 0;
    }
    if (ct >= 0 && !hr_utf8_valid(row->f[ct], row->len[ct])) {
        complain(t, row, (size_t)ct, "title is not valid UTF-8");
        return 0;
    }
    char *svc = strdup(row->f[cs]), *title = strdup(ct >= 0 ? row->f[ct] : "");
    hr_pm_logrow *p = realloc(t->log->r, (t->log->n + 1) * sizeof *p);
    if (p)
        t->log->r = p;
    unsigned long *pl = realloc(t->log->line, (t->log->n + 1) * sizeof *pl);
    if (pl)
        t->log->line = pl;
    if (!svc || !title || !p || !pl) {
        free(svc);
        free(title);
        return -1;
    }
    r.service = svc;
    r.title = title;
    pl[t->log->n] = row->line;
    p[t->log->n++] = r;
    return 0;
}

/* A required text column: non-empty UTF-8 without control characters. */
static int req_text(tctx *t, const hr_csvrow *row, long col, const char *name, size_t max)
{
    if (row->len[col] == 0) {
        complain(t, row, (size_t)col, "empty %s", name);
        return -1;
    }
    return opt_text(t, row, col, name, max);
}

static int chg_row(tctx *t, const hr_csvrow *row)
{
    hr_dep_change r = {0};
    r.rollback_of = HR_DEP_NONE;
    long ct = t->col[0], cs = t->col[1], ci = t->col[2], ck = t->col[3], cc = t->col[4], cr = t->col[5],
         cd = t->col[6];
    if (opt_time(t, row, ct, "time", &r.t_ms))
        return 0;
    if (r.t_ms == HR_PM_MISSING) {
        complain(t, row, (size_t)ct, "time is required");
        return 0;
    }
    if (req_text(t, row, cs, "service", 200) || req_text(t, row, ci, "id", 200) ||
        opt_text(t, row, cr, "rollback_of", 200) || opt_text(t, row, cd, "description", 400))
        return 0;
    if (hr_strmap_get(&t->seen, row->f[ci], row->len[ci]) != (size_t)-1) {
        complain(t, row, (size_t)ci, "change id \"%.80s\" is listed twice", row->f[ci]);
        return 0;
    }
    r.kind = HR_DEP_DEPLOY;
    if (ck >= 0 && row->len[ck] && hr_dep_kind_parse(row->f[ck], &r.kind)) {
        complain(t, row, (size_t)ck, "kind: want deploy, config, flag or infra, got \"%.40s\"", row->f[ck]);
        return 0;
    }
    if (opt_time(t, row, cc, "commit_time", &r.commit_ms))
        return 0;
    if (r.commit_ms != HR_PM_MISSING && r.commit_ms > r.t_ms) {
        complain(t, row, (size_t)cc, "commit_time is after time (%.40s)", row->f[ct]);
        return 0;
    }
    if (cr >= 0 && row->len[cr]) {
        size_t v = hr_strmap_get(&t->seen, row->f[cr], row->len[cr]);
        if (v == (size_t)-1) {
            complain(t, row, (size_t)cr, "rollback_of: no change \"%.80s\" listed before this row", row->f[cr]);
            return 0;
        }
        if (t->chg->r[v].t_ms > r.t_ms) {
            complain(t, row, (size_t)cr, "rollback_of: change \"%.80s\" is later than this rollback", row->f[cr]);
            return 0;
        }
        r.rollback_of = v;
    }
    hr_changelog *g = t->chg;
    hr_dep_change *p = realloc(g->r, (g->n + 1) * sizeof *p);
    if (p)
        g->r = p;
    char **pd = realloc(g->description, (g->n + 1) * sizeof *pd);
    if (pd)
        g->description = pd;
    unsigned long *pl = realloc(g->line, (g->n + 1) * sizeof *pl);
    if (pl)
        g->line = pl;
    char *svc = strdup(row->f[cs]), *id = strdup(row->f[ci]);
    char *desc = cd >= 0 && row->len[cd] ? strdup(row->f[cd]) : NULL;
    if (!p || !pd || !pl || !svc || !id || (cd >= 0 && row->len[cd] && !desc) ||
        hr_strmap_put(&t->seen, row->f[ci], row->len[ci], g->n)) {
        free(svc);
        free(id);
        free(desc);
        return -1;
    }
    r.service = svc;
    r.id = id;
    p[g->n] = r;
    pd[g->n] = desc;
    pl[g->n] = row->line;
    g->n++;
    return 0;
}

static int on_row(const hr_csvrow *row, void *ud)
{
    tctx *t = ud;
    if (!t->header_done)
        return header(t, row);
    if (row->nf != t->ncol) {
        complain(t, row, row->nf < t->ncol ? row->nf : t->ncol, "expected %zu fields, got %zu", t->ncol, row->nf);
        return 0;
    }
    int rc = t->kind == 3   ? chg_row(t, row)
             : t->kind == 2 ? log_row(t, row)
             : t->kind      ? ev_row(t, row)
                            : inv_row(t, row);
    return rc ? hr_err_set(t->err, HR_ESOFTWARE, "out of memory") : 0;
}

static void on_bad(unsigned long line, unsigned long col, const char *why, void *ud)
{
    tctx *t = ud;
    t->bad++;
    if (t->diag) {
        char msg[512];
        snprintf(msg, sizeof msg, "%s:%lu:%lu: malformed CSV record (%s)", t->path, line, col, why);
        t->diag(HR_DIAG_ERROR, msg, t->ud);
    }
}

static int load(tctx *t, hr_err *err)
{
    int fd = hr_open_regular(t->path, err);
    FILE *fp = fd < 0 ? NULL : fdopen(fd, "rb");
    if (fd < 0)
        return err->code;
    if (!fp) {
        close(fd);
        return hr_err_set(err, HR_ESOFTWARE, "%s: out of memory", t->path);
    }
    hr_strmap_init(&t->seen);
    int rc = hr_csv_read(fp, t->path, 0, on_row, on_bad, t, err);
    fclose(fp);
    hr_strmap_clear(&t->seen);
    if (rc == HR_OK && !t->header_done)
        rc = hr_err_set(err, HR_EINPUT, "%s:1:1: empty file: no header", t->path);
    if (rc == HR_OK && t->bad)
        rc = hr_err_set(err, HR_EINPUT, "%s: %lu bad rows; fix them and rerun", t->path, t->bad);
    return rc;
}

int hr_inventory_load(const char *path, double default_target, hr_inventory *inv, hr_diag_fn diag,
                      void *ud, hr_err *err)
{
    tctx t = {0};
    t.path = path;
    t.diag = diag;
    t.ud = ud;
    t.err = err;
    t.kind = 0;
    t.default_target = default_target;
    t.inv = inv;
    int rc = load(&t, err);
    if (rc)
        hr_inventory_clear(inv);
    return rc;
}

void hr_inventory_clear(hr_inventory *inv)
{
    if (!inv)
        return;
    for (size_t i = 0; i < inv->n; i++) {
        free(inv->r[i].series);
        free(inv->r[i].unit);
        free(inv->r[i].unit_name);
    }
    free(inv->r);
    memset(inv, 0, sizeof *inv);
}

int hr_events_load(const char *path, hr_events *ev, hr_diag_fn diag, void *ud, hr_err *err)
{
    tctx t = {0};
    t.path = path;
    t.diag = diag;
    t.ud = ud;
    t.err = err;
    t.kind = 1;
    t.ev = ev;
    int rc = load(&t, err);
    if (rc)
        hr_events_clear(ev);
    return rc;
}

void hr_events_clear(hr_events *ev)
{
    if (!ev)
        return;
    for (size_t i = 0; i < ev->n; i++) {
        free(ev->e[i].name);
        free(ev->e[i].scope);
    }
    free(ev->e);
    memset(ev, 0, sizeof *ev);
}

int hr_inclog_load(const char *path, hr_inclog *log, hr_diag_fn diag, void *ud, hr_err *err)
{
    tctx t = {0};
    t.path = path;
    t.diag = diag;
    t.ud = ud;
    t.err = err;
    t.kind = 2;
    t.log = log;
    int rc = load(&t, err);
    if (rc)
        hr_inclog_clear(log);
    return rc;
}

void hr_inclog_clear(hr_inclog *log)
{
    if (!log)
        return;
    for (size_t i = 0; i < log->n; i++) {
        free((char *)log->r[i].service);
        free((char *)log->r[i].title);
    }
    free(log->r);
    free(log->line);
    memset(log, 0, sizeof *log);
}

int hr_changelog_load(const char *path, hr_changelog *log, hr_diag_fn diag, void *ud, hr_err *err)
{
    tctx t = {0};
    t.path = path;
    t.diag = diag;
    t.ud = ud;
    t.err = err;
    t.kind = 3;
    t.chg = log;
    int rc = load(&t, err);
    if (rc)
        hr_changelog_clear(log);
    return rc;
}

void hr_changelog_clear(hr_changelog *log)
{
    if (!log)
        return;
    for (size_t i = 0; i < log->n; i++) {
        free((char *)log->r[i].service);
        free((char *)log->r[i].id);
        free(log->description[i]);
    }
    free(log->r);
    free(log->description);
    free(log->line);
    memset(log, 0, sizeof *log);
}

size_t hr_key_label(const char *key, const char *label, const char **val)
{
    size_t ln = strlen(label);
    const char *p = strchr(key, '{');
    while (p && *p && *p != '}') {
        p++; /* past '{' or ',' */
        while (*p == ' ')
            p++;
        const char *name = p;
        while (*p && *p != '=' && *p != ',' && *p != '}')
            p++;
        if (*p != '=')
            return 0;
        size_t nl = (size_t)(p - name);
        p++;
        if (*p != '"')
            return 0;
        const char *v = ++p;
        while (*p && *p != '"')
            p += (*p == '\\' && p[1]) ? 2 : 1;
        if (!*p)
            return 0;
        if (nl == ln && strncmp(name, label, ln) == 0) {
            *val = v;
            return (size_t)(p - v);
        }
        p++; /* past the closing quote: now ',' or '}' */
    }
    return 0;
}

int hr_event_matches(const hr_event *e, const char *key) { return hr_scope_matches(e->scope, key); }

int hr_scope_matches(const char *scope, const char *key)
{
    const char *eq = strchr(scope, '=');
    if (eq && !strpbrk(scope, "{}\"")) {
        /* label=value: the key carries that label (e.g. service=search) */
        char want[512];
        int n = snprintf(want, sizeof want, "%.*s=\"%s\"", (int)(eq - scope), scope, eq + 1);
        if (n < 0 || (size_t)n >= sizeof want)
            return 0;
        const char *b = strchr(key, '{');
        for (const char *p = b; p && (p = strstr(p + 1, want)) != NULL;)
            if (p[-1] == '{' || p[-1] == ',')
                return 1;
        return 0;
    }
    return strncmp(key, scope, strlen(scope)) == 0;
}
