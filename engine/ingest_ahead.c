/* ingest_ahead.c -- reading ahead: the files that the parallel long-CSV
 * reader (read_csv_par.c) does not take, whose reader is one thread
 * (every JSON layout, InfluxDB, OpenMetrics, VictoriaMetrics, a Grafana
 * wide CSV, anything gzipped), are read on a second thread while the
 * main thread reads the others, so that a night of a 2.4 GB long CSV, a
 * wide CSV and a 0.7 GB Prometheus export is not the sum of the reads.
 * With no long CSV at all, every other file is read ahead. Which thread
 * reads a file is decided from its head (hr_ingest_par_csv), a guess
 * that changes only the time taken, never the result.
 *
 * Each file read ahead gets an accumulator of its own and its messages
 * are kept, not printed. When the main thread comes to the file in input
 * order it waits for it (hr_ahead_take), prints its messages through its
 * own diag callback, and absorbs the file's series: builders are created
 * in the order the file first named them, its samples appended after
 * those of the files before it, its earliest and latest samples named by
 * this file's number. So the accumulator ends as reading every file in
 * order on one thread leaves it, and the messages come in the same order:
 * the store and every line printed are the same at any thread count.
 *
 * One thread reads ahead, the files in order. Memory: a file read ahead
 * holds its samples until absorbed, as the accumulator would have; the
 * arrays of series new to the accumulator move without a copy. */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "ingest_int.h"

typedef struct msgrec {
    int level;
    char *text;
} msgrec;

typedef struct ahead_file {
    int side;            /* read ahead (else by the main thread) */
    int done;            /* read (guarded by the mutex) */
    hr_ingest *ig;       /* its accumulator */
    int rc;
    hr_file_stats st;
    hr_err err;
    msgrec *m;
    size_t nm, mcap;
    int m_oom;           /* a message could not be kept */
} ahead_file;

struct hr_ahead {
    pthread_mutex_t mu;
    pthread_cond_t cv;
    pthread_t th;
    int stop;            /* the main thread gave up: read no more */
    char *const *files;
    size_t nfiles;
    hr_ingest_opts o;
    ahead_file *f;
};

static void keep_msg(int level, const char *msg, void *ud)
{
    ahead_file *f = ud;
    if (f->m_oom)
        return;
    if (f->nm == f->mcap) {
        size_t c = f->mcap ? 2 * f->mcap : 16;
        msgrec *m = realloc(f->m, c * sizeof *m);
        if (!m) {
            f->m_oom = 1;
            return;
        }
        f->m = m;
        f->mcap = c;
    }
    char *t = strdup(msg);
    if (!t) {
        f->m_oom = 1;
        return;
    }
    f->m[f->nm++] = (msgrec){level, t};
}

static void *reader(void *arg)
{
    hr_ahead *a = arg;
    for (size_t i = 0; i < a->nfiles; i++) {
        ahead_file *f = &a->f[i];
        if (!f->side)
            continue;
        pthread_mutex_lock(&a->mu);
        int stop = a->stop;
        pthread_mutex_unlock(&a->mu);
        if (stop)
            break;
        hr_ingest_opts o = a->o;
        o.diag = keep_msg;
        o.diag_ud = f;
        f->ig = hr_ingest_alloc(&o);
        if (!f->ig)
            f->rc = hr_err_set(&f->err, HR_ESOFTWARE, "out of memory");
        else
            f->rc = hr_ingest_file(f->ig, a->files[i], &f->st, &f->err);
        if (f->rc == HR_OK && f->m_oom)
            f->rc = hr_err_set(&f->err, HR_ESOFTWARE, "out of memory keeping the messages of %s", a->files[i]);
        pthread_mutex_lock(&a->mu);
        f->done = 1;
        pthread_cond_broadcast(&a->cv);
        pthread_mutex_unlock(&a->mu);
    }
    return NULL;
}

