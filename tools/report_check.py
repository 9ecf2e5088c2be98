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

Exit 0 when every check passes, 1 on a failed check (each failure names the
file and what differs), 2 on a usage error. Sections the JSON lacks are
skipped (and said so); md-json fails when it could check nothing.
"""
import collections
import html.parser
import json
import math
import os
import re
import struct
import sys
import xml.etree.ElementTree as ET
import zlib


def die_usage(msg):
    sys.stderr.write("report_check.py: %s\n%s" % (msg, __doc__))
    sys.exit(2)


# ---- svg ---------------------------------------------------------------

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta",
        "source", "track", "wbr", "param", "keygen"}
# HTML elements whose end tag may be omitted: closed implicitly by their
# parent's end tag (or the end of the document)
OPTIONAL_END = {"html", "head", "body", "p", "li", "dt", "dd", "tr", "td", "th", "thead",
                "tbody", "tfoot", "option", "optgroup", "colgroup", "caption", "rb", "rt", "rp"}

SVG_START = re.compile(r"<svg(?=[\s/>])(?:[^>\"']|\"[^\"]*\"|'[^']*')*>", re.I)
SVG_ANY = re.compile(r"<svg(?=[\s/>])(?:[^>\"']|\"[^\"]*\"|'[^']*')*>|</svg\s*>", re.I)


def line_col(text, pos):
    """1-based line and column of offset pos."""
    line = text.count("\n", 0, pos) + 1
    col = pos - (text.rfind("\n", 0, pos) + 1) + 1
    return line, col


def svg_blocks(text):
    """(start offset, end offset) of every outermost <svg>...</svg>;
    raises ValueError on an unclosed or stray tag."""
    blocks, depth, start = [], 0, None
    for m in SVG_ANY.finditer(text):
        tag = m.group(0)
        if tag[1] == "/":
            if depth == 0:
                raise ValueError("line %d col %d: </svg> without an open <svg>" % line_col(text, m.start()))
            depth -= 1
            if depth == 0:
                blocks.append((start, m.end()))
        elif tag.endswith("/>"):
            if depth == 0:
                blocks.append((m.start(), m.end()))
        else:
            if depth == 0:
                start = m.start()
            depth += 1
    if depth:
        raise ValueError("line %d col %d: <svg> never closed" % line_col(text, start))
    return blocks


class Structure(html.parser.HTMLParser):
    """Balanced tags: every end tag closes the element open at that point
    (elements with optional end tags may be closed implicitly), nothing
    but optional-end elements is left open, no self-closing syntax on a
    non-void HTML element outside SVG (HTML ignores the slash there)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack = []   # (tag, (line, col))
        self.errors = []
        self.svgs = 0
        self.doctype = False
        self.tags = collections.Counter()

    def pos(self):
        line, col = self.getpos()
        return "line %d col %d" % (line, col + 1)

    def in_svg(self):
        return any(t == "svg" for t, _ in self.stack)

    def handle_decl(self, decl):
        if decl.lower().startswith("doctype"):
            self.doctype = True

    def handle_starttag(self, tag, attrs):
        if not self.in_svg():
            self.tags[tag] += 1
        if tag == "svg" and not self.in_svg():
            self.svgs += 1
        if tag in VOID and not self.in_svg():
            return
        self.stack.append((tag, self.getpos()))

    def handle_startendtag(self, tag, attrs):
        self.tags[tag] += 1
        if tag == "svg" and not self.in_svg():
            self.svgs += 1
        if not self.in_svg() and tag != "svg" and tag not in VOID:
            self.errors.append("%s: <%s/>: self-closing syntax on a non-void HTML element "
                               "(the browser keeps it open)" % (self.pos(), tag))

    def handle_endtag(self, tag):
        if tag in VOID and not self.in_svg():
            return  # </br> and the like: harmless
        if not any(t == tag for t, _ in self.stack):
            self.errors.append("%s: </%s> closes nothing that is open" % (self.pos(), tag))
            return
        while self.stack and self.stack[-1][0] != tag:
            t, (l, c) = self.stack.pop()
            if t not in OPTIONAL_END or self.in_svg():
                self.errors.append("%s: </%s> while <%s> (opened line %d col %d) is still open"
                                   % (self.pos(), tag, t, l, c + 1))
        self.stack.pop()

    def finish(self):
        self.close()
        for t, (l, c) in self.stack:
            if t not in OPTIONAL_END:
                self.errors.append("end of document: <%s> (opened line %d col %d) never closed" % (t, l, c + 1))
        if not self.doctype:
            self.errors.append("no <!DOCTYPE html>")
        for t in ("html", "head", "body", "title"):
            if self.tags[t] > 1:
                self.errors.append("%d <%s> elements" % (self.tags[t], t))


