/* fuzz_inclog.c -- the incident log CSV (hr_inclog_load). */
#include "fuzz_tables.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *path = fuzz_file(data, size, "incidents.csv");
    if (!path)
        return 0;
    hr_inclog log = {0};
    hr_err err = {0};
    hr_inclog_load(path, &log, fuzz_diag, NULL, &err);
    hr_inclog_clear(&log);
    return 0;
}
