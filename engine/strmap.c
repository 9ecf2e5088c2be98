/* strmap.c -- see strmap.h. */
#include "strmap.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static uint64_t fnv1a(const char *s, size_t n)
{
    uint64_t h = 1469598103934665603ULL;
    for (size_t i = 0; i < n; i++) {
        h ^= (unsigned char)s[i];
        h *= 1099511628211ULL;
    }
    return h;
}

void hr_strmap_init(hr_strmap *m) { memset(m, 0, sizeof *m); }

void hr_strmap_clear(hr_strmap *m)
{
    if (!m)
        return;
    for (size_t i = 0; i < m->cap; i++)
        free(m->keys[i]);
    free(m->keys);
    free(m->vals);
    memset(m, 0, sizeof *m);
}

static size_t find(char *const *keys, size_t cap, const char *key, size_t len)
{
    size_t i = (size_t)fnv1a(key, len) & (cap - 1);
    while (keys[i] && !(strncmp(keys[i], key, len) == 0 && keys[i][len] == '\0'))
        i = (i + 1) & (cap - 1);
    return i;
}

size_t hr_strmap_get(const hr_strmap *m, const char *key, size_t len)
{
    if (!m->cap)
        return (size_t)-1;
    size_t i = find(m->keys, m->cap, key, len);
    return m->keys[i] ? m->vals[i] : (size_t)-1;
}

int hr_strmap_put(hr_strmap *m, const char *key, size_t len, size_t val)
{
    if ((m->n + 1) * 2 > m->cap) {
        size_t nc = m->cap ? m->cap * 2 : 64;
        char **nk = calloc(nc, sizeof *nk);
        size_t *nv = calloc(nc, sizeof *nv);
        if (!nk || !nv) {
            free(nk);
            free(nv);
            return -1;
        }
        for (size_t i = 0; i < m->cap; i++)
            if (m->keys[i]) {
                size_t j = find(nk, nc, m->keys[i], strlen(m->keys[i]));
                nk[j] = m->keys[i];
                nv[j] = m->vals[i];
            }
        free(m->keys);
        free(m->vals);
        m->keys = nk;
        m->vals = nv;
        m->cap = nc;
    }
    size_t i = find(m->keys, m->cap, key, len);
    char *k = malloc(len + 1);
    if (!k)
        return -1;
    memcpy(k, key, len);
    k[len] = '\0';
    m->keys[i] = k;
    m->vals[i] = val;
    m->n++;
    return 0;
}
