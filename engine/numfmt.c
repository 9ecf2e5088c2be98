/* numfmt.c -- see numfmt.h. */
#include "numfmt.h"

#include <ctype.h>
#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

char *hr_fmt_double(double x, char *buf, size_t size)
{
    if (isnan(x)) {
        snprintf(buf, size, "NaN");
        return buf;
    }
    if (isinf(x)) {
        snprintf(buf, size, x > 0 ? "Inf" : "-Inf");
        return buf;
    }
    if (x == 0) {
        snprintf(buf, size, "0"); /* also for -0 */
        return buf;
    }
    /* %.15g is the shortest text when one of 15 digits or fewer reads
     * back as x: such a decimal d is within half an ulp of x, far closer
     * than half a step of the 15-digit grid d lies on, so rounding x to
     * 15 digits gives d (its zeros stripped by %g). Else 16, else 17
     * digits, which always read back. Subnormals have fewer bits than
     * that argument needs: there every precision is tried. */
    for (int p = fabs(x) < DBL_MIN ? 1 : 15; p <= 17; p++) {
        snprintf(buf, size, "%.*g", p, x);
        if (p == 17 || strtod(buf, NULL) == x) {
            /* %g writes 10 as 1e+01 when one digit suffices: give numbers
             * of ordinary size all their integer digits instead */
            double ax = fabs(x);
            if (strchr(buf, 'e') && ax >= 1 && ax < 1e16) {
                int digits = (int)floor(log10(ax)) + 1;
                snprintf(buf, size, "%.*g", digits > p ? digits : p, x);
            }
            break;
        }
    }
    return buf;
}

void hr_csv_put(FILE *fp, const char *s)
{
    size_t n = strlen(s);
    /* blanks at either end are trimmed by CSV readers unless quoted */
    int edge = n && (s[0] == ' ' || s[0] == '\t' || s[n - 1] == ' ' || s[n - 1] == '\t');
    if (!edge && !strpbrk(s, ",\"\r\n")) {
        fputs(s, fp);
        return;
    }
    fputc('"', fp);
    for (; *s; s++) {
        if (*s == '"')
            fputc('"', fp);
        fputc(*s, fp);
    }
    fputc('"', fp);
}

int hr_size_parse(const char *s, unsigned long long *bytes)
{
    char *e;
    if (!s || !*s || isspace((unsigned char)*s) || *s == '-' || *s == '+')
        return -1;
    double x = strtod(s, &e);
    if (e == s || !isfinite(x) || x < 0)
        return -1;
    static const char units[] = "KMGT";
    double mul = 1;
    if ((*e == 'b' || *e == 'B') && !e[1]) {
        e++;
    } else if (*e) {
        const char *u = strchr(units, toupper((unsigned char)*e));
        if (!u)
            return -1;
        for (const char *q = units; q <= u; q++)
            mul *= 1024;
        e++;
        if (*e == 'i' || *e == 'I')
            e++;
        if (*e == 'b' || *e == 'B')
            e++;
    }
    if (*e || x * mul > 4611686018427387904.0)
        return -1;
    *bytes = (unsigned long long)(x * mul + 0.5);
    return 0;
}
