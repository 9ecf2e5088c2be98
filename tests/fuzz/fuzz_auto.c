/* fuzz_auto.c -- format detection (HR_FMT_AUTO) and gzip input: the reader
 * chosen from the head of the file (inflated first when it is gzip). */
#include "fuzz_ingest.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    return fuzz_ingest(data, size, HR_FMT_AUTO, 0);
}
