/* config.c -- see config.h. */
#include "config.h"

#include <errno.h>
#include <ini.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fileio.h"
#include "numfmt.h"
#include "timefmt.h"

void hr_config_defaults(hr_config *cfg)
{
    memset(cfg, 0, sizeof *cfg);
    cfg->format = HR_FMT_AUTO;
    cfg->max_bad_share = 0.01;
    cfg->stale_after_ms = HR_STALE_AFTER_MS;
    cfg->default_target = 0.8;
    cfg->event_tolerance_days = 3;
    cfg->horizon_days = 365;
    cfg->trend_window_days = 90;
    cfg->anomaly_threshold = HR_ANOMALY_THRESHOLD;
    cfg->incident_gap_ms = 3600000;
    cfg->match_tolerance_ms = 3600000;
    cfg->recurring_min = 3;
    cfg->change_window_ms = 2 * INT64_C(3600000);
    cfg->max_failure_rate = 0.15;
}

void hr_config_clear(hr_config *cfg)
{
    if (!cfg)
        return;
    free(cfg->path);
    free(cfg->store);
    for (size_t i = 0; i < cfg->nexports; i++)
        free(cfg->exports[i]);
    free(cfg->exports);
    for (size_t i = 0; i < cfg->ncounters; i++)
        free(cfg->counters[i]);
    free(cfg->counters);
    hr_tz_free(cfg->tz);
    free(cfg->inventory);
    free(cfg->currency);
    free(cfg->events);
    free(cfg->incidents);
    free(cfg->group_by);
    free(cfg->changes);
    free(cfg->out_dir);
    for (size_t i = 0; i < cfg->nslos; i++) {
        hr_slo_def *s = &cfg->slos[i];
        free(s->name);
        free(s->good);
        free(s->bad);
        free(s->total);
        free(s->latency);
        free(s->service);
    }
    free(cfg->slos);
    memset(cfg, 0, sizeof *cfg);
}

typedef struct pctx {
    hr_config *cfg;
    char msg[400];
    int failed;
} pctx;

static int bad(pctx *p, const char *fmt, const char *a, const char *b)
{
    if (!p->failed)
        snprintf(p->msg, sizeof p->msg, fmt, a, b);
    p->failed = 1;
    return 0;
}

static int set_str(char **dst, const char *v)
{
    free(*dst);
    *dst = strdup(v);
    return *dst != NULL;
}

/* Splits v on blanks and appends each word to a list. */
static int add_words(char ***list, size_t *n, const char *v)
{
    const char *p = v;
    while (*p) {
        while (*p == ' ' || *p == '\t')
            p++;
        if (!*p)
            break;
        const char *e = p;
        while (*e && *e != ' ' && *e != '\t')
            e++;
        char **l = realloc(*list, (*n + 1) * sizeof *l);
        if (!l)
            return 0;
        *list = l;
        l[*n] = strndup(p, (size_t)(e - p));
        if (!l[*n])
            return 0;
        (*n)++;
        p = e;
    }
    return 1;
}

static int num(const char *v, double *out, double lo, double hi)
{
    char *e;
    errno = 0;
    double x = strtod(v, &e);
    if (e == v || *e || errno || !isfinite(x) || x < lo || x > hi)
        return 0;
    *out = x;
    return 1;
}

static hr_slo_def *slo_of(hr_config *cfg, const char *name)
{
    for (size_t i = 0; i < cfg->nslos; i++)
        if (strcmp(cfg->slos[i].name, name) == 0)
            return &cfg->slos[i];
    hr_slo_def *s = realloc(cfg->slos, (cfg->nslos + 1) * sizeof *s);
    if (!s)
        return NULL;
    cfg->slos = s;
    s = &cfg->slos[cfg->nslos];
    memset(s, 0, sizeof *s);
    s->name = strdup(name);
    s->window_days = 30;
    s->objective = NAN;
    s->threshold = NAN;
    if (!s->name)
        return NULL;
    cfg->nslos++;
    return s;
}

