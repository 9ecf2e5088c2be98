/* svg.c -- see svg.h. Everything goes through fprintf with fixed formats
 * ("%.1f" pixels), so charts are byte-identical for identical input. */
#include "svg.h"

#include <math.h>
#include <string.h>

#include "timefmt.h"
#include "units.h"

#define MIN_MS INT64_C(60000)
#define HOUR_MS (60 * MIN_MS)
#define DAY_MS (24 * HOUR_MS)

/* ---- text --------------------------------------------------------------- */

/* Length of the valid UTF-8 sequence at s (1..4), or 0 when the bytes
 * there are not one (bad lead or continuation byte, overlong form,
 * surrogate, above U+10FFFF, or cut short by the terminating NUL). */
static size_t utf8_len(const unsigned char *s)
{
    unsigned c = s[0];
    if (c < 0x80)
        return 1;
    size_t n;
    unsigned cp;
    if (c >= 0xC2 && c <= 0xDF) {
        n = 2;
        cp = c & 0x1F;
    } else if (c >= 0xE0 && c <= 0xEF) {
        n = 3;
        cp = c & 0x0F;
    } else if (c >= 0xF0 && c <= 0xF4) {
        n = 4;
        cp = c & 0x07;
    } else
        return 0;
    for (size_t i = 1; i < n; i++) {
        if ((s[i] & 0xC0) != 0x80)
            return 0; /* also stops at the NUL */
        cp = (cp << 6) | (s[i] & 0x3F);
    }
    if ((n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000) || cp > 0x10FFFF ||
        (cp >= 0xD800 && cp <= 0xDFFF) || cp == 0xFFFE || cp == 0xFFFF)
        return 0;
    return n;
}

/* code points of s, an invalid byte counting as one */
static size_t utf8_chars(const char *s)
{
    size_t k = 0;
    const unsigned char *u = (const unsigned char *)s;
    while (*u) {
        size_t l = utf8_len(u);
        u += l ? l : 1;
        k++;
    }
    return k;
}

void hr_svg_esc_max(FILE *f, const char *s, size_t max_chars)
{
    if (!s)
        return;
    size_t keep = (size_t)-1;
    if (max_chars && utf8_chars(s) > max_chars)
        keep = max_chars > 1 ? max_chars - 1 : 1;
    const unsigned char *u = (const unsigned char *)s;
    for (size_t k = 0; *u && k < keep; k++) {
        size_t l = utf8_len(u);
        if (l == 0) {
            fputs("&#xFFFD;", f);
            u++;
            continue;
        }
        if (l > 1) {
            fwrite(u, 1, l, f);
            u += l;
            continue;
        }
        switch (*u) {
        case '&': fputs("&amp;", f); break;
        case '<': fputs("&lt;", f); break;
        case '>': fputs("&gt;", f); break;
        case '"': fputs("&quot;", f); break;
        case '\'': fputs("&#39;", f); break;
        default: fputc(*u < 0x20 || *u == 0x7F ? ' ' : *u, f); break;
        }
        u++;
    }
    if (*u)
        fputs("&#8230;", f); /* the ellipsis */
}

void hr_svg_esc(FILE *f, const char *s) { hr_svg_esc_max(f, s, 0); }

/* ---- document ----------------------------------------------------------- */