def cmd_svg(files):
    if not files:
        die_usage("svg: no file")
    failed = False
    for path in files:
        try:
            with open(path, encoding="utf-8") as f:
                text = f.read()
        except (OSError, UnicodeDecodeError) as e:
            print("%s: cannot read: %s" % (path, e))
            failed = True
            continue
        errs = []
        try:
            blocks = svg_blocks(text)
        except ValueError as e:
            errs.append(str(e))
            blocks = []
        for k, (a, b) in enumerate(blocks):
            frag = text[a:b]
            try:
                ET.fromstring(frag)
            except ET.ParseError as e:
                fl, fc = e.position        # 1-based line, 0-based column in the fragment
                l0, c0 = line_col(text, a)
                line = l0 + fl - 1
                col = (c0 + fc) if fl == 1 else fc + 1
                msg = str(e).split(":")[0]
                errs.append("SVG %d of %d (starts line %d col %d): not well-formed XML: %s at line %d col %d: %.80r"
                            % (k + 1, len(blocks), l0, c0, msg, line, col,
                               text.splitlines()[line - 1][max(0, col - 40):col + 40]))
        st = Structure()
        try:
            st.feed(text)
            st.finish()
        except Exception as e:  # HTMLParser is lenient; report anything odd
            errs.append("HTML parser: %s" % e)
        errs.extend(st.errors)
        if blocks and st.svgs != len(blocks):
            errs.append("%d <svg> blocks in the text but %d <svg> elements in the parsed document "
                        "(one inside a comment, attribute or raw text?)" % (len(blocks), st.svgs))
        if not blocks and not errs:
            errs.append("no <svg> at all (a report without a chart)")
        if errs:
            failed = True
            for e in errs:
                print("%s: %s" % (path, e))
        else:
            print("%s: %d SVG blocks well-formed, document tags balanced" % (path, len(blocks)))
    return 1 if failed else 0


# ---- png ---------------------------------------------------------------

def _paeth(a, b, c):
    p = a + b - c
    pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
    if pa <= pb and pa <= pc:
        return a
    return b if pb <= pc else c


def _add_bytes(x, y, n):
    """bytewise (x + y) mod 256 of two n-byte strings, via big integers"""
    hi = int.from_bytes(b"\x80" * n, "big")
    lo = hi ^ int.from_bytes(b"\xff" * n, "big")
    a, b = int.from_bytes(x, "big"), int.from_bytes(y, "big")
    return (((a & lo) + (b & lo)) ^ ((a ^ b) & hi)).to_bytes(n, "big")


def png_decode(path):
    """(width, height, channels, rows) with rows a list of bytes (8-bit
    samples; palette images expanded to RGB)."""
    with open(path, "rb") as f:
        d = f.read()
    if d[:8] != b"\x89PNG\r\n\x1a\n":
        raise ValueError("not a PNG file")
    p, ihdr, idat, plte = 8, None, [], None
    while p + 8 <= len(d):
        n, t = struct.unpack(">I4s", d[p:p + 8])
        c = d[p + 8:p + 8 + n]
        if len(c) != n:
            raise ValueError("truncated %s chunk" % t.decode("latin-1"))
        if zlib.crc32(t + c) != struct.unpack(">I", d[p + 8 + n:p + 12 + n])[0]:
            raise ValueError("bad CRC in %s chunk" % t.decode("latin-1"))
        p += 12 + n
        if t == b"IHDR":
            ihdr = struct.unpack(">IIBBBBB", c)
        elif t == b"PLTE":
            plte = c
        elif t == b"IDAT":
            idat.append(c)
        elif t == b"IEND":
            break
    else:
        raise ValueError("no IEND chunk (truncated file)")
    if not ihdr:
        raise ValueError("no IHDR chunk")
    w, h, depth, ctype, _, _, interlace = ihdr
    chans = {0: 1, 2: 3, 3: 1, 4: 2, 6: 4}.get(ctype)
    if chans is None or depth != 8:
        raise ValueError("unsupported colour type %d / bit depth %d (want 8-bit)" % (ctype, depth))
    if interlace:
        raise ValueError("interlaced PNG not supported")
    raw = zlib.decompress(b"".join(idat))
    stride = w * chans
    if len(raw) != h * (stride + 1):
        raise ValueError("image data has %d bytes, want %d" % (len(raw), h * (stride + 1)))
    rows, prev, bpp = [], bytes(stride), chans
    for y in range(h):
        ft = raw[y * (stride + 1)]
        cur = raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)]
        if ft == 0:
            out = cur
        elif ft == 2:
            out = _add_bytes(cur, prev, stride)
        elif ft == 1:
            out = bytearray(cur)
            for i in range(bpp, stride):
                out[i] = (out[i] + out[i - bpp]) & 255
            out = bytes(out)
        elif ft == 3:
            out = bytearray(cur)
            for i in range(stride):
                left = out[i - bpp] if i >= bpp else 0
                out[i] = (out[i] + ((left + prev[i]) >> 1)) & 255
            out = bytes(out)
        elif ft == 4:
            out = bytearray(cur)
            for i in range(stride):
                if i >= bpp:
                    out[i] = (out[i] + _paeth(out[i - bpp], prev[i], prev[i - bpp])) & 255
                else:
                    out[i] = (out[i] + prev[i]) & 255
            out = bytes(out)
        else:
            raise ValueError("row %d: bad filter type %d" % (y, ft))
        rows.append(out)
        prev = out
    if ctype == 3:
        if not plte:
            raise ValueError("palette image without PLTE")
        rows = [b"".join(plte[3 * i:3 * i + 3] for i in r) for r in rows]
        chans = 3
    return w, h, chans, rows


