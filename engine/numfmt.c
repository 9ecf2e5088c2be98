/* numfmt.c -- see numfmt.h. */
#include "numfmt.h"

#include <ctype.h>
#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* x's decimal digits rounded to p of them (p < 17) from its 17 digits d
 * (correctly rounded, as printf gives them), into r, and the exponent
 * of the first digit in *e. Rounding the 17 digits again is rounding x
 * itself except when the digits dropped are exactly a half ("5" at 16
 * digits, "50" at 15): x may lie on either side of it, so that case
 * returns -1 for printf to decide. */
static int round_digits(const char *d, int p, int e, char *r, int *re)
{
    int c = d[p] - '0';
    if (c == 5 && (p == 16 || d[p + 1] == '0'))
        return -1;
    memcpy(r, d, (size_t)p);
    *re = e;
    if (c < 5)
        return 0;
    int k = p - 1;
    while (k >= 0 && r[k] == '9')
        r[k--] = '0';
    if (k >= 0) {
        r[k]++;
    } else { /* 99..9 -> 100..0 */
        r[0] = '1';
        *re = e + 1;
    }
    return 0;
}

/* Appends "e+XX" (at least min digits) at out[j]; returns the new end.
 * (printf's own is a good part of a number's cost.) */
static size_t put_exp(char *out, size_t j, int e, int min)
{
    out[j++] = 'e';
    out[j++] = e < 0 ? '-' : '+';
    unsigned u = (unsigned)(e < 0 ? -e : e);
    char t[8];
    int k = 0;
    do {
        t[k++] = (char)('0' + u % 10);
        u /= 10;
    } while (u);
    while (k < min)
        t[k++] = '0';
    while (k)
        out[j++] = t[--k];
    return j;
}

/* Writes the p digits r (first digit at 10^e) as printf's "%.pg" does:
 * exponent style when e < -4 or e >= p, else plain; trailing zeros of
 * the fraction and a bare point dropped. */
static void g_style(int neg, const char *r, int p, int e, char *buf, size_t size)
{
    int n = p;
    char out[64];
    size_t j = 0;
    if (neg)
        out[j++] = '-';
    if (e < -4 || e >= p) {
        while (n > 1 && r[n - 1] == '0')
            n--;
        out[j++] = r[0];
        if (n > 1) {
            out[j++] = '.';
            memcpy(out + j, r + 1, (size_t)(n - 1));
            j += (size_t)(n - 1);
        }
        j = put_exp(out, j, e, 2);
        out[j] = '\0';
    } else if (e >= 0) {
        memcpy(out + j, r, (size_t)(e + 1));
        j += (size_t)(e + 1);
        while (n > e + 1 && r[n - 1] == '0')
            n--;
        if (n > e + 1) {
            out[j++] = '.';
            memcpy(out + j, r + e + 1, (size_t)(n - e - 1));
            j += (size_t)(n - e - 1);
        }
        out[j] = '\0';
    } else {
        while (n > 1 && r[n - 1] == '0')
            n--;
        out[j++] = '0';
        out[j++] = '.';
        for (int k = 0; k < -e - 1; k++)
            out[j++] = '0';
        memcpy(out + j, r, (size_t)n);
        j += (size_t)n;
        out[j] = '\0';
    }
    if (j < size) {
        memcpy(buf, out, j + 1);
    } else if (size) {
        memcpy(buf, out, size - 1);
        buf[size - 1] = '\0';
    }
}

/* Reads back the p digits r at exponent e: strtod(r[0].r[1..]e<e>). */
static double read_back(int neg, const char *r, int p, int e)
{
    char t[48];
    size_t j = 0;
    if (neg)
        t[j++] = '-';
    t[j++] = r[0];
    t[j++] = '.';
    memcpy(t + j, r + 1, (size_t)(p - 1));
    j += (size_t)(p - 1);
    j = put_exp(t, j, e, 1);
    t[j] = '\0';
    return strtod(t, NULL);
}

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
     * that argument needs: there every precision is tried.
     * The 15 and 16 digit candidates are rounded from the 17 digits of
     * one printf (round_digits), not printed again: printf's exact
     * conversion is most of the cost of a number (capacity.json has
     * millions). The text is the same as printing each precision. */
    int p = 0;
    if (fabs(x) >= DBL_MIN) {
        char d17[40];
        snprintf(d17, sizeof d17, "%.16e", x);
        int neg = d17[0] == '-';
        const char *q = d17 + neg;
        char dig[18], r[18];
        dig[0] = q[0];
        memcpy(dig + 1, q + 2, 16);
        dig[17] = '\0';
        int e = atoi(q + 19); /* "d.dddddddddddddddde+XX" */
        for (p = 15; p <= 16; p++) {
            int re;
            if (round_digits(dig, p, e, r, &re) != 0) {
                snprintf(buf, size, "%.*g", p, x);
                if (strtod(buf, NULL) == x)
                    break;
            } else if (read_back(neg, r, p, re) == x) {
                g_style(neg, r, p, re, buf, size);
                break;
            }
        }
        if (p == 17)
            g_style(neg, dig, 17, e, buf, size);
    } else {
        for (p = 1; p <= 17; p++) {
            snprintf(buf, size, "%.*g", p, x);
            if (p == 17 || strtod(buf, NULL) == x)
                break;
        }
    }
    /* %g writes 10 as 1e+01 when one digit suffices: give numbers of
     * ordinary size all their integer digits instead */
    double ax = fabs(x);
    if (strchr(buf, 'e') && ax >= 1 && ax < 1e16) {
        int digits = (int)floor(log10(ax)) + 1;
        snprintf(buf, size, "%.*g", digits > p ? digits : p, x);
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
