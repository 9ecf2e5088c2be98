/* changes.h -- what changed since the last run: the actions raised, still
 * open and closed against the previous report folder, the saturation
 * dates that moved by a week or more, and the incidents not seen before.
 * Owns the comparison (pure: the previous folder arrives already read,
 * engine/prevrun.h reads it) and its renderings: changes.json,
 * changes.md, and the short section both HTML reports open with. Does
 * not own the action ids (reports/actions.h) nor the reading of files.
 * Reentrant; prints only to the stream it is given. */
#ifndef HR_CHANGES_H
#define HR_CHANGES_H

#include <stdint.h>
#include <stdio.h>

#include "report.h"

/* What this run needs of the previous report folder (engine/prevrun.h
 * fills it from its capacity.json and problems.json; owns its strings). */
typedef struct hr_prev_action {
    char *id, *rule, *title;
    int64_t first_seen_ms;    /* -1 when absent */
    int report;               /* HR_REP_CAPACITY or HR_REP_PROBLEMS */
} hr_prev_action;

typedef struct hr_prev_sat {
    char *series;
    int64_t p50_ms;           /* -1: no saturation date (JSON null) */
} hr_prev_sat;

typedef struct hr_prev_incident {
    char *id, *origin;
    int64_t start_ms, end_ms;
} hr_prev_incident;

typedef struct hr_prev_run {
    char *stamp;              /* the folder's name */
    hr_prev_action *act;      /* in file order: capacity, then problems */
    size_t nact;
    hr_prev_sat *sat;         /* sorted by series (strcmp) */
    size_t nsat;
    hr_prev_incident *inc;
    size_t ninc;
} hr_prev_run;

void hr_prev_run_clear(hr_prev_run *p); /* frees; NULL ok */

/* A saturation date that moved: from/to are 00:00 UTC days, -1 when the
 * resource had (from) or has (to) no date within the horizon. */
typedef struct hr_chg_sat {
    const char *series;
    int64_t from_ms, to_ms;
} hr_chg_sat;

/* Saturation dates moving by at least this many days are listed. */
#define HR_CHANGES_MOVED_DAYS 7

/* The comparison. Actions: indices into the report's actions (new,
 * open) or pointers into prev->act (closed). Borrows the report and prev. */
typedef struct hr_changes {
    const char *previous;     /* prev->stamp, or NULL: nothing to compare with */
    size_t *added, nadded;    /* current actions whose id the previous run lacked */
    size_t *open, nopen;      /* current actions the previous run had too */
    const hr_prev_action **closed; /* previous actions this run no longer
                                 raises, in the previous files' order */
    size_t nclosed;
    hr_chg_sat *moved;        /* in series order of the report */
    size_t nmoved;
    size_t *inc_new, ninc_new; /* detected incidents (r->inc) no previous
                                 incident of the same origin overlaps */
} hr_changes;

/* Carries first_seen over: an action whose id prev holds takes the
 * earlier of its own first_seen_ms and the previous one. prev NULL is a
 * no-op. */
void hr_changes_carry(hr_rep_action *a, size_t n, const hr_prev_run *prev);

/* Compares the report r (its actions, resources and incidents) with prev
 * (NULL: no previous run; every action is then new, nothing moved, every
 * incident new). Fills *c (free with hr_changes_clear). Returns HR_OK or
 * HR_ESOFTWARE (out of memory). */
int hr_changes_build(const hr_report *r, const hr_prev_run *prev, hr_changes *c);
void hr_changes_clear(hr_changes *c); /* NULL ok */

/* changes.json: {"previous", "actions": {"new", "open", "closed"},
 * "saturation_moved": [{"series", "from", "to", "days"}],
 * "incidents_new"} (README.md). Both need r->changes; a new string
 * (caller frees) or NULL when out of memory. */
char *hr_report_changes_json(const hr_report *r);
/* changes.md: the same, with the actions' titles. */
char *hr_report_changes_md(const hr_report *r);
/* <section id="changes">: a short summary, then the report's own new and
 * closed actions and the moved dates (capacity) or new incidents
 * (problems); which is HR_REP_CAPACITY or HR_REP_PROBLEMS. Nothing when
 * r->changes is NULL. */
void hr_rep_changes_html(FILE *f, const hr_report *r, int which);

#endif
