#!/usr/bin/env python3
"""report_check.py -- checks headroom's reports the way a reader gets them.
Python 3 standard library only.

  report_check.py svg FILE.html...   every inline <svg>...</svg> is well-formed
                                     XML (xml.etree), the document's tags are
                                     balanced, each report has an SVG
  report_check.py png [--min-width W] [--min-height H] [--min-share F]
                      [--min-colours N] FILE.png...
                                     a screenshot is neither blank nor
                                     near-uniform nor too small
  report_check.py md-json DIR        the numbers of capacity.md / problems.md
                                     agree with capacity.json / problems.json,
                                     formatted as reports/report.c formats them

The svg and png checks live in page_check.py. Exit 0 when every check
passes, 1 on a failed check (each failure names the file and what
differs), 2 on a usage error. Sections the JSON lacks are
skipped (and said so); md-json fails when it could check nothing.
"""
import collections
import json
import math
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import page_check  # noqa: E402  (the svg and png subcommands)


def err(msg):
    """a failed check: to stderr (stdout says what passed)"""
    sys.stderr.write(msg + "\n")


def die_usage(msg):
    sys.stderr.write("report_check.py: %s\n%s" % (msg, __doc__))
    sys.exit(2)


# ---- md-json -----------------------------------------------------------
# Each Markdown line or table cell that carries a number is rebuilt from the
# JSON the way reports/report.c prints it (hr_rep_fmt %.4g, "%.1f h",
# hr_rep_pct "85.6 %", dates, RFC 3339 times) and compared as text.

def finite(x):
    return isinstance(x, (int, float)) and not isinstance(x, bool) and math.isfinite(x)


def g4(x):
    """hr_rep_fmt: %.4g, "-" for missing or non-finite; SI prefixes
    rather than an exponent from 1e6 and below 1e-3"""
    if not finite(x):
        return "-"
    if abs(x) >= 1e6 or (abs(x) < 1e-3 and x != 0):
        return fmt_unit(x, "")
    return "%.4g" % x


def _digits3(m):
    """units.c digits3(): 3 significant digits, never an exponent"""
    if m == 0 or 1e-4 <= m < 1e15:
        t = "%.3g" % m
        if "e" not in t:
            return t
    dec = min(max(2 - int(math.floor(math.log10(m))), 0), 20)
    return "%.*f" % (dec, m)


def _round3(m):
    if m <= 0:
        return m
    p = math.pow(10, 2 - math.floor(math.log10(m)))
    return math.floor(m * p + 0.5) / p


def _scale(m, base, nprefix):
    k = 0
    while k + 1 < nprefix and _round3(m) >= 1000:
        m /= base
        k += 1
    return m, k


def fmt_unit(x, unit):
    """engine/units.c hr_fmt_unit: a value in its unit for people"""
    unit = unit or ""
    if isinstance(x, float) and math.isnan(x):
        return "n/a"
    if isinstance(x, float) and math.isinf(x):
        return "inf" if x > 0 else "-inf"
    sign = "-" if x < 0 and _round3(abs(x)) != 0 else ""
    m = abs(float(x))
    if unit in ("bytes", "bytes/s"):
        m, k = _scale(m, 1024.0, 7)
        return "%s%s %s%s" % (sign, _digits3(m), ["B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"][k],
                              "/s" if unit == "bytes/s" else "")
    if unit == "seconds":
        T = [(1e-6, "us"), (1e-3, "ms"), (1.0, "s"), (60.0, "min"), (3600.0, "h"), (86400.0, "d")]
        k = 0
        for j, (sec, _) in enumerate(T):
            if _round3(m / sec) >= 1:
                k = j
        if m == 0:
            k = 2
        return "%s%s %s" % (sign, _digits3(m / T[k][0]), T[k][1])
    if unit in ("ratio", "percent"):
        return "%s%s %%" % (sign, _digits3(m * 100 if unit == "ratio" else m))
    if unit == "celsius":
        return "%s%s \u00b0C" % (sign, _digits3(m))
    k = 0
    if m >= 1:
        m, k = _scale(m, 1000.0, 7)
    sep = " " if k or (unit and unit[0] != "/") else ""
    return "%s%s%s%s%s%s" % (sign, _digits3(m), sep, ["", "k", "M", "G", "T", "P", "E"][k],
                             " " if k and unit and unit[0] != "/" else "", unit)


def val(x, unit):
    """report.c hr_rep_val: a value of a series in its unit, "-" missing"""
    return fmt_unit(x, unit) if finite(x) else "-"


def pct(x, sign=False):
    """report.c hr_rep_pct: one decimal under 100 in magnitude, none from
    100 on, a space before "%" ("85.6 %", "112 %"); sign: "+" on positive
    values; "-" for missing; never "-0.0" """
    if not finite(x):
        return "-"
    d = "%.1f" % abs(x)
    if float(d) >= 100:
        d = "%.0f" % abs(x)
    lead = "" if float(d) == 0 else "-" if x < 0 else "+" if sign else ""
    return "%s%s %%" % (lead, d)


def pct1(share):
    """report_pm_md.c pct1(): a share as hr_rep_pct of 100 x share"""
    return pct(100.0 * share) if finite(share) else "-"


def obj_pct(share):
    """an SLO objective: hr_rep_fmt of 100 x share, then " %" """
    return g4(100.0 * share if finite(share) else None) + " %"


class Alt(tuple):
    """several acceptable texts (a value the JSON holds in other units)"""