void hr_svg_css(FILE *f)
{
    fputs("svg.hs{display:block;max-width:100%;height:auto;font-size:11px;font-family:inherit}\n"
          ".hs text{fill:#222}\n"
          ".hs .hs-tick{fill:#333}\n"
          ".hs .hs-unit,.hs .hs-note{fill:#555;font-style:italic}\n"
          ".hs .hs-rowlab{fill:#222;font-family:ui-monospace,Menlo,Consolas,monospace;font-size:10.5px}\n"
          ".hs .hs-rowlab.hs-origin{font-weight:bold}\n"
          ".hs-grid{stroke:#e4e4e4;stroke-width:1}\n"
          ".hs-axis{stroke:#555;stroke-width:1}\n"
          ".hs-peak{fill:none;stroke:#0072B2;stroke-width:1.2}\n"
          ".hs-fan{fill:#56B4E9;fill-opacity:0.3;stroke:none}\n"
          ".hs-mid{fill:none;stroke:#0072B2;stroke-width:1.5;stroke-dasharray:5 3}\n"
          ".hs-cap{stroke:#000;stroke-width:1.5}\n"
          ".hs-thr{stroke:#D55E00;stroke-width:1.5;stroke-dasharray:6 3}\n"
          ".hs-sat{stroke:#D55E00;stroke-width:1.5}\n"
          ".hs-satband{fill:#D55E00;fill-opacity:0.12;stroke:none}\n"
          ".hs-asof{stroke:#777;stroke-width:1;stroke-dasharray:2 3}\n"
          ".hs-level{fill:none;stroke:#999;stroke-width:1}\n"
          ".hs-organic{fill:none;stroke:#009E73;stroke-width:2}\n"
          ".hs-step{stroke:#CC79A7;stroke-width:1.5;stroke-dasharray:4 2}\n"
          ".hs-unexpl{stroke:#D55E00;stroke-width:1.5;stroke-dasharray:4 2}\n"
          ".hs-event{stroke:#0072B2;stroke-width:1;stroke-dasharray:1 3}\n"
          ".hs-span{fill:#999}\n"
          ".hs-minor{fill:#56B4E9}\n"
          ".hs-major{fill:#E69F00}\n"
          ".hs-critical{fill:#D55E00}\n"
          "rect.hs-origin{stroke:#000;stroke-width:1.5}\n"
          ".hs-burn{fill:none;stroke:#0072B2;stroke-width:2}\n"
          ".hs-zero{stroke:#000;stroke-width:1.2}\n"
          ".hs-alert{stroke:#D55E00;stroke-width:1;stroke-dasharray:3 2}\n",
          f);
}

/* a pixel coordinate: one decimal, never "-0.0" */
static void co(FILE *f, double v)
{
    if (!isfinite(v))
        v = 0;
    if (v > -0.05 && v < 0.05)
        v = 0;
    fprintf(f, "%.1f", v);
}

void hr_svg_begin(FILE *f, double width, double height, const char *title, const char *desc, int xmlns)
{
    fputs("<svg class=\"hs\"", f);
    if (xmlns)
        fputs(" xmlns=\"http://www.w3.org/2000/svg\"", f);
    fputs(" width=\"", f);
    co(f, width);
    fputs("\" height=\"", f);
    co(f, height);
    fputs("\" viewBox=\"0 0 ", f);
    co(f, width);
    fputc(' ', f);
    co(f, height);
    fputs("\" role=\"img\" aria-label=\"", f);
    hr_svg_esc(f, title);
    fputs("\"><title>", f);
    hr_svg_esc(f, title);
    fputs("</title>\n", f);
    if (desc) {
        fputs("<desc>", f);
        hr_svg_esc(f, desc);
        fputs("</desc>\n", f);
    }
}

void hr_svg_end(FILE *f) { fputs("</svg>\n", f); }

/* ---- frame -------------------------------------------------------------- */

void hr_svg_frame(hr_svg *p, FILE *f, double left, double top, double width, double height, double x0,
                  double x1, double y0, double y1)
{
    p->f = f;
    p->left = left;
    p->top = top;
    p->width = width > 1 ? width : 1;
    p->height = height > 1 ? height : 1;
    if (!isfinite(x0) || !isfinite(x1)) {
        x0 = 0;
        x1 = 1;
    }
    if (!isfinite(y0) || !isfinite(y1)) {
        y0 = 0;
        y1 = 1;
    }
    if (x1 == x0)
        x1 = x0 + (x0 != 0 ? fabs(x0) * 1e-6 : 1);
    if (y1 == y0)
        y1 = y0 + (y0 != 0 ? fabs(y0) * 1e-6 : 1);
    p->x0 = x0;
    p->x1 = x1;
    p->y0 = y0;
    p->y1 = y1;
}

double hr_svg_px(const hr_svg *p, double x) { return p->left + p->width * (x - p->x0) / (p->x1 - p->x0); }
double hr_svg_py(const hr_svg *p, double y) { return p->top + p->height * (1 - (y - p->y0) / (p->y1 - p->y0)); }

