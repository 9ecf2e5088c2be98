/* fuzz_tables.h -- the three small tables of engine/tables.c (inventory,
 * events calendar, incident log), each on one file; a table that loads
 * is matched against a few series keys as the run matches it. */
#ifndef HR_FUZZ_TABLES_H
#define HR_FUZZ_TABLES_H

#include "fuzz.h"
#include "tables.h"

static const char *const FUZZ_KEYS[] = {
    "disk_used_bytes{host=\"db1\",service=\"search\"}", "cpu", "",
    "x{a=\"\\\"q\\\\\",service=\"\"}",
};
#define FUZZ_NKEYS (sizeof FUZZ_KEYS / sizeof *FUZZ_KEYS)

#endif
