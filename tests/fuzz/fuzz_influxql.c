/* fuzz_influxql.c -- the influxql export reader (format HR_FMT_INFLUXQL) on one file. */
#include "fuzz_ingest.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    return fuzz_ingest(data, size, HR_FMT_INFLUXQL, 0);
}