static double clampd(double v, double lo, double hi) { return v < lo ? lo : v > hi ? hi : v; }
static double cx(const hr_svg *p, double x) { return clampd(hr_svg_px(p, x), p->left, p->left + p->width); }
static double cy(const hr_svg *p, double y) { return clampd(hr_svg_py(p, y), p->top, p->top + p->height); }
static int in_x(const hr_svg *p, double x)
{
    double lo = fmin(p->x0, p->x1), hi = fmax(p->x0, p->x1);
    return isfinite(x) && x >= lo && x <= hi;
}
static int in_y(const hr_svg *p, double y)
{
    double lo = fmin(p->y0, p->y1), hi = fmax(p->y0, p->y1);
    return isfinite(y) && y >= lo && y <= hi;
}

static void line_el(FILE *f, const char *cls, double xa, double ya, double xb, double yb)
{
    fprintf(f, "<line class=\"%s\" x1=\"", cls);
    co(f, xa);
    fputs("\" y1=\"", f);
    co(f, ya);
    fputs("\" x2=\"", f);
    co(f, xb);
    fputs("\" y2=\"", f);
    co(f, yb);
    fputs("\"/>\n", f);
}

/* ---- ticks -------------------------------------------------------------- */

double hr_svg_nice_step(double raw)
{
    if (!(raw > 0) || !isfinite(raw))
        return 1;
    double p = pow(10, floor(log10(raw)));
    double m = raw / p; /* in [1, 10) up to rounding */
    double s = m <= 1 + 1e-9 ? 1 : m <= 2 + 1e-9 ? 2 : m <= 5 + 1e-9 ? 5 : 10;
    return s * p;
}

size_t hr_svg_nice_ticks_unit(double lo, double hi, size_t max_ticks, double *ticks, double *step_out,
                              const char *vunit)
{
    /* bytes: nice numbers of the binary prefix the top is shown in, so
     * the labels read "256 GiB", not "233 GiB" */
    double div = 1;
    if (vunit && (!strcmp(vunit, "bytes") || !strcmp(vunit, "bytes/s")))
        while (div < 0x1p60 && fmax(fabs(lo), fabs(hi)) / div >= 1024)
            div *= 1024;
    size_t n = hr_svg_nice_ticks(lo / div, hi / div, max_ticks, ticks, step_out);
    for (size_t k = 0; k < n && k < HR_SVG_MAX_TICKS; k++)
        ticks[k] *= div;
    *step_out *= div;
    return n;
}

size_t hr_svg_nice_ticks(double lo, double hi, size_t max_ticks, double *ticks, double *step_out)
{
    if (max_ticks < 2)
        max_ticks = 2;
    if (max_ticks > HR_SVG_MAX_TICKS)
        max_ticks = HR_SVG_MAX_TICKS;
    if (!isfinite(lo) || !isfinite(hi)) {
        lo = 0;
        hi = 1;
    }
    if (lo > hi) {
        double t = lo;
        lo = hi;
        hi = t;
    }
    if (hi == lo) {
        if (lo == 0)
            hi = 1;
        else {
            double d = fabs(lo) * 0.1;
            lo -= d;
            hi += d;
        }
    }
    double step = hr_svg_nice_step((hi - lo) / (double)(max_ticks - 1));
    for (int guard = 0; guard < 64; guard++) {
        double a = floor(lo / step + 1e-9), b = ceil(hi / step - 1e-9);
        if (b < a)
            b = a;
        double cnt = b - a + 1;
        if (cnt < 2) {
            b = a + 1;
            cnt = 2;
        }
        if (cnt <= (double)max_ticks) {
            size_t n = (size_t)cnt;
            for (size_t k = 0; k < n; k++) {
                double v = (a + (double)k) * step;
                ticks[k] = fabs(v) < step * 1e-9 ? 0 : v;
            }
            if (step_out)
                *step_out = step;
            return n;
        }
        step = hr_svg_nice_step(step * 1.01);
    }
    ticks[0] = lo;
    ticks[1] = hi;
    if (step_out)
        *step_out = hi - lo;
    return 2;
}

void hr_svg_fix_neg_zero(char *b)
{
    if (b[0] != '-')
        return;
    for (const char *s = b + 1; *s; s++)
        if (*s >= '1' && *s <= '9')
            return;
    memmove(b, b + 1, strlen(b));
}

