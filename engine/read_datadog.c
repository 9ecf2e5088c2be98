/* read_datadog.c -- Datadog's GET /api/v1/query response, read as a stream
 * (jsonrd.h):
 *   {"status":"ok","res_type":"time_series","query":"...","from_date":..,"to_date":..,
 *    "series":[{"metric":"system.cpu.user","scope":"host:a,env:prod",
 *               "tag_set":["host:a","env:prod"],"pointlist":[[1717200000000.0,12.5],[..,null]],
 *               "display_name":..,"expression":..,"interval":..,"length":..,"unit":[..],...}]}
 * Series key: "metric" (or "display_name" when it is missing) as written,
 * dots kept (keys are never sanitised: a long CSV's series column is kept
 * verbatim too), plus one label per tag of "tag_set", or of "scope" (its
 * comma-separated tags; "*" is none) when tag_set is missing or empty.
 * A tag "k:v" is split at its first ':' into label k="v"; a tag without
 * ':' ("production") becomes production="true", because an empty value
 * would drop the label and merge series that differ by it; a tag name
 * given twice ("role:db", "role:web") gives role="db,web".
 * pointlist: [time in ms (float), value]; a null value is a gap (NaN, as
 * Prometheus' "NaN": the point keeps its place on the series' grid).
 * "status":"error" with "error", or an "errors" list (what the API sends
 * with HTTP 4xx), fails the file with that text. Members in any order:
 * points that come before the tags wait for them (see jsonrd.h). */
#include <stdlib.h>
#include <string.h>

#include "jsonrd.h"

enum {
    D_TOP = 1, /* the response */
    D_ERRORS,  /* "errors": ["..."] */
    D_LIST,    /* "series" */
    D_ELEM,    /* one series */
    D_TAGS     /* its "tag_set" */
};

typedef struct datadog {
    hr_jr_series s;
    char status[16];
    char *error;                    /* "error", or the first of "errors" */
    int has_series;
    /* the series being read */
    char *name, *scope;             /* "metric" ("display_name" when absent), "scope" */
    int name_is_metric, ntags;
} datadog;

static const char PAIR[] = "expected [time, value]";

/* One tag "k:v" (or "k") as a label. */
static int add_tag(hr_jr_series *s, const char *tag, size_t len)
{
    const char *colon = memchr(tag, ':', len);
    if (!colon)
        return hr_jr_series_label(s, tag, len, "true", 4);
    return hr_jr_series_label(s, tag, (size_t)(colon - tag), colon + 1, len - (size_t)(colon - tag) - 1);
}

/* Finds the series once its key is complete: at the end of the element,
 * or as soon as metric and a non-empty tag_set are both known. */
static int resolve(hr_jr *jr, datadog *d, size_t up)
{
    hr_ingest *ig = hr_jr_ingest(jr);
    char where[256];
    if (!d->ntags && d->scope) { /* no tag_set: the scope's tags */
        const char *p = d->scope;
        while (*p) {
            size_t n = strcspn(p, ",");
            const char *a = p, *b = p + n;
            while (a < b && *a == ' ')
                a++;
            while (b > a && b[-1] == ' ')
                b--;
            if (b > a && !(b - a == 1 && *a == '*') && add_tag(&d->s, a, (size_t)(b - a)))
                return hr_jr_oom(ig);
            p += n + (p[n] == ',');
        }
    }
    if (d->name && hr_jr_series_metric(&d->s, d->name, strlen(d->name)))
        return hr_jr_oom(ig);
    return hr_jr_series_resolve(ig, &d->s, hr_jr_path(jr, up, where, sizeof where));
}

