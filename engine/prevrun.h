/* prevrun.h -- reads what a run compares itself with from a previous
 * report folder: the actions (id, rule, title, first_seen) of its
 * capacity.json and problems.json, the p50 saturation dates of its
 * resources, and its detected incidents. Owns only the reading (a yajl
 * stream that keeps those members, not the document);
 * the comparison is reports/changes.h. Reentrant; prints nothing. */
#ifndef HR_PREVRUN_H
#define HR_PREVRUN_H

#include "changes.h"
#include "err.h"

/* Reads dir/capacity.json and dir/problems.json into *p (free with
 * hr_prev_run_clear; p->stamp is dir's last path component). An action
 * without an id (a folder from before ids) is left out. Returns HR_OK,
 * HR_ENOINPUT when a file cannot be read, HR_EINPUT with "path: reason"
 * when it is not a report, HR_ESOFTWARE when out of memory. */
int hr_prev_run_load(const char *dir, hr_prev_run *p, hr_err *err);

#endif
