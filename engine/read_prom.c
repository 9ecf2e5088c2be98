/* read_prom.c -- Prometheus query results as JSON, read as a stream
 * (jsonrd.h): the whole /api/v1/query_range (or /api/v1/query) response
 *   {"status":"success","data":{"resultType":"matrix","result":[...]}}
 * or its bare "result" array as query tools save it
 *   [{"metric":{"__name__":"up","job":"api"},"values":[[1717200000,"1"],...]}, ...].
 * Series key: __name__ and the other labels (hr_key_render). Values are
 * strings ("NaN", "+Inf" allowed; numbers and null, a gap, are taken
 * too), times epoch seconds (numbers or numeric strings). Members may come
 * in any order: "data" before "status", "values" before "metric" (those
 * points wait until the labels are known), "resultType" after "result";
 * so status, errorType, error and resultType are judged at the end, and a
 * response that turns out to be an error fails even though points were
 * read (the caller discards them). */
#include <stdlib.h>
#include <string.h>

#include "jsonrd.h"

enum {
    R_TOP = 1,  /* the response object */
    R_DATA,     /* its "data" */
    R_LIST,     /* data.result, or the top-level list */
    R_ELEM,     /* one result */
    R_METRIC    /* its labels */
};

typedef struct prom {
    hr_jr_series s;
    char status[16], rtype[16]; /* "" when absent; longer texts cut */
    int has_status, has_rtype, has_result;
    char *etype, *emsg;         /* errorType, error */
    int has_metric, has_values;
} prom;

static const char PAIR[] = "expected [time, \"value\"]";

static int is_known_rtype(const prom *p)
{
    return strcmp(p->rtype, "matrix") == 0 || strcmp(p->rtype, "vector") == 0;
}

static int rtype_error(hr_ingest *ig, const prom *p)
{
    return hr_err_set(hr_rd_err(ig), HR_EINPUT, "%s: data.resultType is \"%s\"; want matrix (query_range) or vector",
                      hr_rd_path(ig), p->has_rtype ? p->rtype : "(missing)");
}

/* An element of the result list that is not an object. */
static int not_a_result(hr_jr *jr, prom *p)
{
    hr_ingest *ig = hr_jr_ingest(jr);
    char where[256];
    if (p->has_rtype && !is_known_rtype(p))
        rtype_error(ig, p);
    else
        hr_err_set(hr_rd_err(ig), HR_EINPUT, "%s: %s: no \"metric\" object", hr_rd_path(ig),
                   hr_jr_path(jr, 0, where, sizeof where));
    return -1;
}

static int p_open(hr_jr *jr, int is_array, void *ud)
{
    prom *p = ud;
    if (hr_jr_depth(jr) == 0)
        return is_array ? R_LIST : R_TOP;
    switch (hr_jr_role(jr)) {
    case R_TOP:
        return !is_array && hr_jr_key_is(jr, "data") ? R_DATA : HR_JR_SKIP;
    case R_DATA:
        if (!hr_jr_key_is(jr, "result"))
            return HR_JR_SKIP;
        p->has_result = is_array;
        return is_array ? R_LIST : HR_JR_SKIP;
    case R_LIST:
        if (is_array)
            return not_a_result(jr, p);
        hr_jr_series_reset(&p->s);
        p->has_metric = p->has_values = 0;
        return R_ELEM;
    case R_ELEM:
        if (!is_array && hr_jr_key_is(jr, "metric")) {
            p->has_metric = 1;
            return R_METRIC;
        }
        if (is_array && (hr_jr_key_is(jr, "values") || hr_jr_key_is(jr, "value"))) {
            p->has_values = 1;
            hr_jr_points(jr, &p->s, 0, 1.0, PAIR);
            return hr_jr_key_is(jr, "value") ? HR_JR_PAIR : HR_JR_POINTS;
        }
        return HR_JR_SKIP;
    case R_METRIC: {
        char where[256];
        hr_ingest *ig = hr_jr_ingest(jr);
        hr_err_set(hr_rd_err(ig), HR_EINPUT, "%s: %s: label value is not a string", hr_rd_path(ig),
                   hr_jr_path(jr, 0, where, sizeof where));
        return -1;
    }
    default:
        return HR_JR_SKIP;
    }
}

