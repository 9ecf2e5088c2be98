/* strmap.h -- a string -> index hash map (open addressing, FNV-1a).
 * Owns copies of its keys. Not thread-safe; one map per owner. */
#ifndef HR_STRMAP_H
#define HR_STRMAP_H

#include <stddef.h>

#include <stdint.h>

typedef struct hr_strmap {
    char **keys;      /* NULL = empty slot; keys may hold NUL bytes */
    size_t *vals;
    uint64_t *hashes;
    size_t *lens;
    size_t cap, n;
} hr_strmap;

void hr_strmap_init(hr_strmap *m);
void hr_strmap_clear(hr_strmap *m); /* frees everything; NULL ok */

/* Returns the value stored for key (len bytes, compared exactly) or
 * (size_t)-1. */
size_t hr_strmap_get(const hr_strmap *m, const char *key, size_t len);

/* Stores key -> val (key must not be present). Returns 0 or -1 (no memory). */
int hr_strmap_put(hr_strmap *m, const char *key, size_t len, size_t val);

#endif
