"""The printable SOP sheet (*lembar SOP*) in the national SOP-AP format (Permenpan RB 35/2012).

:func:`render_sop_sheet_pdf` fills ``resources/templates/sop_sheet/lembar_sop.html.j2``:

* page 1 — the identity block (kop, Nomor SOP, dates, Disahkan Oleh, Nama SOP) and the
  two-column block (Dasar Hukum | Kualifikasi Pelaksana, Keterkaitan | Peralatan/Perlengkapan,
  Peringatan | Pencatatan dan Pendataan);
* then the flowchart table (No | Kegiatan | one column per Pelaksana | Mutu Baku: Kelengkapan,
  Waktu, Output | Ket), split into page chunks; the program's reading notes only when asked
  for, on a page of their own.

All pages are **A4 landscape** (297 × 210 mm; ``paper="F4"`` gives F4 landscape,
330 × 215 mm). The template sets its own ``@page`` size, which wins over the renderer's.

The flowchart table is drawn as one SVG per page (:func:`swimlane_svg_pages`): grid, texts
and symbols together, so the symbols always sit exactly in their rows and lanes. Texts are
wrapped with the metrics of the bundled Liberation Sans font (measured with Pillow), so they
never overflow their cells. Symbols follow SOP-AP: capsule (terminator) for the first and
last activity, rectangle for a process, diamond for a decision (``check``, ``approve``,
``bipartite``), and a pentagon (off-page connector) where the chart continues on the next
page. The arrows are core/flow's edges (the ones the engine runs), drawn along its grid
routes scaled to millimetres, labelled as the SOP file writes them: the swimlane on screen
shows the same arrows. Each arrow's ``<path class="flow">`` names its edge in ``data-from``,
``data-to``, ``data-kind`` and ``data-label``.

Every symbol carries a class (``sym sym-terminator`` / ``sym sym-process`` /
``sym sym-decision``, ``connector``, ``end-mark``) so tests and the GUI can find them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from html import escape
from itertools import pairwise
from typing import Any

from markupsafe import Markup

from desktop_app.core.flow import DECISION_KINDS as FLOW_DECISION_KINDS
from desktop_app.core.flow import Route, flow_layout
from desktop_app.core.sop import Sop, Step

__all__ = [
    "DECISION_KINDS",
    "SHEET_PAPERS",
    "SOP_SHEET_TEMPLATE",
    "render_sop_sheet_html",
    "render_sop_sheet_pdf",
    "sop_sheet_context",
    "swimlane_svg",
    "swimlane_svg_pages",
    "symbol_shape",
    "text_width_mm",
    "wrap_text",
]

SOP_SHEET_TEMPLATE = "sop_sheet/lembar_sop.html.j2"
DECISION_KINDS = frozenset(FLOW_DECISION_KINDS)

# Landscape sheets: (width, height) in mm, and the page margins used by the template.
SHEET_PAPERS: dict[str, tuple[float, float]] = {"A4": (297.0, 210.0), "F4": (330.0, 215.0)}
MARGIN_MM = {"top": 10.0, "right": 12.0, "bottom": 13.0, "left": 12.0}
FLOW_TITLE_MM = 11.0  # the chart title above the first chunk (h2 + gap), see the template
FLOW_CONT_MM = 7.0  # "(lanjutan)" caption above later chunks

PT = 25.4 / 72  # one point in mm

# text sizes (pt)
BODY_PT = 6.8
NOTE_PT = 6.0
HEAD_PT = 7.0
LANE_PT = 6.6
LABEL_PT = 5.8
NUM_PT = 5.6

LINE = 1.2  # line height factor
PAD = 1.3  # cell padding, mm
STROKE = 0.3
GRID = 0.22
ARROW_LEN = 1.9
ARROW_HALF = 0.85
CONN_ZONE = 11.0  # extra row height for an off-page connector
SYM_ZONE = 16.0  # minimum row height for a process / terminator row
DECISION_ZONE = 24.0  # minimum row height for a decision row (room for branch labels)


# --------------------------------------------------------------------------- text metrics


@cache
def _font(bold: bool) -> Any:
    from PIL import ImageFont

    from desktop_app.resources import resource_path

    name = "LiberationSans-Bold.ttf" if bold else "LiberationSans-Regular.ttf"
    return ImageFont.truetype(str(resource_path("fonts", name)), 200)


def text_width_mm(text: str, size_pt: float, bold: bool = False) -> float:
    """Width of ``text`` set in Liberation Sans at ``size_pt``, in millimetres."""
    return float(_font(bold).getlength(text)) / 200 * size_pt * PT


def wrap_text(text: str, width_mm: float, size_pt: float, bold: bool = False) -> list[str]:
    """Greedy word wrap to ``width_mm``; a word longer than a line is broken with a hyphen."""
    lines: list[str] = []
    for paragraph in text.splitlines() or [""]:
        current = ""
        for word in paragraph.split():
            candidate = f"{current} {word}" if current else word
            if text_width_mm(candidate, size_pt, bold) <= width_mm:
                current = candidate
                continue
            if current:
                lines.append(current)
            current = word
            while text_width_mm(current, size_pt, bold) > width_mm and len(current) > 1:
                cut = _break_at(current, width_mm, size_pt, bold)
                lines.append(current[:cut] + "-")
                current = current[cut:]
        lines.append(current)
    return lines


_VOWELS = frozenset("aeiouAEIOU")
_KEEP_TOGETHER = frozenset({"ng", "ny", "kh", "sy", "tr", "pr", "kr", "br", "gr", "dr", "pl",
                            "bl", "kl", "fl", "sk", "st"})


def _syllable_breaks(word: str) -> list[int]:
    """Positions where an Indonesian word may be hyphenated (before a consonant-vowel pair,
    keeping digraphs such as *ng*, *ny* and clusters such as *tr* together)."""
    found = []
    for i in range(2, len(word) - 2):
        cur, nxt, prev = word[i], word[i + 1], word[i - 1]
        if not cur.isalpha() or cur in _VOWELS or nxt not in _VOWELS:
            continue
        if prev in _VOWELS or (prev.isalpha() and (prev + cur).lower() not in _KEEP_TOGETHER):
            found.append(i)
    return found


def _break_at(word: str, width_mm: float, size_pt: float, bold: bool) -> int:
    """Where to cut ``word`` so the first part plus a hyphen fits ``width_mm``: the last
    syllable break that fits, else as many letters as fit."""
    fitting = [i for i in _syllable_breaks(word)
               if text_width_mm(word[:i] + "-", size_pt, bold) <= width_mm]
    if fitting:
        return fitting[-1]
    cut = len(word) - 1
    while cut > 1 and text_width_mm(word[:cut] + "-", size_pt, bold) > width_mm:
        cut -= 1
    return cut


def _lines_height(n: int, size_pt: float) -> float:
    return n * size_pt * PT * LINE


# --------------------------------------------------------------------------- SVG writer


class _Svg:
    def __init__(self) -> None:
        self.parts: list[str] = []

    def add(self, item: str) -> None:
        self.parts.append(item)

    def line(self, x1: float, y1: float, x2: float, y2: float, width: float = GRID,
             cls: str = "grid") -> None:
        self.add(f'<line class="{cls}" x1="{x1:.2f}" y1="{y1:.2f}" x2="{x2:.2f}" '
                 f'y2="{y2:.2f}" stroke="#000" stroke-width="{width}"/>')

    def rect(self, x: float, y: float, w: float, h: float, *, fill: str = "none",
             stroke: str = "#000", width: float = GRID, rx: float = 0, cls: str = "") -> None:
        klass = f' class="{cls}"' if cls else ""
        radius = f' rx="{rx:.2f}" ry="{rx:.2f}"' if rx else ""
        self.add(f'<rect{klass} x="{x:.2f}" y="{y:.2f}" width="{w:.2f}" height="{h:.2f}"'
                 f'{radius} fill="{fill}" stroke="{stroke}" stroke-width="{width}"/>')

    def polygon(self, points: Sequence[tuple[float, float]], *, fill: str = "#fff",
                cls: str = "", width: float = STROKE) -> None:
        pts = " ".join(f"{x:.2f},{y:.2f}" for x, y in points)
        klass = f' class="{cls}"' if cls else ""
        self.add(f'<polygon{klass} points="{pts}" fill="{fill}" stroke="#000" '
                 f'stroke-width="{width}"/>')

    def text_lines(self, lines: Sequence[str], x: float, y_top: float, size_pt: float, *,
                   bold: bool = False, align: str = "left", width: float = 0.0,
                   italic: bool = False, cls: str = "") -> None:
        """Write ``lines`` from ``y_top`` down; ``align`` left/center/right within
        ``[x, x + width]`` (positions computed here, no text-anchor needed)."""
        size = size_pt * PT
        weight = ' font-weight="bold"' if bold else ""
        style = ' font-style="italic"' if italic else ""
        klass = f' class="{cls}"' if cls else ""
        for i, text in enumerate(lines):
            if not text:
                continue
            w = text_width_mm(text, size_pt, bold)
            if align == "center":
                tx = x + (width - w) / 2
            elif align == "right":
                tx = x + width - w
            else:
                tx = x
            baseline = y_top + i * size * LINE + size * 0.92
            self.add(f'<text{klass} x="{tx:.2f}" y="{baseline:.2f}" font-size="{size:.3f}"'
                     f'{weight}{style}>{escape(text)}</text>')

    def path(self, points: Sequence[tuple[float, float]], *, arrow: bool = True,
             cls: str = "flow", edge: _Edge | None = None) -> None:
        """A line (with an arrowhead); ``edge`` names the flow edge it draws in ``data-*``
        attributes (from, to, kind, label), so the sheet's arrows can be read back."""
        d = " ".join(f"{'M' if i == 0 else 'L'}{x:.2f},{y:.2f}" for i, (x, y) in
                     enumerate(points))
        data = ""
        if edge is not None:
            data = (f' data-from="{edge.src}" data-to="{"" if edge.dst is None else edge.dst}"'
                    f' data-kind="{edge.kind}" data-label="{escape(edge.label, quote=True)}"')
        self.add(f'<path class="{cls}" d="{d}"{data} fill="none" stroke="#000" '
                 f'stroke-width="{STROKE}" stroke-linejoin="round"/>')
        if arrow and len(points) >= 2:
            (x1, y1), (x2, y2) = points[-2], points[-1]
            dx, dy = x2 - x1, y2 - y1
            length = (dx * dx + dy * dy) ** 0.5 or 1.0
            ux, uy = dx / length, dy / length
            bx, by = x2 - ux * ARROW_LEN, y2 - uy * ARROW_LEN
            self.add(f'<polygon class="arrowhead" points="{x2:.2f},{y2:.2f} '
                     f'{bx - uy * ARROW_HALF:.2f},{by + ux * ARROW_HALF:.2f} '
                     f'{bx + uy * ARROW_HALF:.2f},{by - ux * ARROW_HALF:.2f}" fill="#000"/>')

    def svg(self, width: float, height: float) -> str:
        body = "\n".join(self.parts)
        return (f'<svg xmlns="http://www.w3.org/2000/svg" class="sop-flow" '
                f'width="{width:.2f}mm" height="{height:.2f}mm" '
                f'viewBox="0 0 {width:.2f} {height:.2f}" font-family="Liberation Sans">\n'
                f'{body}\n</svg>')


