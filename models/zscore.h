/* zscore.h -- the baseline anomaly detector: robust residual z-scores
 * against the seasonal profile (median/MAD per slot), and spans.
 * Pure numerics on arrays: no I/O. Reentrant; scratch from the caller.
 * Not causal: the statistics use the whole series (the causal detector is
 * a separate module); kept as the baseline and fallback. */
#ifndef HR_ZSCORE_H
#define HR_ZSCORE_H

#include <stddef.h>

#include "profile.h"

/* z[i] = (r[i] - median_slot(r)) / (1.4826 * MAD_slot(r)) with
 * r = v - level - prof[slot]: the residual after the daily level and the
 * seasonal profile. A slot's MAD is shrunk towards the series' overall
 * MAD (weight of 20 points), so a slot with few or nearly constant values
 * does not turn small wiggles into huge scores; where the MAD is zero the
 * mean absolute deviation is used; and no scale is below 0.1% of the
 * series' median magnitude (measurement resolution). NaN where v or level
 * is NaN.
 * work holds 2n doubles. */
void hr_zscore(const double *v, size_t n, const hr_season *s, const double *level,
               const double *prof, double *z, double *work);

enum { HR_SPIKE = 1, HR_DIP = -1 };

typedef struct hr_span {
    size_t start, end;   /* grid indices, inclusive */
    size_t peak;         /* index of the largest |z| */
    double peak_z;       /* z there (signed) */
    int direction;       /* HR_SPIKE or HR_DIP, the sign of peak_z */
} hr_span;

/* Thresholds |z| >= thr into spans; flagged points separated by at most
 * max_gap unflagged (or NaN) points join one span. Writes at most cap
 * spans and returns how many there are in all. */
size_t hr_spans(const double *z, size_t n, double thr, size_t max_gap, hr_span *out, size_t cap);

#endif
