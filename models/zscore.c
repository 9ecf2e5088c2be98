/* zscore.c -- see zscore.h. MAD scaling: 1.4826 makes the MAD a
 * consistent estimator of the standard deviation for normal data
 * (Rousseeuw & Croux 1993). */
#include "zscore.h"

#include <math.h>

#include "robust.h"



void hr_zscore(const double *v, size_t n, const hr_season *s, const double *level,
               const double *prof, double *z, double *work)
{
    double *r = work, *tmp = work + n;
    size_t m = 0;
    for (size_t i = 0; i < n; i++) {
        size_t k = hr_season_slot(s, i);
        r[i] = isfinite(v[i]) && isfinite(level[i]) ? v[i] - level[i] - prof[k] : NAN;
        if (isfinite(r[i]))
            tmp[m++] = r[i];
        z[i] = NAN;
    }
    if (m < 3)
        return;
    double gmed = hr_median_finite(tmp, m);
    for (size_t i = 0; i < m; i++)
        tmp[i] = fabs(tmp[i] - gmed);
    double gmad = hr_median_finite(tmp, m);
    /* resolution floor: a deviation under 0.1% of the series' typical
     * magnitude is measurement granularity, never an anomaly (smooth or
     * synthetic series otherwise have a MAD of rounding noise) */
    size_t mv = 0;
    for (size_t i = 0; i < n; i++)
        if (isfinite(v[i]))
            tmp[mv++] = fabs(v[i]);
    double floor_scale = mv ? 1e-3 * hr_median_finite(tmp, mv) : 0;
    size_t P = s->period_ms ? s->slots : 1;
    size_t first = hr_season_slot(s, 0);
    for (size_t k = 0; k < P; k++) {
        size_t start = (k + P - first) % P, c = 0;
        for (size_t i = start; i < n; i += P)
            if (isfinite(r[i]))
                tmp[c++] = r[i];
        if (c < 3)
            continue;
        double med = hr_median_finite(tmp, c);
        for (size_t i = 0; i < c; i++)
            tmp[i] = fabs(tmp[i] - med);
        double mad = hr_median_finite(tmp, c);
        /* a slot's MAD from a few weeks of data is itself noisy (from 8
         * values it is often half the true spread), so it is shrunk
         * towards the series-wide MAD with the weight of 20 values */
        double var = ((double)c * mad * mad + 20.0 * gmad * gmad) / ((double)c + 20.0);
        double scale = 1.4826 * sqrt(var);
        if (!(scale > 0)) {
            /* over half the slot is one value (counts that are mostly
             * zero): the mean absolute deviation still measures spread */
            double sum = 0;
            for (size_t i = 0; i < c; i++)
                sum += tmp[i];
            scale = 1.2533 * sum / (double)c;
        }
        if (scale < floor_scale)
            scale = floor_scale;
        if (!(scale > 0))
            scale = 1e-12 * fmax(fabs(med), 1.0); /* constant slot: any change is news */
        for (size_t i = start; i < n; i += P)
            if (isfinite(r[i]))
                z[i] = (r[i] - med) / scale;
    }
}

size_t hr_spans(const double *z, size_t n, double thr, size_t max_gap, hr_span *out, size_t cap)
{
    size_t count = 0, i = 0;
    while (i < n) {
        if (!(fabs(z[i]) >= thr)) {
            i++;
            continue;
        }
        hr_span sp = {i, i, i, z[i], z[i] > 0 ? HR_SPIKE : HR_DIP};
        size_t j = i + 1, gap = 0;
        while (j < n && gap <= max_gap) {
            if (fabs(z[j]) >= thr) {
                sp.end = j;
                gap = 0;
                if (fabs(z[j]) > fabs(sp.peak_z)) {
                    sp.peak = j;
                    sp.peak_z = z[j];
                }
            } else {
                gap++;
            }
            j++;
        }
        sp.direction = sp.peak_z > 0 ? HR_SPIKE : HR_DIP;
        if (count < cap)
            out[count] = sp;
        count++;
        i = sp.end + 1;
    }
    return count;
}
