/* actions.h -- the suggested actions of the capacity and problem-management
 * reports, made from the report model by the documented rules below.
 * Owns: which rule fires when, each action's title, owner, due date,
 * priority and evidence, and their order. Not: the numbers themselves
 * (the models compute them), rendering (report_*.c, html*.c), printing.
 * Pure: no I/O, no globals, no wall clock; reentrant. The same model
 * always gives the same actions in the same order.
 *
 * Common terms. "Today" is r->as_of_day_ms (00:00 UTC of the last data
 * day); a model with as_of_day_ms < 0 (no data) gives no actions. "Today
 * + N d" is that day plus N days; a due date "not before today" is
 * clamped up to today. Every due date is 00:00 UTC of a day. Owner is the
 * service of the series the action is about (hr_rep_series.service, the
 * SLO's service, the log row's service), NULL when it has none. Titles
 * are one line (control characters become blanks; a title longer than
 * hr_rep_action.title is cut at a UTF-8 character boundary); dates are
 * YYYY-MM-DD, times "YYYY-MM-DD HH:MM UTC", changes in percent with a
 * sign and one decimal ("+12.5%"), shares of a budget in percent with one
 * decimal, other quantities with up to 4 significant digits. Series whose
 * analysis failed (hr_rep_series.error) get no capacity actions. Every
 * action carries 1..HR_ACTION_MAX_EVIDENCE evidence items; a rule that
 * has no number to show does not fire.
 *
 * Capacity report (HR_REP_CAPACITY):
 *
 * order_capacity -- a series with has_units and units_to_add > 0.
 *   Title: "Order 3 units for KEY by 2026-02-10 (N+1, lead time 30 d)";
 *   when order_by_ms is before today: "Order 3 units for KEY now: the
 *   order-by date 2026-01-20 has passed (N+1, lead time 30 d)" (without
 *   a lead time the parenthesis is "(N+1)"). Due: order_by_ms, not before
 *   today (today when there is no order-by date). Priority 1 when due
 *   within 30 days of today (overdue included), 2 within 90 days, else 3.
 *   Evidence: [threshold (capacity x target) on the p10 saturation day,
 *   when p10 is within the horizon], [current daily peak on its day, when
 *   finite], [units needed through the horizon at as_of_ms].
 *
 * reclaim_capacity -- has_units, units_reclaimable >= 1, no units to
 *   add, and the reclaimable units are at least 10% of the resource
 *   (of units when the inventory gives them, else units_reclaimable x
 *   unit_capacity of capacity; neither known: no action). Title: "Reclaim 2 of 8 units of KEY by DATE: the fast-growth
 *   path needs 6 (N+1 kept); highest daily peak of the last 90 d is 34.1%
 *   of capacity" ("of 8" and "needs 6" only when the inventory gives the
 *   units; the peak clause only when the window peak and capacity are
 *   known). Due today + 30 d; priority 4. Evidence: [highest daily peak
 *   in the trend window, at today], [capacity, at today] (both when
 *   finite), [units reclaimable at as_of_ms].
 *
 * investigate_step -- each inorganic level shift (hr_rep_step with slope
 *   == 0 and event == NULL) with a finite |delta_pct| >= 10 whose time is
 *   within the 90 days before today (t_ms >= today - 90 d). Title:
 *   "Investigate the unexplained level shift of +12.5% on DATE in KEY (no
 *   event in the calendar explains it)". Due today + 14 d; priority 2 on
 *   a series with a capacity, else 3. Evidence: [the step: t_ms,
 *   delta_pct].
 *
 * confirm_event -- one action per planned event (the same calendar row)
 *   with a finite expected_pct, over every resource with a capacity whose
 *   planned list holds it. One resource: "Confirm the planned event NAME
 *   on DATE (+25.0% expected on KEY): the saturation forecast assumes
 *   it"; several: "... (+25.0% expected on 4 resources, first KEY): ...".
 *   Due: the earliest over its resources of the event's day minus the
 *   resource's lead time (rounded to whole days, at least 1), or minus 14
 *   days when the inventory gives no positive lead time; not before
 *   today. Priority 2 when due within 30 days of today, else 3. Owner: the
 *   resources' service when they share one, else NULL. Evidence, one
 *   resource: [expected change on the event day], [current daily peak on
 *   its day, when finite], [threshold (capacity x target) at today, when
 *   finite]; several: [expected change on the event day, first resource],
 *   then per resource in series order (up to the evidence limit) [current
 *   daily peak as % of its threshold, on the peak's day].
 *
 * Problem-management report (HR_REP_PROBLEMS):
 *
 * recurring_calendar -- each recurring problem of r->rec (needs r->inc)
 *   that has not lapsed (hr_report_recurring_lapsed: a lapsed one raises
 *   neither this nor problem_record).
 *   Title: "Add the weekly job behind the recurring spike in KEY (Mondays
 *   03:00 UTC) to the events calendar, or fix it"; daily: "the daily job
 *   ... (every day at 03:00 UTC)"; other intervals: "the periodic job ...
 *   (every 36 h, next expected 2026-02-03 03:00 UTC)". KEY is the series
 *   of the recurrence's origin; "spike", "dip" or "level shift" by its
 *   direction. Due: the day of next_ms minus 1 day, not before today;
 *   priority 2. Evidence: the last (up to HR_ACTION_MAX_EVIDENCE)
 *   occurrences, oldest first: [the incident's origin series, its start,
 *   its peak anomaly score].
 *
 * problem_record -- each recurring problem that has not lapsed. Title: "Open a
 *   problem record for the recurring weekly spike in KEY (4 occurrences
 *   since DATE, next expected DATE HH:MM UTC)". Due today + 7 d; priority
 *   2. Evidence: [occurrence count at first_ms], [period in hours at
 *   next_ms], then the last two occurrences as above.
 *
 * freeze_releases -- each SLO (r->slo[k] with res non-NULL) whose budget
 *   is spent: res->exhausted or res->remaining <= 0. Title: "Freeze risky
 *   releases of SERVICE until the error budget of SLO recovers (64.1%
 *   over budget)" (over budget = -remaining, floored at 0); without a
 *   service "Freeze risky releases affecting SLO until its error budget
 *   recovers (...)". Due today; priority 1. Evidence: [remaining budget
 *   (share) at window_end_ms], [consumed (share) at exhausted_ms, when
 *   exhausted], [peak burn rate of the worst alert (highest peak burn,
 *   earliest on ties) at its start, when there is one].
 *
 * slo_burn -- each SLO with budget left (not exhausted, remaining > 0)
 *   that either had a page-severity alert firing within the 7 days
 *   before today (end_ms > today - 7 d) or has remaining < 0.25. Title:
 *   "Review the error budget of SLO: 58.3% left, burn-rate alert at DATE
 *   HH:MM UTC (20.0x burn)" naming the latest such alert, or "Review the
 *   error budget of SLO: 18.0% left (under 25%)" without one. Due today +
 *   3 d; priority 2. Evidence: [the alert's peak burn rate at its start,
 *   when there is one], [remaining budget (share) at window_end_ms].
 *
 * slow_releases -- the other half of the error-budget policy (the SRE
 *   Workbook's "Implementing SLOs": velocity follows reliability): each
 *   service of the changes log (r->deploys) whose change failure rate over
 *   the last 30 days is above [changes] max_failure_rate and whose lowest
 *   error budget left among its evaluated SLOs (hr_rep_slo.service equal)
 *   is below half (remaining < 0.5; an exhausted budget too, where
 *   freeze_releases also fires: the freeze stops releases, this fixes
 *   why they fail). Title: "Slow releases of SERVICE: 2 of 5 changes
 *   failed in 30 days (40.0%, above 15%), 31.2% of the error budget of
 *   SLO left". Due today + 7 d; priority 2. Evidence: [change failure
 *   rate (share) over 30 days at as_of, on the service], [remaining
 *   budget (share) at window_end_ms, on the SLO], then the latest two
 *   failed changes of those 30 days, latest first, on the change id at
 *   its time: hours to the end of its latest linked incident, else hours
 *   to its rollback.
 *
 * postmortem -- each detected incident k (r->inc) of level critical, or
 *   major with >= 2 series, that started within the 30 days before today
 *   (start_ms >= today - 30 d) and is not in the incident log: needs
 *   r->match (an incident log was given) and match->inc_row[k] ==
 *   HR_PM_NONE. Title: "Log and review critical incident D-0007 (started
 *   in KEY at DATE HH:MM UTC, 4 series)" (hr_report_incident_id; KEY is
 *   its suspected origin). Due today + 7 d; priority 2. Evidence: [peak
 *   anomaly score at peak_ms], [series involved at start], [duration in
 *   hours at start], [severity index at start], all on the origin series.
 *
 * tune_detection -- logged incidents the detector missed (match->
 *   row_status == HR_PM_MISSED), counting only rows that overlap the data
 *   (end >= the earliest first_ms of any series, start <= as_of_ms): a
 *   row outside the data could not have been detected. One action per
 *   service (NULL and "" are one, ownerless). Title: "Tune anomaly
 *   detection for SERVICE: 3 logged incidents were not detected (latest
 *   started DATE)" ("for incidents without a service" when ownerless).
 *   Due today + 30 d; priority 3. Evidence: the latest (up to
 *   HR_ACTION_MAX_EVIDENCE) missed rows, oldest first: [its service, its
 *   start, its duration in hours].
 *
 * Identity. Each action has an id, "<rule>-<8 hex digits>": the 64-bit
 * FNV-1a hash of the rule id, a 0x1f byte and the action's subject,
 * folded to 32 bits. The subject is what the action is about, never a
 * position or a counter, so the id is the same in every run that raises
 * the action for the same thing: order_capacity, reclaim_capacity: the
 * series key; investigate_step: "KEY@YYYY-MM-DD" (the step's day);
 * confirm_event: "NAME@YYYY-MM-DD@SCOPE" (the calendar row);
 * recurring_calendar, problem_record: "KEY|weekly|spike|H" (origin
 * series, period kind, direction, and the hour of the week or day, or
 * for other periods the interval in hours); freeze_releases, slo_burn:
 * the SLO name; slow_releases: the service; postmortem: "KEY@YYYY-MM-DD HH:MM UTC" (origin series and
 * start); tune_detection: the service ("" when none). Two actions with
 * one id (a hash collision or one subject twice) stay distinct: the
 * later in the order below gets "-2", "-3"... first_seen_ms is set to
 * today; the run carries it over from the previous report folder
 * (reports/changes.h).
 *
 * Order: priority, then due date, then rule id, owner (NULL first), title
 * (strcmp), then the evidence; a total order up to identical actions.
 *
 * Ownership: the actions borrow r's strings (owner, evidence series); rule
 * ids are string literals. On HR_OK *out is never NULL (a 1-element
 * allocation when *n is 0); on failure *out is NULL and *n 0. */
#ifndef HR_ACTIONS_H
#define HR_ACTIONS_H

#include "report.h"

/* Builds the suggested actions of both reports from the model r (its
 * actions fields are ignored). *out is a new array (free()), *n its length;
 * sorted by priority, then due date, then rule, owner, title (a total
 * order, so output is deterministic). Returns HR_OK or HR_ESOFTWARE (out of memory). */
int hr_actions_build(const hr_report *r, hr_rep_action **out, size_t *n);

#endif
