/* decompose.h -- seasonality detection and robust seasonal-trend
 * decomposition of a regular series (gaps as NaN).
 * Owns: the choice of periods (none, daily, weekly or both) from the
 * autocorrelation, and x = trend + seasonal + remainder with seasonal
 * profiles estimated by medians (robust to outliers and gaps).
 * Pure numerics: no I/O. Reentrant: scratch comes from an hr_dc_ws. */
#ifndef HR_DECOMPOSE_H
#define HR_DECOMPOSE_H

#include <stddef.h>
#include <stdint.h>

#define HR_DC_MAX_PERIODS 2

typedef struct hr_dc_ws hr_dc_ws;

/* A workspace for series of up to max_n points and periods up to
 * max_period points; NULL when out of memory. */
hr_dc_ws *hr_dc_ws_alloc(size_t max_n, size_t max_period);
void hr_dc_ws_free(hr_dc_ws *ws); /* NULL ok */

/* Detects seasonal periods among the candidates 1 day and 1 week (in
 * points of step_ms; only those that are whole numbers of points of at
 * least 2): a period counts when the series spans at least three of them
 * and the autocorrelation of the series, after removing a rolling level
 * over the period, at that lag is at least 0.3 and above its value at
 * half the lag (the test of R's findfrequency, made robust by clipping
 * outliers first). The weekly period must also explain variance that the
 * daily one leaves. Writes up to HR_DC_MAX_PERIODS periods in ascending
 * order and returns how many. */
size_t hr_dc_detect_periods(const double *x, size_t n, int64_t step_ms, size_t *periods, hr_dc_ws *ws);

/* The decomposition. Arrays of n; seasonal holds the sum of the seasonal
 * components; profile (optional) receives each period's profile,
 * profile[k] of periods[k] entries indexed by i mod periods[k]. */
typedef struct hr_decomp {
    double *trend, *seasonal, *remainder;
    double *profile[HR_DC_MAX_PERIODS];
} hr_decomp;

/* Decomposes x with the given periods (np may be 0):
 *   trend = running median of the deseasonalised values over the longest
 *   period (every quarter period, interpolated; the series itself when
 *   np == 0); each profile = the median per phase of x minus trend and
 *   the other profile, centred to median 0; two passes (trend,
 *   profiles, trend, profiles: the trend is the one the final profiles
 *   were fitted against).
 *   remainder = x - trend - seasonal (NaN where x is NaN).
 * Outliers move medians little, so incidents stay in the remainder; a
 * level shift is sharp in x - seasonal and reaches the trend within about
 * one period. */
void hr_dc_decompose(const double *x, size_t n, const size_t *periods, size_t np, hr_dc_ws *ws,
                     hr_decomp *out);

/* Block medians of x: out[b] = median of the finite values of block b
 * (block points each, from index 0), NaN for an empty block. Returns the
 * number of blocks. */
size_t hr_dc_block_median(const double *x, size_t n, size_t block, double *out, hr_dc_ws *ws);

#endif
