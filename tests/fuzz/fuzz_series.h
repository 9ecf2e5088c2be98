/* fuzz_series.h -- a short series decoded from fuzz bytes, for the model
 * harnesses. Each value is one tag byte: below 200 a plain value
 * (tag - 100) * scale; 250 NaN, 251 +inf, 252 -inf, 253 the next 8 bytes
 * as a raw double, 254 +/-1e300, 255 the previous value again; the others
 * 0. So a few bytes make a long series, and every special value is one
 * byte away. At most FUZZ_MAX_N values. */
#ifndef HR_FUZZ_SERIES_H
#define HR_FUZZ_SERIES_H

#include <math.h>

#include "fuzz.h"

#define FUZZ_MAX_N 4096

static inline size_t fuzz_series(const uint8_t *d, size_t size, double scale, double *x)
{
    size_t n = 0;
    double prev = 0;
    for (size_t i = 0; i < size && n < FUZZ_MAX_N; i++) {
        uint8_t tag = d[i];
        double v = 0;
        if (tag < 200)
            v = (tag - 100) * scale;
        else if (tag == 250)
            v = NAN;
        else if (tag == 251)
            v = INFINITY;
        else if (tag == 252)
            v = -INFINITY;
        else if (tag == 253 && i + 8 < size) {
            memcpy(&v, d + i + 1, sizeof v);
            i += 8;
        } else if (tag == 254)
            v = (n & 1) ? -1e300 : 1e300;
        else if (tag == 255)
            v = prev;
        x[n++] = prev = v;
    }
    return n;
}

#endif
