/* pm_deploys.h -- the changes log in a run: read with the other tables
 * before the analysis (so a bad row fails the run early, exit 65 with
 * file:line:column), then, after incident grouping, the links of
 * incidents to changes, the change-management metrics
 * (models/deploys.h), and the level shifts of the capacity report that
 * came with a change. Part of the problem-management stage (engine/pm.c
 * calls it). Serial; no globals. Not the night-to-night report diff of
 * reports/changes.h. */
#ifndef HR_PM_DEPLOYS_H
#define HR_PM_DEPLOYS_H

#include "config.h"
#include "deploys.h"
#include "err.h"
#include "report.h"
#include "tables.h"

typedef struct hr_pm_deploys {
    hr_changelog log;
    hr_dep_result *res;
    hr_rep_deploys rep;
} hr_pm_deploys;

/* Reads cfg->changes when set (HR_EINPUT with located errors, HR_ENOINPUT). */
int hr_pm_deploys_prepare(const hr_config *cfg, hr_pm_deploys *d, hr_diag_fn diag, void *ud, hr_err *err);

/* After the incidents of rep are grouped: links, metrics, and each level
 * shift's change (rep->s[i].steps[j].change); sets rep->deploys. No-op
 * without a changes log. */
int hr_pm_deploys_run(const hr_config *cfg, hr_report *rep, hr_pm_deploys *d, hr_err *err);

void hr_pm_deploys_clear(hr_pm_deploys *d); /* NULL ok */

#endif