# --------------------------------------------------------------------------- layout


def symbol_shape(sop: Sop, step: Step) -> str:
    """``terminator`` (first and last activity), ``decision`` or ``process``."""
    if step.no in (sop.first_step.no, sop.last_step.no):
        return "terminator"
    if step.kind in DECISION_KINDS:
        return "decision"
    return "process"


@dataclass
class _Columns:
    x_no: float
    x_kegiatan: float
    x_lanes: float
    lane_w: float
    x_input: float
    x_time: float
    x_output: float
    x_note: float
    x_end: float
    n_lanes: int

    def lane_x(self, index: int) -> float:
        return self.x_lanes + (index + 0.5) * self.lane_w

    @property
    def boundaries(self) -> list[float]:
        lanes = [self.x_lanes + i * self.lane_w for i in range(self.n_lanes)]
        return [self.x_no, self.x_kegiatan, *lanes, self.x_input, self.x_time, self.x_output,
                self.x_note, self.x_end]


def _columns(width_mm: float, n_lanes: int) -> _Columns:
    scale = width_mm / 273.0
    no, kegiatan, inp, time, out, note = (w * scale for w in (7, 54, 30, 14, 32, 24))
    lanes_total = width_mm - (no + kegiatan + inp + time + out + note)
    if lanes_total / n_lanes < 15:  # many lanes: take room from the text columns
        need = 15 * n_lanes - lanes_total
        shrink = need / (kegiatan + inp + out + note)
        kegiatan, inp, out, note = (w * (1 - shrink) for w in (kegiatan, inp, out, note))
        lanes_total = 15 * n_lanes
    x = 0.0
    x_no = x
    x_keg = x_no + no
    x_lanes = x_keg + kegiatan
    x_inp = x_lanes + lanes_total
    x_time = x_inp + inp
    x_out = x_time + time
    x_note = x_out + out
    return _Columns(x_no, x_keg, x_lanes, lanes_total / n_lanes, x_inp, x_time, x_out, x_note,
                    x_note + note, n_lanes)


