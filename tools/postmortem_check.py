#!/usr/bin/env python3
"""postmortem_check.py -- checks the postmortem drafts of a headroom report
folder against problems.json and problems.html. Python 3 standard library.

  postmortem_check.py DIR     DIR is a report folder (e.g. out/latest)

Checks, for the folder:
  - postmortems/ holds one draft <id>.md for each critical or major
    incident of problems.json and no other, and problems.json names it
    ("postmortem"); problems.html links each draft;
  - each draft has the title "# Postmortem draft: <id>" and exactly the
    level-2 headings Summary, Impact, Timeline, Detection, Contributing
    signals, Related events and changes, Recurrence, Action items, in
    that order, each with some text;
  - its Contributing signals table lists the incident's members in the
    order of problems.json (up to 40), its Summary the level, start, end
    and series count, its Recurrence the recurring problem problems.json
    gives (or says there is none), its Action items only ids of
    problems.json's actions;
  - each image link resolves to a file in postmortems/ that is well-formed
    SVG (xml.etree) with a <title>; incidents of 2+ series have one.
Exit 0 when every check passes, 1 on a failed check (each names the draft
and what differs), 2 on a usage error.
"""
import json
import os
import re
import sys
import xml.etree.ElementTree as ET

HEADINGS = ["Summary", "Impact", "Timeline", "Detection", "Contributing signals",
            "Related events and changes", "Recurrence", "Action items"]
MAX_MEMBERS = 40

fails = []
passed = 0


def ok(cond, where, msg):
    global passed
    if cond:
        passed += 1
    else:
        fails.append("%s: %s" % (where, msg))
    return cond


def sections(text):
    """{heading: body} of the level-2 sections, and their order"""
    order, body, cur = [], {}, None
    for line in text.split("\n"):
        m = re.match(r"^## (.*)$", line)
        if m:
            cur = m.group(1).strip()
            order.append(cur)
            body[cur] = []
        elif cur is not None:
            body[cur].append(line)
    return order, {k: "\n".join(v) for k, v in body.items()}


def table_rows(body):
    """the data rows of the first Markdown table in body, as cell lists"""
    rows, seen_sep = [], False
    for line in body.split("\n"):
        if not line.startswith("|"):
            if seen_sep:
                break
            continue
        cells = [c.strip() for c in re.split(r"(?<!\\)\|", line.strip())[1:-1]]
        if all(re.fullmatch(r"-+:?|:?-+:?", c) for c in cells):
            seen_sep = True
            continue
        if seen_sep:
            rows.append(cells)
    return rows


