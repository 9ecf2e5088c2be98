/* outdir.c -- see outdir.h. */
#include "outdir.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fileio.h"

static void say(const hr_run_opts *o, int level, const char *msg)
{
    if (o->diag)
        o->diag(level, msg, o->diag_ud);
}

static int sync_dir(const char *d, hr_err *err);
static int rm_entry(const char *path, const struct stat *sb, int flag, struct FTW *ftw);

/* OUT/<stamp>: written into OUT/.<stamp>.partial, renamed when complete,
 * then OUT/latest is swapped with symlink + rename. */
int hr_outdir_publish(const hr_report *rep, const char *out, const char *stamp, char *dir, size_t size,
                      hr_err *err)
{
    int rc = hr_mkdirs(out, err);
    if (rc)
        return rc;
    char part[4096], final[4096], link_tmp[4096], link[4096];
    snprintf(final, sizeof final, "%s/%s", out, stamp);
    for (int k = 2; access(final, F_OK) == 0 && k < 1000; k++)
        snprintf(final, sizeof final, "%s/%s-%d", out, stamp, k);
    const char *base = strrchr(final, '/') + 1;
    snprintf(part, sizeof part, "%s/.%s.partial", out, base);
    if (mkdir(part, 0755) != 0 && errno != EEXIST)
        return hr_err_set(err, HR_ECANTCREAT, "%s: cannot create directory: %s", part, strerror(errno));
    rc = hr_report_write_all(rep, part, err);
    if (rc)
        return rc;
    if (rename(part, final) != 0)
        return hr_err_set(err, HR_ECANTCREAT, "%s: cannot rename to %s: %s", part, final, strerror(errno));
    snprintf(link_tmp, sizeof link_tmp, "%s/.latest.tmp", out);
    snprintf(link, sizeof link, "%s/latest", out);
    if ((rc = sync_dir(out, err)) == HR_OK) {
        unlink(link_tmp);
        if (symlink(base, link_tmp) != 0 || rename(link_tmp, link) != 0)
            rc = hr_err_set(err, HR_ECANTCREAT, "%s: cannot point at %s: %s", link, base, strerror(errno));
    }
    if (rc) {
        /* latest still points at the old folder: the new one goes back
         * under its partial name and away (what is left of it, the next
         * run removes), so a failed run leaves no report folder beside
         * latest that the next run would compare with or count */
        unlink(link_tmp);
        if (rename(final, part) == 0)
            (void)nftw(part, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
        return rc;
    }
    /* the renames are durable only once the folder holding them is: a
     * power loss must not take `latest` back, or away */
    if ((rc = sync_dir(out, err)))
        return rc;
    snprintf(dir, size, "%s", final);
    return HR_OK;
}

/* fsyncs directory d (its entries: renames and new files). */
static int sync_dir(const char *d, hr_err *err)
{
    int fd = open(d, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0)
        return hr_err_set(err, HR_EIO, "%s: cannot open the folder to sync it: %s", d, strerror(errno));
    int r = fsync(fd), e = errno;
    close(fd);
    if (r != 0 && e != EINVAL) /* some filesystems cannot sync a folder */
        return hr_err_set(err, HR_EIO, "%s: cannot sync the folder: %s", d, strerror(e));
    return HR_OK;
}

/* Holding the store's lock at the start of a run: the report folders a
 * killed run left half written (OUT/.<stamp>.partial) and its half-made
 * link (OUT/.latest.tmp) are removed, with what they hold. An output
 * folder belongs to one store, whose lock this run holds. Says how many. */
void hr_outdir_clean_partial(const char *out, const hr_run_opts *o)
{
    DIR *d = opendir(out);
    if (!d)
        return;
    size_t n = 0;
    char p[4096];
    for (struct dirent *e; (e = readdir(d)) != NULL;) {
        size_t len = strlen(e->d_name);
        if (e->d_name[0] != '.' || len < 10 || strcmp(e->d_name + len - 8, ".partial") != 0)
            continue;
        if (snprintf(p, sizeof p, "%s/%s", out, e->d_name) >= (int)sizeof p)
            continue;
        if (nftw(p, rm_entry, 16, FTW_DEPTH | FTW_PHYS) == 0)
            n++;
    }
    closedir(d);
    if (snprintf(p, sizeof p, "%s/.latest.tmp", out) < (int)sizeof p)
        unlink(p);
    if (n) {
        char msg[4200];
        snprintf(msg, sizeof msg, "%s: removed %zu report folder%s a killed run left half written", out, n,
                 n == 1 ? "" : "s");
        say(o, HR_DIAG_INFO, msg);
    }
}

/* The previous report folder: compare_dir, else the folder OUT/latest
 * points to (a name inside OUT, as publish makes it), else none (0). */
int hr_outdir_previous(const char *out, const char *compare_dir, char *b, size_t n)
{
    if (compare_dir) {
        snprintf(b, n, "%s", compare_dir);
        return 1;
    }
    char link[4096], target[4096];
    snprintf(link, sizeof link, "%s/latest", out);
    ssize_t k = readlink(link, target, sizeof target - 1);
    if (k <= 0)
        return 0;
    target[k] = '\0';
    int w = target[0] == '/' ? snprintf(b, n, "%s", target) : snprintf(b, n, "%s/%.*s", out, (int)k, target);
    return w > 0 && (size_t)w < n;
}

/* ---- [output] keep ---------------------------------------------------- */

/* Report folder names are UTC stamps, "-2", "-3"... on a clash: newest
 * first is the stamp descending, then the number descending. */
static int cmp_folder_newest_first(const void *pa, const void *pb)
{
    const char *a = *(const char *const *)pa, *b = *(const char *const *)pb;
    const char *da = strchr(a, '-'), *db = strchr(b, '-');
    size_t la = da ? (size_t)(da - a) : strlen(a), lb = db ? (size_t)(db - b) : strlen(b);
    int c = strncmp(a, b, la < lb ? la : lb);
    if (c == 0 && la != lb)
        c = la < lb ? -1 : 1;
    if (c == 0) {
        long ka = da ? strtol(da + 1, NULL, 10) : 1, kb = db ? strtol(db + 1, NULL, 10) : 1;
        c = (ka > kb) - (ka < kb);
    }
    if (c == 0)
        c = strcmp(a, b);
    return -c;
}

static int rm_entry(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
    (void)sb;
    (void)ftw;
    return flag == FTW_DP ? rmdir(path) : unlink(path);
}

/* Removes the report folders of out beyond the newest keep. A report
 * folder is a directory entry of out not starting with '.' (partial
 * folders) that holds a capacity.json; other files and folders are not
 * touched, nor the folder latest points to. Failures are warnings: the
 * run's reports are already published. */
void hr_outdir_prune(const char *out, long keep, const hr_run_opts *o)
{
    char msg[4600], path[4096], latest[4096] = "";
    snprintf(path, sizeof path, "%s/latest", out);
    ssize_t k = readlink(path, latest, sizeof latest - 1);
    latest[k > 0 ? k : 0] = '\0';
    DIR *d = opendir(out);
    if (!d) {
        snprintf(msg, sizeof msg, "%s: cannot list for [output] keep: %s", out, strerror(errno));
        say(o, HR_DIAG_WARN, msg);
        return;
    }
    char **names = NULL;
    size_t n = 0, cap = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        struct stat st;
        snprintf(path, sizeof path, "%s/%s/capacity.json", out, e->d_name);
        if (e->d_name[0] == '.' || strcmp(e->d_name, "latest") == 0 || lstat(path, &st) != 0 || !S_ISREG(st.st_mode))
            continue;
        snprintf(path, sizeof path, "%s/%s", out, e->d_name);
        if (lstat(path, &st) != 0 || !S_ISDIR(st.st_mode))
            continue;
        if (n == cap) {
            size_t nc = cap ? 2 * cap : 32;
            char **p = realloc(names, nc * sizeof *p);
            if (!p)
                break;
            names = p;
            cap = nc;
        }
        if ((names[n] = strdup(e->d_name)) != NULL)
            n++;
    }
    closedir(d);
    if (n)
        qsort(names, n, sizeof *names, cmp_folder_newest_first);
    for (size_t i = (size_t)keep; i < n; i++) {
        if (strcmp(names[i], latest) == 0)
            continue;
        snprintf(path, sizeof path, "%s/%s", out, names[i]);
        if (nftw(path, rm_entry, 16, FTW_DEPTH | FTW_PHYS) != 0) {
            snprintf(msg, sizeof msg, "%s: cannot remove ([output] keep = %ld): %s", path, keep, strerror(errno));
            say(o, HR_DIAG_WARN, msg);
        } else {
            snprintf(msg, sizeof msg, "removed %s ([output] keep = %ld)", path, keep);
            say(o, HR_DIAG_INFO, msg);
        }
    }
    for (size_t i = 0; i < n; i++)
        free(names[i]);
    free(names);
}