@dataclass
class _RowText:
    kegiatan: list[str]
    input: list[str]
    time: list[str]
    output: list[str]
    note: list[str]

    def height(self) -> float:
        body = max(len(self.kegiatan), len(self.input), len(self.time), len(self.output))
        return max(_lines_height(body, BODY_PT), _lines_height(len(self.note), NOTE_PT)) + 2 * PAD


@dataclass
class _Sym:
    no: int
    shape: str
    lane: int
    cx: float = 0.0
    cy: float = 0.0
    w: float = 0.0
    h: float = 0.0
    chunk: int = 0

    @property
    def top(self) -> float:
        return self.cy - self.h / 2

    @property
    def bottom(self) -> float:
        return self.cy + self.h / 2

    @property
    def left(self) -> float:
        return self.cx - self.w / 2

    @property
    def right(self) -> float:
        return self.cx + self.w / 2

    def port(self, side: str) -> tuple[float, float]:
        return {
            "bottom": (self.cx, self.bottom), "top": (self.cx, self.top),
            "left": (self.left, self.cy), "right": (self.right, self.cy),
        }[side]


@dataclass
class _Edge:
    """One arrow of core/flow's layout (the route in grid units, mapped by :func:`_grid`)."""

    src: int
    dst: int | None  # step number, or None for an end mark in ``lane``
    label: str = ""
    lane: int = -1  # end-mark lane (dst None)
    end_text: str = ""  # text inside the end mark
    side: str = ""  # exit side
    kind: str = ""  # core/flow edge kind: next, back, returned, completed
    route: Route | None = None