def lag(s):
    """reports/deploys.c hr_rep_lag_text"""
    return "%d min" % (s // 60) if s < 3600 else "%.1f h" % (s / 3600.0)


def check_draft(d, inc, path, actions, changes=None):
    where = "postmortems/%s.md" % inc["id"]
    text = open(path, encoding="utf-8").read()
    first = text.split("\n", 1)[0]
    ok(first == "# Postmortem draft: %s" % inc["id"], where, "title line is %r" % first)
    order, body = sections(text)
    ok(order == HEADINGS, where, "headings %s, want %s" % (order, HEADINGS))
    for h in HEADINGS:
        ok(body.get(h, "").strip() != "", where, "section %s is empty" % h)
    s = body.get("Summary", "")
    ok(("a %s " % inc["level"]) in s, where, "Summary does not give the level %s" % inc["level"])
    ok(inc["start"] in s and inc["end"] in s, where, "Summary lacks start %s / end %s" % (inc["start"], inc["end"]))
    ok(("across %d series" % inc["n_series"]) in s, where, "Summary lacks the series count %d" % inc["n_series"])
    rows = table_rows(body.get("Contributing signals", ""))
    got = [r[1].strip("`").replace("\\|", "|") for r in rows]
    want = [m["series"] for m in inc["members"]][:MAX_MEMBERS]
    ok(got == want, where, "Contributing signals lists %s, problems.json %s" % (got[:5], want[:5]))
    rec = body.get("Recurrence", "")
    if inc.get("recurring"):
        ok(re.search(r"of %s\b" % re.escape(inc["recurring"]), rec) is not None, where,
           "Recurrence does not name %s" % inc["recurring"])
    else:
        ok(rec.strip().startswith("Not part of a recurring problem"), where, "Recurrence names a problem "
           "problems.json does not give")
    rel = body.get("Related events and changes", "")
    if changes is not None:
        link = next((l for l in changes.get("links", []) if l["incident"] == inc["id"]), None)
        if link:
            want_l = "**Linked change.** Started %s after %s %s of %s (" % (lag(link["lag_s"]), link["kind"],
                                                                            link["change"], link["service"])
            ok(want_l in rel, where, "Related events and changes lacks %r" % want_l)
        else:
            ok("No change to the incident's services in the" in rel, where,
               "Related events and changes names a change problems.json does not link")
        ok(inc.get("changes") == ([link["change"]] if link else []), where, "incident changes %s disagree with "
           "the links" % inc.get("changes"))
    for r in table_rows(body.get("Action items", "")):
        ok(len(r) >= 5 and r[4] in actions, where, "action %s is not in problems.json" % (r[4] if len(r) > 4 else r))
    imgs = re.findall(r"!\[[^\]]*\]\(([^)]+)\)", text)
    if inc["n_series"] >= 2:
        ok(imgs == ["%s.svg" % inc["id"]], where, "image links %s, want [%s.svg]" % (imgs, inc["id"]))
    for im in imgs:
        p = os.path.join(d, "postmortems", im)
        if not ok(os.path.isfile(p), where, "image %s missing" % im):
            continue
        try:
            root = ET.parse(p).getroot()
            ok(root.tag == "{http://www.w3.org/2000/svg}svg", where, "%s root is %s" % (im, root.tag))
            ok(root.find("{http://www.w3.org/2000/svg}title") is not None, where, "%s has no <title>" % im)
        except ET.ParseError as e:
            ok(False, where, "%s is not well-formed: %s" % (im, e))


def main(argv):
    if len(argv) != 2 or not os.path.isdir(argv[1]):
        sys.stderr.write(__doc__)
        return 2
    d = argv[1]
    pj = json.load(open(os.path.join(d, "problems.json"), encoding="utf-8"))
    html = open(os.path.join(d, "problems.html"), encoding="utf-8").read()
    cj = json.load(open(os.path.join(d, "capacity.json"), encoding="utf-8"))
    actions = {a["id"] for a in pj.get("actions", []) + cj.get("actions", [])}
    want = {i["id"]: i for i in pj.get("incidents", []) if i["level"] in ("critical", "major")}
    pmdir = os.path.join(d, "postmortems")
    have = set()
    if os.path.isdir(pmdir):
        have = {f[:-3] for f in os.listdir(pmdir) if f.endswith(".md")}
    ok(have == set(want), "postmortems/", "drafts %s, critical and major incidents %s"
       % (sorted(have - set(want)) or "", sorted(set(want) - have) or ""))
    for i in pj.get("incidents", []):
        exp = "postmortems/%s.md" % i["id"] if i["id"] in want else None
        ok(i.get("postmortem") == exp, "problems.json", "%s postmortem %r, want %r" % (i["id"], i.get("postmortem"), exp))
    for iid in sorted(want):
        ok('href="postmortems/%s.md"' % iid in html, "problems.html", "no link to postmortems/%s.md" % iid)
        if iid in have:
            check_draft(d, want[iid], os.path.join(pmdir, iid + ".md"), actions, pj.get("changes"))
    for f in fails:
        sys.stderr.write("postmortem_check: %s\n" % f)
    print("postmortem_check: %d drafts, %d checks passed, %d failed" % (len(have), passed, len(fails)))
    if not want:
        sys.stderr.write("postmortem_check: no critical or major incident: nothing checked\n")
        return 1
    return 1 if fails else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
