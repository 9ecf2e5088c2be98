/* robust.c -- see robust.h. */
#include "robust.h"

#include <gsl/gsl_statistics_double.h>
#include <math.h>

double hr_median_finite(double *x, size_t n)
{
    size_t m = 0;
    for (size_t i = 0; i < n; i++)
        if (isfinite(x[i]))
            x[m++] = x[i];
    if (!m)
        return NAN;
    return gsl_stats_median(x, 1, m); /* quickselect (GSL >= 2.5) */
}