@dataclass
class _Row:
    step: Step
    text: _RowText
    base_h: float
    top_extra: float = 0.0
    bottom_extra: float = 0.0
    y: float = 0.0

    @property
    def h(self) -> float:
        return self.base_h + self.top_extra + self.bottom_extra


@dataclass
class _Header:
    lane_lines: list[list[str]]
    lane_pt: list[float]
    h_a: float
    h_b: float
    h_c: float

    @property
    def height(self) -> float:
        return self.h_a + self.h_b + self.h_c


@dataclass
class _Chart:
    sop: Sop
    cols: _Columns
    header: _Header
    rows: list[_Row]
    syms: dict[int, _Sym]
    edges: list[_Edge]
    chunks: list[list[int]] = field(default_factory=list)  # row indexes per page


def _fit_lane_name(name: str, width: float) -> tuple[list[str], float]:
    """Lane names shrink (down to 6 pt) so that no word is broken if possible, then wrap
    (hyphenating at a syllable when a word is still too long)."""
    size = LANE_PT
    longest = max(name.split(), key=lambda w: text_width_mm(w, size, True))
    while size > 6.0 and text_width_mm(longest, size, True) > width:
        size -= 0.2
    return wrap_text(name, width, size, True), size


def _build(sop: Sop, width_mm: float, show_notes: bool) -> _Chart:
    lane_index = {lane.code: i for i, lane in enumerate(sop.lanes)}
    cols = _columns(width_mm, len(sop.lanes))

    # header
    lane_lines, lane_pts = [], []
    for lane in sop.lanes:
        lines, size = _fit_lane_name(lane.name, cols.lane_w - 2 * 0.8)
        lane_lines.append(lines)
        lane_pts.append(size)
    h_b = max([_lines_height(len(ll), pt) for ll, pt in zip(lane_lines, lane_pts, strict=True)]
              + [_lines_height(1, HEAD_PT)]) + 2 * PAD
    header = _Header(lane_lines, lane_pts, _lines_height(1, HEAD_PT) + 2 * PAD, h_b,
                     _lines_height(1, NUM_PT) + 1.2)

    # rows
    rows: list[_Row] = []
    syms: dict[int, _Sym] = {}
    for step in sop.steps:
        text = _RowText(
            kegiatan=wrap_text(step.activity, cols.x_lanes - cols.x_kegiatan - 2 * PAD, BODY_PT),
            input=wrap_text(step.input, cols.x_time - cols.x_input - 2 * PAD, BODY_PT),
            time=wrap_text(step.time_text, cols.x_output - cols.x_time - 2 * PAD, BODY_PT),
            output=wrap_text(step.output, cols.x_note - cols.x_output - 2 * PAD, BODY_PT),
            note=(wrap_text(step.note, cols.x_end - cols.x_note - 2 * PAD, NOTE_PT)
                  if show_notes and step.note else []),
        )
        shape = symbol_shape(sop, step)
        zone = DECISION_ZONE if step.branches else SYM_ZONE
        rows.append(_Row(step, text, max(text.height(), zone)))
        sym = _Sym(step.no, shape, lane_index[step.lane])
        sym.w = min(cols.lane_w - (3.0 if shape == "decision" else 4.0), 15.0)
        sym.h = {"decision": 9.0, "terminator": 6.5, "process": 7.0}[shape]
        syms[step.no] = sym

    edges = _edges(sop)
    return _Chart(sop, cols, header, rows, syms, edges)


def _edges(sop: Sop) -> list[_Edge]:
    """The arrows: core/flow's edges with their routes, labels as the SOP file writes them
    (the swimlane on screen draws the same)."""
    return [_Edge(r.edge.src, r.edge.dst, r.edge.label,
                  r.end_column if r.end_column is not None else -1, r.edge.end_text,
                  r.exit, r.edge.kind, r) for r in flow_layout(sop).routes]


# --------------------------------------------------------------------------- paging


