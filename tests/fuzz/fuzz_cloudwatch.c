/* fuzz_cloudwatch.c -- the cloudwatch export reader (format HR_FMT_CLOUDWATCH) on one file. */
#include "fuzz_ingest.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    return fuzz_ingest(data, size, HR_FMT_CLOUDWATCH, 0);
}