const char *hr_svg_tick_label(double v, double step, double maxabs, char *b, size_t n)
{
    static const char *const suffix[] = {"", "k", "M", "G", "T"};
    int si = 0;
    double div = 1;
    if (maxabs >= 1e4)
        while (si < 4 && maxabs / (div * 1e3) >= 1) {
            div *= 1e3;
            si++;
        }
    double st = step / div;
    int dec = 0;
    if (st > 0 && st < 1)
        dec = (int)ceil(-log10(st) - 1e-9);
    if (dec > 9)
        dec = 9;
    if (v == 0)
        snprintf(b, n, "0");
    else
        snprintf(b, n, "%.*f%s", dec, v / div, suffix[si]);
    hr_svg_fix_neg_zero(b);
    return b;
}

static int64_t floor_div(int64_t a, int64_t b)
{
    int64_t q = a / b;
    return (a % b != 0 && ((a < 0) != (b < 0))) ? q - 1 : q;
}

/* ticks t = align + k step in [t0, t1]; count, and up to cap written */
static size_t fixed_ticks(int64_t t0, int64_t t1, int64_t step, int64_t align, int64_t *out, size_t cap)
{
    int64_t k = floor_div(t0 - align, step);
    int64_t t = align + k * step;
    if (t < t0)
        t += step;
    size_t n = 0;
    for (; t <= t1; t += step) {
        if (out && n < cap)
            out[n] = t;
        n++;
        if (n > cap)
            break; /* too many: the caller moves on */
    }
    return n;
}

static int64_t month_start(int64_t midx) /* months since year 0 -> ms */
{
    int64_t y = floor_div(midx, 12);
    unsigned m = (unsigned)(midx - y * 12) + 1;
    return hr_days_from_civil(y, m, 1) * DAY_MS;
}

static size_t month_ticks(int64_t t0, int64_t t1, int64_t k, int64_t *out, size_t cap)
{
    int64_t y;
    unsigned m, d;
    hr_civil_from_days(floor_div(t0, DAY_MS), &y, &m, &d);
    int64_t midx = y * 12 + (int64_t)m - 1;
    if (month_start(midx) < t0)
        midx++;
    midx = floor_div(midx + k - 1, k) * k; /* round up to a multiple of k */
    size_t n = 0;
    for (int64_t t; (t = month_start(midx)) <= t1; midx += k) {
        if (out && n < cap)
            out[n] = t;
        n++;
        if (n > cap)
            break;
    }
    return n;
}

size_t hr_svg_time_ticks(double t0, double t1, size_t max_ticks, int64_t *ticks, int *unit)
{
    static const int64_t fixed[] = {MIN_MS,      5 * MIN_MS,  15 * MIN_MS, 30 * MIN_MS, HOUR_MS,
                                    3 * HOUR_MS, 6 * HOUR_MS, 12 * HOUR_MS, DAY_MS,     7 * DAY_MS};
    static const int64_t months[] = {1, 3, 6, 12, 24, 60, 120};
    if (max_ticks < 1)
        max_ticks = 1;
    if (max_ticks > HR_SVG_MAX_TICKS)
        max_ticks = HR_SVG_MAX_TICKS;
    if (!isfinite(t0) || !isfinite(t1) || t1 < t0 || t0 < -9e15 || t1 > 9e15) {
        if (unit)
            *unit = 1;
        return 0;
    }
    int64_t a = (int64_t)ceil(t0), b = (int64_t)floor(t1);
    for (size_t i = 0; i < sizeof fixed / sizeof fixed[0]; i++) {
        /* weeks start on Monday: 1970-01-05 is the first one */
        int64_t align = fixed[i] == 7 * DAY_MS ? 4 * DAY_MS : 0;
        size_t n = fixed_ticks(a, b, fixed[i], align, NULL, max_ticks);
        if (n <= max_ticks) {
            if (unit)
                *unit = fixed[i] < DAY_MS ? 0 : 1;
            return fixed_ticks(a, b, fixed[i], align, ticks, max_ticks);
        }
    }
    for (size_t i = 0; i < sizeof months / sizeof months[0]; i++) {
        size_t n = month_ticks(a, b, months[i], NULL, max_ticks);
        if (n <= max_ticks || i + 1 == sizeof months / sizeof months[0]) {
            if (unit)
                *unit = months[i] < 12 ? 2 : 3;
            n = month_ticks(a, b, months[i], ticks, max_ticks);
            return n < max_ticks ? n : max_ticks;
        }
    }
    return 0;
}