def hours(s):
    """report.c hours() of a duration the JSON gives in seconds: "%.1f h"
    (the Markdown divides milliseconds, so allow one rounding step)"""
    if not finite(s):
        return "-"
    h = s / 3600.0
    return Alt(sorted({"%.1f h" % (h * f) for f in (1 - 1e-12, 1.0, 1 + 1e-12)}))


def date(x):
    return x if x else "-"


def md_text(s):
    """a string as md_cell writes it (the reader unescapes '\\|')"""
    return (s or "").replace("\n", " ").replace("\r", " ")


def code(s):
    return "`%s`" % md_text(s)


def split_row(line):
    """cells of a Markdown table row; '\\|' is a literal bar"""
    body = line.strip()
    if body.startswith("|"):
        body = body[1:]
    if body.endswith("|") and not body.endswith("\\|"):
        body = body[:-1]
    return [c.strip().replace("\\|", "|") for c in re.split(r"(?<!\\)\|", body)]


def unbt(cell):
    """the text of a `code` cell"""
    return cell[1:-1] if len(cell) >= 2 and cell[0] == "`" and cell[-1] == "`" else cell


def tables(lines):
    """[(header cells, [row cells])] of the tables in lines"""
    out, i = [], 0
    while i < len(lines):
        if lines[i].startswith("|") and i + 1 < len(lines) and re.match(r"^\|\s*:?-{3,}", lines[i + 1]):
            head, rows, i = split_row(lines[i]), [], i + 2
            while i < len(lines) and lines[i].startswith("|"):
                rows.append(split_row(lines[i]))
                i += 1
            out.append((head, rows))
        else:
            i += 1
    return out


def split_headings(lines, mark):
    """OrderedDict heading -> lines, split at lines starting with mark"""
    out = collections.OrderedDict()
    cur = ""
    out[cur] = []
    for ln in lines:
        if ln.startswith(mark):
            cur = ln[len(mark):].strip()
            out.setdefault(cur, [])
        else:
            out[cur].append(ln)
    return out


class Md:
    """A Markdown report split into '## ' sections."""

    def __init__(self, path):
        self.name = os.path.basename(path)
        with open(path, encoding="utf-8") as f:
            self.text = f.read()
        self.lines = self.text.split("\n")
        self.sections = split_headings(self.lines, "## ")

    def section(self, title):
        """the lines of the section whose heading starts with title, or None"""
        for k, v in self.sections.items():
            if k.lower().startswith(title.lower()):
                return v
        return None

    def own_lines(self, title):
        """a section's lines before its first '### ' subsection"""
        lines = self.section(title)
        return None if lines is None else split_headings(lines, "### ")[""]


class Checker:
    def __init__(self):
        self.errors = []
        self.count = collections.Counter()   # checks per "file: section"
        self.skipped = []

    def eq(self, where, what, got, want):
        self.count[where] += 1
        good = got in want if isinstance(want, Alt) else got == want
        if not good:
            w = " or ".join(repr(x) for x in want) if isinstance(want, Alt) else repr(want)
            self.errors.append("%s: %s: Markdown has %r, JSON gives %s" % (where, what, got, w))
        return good

    def fail(self, where, msg):
        self.count[where] += 1
        self.errors.append("%s: %s" % (where, msg))

    def passed(self, where, n=1):
        self.count[where] += n

    def skip(self, where, why):
        self.skipped.append("%s: skipped (%s)" % (where, why))


def check_table(ck, where, lines, want_head, want_rows, key, name="row", ordered=True, empty=None):
    """The first table of lines against want_rows (tuples in the order of
    want_head). Rows are matched by the columns named in key, so a missing
    row is one finding; then every other cell is compared, and the order.
    empty: the text the section shows instead of an empty table."""
    if lines is None:
        ck.fail(where, "section missing from the Markdown")
        return
    t = tables(lines)
    if not t:
        if not want_rows and (empty is None or any(ln.strip() == empty for ln in lines)):
            ck.passed(where)
        elif not want_rows:
            ck.fail(where, "no table and no %r" % empty)
        else:
            ck.fail(where, "no table, but the JSON has %d %ss" % (len(want_rows), name))
        return
    head, rows = t[0]
    idx = {}
    for c in want_head:
        if c in head:
            idx[c] = head.index(c)
        else:
            ck.fail(where, "column %r not in the table (header: %s)" % (c, " | ".join(head)))
    if any(c not in idx for c in key):
        return

    def kof(cells):
        return tuple(cells[want_head.index(c)] for c in key)
    got = collections.OrderedDict()
    for r in rows:
        k = tuple(r[idx[c]] if idx[c] < len(r) else "" for c in key)
        got.setdefault(k, []).append(r)
    want = collections.OrderedDict()
    for w in want_rows:
        want.setdefault(kof(w), []).append(w)
    ck.eq(where, "number of %ss" % name, len(rows), len(want_rows))
    for k, ws in want.items():
        gs = got.get(k, [])
        for i, w in enumerate(ws):
            label = "%s %s" % (name, " ".join(k))
            if i >= len(gs):
                ck.fail(where, "%s from the JSON has no row" % label)
                continue
            r = gs[i]
            for c, v in zip(want_head, w):
                if c in idx and c not in key:
                    ck.eq(where, "%s: %s" % (label, c), r[idx[c]] if idx[c] < len(r) else "<no cell>", v)
    for k, gs in got.items():
        extra = len(gs) - len(want.get(k, []))
        if extra > 0:
            ck.fail(where, "%s %s: %d row(s) not in the JSON" % (name, " ".join(k), extra))
    if ordered:
        gk = [tuple(r[idx[c]] for c in key) for r in rows if all(idx[c] < len(r) for c in key)]
        wk = [kof(w) for w in want_rows]
        common = set(gk) & set(wk)
        if [k for k in gk if k in common] != [k for k in wk if k in common]:
            ck.fail(where, "rows not in the order of the JSON / the documented order")
        else:
            ck.passed(where)