static int handler(void *user, const char *sec, const char *key, const char *v)
{
    pctx *p = user;
    hr_config *c = p->cfg;
    if (strcmp(sec, "store") == 0) {
        if (strcmp(key, "path") == 0)
            return set_str(&c->store, v) || bad(p, "out of memory%s%s", "", "");
    } else if (strcmp(sec, "ingest") == 0) {
        if (strcmp(key, "exports") == 0)
            return add_words(&c->exports, &c->nexports, v) || bad(p, "out of memory%s%s", "", "");
        if (strcmp(key, "counter") == 0)
            return add_words(&c->counters, &c->ncounters, v) || bad(p, "out of memory%s%s", "", "");
        if (strcmp(key, "format") == 0) {
            char names[256];
            return hr_format_parse(v, &c->format) == 0 ||
                   bad(p, "[ingest] format: unknown format \"%s\" (want %s)", v, hr_format_list(names, sizeof names));
        }
        if (strcmp(key, "max_bad_share") == 0)
            return num(v, &c->max_bad_share, 0, 1) || bad(p, "[ingest] max_bad_share: want a share from 0 to 1, got \"%s\"%s", v, "");
        if (strcmp(key, "memory") == 0) {
            c->mem_budget_set = 1;
            return hr_size_parse(v, &c->mem_budget) == 0 ||
                   bad(p, "[ingest] memory: want a size like 512M or 8G (0: no limit), got \"%s\"%s", v, "");
        }
        if (strcmp(key, "step") == 0)
            return hr_duration_parse(v, &c->step_ms) == 0 || bad(p, "[ingest] step: want a duration like 5m or 1h, got \"%s\"%s", v, "");
        if (strcmp(key, "on_bad_file") == 0) {
            if (strcmp(v, "fail") == 0 || strcmp(v, "skip") == 0) {
                c->skip_bad_files = v[0] == 's';
                return 1;
            }
            return bad(p, "[ingest] on_bad_file: want fail or skip, got \"%s\"%s", v, "");
        }
    } else if (strcmp(sec, "input") == 0) {
        if (strcmp(key, "stale_after") == 0) {
            int64_t ms;
            if (hr_duration_parse(v, &ms) != 0 || ms < 60000 || ms > 3650 * 86400000LL)
                return bad(p, "[input] stale_after: want a duration from 1m to 3650d (e.g. 48h), got \"%s\"%s", v, "");
            c->stale_after_ms = ms;
            return 1;
        }
        if (strcmp(key, "tz") == 0) {
            hr_err e = {0};
            hr_tz_free(c->tz);
            c->tz = NULL;
            return hr_tz_open(v, &c->tz, &e) == HR_OK || bad(p, "[input] tz: %.360s%s", e.msg, "");
        }
    } else if (strcmp(sec, "inventory") == 0) {
        if (strcmp(key, "path") == 0)
            return set_str(&c->inventory, v) || bad(p, "out of memory%s%s", "", "");
        if (strcmp(key, "currency") == 0)
            return (strlen(v) && strlen(v) <= 16 && !strpbrk(v, "\"<>&")) ? set_str(&c->currency, v) || bad(p, "out of memory%s%s", "", "")
                                                                       : bad(p, "[inventory] currency: want a short name such as EUR, got \"%.40s\"%s", v, "");
        if (strcmp(key, "default_target_utilization") == 0)
            return num(v, &c->default_target, 0.01, 1) || bad(p, "[inventory] default_target_utilization: want a share from 0.01 to 1, got \"%s\"%s", v, "");
    } else if (strcmp(sec, "events") == 0) {
        if (strcmp(key, "path") == 0)
            return set_str(&c->events, v) || bad(p, "out of memory%s%s", "", "");
        if (strcmp(key, "tolerance_days") == 0)
            return num(v, &c->event_tolerance_days, 0, 60) || bad(p, "[events] tolerance_days: want 0 to 60, got \"%s\"%s", v, "");
    } else if (strcmp(sec, "incidents") == 0) {
        if (strcmp(key, "path") == 0)
            return set_str(&c->incidents, v) || bad(p, "out of memory%s%s", "", "");
        if (strcmp(key, "group_by") == 0)
            return set_str(&c->group_by, v) || bad(p, "out of memory%s%s", "", "");
        if (strcmp(key, "gap") == 0 || strcmp(key, "match_tolerance") == 0) {
            int64_t ms;
            if (hr_duration_parse(v, &ms) != 0 || ms < 0 || ms > 30 * 86400000LL)
                return bad(p, "[incidents] %s: want a duration from 0s to 30d (e.g. 1h), got \"%s\"", key, v);
            *(key[0] == 'g' ? &c->incident_gap_ms : &c->match_tolerance_ms) = ms;
            return 1;
        }
        if (strcmp(key, "recurring_min") == 0) {
            double x;
            if (!num(v, &x, 2, 1000) || x != floor(x))
                return bad(p, "[incidents] recurring_min: want a whole number from 2 to 1000, got \"%s\"%s", v, "");
            c->recurring_min = (long)x;
            return 1;
        }
    } else if (strcmp(sec, "changes") == 0) {
        if (strcmp(key, "path") == 0)
            return set_str(&c->changes, v) || bad(p, "out of memory%s%s", "", "");
        if (strcmp(key, "window") == 0) {
            int64_t ms;
            if (hr_duration_parse(v, &ms) != 0 || ms < 60000 || ms > 7 * 86400000LL)
                return bad(p, "[changes] window: want a duration from 1m to 7d (e.g. 2h), got \"%s\"%s", v, "");
            c->change_window_ms = ms;
            return 1;
        }
        if (strcmp(key, "max_failure_rate") == 0)
            return num(v, &c->max_failure_rate, 0, 1) ||
                   bad(p, "[changes] max_failure_rate: want a share from 0 to 1, got \"%s\"%s", v, "");
    } else if (strcmp(sec, "analysis") == 0) {
        if (strcmp(key, "horizon_days") == 0)
            return num(v, &c->horizon_days, 1, 3650) || bad(p, "[analysis] horizon_days: want 1 to 3650, got \"%s\"%s", v, "");
        if (strcmp(key, "trend_window_days") == 0)
            return num(v, &c->trend_window_days, 7, 3650) || bad(p, "[analysis] trend_window_days: want 7 to 3650, got \"%s\"%s", v, "");
        if (strcmp(key, "anomaly_threshold") == 0)
            return num(v, &c->anomaly_threshold, 0.01, 1) ||
                   bad(p, "[analysis] anomaly_threshold: want a score from 0.01 to 1, got \"%s\"%s", v, "");
    } else if (strcmp(sec, "output") == 0) {
        if (strcmp(key, "dir") == 0)
            return set_str(&c->out_dir, v) || bad(p, "out of memory%s%s", "", "");
        if (strcmp(key, "keep") == 0) {
            double x;
            if (!num(v, &x, 1, 100000) || x != floor(x))
                return bad(p, "[output] keep: want a whole number of report folders from 1 to 100000, got \"%s\"%s",
                           v, "");
            c->keep = (long)x;
            return 1;
        }
    } else if (strncmp(sec, "slo ", 4) == 0 && sec[4]) {
        double x;
        hr_slo_def *s = slo_of(c, sec + 4);
        if (!s)
            return bad(p, "out of memory%s%s", "", "");
        if (strcmp(key, "good") == 0)
            return set_str(&s->good, v);
        if (strcmp(key, "bad") == 0)
            return set_str(&s->bad, v);
        if (strcmp(key, "total") == 0)
            return set_str(&s->total, v);
        if (strcmp(key, "latency") == 0)
            return set_str(&s->latency, v);
        if (strcmp(key, "service") == 0)
            return set_str(&s->service, v);
        if (strcmp(key, "threshold") == 0)
            return num(v, &s->threshold, -1e300, 1e300) || bad(p, "[slo] threshold: want a number, got \"%s\"%s", v, "");
        if (strcmp(key, "objective") == 0) {
            /* percent; 100 would leave no error budget at all */
            if (!num(v, &x, 0, 100) || !(x > 0 && x < 100))
                return bad(p, "[slo] objective: want a percentage above 0 and below 100 (e.g. 99.9), got \"%s\"%s", v, "");
            s->objective = x / 100.0;
            return 1;
        }
        if (strcmp(key, "window_days") == 0)
            return num(v, &s->window_days, 1, 365) || bad(p, "[slo] window_days: want 1 to 365, got \"%s\"%s", v, "");
    } else {
        return bad(p, "unknown section [%s]%s", sec, "");
    }
    return bad(p, "unknown key \"%s\" in [%s]", key, sec);
}

