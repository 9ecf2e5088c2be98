/* svg.h -- small deterministic SVG chart primitives for the HTML reports:
 * a plot frame mapping data to pixels, "nice" value ticks (1/2/5 x 10^k),
 * a UTC time axis, lines that break at NaN, filled bands (forecast fans),
 * horizontal reference lines, vertical markers and spans, step lines
 * (burn-down) and timelines (one row per item, a rectangle per span).
 * Owns: the SVG markup, its CSS classes (hr_svg_css) and XML escaping.
 * Not: page layout, what to draw, data selection.
 * Writes to the caller's FILE*; every coordinate is printed "%.1f" and
 * every label with fixed formats, so the same input gives the same bytes
 * (stdio number formatting assumes the "C" locale, the program default).
 * Reentrant: no globals; a hr_svg frame is a plain value.
 *
 * Pixel coordinates: x to the right, y down, from the SVG's top left.
 * Data coordinates: x is usually UTC milliseconds (as double: exact up to
 * 2^53 ms), y in the series' units. Drawing clamps to the plot area, so a
 * value off the chart sits on its edge instead of drawing outside. */
#ifndef HR_SVG_H
#define HR_SVG_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define HR_SVG_MAX_TICKS 64

/* A plot area: pixel rectangle [left, left+width] x [top, top+height] and
 * the data ranges mapped onto it (x0 at the left, y0 at the bottom; y0 >
 * y1 flips the axis, as timelines do with rows counted from the top). */
typedef struct hr_svg {
    FILE *f;
    double left, top, width, height;
    double x0, x1, y0, y1;
} hr_svg;

/* Writes s as XML character data or an attribute value: & < > " ' as
 * entities, control characters as blanks, invalid UTF-8 as U+FFFD (the
 * output is always well-formed). NULL writes nothing. */
void hr_svg_esc(FILE *f, const char *s);
/* The same, cut at max_chars characters (code points), the last of them
 * an ellipsis (U+2026) when s is longer; max_chars 0 means no limit. */
void hr_svg_esc_max(FILE *f, const char *s, size_t max_chars);

/* The CSS rules for the classes the primitives and callers use (hs-*),
 * for the document's <style> element. Colours are the Okabe-Ito
 * colour-blind-safe palette on white; no backgrounds. */
void hr_svg_css(FILE *f);

/* Opens an <svg> of width x height px with viewBox, role="img", the
 * aria-label and a <title> child (both from title; desc, when not NULL,
 * becomes a <desc>). xmlns = 1 adds the SVG namespace (a standalone .svg
 * file); inline SVG in HTML5 needs none. hr_svg_end closes it. */
void hr_svg_begin(FILE *f, double width, double height, const char *title, const char *desc, int xmlns);
void hr_svg_end(FILE *f);

/* Sets up a frame; a degenerate range (x1 == x0, or y1 == y0) is widened
 * so the mapping stays finite. */
void hr_svg_frame(hr_svg *p, FILE *f, double left, double top, double width, double height, double x0,
                  double x1, double y0, double y1);
double hr_svg_px(const hr_svg *p, double x); /* data x -> pixel x (unclamped) */
double hr_svg_py(const hr_svg *p, double y); /* data y -> pixel y (unclamped) */

/* The nice step (1, 2 or 5 x 10^k) at least raw (> 0). */
double hr_svg_nice_step(double raw);
/* Ticks covering [lo, hi]: multiples of the smallest nice step giving at
 * most max_ticks (2..HR_SVG_MAX_TICKS) ticks from floor(lo/step) to
 * ceil(hi/step) steps, written to ticks[] (room for max_ticks); returns
 * their count (>= 2). lo == hi is widened; non-finite input gives 0..1.
 * E.g. 0..97 with 6 ticks: 0, 20, 40, 60, 80, 100. */
size_t hr_svg_nice_ticks(double lo, double hi, size_t max_ticks, double *ticks, double *step);
/* Tick label: fixed decimals from the step; when the largest |tick|
 * reaches 10^4, in the largest of k, M, G, T it holds at least once
 * (20000 -> "20k", 2.5e9 -> "2.5G", 0.5 -> "0.5"). */
const char *hr_svg_tick_label(double v, double step, double maxabs, char *b, size_t n);
/* hr_svg_nice_ticks in a series' unit: for bytes, nice numbers of the
 * binary prefix (KiB ... EiB) the range is shown in; else the same. */
size_t hr_svg_nice_ticks_unit(double lo, double hi, size_t max_ticks, double *ticks, double *step,
                              const char *vunit);