def check_bullets(ck, where, lines, want):
    """want: [(regex, [expected groups], [labels])]: each regex must match
    one line of lines; its groups are compared."""
    if lines is None:
        ck.fail(where, "section missing from the Markdown")
        return
    for rx, vals, labels in want:
        for ln in lines:
            m = re.match(rx, ln)
            if m:
                for i, (v, lab) in enumerate(zip(vals, labels)):
                    ck.eq(where, lab, m.group(i + 1), v)
                break
        else:
            ck.fail(where, "no line matching %r (the JSON has %s)" % (rx, ", ".join(
                "%s %s" % (lab, "/".join(v) if isinstance(v, Alt) else v) for v, lab in zip(vals, labels))))


def q(s):
    """a regex group for a fixed text"""
    return re.escape(s)


def evidence_text(ev):
    parts = []
    for e in ev:
        s = md_text(e.get("what")) + " " + (fmt_unit(e.get("value"), e["unit"]) if "unit" in e else g4(e.get("value")))
        if e.get("series") is not None:
            s += " (" + code(e["series"])
            if e.get("time"):
                s += ", " + e["time"]
            s += ")"
        parts.append(s)
    return "; ".join(parts)


def check_actions(ck, md, j):
    where = md.name + ": Suggested actions"
    if "actions" not in j:
        ck.skip(where, "the JSON has no actions")
        return
    rows = [("P%d" % a.get("priority"), date(a.get("due")), md_text(a.get("owner") or "-"),
             md_text(a.get("title")), evidence_text(a.get("evidence") or []), code(a.get("id")),
             date(a.get("first_seen"))) for a in j["actions"]]
    check_table(ck, where, md.own_lines("Suggested actions"),
                ["priority", "due", "owner", "action", "evidence", "id", "first seen"],
                rows, ["action"], "action", empty="None: no rule fired.")


# ---- data problems (both reports) --------------------------------------

def dur(s):
    """seconds as reports/report.c hr_rep_fdur writes them"""
    a = abs(s)
    sg = "-" if s < 0 else ""
    if a < 60:
        return "%s%.0f s" % (sg, a)
    if a < 3600:
        return "%s%.0f min" % (sg, a / 60.0)
    if a < 48 * 3600:
        return "%s%.1f h" % (sg, a / 3600.0)
    return "%s%.1f d" % (sg, a / 86400.0)


def check_data_problems(ck, md, j):
    """The Data problems section (first of the report, only when there are
    problems) against the JSON's data_problems: skipped files with their
    errors, stale series with last point and age."""
    where = md.name + ": Data problems"
    dp = j.get("data_problems")
    if dp is None:
        ck.skip(where, "the JSON has no data_problems")
        return
    files, stale = dp.get("skipped_files") or [], dp.get("stale_series") or []
    sec = md.section("Data problems")
    heads = [k for k in md.sections if k]
    if not files and not stale:
        if sec is None:
            ck.passed(where)
        else:
            ck.fail(where, "shown, but the JSON lists no data problem")
        return
    if sec is None:
        ck.fail(where, "section missing, but the JSON lists %d skipped files and %d stale series" % (len(files), len(stale)))
        return
    ck.eq(where, "first section", heads[0], "Data problems")
    subs = split_headings(sec, "### ")
    def why(f):
        return md_text(f.get("error")) + ("; first rejected row: " + md_text(f["first_rejected_row"])
                                          if f.get("first_rejected_row") else "")
    for title, rows, head in (("Skipped files", [(code(f["path"]), why(f)) for f in files], ["file", "error"]),
                              ("Stale series", [(code(x["series"]), x["last_point"], dur(x["age_s"]),
                                                 x.get("status_at_last_point") or "-") for x in stale],
                               ["series", "last point", "age", "status at last point"])):
        w = "%s / %s" % (where, title)
        if rows or title in subs:
            check_table(ck, w, subs.get(title), head, rows, head[:1], "row")
        else:
            ck.passed(w)


# ---- capacity -----------------------------------------------------------

def cap_rank(r):
    st = (r.get("saturation") or {}).get("status")
    rank = 0 if st == "saturated" else 1 if st == "saturating" else 2 if st == "stale" else 3
    p50 = (r.get("saturation") or {}).get("p50") or ""
    return (rank, p50 if rank == 1 else "", r["series"].encode("utf-8"))


def change(x):
    return pct(x, True)