/* What inih would not say: a NUL byte (it would end a value, and a path,
 * silently), a section given twice, a key given twice in one section
 * (inih keeps the last one; a reader of the file sees both), but for the
 * list keys [ingest] exports and counter, where each line adds. Lines as
 * inih reads them: comments start with ; or #, a line that starts with a
 * blank after a key continues its value, "[name]" starts a section, and
 * "name = value" or "name: value" sets a key. Returns HR_OK or
 * HR_ECONFIG with file:line. */
static int prescan(const char *path, const char *t, size_t len, hr_err *err)
{
    typedef struct seen {
        size_t sec; /* index of the section's own entry (sections: itself) */
        const char *name;
        size_t nlen;
        int line;
    } seen;
    seen *v = NULL;
    size_t nv = 0, cap = 0, cur = SIZE_MAX;
    int rc = HR_OK, line = 1, have_key = 0;
    if (memchr(t, '\0', len)) {
        for (const char *q = t; q < t + len; q++) {
            if (!*q)
                return hr_err_set(err, HR_ECONFIG, "%s:%d: a NUL byte in the configuration", path, line);
            line += *q == '\n';
        }
    }
    size_t pos = 0;
    if (len >= 3 && memcmp(t, "\xEF\xBB\xBF", 3) == 0)
        pos = 3; /* the UTF-8 BOM inih skips */
    for (; pos < len && rc == HR_OK; line++) {
        const char *a = t + pos, *e = memchr(a, '\n', len - pos);
        size_t n = e ? (size_t)(e - a) : len - pos;
        pos += n + 1;
        const char *b = a, *end = a + n;
        while (b < end && (*b == ' ' || *b == '\t' || *b == '\r'))
            b++;
        if (b == end || *b == ';' || *b == '#')
            continue;
        if (b > a && have_key)
            continue; /* a continuation of the last key's value */
        const char *name = NULL;
        size_t nlen = 0;
        int is_sec = *b == '[';
        if (is_sec) {
            const char *c = memchr(b, ']', (size_t)(end - b));
            if (!c)
                continue; /* inih reports the syntax error */
            name = b + 1;
            nlen = (size_t)(c - name);
            have_key = 0;
        } else {
            const char *c = b;
            while (c < end && *c != '=' && *c != ':')
                c++;
            if (c == end)
                continue;
            name = b;
            nlen = (size_t)(c - b);
            while (nlen && (name[nlen - 1] == ' ' || name[nlen - 1] == '\t'))
                nlen--;
            have_key = 1;
        }
        /* [ingest] exports and counter are lists: each line adds to them */
        int list = !is_sec && cur != SIZE_MAX && v[cur].nlen == 6 && memcmp(v[cur].name, "ingest", 6) == 0 &&
                   ((nlen == 7 && memcmp(name, "exports", 7) == 0) || (nlen == 7 && memcmp(name, "counter", 7) == 0));
        for (size_t k = 0; k < nv && !list; k++) {
            int same_kind = is_sec ? v[k].sec == k : v[k].sec == cur && v[k].sec != k;
            if (same_kind && v[k].nlen == nlen && memcmp(v[k].name, name, nlen) == 0) {
                if (is_sec)
                    rc = hr_err_set(err, HR_ECONFIG, "%s:%d: section [%.*s] again (first at line %d): give each "
                                                     "section once", path, line, (int)nlen, name, v[k].line);
                else
                    rc = hr_err_set(err, HR_ECONFIG, "%s:%d: key \"%.*s\" again in [%.*s] (first at line %d): "
                                                     "give each key once", path, line, (int)nlen, name,
                                    cur == SIZE_MAX ? 0 : (int)v[cur].nlen, cur == SIZE_MAX ? "" : v[cur].name,
                                    v[k].line);
                break;
            }
        }
        if (rc)
            break;
        if (nv == cap) {
            size_t nc = cap ? 2 * cap : 32;
            seen *w = realloc(v, nc * sizeof *w);
            if (!w) {
                rc = hr_err_set(err, HR_ESOFTWARE, "out of memory");
                break;
            }
            v = w;
            cap = nc;
        }
        if (is_sec)
            cur = nv;
        v[nv] = (seen){is_sec ? nv : cur, name, nlen, line};
        nv++;
    }
    free(v);
    return rc;
}

