/* dataprob.c -- see dataprob.h. The reports open with the data problems
 * because a reader who trusts a number should first know what it was not
 * computed from: a night whose exports were partly bad still publishes
 * (on_bad_file = skip). Only the header line uses the run's clock, and
 * only in Markdown and HTML. */
#include "dataprob.h"

#include <stdint.h>

#include "svg.h"
#include "timefmt.h"

int hr_rep_has_data_problems(const hr_report *r) { return r->nskipped > 0; }

json_t *hr_rep_data_problems_json(const hr_report *r)
{
    json_t *o = json_object(), *files = json_array();
    for (size_t i = 0; i < r->nskipped; i++) {
        const hr_rep_skipped *k = &r->skipped[i];
        json_t *e = json_object();
        json_object_set_new(e, "path", json_string(k->path));
        json_object_set_new(e, "error", json_string(k->error));
        json_object_set_new(e, "first_rejected_row", k->first_bad ? json_string(k->first_bad) : json_null());
        json_array_append_new(files, e);
    }
    json_object_set_new(o, "skipped_files", files);
    return o;
}

/* "first rejected row" is added to an error that names no row itself */
static void skipped_why(FILE *f, const hr_rep_skipped *k, void (*put)(FILE *, const char *))
{
    put(f, k->error);
    if (k->first_bad) {
        fputs("; first rejected row: ", f);
        put(f, k->first_bad);
    }
}

void hr_rep_data_problems_md(FILE *f, const hr_report *r)
{
    if (!hr_rep_has_data_problems(r))
        return;
    fputs("## Data problems\n\nThis run's numbers leave out what is listed here; fix the input and the next "
          "run takes it in.\n",
          f);
    if (r->nskipped) {
        fprintf(f, "\n### Skipped files\n\n%zu export%s failed and %s left out whole (`[ingest] on_bad_file = "
                   "skip`); the reports rest on the other files.\n\n| file | error |\n|---|---|\n",
                r->nskipped, r->nskipped == 1 ? "" : "s", r->nskipped == 1 ? "was" : "were");
        for (size_t i = 0; i < r->nskipped; i++) {
            fputs("| `", f);
            hr_rep_md_cell(f, r->skipped[i].path);
            fputs("` | ", f);
            skipped_why(f, &r->skipped[i], hr_rep_md_cell);
            fputs(" |\n", f);
        }
    }
    fputs("\n", f);
}

void hr_rep_data_problems_html(FILE *f, const hr_report *r)
{
    if (!hr_rep_has_data_problems(r))
        return;
    fputs("<section id=\"data-problems\">\n<h2>Data problems</h2>\n<p>This run's numbers leave out what is listed "
          "here; fix the input and the next run takes it in.</p>\n",
          f);
    if (r->nskipped) {
        fprintf(f, "<h3>Skipped files</h3>\n<p>%zu export%s failed and %s left out whole (<code>[ingest] "
                   "on_bad_file = skip</code>); the reports rest on the other files.</p>\n<div class=\"tw\"><table>\n"
                   "<thead><tr><th>file</th><th>error</th></tr></thead>\n<tbody>\n",
                r->nskipped, r->nskipped == 1 ? "" : "s", r->nskipped == 1 ? "was" : "were");
        for (size_t i = 0; i < r->nskipped; i++) {
            fputs("<tr><td><code>", f);
            hr_svg_esc(f, r->skipped[i].path);
            fputs("</code></td><td class=\"w\">", f);
            skipped_why(f, &r->skipped[i], hr_svg_esc);
            fputs("</td></tr>\n", f);
        }
        fputs("</tbody>\n</table></div>\n", f);
    }
    fputs("</section>\n", f);
}

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
