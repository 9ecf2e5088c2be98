/* fuzz_inventory.c -- the capacity inventory CSV (hr_inventory_load). */
#include "fuzz_tables.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *path = fuzz_file(data, size, "inventory.csv");
    if (!path)
        return 0;
    hr_inventory inv = {0};
    hr_err err = {0};
    if (hr_inventory_load(path, 0.8, &inv, fuzz_diag, NULL, &err) == HR_OK)
        for (size_t i = 0; i < inv.n; i++)
            if (!inv.r[i].series)
                abort();
    hr_inventory_clear(&inv);
    return 0;
}
