/* numfmt.c -- see numfmt.h. */
#include "numfmt.h"

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
    for (int p = 1; p <= 17; p++) {
        snprintf(buf, size, "%.*g", p, x);
        if (strtod(buf, NULL) == x)
            break;
    }
    return buf;
}

void hr_csv_put(FILE *fp, const char *s)
{
    if (!strpbrk(s, ",\"\r\n")) {
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