def _paginate(chart: _Chart, heights: Sequence[float]) -> None:
    """Split rows into chunks that fit ``heights`` (first page, later pages) and reserve
    room for the off-page connectors at each break."""
    rows = chart.rows
    chunks: list[list[int]] = []
    i = 0
    while i < len(rows):
        avail = (heights[0] if not chunks else heights[-1]) - chart.header.height
        top_extra = CONN_ZONE if chunks else 0.0
        chunk: list[int] = []
        used = top_extra
        while i < len(rows):
            h = rows[i].base_h
            is_last = i == len(rows) - 1
            need = used + h + (0.0 if is_last else CONN_ZONE)
            if chunk and need > avail:
                break
            chunk.append(i)
            used += h
            i += 1
        chunks.append(chunk)
    for k, chunk in enumerate(chunks):
        if k > 0:
            rows[chunk[0]].top_extra = CONN_ZONE
        if k < len(chunks) - 1:
            rows[chunk[-1]].bottom_extra = CONN_ZONE
    chart.chunks = chunks
    for k, chunk in enumerate(chunks):
        for idx in chunk:
            chart.syms[rows[idx].step.no].chunk = k


def _place(chart: _Chart) -> None:
    """Give every row its y (per chunk, below the header) and every symbol its centre."""
    for chunk in chart.chunks:
        y = chart.header.height
        for idx in chunk:
            row = chart.rows[idx]
            row.y = y
            sym = chart.syms[row.step.no]
            sym.cx = chart.cols.lane_x(sym.lane)
            zone_top = y + row.top_extra
            sym.cy = zone_top + row.base_h / 2
            if sym.shape == "decision":
                sym.cy = zone_top + min(row.base_h / 2, 9.0)
            y += row.h


# --------------------------------------------------------------------------- drawing


def _draw_header(svg: _Svg, chart: _Chart) -> None:
    c, hd = chart.cols, chart.header
    fill = "#e6e6e6"
    svg.rect(0, 0, c.x_end, hd.h_a + hd.h_b, fill=fill, stroke="none")
    y_b, y_c = hd.h_a, hd.h_a + hd.h_b

    def center_text(text: str, x0: float, x1: float, y0: float, y1: float, pt: float = HEAD_PT,
                    bold: bool = True) -> None:
        lines = wrap_text(text, x1 - x0 - 1.2, pt, bold)
        h = _lines_height(len(lines), pt)
        svg.text_lines(lines, x0, y0 + (y1 - y0 - h) / 2, pt, bold=bold, align="center",
                       width=x1 - x0)

    center_text("No", c.x_no, c.x_kegiatan, 0, y_c)
    center_text("Kegiatan", c.x_kegiatan, c.x_lanes, 0, y_c)
    center_text("Pelaksana", c.x_lanes, c.x_input, 0, y_b)
    center_text("Mutu Baku", c.x_input, c.x_note, 0, y_b)
    center_text("Ket", c.x_note, c.x_end, 0, y_c)
    for i, (lines, pt) in enumerate(zip(hd.lane_lines, hd.lane_pt, strict=True)):
        x0 = c.x_lanes + i * c.lane_w
        h = _lines_height(len(lines), pt)
        svg.text_lines(lines, x0, y_b + (hd.h_b - h) / 2, pt, bold=True, align="center",
                       width=c.lane_w)
    for text, x0, x1 in (("Kelengkapan", c.x_input, c.x_time), ("Waktu", c.x_time, c.x_output),
                         ("Output", c.x_output, c.x_note)):
        center_text(text, x0, x1, y_b, y_c)
    # column numbers
    bounds = c.boundaries
    for n, (x0, x1) in enumerate(pairwise(bounds), start=1):
        svg.text_lines([str(n)], x0, y_c + 0.55, NUM_PT, align="center", width=x1 - x0,
                       italic=True)
    # header grid
    svg.line(c.x_lanes, y_b, c.x_note, y_b)
    svg.line(0, y_c, c.x_end, y_c)
    for x in bounds[1:-1]:
        if x in (c.x_kegiatan, c.x_lanes, c.x_note, c.x_input):
            svg.line(x, 0, x, hd.height)
        else:
            svg.line(x, y_b, x, hd.height)


def _draw_rows(svg: _Svg, chart: _Chart, chunk: list[int]) -> float:
    c = chart.cols
    bottom = chart.header.height
    for idx in chunk:
        row = chart.rows[idx]
        t = row.text
        y0, h = row.y, row.h

        def cell(lines: list[str], x0: float, x1: float, pt: float = BODY_PT,
                 align: str = "left", y0: float = y0, h: float = h) -> None:
            th = _lines_height(len(lines), pt)
            svg.text_lines(lines, x0 + PAD, y0 + (h - th) / 2, pt, align=align,
                           width=x1 - x0 - 2 * PAD)

        cell([str(row.step.no)], c.x_no, c.x_kegiatan, align="center")
        cell(t.kegiatan, c.x_kegiatan, c.x_lanes)
        cell(t.input, c.x_input, c.x_time)
        cell(t.time, c.x_time, c.x_output, align="center")
        cell(t.output, c.x_output, c.x_note)
        if t.note:
            cell(t.note, c.x_note, c.x_end, pt=NOTE_PT)
        bottom = y0 + h
        svg.line(0, bottom, c.x_end, bottom)
    top = chart.header.height
    for x in c.boundaries[1:-1]:
        svg.line(x, top, x, bottom)
    svg.rect(0, 0, c.x_end, bottom, width=0.35)
    return bottom