const char *hr_svg_time_label(int64_t t, int unit, int long_form, char *b, size_t n)
{
    int64_t day = floor_div(t, DAY_MS), sod = t - day * DAY_MS;
    int64_t y;
    unsigned m, d;
    hr_civil_from_days(day, &y, &m, &d);
    int hh = (int)(sod / HOUR_MS), mm = (int)(sod / MIN_MS % 60);
    switch (unit) {
    case 0:
        if (long_form)
            snprintf(b, n, "%02u-%02u %02d:%02d", m, d, hh, mm);
        else
            snprintf(b, n, "%02d:%02d", hh, mm);
        break;
    case 2: snprintf(b, n, "%04lld-%02u", (long long)y, m); break;
    case 3: snprintf(b, n, "%04lld", (long long)y); break;
    default: snprintf(b, n, "%04lld-%02u-%02u", (long long)y, m, d); break;
    }
    return b;
}

/* ---- axes --------------------------------------------------------------- */

void hr_svg_value_axis(const hr_svg *p, const double *ticks, size_t n, double step, const char *unit)
{
    hr_svg_value_axis_unit(p, ticks, n, step, unit, NULL);
}

void hr_svg_value_axis_unit(const hr_svg *p, const double *ticks, size_t n, double step, const char *unit,
                            const char *vunit)
{
    FILE *f = p->f;
    double maxabs = 0;
    for (size_t k = 0; k < n; k++)
        maxabs = fmax(maxabs, fabs(ticks[k]));
    char b[48];
    for (size_t k = 0; k < n; k++) {
        if (!in_y(p, ticks[k]))
            continue;
        double y = hr_svg_py(p, ticks[k]);
        line_el(f, "hs-grid", p->left, y, p->left + p->width, y);
        fputs("<text class=\"hs-tick\" x=\"", f);
        co(f, p->left - 6);
        fputs("\" y=\"", f);
        co(f, y + 3.5);
        fputs("\" text-anchor=\"end\">", f);
        if (vunit && *vunit)
            hr_svg_esc(f, ticks[k] == 0 ? "0" : hr_fmt_unit(ticks[k], vunit, b, sizeof b));
        else
            fputs(hr_svg_tick_label(ticks[k], step, maxabs, b, sizeof b), f);
        fputs("</text>\n", f);
    }
    line_el(f, "hs-axis", p->left, p->top, p->left, p->top + p->height);
    if (unit)
        hr_svg_text(f, p->left, p->top - 8, "start", "hs-unit", unit);
}

void hr_svg_time_axis(const hr_svg *p, size_t max_ticks)
{
    FILE *f = p->f;
    int64_t t[HR_SVG_MAX_TICKS];
    int unit = 1;
    double lo = fmin(p->x0, p->x1), hi = fmax(p->x0, p->x1);
    size_t n = hr_svg_time_ticks(lo, hi, max_ticks, t, &unit);
    double bottom = p->top + p->height;
    int64_t step = n > 1 ? t[1] - t[0] : 0;
    char b[48];
    for (size_t k = 0; k < n; k++) {
        double x = hr_svg_px(p, (double)t[k]);
        line_el(f, "hs-grid", x, p->top, x, bottom);
        int long_form = unit == 0 && (k == 0 || step >= 3 * HOUR_MS || t[k] % DAY_MS == 0);
        fputs("<text class=\"hs-tick\" x=\"", f);
        co(f, x);
        fputs("\" y=\"", f);
        co(f, bottom + 14);
        fprintf(f, "\" text-anchor=\"middle\">%s</text>\n", hr_svg_time_label(t[k], unit, long_form, b, sizeof b));
    }
    line_el(f, "hs-axis", p->left, bottom, p->left + p->width, bottom);
    hr_svg_text(f, p->left + p->width, bottom + 27, "end", "hs-note", "UTC");
}

/* ---- series ------------------------------------------------------------- */

static double xat(const double *x, double x0, double dx, size_t i) { return x ? x[i] : x0 + (double)i * dx; }

