/* units.h -- the unit of a series and numbers written for people.
 * Owns the unit names (README "Units"), their inference from Prometheus
 * metric names, and the one formatter every Markdown and HTML value of
 * a series goes through ("35.2 TiB", "12.3 ms", "1.71 k req/s", "82 %").
 * Not for JSON or CSV, which keep base units and round-trip text
 * (numfmt.h). Pure functions, no allocation; reentrant. */
#ifndef HR_UNITS_H
#define HR_UNITS_H

#include <stddef.h>

/* Longest unit name kept, terminator included. */
#define HR_UNIT_MAX 32

/* Writes the unit of the series key (metric name, labels ignored) into
 * out (size >= HR_UNIT_MAX) from the Prometheus naming conventions:
 * a `_bytes`, `_seconds`, `_ratio`, `_percent` or `_celsius` suffix gives
 * "bytes", "seconds", "ratio", "percent", "celsius"; a `cpu`, `cpus` or
 * `cores` word gives "cores"; a counter (`_total`, or counter set) is a
 * rate per second: "bytes/s", "cores" (CPU seconds per second),
 * "req/s" (a `request(s)` word), else "/s". None of these: "" (unknown).
 * Returns out. */
char *hr_unit_infer(const char *key, int counter, char *out, size_t size);

/* The value a series' metric cannot exceed, from its inferred unit: 1 for
 * a ratio, 100 for a percentage; NaN for anything unbounded. */
double hr_unit_bound(const char *key, int counter);

/* Writes x in unit for people, 3 significant digits, never an exponent:
 * bytes (and bytes/s) with binary prefixes (512 B, 1.5 KiB ... 35.2 TiB);
 * seconds as us, ms, s, min, h or d as fits; ratio times 100 and percent
 * as "82 %"; celsius "21.5 °C"; anything else with SI prefixes (k, M, G,
 * T, P, E) and the unit after a blank ("1.71 k req/s", "12.3 cores",
 * "258"). NaN: "n/a"; infinities: "inf" / "-inf". buf >= 48 bytes.
 * unit NULL is "". Returns buf. */
char *hr_fmt_unit(double x, const char *unit, char *buf, size_t size);

#endif
