/* prevrun.c -- see prevrun.h. */
#include "prevrun.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <yajl/yajl_parse.h>

#include "timefmt.h"


/* ---- a streaming reader of the few members compared ----
 *
 * The previous capacity.json is mostly chart arrays (about 100 MB at
 * 10,000 series); building its tree with jansson took longer than
 * analysing a block of series. yajl reads it as a stream instead, and
 * only these members are kept, as jansson's json_object_get would see
 * them (the last of duplicate names wins; a member that is not a string
 * reads as absent):
 *   actions[].{id, rule, title, first_seen}    (both files)
 *   resources[].{series, saturation.p50}       (capacity.json)
 *   incidents[].{origin, start, end, id}       (problems.json)
 * depth counts the open containers: the top-level object's members are
 * read at depth 1, a list's elements at 2, an element's members at 3 and
 * saturation's at 4. */

#define PR_CHUNK 65536
enum { L_NONE, L_ACTIONS, L_RESOURCES, L_INCIDENTS };
enum { F_ID, F_RULE, F_TITLE, F_FIRST, F_SERIES, F_P50, F_ORIGIN, F_START, F_END, NF };

typedef struct pr_parse {
    hr_prev_run *p;
    int report;      /* HR_REP_CAPACITY or HR_REP_PROBLEMS */
    int depth;       /* open containers */
    int top_object;  /* the document is an object */
    int list;        /* the depth-1 member being read (L_*) */
    int in_elem;     /* inside an element object of that list */
    int sat;         /* inside resources[].saturation */
    char key[3][16]; /* member names at depths 1, 3, 4 (longer: no match) */
    char *f[NF];     /* the element's fields so far */
    int oom;
    size_t cap_act, cap_sat, cap_inc;
} pr_parse;

static void set_key(char *k, const unsigned char *s, size_t n)
{
    if (n < 16) {
        memcpy(k, s, n);
        k[n] = '\0';
    } else {
        k[0] = '\0'; /* no member compared has a name this long */
    }
}

static int f_of(const pr_parse *q, const char *key)
{
    static const struct {
        int list;
        const char *name;
        int f;
    } map[] = {{L_ACTIONS, "id", F_ID},          {L_ACTIONS, "rule", F_RULE},    {L_ACTIONS, "title", F_TITLE},
               {L_ACTIONS, "first_seen", F_FIRST}, {L_RESOURCES, "series", F_SERIES}, {L_INCIDENTS, "origin", F_ORIGIN},
               {L_INCIDENTS, "start", F_START},  {L_INCIDENTS, "end", F_END},    {L_INCIDENTS, "id", F_ID}};
    for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
        if (map[i].list == q->list && strcmp(map[i].name, key) == 0)
            return map[i].f;
    return -1;
}

static void fields_clear(pr_parse *q)
{
    for (int i = 0; i < NF; i++) {
        free(q->f[i]);
        q->f[i] = NULL;
    }
}

/* A value at the current place that is not a string: the member reads as
 * absent, as json_string_value gives NULL for it. */
static int pr_field(pr_parse *q, const unsigned char *s, size_t n)
{
    int f = -1;
    if (q->in_elem && q->depth == 3)
        f = f_of(q, q->key[1]);
    else if (q->in_elem && q->sat && q->depth == 4 && strcmp(q->key[2], "p50") == 0)
        f = F_P50;
    if (f < 0)
        return 1;
    free(q->f[f]);
    q->f[f] = NULL;
    if (s && !(q->f[f] = strndup((const char *)s, n))) {
        q->oom = 1;
        return 0;
    }
    return 1;
}

static int64_t ftime(const char *s)
{
    int64_t t;
    const char *why = NULL;
    if (!s || hr_time_parse(s, strlen(s), &t, &why) != 0)
        return -1;
    return t;
}

/* grows *v (n used, *cap slots of size sz) by one; 0 when out of memory */
static int grow(void **v, size_t n, size_t *cap, size_t sz)
{
    if (n < *cap)
        return 1;
    size_t c = *cap ? 2 * *cap : 64;
    void *t = realloc(*v, c * sz);
    if (!t)
        return 0;
    *v = t;
    *cap = c;
    return 1;
}

