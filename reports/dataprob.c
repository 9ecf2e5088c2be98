/* dataprob.c -- see dataprob.h. The reports open with the data problems
 * because a reader who trusts a number should first know what it was not
 * computed from: a night whose exports were partly bad still publishes
 * (on_bad_file = skip), and a series whose exporter stopped keeps its
 * history in the store but gets no forecast. Ages of stale series are
 * taken against as_of, the newest point of the fleet, so they are a
 * function of the data; only the header line uses the run's clock, and
 * only in Markdown and HTML. */
#include "dataprob.h"

#include <stdint.h>

#include "svg.h"
#include "timefmt.h"

int hr_rep_has_data_problems(const hr_report *r) { return r->nskipped > 0 || r->nstale > 0; }

json_t *hr_rep_data_problems_json(const hr_report *r)
{
    char b[40];
    json_t *o = json_object(), *files = json_array(), *stale = json_array();
    for (size_t i = 0; i < r->nskipped; i++) {
        const hr_rep_skipped *k = &r->skipped[i];
        json_t *e = json_object();
        json_object_set_new(e, "path", json_string(k->path));
        json_object_set_new(e, "error", json_string(k->error));
        json_object_set_new(e, "first_rejected_row", k->first_bad ? json_string(k->first_bad) : json_null());
        json_array_append_new(files, e);
    }
    for (size_t i = 0; i < r->n; i++) {
        const hr_rep_series *s = &r->s[i];
        if (!s->stale)
            continue;
        json_t *e = json_object();
        json_object_set_new(e, "series", json_string(s->key));
        json_object_set_new(e, "last_point", json_string(hr_time_format(s->last_ms, b, sizeof b)));
        json_object_set_new(e, "age_s", json_integer((json_int_t)((r->as_of_ms - s->last_ms) / 1000)));
        json_object_set_new(e, "status_at_last_point", s->stale_sat_status != HR_SAT_NONE
                                                           ? json_string(hr_rep_sat_name(s->stale_sat_status))
                                                           : json_null());
        json_array_append_new(stale, e);
    }
    json_object_set_new(o, "skipped_files", files);
    json_object_set_new(o, "stale_series", stale);
    json_object_set_new(o, "stale_after_s", r->stale_after_ms > 0 ? json_integer((json_int_t)(r->stale_after_ms / 1000))
                                                                  : json_null());
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

/* What a stale series' data said where it stopped ("-": no capacity). */
static const char *last_status(const hr_rep_series *s)
{
    return s->stale_sat_status != HR_SAT_NONE ? hr_rep_sat_name(s->stale_sat_status) : "-";
}

/* The sentence over the stale series' table; the status word stale is
 * wrapped in open/close (Markdown code, an HTML status span). */
static void stale_intro(FILE *f, const hr_report *r, const char *open, const char *close)
{
    char a[40], b[40];
    fprintf(f, "%zu series end%s more than %s before the newest data (as of %s): no saturation date, forecast or "
               "order is given for %s (status %sstale%s). The last column is what the data said where it stopped.",
            r->nstale, r->nstale == 1 ? "s" : "", hr_rep_fdur(r->stale_after_ms, a, sizeof a),
            hr_time_format(r->as_of_ms, b, sizeof b), r->nstale == 1 ? "it" : "them", open, close);
}

void hr_rep_data_problems_md(FILE *f, const hr_report *r)
{
    char a[40], b[40];
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
            fputs("| ", f);
            hr_rep_md_code(f, r->skipped[i].path);
            fputs(" | ", f);
            skipped_why(f, &r->skipped[i], hr_rep_md_cell);
            fputs(" |\n", f);
        }
    }
    if (r->nstale) {
        fputs("\n### Stale series\n\n", f);
        stale_intro(f, r, "`", "`");
        fputs("\n\n| series | last point | age | status at last point |\n|---|---|---:|---|\n", f);
        for (size_t i = 0; i < r->n; i++) {
            const hr_rep_series *s = &r->s[i];
            if (!s->stale)
                continue;
            fputs("| ", f);
            hr_rep_md_code(f, s->key);
            fprintf(f, " | %s | %s | %s |\n", hr_time_format(s->last_ms, a, sizeof a),
                    hr_rep_fdur(r->as_of_ms - s->last_ms, b, sizeof b), last_status(s));
        }
    }
    fputs("\n", f);
}

void hr_rep_data_problems_html(FILE *f, const hr_report *r)
{
    char a[40], b[40];
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
    if (r->nstale) {
        fputs("<h3>Stale series</h3>\n<p>", f);
        stale_intro(f, r, "<span class=\"st-stale\">", "</span>");
        fputs("</p>\n<div class=\"tw\"><table>\n<thead><tr><th>series</th><th>last point</th><th class=\"n\">age"
              "</th><th>status at last point</th></tr></thead>\n<tbody>\n",
              f);
        for (size_t i = 0; i < r->n; i++) {
            const hr_rep_series *s = &r->s[i];
            if (!s->stale)
                continue;
            fputs("<tr><td class=\"k\"><code>", f);
            hr_svg_esc(f, s->key);
            fprintf(f, "</code></td><td>%s</td><td class=\"n\">%s</td><td>%s</td></tr>\n",
                    hr_time_format(s->last_ms, a, sizeof a), hr_rep_fdur(r->as_of_ms - s->last_ms, b, sizeof b),
                    last_status(s));
        }
        fputs("</tbody>\n</table></div>\n", f);
    }
    fputs("</section>\n", f);
}

void hr_rep_data_age(FILE *f, const hr_report *r)
{
    char a[40], b[40], c[40];
    if (r->run_ms < 0 || r->as_of_ms < 0)
        return;
    int64_t age = r->run_ms - r->as_of_ms;
    hr_time_format(r->run_ms, b, sizeof b);
    if (age < 0) {
        fprintf(f, "Newest data %s after this run's clock (%s): check the clocks of the exporters and of this "
                   "machine.", hr_rep_fdur(-age, a, sizeof a), b);
        return;
    }
    fprintf(f, "Newest data %s before this run (%s)", hr_rep_fdur(age, a, sizeof a), b);
    if (r->stale_after_ms > 0 && age > r->stale_after_ms)
        fprintf(f, ", more than stale_after (%s): are the exports still arriving?",
                hr_rep_fdur(r->stale_after_ms, c, sizeof c));
    else
        fputc('.', f);
}
