#!/usr/bin/env python3
"""page_check.py -- the HTML and screenshot checks of report_check.py
(`report_check.py svg` and `report_check.py png` run these), apart from
its Markdown-vs-JSON checks. Python 3 standard library only.

  svg FILE.html...   every inline <svg>...</svg> is well-formed XML
                     (xml.etree), the document's tags are balanced, each
                     report has an SVG
  png [--min-width W] [--min-height H] [--min-share F] [--min-colours N]
      FILE.png...    a screenshot is neither blank nor near-uniform nor
                     too small

Exit 0 when every check passes, 1 on a failed check, 2 on a usage error.
"""
import collections
import html.parser
import re
import struct
import sys
import xml.etree.ElementTree as ET
import zlib


def err(msg):
    """a failed check: to stderr (stdout says what passed)"""
    sys.stderr.write(msg + "\n")


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
            err("%s: cannot read: %s" % (path, e))
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
                err("%s: %s" % (path, e))
        else:
            print("%s: %d SVG blocks well-formed, document tags balanced" % (path, len(blocks)))
    return 1 if failed else 0


# ---- png ---------------------------------------------------------------

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
            out = list(cur)
            for i in range(bpp, stride):
                out[i] = (out[i] + out[i - bpp]) & 255
            out = bytes(out)
        elif ft == 3:
            out = list(cur)
            for i in range(stride):
                left = out[i - bpp] if i >= bpp else 0
                out[i] = (out[i] + ((left + prev[i]) >> 1)) & 255
            out = bytes(out)
        elif ft == 4:
            out, up = list(cur), list(prev)
            for i in range(bpp):
                out[i] = (out[i] + up[i]) & 255
            for i in range(bpp, stride):   # Paeth predictor, inlined (hot loop)
                a, b, c = out[i - bpp], up[i], up[i - bpp]
                pa, pb, pc = abs(b - c), abs(a - c), abs(a + b - c - c)
                out[i] = (out[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
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
            err("%s: broken PNG: %s" % (path, e))
            failed = True
            continue
        # colours are counted without alpha; a fully transparent page is blank
        colours = collections.Counter()   # pixel tuples
        for r in rows:
            if r == r[:ch] * w:          # one colour across the row (most of a page)
                colours[tuple(r[:ch])] += w
            else:
                colours.update(zip(*(r[k::ch] for k in range(ch))))
        rgb = collections.Counter()
        for c, n in colours.items():
            key = bytes(c[:3]) if ch >= 3 else bytes(c[:1] * 3)
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
                err("%s: %s (%s)" % (path, e, desc))
        else:
            print("%s: %s" % (path, desc))
    return 1 if failed else 0