/* An element of a list closes: keep it as hr_prev_run_load always has. */
static void pr_commit(pr_parse *q)
{
    hr_prev_run *p = q->p;
    if (q->list == L_ACTIONS && q->f[F_ID]) {
        if (!grow((void **)&p->act, p->nact, &q->cap_act, sizeof *p->act)) {
            q->oom = 1;
            return;
        }
        hr_prev_action *x = &p->act[p->nact++];
        x->id = q->f[F_ID];
        x->rule = q->f[F_RULE];
        x->title = q->f[F_TITLE];
        x->first_seen_ms = ftime(q->f[F_FIRST]);
        x->report = q->report;
        q->f[F_ID] = q->f[F_RULE] = q->f[F_TITLE] = NULL;
    } else if (q->list == L_RESOURCES && q->f[F_SERIES]) {
        if (!grow((void **)&p->sat, p->nsat, &q->cap_sat, sizeof *p->sat)) {
            q->oom = 1;
            return;
        }
        hr_prev_sat *x = &p->sat[p->nsat++];
        x->series = q->f[F_SERIES];
        x->p50_ms = ftime(q->f[F_P50]);
        q->f[F_SERIES] = NULL;
    } else if (q->list == L_INCIDENTS && q->f[F_ORIGIN]) {
        if (!grow((void **)&p->inc, p->ninc, &q->cap_inc, sizeof *p->inc)) {
            q->oom = 1;
            return;
        }
        hr_prev_incident *x = &p->inc[p->ninc++];
        x->origin = q->f[F_ORIGIN];
        x->id = q->f[F_ID];
        x->start_ms = ftime(q->f[F_START]);
        x->end_ms = ftime(q->f[F_END]);
        q->f[F_ORIGIN] = q->f[F_ID] = NULL;
    }
    fields_clear(q);
}

static int pr_open(pr_parse *q, int is_map)
{
    if (q->depth == 0)
        q->top_object = is_map;
    else if (q->depth == 1)
        q->list = L_NONE; /* a list of the wanted ones is set on its key */
    if (q->depth == 2 && q->list != L_NONE && is_map) {
        q->in_elem = 1;
        fields_clear(q);
    }
    if (q->depth == 3 && q->in_elem && q->list == L_RESOURCES && strcmp(q->key[1], "saturation") == 0 && is_map)
        q->sat = 1;
    if (q->depth == 1 && !is_map)
        q->list = strcmp(q->key[0], "actions") == 0     ? L_ACTIONS
                  : strcmp(q->key[0], "resources") == 0 ? (q->report == HR_REP_CAPACITY ? L_RESOURCES : L_NONE)
                  : strcmp(q->key[0], "incidents") == 0 ? (q->report == HR_REP_PROBLEMS ? L_INCIDENTS : L_NONE)
                                                         : L_NONE;
    if (!pr_field(q, NULL, 0)) /* a container where a string was wanted */
        return 0;
    q->depth++;
    return 1;
}

static int pr_close(pr_parse *q)
{
    q->depth--;
    if (q->depth == 3)
        q->sat = 0;
    if (q->depth == 2 && q->in_elem) {
        pr_commit(q);
        q->in_elem = 0;
    }
    if (q->depth == 1)
        q->list = L_NONE;
    return !q->oom;
}

static int cb_null(void *u) { return pr_field(u, NULL, 0); }
static int cb_bool(void *u, int b)
{
    (void)b;
    return pr_field(u, NULL, 0);
}
static int cb_number(void *u, const char *s, size_t n)
{
    (void)s, (void)n;
    return pr_field(u, NULL, 0);
}
static int cb_string(void *u, const unsigned char *s, size_t n) { return pr_field(u, s, n); }
static int cb_start_map(void *u) { return pr_open(u, 1); }
static int cb_end_map(void *u) { return pr_close(u); }
static int cb_start_array(void *u) { return pr_open(u, 0); }
static int cb_end_array(void *u) { return pr_close(u); }
static int cb_key(void *u, const unsigned char *s, size_t n)
{
    pr_parse *q = u;
    if (q->depth == 1)
        set_key(q->key[0], s, n);
    else if (q->depth == 3)
        set_key(q->key[1], s, n);
    else if (q->depth == 4)
        set_key(q->key[2], s, n);
    return 1;
}