def cmd_png(args):
    opts = {"--min-width": 100, "--min-height": 100, "--min-share": 0.01, "--min-colours": 8}
    files = []
    it = iter(args)
    for a in it:
        if a in opts:
            try:
                opts[a] = type(opts[a])(next(it))
            except (StopIteration, ValueError):
                die_usage("png: %s wants a number" % a)
        elif a.startswith("--"):
            die_usage("png: unknown option %s" % a)
        else:
            files.append(a)
    if not files:
        die_usage("png: no file")
    failed = False
    for path in files:
        try:
            w, h, ch, rows = png_decode(path)
        except (OSError, ValueError, zlib.error) as e:
            print("%s: broken PNG: %s" % (path, e))
            failed = True
            continue
        # colours are counted without alpha; a fully transparent page is blank
        colours = collections.Counter()
        for r in rows:
            if r == r[:ch] * w:          # one colour across the row (most of a page)
                colours[r[:ch]] += w
            else:
                colours.update(r[i:i + ch] for i in range(0, len(r), ch))
        rgb = collections.Counter()
        for c, n in colours.items():
            key = c[:3] if ch >= 3 else c[:1] * 3
            if ch in (2, 4) and c[-1] == 0:
                key = b"transparent"
            rgb[key] += n
        bg, nbg = rgb.most_common(1)[0]
        share = 1.0 - nbg / float(w * h)
        errs = []
        if w < opts["--min-width"] or h < opts["--min-height"]:
            errs.append("%dx%d is smaller than %dx%d" % (w, h, opts["--min-width"], opts["--min-height"]))
        if len(rgb) < opts["--min-colours"]:
            errs.append("only %d distinct colours (want >= %d): blank or near-uniform page"
                        % (len(rgb), opts["--min-colours"]))
        if share < opts["--min-share"]:
            errs.append("only %.3f%% of the pixels differ from the background (want >= %.3f%%): "
                        "blank or near-empty page" % (100 * share, 100 * opts["--min-share"]))
        bgname = bg.decode() if bg == b"transparent" else "#" + bg.hex()
        desc = "%dx%d, %d colours, background %s, %.2f%% non-background" % (w, h, len(rgb), bgname, 100 * share)
        if errs:
            failed = True
            for e in errs:
                print("%s: %s (%s)" % (path, e, desc))
        else:
            print("%s: %s" % (path, desc))
    return 1 if failed else 0


# ---- md-json -----------------------------------------------------------

def g4(x):
    """hr_rep_fmt: %.4g, "-" for missing or non-finite"""
    if x is None or isinstance(x, bool) or not isinstance(x, (int, float)) or not math.isfinite(x):
        return "-"
    return "%.4g" % x


def pct(x):
    return g4(x) + "%"        # report.c prints "%s%%" even for "-"


def date(x):
    return x if x else "-"


def md_text(s):
    """a string as md_cell writes it, after the table cell is unescaped"""
    return s.replace("\n", " ").replace("\r", " ")


def split_row(line):
    """cells of a Markdown table row; '\\|' is a literal bar"""
    body = line.strip()
    if body.startswith("|"):
        body = body[1:]
    if body.endswith("|") and not body.endswith("\\|"):
        body = body[:-1]
    cells = re.split(r"(?<!\\)\|", body)
    return [c.strip().replace("\\|", "|") for c in cells]


def code(cell):
    """the text of a `code` cell (a series key)"""
    return cell[1:-1] if len(cell) >= 2 and cell[0] == "`" and cell[-1] == "`" else cell


class Md:
    """A Markdown report split into '## ' sections; tables per section."""

    def __init__(self, path):
        self.path = path
        with open(path, encoding="utf-8") as f:
            self.text = f.read()
        self.lines = self.text.split("\n")
        self.sections = collections.OrderedDict()   # heading -> lines
        cur = ""
        self.sections[cur] = []
        for ln in self.lines:
            if ln.startswith("## "):
                cur = ln[3:].strip()
                self.sections.setdefault(cur, [])
            else:
                self.sections[cur].append(ln)

    def section(self, prefix):
        for k, v in self.sections.items():
            if k.lower().startswith(prefix.lower()):
                return k, v
        return None, None

    def tables(self, lines):
        """[(header cells, [row cells])] of the tables in lines"""
        out, i = [], 0
        while i < len(lines):
            if lines[i].startswith("|") and i + 1 < len(lines) and re.match(r"^\|\s*:?-{3,}", lines[i + 1]):
                head = split_row(lines[i])
                rows, i = [], i + 2
                while i < len(lines) and lines[i].startswith("|"):
                    rows.append(split_row(lines[i]))
                    i += 1
                out.append((head, rows))
            else:
                i += 1
        return out

    def table(self, prefix):
        """(heading, header, rows) of the first table of a section, or None"""
        name, lines = self.section(prefix)
        if name is None:
            return None
        t = self.tables(lines)
        return (name, t[0][0], t[0][1]) if t else (name, None, [])


