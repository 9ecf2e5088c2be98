/* cli.c -- what the command-line files share (main.c, cli_analyze.c):
 * messages and their verbosity, usage errors, the exit-code text, input
 * and --tz checks, atomic output files. Part of the headroom program, not
 * of the library the tests link. */
#include "cli.h"

#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fileio.h"

int verbosity = 1; /* 0 = -q, 1 = default, 2 = -v, 3 = -vv */

void say(int level, const char *fmt, ...)
{
    static const char *names[] = {"error", "warning", "info", "debug"};
    int need = level == HR_DIAG_ERROR ? 0 : level == HR_DIAG_WARN ? 1 : level == HR_DIAG_INFO ? 2 : 3;
    if (need > verbosity)
        return;
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "headroom: %s: ", names[level < 4 ? level : 3]);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
}

void on_diag(int level, const char *msg, void *ud)
{
    (void)ud;
    say(level, "%s", msg);
}

/* The progress line, only when stderr is a terminal. */
void on_progress(size_t i, size_t n, const char *what, void *ud)
{
    (void)ud;
    if (i < n)
        fprintf(stderr, "\rheadroom: reading %s (%zu/%zu)\033[K", what, i + 1, n);
    else
        fprintf(stderr, "\rheadroom: writing %s\033[K", what);
}

int fail(const hr_err *err)
{
    say(HR_DIAG_ERROR, "%s", err->msg);
    return err->code ? err->code : HR_ESOFTWARE;
}

int usage_error(const char *cmd, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "headroom: error: ");
    vfprintf(stderr, fmt, ap);
    if (cmd)
        fprintf(stderr, "\nheadroom: error: try 'headroom %s --help'\n", cmd);
    else
        fprintf(stderr, "\nheadroom: error: try 'headroom --help'\n");
    va_end(ap);
    return HR_EUSAGE;
}

/* The message for getopt's '?' or ':' result. */
int bad_option(const char *cmd, char **argv)
{
    const char *arg = argv[optind - 1];
    if (optopt && strncmp(arg, "--", 2) != 0)
        return usage_error(cmd, "option '-%c' %s", optopt,
                           strchr("sfo", optopt) ? "requires an argument" : "is unknown");
    if (strchr(arg, '='))
        return usage_error(cmd, "option '%.*s' takes no argument", (int)(strchr(arg, '=') - arg), arg);
    if (optopt)
        return usage_error(cmd, "option '%s' requires an argument", arg);
    return usage_error(cmd, "unknown option '%s'", arg);
}

const char exit_codes[] =
    "Exit codes:\n"
    "  0   success\n"
    "  2   run: reports published, but input files were skipped (on_bad_file =\n"
    "      skip); the reports' Data problems section names them\n"
    "  64  usage error (bad command line)\n"
    "  65  bad input data (the message names file:line:column), a corrupt store\n"
    "  66  an input file or the store is missing, unreadable or not a regular file\n"
    "  70  internal error (a bug: please report it)\n"
    "  73  cannot create an output file or directory\n"
    "  74  I/O error\n"
    "  75  another headroom run holds the store's lock; try again later\n"
    "  78  bad configuration\n";

/* True when every path can be read ("-": standard input); else says
 * which cannot. */
int readable(char *const *paths, int n)
{
    for (int i = 0; i < n; i++)
        if (strcmp(paths[i], "-") != 0 && access(paths[i], R_OK) != 0) {
            say(HR_DIAG_ERROR, "%s: cannot read: %s", paths[i], strerror(errno));
            return 0;
        }
    return 1;
}

/* The usage error of an unknown --format, naming the known ones. */
int bad_format(const char *cmd, const char *name)
{
    char names[256];
    return usage_error(cmd, "unknown format '%s' (want %s)", name, hr_format_list(names, sizeof names));
}

/* The zone of --tz (NULL: UTC), freed by main() after the command. */
hr_tz *opt_tz;

/* Opens --tz ZONE for cmd: a zone the tzdata lacks is a usage error. */
int tz_option(const char *cmd, const char *zone)
{
    hr_err err = {0};
    hr_tz_free(opt_tz);
    opt_tz = NULL;
    if (hr_tz_open(zone, &opt_tz, &err))
        return err.code == HR_EUSAGE ? usage_error(cmd, "--tz: %s", err.msg) : fail(&err);
    return 0;
}

/* Parses "24" or "24,168" (or "0" for none) into periods. */
int parse_periods(const char *s, size_t *p, size_t *np)
{
    *np = 0;
    char *e;
    while (*s) {
        unsigned long v = strtoul(s, &e, 10);
        if (e == s || (*e && *e != ',') || *np >= 2 || v > 10000000)
            return -1;
        if (v == 1 || (v == 0 && *np))
            return -1;
        if (v)
            p[(*np)++] = v;
        s = *e ? e + 1 : e;
    }
    return 0;
}

/* Opens OUT (atomically through OUT.tmp) or stdout. */
FILE *open_out(const char *out, char *tmp, size_t size)
{
    if (!out)
        return stdout;
    snprintf(tmp, size, "%s.tmp", out);
    FILE *fp = fopen(tmp, "w");
    if (!fp)
        say(HR_DIAG_ERROR, "%s: cannot create: %s", tmp, strerror(errno));
    return fp;
}

int close_out(FILE *fp, const char *out, const char *tmp, int rc)
{
    hr_err err = {0};
    if (!out) {
        if (fflush(stdout) != 0 && rc == HR_OK) {
            say(HR_DIAG_ERROR, "stdout: write failed");
            rc = HR_EIO;
        }
        return rc;
    }
    int bad = ferror(fp) | fflush(fp);
    fclose(fp);
    if (rc == HR_OK && bad) {
        say(HR_DIAG_ERROR, "%s: write failed", tmp);
        rc = HR_EIO;
    }
    if (rc == HR_OK && hr_file_commit(tmp, out, &err))
        rc = fail(&err);
    if (rc)
        unlink(tmp);
    return rc;
}