def _draw_symbol(svg: _Svg, sym: _Sym) -> None:
    cls = f"sym sym-{sym.shape}"
    if sym.shape == "decision":
        svg.polygon([(sym.cx, sym.top), (sym.right, sym.cy), (sym.cx, sym.bottom),
                     (sym.left, sym.cy)], cls=cls)
    elif sym.shape == "terminator":
        svg.rect(sym.left, sym.top, sym.w, sym.h, fill="#fff", width=STROKE, rx=sym.h / 2,
                 cls=cls)
    else:
        svg.rect(sym.left, sym.top, sym.w, sym.h, fill="#fff", width=STROKE, cls=cls)
    svg.text_lines([str(sym.no)], sym.left, sym.cy - NUM_PT * PT * 0.62, NUM_PT,
                   align="center", width=sym.w, cls="sym-no")


def _connector(svg: _Svg, x: float, y_top: float, letter: str) -> tuple[float, float]:
    """Off-page connector (pentagon pointing down) with its top edge at ``y_top``; returns
    its (top, bottom) y."""
    w, h = 6.0, 6.0
    pts = [(x - w / 2, y_top), (x + w / 2, y_top), (x + w / 2, y_top + h * 0.58),
           (x, y_top + h), (x - w / 2, y_top + h * 0.58)]
    svg.polygon(pts, cls="connector")
    svg.text_lines([letter], x - w / 2, y_top + 0.8, 6.4, bold=True, align="center", width=w,
                   cls="connector-label")
    return y_top, y_top + h


def _end_mark(svg: _Svg, x: float, y: float, text: str) -> tuple[float, float]:
    """Small terminator where a branch leaves the chart (returned / completed)."""
    w = max(text_width_mm(text, LABEL_PT) + 2.6, 9.0)
    h = 4.4
    svg.rect(x - w / 2, y - h / 2, w, h, fill="#fff", width=STROKE, rx=h / 2, cls="end-mark")
    svg.text_lines([text], x - w / 2, y - LABEL_PT * PT * 0.6, LABEL_PT, align="center",
                   width=w)
    return x - w / 2, x + w / 2


def _label_lines(text: str, width: float) -> list[str]:
    return wrap_text(text, max(width, 8.0), LABEL_PT)


def _draw_label(svg: _Svg, text: str, *, x: float, y: float, align: str, width: float,
                above: bool = False) -> None:
    """A branch label starting at ``x`` (``align`` left: text runs right of x; right: text
    ends at x), its top at ``y`` (or its bottom at ``y`` when ``above``), on a white ground
    so grid lines do not run through it."""
    width = max(width, 8.0)
    lines = _label_lines(text, width)
    used = max(text_width_mm(line, LABEL_PT) for line in lines)
    height = _lines_height(len(lines), LABEL_PT)
    top = y - height if above else y
    left = x if align == "left" else x - used
    svg.rect(left - 0.3, top - 0.1, used + 0.6, height + 0.2, fill="#fff", stroke="none",
             width=0, cls="label-ground")
    svg.text_lines(lines, left, top, LABEL_PT, italic=True, cls="branch-label")


_LabelAt = tuple[float, float, str, float, bool]  # x, y, align, width, above