class Checker:
    def __init__(self):
        self.errors = []
        self.count = collections.Counter()   # checks per "file: section"
        self.skipped = []

    def eq(self, where, what, got, want):
        self.count[where] += 1
        if got != want:
            self.errors.append("%s: %s: Markdown has %r, JSON gives %r" % (where, what, got, want))
            return False
        return True

    def fail(self, where, msg):
        self.count[where] += 1
        self.errors.append("%s: %s" % (where, msg))

    def skip(self, where, why):
        self.skipped.append("%s: skipped (%s)" % (where, why))


def column(header, *names):
    """index of the first header cell equal to one of names (case-blind)"""
    low = [h.lower() for h in header]
    for n in names:
        if n.lower() in low:
            return low.index(n.lower())
    return None


def compare_rows(ck, where, header, rows, expect, colspec, keyname):
    """rows of a keyed table against expect {key: {column: text}}.
    colspec: [(label, [header names])]. The key column is column 0."""
    cols = []
    for label, names in colspec:
        idx = column(header, *names)
        if idx is None:
            ck.skip("%s column '%s'" % (where, label), "not in the Markdown table")
        else:
            cols.append((label, idx))
    seen = {}
    for r in rows:
        k = code(r[0])
        if k in seen:
            ck.fail(where, "%s %s has two rows" % (keyname, k))
        seen[k] = r
    for k in expect:
        if k not in seen:
            ck.fail(where, "%s %s is in the JSON but has no row" % (keyname, k))
    for k in seen:
        if k not in expect:
            ck.fail(where, "%s %s has a row but is not in the JSON (or should not be listed)" % (keyname, k))
    for k, want in expect.items():
        r = seen.get(k)
        if r is None:
            continue
        for label, idx in cols:
            got = r[idx] if idx < len(r) else "<no cell>"
            ck.eq(where, "%s %s: %s" % (keyname, k, label), got, want[label])


def summary_int(ck, where, lines, regex, wants, what):
    """a summary line matched by regex: its groups against wants"""
    for ln in lines:
        m = re.search(regex, ln)
        if m:
            for i, (w, label) in enumerate(zip(wants, what)):
                ck.eq(where, "summary: " + label, m.group(i + 1), w)
            return True
    ck.skip("%s summary '%s'" % (where, what[0]), "no such line")
    return False


def cap_rank(r):
    st = (r.get("saturation") or {}).get("status")
    rank = 0 if st == "saturated" else 1 if st == "saturating" else 2
    p50 = (r.get("saturation") or {}).get("p50") or ""
    return (rank, p50 if rank == 1 else "", r["series"].encode("utf-8"))