int hr_config_load(const char *path, hr_config *cfg, hr_err *err)
{
    hr_config_defaults(cfg);
    cfg->path = strdup(path);
    int fd = hr_open_regular(path, err);
    if (fd < 0)
        return err->code;
    FILE *fp = fdopen(fd, "r");
    if (!fp) {
        close(fd);
        return hr_err_set(err, HR_ESOFTWARE, "out of memory");
    }
    /* the whole file: a configuration is small (1 MiB at most) */
    char *text = malloc((1u << 20) + 1);
    size_t len = text ? fread(text, 1, 1u << 20, fp) : 0;
    int big = text && len == 1u << 20 && fgetc(fp) != EOF, rerr = ferror(fp);
    fclose(fp);
    if (!text)
        return hr_err_set(err, HR_ESOFTWARE, "out of memory");
    if (rerr || big) {
        free(text);
        return big ? hr_err_set(err, HR_ECONFIG, "%s: over 1 MiB: not a configuration", path)
                   : hr_err_set(err, HR_ENOINPUT, "%s: cannot read", path);
    }
    text[len] = '\0';
    int rc = prescan(path, text, len, err);
    if (rc) {
        free(text);
        return rc;
    }
    pctx p = {cfg, "", 0};
    int line = ini_parse_string(text, handler, &p);
    free(text);
    if (line != 0) {
        if (!p.failed)
            snprintf(p.msg, sizeof p.msg, "syntax error (want [section] or key = value)");
        return hr_err_set(err, HR_ECONFIG, "%s:%d: %s", path, line, p.msg);
    }
    if (!cfg->store)
        return hr_err_set(err, HR_ECONFIG, "%s: [store] path is required", path);
    if (!cfg->out_dir && !(cfg->out_dir = strdup("out")))
        return hr_err_set(err, HR_ESOFTWARE, "out of memory");
    for (size_t i = 0; i < cfg->nslos; i++) {
        hr_slo_def *s = &cfg->slos[i];
        int pair = (s->good || s->bad) && s->total, lat = s->latency != NULL;
        if (pair == lat || (s->good && s->bad) || ((s->good || s->bad) && !s->total) ||
            (s->total && !s->good && !s->bad))
            return hr_err_set(err, HR_ECONFIG,
                              "%s: [slo %s]: give a total series with either good or bad, or latency and threshold",
                              path, s->name);
        if (lat && isnan(s->threshold))
            return hr_err_set(err, HR_ECONFIG, "%s: [slo %s]: latency needs a threshold", path, s->name);
        if (isnan(s->objective))
            return hr_err_set(err, HR_ECONFIG, "%s: [slo %s]: objective is required (e.g. 99.9)", path, s->name);
    }
    return HR_OK;
}