def _draw_edges(svg: _Svg, chart: _Chart, k: int, letters: dict[tuple[int, int | None], str],
                chunk_bottom: float) -> None:
    syms, c = chart.syms, chart.cols
    for e in chart.edges:
        s = syms[e.src]
        t = syms[e.dst] if e.dst is not None else None
        src_here = s.chunk == k
        dst_here = t is not None and t.chunk == k
        if not src_here and not dst_here:
            continue
        tx = t.cx if t is not None else c.lane_x(e.lane)
        sx, sy = s.port(e.side)
        goes_up = e.dst is not None and e.dst < e.src
        label_at: _LabelAt
        if e.side in ("left", "right"):
            sign = 1 if e.side == "right" else -1
            if goes_up:  # below the line, between the symbol and the rising line
                label_at = (sx + sign * 0.8, sy + 0.7, "left" if sign > 0 else "right",
                            abs(tx - sx) - 1.6, False)
            else:  # above the line; the line turns down, so the label may pass its corner
                label_at = (sx + sign * 0.8, sy - 0.7, "left" if sign > 0 else "right",
                            min(abs(tx - sx) + c.lane_w / 2 - 1.5, 32.0), True)
        else:
            label_at = (sx + 1.0, sy + 0.9, "left", c.lane_w - 2.5, False)

        if t is None:  # end mark in another lane (or below, in the same lane)
            if not src_here:
                continue
            pts = _route_points(chart, e)
            ex, ey = pts[-1]
            left, right = _end_mark(svg, ex, ey, e.end_text)
            px, py = pts[-2]
            if abs(py - ey) < 1e-6:  # horizontal into the mark
                pts[-1] = (left if px < ex else right, ey)
            else:
                pts[-1] = (ex, ey - 2.2 if py < ey else ey + 2.2)
            svg.path(pts, edge=e)
            if abs(py - ey) < 1e-6 and e.side != "bottom":
                x, _, align, width, _ = label_at
                label_at = (x, sy - 2.6, align, width, True)  # clear of the end mark
            _label_draw(svg, e.label, label_at)
            continue

        forward = e.dst is not None and e.dst > e.src
        if s.chunk != t.chunk and not forward:  # a loop back to an earlier page
            letter = letters[(e.src, e.dst)]
            if src_here:
                sign = -1 if e.side == "left" else 1
                end_x = sx + sign * 4.0
                svg.path([(sx, sy), (end_x, sy)], arrow=False, edge=e)
                _connector(svg, end_x + sign * 3.0, sy - 3.0, letter)
                _label_draw(svg, e.label, label_at)
            if dst_here:
                _connector(svg, t.left - 7.0, t.cy - 3.0, letter)
                svg.path([(t.left - 4.0, t.cy), (t.left, t.cy)], edge=e)
            continue
        if s.chunk != t.chunk:
            letter = letters[(e.src, e.dst)]
            if src_here:
                conn_top = chunk_bottom - CONN_ZONE + 2.0
                cx = tx if forward else s.cx
                pts = [(sx, sy)]
                if e.side in ("left", "right"):
                    pts.append((cx, sy))
                elif cx != sx:
                    mid = (s.bottom + conn_top) / 2
                    pts += [(sx, mid), (cx, mid)]
                pts.append((cx, conn_top))
                svg.path(pts, edge=e)
                _connector(svg, cx, conn_top, letter)
                _label_draw(svg, e.label, label_at)
            if dst_here:
                row = next(r for r in chart.rows if r.step.no == t.no)
                _, conn_bottom = _connector(svg, t.cx, row.y + 1.8, letter)
                svg.path([(t.cx, conn_bottom), (t.cx, t.top)], edge=e)
            continue

        if not src_here:
            continue
        svg.path(_route_points(chart, e), edge=e)
        _label_draw(svg, e.label, label_at)


def _route_points(chart: _Chart, e: _Edge) -> list[tuple[float, float]]:
    """``e``'s core/flow route in millimetres on its page: lane columns scale linearly, a
    row's top, symbol centre and bottom are grid rows r, r + 0.5 and r + 1; the ends move
    out to the symbols' sides (the last point of an end edge is the end mark's centre)."""
    assert e.route is not None
    c, syms = chart.cols, chart.syms

    def grid(x: float, y: float) -> tuple[float, float]:
        r = min(max(int(y), 0), len(chart.rows) - 1)
        f = y - r
        row = chart.rows[r]
        centre = chart.syms[row.step.no].cy
        my = row.y + (centre - row.y) * f / 0.5 if f <= 0.5 else \
            centre + (row.y + row.h - centre) * (f - 0.5) / 0.5
        return c.x_lanes + x * c.lane_w, my

    route = e.route
    pts = [grid(x, y) for x, y in route.points]
    pts[0] = syms[e.src].port(route.exit)
    if e.dst is not None:
        pts[-1] = syms[e.dst].port(route.entry)
    # the segments next to the symbols stay straight after the ends moved
    for i, j in ((1, 0), (len(pts) - 2, len(pts) - 1)):
        if 0 < i < len(pts) - 1 or (len(pts) == 2 and i == 1):
            gi, gj = route.points[i], route.points[j]
            if gi[1] == gj[1]:
                pts[i] = (pts[i][0], pts[j][1])
            elif gi[0] == gj[0]:
                pts[i] = (pts[j][0], pts[i][1])
    return pts


def _label_draw(svg: _Svg, text: str, at: _LabelAt) -> None:
    if text:
        x, y, align, width, above = at
        _draw_label(svg, text, x=x, y=y, align=align, width=width, above=above)


def _chart(sop: Sop, width_mm: float, heights: Sequence[float], show_notes: bool) -> _Chart:
    chart = _build(sop, width_mm, show_notes)
    _paginate(chart, heights)
    _place(chart)
    return chart