def check_capacity(ck, d):
    jp, mp = os.path.join(d, "capacity.json"), os.path.join(d, "capacity.md")
    if not (os.path.exists(jp) and os.path.exists(mp)):
        ck.skip("capacity", "capacity.json or capacity.md missing")
        return
    with open(jp, encoding="utf-8") as f:
        j = json.load(f)
    md = Md(mp)
    res = j.get("resources")
    w = "capacity.md"
    m = re.search(r"^As of (\S+) \(last data point\)\. Horizon (\S+) days\.", md.text, re.M)
    if m:
        ck.eq(w + ": header", "as of", m.group(1), j.get("as_of"))
        ck.eq(w + ": header", "horizon days", m.group(2), g4(j.get("horizon_days")))
    else:
        ck.skip(w + ": header", "no 'As of ... Horizon ... days.' line")
    if res is None:
        ck.skip(w + ": resources", "capacity.json has no resources")
        return
    res = sorted(res, key=cap_rank)
    bykey = {r["series"]: r for r in res}
    sat = lambda r: r.get("saturation") or {}
    rec = lambda r: r.get("recommendation") or {}
    inv = lambda r: r.get("inventory") or {}

    # summary counts
    _, summ = md.section("Summary")
    if summ is None:
        ck.skip(w + ": summary", "no Summary section")
    else:
        ws = w + ": Summary"
        summary_int(ck, ws, summ, r"^- (\d+) resources with a capacity", [str(len(res))], ["resources"])
        summary_int(ck, ws, summ, r"^- (\d+) already above", [str(sum(sat(r).get("status") == "saturated" for r in res))],
                    ["saturated"])
        within = [r for r in res if sat(r).get("status") == "saturating"]
        for ln in summ:
            m = re.match(r"^- (\d+) reach their target within the horizon(?:; the first is `(.*)` on (\S+))?\.$", ln)
            if m:
                ck.eq(ws, "summary: saturating", m.group(1), str(len(within)))
                if within:
                    ck.eq(ws, "summary: first to saturate", md_text(m.group(2) or "").replace("\\|", "|"),
                          md_text(within[0]["series"]))
                    ck.eq(ws, "summary: first saturation date", m.group(3), sat(within[0]).get("p50"))
                break
        else:
            ck.skip(ws + " summary 'saturating'", "no such line")
        order = [r for r in res if (rec(r).get("units_to_add") or 0) > 0]
        summary_int(ck, ws, summ, r"^- (\d+) resources need (\d+) units",
                    [str(len(order)), str(sum(rec(r)["units_to_add"] for r in order))],
                    ["resources to order for", "units to add"])
        summary_int(ck, ws, summ, r"^- (\d+) reclaimable", [str(sum(bool(r.get("reclaimable")) for r in res))],
                    ["reclaimable"])
        if j.get("inventory_without_data"):
            summary_int(ck, ws, summ, r"^- (\d+) inventory entries have no data",
                        [str(len(j["inventory_without_data"]))], ["inventory without data"])

    # the resources table
    t = md.table("Resources")
    if t is None or t[1] is None:
        ck.fail(w + ": Resources", "no Resources table")
    else:
        expect = collections.OrderedDict()
        for r in res:
            s = sat(r)
            expect[md_text(r["series"])] = {
                "status": (s.get("status") or "unknown") + (", reclaimable" if r.get("reclaimable") else ""),
                "current peak": g4(r.get("current_peak")),
                "threshold": g4(s.get("threshold")),
                "utilisation": pct(r.get("current_utilization_pct")),
                "organic growth": pct(r.get("organic_growth_pct_per_30d")),
                "steps": str(len(r.get("inorganic_steps") or [])),
                "p10": date(s.get("p10")), "p50": date(s.get("p50")), "p90": date(s.get("p90")),
            }
        compare_rows(ck, w + ": Resources", t[1], t[2], expect,
                     [("status", ["status"]), ("current peak", ["current peak"]),
                      ("threshold", ["threshold"]), ("utilisation", ["utilisation", "utilization"]),
                      ("organic growth", ["organic growth / 30 d", "organic growth"]),
                      ("steps", ["steps"]), ("p10", ["saturation p10", "p10"]), ("p50", ["p50"]), ("p90", ["p90"])],
                     "series")
        got_order = [code(r[0]) for r in t[2]]
        want_order = [k for k in expect if k in set(got_order)]
        if [k for k in got_order if k in expect] != want_order:
            ck.fail(w + ": Resources", "rows not in review order (saturated, then by p50, then by key)")
        else:
            ck.count[w + ": Resources"] += 1

    # provisioning and reclaimable units
    order = {md_text(r["series"]): {
        "units now": g4(inv(r).get("units")),
        "units to add": str(rec(r).get("units_to_add")),
        "N+k spares": str(inv(r).get("redundancy")),
        "order by": date(rec(r).get("order_by")) + (" (overdue)" if rec(r).get("order_overdue") else ""),
        "lead time": g4(inv(r).get("lead_time_days")),
    } for r in res if (rec(r).get("units_to_add") or 0) > 0}
    t = md.table("Provisioning")
    if t is None:
        if order:
            ck.fail(w + ": Provisioning", "no Provisioning section but %d resources need units" % len(order))
        else:
            ck.count[w + ": Provisioning"] += 1    # none needed, none shown
    else:
        compare_rows(ck, w + ": Provisioning", t[1], t[2], order,
                     [("units now", ["units now"]), ("units to add", ["units to add"]),
                      ("N+k spares", ["N+k spares"]), ("order by", ["order by"]),
                      ("lead time", ["lead time (days)", "lead time"])], "series")
    back = {md_text(r["series"]): {
        "units now": g4(inv(r).get("units")),
        "units needed": str(rec(r).get("units_needed")),
        "reclaimable": str(rec(r).get("units_reclaimable")),
    } for r in res if (rec(r).get("units_reclaimable") or 0) > 0}
    t = md.table("Reclaimable")
    if t is None:
        if back:
            ck.fail(w + ": Reclaimable", "no Reclaimable section but %d resources have units to hand back" % len(back))
        else:
            ck.count[w + ": Reclaimable"] += 1
    else:
        compare_rows(ck, w + ": Reclaimable", t[1], t[2], back,
                     [("units now", ["units now"]), ("units needed", ["units needed"]),
                      ("reclaimable", ["reclaimable"])], "series")

    # inorganic steps and planned events (as multisets of rows)
    def change(x):
        return ("+" if isinstance(x, (int, float)) and x > 0 else "") + pct(x)
    att, une, plan = collections.Counter(), collections.Counter(), collections.Counter()
    for r in res:
        k = md_text(r["series"])
        for s in r.get("inorganic_steps") or []:
            if s.get("event") is not None:
                att[(s.get("time"), k, change(s.get("delta_pct")), md_text(s["event"]))] += 1
            else:
                une[(s.get("time"), k, change(s.get("delta_pct")))] += 1
        for e in r.get("planned_events") or []:
            plan[(date(e.get("date")), md_text(e.get("name") or ""), k, pct(e.get("expected_change_pct")))] += 1
    for sec, want, n in (("Inorganic steps attributed", att, 4), ("Unexplained steps", une, 3),
                         ("Planned events", plan, 4)):
        where = "%s: %s" % (w, sec)
        t = md.table(sec)
        rows = collections.Counter()
        if t is not None:
            for r in t[2]:
                cells = [code(c) if i in ((1,) if sec != "Planned events" else (2,)) else c
                         for i, c in enumerate(r[:n])]
                rows[tuple(cells)] += 1
        elif want:
            ck.fail(where, "no such section but the JSON has %d" % sum(want.values()))
            continue
        ck.eq(where, "number of rows", sum(rows.values()), sum(want.values()))
        for row in sorted((rows - want).elements()):
            ck.fail(where, "row %s is in the Markdown but not in the JSON" % " | ".join(row))
        for row in sorted((want - rows).elements()):
            ck.fail(where, "row %s from the JSON is missing or differs in the Markdown" % " | ".join(row))
        ck.count[where] += sum((rows & want).values())    # rows that agree
    miss = j.get("inventory_without_data")
    if miss is not None:
        _, lines = md.section("Inventory without data")
        got = [code(ln[2:].strip()) for ln in (lines or []) if ln.startswith("- ")]
        ck.eq(w + ": Inventory without data", "entries", got, [md_text(k) for k in miss])
    if "actions" in j:
        check_actions(ck, w, md, j["actions"])
    else:
        ck.skip(w + ": actions", "capacity.json has no actions")


