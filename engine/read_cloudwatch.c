/* read_cloudwatch.c -- the output of `aws cloudwatch get-metric-data`
 * (the GetMetricData response as the AWS CLI prints it), read as a stream
 * (jsonrd.h):
 *   {"MetricDataResults":[{"Id":"m1","Label":"CPUUtilization",
 *      "Timestamps":["2024-06-01T00:05:00+00:00","2024-06-01T00:00:00+00:00"],
 *      "Values":[12.5,11.0],"StatusCode":"Complete","Messages":[]}],
 *    "Messages":[],"NextToken":"..."}
 * Timestamps and Values are parallel lists (Values[i] is at Timestamps[i];
 * newest first by default, the order does not matter here). Timestamps
 * are ISO 8601 with an offset (anything hr_rd_time reads, epoch numbers
 * too); values are numbers (null: a gap). Lists of different lengths
 * fail the file: which value belongs to which time is then unknown.
 * Series key: the Label (the Id when the Label is empty) as the metric
 * name, plus the label id="<Id>", so two queries whose labels are equal
 * stay two series; the same Id twice (the CLI joins the pages of a
 * paginated answer into one list) is one series.
 * Warnings, not errors: a result whose last StatusCode is not Complete
 * (PartialData, InternalError, Forbidden), CloudWatch's Messages, and a
 * NextToken (this file is one page: the CLI paginates by itself unless
 * --no-paginate or --max-items was given; only this page is read). */
#include <stdlib.h>
#include <string.h>

#include "jsonrd.h"

enum {
    C_TOP = 1, /* the response */
    C_LIST,    /* MetricDataResults */
    C_ELEM,    /* one result */
    C_TIMES,   /* its Timestamps */
    C_VALUES,  /* its Values */
    C_MSGS,    /* a Messages list (top level or a result's) */
    C_MSG      /* one {"Code":..,"Value":..} */
};

typedef struct status {
    long bid;
    char code[24];
    char where[96];
} status;

typedef struct cloudwatch {
    hr_jr_series s;
    int has_list, next_token;
    /* the result being read */
    char *id, *label;
    char code[24];
    int64_t *t;
    double *v;
    unsigned char *tbad, *vbad;  /* entries already rejected */
    size_t nt, nv, tcap, vcap;
    int has_t, has_v;
    /* the message being read */
    char *mcode, *mtext;
    /* the last StatusCode per series */
    status *st;
    size_t nst, stcap;
} cloudwatch;

/* Makes room for one more entry in a (t or v) list and its flags. */
static int grow(void **arr, unsigned char **bad, size_t n, size_t *cap, size_t elem)
{
    if (n < *cap)
        return 0;
    size_t nc = *cap ? *cap * 2 : 256;
    void *p = realloc(*arr, nc * elem);
    if (!p)
        return -1;
    *arr = p;
    unsigned char *b = realloc(*bad, nc);
    if (!b)
        return -1;
    *bad = b;
    *cap = nc;
    return 0;
}

/* One entry of Timestamps or Values; a bad one is reported at once unless
 * its partner in the other list, read before, was already reported. */
static int c_entry(hr_jr *jr, cloudwatch *c, const hr_jr_val *v, int is_time)
{
    hr_ingest *ig = hr_jr_ingest(jr);
    size_t i = is_time ? c->nt : c->nv;
    int bad;
    const char *why = NULL;
    if (is_time) {
        if (grow((void **)&c->t, &c->tbad, c->nt, &c->tcap, sizeof *c->t))
            return hr_jr_oom(ig);
        bad = hr_jr_time(ig, v, 0, &c->t[i], &why) != 0;
        c->tbad[c->nt++] = (unsigned char)bad;
    } else {
        if (grow((void **)&c->v, &c->vbad, c->nv, &c->vcap, sizeof *c->v))
            return hr_jr_oom(ig);
        bad = hr_jr_value(ig, v, &c->v[i], &why) < 0;
        c->vbad[c->nv++] = (unsigned char)bad;
    }
    int partner_bad = is_time ? c->has_v && i < c->nv && c->vbad[i] : c->has_t && i < c->nt && c->tbad[i];
    if (bad && !partner_bad) {
        char where[256];
        hr_jr_reject(ig, hr_jr_path(jr, 0, where, sizeof where), why, v);
    }
    return 0;
}