def _render_chunks(chart: _Chart) -> list[str]:
    letters: dict[tuple[int, int | None], str] = {}
    for e in chart.edges:
        if e.dst is not None and chart.syms[e.src].chunk != chart.syms[e.dst].chunk:
            letters[(e.src, e.dst)] = chr(ord("A") + len(letters) % 26)
    out = []
    for k, chunk in enumerate(chart.chunks):
        svg = _Svg()
        _draw_header(svg, chart)
        bottom = _draw_rows(svg, chart, chunk)
        _draw_edges(svg, chart, k, letters, bottom)
        for idx in chunk:
            _draw_symbol(svg, chart.syms[chart.rows[idx].step.no])
        out.append(svg.svg(chart.cols.x_end, bottom + 0.2))
    return out


def swimlane_svg_pages(sop: Sop, *, width_mm: float = 273.0,
                       page_heights_mm: Sequence[float] = (176.0, 180.0),
                       show_notes: bool = True) -> list[str]:
    """The flowchart table as SVG strings, one per page: ``page_heights_mm`` gives the room
    on the first page and on every later page (mm). Connectors mark the breaks."""
    chart = _chart(sop, width_mm, page_heights_mm, show_notes)
    return _render_chunks(chart)


def swimlane_svg(sop: Sop, *, width_mm: float = 273.0, show_notes: bool = True) -> str:
    """The whole flowchart table as one SVG (no page breaks), ``width_mm`` wide."""
    return swimlane_svg_pages(sop, width_mm=width_mm, page_heights_mm=(1e9,),
                              show_notes=show_notes)[0]


# --------------------------------------------------------------------------- sheet


def sop_sheet_context(sop: Sop, office: Mapping[str, Any], *, paper: str = "A4",
                      show_notes: bool = True, reading_notes: bool = False) -> dict[str, Any]:
    """Everything ``lembar_sop.html.j2`` prints for ``sop``.

    ``office`` needs ``pemerintah``, ``nama_dinas`` and ``emblem`` (data URI or None);
    ``bidang`` is optional (default "Bidang Tenaga Kerja"). ``paper`` is ``"A4"`` or
    ``"F4"`` (landscape either way). ``show_notes`` prints the step notes in the Ket column.
    The official sheet prints what the SOP document says; the program's own reading notes
    (what the extraction lost, typos fixed) go to a separate page only with
    ``reading_notes=True`` (checking a draft).
    """
    if paper not in SHEET_PAPERS:
        raise ValueError(f"Ukuran kertas '{paper}' tidak dikenal (pilihan: A4, F4).")
    page_w, page_h = SHEET_PAPERS[paper]
    content_w = page_w - MARGIN_MM["left"] - MARGIN_MM["right"]
    content_h = page_h - MARGIN_MM["top"] - MARGIN_MM["bottom"]
    pages = swimlane_svg_pages(
        sop, width_mm=content_w,
        page_heights_mm=(content_h - FLOW_TITLE_MM, content_h - FLOW_CONT_MM),
        show_notes=show_notes,
    )
    ab = sop.approved_by
    return {
        "office": dict(office),
        "bidang": str(office.get("bidang") or "Bidang Tenaga Kerja"),
        "sheet": {
            "page_width_mm": page_w,
            "page_height_mm": page_h,
            "margin": dict(MARGIN_MM),
            "content_width_mm": content_w,
        },
        "sop": {
            "code": sop.code,
            "number": sop.number,
            "name": sop.name,
            "alternate_names": list(sop.alternate_names),
            "flow_title": sop.flow_title,
            "created": sop.created,
            "revised": sop.revised if sop.revised is not None else "-",
            "effective": sop.effective,
            "approved_by": {"name": ab.name, "rank": ab.rank, "nip": ab.nip,
                            "position": ab.position},
        },
        "sections": [
            ("DASAR HUKUM", list(sop.legal_basis),
             "KUALIFIKASI PELAKSANA", list(sop.qualifications)),
            ("KETERKAITAN", list(sop.relations),
             "PERALATAN / PERLENGKAPAN", list(sop.equipment)),
            ("PERINGATAN", list(sop.warnings),
             "PENCATATAN DAN PENDATAAN", list(sop.records)),
        ],
        "lanes": [lane.name for lane in sop.lanes],
        "flow_pages": [Markup(p) for p in pages],
        "reading_notes": list(sop.reading_notes) if reading_notes else [],
        "corrections": [{"seed": a, "fixed": b} for a, b in sop.corrections]
        if reading_notes else [],
    }


def render_sop_sheet_html(sop: Sop, office: Mapping[str, Any], **kwargs: Any) -> str:
    from desktop_app.core.documents.renderer import render_html

    return render_html(SOP_SHEET_TEMPLATE, sop_sheet_context(sop, office, **kwargs))


def render_sop_sheet_pdf(sop: Sop, office: Mapping[str, Any], **kwargs: Any) -> bytes:
    """The SOP sheet as PDF bytes (landscape pages, see the module docstring)."""
    from desktop_app.core.documents.renderer import render_pdf

    return render_pdf(SOP_SHEET_TEMPLATE, sop_sheet_context(sop, office, **kwargs),
                      paper=kwargs.get("paper", "A4"))
