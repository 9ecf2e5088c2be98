/* numfmt.h -- shortest round-trip text for doubles, and CSV field quoting.
 * Pure functions; reentrant. */
#ifndef HR_NUMFMT_H
#define HR_NUMFMT_H

#include <stddef.h>
#include <stdio.h>

/* Writes the shortest "%.Ng" (N = 1..17) that reads back as exactly x,
 * so outputs are both exact and readable ("71.3", not "71.299999999999997").
 * Non-finite x is written as "NaN", "Inf" or "-Inf". buf >= 32 bytes. */
char *hr_fmt_double(double x, char *buf, size_t size);

/* Writes s as one CSV field: verbatim unless it holds a comma, quote,
 * CR or LF or starts or ends with a blank, else quoted with quotes doubled
 * (RFC 4180). */
void hr_csv_put(FILE *fp, const char *s);

/* Reads a size in bytes: a number with an optional unit K, M, G or T
 * (binary: 1024, 1024^2, ...; "KiB", "KB", "k" and so on are the same),
 * e.g. "512M", "1.5G", "8GiB", "1000000". Returns 0 with *bytes set, or
 * -1 (not a size, negative, or over 2^62 bytes). */
int hr_size_parse(const char *s, unsigned long long *bytes);

#endif