def check_actions(ck, w, md, actions):
    """Each suggested action's title is in the Markdown, on a line (or in
    the block just after it) that also shows its due date and owner."""
    where = w + ": actions"
    if not isinstance(actions, list):
        ck.fail(where, "actions is not a list")
        return
    for k, a in enumerate(actions):
        title = md_text(a.get("title") or "")
        if not title:
            ck.fail(where, "action %d has no title" % (k + 1))
            continue
        hits = [i for i, ln in enumerate(md.lines) if title in ln.replace("\\|", "|")]
        if not hits:
            ck.fail(where, "action %d '%s': title not in the Markdown" % (k + 1, title))
            continue
        ck.count[where] += 1
        i = hits[0]
        block = "\n".join(md.lines[i:i + 6]) if not md.lines[i].startswith("|") else md.lines[i]
        block = block.replace("\\|", "|")
        due = a.get("due") or a.get("due_date")
        if isinstance(due, str):
            ck.eq(where, "action %d '%s': due date shown" % (k + 1, title), due in block, True)
        owner = a.get("owner")
        if isinstance(owner, str) and owner:
            ck.eq(where, "action %d '%s': owner shown" % (k + 1, title), owner in block, True)


def find_line(lines, token):
    """index of the first line holding token as a whole word"""
    rx = re.compile(r"(?<![\w-])" + re.escape(token) + r"(?![\w-])")
    for i, ln in enumerate(lines):
        if rx.search(ln.replace("\\|", "|")):
            return i
    return None


def nums_in(s):
    return set(re.findall(r"[-+]?(?:\d+\.?\d*(?:e[-+]\d+)?)", s))