def check_capacity(ck, d):
    jp, mp = os.path.join(d, "capacity.json"), os.path.join(d, "capacity.md")
    if not (os.path.exists(jp) and os.path.exists(mp)):
        ck.fail("capacity", "capacity.json or capacity.md missing in %s" % d)
        return
    with open(jp, encoding="utf-8") as f:
        j = json.load(f)
    md = Md(mp)
    w = md.name
    check_bullets(ck, w + ": header", md.sections[""],
                  [(r"^As of (\S+) \(last data point\)\. Horizon (\S+) days\.", [j.get("as_of"), g4(j.get("horizon_days"))],
                    ["as of", "horizon days"])])
    check_data_problems(ck, md, j)
    if j.get("resources") is None:
        ck.skip(w + ": resources", "capacity.json has no resources")
        return
    res = sorted(j["resources"], key=cap_rank)
    sat = lambda r: r.get("saturation") or {}
    rec = lambda r: r.get("recommendation") or {}
    inv = lambda r: r.get("inventory") or {}
    within = [r for r in res if sat(r).get("status") == "saturating"]
    order = [r for r in res if (rec(r).get("units_to_add") or 0) > 0]
    miss = j.get("inventory_without_data") or []

    # Summary: counts from the resources (and the JSON summary, if any);
    # units are summed within a kind only (unit_name, else metric name)
    sm = j.get("summary") or {}
    kinds = collections.OrderedDict()
    for r in order:
        un = (r.get("inventory") or {}).get("unit_name")
        kinds.setdefault((un or r["series"].split("{")[0], bool(un)), []).append(r)
    counts = [("resources", len(res), "resources"), ("saturated", sum(sat(r).get("status") == "saturated" for r in res), "saturated"),
              ("saturating", len(within), "saturating_within_horizon"), ("to order", len(order), "resources_to_order"),
              ("reclaimable", sum(bool(r.get("reclaimable")) for r in res), "reclaimable")]
    want = {}
    for lab, n, key in counts:
        want[lab] = str(n)
        if key in sm and sm[key] != n:
            ck.fail(w + ": Summary", "capacity.json summary.%s = %s but its resources give %d" % (key, sm[key], n))
    first = ("; the first is %s on %s" % (code(within[0]["series"]), sat(within[0]).get("p50"))) if within else ""
    bl = [(r"^- (\d+) resources with a capacity in the inventory\.$", [want["resources"]], ["resources"]),
          (r"^- (\d+) already above their target utilisation\.$", [want["saturated"]], ["saturated"]),
          (r"^- (\d+) reach their target within the horizon(.*)\.$", [want["saturating"], first],
           ["saturating", "first to saturate"]),
          (r"^- (\d+) resources need units within the horizon, of (\d+) kinds?", [want["to order"], str(len(kinds))],
           ["resources to order for", "kinds to order"]),
          (r"^- (\d+) reclaimable\.$", [want["reclaimable"]], ["reclaimable"])]
    if miss:
        bl.append((r"^- (\d+) inventory entries have no data", [str(len(miss))], ["inventory without data"]))
    summ = md.section("Summary")
    check_bullets(ck, w + ": Summary", summ, bl)

    # Summary: Order first (the earliest order-by dates) and its why
    subs = split_headings(summ or [], "### ")
    byorder = sorted(order, key=lambda r: (rec(r).get("order_by") or "", r["series"].encode("utf-8")))

    def why(r):
        s, i, u = sat(r), inv(r), r.get("unit")
        if s.get("status") == "saturated":
            return "daily peak %s is above the threshold %s now" % (val(r.get("current_peak"), u), val(s.get("threshold"), u))
        if s.get("p10"):
            return "reaches the threshold %s from %s (p10; p50 %s), lead time %s d" % (
                val(s.get("threshold"), u), s["p10"], date(s.get("p50")), g4(i.get("lead_time_days")))
        return "the forecast peak %s needs %s units at N+%s" % (
            val(s.get("forecast_peak_at_horizon"), u), rec(r).get("units_needed"), i.get("redundancy"))
    rows = [(date(rec(r).get("order_by")) + (" (overdue)" if rec(r).get("order_overdue") or not rec(r).get("order_by") else ""),
             code(r["series"]), str(rec(r).get("units_to_add")), "N+%s" % inv(r).get("redundancy"), why(r))
            for r in byorder[:8]]
    if order:
        check_table(ck, w + ": Summary / Order first", subs.get("Order first"),
                    ["order by", "series", "units to add", "N+k", "why"], rows, ["series"], "resource")
        if len(byorder) > 8:
            check_bullets(ck, w + ": Summary / Order first", subs.get("Order first"),
                          [(r"^(\d+) more in Provisioning below\.$", [str(len(byorder) - 8)], ["more to order"])])
    elif "Order first" in subs:
        ck.fail(w + ": Summary / Order first", "shown, but no resource needs units")

    # Summary: orders by kind, units summed within each kind only
    def kind_row(kd, rs):
        cost = [(rec(r).get("units_to_add") or 0) * inv(r).get("unit_cost") if finite(inv(r).get("unit_cost")) else None
                for r in rs]
        first = min((rec(r).get("order_by") for r in rs if rec(r).get("order_by")), default=None)
        return ((md_text(kd[0]) if kd[1] else code(kd[0])), str(sum(rec(r)["units_to_add"] for r in rs)), str(len(rs)),
                date(first) + (" (overdue)" if first and first < (j.get("as_of") or "")[:10] else ""),
                fmt_unit(sum(cost), j.get("summary", {}).get("currency")) if None not in cost else "-")
    if kinds:
        rows = [kind_row(kd, rs) for kd, rs in kinds.items()]
        check_table(ck, w + ": Summary / Orders by kind", [ln for ln in subs.get("Orders by kind") or []
                                                           if not ln.startswith("| **total**")],
                    ["kind", "units to add", "resources", "first order by", "cost"], rows, ["kind"], "kind",
                    ordered=False)
    byk = {k.get("kind"): k for k in sm.get("orders_by_kind") or []}
    for kd, rs in kinds.items():
        if sm.get("orders_by_kind") is not None and (byk.get(kd[0]) or {}).get("units") != sum(rec(r)["units_to_add"] for r in rs):
            ck.fail(w + ": Summary", "capacity.json summary.orders_by_kind %s disagrees with its resources" % kd[0])

    # Summary: largest unexplained level shifts: row for row against the
    # JSON's largest_unexplained_steps (every series, in the same order)
    t = tables(subs.get("Largest unexplained steps") or [])
    lu = j.get("largest_unexplained_steps")
    wu = w + ": Summary / Largest unexplained steps"
    if lu is None:
        ck.skip(wu, "capacity.json has no largest_unexplained_steps")
    else:
        want = [(s["time"][:10], code(s["series"]), change(s["delta_pct"])) for s in lu]
        got = [tuple(row[:3]) for row in (t[0][1] if t else [])]
        ck.eq(wu, "rows", got, want)

    check_actions(ck, md, j)

    # the resources table
    rows = [(code(r["series"]), (r.get("status") or sat(r).get("status") or "unknown").replace("_", " ") +
             (", reclaimable" if r.get("reclaimable") else ""),
             val(r.get("current_peak"), r.get("unit")), val(sat(r).get("threshold"), r.get("unit")), pct(r.get("current_utilization_pct")),
             pct(r.get("organic_growth_pct_per_30d")), str(len(r.get("inorganic_steps") or [])),
             date(sat(r).get("p10")), date(sat(r).get("p50")), date(sat(r).get("p90"))) for r in res]
    check_table(ck, w + ": Resources", md.section("Resources"),
                ["series", "status", "current peak", "threshold", "utilisation", "organic growth / 30 d", "steps",
                 "saturation p10", "p50", "p90"], rows, ["series"], "resource")

    # provisioning and reclaimable units
    rows = [(code(r["series"]), g4(inv(r).get("units")), str(rec(r).get("units_to_add")), str(inv(r).get("redundancy")),
             date(rec(r).get("order_by")) + (" (overdue)" if rec(r).get("order_overdue") else ""),
             g4(inv(r).get("lead_time_days"))) for r in res if (rec(r).get("units_to_add") or 0) > 0]
    if rows or md.section("Provisioning") is not None:
        check_table(ck, w + ": Provisioning", md.section("Provisioning"),
                    ["series", "units now", "units to add", "N+k spares", "order by", "lead time (days)"], rows,
                    ["series"], "resource")
    else:
        ck.passed(w + ": Provisioning")
    rows = [(code(r["series"]), g4(inv(r).get("units")), str(rec(r).get("units_needed")),
             str(rec(r).get("units_reclaimable"))) for r in res if (rec(r).get("units_reclaimable") or 0) > 0]
    if rows or md.section("Reclaimable") is not None:
        check_table(ck, w + ": Reclaimable", md.section("Reclaimable"),
                    ["series", "units now", "units needed", "reclaimable"], rows, ["series"], "resource")
    else:
        ck.passed(w + ": Reclaimable")

    # inorganic steps (attributed, then unexplained, each by resource order)
    # and planned events
    att = [(s.get("time"), code(r["series"]), change(s.get("delta_pct")), md_text(s["event"]))
           for r in res for s in r.get("inorganic_steps") or [] if s.get("event") is not None]
    une = [(s.get("time"), code(r["series"]), change(s.get("delta_pct")))
           for r in res for s in r.get("inorganic_steps") or [] if s.get("event") is None]
    plan = [(date(e.get("date")), md_text(e.get("name")), code(r["series"]), pct(e.get("expected_change_pct"), True))
            for r in res for e in r.get("planned_events") or []]
    for title, rows, head in (("Inorganic steps attributed", att, ["time", "series", "change", "event"]),
                              ("Unexplained steps", une, ["time", "series", "change"]),
                              ("Planned events", plan, ["date", "event", "series", "expected change"])):
        where = "%s: %s" % (w, title)
        if rows or md.section(title) is not None:
            check_table(ck, where, md.section(title), head, rows, head[:2] if title != "Planned events" else head[:3],
                        "row", ordered=False)
        else:
            ck.passed(where)
    if miss or md.section("Inventory without data") is not None:
        got = [ln[2:].strip() for ln in (md.section("Inventory without data") or []) if ln.startswith("- ")]
        ck.eq(w + ": Inventory without data", "entries", got, [code(k) for k in miss])
    else:
        ck.passed(w + ": Inventory without data")


