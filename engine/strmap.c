/* strmap.c -- see strmap.h. Each slot keeps the key's hash and length,
 * so a probe compares a 64-bit hash before touching the key bytes. */
#include "strmap.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static uint64_t hash(const char *s, size_t n)
{
    /* FNV-1a over 8-byte words, then a final avalanche (splitmix64) */
    uint64_t h = 1469598103934665603ULL ^ n;
    size_t i = 0;
    for (; i + 8 <= n; i += 8) {
        uint64_t w;
        memcpy(&w, s + i, 8);
        h = (h ^ w) * 1099511628211ULL;
        h ^= h >> 29;
    }
    for (; i < n; i++)
        h = (h ^ (unsigned char)s[i]) * 1099511628211ULL;
    h ^= h >> 30;
    h *= 0xBF58476D1CE4E5B9ULL;
    h ^= h >> 27;
    h *= 0x94D049BB133111EBULL;
    return h ^ (h >> 31);
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
    free(m->hashes);
    free(m->lens);
    memset(m, 0, sizeof *m);
}

static size_t find(const hr_strmap *m, const char *key, size_t len, uint64_t h)
{
    size_t i = (size_t)h & (m->cap - 1);
    while (m->keys[i] && !(m->hashes[i] == h && m->lens[i] == len && memcmp(m->keys[i], key, len) == 0))
        i = (i + 1) & (m->cap - 1);
    return i;
}

size_t hr_strmap_get(const hr_strmap *m, const char *key, size_t len)
{
    if (!m->cap)
        return (size_t)-1;
    size_t i = find(m, key, len, hash(key, len));
    return m->keys[i] ? m->vals[i] : (size_t)-1;
}

int hr_strmap_put(hr_strmap *m, const char *key, size_t len, size_t val)
{
    if ((m->n + 1) * 2 > m->cap) {
        hr_strmap g;
        g.cap = m->cap ? m->cap * 2 : 64;
        g.n = m->n;
        g.keys = calloc(g.cap, sizeof *g.keys);
        g.vals = calloc(g.cap, sizeof *g.vals);
        g.hashes = calloc(g.cap, sizeof *g.hashes);
        g.lens = calloc(g.cap, sizeof *g.lens);
        if (!g.keys || !g.vals || !g.hashes || !g.lens) {
            free(g.keys);
            free(g.vals);
            free(g.hashes);
            free(g.lens);
            return -1;
        }
        for (size_t i = 0; i < m->cap; i++)
            if (m->keys[i]) {
                size_t j = find(&g, m->keys[i], m->lens[i], m->hashes[i]);
                g.keys[j] = m->keys[i];
                g.vals[j] = m->vals[i];
                g.hashes[j] = m->hashes[i];
                g.lens[j] = m->lens[i];
            }
        free(m->keys);
        free(m->vals);
        free(m->hashes);
        free(m->lens);
        *m = g;
    }
    uint64_t h = hash(key, len);
    size_t i = find(m, key, len, h);
    char *k = malloc(len + 1);
    if (!k)
        return -1;
    memcpy(k, key, len);
    k[len] = '\0';
    m->keys[i] = k;
    m->vals[i] = val;
    m->hashes[i] = h;
    m->lens[i] = len;
    m->n++;
    return 0;
}
