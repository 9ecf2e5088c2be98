/* read_prom.c -- Prometheus query results as JSON: the whole
 * /api/v1/query_range (or /api/v1/query) response
 *   {"status":"success","data":{"resultType":"matrix","result":[...]}}
 * or its bare "result" array as query tools save it
 *   [{"metric":{"__name__":"up","job":"api"},"values":[[1717200000,"1"],...]}, ...].
 * Series key: __name__ and the other labels (hr_key_render). Values are
 * strings ("NaN", "+Inf" allowed), times epoch seconds. */
#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "ingest_rd.h"
#include "timefmt.h"

/* The series of result[ri].metric. Returns its index, or -1 with err set. */
static long prom_series(hr_ingest *ig, json_t *metric, const char *pre, size_t ri)
{
    size_t n = json_object_size(metric), m = 0;
    const char **names = malloc((n ? n : 1) * sizeof *names);
    const char **vals = malloc((n ? n : 1) * sizeof *vals);
    hr_err *err = hr_rd_err(ig);
    const char *path = hr_rd_path(ig);
    long bid = -1;
    if (!names || !vals) {
        hr_err_set(err, HR_ESOFTWARE, "out of memory");
        goto out;
    }
    const char *name = "", *k;
    json_t *v;
    json_object_foreach(metric, k, v)
    {
        if (!json_is_string(v)) {
            hr_err_set(err, HR_EINPUT, "%s: %sresult[%zu].metric.%s: label value is not a string", path, pre, ri, k);
            goto out;
        }
        if (strcmp(k, "__name__") == 0) {
            name = json_string_value(v);
        } else {
            names[m] = k;
            vals[m] = json_string_value(v);
            m++;
        }
    }
    char *key = hr_key_render(name, names, vals, m);
    if (!key) {
        hr_err_set(err, HR_ESOFTWARE, "out of memory");
        goto out;
    }
    if (!key[0])
        hr_err_set(err, HR_EINPUT, "%s: %sresult[%zu]: series has no name and no labels", path, pre, ri);
    else if ((bid = hr_rd_series(ig, key, strlen(key))) == -2)
        hr_err_set(err, HR_EINPUT, "%s: %sresult[%zu]: series key is not valid UTF-8", path, pre, ri);
    else if (bid < 0)
        hr_err_set(err, HR_ESOFTWARE, "out of memory");
    free(key);
out:
    free(names);
    free(vals);
    return bid < 0 ? -1 : bid;
}

/* One [t, "v"] pair; returns 0 (taken), 1 (rejected) or -1 (no memory). */
static int prom_point(hr_ingest *ig, json_t *pt, long bid, const char *where)
{
    const char *why;
    char ex[256];
    if (!json_is_array(pt) || json_array_size(pt) != 2) {
        hr_rd_reject(ig, 0, 0, "%s: expected [time, \"value\"]", where);
        return 1;
    }
    json_t *jt = json_array_get(pt, 0), *jv = json_array_get(pt, 1);
    int64_t t;
    double tx;
    if (json_is_number(jt)) {
        tx = json_number_value(jt);
    } else if (json_is_string(jt)) {
        char *e;
        tx = strtod(json_string_value(jt), &e);
        if (*e || e == json_string_value(jt)) {
            hr_rd_reject(ig, 0, 0, "%s: time is not a number", where);
            return 1;
        }
    } else {
        hr_rd_reject(ig, 0, 0, "%s: time is not a number", where);
        return 1;
    }
    if (hr_time_from_epoch(tx, 1.0, &t, &why)) {
        hr_rd_reject(ig, 0, 0, "%s: %s", where, why);
        return 1;
    }
    double v;
    if (json_is_string(jv)) {
        const char *s = json_string_value(jv);
        size_t len = strlen(s);
        if (len == 0) {
            hr_rd_reject(ig, 0, 0, "%s: empty value", where);
            return 1;
        }
        if (hr_rd_value(ig, s, len, &v, &why) < 0) {
            hr_rd_reject(ig, 0, 0, "%s: %s, got \"%s\"", where, why, hr_rd_excerpt(s, len, ex, sizeof ex));
            return 1;
        }
    } else if (json_is_number(jv)) {
        if (hr_rd_number(ig, json_number_value(jv), &v, &why) < 0) {
            hr_rd_reject(ig, 0, 0, "%s: %s", where, why);
            return 1;
        }
    } else {
        hr_rd_reject(ig, 0, 0, "%s: value is not a string", where);
        return 1;
    }
    return hr_rd_sample(ig, bid, t, v) ? -1 : 0;
}