/* Time ticks in [t0, t1] (UTC ms): the finest of 1, 5, 15, 30 min, 1, 3,
 * 6, 12 h, 1 day, 1 week (Mondays), 1, 3, 6 months, 1, 2, 5, 10 years
 * (first of the month / of January) giving at most max_ticks ticks;
 * returns their count (<= max_ticks) and the chosen unit (0: sub-day,
 * 1: days or weeks, 2: months, 3: years) in *unit when not NULL. */
size_t hr_svg_time_ticks(double t0, double t1, size_t max_ticks, int64_t *ticks, int *unit);
/* Label of a time tick: "HH:MM" (sub-day; "MM-DD HH:MM" at midnight or
 * for steps of 3 h and more: pass long_form), "YYYY-MM-DD", "YYYY-MM" or
 * "YYYY" by unit. */
const char *hr_svg_time_label(int64_t t, int unit, int long_form, char *b, size_t n);

/* Axes: the value axis draws grid lines and labels at ticks (from
 * hr_svg_nice_ticks; those outside [y0, y1] are skipped) and the unit,
 * when not NULL, above the plot; the time axis draws a baseline, grid
 * lines and at most max_ticks UTC labels below the plot and "UTC". */
void hr_svg_value_axis(const hr_svg *p, const double *ticks, size_t n, double step, const char *unit);
/* The same with tick labels in a series' unit through hr_fmt_unit
 * ("512 GiB", "12.3 ms"); vunit NULL or "": as hr_svg_value_axis. */
void hr_svg_value_axis_unit(const hr_svg *p, const double *ticks, size_t n, double step, const char *unit,
                            const char *vunit);
void hr_svg_time_axis(const hr_svg *p, size_t max_ticks);

/* Line through (x_i, y_i), i < n, with x_i = x[i], or x0 + i dx when x is
 * NULL. NaN in y (or x) breaks it: each run of finite points is one
 * <polyline> (a run of one point a small circle). Consecutive points on
 * the same printed pixel are written once. cls is the CSS class. */
void hr_svg_line(const hr_svg *p, const double *x, double x0, double dx, const double *y, size_t n,
                 const char *cls);
/* Filled band between lo[i] and hi[i] (a polygon per run where both are
 * finite), x as in hr_svg_line. */
void hr_svg_band(const hr_svg *p, const double *x, double x0, double dx, const double *lo, const double *hi,
                 size_t n, const char *cls);
/* Step line holding y[i] from x[i] to x[i+1] (the last point ends the
 * line), for burn-downs; NaN breaks it. */
void hr_svg_step(const hr_svg *p, const double *x, const double *y, size_t n, const char *cls);

/* Horizontal reference line at data y across the plot, the label (may be
 * NULL) just above it at the left end. Nothing when y is not finite or
 * outside the y range. */
void hr_svg_hline(const hr_svg *p, double y, const char *label, const char *cls);
/* Vertical marker at data x with the label at the top, on label row
 * `row` (0, 1, 2...: staggered so close markers stay readable), cut at
 * 28 characters. Nothing when x is outside the x range. */
void hr_svg_vline(const hr_svg *p, double x, const char *label, int row, const char *cls);
/* Shaded vertical span [xa, xb] (clamped to the x range; nothing if
 * empty after clamping). */
void hr_svg_vspan(const hr_svg *p, double xa, double xb, const char *cls);

/* Timelines: frame with y0 = rows, y1 = 0 so row r spans data y r..r+1
 * from the top. hr_svg_row_label writes the label left of the plot (cut
 * at max_chars, the full text as a tooltip <title>); hr_svg_bar a
 * rectangle [xa, xb] on row r, at least 2 px wide, with tip (may be NULL)
 * as its <title>. */
void hr_svg_row_label(const hr_svg *p, size_t row, const char *label, size_t max_chars, const char *cls);
void hr_svg_bar(const hr_svg *p, size_t row, double xa, double xb, const char *cls, const char *tip);

/* One legend entry at pixel (x, y): a swatch (kind 0: a line drawn with
 * cls, 1: a filled box with cls) and the text; returns the x after it. */
double hr_svg_legend(FILE *f, double x, double y, int kind, const char *cls, const char *text);
/* The width an entry with this text takes (what hr_svg_legend adds to x),
 * to wrap a legend before it runs off the SVG. */
double hr_svg_legend_width(const char *text);

/* Free text at pixel (x, y) with the class and anchor ("start", "middle",
 * "end"). */
void hr_svg_text(FILE *f, double x, double y, const char *anchor, const char *cls, const char *text);

/* A formatted number "-0", "-0.0" ... becomes "0", "0.0" (in place). */
void hr_svg_fix_neg_zero(char *b);

#endif
