/* prevrun.c -- see prevrun.h. */
#include "prevrun.h"

#include <errno.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "jalloc.h"
#include "timefmt.h"

static char *dup_or_null(const char *s) { return s ? strdup(s) : NULL; }

/* A date or time string of the reports, or -1 (null, absent, unreadable). */
static int64_t jtime(json_t *v)
{
    const char *s = json_string_value(v);
    int64_t t;
    const char *why = NULL;
    if (!s || hr_time_parse(s, strlen(s), &t, &why) != 0)
        return -1;
    return t;
}

static json_t *load(const char *dir, const char *name, hr_err *err)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    json_error_t je;
    FILE *fp = fopen(path, "r");
    if (!fp) {
        hr_err_set(err, errno == ENOMEM ? HR_ESOFTWARE : HR_ENOINPUT, "%s: cannot read: %s", path, strerror(errno));
        return NULL;
    }
    /* jansson reports a failed allocation inside its parser as a parse
     * error ("string or '}' expected"), or with no text at all: count
     * them, to tell out of memory from a damaged previous report (a run
     * loads it before any parallel region) */
    hr_jalloc_install();
    unsigned long oom0 = hr_jalloc_failures();
    json_t *root = json_loadf(fp, 0, &je);
    fclose(fp);
    /* out of memory is not a bad previous report: the run fails (70)
     * rather than compare with nothing */
    if (!root && (hr_jalloc_failures() != oom0 || json_error_code(&je) == json_error_out_of_memory))
        hr_err_set(err, HR_ESOFTWARE, "out of memory reading %s", path);
    else if (!root)
        hr_err_set(err, HR_EINPUT, "%s:%d:%d: %s", path, je.line, je.column, je.text);
    else if (!json_is_object(root)) {
        json_decref(root);
        root = NULL;
        hr_err_set(err, HR_EINPUT, "%s: not a headroom report (want a JSON object)", path);
    }
    return root;
}

static int take_actions(json_t *root, int report, hr_prev_run *p)
{
    json_t *arr = json_object_get(root, "actions");
    size_t n = json_array_size(arr);
    hr_prev_action *a = realloc(p->act, (p->nact + n + 1) * sizeof *a);
    if (!a)
        return -1;
    p->act = a;
    for (size_t k = 0; k < n; k++) {
        json_t *o = json_array_get(arr, k);
        const char *id = json_string_value(json_object_get(o, "id"));
        if (!id)
            continue;
        hr_prev_action *x = &p->act[p->nact];
        x->id = strdup(id);
        x->rule = dup_or_null(json_string_value(json_object_get(o, "rule")));
        x->title = dup_or_null(json_string_value(json_object_get(o, "title")));
        x->first_seen_ms = jtime(json_object_get(o, "first_seen"));
        x->report = report;
        p->nact++;
        if (!x->id)
            return -1;
    }
    return 0;
}

static int cmp_sat(const void *a, const void *b)
{
    return strcmp(((const hr_prev_sat *)a)->series, ((const hr_prev_sat *)b)->series);
}

int hr_prev_run_load(const char *dir, hr_prev_run *p, hr_err *err)
{
    memset(p, 0, sizeof *p);
    size_t len = strlen(dir);
    while (len > 1 && dir[len - 1] == '/')
        len--;
    size_t b = len;
    while (b > 0 && dir[b - 1] != '/')
        b--;
    p->stamp = strndup(dir + b, len - b);
    json_t *cap = load(dir, "capacity.json", err), *pm = cap ? load(dir, "problems.json", err) : NULL;
    if (!cap || !pm) {
        json_decref(cap);
        hr_prev_run_clear(p);
        return err->code ? err->code : HR_EINPUT;
    }
    int oom = !p->stamp || take_actions(cap, HR_REP_CAPACITY, p) || take_actions(pm, HR_REP_PROBLEMS, p);
    json_t *res = json_object_get(cap, "resources");
    size_t n = json_array_size(res);
    p->sat = calloc(n + 1, sizeof *p->sat);
    oom |= !p->sat;
    for (size_t k = 0; !oom && k < n; k++) {
        json_t *o = json_array_get(res, k);
        const char *key = json_string_value(json_object_get(o, "series"));
        if (!key)
            continue;
        hr_prev_sat *s = &p->sat[p->nsat++];
        s->p50_ms = jtime(json_object_get(json_object_get(o, "saturation"), "p50"));
        oom |= !(s->series = strdup(key));
    }
    if (!oom)
        qsort(p->sat, p->nsat, sizeof *p->sat, cmp_sat);
    json_t *inc = json_object_get(pm, "incidents");
    n = json_array_size(inc);
    p->inc = oom ? NULL : calloc(n + 1, sizeof *p->inc);
    oom |= !p->inc;
    for (size_t k = 0; !oom && k < n; k++) {
        json_t *o = json_array_get(inc, k);
        const char *origin = json_string_value(json_object_get(o, "origin"));
        if (!origin)
            continue;
        hr_prev_incident *x = &p->inc[p->ninc++];
        x->start_ms = jtime(json_object_get(o, "start"));
        x->end_ms = jtime(json_object_get(o, "end"));
        x->id = dup_or_null(json_string_value(json_object_get(o, "id")));
        oom |= !(x->origin = strdup(origin));
    }
    json_decref(cap);
    json_decref(pm);
    if (oom) {
        hr_prev_run_clear(p);
        return hr_err_set(err, HR_ESOFTWARE, "out of memory reading %s", dir);
    }
    return HR_OK;
}
