/* fuzz_influx.c -- the influx export reader (format HR_FMT_INFLUX) on one file. */
#include "fuzz_ingest.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    return fuzz_ingest(data, size, HR_FMT_INFLUX, 0);
}
