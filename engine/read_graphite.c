/* read_graphite.c -- Graphite's render?format=json output, read as a
 * stream (jsonrd.h):
 *   [{"target":"servers.web1.cpu.user","tags":{"name":"servers.web1.cpu.user"},
 *     "datapoints":[[12.5,1717200000],[null,1717200060],...]}, ...]
 * datapoints are [value, epoch seconds]; a null value is a gap (NaN:
 * Graphite writes one per step without data, so the series keeps its
 * grid). Series key: the target as written, dots kept; but when "tags"
 * (Graphite 1.1) holds tags besides "name", as a tagged series does
 * ("disk.used;dc=eu;server=web01" has tags {"name":"disk.used","dc":"eu",
 * "server":"web01"}), the key is tags.name with the other tags as labels,
 * disk.used{dc="eu",server="web01"}, as a Prometheus export of the same
 * data would be keyed. A target missing falls back to tags.name. Members
 * in any order (points wait for the key: see jsonrd.h). */
#include <stdlib.h>
#include <string.h>

#include "jsonrd.h"

enum {
    G_LIST = 1, /* the top-level list */
    G_ELEM,     /* one series */
    G_TAGS      /* its "tags" */
};

typedef struct graphite {
    hr_jr_series s;
    char *target, *tagname;
    int has_tags;
} graphite;

static const char PAIR[] = "expected [value, time]";

static int not_graphite(hr_ingest *ig)
{
    return hr_err_set(hr_rd_err(ig), HR_EINPUT, "%s: not a Graphite render?format=json output (top level is not a list)",
                      hr_rd_path(ig)),
           -1;
}

static int resolve(hr_jr *jr, graphite *g, size_t up)
{
    hr_ingest *ig = hr_jr_ingest(jr);
    char where[256];
    const char *name = g->s.nlab && g->tagname ? g->tagname : g->target ? g->target : g->tagname;
    if (!g->s.nlab && !g->target && !g->tagname) {
        hr_jr_path(jr, up, where, sizeof where);
        return hr_err_set(hr_rd_err(ig), HR_EINPUT, "%s: %s: no \"target\"", hr_rd_path(ig), where), -1;
    }
    if (name && hr_jr_series_metric(&g->s, name, strlen(name)))
        return hr_jr_oom(ig);
    return hr_jr_series_resolve(ig, &g->s, hr_jr_path(jr, up, where, sizeof where));
}

static int g_open(hr_jr *jr, int is_array, void *ud)
{
    graphite *g = ud;
    if (hr_jr_depth(jr) == 0)
        return is_array ? G_LIST : not_graphite(hr_jr_ingest(jr));
    switch (hr_jr_role(jr)) {
    case G_LIST:
        if (is_array)
            return HR_JR_SKIP;
        hr_jr_series_reset(&g->s);
        free(g->target);
        free(g->tagname);
        g->target = g->tagname = NULL;
        g->has_tags = 0;
        return G_ELEM;
    case G_ELEM:
        if (!is_array && hr_jr_key_is(jr, "tags")) {
            g->has_tags = 1;
            return G_TAGS;
        }
        if (!is_array || !hr_jr_key_is(jr, "datapoints"))
            return HR_JR_SKIP;
        hr_jr_points(jr, &g->s, 1, 1.0, PAIR);
        return HR_JR_POINTS;
    default:
        return HR_JR_SKIP;
    }
}

static int g_scalar(hr_jr *jr, const hr_jr_val *v, void *ud)
{
    graphite *g = ud;
    hr_ingest *ig = hr_jr_ingest(jr);
    switch (hr_jr_role(jr)) {
    case HR_JR_SKIP:
        return not_graphite(ig);
    case G_ELEM:
        if (v->type == HR_JR_STRING && hr_jr_key_is(jr, "target"))
            return hr_jr_dup(&g->target, v) ? hr_jr_oom(ig) : 0;
        return 0;
    case G_TAGS: {
        if (v->type != HR_JR_STRING && v->type != HR_JR_NUMBER)
            return 0;
        size_t klen;
        const char *k = hr_jr_key(jr, &klen);
        if (klen == 4 && memcmp(k, "name", 4) == 0)
            return hr_jr_dup(&g->tagname, v) ? hr_jr_oom(ig) : 0;
        return hr_jr_series_label(&g->s, k, klen, v->s, v->len) ? hr_jr_oom(ig) : 0;
    }
    default:
        return 0;
    }
}

static int g_close(hr_jr *jr, int role, void *ud)
{
    graphite *g = ud;
    switch (role) {
    case G_TAGS: /* with the target known, the key is complete */
        return g->target && g->s.bid < 0 ? resolve(jr, g, 1) : 0;
    case G_ELEM:
        return g->s.bid < 0 ? resolve(jr, g, 0) : 0;
    default:
        return 0;
    }
}

int hr_read_graphite(hr_ingest *ig, FILE *fp)
{
    static const hr_jr_ops OPS = {g_open, g_scalar, g_close};
    graphite g;
    memset(&g, 0, sizeof g);
    hr_jr_series_init(&g.s);
    int rc = hr_jr_parse(ig, fp, &OPS, &g);
    hr_jr_series_clear(&g.s);
    free(g.target);
    free(g.tagname);
    return rc;
}