# ---- problems -----------------------------------------------------------

def check_problems(ck, d):
    jp, mp = os.path.join(d, "problems.json"), os.path.join(d, "problems.md")
    if not (os.path.exists(jp) and os.path.exists(mp)):
        ck.fail("problems", "problems.json or problems.md missing in %s" % d)
        return
    with open(jp, encoding="utf-8") as f:
        j = json.load(f)
    md = Md(mp)
    w = md.name
    check_data_problems(ck, md, j)
    check_bullets(ck, w + ": header", md.sections[""],
                  [(r"^As of (\S+) \(last data point\)\.", [j.get("as_of")], ["as of"])])
    summ = md.section("Summary")
    an = j.get("anomalies")
    inc = j.get("incidents")
    rec = j.get("recurring_problems")
    slos = j.get("slos")
    log = j.get("incident_log")

    # Summary
    bl = []
    if an is not None:
        bl.append((r"^- (\d+) anomalies in (\d+) of (\d+) series \(score >= (\S+)\)\.$",
                   [str(len(an)), str(j.get("series_with_anomalies")), str(j.get("series_analysed")),
                    g4(j.get("anomaly_threshold"))],
                   ["anomalies", "series with anomalies", "series analysed", "score threshold"]))
        nser = len({a.get("series") for a in an})
        if j.get("series_with_anomalies") != nser:
            ck.fail(w + ": Summary", "problems.json series_with_anomalies = %s but its anomalies name %d series"
                    % (j.get("series_with_anomalies"), nser))
    else:
        ck.skip(w + ": anomalies", "problems.json has no anomalies")
    if inc is not None:
        lv = collections.Counter(x.get("level") for x in inc)
        bl.append((r"^- (\d+) incidents: (\d+) critical, (\d+) major, (\d+) minor\.$",
                   [str(len(inc)), str(lv["critical"]), str(lv["major"]), str(lv["minor"])],
                   ["incidents", "critical", "major", "minor"]))
        cnt = j.get("incident_counts")
        if isinstance(cnt, dict) and any(cnt.get(k) != lv[k] for k in ("critical", "major", "minor")):
            ck.fail(w + ": Summary", "problems.json incident_counts %s disagree with its incidents %s" % (cnt, dict(lv)))
    else:
        ck.skip(w + ": incidents", "problems.json has no incidents")
    if rec is not None:
        bl.append((r"^- (\d+) recurring problems\.$", [str(len(rec))], ["recurring problems"]))
        for p in rec:
            bl.append((r"^  - %s: (.*)$" % q(p.get("id")),
                       ["%s %s of %s at %s, %s times, next expected %s%s." % (
                           p.get("period"), p.get("direction"), code(p.get("origin")), p.get("pattern"),
                           p.get("count"), p.get("next_expected"),
                           (" (lapsed: no anomaly since %s)" % p.get("last") if p.get("status") == "lapsed" else
                            " (no anomaly since %s: it runs on as part of the weekly pattern the detector learnt)"
                            % p.get("last") if p.get("in_weekly_pattern") is True else ""))],
                       ["recurring problem " + p.get("id")]))
    else:
        ck.skip(w + ": recurring_problems", "problems.json has no recurring_problems")
    for s in slos or []:
        if s.get("error") or not s.get("window_start"):
            continue
        bl.append((r"^- SLO %s: SLI (\S+ %%|-) against (\S+ %%); error budget left (\S+ %%|-)( \(exhausted\))?; (\d+) burn-rate alerts\.$"
                   % q(s.get("name")),
                   ["%.3f %%" % (100.0 * s["sli"]) if finite(s.get("sli")) else "-",
                    obj_pct(s.get("objective")), pct1(s.get("budget_remaining")),
                    " (exhausted)" if s.get("exhausted") else None, str(len(s.get("alerts") or []))],
                   ["SLO %s: %s" % (s.get("name"), x) for x in ("SLI", "objective", "budget remaining", "exhausted",
                                                                 "burn-rate alerts")]))
    if log is not None:
        a, m = log.get("all") or {}, log.get("match") or {}
        bl.append((r"^- Incident log: (\d+) incidents; MTTD (.+?), MTTR (.+?); (\d+) seen by the detector, (\d+) missed, "
                   r"(\d+) detected incidents not in the log\.$",
                   [str(a.get("incidents")), hours(a.get("mttd_s")), hours(a.get("mttr_s")), str(m.get("seen", 0)),
                    str(m.get("missed", 0)), str(m.get("unlogged", 0))],
                   ["logged incidents", "MTTD", "MTTR", "seen", "missed", "not in the log"]))
    check_bullets(ck, w + ": Summary", summ, bl)

    check_actions(ck, md, j)

    # incidents: the table, then the members of those with 2+ series
    if inc is not None:
        wi = w + ": Incidents"
        own = md.own_lines("Incidents")
        g = j.get("incident_grouping") or {}
        if "gap_s" in g:
            within = " (within one %s)" % g["group_by"] if g.get("group_by") else ""
            check_bullets(ck, wi, own, [(r"^Anomaly spans of all series joined when they overlap or start within "
                                         r"(.+?) of each other(.*)\. ",
                                         [hours(g["gap_s"]), within], ["grouping gap", "grouping label"])])
        logged = "no" if (log or {}).get("match") is not None else "-"
        rows = [(x.get("id"), x.get("start"), hours(x.get("duration_s")), x.get("level"), g4(x.get("severity")),
                 code(x.get("origin")), str(x.get("n_series")), md_text(x.get("logged")) if x.get("logged") else logged)
                for x in inc]
        check_table(ck, wi, own, ["id", "start", "duration", "level", "severity", "origin", "series", "logged"],
                    rows, ["id"], "incident", empty="None.")
        subs = split_headings(md.section("Incidents") or [], "### ")
        for x in inc:
            if (x.get("n_series") or 0) < 2:
                continue
            head = "%s: %s %s, %s series" % (x.get("id"), x.get("level"), x.get("direction"), x.get("n_series"))
            lines = subs.get(head)
            if lines is None:
                ck.fail(wi, "no subsection '### %s'" % head)
                continue
            got = [ln for ln in lines if re.match(r"^\d+\. ", ln)]
            want = []
            for k, mb in enumerate(x.get("members") or []):
                want.append("%d. %s onset %s (+%s), %s, peak score %s%s" % (
                    k + 1, code(mb.get("series")), mb.get("onset"), "%.1f h" % (mb.get("onset_offset_s", 0) / 3600.0),
                    mb.get("direction"), g4(mb.get("peak_score")), " (suspected origin)" if k == 0 else ""))
            ck.eq(wi, "%s: members" % x.get("id"), len(got), len(want))
            for k, (gl, wl) in enumerate(zip(got, want)):
                ck.eq(wi, "%s: member %d" % (x.get("id"), k + 1), gl.replace("\\|", "|"), wl)
            if x.get("origin") != ((x.get("members") or [{}])[0]).get("series"):
                ck.fail(wi, "%s: problems.json origin %s is not its first member" % (x.get("id"), x.get("origin")))

    if rec is not None:
        rows = [(p.get("id"), code(p.get("origin")), "%s %s" % (p.get("direction"), p.get("pattern")), p.get("period"),
                 str(p.get("count")), p.get("first"), p.get("last"), p.get("next_expected"),
                 hours(p.get("median_duration_s")), ", ".join(p.get("incidents") or [])) for p in rec]
        check_table(ck, w + ": Recurring problems", md.section("Recurring problems"),
                    ["id", "origin", "pattern", "period", "count", "first", "last", "next expected",
                     "median duration", "incidents"], rows, ["id"], "recurring problem", empty="None.")

    # SLOs: one subsection each
    if slos is None:
        ck.skip(w + ": slos", "problems.json has no slos")
    else:
        ws = w + ": SLOs"
        sec = md.section("SLOs")
        if sec is None:
            ck.fail(ws, "section missing from the Markdown")
        elif not slos:
            ck.eq(ws, "no SLO", "No SLO in the configuration." in sec, True)
        else:
            subs = split_headings(sec, "### ")
            ck.eq(ws, "SLO subsections", [k for k in subs if k], [s.get("name") for s in slos])
            for s in slos:
                lines = subs.get(s.get("name"))
                if lines is None:
                    continue
                where = "%s: SLO %s" % (ws, s.get("name"))
                if s.get("error") or not s.get("window_start"):
                    check_bullets(ck, where, lines, [(r"^- Not evaluated: (.*)\.$", [md_text(s.get("error") or "no data")],
                                                      ["error"])])
                    continue
                bl = [(r"^- Objective (\S+ %) over (\S+) days \((\S+) to (\S+)\)(.*)\.$",
                       [obj_pct(s.get("objective")), g4(s.get("window_days")), s.get("window_start"), s.get("window_end"),
                        ", partial window: less data than the window" if s.get("partial_window") else ""],
                       ["objective", "window days", "window start", "window end", "partial window"]),
                      (r"^- SLI (\S+ %); error budget consumed (\S+ %|-), remaining (\S+ %|-)(; exhausted at \S+)?\.$",
                       ["%.4f %%" % (100 * s["sli"]) if finite(s.get("sli")) else "nan %",
                        pct1(s.get("budget_consumed")), pct1(s.get("budget_remaining")),
                        "; exhausted at %s" % s.get("exhausted_at") if s.get("exhausted") else None],
                       ["SLI", "budget consumed", "budget remaining", "exhausted at"])]
                check_bullets(ck, where, lines, bl)
                al = s.get("alerts") or []
                rows = [(x.get("rule"), x.get("severity"), g4(x.get("burn_threshold")), x.get("start"), x.get("end"),
                         g4(x.get("peak_burn")), "yes" if x.get("open") else "no") for x in al]
                check_table(ck, where, lines, ["rule", "severity", "burn >", "start", "end", "peak burn", "open"], rows,
                            ["rule", "start"], "alert", empty="- No burn-rate alert.")

    # incident log: MTTD / MTTR / MTBF / impact per service and in all
    if log is None:
        ck.skip(w + ": incident_log", "problems.json has no incident_log")
    else:
        wl = w + ": Incident log"
        sec = md.section("Incident log")
        svc = list(log.get("services") or []) + ([log["all"]] if log.get("all") else [])
        rows = [(md_text(v.get("service") or "all"), str(v.get("incidents")), hours(v.get("mttd_s")),
                 hours(v.get("mttr_s")), hours(v.get("mtbf_s")), hours(v.get("impact_s"))) for v in svc]
        check_table(ck, wl, sec, ["service", "incidents", "MTTD", "MTTR", "MTBF", "impact"], rows, ["service"], "service")
        m = log.get("match")
        if m is not None:
            bl = [(r"^Detector against the log \(within (.+?)\): (\d+) seen, (\d+) missed, (\d+) detected incidents "
                   r"not in the log; median detection lead (.+?)\.$",
                   [hours(log.get("match_tolerance_s")), str(m.get("seen")), str(m.get("missed")), str(m.get("unlogged")),
                    hours(m.get("median_detection_lead_s"))],
                   ["tolerance", "seen", "missed", "not in the log", "median detection lead"])]
            check_bullets(ck, wl, sec, bl)
            got = [ln for ln in sec or [] if ln.startswith("- Missed: ")]
            want = ["- Missed: %s %s: %s%s" % (x.get("start"), md_text(x.get("service") or ""), md_text(x.get("title") or ""),
                                               " (the weekly job of %s, which the detector has learnt as normal)"
                                               % x.get("weekly_pattern_of") if x.get("weekly_pattern_of") else "")
                    for x in log.get("logged") or [] if x.get("status") == "missed"]
            ck.eq(wl, "missed incidents", [g.replace("\\|", "|") for g in got], want)
            if len(want) != m.get("missed"):
                ck.fail(wl, "problems.json match.missed = %s but %d logged rows are missed" % (m.get("missed"), len(want)))

    check_deploys(ck, md, j)

    # anomalies (last: the incidents they belong to are checked above)
    if an is not None:
        rows = []
        for a in an:
            link = a.get("incident") or ("change: " + md_text(a["explained_by"]) if a.get("explained_by") else "-")
            rows.append((a.get("start"), a.get("end"), code(a.get("series")), a.get("direction"), g4(a.get("peak_score")),
                         val(a.get("peak_value"), a.get("unit")), val(a.get("expected_value"), a.get("unit")), link))
        head = ["start", "end", "series", "kind", "peak score", "peak value", "expected", "incident"]
        if "incident" not in an[0] if an else False:
            head, rows = head[:-1], [r[:-1] for r in rows]
        check_table(ck, w + ": Anomalies", md.section("Anomalies"), head, rows, ["start", "series"], "anomaly",
                    empty="None.")