/* Remembers the StatusCode of series bid (the last one wins: the CLI's
 * joined pages say PartialData on all but the last). */
static int note_status(hr_jr *jr, cloudwatch *c, long bid)
{
    size_t i = 0;
    while (i < c->nst && c->st[i].bid != bid)
        i++;
    if (i == c->nst) {
        if (c->nst == c->stcap) {
            size_t nc = c->stcap ? c->stcap * 2 : 16;
            status *p = realloc(c->st, nc * sizeof *p);
            if (!p)
                return hr_jr_oom(hr_jr_ingest(jr));
            c->st = p;
            c->stcap = nc;
        }
        c->st[c->nst++].bid = bid;
    }
    snprintf(c->st[i].code, sizeof c->st[i].code, "%s", c->code);
    char where[256];
    snprintf(c->st[i].where, sizeof c->st[i].where, "%s (Id %s)", hr_jr_path(jr, 0, where, sizeof where),
             c->id ? c->id : "?");
    return 0;
}

/* The end of a result: its key, then its (time, value) pairs. */
static int c_result(hr_jr *jr, cloudwatch *c)
{
    hr_ingest *ig = hr_jr_ingest(jr);
    hr_file_stats *st = hr_rd_stats(ig);
    char where[256];
    hr_jr_path(jr, 0, where, sizeof where);
    if (c->nt != c->nv)
        return hr_err_set(hr_rd_err(ig), HR_EINPUT,
                          "%s: %s: %zu Timestamps but %zu Values (the lists must be parallel)", hr_rd_path(ig), where,
                          c->nt, c->nv),
               -1;
    const char *name = c->label && c->label[0] ? c->label : c->id ? c->id : "";
    if (hr_jr_series_metric(&c->s, name, strlen(name)) ||
        (c->id && hr_jr_series_label(&c->s, "id", 2, c->id, strlen(c->id))))
        return hr_jr_oom(ig);
    if (hr_jr_series_resolve(ig, &c->s, where))
        return -1;
    for (size_t i = 0; i < c->nt; i++) {
        st->rows++;
        if (c->tbad[i] || c->vbad[i])
            st->bad++;
        else if (hr_jr_series_point(ig, &c->s, c->t[i], c->v[i]))
            return -1;
    }
    return c->code[0] ? note_status(jr, c, c->s.bid) : 0;
}

static int c_open(hr_jr *jr, int is_array, void *ud)
{
    cloudwatch *c = ud;
    hr_ingest *ig = hr_jr_ingest(jr);
    if (hr_jr_depth(jr) == 0) {
        if (!is_array)
            return C_TOP;
        return hr_err_set(hr_rd_err(ig), HR_EINPUT,
                          "%s: not a CloudWatch get-metric-data output (top level is not an object)", hr_rd_path(ig)),
               -1;
    }
    switch (hr_jr_role(jr)) {
    case C_TOP:
        if (is_array && hr_jr_key_is(jr, "MetricDataResults")) {
            c->has_list = 1;
            return C_LIST;
        }
        return is_array && hr_jr_key_is(jr, "Messages") ? C_MSGS : HR_JR_SKIP;
    case C_LIST:
        if (is_array)
            return HR_JR_SKIP;
        hr_jr_series_reset(&c->s);
        free(c->id);
        free(c->label);
        c->id = c->label = NULL;
        c->code[0] = '\0';
        c->nt = c->nv = 0;
        c->has_t = c->has_v = 0;
        return C_ELEM;
    case C_ELEM:
        if (!is_array)
            return HR_JR_SKIP;
        if (hr_jr_key_is(jr, "Timestamps")) {
            c->nt = 0;
            return C_TIMES;
        }
        if (hr_jr_key_is(jr, "Values")) {
            c->nv = 0;
            return C_VALUES;
        }
        return hr_jr_key_is(jr, "Messages") ? C_MSGS : HR_JR_SKIP;
    case C_MSGS:
        if (is_array)
            return HR_JR_SKIP;
        free(c->mcode);
        free(c->mtext);
        c->mcode = c->mtext = NULL;
        return C_MSG;
    case C_TIMES:
    case C_VALUES: { /* a list or object as an entry: a bad entry */
        hr_jr_val none = {HR_JR_FALSE, NULL, 0};
        if (c_entry(jr, c, &none, hr_jr_role(jr) == C_TIMES))
            return -1;
        return HR_JR_SKIP;
    }
    default:
        return HR_JR_SKIP;
    }
}

