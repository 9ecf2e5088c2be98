/* cli.h -- shared by the command-line files (engine/main.c and
 * engine/cli_*.c), which alone print; see cli.c. */
#ifndef HR_CLI_H
#define HR_CLI_H

#include <stddef.h>
#include <stdio.h>

#include "err.h"
#include "ingest.h"
#include "tz.h"

extern int verbosity; /* 0 = -q, 1 = default, 2 = -v, 3 = -vv */
extern const char exit_codes[]; /* the exit-code text of every --help */
extern hr_tz *opt_tz;           /* the zone of --tz (NULL: UTC), freed by main() */
enum { OPT_TZ = 256 };          /* getopt value of --tz in every command */

/* "headroom: LEVEL: text" on stderr, by verbosity. */
void say(int level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* The ingest diag and progress callbacks. */
void on_diag(int level, const char *msg, void *ud);
void on_progress(size_t i, size_t n, const char *what, void *ud);
/* Says err and returns its code (70 when it has none). */
int fail(const hr_err *err);
/* A usage error of cmd (NULL: the program): the message, a hint, 64. */
int usage_error(const char *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* The message for getopt's '?' or ':' result. */
int bad_option(const char *cmd, char **argv);
/* True when every path can be read ("-": standard input); else says which. */
int readable(char *const *paths, int n);
/* The usage error of an unknown --format, naming the known ones. */
int bad_format(const char *cmd, const char *name);
/* Opens --tz ZONE for cmd into opt_tz: a zone the tzdata lacks is 64. */
int tz_option(const char *cmd, const char *zone);
/* Parses "24" or "24,168" (or "0" for none) into periods; 0 or -1. */
int parse_periods(const char *s, size_t *p, size_t *np);
/* OUT written atomically through OUT.tmp, or stdout when out is NULL:
 * open_out returns the stream (NULL: said); close_out commits it and
 * returns rc, or the write error. */
FILE *open_out(const char *out, char *tmp, size_t size);
int close_out(FILE *fp, const char *out, const char *tmp, int rc);

/* The analysis commands (cli_analyze.c): usage texts and commands. */
int cmd_changepoints(int argc, char **argv);
int cmd_forecast(int argc, char **argv);  /* cli_forecast.c */
int cmd_backtest(int argc, char **argv);  /* cli_forecast.c */
int cmd_detect(int argc, char **argv);
int cmd_capacity(int argc, char **argv);

#endif