def lag(s):
    """deploys.c hr_rep_lag_text: "12 min" under an hour, else "1.5 h" """
    return "%d min" % (s // 60) if s < 3600 else "%.1f h" % (s / 3600.0)


def fnum(x, fmt):
    return fmt % x if finite(x) else "-"


def check_deploys(ck, md, j):
    """problems.md's change management against problems.json "changes": the
    change column of the incidents table, the metrics table (every service
    and all), the links and the failed changes."""
    w = md.name + ": Change management"
    c = j.get("changes")
    if c is None:
        if md.section("Change management") is not None:
            ck.fail(w, "a Change management section but problems.json has no changes")
        else:
            ck.skip(w, "problems.json has no changes log")
        return
    inc = {x.get("id"): x for x in j.get("incidents") or []}
    bylink = {l["incident"]: l for l in c.get("links") or []}
    for x in inc.values():
        want = [bylink[x["id"]]["change"]] if x["id"] in bylink else []
        ck.eq(w, "%s: changes" % x["id"], x.get("changes"), want)
    # the incidents table's change column
    rows = []
    for x in j.get("incidents") or []:
        l = bylink.get(x["id"])
        rows.append((x["id"], md_text("started %s after %s %s of %s" % (lag(l["lag_s"]), l["kind"], l["change"], l["service"]))
                     if l else "-"))
    check_table(ck, w + ": incidents", md.own_lines("Incidents"), ["id", "change"], rows, ["id"], "incident",
                empty="None.")

    def mrow(name, v):
        l = v.get("last_30d") or {}
        return (md_text(name), str(v.get("n_changes")), fnum(v.get("deploys_per_week"), "%.2f"), str(v.get("n_failed")),
                pct1(v.get("change_failure_rate")), pct1(l.get("change_failure_rate")),
                fnum(v.get("lead_time_h_p50"), "%.1f h"), fnum(v.get("lead_time_h_p90"), "%.1f h"),
                fnum(v.get("restore_h_p50"), "%.1f h"), fnum(l.get("deploys_per_week"), "%.2f"))
    rows = [mrow(v.get("service"), v) for v in c.get("services") or []] + [mrow("all", c.get("all") or {})]
    check_table(ck, w, md.own_lines("Change management"),
                ["service", "changes", "deploys per week", "failed", "failure rate", "failure rate 30 d",
                 "lead time p50", "lead time p90", "restore p50", "deploys per week 30 d"], rows, ["service"], "service")
    subs = split_headings(md.section("Change management") or [], "### ")
    rows = [(l["incident"], code(l["change"]), l["kind"], md_text(l["service"]), l["time"], lag(l["lag_s"]),
             (inc.get(l["incident"]) or {}).get("level")) for l in c.get("links") or []]
    check_table(ck, w + ": links", subs.get("Changes linked to incidents"),
                ["incident", "change", "kind", "service", "change time", "lag", "level"], rows, ["incident"], "link",
                empty="None.")
    rows = [(code(f["change"]), f["kind"], md_text(f["service"]), f["time"]) for f in c.get("failed") or []]
    check_table(ck, w + ": failed", subs.get("Failed changes"), ["change", "kind", "service", "time"], rows,
                ["change"], "failed change", empty="None.")


def cmd_md_json(args):
    if len(args) != 1:
        die_usage("md-json: want one DIR")
    d = args[0]
    if not os.path.isdir(d):
        err("%s: not a directory" % d)
        return 1
    ck = Checker()
    for fn in (check_capacity, check_problems):
        try:
            fn(ck, d)
        except (OSError, ValueError, KeyError, TypeError, AttributeError, IndexError) as e:
            ck.fail(fn.__name__, "cannot check: %s: %s (the JSON or Markdown layout changed?)" % (type(e).__name__, e))
    for s in ck.skipped:
        print(s)
    for k, n in ck.count.items():
        print("%s: %d checks" % (k, n))
    total = sum(ck.count.values())
    for e in ck.errors[:60]:
        err("MISMATCH " + e)
    if len(ck.errors) > 60:
        err("... and %d more mismatches" % (len(ck.errors) - 60))
    if total == 0:
        err("%s: nothing was checked" % d)
        return 1
    print("md-json: %d checks, %d mismatches" % (total, len(ck.errors)))
    return 1 if ck.errors else 0


def main(argv):
    if len(argv) < 2:
        die_usage("no subcommand")
    cmd, args = argv[1], argv[2:]
    if cmd == "svg":
        return page_check.cmd_svg(args)
    if cmd == "png":
        return page_check.cmd_png(args)
    if cmd == "md-json":
        return cmd_md_json(args)
    die_usage("unknown subcommand %s" % cmd)


if __name__ == "__main__":
    sys.exit(main(sys.argv))
