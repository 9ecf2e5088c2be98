/* rng.h -- the tests' deterministic random numbers: splitmix64 (Steele,
 * Lea & Flood 2014) over a state the test seeds, uniform in (0, 1), and
 * normal by Box-Muller. A test defines RNG_SEED (the state's first value)
 * before including it, and may set rs again to restart a sequence. */
#ifndef HR_TEST_RNG_H
#define HR_TEST_RNG_H

#include <math.h>
#include <stdint.h>

#ifndef RNG_SEED
#error "define RNG_SEED before including rng.h"
#endif

static uint64_t rs = RNG_SEED;

static inline double unif(void)
{
    uint64_t z = (rs += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    z ^= z >> 31;
    return ((double)(z >> 11) + 0.5) / 9007199254740992.0;
}

static inline double gauss(void) { return sqrt(-2 * log(unif())) * cos(2 * M_PI * unif()); }

#endif
