/* fuzz_csv_long.c -- the long CSV reader on one file, twice: as ingest
 * reads it (the data rows in parallel by engine/read_csv_par.c, here on
 * two threads in chunks of 64 bytes so rows and quotes straddle chunk
 * boundaries), and as detect reads it (serially, keeping the row log). */
#include <omp.h>

#include "fuzz_ingest.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static int once;
    if (!once) {
        once = 1;
        setenv("HEADROOM_CSV_CHUNK", "64", 1);
        omp_set_num_threads(2);
    }
    fuzz_ingest(data, size, HR_FMT_LONG, 0);
    return fuzz_ingest(data, size, HR_FMT_LONG, 1);
}
