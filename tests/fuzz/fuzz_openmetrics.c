/* fuzz_openmetrics.c -- the openmetrics export reader (format HR_FMT_OPENMETRICS) on one file. */
#include "fuzz_ingest.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    return fuzz_ingest(data, size, HR_FMT_OPENMETRICS, 0);
}