static int p_scalar(hr_jr *jr, const hr_jr_val *v, void *ud)
{
    prom *p = ud;
    hr_ingest *ig = hr_jr_ingest(jr);
    switch (hr_jr_role(jr)) {
    case HR_JR_SKIP: /* a scalar document */
        hr_err_set(hr_rd_err(ig), HR_EINPUT,
                   "%s: not a Prometheus query_range response (top level is not an object)", hr_rd_path(ig));
        return -1;
    case R_TOP:
        if (v->type != HR_JR_STRING)
            return 0;
        if (hr_jr_key_is(jr, "status")) {
            hr_jr_copy(p->status, sizeof p->status, v);
            p->has_status = 1;
        } else if (hr_jr_key_is(jr, "errorType") || hr_jr_key_is(jr, "error")) {
            if (hr_jr_dup(hr_jr_key_is(jr, "error") ? &p->emsg : &p->etype, v))
                return hr_jr_oom(ig);
        }
        return 0;
    case R_DATA:
        if (hr_jr_key_is(jr, "resultType") && v->type == HR_JR_STRING) {
            hr_jr_copy(p->rtype, sizeof p->rtype, v);
            p->has_rtype = 1;
        }
        return 0;
    case R_LIST:
        return not_a_result(jr, p);
    case R_METRIC: {
        size_t klen;
        const char *k = hr_jr_key(jr, &klen);
        if (v->type != HR_JR_STRING) {
            char where[256];
            hr_err_set(hr_rd_err(ig), HR_EINPUT, "%s: %s: label value is not a string", hr_rd_path(ig),
                       hr_jr_path(jr, 0, where, sizeof where));
            return -1;
        }
        int r = klen == 8 && memcmp(k, "__name__", 8) == 0 ? hr_jr_series_metric(&p->s, v->s, v->len)
                                                           : hr_jr_series_label(&p->s, k, klen, v->s, v->len);
        return r ? hr_jr_oom(ig) : 0;
    }
    default:
        return 0;
    }
}

/* The end of the response object: was it a successful matrix or vector? */
static int p_top_done(hr_ingest *ig, prom *p)
{
    hr_err *err = hr_rd_err(ig);
    const char *path = hr_rd_path(ig);
    if (p->has_status && strcmp(p->status, "error") == 0)
        return hr_err_set(err, HR_EINPUT, "%s: Prometheus returned an error: %s: %s", path,
                          p->etype ? p->etype : "(no errorType)", p->emsg ? p->emsg : "(no error text)");
    if (!p->has_status || strcmp(p->status, "success") != 0)
        return hr_err_set(err, HR_EINPUT, "%s: not a Prometheus query_range response (no \"status\": \"success\")",
                          path);
    if (!p->has_result)
        return hr_err_set(err, HR_EINPUT, "%s: data.result is missing or not a list", path);
    if (!is_known_rtype(p))
        return rtype_error(ig, p);
    return HR_OK;
}

static int p_close(hr_jr *jr, int role, void *ud)
{
    prom *p = ud;
    hr_ingest *ig = hr_jr_ingest(jr);
    char where[256];
    switch (role) {
    case R_METRIC: /* the labels are complete: the key is known */
        return hr_jr_series_resolve(ig, &p->s, hr_jr_path(jr, 1, where, sizeof where));
    case R_ELEM:
        if (!p->has_metric)
            return hr_err_set(hr_rd_err(ig), HR_EINPUT, "%s: %s: no \"metric\" object", hr_rd_path(ig),
                              hr_jr_path(jr, 0, where, sizeof where)),
                   -1;
        if (!p->has_values)
            return hr_err_set(hr_rd_err(ig), HR_EINPUT, "%s: %s: no \"values\" list", hr_rd_path(ig),
                              hr_jr_path(jr, 0, where, sizeof where)),
                   -1;
        return 0;
    case R_TOP:
        return p_top_done(ig, p) ? -1 : 0;
    default:
        return 0;
    }
}

int hr_read_prometheus(hr_ingest *ig, FILE *fp)
{
    static const hr_jr_ops OPS = {p_open, p_scalar, p_close};
    prom p;
    memset(&p, 0, sizeof p);
    hr_jr_series_init(&p.s);
    int rc = hr_jr_parse(ig, fp, &OPS, &p);
    hr_jr_series_clear(&p.s);
    free(p.etype);
    free(p.emsg);
    return rc;
}