hr_ahead *hr_ahead_start(char *const *files, size_t nfiles, const hr_ingest_opts *o, int threads)
{
    if (threads < 2 || nfiles < 2)
        return NULL;
    int *side = calloc(nfiles, sizeof *side);
    if (!side)
        return NULL;
    /* the files the parallel long-CSV reader takes stay on this thread,
     * the others are read ahead; with none of the first kind, every
     * other one is (two JSON exports, read two at a time) */
    size_t nside = 0, npar = 0;
    for (size_t i = 0; i < nfiles; i++) {
        side[i] = !hr_ingest_par_csv(o, files[i]);
        npar += (size_t)!side[i];
    }
    for (size_t i = 0, k = 0; i < nfiles; i++) {
        if (!npar && side[i])
            side[i] = k++ % 2;
        nside += (size_t)side[i];
    }
    /* worth a thread only with something to read beside it */
    if (nside == 0 || nside == nfiles) {
        free(side);
        return NULL;
    }
    hr_ahead *a = calloc(1, sizeof *a);
    if (a)
        a->f = calloc(nfiles, sizeof *a->f);
    if (!a || !a->f) {
        free(side);
        if (a)
            free(a->f);
        free(a);
        return NULL;
    }
    for (size_t i = 0; i < nfiles; i++)
        a->f[i].side = side[i];
    free(side);
    a->files = files;
    a->nfiles = nfiles;
    a->o = *o;
    pthread_mutex_init(&a->mu, NULL);
    pthread_cond_init(&a->cv, NULL);
    if (pthread_create(&a->th, NULL, reader, a) != 0) {
        /* no thread: every file is read on the main thread, as before */
        pthread_mutex_destroy(&a->mu);
        pthread_cond_destroy(&a->cv);
        free(a->f);
        free(a);
        return NULL;
    }
    return a;
}

int hr_ahead_has(const hr_ahead *a, size_t i) { return a && i < a->nfiles && a->f[i].side; }

/* Absorbs the accumulator s of file path into ig (see the banner).
 * Returns 0 or -1 (out of memory). */
static int absorb(hr_ingest *ig, hr_ingest *s, const char *path)
{
    char **fp = realloc(ig->fpath, (ig->nfpath + 1) * sizeof *fp);
    if (!fp)
        return -1;
    ig->fpath = fp;
    if (!(ig->fpath[ig->nfpath] = strdup(path)))
        return -1;
    ig->nfpath++;
    ig->file_gen++;
    for (size_t k = 0; k < s->nb; k++) {
        builder *sb = &s->b[k];
        long id = hr_ig_builder(ig, sb->key, strlen(sb->key));
        if (id < 0)
            return -1; /* -2 (not UTF-8) cannot be: the file's reader checked the key */
        builder *b = &ig->b[id];
        if (sb->kind == HR_COUNTER)
            b->kind = HR_COUNTER;
        if (!sb->n)
            continue;
        if (!b->smp) {
            b->smp = sb->smp;
            b->n = sb->n;
            b->cap = sb->cap;
            sb->smp = NULL;
            sb->n = sb->cap = 0;
        } else {
            if (b->n + sb->n > b->cap) {
                size_t nc = b->n + sb->n;
                hr_rawpt *p = realloc(b->smp, nc * sizeof *p);
                if (!p)
                    return -1;
                b->smp = p;
                b->cap = nc;
            }
            memcpy(b->smp + b->n, sb->smp, sb->n * sizeof *sb->smp);
            b->n += sb->n;
        }
        /* the earliest first, then the latest: the first of equal times
         * stays, as it does sample by sample */
        hr_ig_extent(b, ig->file_gen, sb->tmin, sb->lmin);
        hr_ig_extent(b, ig->file_gen, sb->tmax, sb->lmax);
        b->file_gen = ig->file_gen;
    }
    return 0;
}

int hr_ahead_take(hr_ahead *a, size_t i, hr_ingest *ig, hr_file_stats *st, hr_err *err)
{
    ahead_file *f = &a->f[i];
    pthread_mutex_lock(&a->mu);
    while (!f->done)
        pthread_cond_wait(&a->cv, &a->mu);
    pthread_mutex_unlock(&a->mu);
    for (size_t k = 0; k < f->nm; k++)
        hr_ig_diag(ig, f->m[k].level, "%s", f->m[k].text);
    *st = f->st;
    int rc = f->rc;
    if (rc != HR_OK)
        *err = f->err;
    else if (absorb(ig, f->ig, a->files[i]))
        rc = hr_err_set(err, HR_ESOFTWARE, "out of memory");
    for (size_t k = 0; k < f->nm; k++)
        free(f->m[k].text);
    free(f->m);
    f->m = NULL;
    f->nm = 0;
    hr_ingest_free(f->ig);
    f->ig = NULL;
    return rc;
}

void hr_ahead_stop(hr_ahead *a)
{
    if (!a)
        return;
    pthread_mutex_lock(&a->mu);
    a->stop = 1;
    pthread_mutex_unlock(&a->mu);
    pthread_join(a->th, NULL);
    for (size_t i = 0; i < a->nfiles; i++) {
        for (size_t k = 0; k < a->f[i].nm; k++)
            free(a->f[i].m[k].text);
        free(a->f[i].m);
        hr_ingest_free(a->f[i].ig);
    }
    pthread_mutex_destroy(&a->mu);
    pthread_cond_destroy(&a->cv);
    free(a->f);
    free(a);
}