static int d_open(hr_jr *jr, int is_array, void *ud)
{
    datadog *d = ud;
    if (hr_jr_depth(jr) == 0) {
        if (!is_array)
            return D_TOP;
        hr_ingest *ig = hr_jr_ingest(jr);
        return hr_err_set(hr_rd_err(ig), HR_EINPUT,
                          "%s: not a Datadog /api/v1/query response (top level is not an object)",
                          hr_rd_path(ig)),
               -1;
    }
    switch (hr_jr_role(jr)) {
    case D_TOP:
        if (is_array && hr_jr_key_is(jr, "series")) {
            d->has_series = 1;
            return D_LIST;
        }
        return is_array && hr_jr_key_is(jr, "errors") ? D_ERRORS : HR_JR_SKIP;
    case D_LIST:
        if (is_array)
            return HR_JR_SKIP;
        hr_jr_series_reset(&d->s);
        free(d->name);
        free(d->scope);
        d->name = d->scope = NULL;
        d->name_is_metric = d->ntags = 0;
        return D_ELEM;
    case D_ELEM:
        if (is_array && hr_jr_key_is(jr, "tag_set"))
            return D_TAGS;
        if (!is_array || !hr_jr_key_is(jr, "pointlist"))
            return HR_JR_SKIP;
        hr_jr_points(jr, &d->s, 0, 1000.0, PAIR);
        return HR_JR_POINTS;
    default:
        return HR_JR_SKIP;
    }
}

static int d_scalar(hr_jr *jr, const hr_jr_val *v, void *ud)
{
    datadog *d = ud;
    hr_ingest *ig = hr_jr_ingest(jr);
    int role = hr_jr_role(jr);
    if (role == HR_JR_SKIP)
        return hr_err_set(hr_rd_err(ig), HR_EINPUT,
                          "%s: not a Datadog /api/v1/query response (top level is not an object)",
                          hr_rd_path(ig)),
               -1;
    if (v->type != HR_JR_STRING)
        return 0;
    switch (role) {
    case D_TOP:
        if (hr_jr_key_is(jr, "status")) {
            hr_jr_copy(d->status, sizeof d->status, v);
        } else if (hr_jr_key_is(jr, "error") && v->len && hr_jr_dup(&d->error, v)) {
            return hr_jr_oom(ig);
        }
        return 0;
    case D_ERRORS:
        return !d->error && hr_jr_dup(&d->error, v) ? hr_jr_oom(ig) : 0;
    case D_ELEM:
        if (hr_jr_key_is(jr, "metric") || (hr_jr_key_is(jr, "display_name") && !d->name_is_metric)) {
            d->name_is_metric |= hr_jr_key_is(jr, "metric");
            if (hr_jr_dup(&d->name, v))
                return hr_jr_oom(ig);
        } else if (hr_jr_key_is(jr, "scope") && hr_jr_dup(&d->scope, v)) {
            return hr_jr_oom(ig);
        }
        return 0;
    case D_TAGS:
        if (v->len == 0)
            return 0;
        d->ntags++;
        return add_tag(&d->s, v->s, v->len) ? hr_jr_oom(ig) : 0;
    default:
        return 0;
    }
}

static int d_close(hr_jr *jr, int role, void *ud)
{
    datadog *d = ud;
    hr_ingest *ig = hr_jr_ingest(jr);
    switch (role) {
    case D_TAGS: /* with the metric known, the key is complete */
        return d->ntags && d->name_is_metric && d->s.bid < 0 ? resolve(jr, d, 1) : 0;
    case D_ELEM:
        return d->s.bid < 0 ? resolve(jr, d, 0) : 0;
    case D_TOP:
        if (d->error || strcmp(d->status, "error") == 0)
            return hr_err_set(hr_rd_err(ig), HR_EINPUT, "%s: Datadog returned an error: %s", hr_rd_path(ig),
                              d->error ? d->error : "(no error text)"),
                   -1;
        if (!d->has_series)
            return hr_err_set(hr_rd_err(ig), HR_EINPUT,
                              "%s: not a Datadog /api/v1/query response (no \"series\" list)", hr_rd_path(ig)),
                   -1;
        return 0;
    default:
        return 0;
    }
}

int hr_read_datadog(hr_ingest *ig, FILE *fp)
{
    static const hr_jr_ops OPS = {d_open, d_scalar, d_close};
    datadog d;
    memset(&d, 0, sizeof d);
    hr_jr_series_init(&d.s);
    int rc = hr_jr_parse(ig, fp, &OPS, &d);
    hr_jr_series_clear(&d.s);
    free(d.error);
    free(d.name);
    free(d.scope);
    return rc;
}