def check_problems(ck, d):
    jp, mp = os.path.join(d, "problems.json"), os.path.join(d, "problems.md")
    if not (os.path.exists(jp) and os.path.exists(mp)):
        ck.skip("problems", "problems.json or problems.md missing")
        return
    with open(jp, encoding="utf-8") as f:
        j = json.load(f)
    md = Md(mp)
    w = "problems.md"
    m = re.search(r"^As of (\S+) \(last data point\)", md.text, re.M)
    if m:
        ck.eq(w + ": header", "as of", m.group(1), j.get("as_of"))
    else:
        ck.skip(w + ": header", "no 'As of' line")
    an = j.get("anomalies")
    _, summ = md.section("Summary")
    summ = summ or []
    if an is None:
        ck.skip(w + ": anomalies", "problems.json has no anomalies")
    else:
        ws = w + ": Summary"
        summary_int(ck, ws, summ, r"^- (\d+) anomalies in (\d+) of (\d+) series \(score >= (\S+)\)",
                    [str(len(an)), str(j.get("series_with_anomalies")), str(j.get("series_analysed")),
                     g4(j.get("anomaly_threshold"))],
                    ["anomalies", "series with anomalies", "series analysed", "score threshold"])
        if an:
            for ln in summ:
                m = re.match(r"^- Most recent: `(.*)` from (\S+)\.$", ln)
                if m:
                    ck.eq(ws, "most recent anomaly: series", m.group(1).replace("\\|", "|"), md_text(an[-1]["series"]))
                    ck.eq(ws, "most recent anomaly: start", m.group(2), an[-1].get("start"))
                    break
            else:
                ck.skip(ws + " 'Most recent'", "no such line")
        t = md.table("Anomalies")
        wa = w + ": Anomalies"
        if t is None:
            ck.fail(wa, "no Anomalies section")
        elif t[1] is None:
            ck.eq(wa, "table (the JSON has %d anomalies)" % len(an), "None", "None" if not an else "a table")
        else:
            head, rows = t[1], t[2]
            ck.eq(wa, "number of rows", len(rows), len(an))
            spec = [("start", ["start"], lambda a: a.get("start")),
                    ("end", ["end"], lambda a: a.get("end")),
                    ("series", ["series"], lambda a: md_text(a.get("series") or "")),
                    ("kind", ["kind", "direction"], lambda a: a.get("direction")),
                    ("peak score", ["peak score", "score"], lambda a: g4(a.get("peak_score"))),
                    ("peak value", ["peak value"], lambda a: g4(a.get("peak_value"))),
                    ("expected", ["expected", "expected value"], lambda a: g4(a.get("expected_value")))]
            cols = []
            for label, names, fn in spec:
                idx = column(head, *names)
                if idx is None:
                    ck.skip("%s column '%s'" % (wa, label), "not in the Markdown table")
                else:
                    cols.append((label, idx, fn))
            shown = 0
            for i, (r, a) in enumerate(zip(rows, an)):
                for label, idx, fn in cols:
                    got = r[idx] if idx < len(r) else "<no cell>"
                    if label == "series":
                        got = code(got)
                    if not ck.eq(wa, "row %d (%s from %s): %s" % (i + 1, a.get("series"), a.get("start"), label),
                                 got, fn(a)):
                        shown += 1
                if shown > 20:
                    ck.fail(wa, "more than 20 mismatches; stopped")
                    break

    inc = j.get("incidents")
    if inc is None:
        ck.skip(w + ": incidents", "problems.json has no incidents")
    else:
        check_incidents(ck, w, md, inc)
    for key in ("recurring",):
        if key not in j:
            ck.skip("%s: %s" % (w, key), "problems.json has no %s" % key)
    slos = j.get("slos")
    if slos is None:
        ck.skip(w + ": slos", "problems.json has no slos")
    else:
        check_slos(ck, w, md, slos)
    log = j.get("incident_log")
    if log is None:
        ck.skip(w + ": incident_log", "problems.json has no incident_log")
    else:
        check_log(ck, w, md, log)
    if "actions" in j:
        check_actions(ck, w, md, j["actions"])
    else:
        ck.skip(w + ": actions", "problems.json has no actions")


def _items(x):
    """a JSON list, or the list inside an object ({"items": [...]} etc.)"""
    if isinstance(x, list):
        return x
    if isinstance(x, dict):
        for v in x.values():
            if isinstance(v, list) and v and isinstance(v[0], dict):
                return v
    return []


def _series_of(x):
    if isinstance(x, dict):
        return x.get("series") or x.get("key")
    return x


def check_incidents(ck, w, md, inc):
    """Incidents: their count where the summary gives one; each incident
    the Markdown shows (by id) has its JSON origin and start on its line;
    no id in the Markdown that the JSON lacks."""
    where = w + ": incidents"
    items = _items(inc)
    ids = []
    for k, x in enumerate(items):
        ids.append(x.get("id") or "D-%04d" % (k + 1))
    _, summ = md.section("Summary")
    for ln in summ or []:
        m = re.search(r"\b(\d+) incidents?\b", ln)
        if m:
            ck.eq(where, "summary: number of incidents", m.group(1), str(len(items)))
            break
    else:
        ck.skip(where + " summary count", "no 'N incidents' in the Summary")
    shown = set(re.findall(r"\bD-\d{4,}\b", md.text))
    for s in sorted(shown - set(ids)):
        ck.fail(where, "%s is in the Markdown but not in the JSON" % s)
    if items and not shown:
        ck.fail(where, "the JSON has %d incidents but the Markdown names none (D-0001 ...)" % len(items))
    n = 0
    for k, x in enumerate(items):
        if ids[k] not in shown:
            continue
        i = find_line(md.lines, ids[k])
        ln = md.lines[i].replace("\\|", "|")
        origin = _series_of(x.get("origin") or x.get("origin_series"))
        if isinstance(origin, str):
            ck.eq(where, "%s: origin %s on its line" % (ids[k], origin), md_text(origin) in ln, True)
        start = x.get("start")
        if isinstance(start, str):
            ck.eq(where, "%s: start %s on its line" % (ids[k], start), start in ln, True)
        n += 1
    print("incidents: %d in the JSON, %d shown in the Markdown checked" % (len(items), n))