/* writes "x,y" unless it is the same tenth-of-a-pixel point as the last */
static void pt(FILE *f, double x, double y, long *lx, long *ly, int *first)
{
    long ix = lround(x * 10), iy = lround(y * 10);
    if (!*first && ix == *lx && iy == *ly)
        return;
    if (!*first)
        fputc(' ', f);
    co(f, (double)ix / 10);
    fputc(',', f);
    co(f, (double)iy / 10);
    *lx = ix;
    *ly = iy;
    *first = 0;
}

void hr_svg_line(const hr_svg *p, const double *x, double x0, double dx, const double *y, size_t n,
                 const char *cls)
{
    FILE *f = p->f;
    size_t i = 0;
    while (i < n) {
        while (i < n && !(isfinite(y[i]) && isfinite(xat(x, x0, dx, i))))
            i++;
        if (i >= n)
            break;
        size_t j = i;
        while (j < n && isfinite(y[j]) && isfinite(xat(x, x0, dx, j)))
            j++;
        if (j - i == 1) {
            fprintf(f, "<circle class=\"%s\" cx=\"", cls);
            co(f, cx(p, xat(x, x0, dx, i)));
            fputs("\" cy=\"", f);
            co(f, cy(p, y[i]));
            fputs("\" r=\"1.5\"/>\n", f);
        } else {
            fprintf(f, "<polyline class=\"%s\" points=\"", cls);
            long lx = 0, ly = 0;
            int first = 1;
            for (size_t k = i; k < j; k++)
                pt(f, cx(p, xat(x, x0, dx, k)), cy(p, y[k]), &lx, &ly, &first);
            fputs("\"/>\n", f);
        }
        i = j;
    }
}

void hr_svg_band(const hr_svg *p, const double *x, double x0, double dx, const double *lo, const double *hi,
                 size_t n, const char *cls)
{
    FILE *f = p->f;
    size_t i = 0;
#define OK_(k) (isfinite(lo[k]) && isfinite(hi[k]) && isfinite(xat(x, x0, dx, k)))
    while (i < n) {
        while (i < n && !OK_(i))
            i++;
        if (i >= n)
            break;
        size_t j = i;
        while (j < n && OK_(j))
            j++;
        if (j - i >= 2) {
            fprintf(f, "<polygon class=\"%s\" points=\"", cls);
            long lx = 0, ly = 0;
            int first = 1;
            for (size_t k = i; k < j; k++)
                pt(f, cx(p, xat(x, x0, dx, k)), cy(p, hi[k]), &lx, &ly, &first);
            for (size_t k = j; k-- > i;)
                pt(f, cx(p, xat(x, x0, dx, k)), cy(p, lo[k]), &lx, &ly, &first);
            fputs("\"/>\n", f);
        }
        i = j;
    }
#undef OK_
}

void hr_svg_step(const hr_svg *p, const double *x, const double *y, size_t n, const char *cls)
{
    FILE *f = p->f;
    size_t i = 0;
    while (i < n) {
        while (i < n && !(isfinite(y[i]) && isfinite(x[i])))
            i++;
        if (i >= n)
            break;
        size_t j = i;
        while (j < n && isfinite(y[j]) && isfinite(x[j]))
            j++;
        fprintf(f, "<path class=\"%s\" d=\"M", cls);
        co(f, cx(p, x[i]));
        fputc(' ', f);
        co(f, cy(p, y[i]));
        for (size_t k = i + 1; k < j; k++) {
            fputc('H', f);
            co(f, cx(p, x[k]));
            fputc('V', f);
            co(f, cy(p, y[k]));
        }
        fputs("\"/>\n", f);
        i = j;
    }
}

/* ---- reference lines and markers ---------------------------------------- */

void hr_svg_hline(const hr_svg *p, double y, const char *label, const char *cls)
{
    if (!in_y(p, y))
        return;
    double py = hr_svg_py(p, y);
    line_el(p->f, cls, p->left, py, p->left + p->width, py);
    if (label) /* at the left: the right is where the markers' labels go */
        hr_svg_text(p->f, p->left + 4, py - 4, "start", "hs-label", label);
}