/* The result list; pre is "data." for a whole response, "" for a bare
 * array. */
static int read_result(hr_ingest *ig, json_t *result, int vector, const char *pre)
{
    hr_err *err = hr_rd_err(ig);
    hr_file_stats *st = hr_rd_stats(ig);
    const char *path = hr_rd_path(ig);
    size_t ri;
    json_t *r;
    char where[128];
    json_array_foreach(result, ri, r)
    {
        json_t *metric = json_object_get(r, "metric");
        if (!json_is_object(metric))
            return hr_err_set(err, HR_EINPUT, "%s: %sresult[%zu]: no \"metric\" object", path, pre, ri);
        long bid = prom_series(ig, metric, pre, ri);
        if (bid < 0)
            return err->code;
        json_t *one = json_object_get(r, "value"), *vals = json_object_get(r, "values");
        if (vector || (one && !vals)) {
            snprintf(where, sizeof where, "%sresult[%zu].value", pre, ri);
            st->rows++;
            int p = prom_point(ig, one, bid, where);
            if (p < 0)
                return hr_err_set(err, HR_ESOFTWARE, "out of memory");
            st->bad += (unsigned long)p;
            continue;
        }
        if (!json_is_array(vals))
            return hr_err_set(err, HR_EINPUT, "%s: %sresult[%zu]: no \"values\" list", path, pre, ri);
        size_t j;
        json_t *pt;
        json_array_foreach(vals, j, pt)
        {
            snprintf(where, sizeof where, "%sresult[%zu].values[%zu]", pre, ri, j);
            st->rows++;
            int p = prom_point(ig, pt, bid, where);
            if (p < 0)
                return hr_err_set(err, HR_ESOFTWARE, "out of memory");
            st->bad += (unsigned long)p;
        }
    }
    return HR_OK;
}

int hr_read_prometheus(hr_ingest *ig, FILE *fp)
{
    hr_err *err = hr_rd_err(ig);
    const char *path = hr_rd_path(ig);
    json_error_t je;
    json_t *root = json_loadf(fp, JSON_REJECT_DUPLICATES, &je);
    if (!root)
        return hr_err_set(err, HR_EINPUT, "%s:%d:%d: %s", path, je.line, je.column, je.text);
    int rc = HR_OK;
    if (json_is_array(root)) {
        rc = read_result(ig, root, 0, "");
        json_decref(root);
        return rc;
    }
    json_t *status = json_object_get(root, "status");
    json_t *data = json_object_get(root, "data");
    json_t *result = data ? json_object_get(data, "result") : NULL;
    const char *rtype = data ? json_string_value(json_object_get(data, "resultType")) : NULL;
    if (!json_is_object(root)) {
        rc = hr_err_set(err, HR_EINPUT, "%s: not a Prometheus query_range response (top level is not an object)",
                        path);
    } else if (json_is_string(status) && strcmp(json_string_value(status), "error") == 0) {
        const char *et = json_string_value(json_object_get(root, "errorType"));
        const char *em = json_string_value(json_object_get(root, "error"));
        rc = hr_err_set(err, HR_EINPUT, "%s: Prometheus returned an error: %s: %s", path,
                        et ? et : "(no errorType)", em ? em : "(no error text)");
    } else if (!json_is_string(status) || strcmp(json_string_value(status), "success") != 0) {
        rc = hr_err_set(err, HR_EINPUT, "%s: not a Prometheus query_range response (no \"status\": \"success\")",
                        path);
    } else if (!json_is_array(result)) {
        rc = hr_err_set(err, HR_EINPUT, "%s: data.result is missing or not a list", path);
    } else if (!rtype || (strcmp(rtype, "matrix") != 0 && strcmp(rtype, "vector") != 0)) {
        rc = hr_err_set(err, HR_EINPUT, "%s: data.resultType is \"%s\"; want matrix (query_range) or vector", path,
                        rtype ? rtype : "(missing)");
    }
    if (rc == HR_OK)
        rc = read_result(ig, result, strcmp(rtype, "vector") == 0, "data.");
    json_decref(root);
    return rc;
}