def _walk(x, pred, path=""):
    """(path, value) of every key of nested objects with pred(key)"""
    if isinstance(x, dict):
        for k, v in x.items():
            p = path + "." + k if path else k
            if pred(k) and isinstance(v, (int, float)) and not isinstance(v, bool):
                yield p, v
            yield from _walk(v, pred, p)


def _shown(line, v, scales):
    """v, in one of the scales, appears on line as hr_rep_fmt prints it"""
    nums = nums_in(line)
    return any(g4(v * s) in nums for s in scales)


def check_slos(ck, w, md, slos):
    """Each SLO's row (the line naming it) shows its objective and its
    remaining error budget (as a share or in percent)."""
    where = w + ": slos"
    items = _items(slos)
    if not items:
        ck.count[where] += 1
        return
    for x in items:
        name = x.get("name")
        if not name:
            ck.fail(where, "an SLO without a name")
            continue
        sec_lines = md.lines
        i = find_line(sec_lines, md_text(name))
        if i is None:
            ck.fail(where, "SLO %s not in the Markdown" % name)
            continue
        ln = md.lines[i]
        if x.get("error"):
            ck.count[where] += 1
            continue
        rem = list(_walk(x, lambda k: "remaining" in k.lower()))
        if not rem:
            ck.skip(where + " " + name, "no budget remaining in the JSON")
        for p, v in rem[:1]:
            ck.eq(where, "SLO %s: %s = %s (share or %%) on its line %r" % (name, p, g4(v), ln),
                  _shown(ln, v, (1, 100)), True)
        obj = x.get("objective")
        if isinstance(obj, (int, float)):
            ck.eq(where, "SLO %s: objective %s (share or %%) on its line %r" % (name, g4(obj), ln),
                  _shown(ln, obj, (1, 100)), True)


def check_log(ck, w, md, log):
    """MTTD and MTTR: each per-service figure of the incident log's metrics
    is on the line naming its service (in seconds, minutes, hours or days,
    as hr_rep_fmt prints them)."""
    where = w + ": incident_log"
    rows = []
    def collect(x):
        if isinstance(x, dict):
            if any(re.search(r"mtt[dr]", k, re.I) for k in x):
                rows.append(x)
            for v in x.values():
                collect(v)
        elif isinstance(x, list):
            for v in x:
                collect(v)
    collect(log)
    if not rows:
        ck.skip(where, "no MTTD/MTTR in the JSON")
        return
    for x in rows:
        label = x.get("service") or x.get("name")
        if not isinstance(label, str):
            label = None
        if label:
            i = find_line(md.lines, md_text(label))
            cands = [i] if i is not None else []
        else:
            cands = [i for i, ln in enumerate(md.lines) if re.search(r"MTT[DR]", ln)]
        if not cands:
            ck.fail(where, "no line for %s" % (label or "the overall MTTD/MTTR"))
            continue
        for k, v in x.items():
            if not re.search(r"mtt[dr]", k, re.I) or not isinstance(v, (int, float)) or isinstance(v, bool):
                continue
            unit = 1e-3 if k.endswith("_ms") else 1.0      # to seconds
            scales = [unit * s for s in (1, 1 / 60.0, 1 / 3600.0, 1 / 86400.0)]
            okay = any(_shown(md.lines[i], v, scales) for i in cands)
            ck.eq(where, "%s %s = %s on its line %r" % (label or "overall", k, g4(v), md.lines[cands[0]]),
                  okay, True)


def cmd_md_json(args):
    if len(args) != 1:
        die_usage("md-json: want one DIR")
    d = args[0]
    if not os.path.isdir(d):
        print("%s: not a directory" % d)
        return 1
    ck = Checker()
    try:
        check_capacity(ck, d)
        check_problems(ck, d)
    except (OSError, ValueError, KeyError, TypeError) as e:
        ck.errors.append("%s: cannot check: %s: %s" % (d, type(e).__name__, e))
    for s in ck.skipped:
        print(s)
    for k, n in ck.count.items():
        print("%s: %d checks" % (k, n))
    total = sum(ck.count.values())
    for e in ck.errors:
        print("MISMATCH " + e)
    if total == 0:
        print("%s: nothing was checked" % d)
        return 1
    print("md-json: %d checks, %d mismatches" % (total, len(ck.errors)))
    return 1 if ck.errors else 0


def main(argv):
    if len(argv) < 2:
        die_usage("no subcommand")
    cmd, args = argv[1], argv[2:]
    if cmd == "svg":
        return cmd_svg(args)
    if cmd == "png":
        return cmd_png(args)
    if cmd == "md-json":
        return cmd_md_json(args)
    die_usage("unknown subcommand %s" % cmd)


if __name__ == "__main__":
    sys.exit(main(sys.argv))
