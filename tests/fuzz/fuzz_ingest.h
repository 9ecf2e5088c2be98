/* fuzz_ingest.h -- the harness body of every export reader: the input is
 * one export file, read with the format forced (so each reader sees every
 * input, not only those that look like its format) and, when it reads,
 * placed on grids by hr_ingest_merge as `headroom ingest` does.
 * max_bad_share is 1 so files with rejected rows reach the merge too.
 * The grid step is forced to an hour: with the step detected, two rows
 * from 1970 and 2199 at a one-minute step make a grid of 50 million
 * points, the largest series.h allows (HR_MAX_POINTS), which is allowed
 * and only slow (seconds under ASan), so the fuzzer would report it as a
 * timeout. An hour bounds a grid at 2 million points. */
#ifndef HR_FUZZ_INGEST_H
#define HR_FUZZ_INGEST_H

#include "fuzz.h"
#include "ingest.h"
#include "series.h"

static inline int fuzz_ingest(const uint8_t *data, size_t size, hr_format format, int keep_rows)
{
    const char *path = fuzz_file(data, size, "export");
    if (!path)
        return 0;
    hr_ingest_opts o;
    hr_ingest_opts_init(&o);
    o.format = format;
    o.max_bad_share = 1.0;
    o.step_ms = 3600000;
    o.diag = fuzz_diag;
    hr_ingest *ig = hr_ingest_alloc(&o);
    if (!ig)
        return 0;
    hr_ingest_keep_rows(ig, keep_rows);
    hr_file_stats st;
    hr_err err = {0};
    if (hr_ingest_file(ig, path, &st, &err) == HR_OK) {
        if (keep_rows) { /* what detect reads back */
            const hr_logrow *rows;
            size_t nr = hr_ingest_rows(ig, &rows);
            for (size_t i = 0; i < nr; i++)
                if (rows[i].series >= 0 && !hr_ingest_key(ig, rows[i].series))
                    abort(); /* a row names a series that does not exist */
        }
        hr_seriesset set = {0};
        int changed = 0;
        if (hr_ingest_merge(ig, &set, 0, &changed, &err) == HR_OK)
            for (size_t i = 0; i < set.n; i++)
                if (!set.s[i].key || (set.s[i].n && !set.s[i].v) || set.s[i].n > HR_MAX_POINTS)
                    abort(); /* a series the rest of the program could not use */
        hr_seriesset_clear(&set);
    }
    hr_ingest_free(ig);
    return 0;
}

#endif
