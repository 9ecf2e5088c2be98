/* fuzz_store.c -- the HDF5 store reader on corrupted stores: the bytes
 * are written as a store file and read as a run reads it (hr_store_open,
 * hr_store_read_values of every series, hr_store_close) and as the
 * single-stage commands do (hr_store_load). The seeds are small valid
 * stores written by hr_store_write; libFuzzer mutates their bytes.
 * Oracle: what opens is consistent (a series' values read has n of them
 * and a key). HDF5's own messages are turned off. */
#include <hdf5.h>

#include "fuzz.h"
#include "store.h"

/* libhdf5's metadata cache mallocs whatever size a damaged header claims
 * (H5C_protect, 2^53 bytes: crashes/fuzz_store/crash-hdf5-*) and copes
 * with NULL; under ASan such a request aborts unless malloc may return
 * NULL as it does outside ASan. Read by ASan only. */
const char *__asan_default_options(void);
const char *__asan_default_options(void)
{
    return "allocator_may_return_null=1";
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static int once;
    if (!once) {
        once = 1;
        H5Eset_auto2(H5E_DEFAULT, NULL, NULL);
    }
    const char *path = fuzz_file(data, size, "store.h5");
    if (!path)
        return 0;
    hr_seriesset set = {0};
    hr_store_rd *rd = NULL;
    hr_err err = {0};
    if (hr_store_open(path, &set, &rd, &err) == HR_OK) {
        for (size_t i = 0; i < set.n; i++) {
            if (!set.s[i].key)
                abort();
            if (hr_store_read_values(rd, &set, i, &err) != HR_OK)
                break;
            if (set.s[i].n && !set.s[i].v)
                abort();
        }
        hr_store_close(rd);
    }
    hr_seriesset_clear(&set);
    hr_seriesset set2 = {0};
    hr_store_load(path, &set2, &err);
    hr_seriesset_clear(&set2);
    return 0;
}
