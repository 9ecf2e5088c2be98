/* dataprob.c -- see dataprob.h. A reader who trusts a number should
 * first know what it was not computed from; a report published from data
 * that stopped arriving hours ago says so under its title. That line is
 * the only use of the run's clock, and only in Markdown and HTML. */
#include "dataprob.h"

#include <stdint.h>

#include "timefmt.h"

void hr_rep_data_age(FILE *f, const hr_report *r)
{
    char a[40], b[40];
    if (r->run_ms < 0 || r->as_of_ms < 0)
        return;
    int64_t age = r->run_ms - r->as_of_ms;
    hr_time_format(r->run_ms, b, sizeof b);
    if (age < 0) {
        fprintf(f, "Newest data %s after this run's clock (%s): check the clocks of the exporters and of this "
                   "machine.", hr_rep_fdur(-age, a, sizeof a), b);
        return;
    }
    fprintf(f, "Newest data %s before this run (%s).", hr_rep_fdur(age, a, sizeof a), b);
}
