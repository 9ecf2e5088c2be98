/* robust.h -- small robust statistics shared by the models.
 * Pure functions on arrays; reentrant. */
#ifndef HR_ROBUST_H
#define HR_ROBUST_H

#include <stddef.h>

/* Median of the finite values of x[0..n), NaN when there are none.
 * Reorders x (compacts the finite values to the front, then a
 * quickselect: O(n), unlike a full sort). */
double hr_median_finite(double *x, size_t n);

#endif