/* A duration in the largest unit that writes it exactly ("48h", "90m"). */
static const char *duration(int64_t ms, char *b, size_t n)
{
    static const struct { int64_t ms; const char *u; } units[] = {
        {86400000, "d"}, {3600000, "h"}, {60000, "m"}, {1000, "s"}, {1, "ms"}};
    size_t k = 0;
    while (ms % units[k].ms)
        k++;
    snprintf(b, n, "%lld%s", (long long)(ms / units[k].ms), units[k].u);
    return b;
}

void hr_config_print(const hr_config *c, FILE *fp)
{
    char nb[40];
    fprintf(fp, "[store]\npath = %s\n\n[ingest]\n", c->store ? c->store : "");
    for (size_t i = 0; i < c->nexports; i++)
        fprintf(fp, "exports = %s\n", c->exports[i]);
    fprintf(fp, "format = %s\n", hr_format_name(c->format));
    fprintf(fp, "max_bad_share = %s\n", hr_fmt_double(c->max_bad_share, nb, sizeof nb));
    if (c->step_ms)
        fprintf(fp, "step = %lldms\n", (long long)c->step_ms);
    if (c->mem_budget_set)
        fprintf(fp, "memory = %llu\n", c->mem_budget);
    for (size_t i = 0; i < c->ncounters; i++)
        fprintf(fp, "counter = %s\n", c->counters[i]);
    fprintf(fp, "on_bad_file = %s\n", c->skip_bad_files ? "skip" : "fail");
    fprintf(fp, "\n[input]\nstale_after = %s\n", duration(c->stale_after_ms, nb, sizeof nb));
    if (c->tz)
        fprintf(fp, "tz = %s\n", hr_tz_name(c->tz));
    fprintf(fp, "\n[inventory]\npath = %s\n", c->inventory ? c->inventory : "");
    fprintf(fp, "default_target_utilization = %s\n", hr_fmt_double(c->default_target, nb, sizeof nb));
    if (c->currency)
        fprintf(fp, "currency = %s\n", c->currency);
    fprintf(fp, "\n[events]\npath = %s\n", c->events ? c->events : "");
    fprintf(fp, "tolerance_days = %s\n", hr_fmt_double(c->event_tolerance_days, nb, sizeof nb));
    fprintf(fp, "\n[incidents]\npath = %s\n", c->incidents ? c->incidents : "");
    fprintf(fp, "group_by = %s\n", c->group_by ? c->group_by : "");
    fprintf(fp, "gap = %llds\n", (long long)(c->incident_gap_ms / 1000));
    fprintf(fp, "match_tolerance = %llds\n", (long long)(c->match_tolerance_ms / 1000));
    fprintf(fp, "recurring_min = %ld\n", c->recurring_min);
    fprintf(fp, "\n[changes]\npath = %s\n", c->changes ? c->changes : "");
    fprintf(fp, "window = %s\n", duration(c->change_window_ms, nb, sizeof nb));
    fprintf(fp, "max_failure_rate = %s\n", hr_fmt_double(c->max_failure_rate, nb, sizeof nb));
    fprintf(fp, "\n[analysis]\nhorizon_days = %s\n", hr_fmt_double(c->horizon_days, nb, sizeof nb));
    fprintf(fp, "trend_window_days = %s\n", hr_fmt_double(c->trend_window_days, nb, sizeof nb));
    fprintf(fp, "anomaly_threshold = %s\n", hr_fmt_double(c->anomaly_threshold, nb, sizeof nb));
    fprintf(fp, "\n[output]\ndir = %s\n", c->out_dir ? c->out_dir : "out");
    if (c->keep > 0)
        fprintf(fp, "keep = %ld\n", c->keep);
    for (size_t i = 0; i < c->nslos; i++) {
        const hr_slo_def *s = &c->slos[i];
        fprintf(fp, "\n[slo %s]\n", s->name);
        if (s->good)
            fprintf(fp, "good = %s\n", s->good);
        if (s->bad)
            fprintf(fp, "bad = %s\n", s->bad);
        if (s->total)
            fprintf(fp, "total = %s\n", s->total);
        if (s->latency)
            fprintf(fp, "latency = %s\nthreshold = %s\n", s->latency, hr_fmt_double(s->threshold, nb, sizeof nb));
        fprintf(fp, "objective = %s\n", hr_fmt_double(100 * s->objective, nb, sizeof nb));
        fprintf(fp, "window_days = %s\n", hr_fmt_double(s->window_days, nb, sizeof nb));
        if (s->service)
            fprintf(fp, "service = %s\n", s->service);
    }
}