void hr_svg_vline(const hr_svg *p, double x, const char *label, int row, const char *cls)
{
    if (!in_x(p, x))
        return;
    FILE *f = p->f;
    double px = hr_svg_px(p, x);
    line_el(f, cls, px, p->top, px, p->top + p->height);
    if (!label)
        return;
    if (row < 0)
        row = 0;
    double y = p->top + 11 + 12 * row;
    int right = px > p->left + p->width - 170;
    fprintf(f, "<text class=\"hs-label\" x=\"");
    co(f, right ? px - 3 : px + 3);
    fputs("\" y=\"", f);
    co(f, y);
    fprintf(f, "\" text-anchor=\"%s\">", right ? "end" : "start");
    hr_svg_esc_max(f, label, 28);
    fputs("</text>\n", f);
}

void hr_svg_vspan(const hr_svg *p, double xa, double xb, const char *cls)
{
    if (!isfinite(xa) || !isfinite(xb))
        return;
    double a = cx(p, fmin(xa, xb)), b = cx(p, fmax(xa, xb));
    if (b - a <= 0)
        return;
    fprintf(p->f, "<rect class=\"%s\" x=\"", cls);
    co(p->f, a);
    fputs("\" y=\"", p->f);
    co(p->f, p->top);
    fputs("\" width=\"", p->f);
    co(p->f, b - a);
    fputs("\" height=\"", p->f);
    co(p->f, p->height);
    fputs("\"/>\n", p->f);
}

/* ---- timelines ---------------------------------------------------------- */

void hr_svg_row_label(const hr_svg *p, size_t row, const char *label, size_t max_chars, const char *cls)
{
    FILE *f = p->f;
    double y = (hr_svg_py(p, (double)row) + hr_svg_py(p, (double)row + 1)) / 2;
    fprintf(f, "<text class=\"hs-rowlab%s%s\" x=\"", cls ? " " : "", cls ? cls : "");
    co(f, p->left - 6);
    fputs("\" y=\"", f);
    co(f, y + 3.5);
    fputs("\" text-anchor=\"end\"><title>", f);
    hr_svg_esc(f, label);
    fputs("</title>", f);
    hr_svg_esc_max(f, label, max_chars);
    fputs("</text>\n", f);
}

void hr_svg_bar(const hr_svg *p, size_t row, double xa, double xb, const char *cls, const char *tip)
{
    if (!isfinite(xa) || !isfinite(xb))
        return;
    FILE *f = p->f;
    double a = cx(p, fmin(xa, xb)), b = cx(p, fmax(xa, xb));
    if (b - a < 2) { /* an instant stays visible */
        a = fmax(p->left, fmin(a, p->left + p->width - 2));
        b = a + 2;
    }
    double ya = hr_svg_py(p, (double)row + 0.15), yb = hr_svg_py(p, (double)row + 0.85);
    fprintf(f, "<rect class=\"%s\" x=\"", cls);
    co(f, a);
    fputs("\" y=\"", f);
    co(f, fmin(ya, yb));
    fputs("\" width=\"", f);
    co(f, b - a);
    fputs("\" height=\"", f);
    co(f, fabs(yb - ya));
    if (tip) {
        fputs("\"><title>", f);
        hr_svg_esc(f, tip);
        fputs("</title></rect>\n", f);
    } else
        fputs("\"/>\n", f);
}

/* ---- legend and text ---------------------------------------------------- */

double hr_svg_legend(FILE *f, double x, double y, int kind, const char *cls, const char *text)
{
    if (kind == 0)
        line_el(f, cls, x, y - 4, x + 18, y - 4);
    else {
        fprintf(f, "<rect class=\"%s\" x=\"", cls);
        co(f, x);
        fputs("\" y=\"", f);
        co(f, y - 9);
        fputs("\" width=\"18\" height=\"10\"/>\n", f);
    }
    hr_svg_text(f, x + 22, y, "start", NULL, text);
    return x + hr_svg_legend_width(text);
}

double hr_svg_legend_width(const char *text) { return 22 + 6.2 * (double)utf8_chars(text ? text : "") + 16; }

void hr_svg_text(FILE *f, double x, double y, const char *anchor, const char *cls, const char *text)
{
    fputs("<text", f);
    if (cls)
        fprintf(f, " class=\"%s\"", cls);
    fputs(" x=\"", f);
    co(f, x);
    fputs("\" y=\"", f);
    co(f, y);
    fprintf(f, "\" text-anchor=\"%s\">", anchor ? anchor : "start");
    hr_svg_esc(f, text);
    fputs("</text>\n", f);
}