static int c_scalar(hr_jr *jr, const hr_jr_val *v, void *ud)
{
    cloudwatch *c = ud;
    hr_ingest *ig = hr_jr_ingest(jr);
    switch (hr_jr_role(jr)) {
    case HR_JR_SKIP:
        return hr_err_set(hr_rd_err(ig), HR_EINPUT,
                          "%s: not a CloudWatch get-metric-data output (top level is not an object)", hr_rd_path(ig)),
               -1;
    case C_TIMES:
        return c_entry(jr, c, v, 1);
    case C_VALUES:
        return c_entry(jr, c, v, 0);
    case C_TOP:
        if (hr_jr_key_is(jr, "NextToken") && v->type == HR_JR_STRING && v->len)
            c->next_token = 1;
        return 0;
    case C_ELEM:
        if (v->type != HR_JR_STRING)
            return 0;
        if (hr_jr_key_is(jr, "Id"))
            return hr_jr_dup(&c->id, v) ? hr_jr_oom(ig) : 0;
        if (hr_jr_key_is(jr, "Label"))
            return hr_jr_dup(&c->label, v) ? hr_jr_oom(ig) : 0;
        if (hr_jr_key_is(jr, "StatusCode"))
            hr_jr_copy(c->code, sizeof c->code, v);
        return 0;
    case C_MSG:
        if (v->type == HR_JR_STRING && hr_jr_key_is(jr, "Code"))
            return hr_jr_dup(&c->mcode, v) ? hr_jr_oom(ig) : 0;
        if (v->type == HR_JR_STRING && hr_jr_key_is(jr, "Value"))
            return hr_jr_dup(&c->mtext, v) ? hr_jr_oom(ig) : 0;
        return 0;
    default:
        return 0;
    }
}

static int c_close(hr_jr *jr, int role, void *ud)
{
    cloudwatch *c = ud;
    hr_ingest *ig = hr_jr_ingest(jr);
    char where[256];
    switch (role) {
    case C_TIMES:
        c->has_t = 1;
        return 0;
    case C_VALUES:
        c->has_v = 1;
        return 0;
    case C_MSG:
        hr_rd_warn(ig, "%s: %s: CloudWatch says: %s%s%s", hr_rd_path(ig), hr_jr_path(jr, 0, where, sizeof where),
                   c->mcode ? c->mcode : "", c->mcode && c->mtext ? ": " : "", c->mtext ? c->mtext : "");
        return 0;
    case C_ELEM:
        return c_result(jr, c);
    case C_TOP:
        if (!c->has_list)
            return hr_err_set(hr_rd_err(ig), HR_EINPUT,
                              "%s: not a CloudWatch get-metric-data output (no \"MetricDataResults\" list)",
                              hr_rd_path(ig)),
                   -1;
        for (size_t i = 0; i < c->nst; i++)
            if (strcmp(c->st[i].code, "Complete") != 0)
                hr_rd_warn(ig, "%s: %s: StatusCode %s: points of this result may be missing", hr_rd_path(ig),
                           c->st[i].where, c->st[i].code);
        if (c->next_token)
            hr_rd_warn(ig,
                       "%s: NextToken present: this is one page of a longer answer and only it is read (the AWS "
                       "CLI joins all pages unless --no-paginate or --max-items is given)",
                       hr_rd_path(ig));
        return 0;
    default:
        return 0;
    }
}

int hr_read_cloudwatch(hr_ingest *ig, FILE *fp)
{
    static const hr_jr_ops OPS = {c_open, c_scalar, c_close};
    cloudwatch c;
    memset(&c, 0, sizeof c);
    hr_jr_series_init(&c.s);
    int rc = hr_jr_parse(ig, fp, &OPS, &c);
    hr_jr_series_clear(&c.s);
    free(c.id);
    free(c.label);
    free(c.t);
    free(c.v);
    free(c.tbad);
    free(c.vbad);
    free(c.mcode);
    free(c.mtext);
    free(c.st);
    return rc;
}
