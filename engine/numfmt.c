/* numfmt.c -- see numfmt.h. */
#include "numfmt.h"

#include <ctype.h>
#include <float.h>
#include <math.h>
#include <stdint.h>
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

/* ---- the digits of x without printf, where a long double decides them.
 * x * 10^k in long double (64 significand bits on x86-64) is within 2^-64
 * of the truth, under 0.006 of a unit at 17 digits: rounding it to an
 * integer gives the correctly rounded digits unless the fraction is near
 * a half, where printf decides instead. A candidate of at most 2^53 times
 * a power of ten up to 10^22 reads back as one IEEE multiplication or
 * division (both exact operands, one rounding: what strtod gives). */
#if LDBL_MANT_DIG >= 64
#define FAST_DIGITS 1
static const long double P10L[28] = {1e0L,  1e1L,  1e2L,  1e3L,  1e4L,  1e5L,  1e6L,  1e7L,  1e8L,  1e9L,
                                     1e10L, 1e11L, 1e12L, 1e13L, 1e14L, 1e15L, 1e16L, 1e17L, 1e18L, 1e19L,
                                     1e20L, 1e21L, 1e22L, 1e23L, 1e24L, 1e25L, 1e26L, 1e27L};
#else
#define FAST_DIGITS 0
#endif
static const double P10D[23] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,  1e8,  1e9,  1e10, 1e11,
                                1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};
static const uint64_t P10U[19] = {1ull,
                                  10ull,
                                  100ull,
                                  1000ull,
                                  10000ull,
                                  100000ull,
                                  1000000ull,
                                  10000000ull,
                                  100000000ull,
                                  1000000000ull,
                                  10000000000ull,
                                  100000000000ull,
                                  1000000000000ull,
                                  10000000000000ull,
                                  100000000000000ull,
                                  1000000000000000ull,
                                  10000000000000000ull,
                                  100000000000000000ull,
                                  1000000000000000000ull};

/* The p digits (p <= 17) nearest ax > 0 as the integer *m, with *e the
 * power of ten of the first; 0 when a long double cannot decide them. */
static int digits_of(double ax, int p, int e, uint64_t *m, int *re)
{
#if FAST_DIGITS
    for (int tries = 0; tries < 3; tries++) {
        int k = p - 1 - e;
        if (k > 27 || k < -27)
            return 0;
        long double y = k >= 0 ? (long double)ax * P10L[k] : (long double)ax / P10L[-k];
        if (y < (long double)P10U[p - 1]) {
            e--;
            continue;
        }
        if (y >= (long double)P10U[p]) {
            e++;
            continue;
        }
        long double fl = floorl(y), fr = y - fl;
        if (fabsl(fr - 0.5L) < 0.02L)
            return 0;
        uint64_t mm = (uint64_t)fl + (fr > 0.5L);
        if (mm == P10U[p]) { /* 99..9.5 rounds up to a new digit */
            mm = P10U[p - 1];
            e++;
        }
        *m = mm;
        *re = e;
        return 1;
    }
#else
    (void)ax, (void)p, (void)e, (void)m, (void)re;
#endif
    return 0;
}

static double read_back(int neg, const char *r, int p, int e);

/* The double the p digits r (the integer m) at power e read back as: one
 * IEEE operation when m <= 2^53 and the power is within 10^22, else
 * strtod. */
static double reads_back(uint64_t m, const char *r, int p, int e)
{
    int s = e - p + 1;
    if (m <= (UINT64_C(1) << 53) && s >= -22 && s <= 22)
        return s >= 0 ? (double)m * P10D[s] : (double)m / P10D[-s];
    return read_back(0, r, p, e);
}

/* m's p digits into r */
static void digits_text(uint64_t m, int p, char *r)
{
    for (int k = p - 1; k >= 0; k--) {
        r[k] = (char)('0' + m % 10);
        m /= 10;
    }
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
     * printf's exact conversion was most of the cost of a number
     * (capacity.json has millions), so the candidates' digits come from
     * a long double product where it decides them (digits_of: nearly
     * always; 167 ns a number instead of 780), else from the 17 digits
     * of one printf, rounded (round_digits). The text is the same as
     * printing each precision (test_units compares them). */
    int p = 0, fast = 0;
    double ax = fabs(x);
    if (ax >= DBL_MIN) {
        /* the digits by digits_of where it decides them, else by
         * printf (below) */
        int e2, neg = x < 0;
        frexp(ax, &e2);
        int e = (int)floor((e2 - 1) * 0.30102999566398120);
        /* 15, 16 and 17 digits in turn, each computed only when the
         * shorter did not read back */
        for (int q = 15; q <= 17 && !fast; q++) {
            uint64_t m;
            int em;
            char r[18];
            if (!digits_of(ax, q, e, &m, &em))
                break; /* near a half: printf decides (below) */
            digits_text(m, q, r);
            if (q == 17 || reads_back(m, r, q, em) == ax) {
                p = q;
                g_style(neg, r, q, em, buf, size);
                fast = 1;
            }
        }
    }
    if (fast) {
        /* done */
    } else if (ax >= DBL_MIN) {
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
