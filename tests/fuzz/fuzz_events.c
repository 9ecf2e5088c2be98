/* fuzz_events.c -- the events calendar CSV (hr_events_load) and the
 * matching of its scopes against series keys. */
#include "fuzz_tables.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *path = fuzz_file(data, size, "events.csv");
    if (!path)
        return 0;
    hr_events ev = {0};
    hr_err err = {0};
    if (hr_events_load(path, &ev, fuzz_diag, NULL, &err) == HR_OK)
        for (size_t i = 0; i < ev.n; i++)
            for (size_t k = 0; k < FUZZ_NKEYS; k++) {
                hr_event_matches(&ev.e[i], FUZZ_KEYS[k]);
                const char *val;
                if (ev.e[i].scope)
                    hr_key_label(FUZZ_KEYS[k], ev.e[i].scope, &val);
            }
    hr_events_clear(&ev);
    return 0;
}