static const yajl_callbacks PR_CB = {cb_null,      cb_bool,    NULL,           NULL,        cb_number,
                                     cb_string,    cb_start_map, cb_key,       cb_end_map,  cb_start_array,
                                     cb_end_array};

/* Reads dir/name into p. HR_ENOINPUT: unreadable; HR_EINPUT:
 * "path:line:column: message" for malformed JSON, "path: not a headroom
 * report" for a document that is not an object; HR_ESOFTWARE: out of
 * memory. */
static int load(const char *dir, const char *name, int report, hr_prev_run *p, hr_err *err)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *fp = fopen(path, "r");
    if (!fp)
        return hr_err_set(err, errno == ENOMEM ? HR_ESOFTWARE : HR_ENOINPUT, "%s: cannot read: %s", path,
                          strerror(errno));
    pr_parse q;
    memset(&q, 0, sizeof q);
    q.p = p;
    q.report = report;
    q.cap_act = p->nact; /* the arrays were sized exactly so far */
    q.cap_sat = p->nsat;
    q.cap_inc = p->ninc;
    unsigned char *buf = malloc(PR_CHUNK);
    yajl_handle h = buf ? yajl_alloc(&PR_CB, NULL, &q) : NULL;
    int rc = HR_OK;
    if (!h) {
        free(buf);
        fclose(fp);
        return hr_err_set(err, HR_ESOFTWARE, "out of memory reading %s", path);
    }
    unsigned long line = 1, col = 1;
    for (;;) {
        size_t n = fread(buf, 1, PR_CHUNK, fp);
        if (!n && ferror(fp)) {
            rc = hr_err_set(err, HR_ENOINPUT, "%s: cannot read: %s", path, strerror(errno));
            break;
        }
        yajl_status ys = n ? yajl_parse(h, buf, n) : yajl_complete_parse(h);
        if (q.oom) {
            rc = hr_err_set(err, HR_ESOFTWARE, "out of memory reading %s", path);
            break;
        }
        if (ys != yajl_status_ok) {
            /* line and column of the offending byte, counted up to it */
            size_t off = n ? yajl_get_bytes_consumed(h) : 0;
            for (size_t i = 0; i + 1 < off && i < n; i++) {
                if (buf[i] == '\n')
                    line++, col = 1;
                else
                    col++;
            }
            unsigned char *m = yajl_get_error(h, 0, buf, n);
            char msg[256];
            snprintf(msg, sizeof msg, "%s", m ? (const char *)m : "malformed JSON");
            if (m)
                yajl_free_error(h, m);
            size_t k = strlen(msg);
            while (k && (msg[k - 1] == '\n' || msg[k - 1] == ' '))
                msg[--k] = '\0';
            rc = hr_err_set(err, HR_EINPUT, "%s:%lu:%lu: %s", path, line, col, msg);
            break;
        }
        if (!n)
            break;
        for (size_t i = 0; i < n; i++) {
            if (buf[i] == '\n')
                line++, col = 1;
            else
                col++;
        }
    }
    yajl_free(h);
    free(buf);
    fclose(fp);
    fields_clear(&q);
    if (rc == HR_OK && !q.top_object)
        rc = hr_err_set(err, HR_EINPUT, "%s: not a headroom report (want a JSON object)", path);
    return rc;
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
    if (!(p->stamp = strndup(dir + b, len - b)))
        return hr_err_set(err, HR_ESOFTWARE, "out of memory reading %s", dir);
    int rc = load(dir, "capacity.json", HR_REP_CAPACITY, p, err);
    if (rc == HR_OK)
        rc = load(dir, "problems.json", HR_REP_PROBLEMS, p, err);
    if (rc) {
        hr_prev_run_clear(p);
        return rc;
    }
    if (p->nsat)
        qsort(p->sat, p->nsat, sizeof *p->sat, cmp_sat);
    return HR_OK;
}
