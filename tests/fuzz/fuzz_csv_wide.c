/* fuzz_csv_wide.c -- the wide CSV reader (format HR_FMT_WIDE) on one file. */
#include "fuzz_ingest.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    return fuzz_ingest(data, size, HR_FMT_WIDE, 0);
}
