#!/usr/bin/env python3
"""services_check.py -- checks the per-service rollup of a report folder
against the rest of the reports, computed again here without the C code
(reports/services.c). Python 3 standard library only.

  services_check.py DIR

DIR holds capacity.json, problems.json, summary.csv, capacity.md,
problems.md, capacity.html and problems.html of one run. Checked:
  - capacity.json and problems.json carry the same "services" array;
  - one row per service label of the series (summary.csv) and of the SLOs,
    by name, the series without the label in one row "service": null, last;
  - resources / saturated / order_overdue / order_now counted from
    capacity.json resources (status), orders per kind from their
    recommendation (units_to_add, unit_name else the metric name, cost =
    units x unit_cost when every resource of the kind has one);
  - incidents by level from problems.json incidents, an incident counted
    once for every service among its members;
  - SLOs from problems.json slos, lowest budget_remaining first;
  - the "## Services" tables of capacity.md and problems.md row for row,
    formatted as reports/report.c prints them (report_check.py helpers);
  - capacity.html and problems.html have the Services section and link it.

Exit 0 when every check passes, 1 on a failed check, 2 on a usage error.
"""
import collections
import csv
import json
import math
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import report_check as rc  # noqa: E402  (the Markdown formatting helpers)

LEVELS = ("critical", "major", "minor")


def label(key, name):
    """the value of label name in a series key, or None"""
    m = re.search(r'[{,]%s="((?:[^"\\]|\\.)*)"' % re.escape(name), key)
    return m.group(1).replace('\\"', '"').replace("\\\\", "\\") if m else None


def skey(name):
    """names by byte order, None last (services.c cmp_name)"""
    return (name is None, (name or "").encode("utf-8"))


def expected(cap, pm, series):
    names = {label(k, "service") for k in series}
    names |= {s.get("service") for s in pm.get("slos") or []}
    rows = collections.OrderedDict()
    for n in sorted(names, key=skey):
        rows[n] = {"service": n, "resources": 0, "saturated": 0, "order_overdue": 0, "order_now": 0,
                   "orders": [], "incidents": dict.fromkeys(LEVELS, 0), "slos": []}
    kinds = collections.defaultdict(list)   # (service, kind, named) -> resources
    for r in cap.get("resources") or []:
        row = rows[r.get("service")]
        row["resources"] += 1
        st = r.get("status")
        for k in ("saturated", "order_overdue", "order_now"):
            row[k] += st == k
        add = (r.get("recommendation") or {}).get("units_to_add")
        if isinstance(add, int) and add > 0 and not r.get("stale"):
            inv = r.get("inventory") or {}
            un = inv.get("unit_name")
            kind = un if un else r["series"].split("{")[0]
            kinds[(r.get("service"), kind, bool(un))].append((add, inv.get("unit_cost"),
                                                               (r.get("recommendation") or {}).get("order_by")))
    for (svc, kind, named), rs in kinds.items():
        cost = sum(a * c for a, c, _ in rs) if all(rc.finite(c) for _, c, _ in rs) else None
        first = min((o for _, _, o in rs if o), default=None)
        rows[svc]["orders"].append(((first is None, first or ""), kind, named,
                                    {"kind": kind, "unit_name": kind if named else None,
                                     "units": sum(a for a, _, _ in rs), "cost": cost}))
    for row in rows.values():  # orders.c: by first order-by date, then kind
        row["orders"] = [o[3] for o in sorted(row["orders"], key=lambda o: (o[0], o[1].encode("utf-8"), o[2]))]
    for inc in pm.get("incidents") or []:
        for svc in {m.get("service") for m in inc.get("members") or []}:
            rows[svc]["incidents"][inc["level"]] += 1
    for s in pm.get("slos") or []:
        b = s.get("budget_remaining")
        rows[s.get("service")]["slos"].append({"name": s.get("name"), "budget_left": b if rc.finite(b) else None})
    for row in rows.values():
        row["slos"].sort(key=lambda x: (x["budget_left"] is None, x["budget_left"] or 0, x["name"].encode("utf-8")))
    return list(rows.values())


def close(a, b):
    """JSON values equal, reals within rounding of the summation order"""
    if isinstance(a, float) or isinstance(b, float):
        return rc.finite(a) and rc.finite(b) and math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-12)
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(close(a[k], b[k]) for k in a)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(close(x, y) for x, y in zip(a, b))
    return a == b


def md_rows(svcs, currency):
    out = []
    for s in svcs:
        orders = "; ".join("%d x %s%s" % (o["units"], o["kind"] if o["unit_name"] else rc.code(o["kind"]),
                                          " (%s)" % rc.fmt_unit(o["cost"], currency) if rc.finite(o["cost"]) else "")
                           for o in s["orders"]) or "-"
        slos = "; ".join("%s %s" % (rc.md_text(x["name"]),
                                    rc.pct(100.0 * x["budget_left"] if rc.finite(x["budget_left"]) else None))
                         for x in s["slos"]) or "-"
        out.append([rc.md_text(s["service"]) if s["service"] is not None else "-", str(s["resources"]),
                    str(s["saturated"]), str(s["order_overdue"]), str(s["order_now"]), orders,
                    str(s["incidents"]["critical"]), str(s["incidents"]["major"]), str(s["incidents"]["minor"]), slos])
    return out


def main(argv):
    if len(argv) != 2:
        sys.stderr.write(__doc__)
        return 2
    d = argv[1]
    errors, n = [], 0

    def check(ok, msg):
        nonlocal n
        n += 1
        if not ok:
            errors.append(msg)

    with open(os.path.join(d, "capacity.json"), encoding="utf-8") as f:
        cap = json.load(f)
    with open(os.path.join(d, "problems.json"), encoding="utf-8") as f:
        pm = json.load(f)
    with open(os.path.join(d, "summary.csv"), encoding="utf-8", newline="") as f:
        series = [row["series"] for row in csv.DictReader(f)]
    check("services" in cap and "services" in pm, "a JSON report has no \"services\"")
    svcs = cap.get("services") or []
    check(cap.get("services") == pm.get("services"), "capacity.json and problems.json services differ")
    want = expected(cap, pm, series)
    check([s.get("service") for s in svcs] == [s["service"] for s in want],
          "services %r, want %r" % ([s.get("service") for s in svcs], [s["service"] for s in want]))
    for got, w in zip(svcs, want):
        for k in w:
            check(close(got.get(k), w[k]), "service %r: %s is %r, want %r" % (w["service"], k, got.get(k), w[k]))
    currency = ((cap.get("summary") or {}).get("currency")) or None
    for name in ("capacity.md", "problems.md"):
        md = rc.Md(os.path.join(d, name))
        t = rc.tables(md.section("Services") or [])
        if not svcs:
            check(not t, "%s: a Services table without services" % name)
            continue
        check(bool(t), "%s: no Services table" % name)
        if t:
            rows = t[0][1]
            w = md_rows(svcs, currency)
            check(len(rows) == len(w), "%s: %d Services rows, want %d" % (name, len(rows), len(w)))
            for g, x in zip(rows, w):
                check(g == x, "%s: Services row %r, want %r" % (name, g, x))
    for name in ("capacity.html", "problems.html"):
        with open(os.path.join(d, name), encoding="utf-8") as f:
            h = f.read()
        check('<section id="services">' in h and '<a href="#services">Services</a>' in h,
              "%s: no Services section or no link to it" % name)
    for e in errors:
        sys.stderr.write("services_check: %s\n" % e)
    print("services: %d checks, %d mismatches" % (n, len(errors)))
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
