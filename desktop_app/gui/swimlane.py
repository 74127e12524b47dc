"""The swimlane picture of an SOP (bagan alir), drawn from its definition, optionally with a case.

The layout follows the national SOP-AP sheet (Permenpan RB 35/2012) that office staff already
read: a "No" and "Kegiatan" column on the left, one column per lane (*Pelaksana*), then the
*Mutu Baku* columns Kelengkapan, Waktu and Output. Each step's symbol sits in its lane's column:
a capsule (terminator) for the first and last step, a rectangle for a process, a diamond for a
decision (check / approve / bipartite). The arrows are core/flow's edges, the ones the engine
runs, along its grid routes scaled to this canvas (the printed SOP sheet draws the same):
decision branches carry their labels ("Lengkap" / "Tidak lengkap", "Sepakat" / "Masih
berselisih"), a goto leads where the engine takes the case, forward or back.

With a case (:meth:`SwimlaneWidget.set_case`) finished steps turn green (amber or red when they
took longer than the standard time) with a small caption of who, when and how long, the current
step is blue with a bold border, and the steps to come are grey.

Everything is painted on one canvas whose geometry is computed once per width and kept
inspectable (:meth:`SwimlaneWidget.step_shapes`) so tests can check what is drawn.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from PySide6.QtCore import QCoreApplication, QEvent, QPointF, QRect, QRectF, QSize, Qt
from PySide6.QtGui import (
    QBrush,
    QColor,
    QFont,
    QFontMetrics,
    QHelpEvent,
    QPainter,
    QPainterPath,
    QPaintEvent,
    QPalette,
    QPen,
    QPolygonF,
    QResizeEvent,
)
from PySide6.QtWidgets import QFrame, QScrollArea, QToolTip, QWidget

from desktop_app.core import flow, workflow
from desktop_app.core.cases import CaseDetail, EventView
from desktop_app.core.flow import flow_layout
from desktop_app.core.formatting import tanggal_jam
from desktop_app.core.sop import Sop, Step

__all__ = ["ArrowInfo", "StepShape", "SwimlaneWidget", "short_name"]

DECISION_KINDS = flow.DECISION_KINDS

# Marks of a step for a case.
MARK_NONE = "none"  # no case shown
MARK_DONE = "done"
MARK_LATE = "late"  # done, over the standard time
MARK_VERY_LATE = "very_late"  # done, more than twice the standard time
MARK_CURRENT = "current"
MARK_STOPPED = "stopped"  # the case was rejected or withdrawn here
MARK_TODO = "todo"
MARK_SKIPPED = "skipped"  # the case ended before reaching the step (e.g. bipartite agreement)

_SHORT_MONTHS = ("Jan", "Feb", "Mar", "Apr", "Mei", "Jun", "Jul", "Agu", "Sep", "Okt", "Nov",
                 "Des")

# Fill, border and text colours per mark.
_COLORS: dict[str, tuple[str, str, str]] = {
    MARK_NONE: ("#ffffff", "#37474f", "#263238"),
    MARK_DONE: ("#c8e6c9", "#2e7d32", "#1b5e20"),
    MARK_LATE: ("#ffe0b2", "#ef6c00", "#8a4b00"),
    MARK_VERY_LATE: ("#ffcdd2", "#c62828", "#8e0000"),
    MARK_CURRENT: ("#bbdefb", "#1565c0", "#0d3c78"),
    MARK_STOPPED: ("#ffcdd2", "#b71c1c", "#8e0000"),
    MARK_TODO: ("#f5f5f5", "#9e9e9e", "#757575"),
    MARK_SKIPPED: ("#fafafa", "#bdbdbd", "#9e9e9e"),
}

# Column widths: minimum, and share of any extra width.
_NO_W = 34
_ACTIVITY_MIN, _LANE_MIN, _INPUT_MIN, _TIME_MIN, _OUTPUT_MIN = 190, 104, 116, 62, 124
_MARGIN = 6
MIN_POINT_SIZE = 9.0  # nothing in the chart is smaller (readable at the counter)
_PAD = 6
_MIN_ROW = 74
_SYMBOL_H = 40
_DIAMOND_H = 58


def _tr(text: str) -> str:
    return QCoreApplication.translate("SwimlaneWidget", text)


def short_name(full_name: str) -> str:
    """"Rina Marlina" → "Rina M."; titles after a comma are dropped."""
    name = full_name.split(",")[0].strip()
    parts = name.split()
    if not parts:
        return full_name
    if len(parts) == 1:
        return parts[0]
    return f"{parts[0]} {parts[1][0]}."


def short_when(dt: datetime) -> str:
    """"28 Nov 09:12"."""
    return f"{dt.day} {_SHORT_MONTHS[dt.month - 1]} {dt.hour:02d}:{dt.minute:02d}"


def short_duration(minutes: int, minutes_per_day: int = 516) -> str:
    """"4 mnt", "1 jam 5 mnt", "2 hr 3 jam" (working time)."""
    minutes = max(0, int(minutes))
    if minutes < 60:
        return f"{minutes} mnt"
    if minutes < minutes_per_day:
        h, m = divmod(minutes, 60)
        return f"{h} jam {m} mnt" if m else f"{h} jam"
    d, rest = divmod(minutes, minutes_per_day)
    h = rest // 60
    return f"{d} hr {h} jam" if h else f"{d} hr"


def _standard_short(step: Step) -> str:
    unit = {"minute": "mnt", "hour": "jam", "day": "hr"}[step.time.unit]
    return f"{step.time.amount} {unit}"


@dataclass(frozen=True)
class StepShape:
    """One drawn step symbol: which step, which shape, in which lane, where."""

    step_no: int
    shape_kind: str  # "terminator", "process" or "decision"
    lane_code: str
    rect: QRectF


@dataclass(frozen=True)
class ArrowInfo:
    """One drawn arrow: from a step to a step (``None`` = an end terminator or a lane)."""

    from_step: int
    to_step: int | None
    label: str
    kind: str  # "next", "returned", "back", "completed"
    highlighted: bool
    points: tuple[QPointF, ...]


@dataclass
class _StepInfo:
    mark: str = MARK_NONE
    caption: str = ""
    tooltip: str = ""
    late: bool = False  # the current step is past its due time


class _Canvas(QWidget):
    """Paints the chart; geometry comes from :meth:`relayout`."""

    def __init__(self, owner: SwimlaneWidget) -> None:
        super().__init__(owner)
        self._owner = owner
        self.setMouseTracking(True)
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent, True)

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 (Qt name)
        self._owner._relayout(event.size().width())
        super().resizeEvent(event)

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        painter.setRenderHint(QPainter.RenderHint.TextAntialiasing, True)
        self._owner._paint(painter, QRectF(event.rect()))
        painter.end()

    def event(self, ev: QEvent) -> bool:
        if ev.type() == QEvent.Type.ToolTip:
            assert isinstance(ev, QHelpEvent)
            text = self._owner._tooltip_at(QPointF(ev.pos()))
            if text:
                QToolTip.showText(ev.globalPos(), text, self)
            else:
                QToolTip.hideText()
                ev.ignore()
            return True
        return super().event(ev)


class SwimlaneWidget(QScrollArea):
    """The scrollable swimlane of ``sop``; :meth:`set_case` marks a case's progress."""

    def __init__(self, sop: Sop, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._sop = sop
        self._detail: CaseDetail | None = None
        self._highlight: int | None = None
        self._infos: dict[int, _StepInfo] = {s.no: _StepInfo() for s in sop.steps}
        self._end_marked = False  # the case ended at an early "completed" branch
        self._returned = False
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setWidgetResizable(True)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
        self._font = QFont(self.font())
        self._font.setPointSizeF(max(MIN_POINT_SIZE, self._font.pointSizeF()))
        self._small = QFont(self._font)  # notes: smaller, but never under 9 pt
        self._small.setPointSizeF(max(MIN_POINT_SIZE, self._font.pointSizeF() - 1.5))
        self._bold = QFont(self._font)
        self._bold.setBold(True)
        self._symbol_font = QFont(self._small)
        self._symbol_font.setBold(True)
        # geometry (filled by _relayout)
        self._width = 0
        self._cols: dict[str, tuple[float, float]] = {}
        self._header_h = (0.0, 0.0)
        self._rows: list[tuple[float, float]] = []
        self._shapes: list[StepShape] = []
        self._captions: dict[int, QRectF] = {}
        self._arrows: list[ArrowInfo] = []
        self._layout = flow_layout(sop)
        self._extra: list[tuple[str, QRectF, str]] = []  # (kind, rect, label)
        self._cells: list[tuple[QRectF, str]] = []  # text cells, for tooltips
        self._total_h = 0.0
        self._canvas = _Canvas(self)
        # the sticky header is redrawn where the view scrolled to
        self.verticalScrollBar().valueChanged.connect(lambda _v: self._canvas.update())
        self.setWidget(self._canvas)
        self.viewport().setBackgroundRole(QPalette.ColorRole.Base)
        self.viewport().setAutoFillBackground(True)
        self._relayout(self.min_canvas_width())

    # ------------------------------------------------------------------ public API

    @property
    def sop(self) -> Sop:
        return self._sop

    def set_case(self, detail: CaseDetail | None, now: datetime | None = None) -> None:
        """Show the progress of ``detail`` (``None``: the bare SOP); with ``now`` the current
        step is marked late once past its due time."""
        if detail is not None and detail.sop_code != self._sop.code:
            raise ValueError(f"case of SOP {detail.sop_code} on the swimlane of {self._sop.code}")
        self._detail = detail
        self._now = now
        self._compute_marks()
        self._relayout(max(self._canvas.width(), self.min_canvas_width()))
        self._canvas.update()

    def set_highlight_step(self, no: int | None) -> None:
        """Draw a yellow halo around step ``no`` (``None``: none) and scroll to it."""
        self._highlight = no
        self._canvas.update()
        if no is not None:
            shape = next((s for s in self._shapes if s.step_no == no), None)
            if shape is not None:
                c = shape.rect.center()
                self.ensureVisible(int(c.x()), int(c.y()), 80, 80)

    def step_shapes(self) -> list[StepShape]:
        """The drawn step symbols in step order (``rect`` in canvas coordinates)."""
        return list(self._shapes)

    def lane_order(self) -> list[str]:
        """Lane codes in column order, left to right."""
        return [lane.code for lane in self._sop.lanes]

    def lane_rect(self, code: str) -> QRectF:
        x, w = self._cols[code]
        return QRectF(x, _MARGIN, w, self._total_h - 2 * _MARGIN)

    def step_marks(self) -> dict[int, str]:
        """Each step's mark: none / done / late / very_late / current / stopped / todo /
        skipped."""
        return {no: info.mark for no, info in self._infos.items()}

    def step_caption(self, no: int) -> str:
        return self._infos[no].caption

    def step_tooltip(self, no: int) -> str:
        return self._infos[no].tooltip

    def arrows(self) -> list[ArrowInfo]:
        return list(self._arrows)

    def min_canvas_width(self) -> int:
        n = len(self._sop.lanes)
        return int(2 * _MARGIN + _NO_W + _ACTIVITY_MIN + n * _LANE_MIN + _INPUT_MIN + _TIME_MIN
                   + _OUTPUT_MIN)

    def canvas_height(self) -> int:
        return int(self._total_h)

    def canvas(self) -> QWidget:
        return self._canvas

    def sizeHint(self) -> QSize:  # noqa: N802
        frame = 2 * self.frameWidth() + 4
        return QSize(min(self.min_canvas_width() + frame + 16, 1240),
                     min(int(self._total_h) + frame, 720))

    def minimumSizeHint(self) -> QSize:  # noqa: N802
        return QSize(320, 200)

    # ------------------------------------------------------------------ case marks

    def _compute_marks(self) -> None:
        sop, d = self._sop, self._detail
        self._end_marked = False
        self._returned = False
        for step in sop.steps:
            self._infos[step.no] = _StepInfo(tooltip=self._base_tooltip(step))
        if d is None:
            return
        last_event: dict[int, EventView] = {}
        for ev in d.events:
            if ev.action in (workflow.RETURN_TO_STEP, workflow.REJECT, workflow.WITHDRAW):
                continue
            no = sop.first_step.no if ev.action == workflow.RESUBMIT else ev.step_no
            last_event[no] = ev
        cur = d.current_step
        for step in sop.steps:
            info = self._infos[step.no]
            if d.status == workflow.IN_PROGRESS:
                mark = MARK_DONE if step.no < cur else MARK_CURRENT if step.no == cur \
                    else MARK_TODO
            elif d.status == workflow.RETURNED:
                mark = MARK_DONE if step.no <= cur else MARK_TODO
            elif d.status == workflow.COMPLETED:
                mark = MARK_DONE if step.no <= cur else MARK_SKIPPED
            else:  # rejected / withdrawn
                mark = MARK_DONE if step.no < cur else MARK_STOPPED if step.no == cur \
                    else MARK_SKIPPED
            ev = last_event.get(step.no)
            if mark == MARK_DONE and ev is not None:
                if not ev.on_time:
                    very = ev.standard_minutes and ev.working_minutes > 2 * ev.standard_minutes
                    mark = MARK_VERY_LATE if very else MARK_LATE
                info.caption = (f"{short_name(ev.user_name)} · {short_when(ev.finished_at)}\n"
                                f"{short_duration(ev.working_minutes)} / {_standard_short(step)}")
                who = ev.user_name + (f" (a.n. {ev.on_behalf_of_name})"
                                      if ev.on_behalf_of_name else "")
                state = _tr("tepat waktu") if ev.on_time else _tr("terlambat")
                info.tooltip += "\n\n" + _tr("Selesai oleh {who}, {when}").format(
                    who=who, when=tanggal_jam(ev.finished_at)) + "\n" + _tr(
                    "Lama kerja {worked} (standar {std}) — {state}").format(
                    worked=short_duration(ev.working_minutes), std=step.time.label, state=state)
                if ev.note:
                    info.tooltip += "\n" + _tr("Catatan: {note}").format(note=ev.note)
            elif mark == MARK_CURRENT:
                info.caption = _tr("Sejak {when}").format(when=short_when(d.step_started_at))
                info.tooltip += "\n\n" + _tr("Langkah berjalan sejak {when}").format(
                    when=tanggal_jam(d.step_started_at))
                if d.step_due_at:
                    info.tooltip += "\n" + _tr("Batas waktu: {when}").format(
                        when=tanggal_jam(d.step_due_at))
                now = getattr(self, "_now", None)
                if d.step_due_at and now is not None and now > d.step_due_at:
                    info.late = True
                    info.caption = _tr("Terlambat · sejak {when}").format(
                        when=short_when(d.step_started_at))
                    info.tooltip += "\n" + _tr("Melewati batas waktu.")
            elif mark == MARK_STOPPED:
                info.caption = d.status_label
                info.tooltip += "\n\n" + d.status_label
            info.mark = mark
        if d.status == workflow.RETURNED:
            self._returned = True
            returned = flow.outcome_edge(sop, sop.step(cur), "tidak_lengkap")
            if returned is not None and returned.dst is not None:
                info = self._infos[returned.dst]
                info.mark = MARK_CURRENT
                info.caption = _tr("Menunggu kelengkapan dari pemohon")
                info.tooltip += "\n\n" + _tr("Berkas dikembalikan; menunggu pemohon "
                                             "melengkapi persyaratan.")
        if d.status == workflow.COMPLETED and cur < len(sop.steps):
            self._end_marked = True

    def _base_tooltip(self, step: Step) -> str:
        lane = self._sop.lane(step.lane).name
        lines = [
            _tr("Langkah {no} — {lane}").format(no=step.no, lane=lane),
            _tr("Kegiatan: {text}").format(text=step.activity),
            _tr("Kelengkapan: {text}").format(text=step.input),
            _tr("Waktu: {text}").format(text=step.time_text),
            _tr("Output: {text}").format(text=step.output),
        ]
        if step.note:
            lines.append(_tr("Keterangan: {text}").format(text=step.note))
        return "\n".join(lines)

    # ------------------------------------------------------------------ geometry

    def _shape_kind(self, step: Step) -> str:
        return self._layout.nodes[step.no - 1].shape

    def _symbol_label(self, step: Step) -> str:
        if step.kind == "check":
            return _tr("Lengkap?")
        if step.kind == "bipartite":
            return _tr("Sepakat?")
        if step.kind == "approve":
            return _tr("Disetujui?")
        return {
            "submit": _tr("Pengajuan"),
            "work": _tr("Proses"),
            "paraf": _tr("Paraf"),
            "sign": _tr("Tanda tangan"),
            "handover": _tr("Penyerahan"),
        }.get(step.kind, step.kind)

    @staticmethod
    def _text_h(font: QFont, width: float, text: str) -> float:
        fm = QFontMetrics(font)
        r = fm.boundingRect(QRect(0, 0, max(10, int(width)), 100000),
                            int(Qt.TextFlag.TextWordWrap), text)
        return float(r.height())

    def _relayout(self, width: int) -> None:
        sop = self._sop
        width = max(width, self.min_canvas_width())
        self._width = width
        n = len(sop.lanes)
        extra = width - self.min_canvas_width()
        # Extra width: 35 % to Kegiatan, 45 % to the lanes, 20 % to Kelengkapan/Output.
        act_w = _ACTIVITY_MIN + extra * 0.35
        lane_w = _LANE_MIN + extra * 0.45 / n
        in_w = _INPUT_MIN + extra * 0.10
        out_w = _OUTPUT_MIN + extra * 0.10
        x = float(_MARGIN)
        cols: dict[str, tuple[float, float]] = {}
        for key, w in (("no", _NO_W), ("kegiatan", act_w)):
            cols[key] = (x, w)
            x += w
        for lane in sop.lanes:
            cols[lane.code] = (x, lane_w)
            x += lane_w
        for key, w in (("input", in_w), ("time", _TIME_MIN), ("output", out_w)):
            cols[key] = (x, w)
            x += w
        self._cols = cols
        fm_h = QFontMetrics(self._bold).height()
        h1 = fm_h + 2 * _PAD
        lane_name_h = max(self._text_h(self._bold, lane_w - 2 * _PAD, lane.name)
                          for lane in sop.lanes)
        h2 = max(lane_name_h, fm_h) + 2 * _PAD
        self._header_h = (h1, h2)

        y = _MARGIN + h1 + h2
        rows: list[tuple[float, float]] = []
        shapes: list[StepShape] = []
        captions: dict[int, QRectF] = {}
        cells: list[tuple[QRectF, str]] = []
        for step in sop.steps:
            kind = self._shape_kind(step)
            sym_h = _DIAMOND_H if kind == "decision" else _SYMBOL_H
            cap = self._infos[step.no].caption
            cap_h = self._text_h(self._small, lane_w - 8, cap) + 2 if cap else 0.0
            texts = [(cols["kegiatan"], step.activity), (cols["input"], step.input),
                     (cols["output"], step.output), (cols["time"], step.time_text)]
            text_h = max(self._text_h(self._font, w - 2 * _PAD, t) for (_, w), t in texts)
            h = max(_MIN_ROW, text_h + 2 * _PAD, sym_h + cap_h + 4 * _PAD + 8)
            rows.append((y, h))
            for (cx, cw), t in texts:
                cells.append((QRectF(cx, y, cw, h), t))
            lx, lw = cols[step.lane]
            sym_w = min(lw - 18, 124.0) if kind == "decision" else min(lw - 16, 120.0)
            top = y + 2 * _PAD + 4
            rect = QRectF(lx + (lw - sym_w) / 2, top, sym_w, sym_h)
            shapes.append(StepShape(step.no, kind, step.lane, rect))
            if cap:
                captions[step.no] = QRectF(lx + 4, rect.bottom() + 3, lw - 8, cap_h)
            y += h
        self._rows = rows
        self._shapes = shapes
        self._captions = captions
        self._cells = cells
        self._total_h = y + _MARGIN
        self._route_arrows()
        self._canvas.setMinimumSize(self.min_canvas_width(), int(self._total_h))
        self._canvas.setMaximumHeight(int(self._total_h))
        self.updateGeometry()

    def _anchor_bottom(self, no: int) -> float:
        shape = self._shapes[no - 1]
        cap = self._captions.get(no)
        return cap.bottom() + 2 if cap else shape.rect.bottom()

    def _route_arrows(self) -> None:
        """The arrows of core/flow's layout, scaled to this canvas: lane columns are equal,
        a row's top, symbol centre and bottom are grid rows r, r + 0.5 and r + 1."""
        lay = self._layout
        x0 = self._cols[self._sop.lanes[0].code][0]
        lane_w = self._cols[self._sop.lanes[0].code][1]
        arrows: list[ArrowInfo] = []
        extra: list[tuple[str, QRectF, str]] = []

        def map_x(x: float) -> float:
            return x0 + x * lane_w

        def map_y(y: float) -> float:
            r = min(max(int(y), 0), len(self._rows) - 1)
            f = y - r
            top, h = self._rows[r]
            centre = self._shapes[r].rect.center().y()
            if f <= 0.5:
                return top + (centre - top) * f / 0.5
            return centre + (top + h - centre) * (f - 0.5) / 0.5

        for route in lay.routes:
            e = route.edge
            src = self._shapes[e.src - 1]
            pts = [QPointF(map_x(x), map_y(y)) for x, y in route.points]
            pts[0] = self._port(src, route.exit)
            if route.entry == "end":
                end = self._end_rect(pts[-1])
                extra.append(("end", end, _tr("Kembali") if e.end_text == "kembali"
                              else _tr("Selesai")))
                before = pts[-2]
                if abs(before.y() - pts[-1].y()) < 1:  # horizontal into the mark
                    pts[-1] = QPointF(end.left() if before.x() < end.left() else end.right(),
                                      pts[-1].y())
                else:
                    pts[-1] = QPointF(pts[-1].x(),
                                      end.top() if before.y() < end.top() else end.bottom())
            else:
                assert e.dst is not None
                pts[-1] = self._port(self._shapes[e.dst - 1], route.entry)
            # keep the segments next to the symbols straight after the ports moved them
            if len(pts) > 2:
                pts[1] = self._align(pts[1], pts[0], route.points[1], route.points[0])
                pts[-2] = self._align(pts[-2], pts[-1], route.points[-2], route.points[-1])
            elif len(pts) == 2 and route.exit == "bottom" and route.entry == "top":
                pts[1] = QPointF(pts[0].x(), pts[1].y())
            highlighted = (e.kind == flow.RETURNED and self._returned) or (
                e.kind == flow.COMPLETED and self._end_marked)
            arrows.append(ArrowInfo(e.src, e.dst, e.label, e.kind, highlighted, tuple(pts)))
        self._arrows = arrows
        self._extra = extra

    @staticmethod
    def _align(p: QPointF, port: QPointF, grid_p: tuple[float, float],
               grid_port: tuple[float, float]) -> QPointF:
        """``p`` moved so that its segment to ``port`` stays horizontal or vertical."""
        if grid_p[1] == grid_port[1]:
            return QPointF(p.x(), port.y())
        if grid_p[0] == grid_port[0]:
            return QPointF(port.x(), p.y())
        return p

    def _port(self, shape: StepShape, side: str) -> QPointF:
        r = shape.rect
        if side == "top":
            return QPointF(r.center().x(), r.top())
        if side == "bottom":
            return QPointF(r.center().x(), self._anchor_bottom(shape.step_no))
        return QPointF(r.right() if side == "right" else r.left(), r.center().y())

    def _end_rect(self, centre: QPointF) -> QRectF:
        lane_w = self._cols[self._sop.lanes[0].code][1]
        ew = min(lane_w - 20, 96.0)
        return QRectF(centre.x() - ew / 2, centre.y() - 15, ew, 30)

    # ------------------------------------------------------------------ painting

    def _paint(self, p: QPainter, clip: QRectF) -> None:
        p.fillRect(clip, QColor("#ffffff"))
        sop = self._sop
        cols = self._cols
        h1, h2 = self._header_h
        top = float(_MARGIN)
        left = float(_MARGIN)
        right = left + sum(w for _, w in cols.values())
        grid = QPen(QColor("#90a4ae"), 1)
        lane_x0 = cols[sop.lanes[0].code][0]
        self._paint_header(p, top, left, right)

        # rows: background bands, text cells, grid
        cur_no = self._current_step_no()
        for step, (y, h) in zip(sop.steps, self._rows, strict=True):
            band = QRectF(left, y, right - left, h)
            if self._highlight == step.no:
                p.fillRect(band, QColor("#fff8e1"))
            elif cur_no == step.no:
                p.fillRect(band, QColor("#f1f8ff"))
            elif step.no % 2 == 0:
                p.fillRect(band, QColor("#fafafa"))
            p.setPen(QColor("#263238"))
            p.setFont(self._bold)
            x, w = cols["no"]
            p.drawText(QRectF(x, y, w, h), int(Qt.AlignmentFlag.AlignCenter), str(step.no))
            p.setFont(self._font)
            for key, text, align in (
                ("kegiatan", step.activity, Qt.AlignmentFlag.AlignLeft),
                ("input", step.input, Qt.AlignmentFlag.AlignLeft),
                ("time", step.time_text, Qt.AlignmentFlag.AlignHCenter),
                ("output", step.output, Qt.AlignmentFlag.AlignLeft),
            ):
                x, w = cols[key]
                p.drawText(QRectF(x + _PAD, y + _PAD, w - 2 * _PAD, h - 2 * _PAD),
                           int(align | Qt.AlignmentFlag.AlignVCenter | Qt.TextFlag.TextWordWrap),
                           text)
            p.setPen(grid)
            p.drawLine(QPointF(left, y + h), QPointF(right, y + h))
        # vertical grid lines (lanes dashed inside the body)
        body_top = top + h1 + h2
        bottom = self._total_h - _MARGIN
        p.setPen(grid)
        p.drawRect(QRectF(left, top, right - left, bottom - top))
        lane_pen = QPen(QColor("#cfd8dc"), 1, Qt.PenStyle.DashLine)
        for key, (x, _w) in cols.items():
            if key == "no":
                continue
            is_lane = key in {lane.code for lane in sop.lanes} and x > lane_x0
            p.setPen(lane_pen if is_lane else grid)
            p.drawLine(QPointF(x, body_top), QPointF(x, bottom))

        # arrows under the symbols
        for arrow in self._arrows:
            self._paint_arrow(p, arrow)
        # extra terminators (early end)
        for kind, rect, label in self._extra:
            if kind == "end":
                mark = MARK_DONE if self._end_marked else (
                    MARK_TODO if self._detail is not None else MARK_NONE)
                fill, border, text = _COLORS[mark]
                p.setPen(QPen(QColor(border), 1.6))
                p.setBrush(QBrush(QColor(fill)))
                p.drawRoundedRect(rect, rect.height() / 2, rect.height() / 2)
                p.setPen(QColor(text))
                self._draw_fitted(p, rect.adjusted(8, 2, -8, -2), label, self._symbol_font)
        # symbols
        for shape in self._shapes:
            self._paint_symbol(p, shape)
        # the headers stay in view when the chart is scrolled down (drawn over the rows)
        scrolled = float(self.verticalScrollBar().value())
        if scrolled > top:
            p.save()
            self._paint_header(p, scrolled, left, right)
            p.restore()

    def _paint_header(self, p: QPainter, top: float, left: float, right: float) -> None:
        """The column headers (No, Kegiatan, the lanes, Mutu Baku) with their top at ``top``."""
        sop = self._sop
        cols = self._cols
        h1, h2 = self._header_h
        grid = QPen(QColor("#90a4ae"), 1)
        header_bg = QColor("#eceff1")
        p.setBrush(Qt.BrushStyle.NoBrush)  # the cells' frames only; the band is filled below
        p.setFont(self._bold)
        p.fillRect(QRectF(left, top, right - left, h1 + h2), header_bg)
        lane_x0 = cols[sop.lanes[0].code][0]
        lane_x1 = cols[sop.lanes[-1].code][0] + cols[sop.lanes[-1].code][1]
        mutu_x0 = cols["input"][0]
        mutu_x1 = cols["output"][0] + cols["output"][1]
        p.setPen(QColor("#263238"))
        spans = [
            (QRectF(cols["no"][0], top, cols["no"][1], h1 + h2), _tr("No")),
            (QRectF(cols["kegiatan"][0], top, cols["kegiatan"][1], h1 + h2), _tr("Kegiatan")),
            (QRectF(lane_x0, top, lane_x1 - lane_x0, h1), _tr("Pelaksana")),
            (QRectF(mutu_x0, top, mutu_x1 - mutu_x0, h1), _tr("Mutu Baku")),
        ]
        for lane in sop.lanes:
            x, w = cols[lane.code]
            spans.append((QRectF(x, top + h1, w, h2), lane.name))
        for key, text in (("input", _tr("Kelengkapan")), ("time", _tr("Waktu")),
                          ("output", _tr("Output"))):
            x, w = cols[key]
            spans.append((QRectF(x, top + h1, w, h2), text))
        for rect, text in spans:
            p.setPen(QColor("#263238"))
            self._draw_fitted(p, rect.adjusted(_PAD - 2, _PAD - 2, 2 - _PAD, 2 - _PAD), text,
                              self._bold)
            p.setPen(grid)
            p.drawRect(rect)

    def _current_step_no(self) -> int | None:
        for no, info in self._infos.items():
            if info.mark == MARK_CURRENT:
                return no
        return None

    def _paint_symbol(self, p: QPainter, shape: StepShape) -> None:
        step = self._sop.step(shape.step_no)
        info = self._infos[shape.step_no]
        fill, border, text = _COLORS[info.mark]
        if info.late:  # the current step, past its due time: red border and text
            border, text = _COLORS[MARK_VERY_LATE][1], _COLORS[MARK_VERY_LATE][2]
        r = shape.rect
        width = 3.0 if info.mark in (MARK_CURRENT, MARK_STOPPED) else 1.6
        if self._highlight == shape.step_no:
            halo = QPen(QColor("#f9a825"), 3, Qt.PenStyle.DashLine)
            p.setPen(halo)
            p.setBrush(Qt.BrushStyle.NoBrush)
            p.drawRoundedRect(r.adjusted(-5, -5, 5, 5), 8, 8)
        p.setPen(QPen(QColor(border), width))
        p.setBrush(QBrush(QColor(fill)))
        if shape.shape_kind == "terminator":
            p.drawRoundedRect(r, r.height() / 2, r.height() / 2)
            inner = r.adjusted(r.height() / 3, 2, -r.height() / 3, -2)
        elif shape.shape_kind == "decision":
            c = r.center()
            p.drawPolygon(QPolygonF([QPointF(c.x(), r.top()), QPointF(r.right(), c.y()),
                                     QPointF(c.x(), r.bottom()), QPointF(r.left(), c.y())]))
            inner = QRectF(r.left() + r.width() / 4, r.top() + r.height() / 4,
                           r.width() / 2, r.height() / 2)
        else:
            p.drawRect(r)
            inner = r.adjusted(4, 2, -4, -2)
        font = QFont(self._symbol_font)
        if info.mark == MARK_CURRENT:
            font.setPointSizeF(font.pointSizeF() + 0.5)
        p.setPen(QColor(text))
        self._draw_fitted(p, inner, self._symbol_label(step), font)
        if step.kind == "bipartite":
            p.setFont(self._small)
            p.setPen(QColor("#546e7a"))
            tag = QRectF(r.left() - 2, r.top() - 2, r.width() / 2 - 8, 14)
            p.drawText(tag, int(Qt.AlignmentFlag.AlignLeft), _tr("2×"))
        cap = self._captions.get(shape.step_no)
        if cap is not None:
            p.setFont(self._small)
            p.setPen(QColor(text))
            p.drawText(cap, int(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop
                                | Qt.TextFlag.TextWordWrap), info.caption)

    def _draw_fitted(self, p: QPainter, rect: QRectF, text: str, font: QFont) -> None:
        """Draw ``text`` wrapped inside ``rect``, shrinking the font so it never overflows."""
        f = QFont(font)
        flags = int(Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap)
        size = f.pointSizeF()
        while size > MIN_POINT_SIZE:
            br = QFontMetrics(f).boundingRect(QRect(0, 0, int(rect.width()), 10000), flags, text)
            if br.height() <= rect.height() + 1 and br.width() <= rect.width() + 1:
                break
            size -= 0.5
            f.setPointSizeF(size)
        p.setFont(f)
        p.save()
        p.setClipRect(rect.adjusted(-1, -1, 1, 1))
        p.drawText(rect, flags, text)
        p.restore()

    def _paint_arrow(self, p: QPainter, arrow: ArrowInfo) -> None:
        if arrow.highlighted:
            color = QColor("#c62828") if arrow.kind == "returned" else QColor("#2e7d32")
            pen = QPen(color, 2.6)
        else:
            color = QColor("#455a64")
            pen = QPen(color, 1.4)
            if arrow.kind in ("returned", "back", "completed"):
                pen.setStyle(Qt.PenStyle.DashLine)
        pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
        p.setPen(pen)
        p.setBrush(Qt.BrushStyle.NoBrush)
        pts = arrow.points
        path = QPainterPath(pts[0])
        for pt in pts[1:]:
            path.lineTo(pt)
        p.drawPath(path)
        # head
        a, b = pts[-2], pts[-1]
        dx, dy = b.x() - a.x(), b.y() - a.y()
        length = max(1e-6, (dx * dx + dy * dy) ** 0.5)
        ux, uy = dx / length, dy / length
        size = 8.0
        left = QPointF(b.x() - ux * size - uy * size * 0.5, b.y() - uy * size + ux * size * 0.5)
        right = QPointF(b.x() - ux * size + uy * size * 0.5, b.y() - uy * size - ux * size * 0.5)
        p.setPen(QPen(color, 1))
        p.setBrush(QBrush(color))
        p.drawPolygon(QPolygonF([b, left, right]))
        if arrow.label:
            self._paint_arrow_label(p, arrow, color)

    def _paint_arrow_label(self, p: QPainter, arrow: ArrowInfo, color: QColor) -> None:
        p.setFont(self._small)
        fm = QFontMetrics(self._small)
        a, b = arrow.points[0], arrow.points[1]
        max_w = 112
        br = fm.boundingRect(QRect(0, 0, max_w, 1000), int(Qt.TextFlag.TextWordWrap),
                             arrow.label)
        w, h = br.width() + 6, br.height() + 2
        if arrow.kind == "completed":  # above the short arrow and the end capsule
            end = next((r for k, r, _ in self._extra if k == "end"
                        and abs(r.center().y() - a.y()) < 1), None)
            x0 = min(a.x(), b.x()) + 2
            x1 = end.right() if end is not None and end.center().x() > a.x() else max(a.x(), b.x())
            if end is not None and end.center().x() < a.x():
                x0 = end.left()
            br = fm.boundingRect(QRect(0, 0, int(x1 - x0), 1000),
                                 int(Qt.TextFlag.TextWordWrap), arrow.label)
            h = br.height() + 2
            rect = QRectF(x0, a.y() - 15 - h - 2, x1 - x0, h)
        elif abs(a.y() - b.y()) < 1:  # horizontal first segment: label beside the turn
            going_right = b.x() > a.x()
            x = a.x() + 4 if going_right else a.x() - 4 - w
            turns_up = len(arrow.points) > 2 and arrow.points[2].y() < b.y()
            # above the line, unless the arrow turns upwards (then below, clear of it)
            rect = QRectF(x, a.y() + 3 if turns_up else a.y() - h - 2, w, h)
        else:  # vertical: label beside it
            rect = QRectF(a.x() + 5, a.y() + 2, w, h)
        p.setPen(Qt.PenStyle.NoPen)
        p.setBrush(QColor(255, 255, 255, 225))
        p.drawRect(rect)
        p.setPen(color)
        p.drawText(rect, int(Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap),
                   arrow.label)

    # ------------------------------------------------------------------ tooltips

    def _tooltip_at(self, pos: QPointF) -> str:
        for shape in self._shapes:
            if shape.rect.adjusted(-4, -4, 4, 4).contains(pos):
                return self._infos[shape.step_no].tooltip
            cap = self._captions.get(shape.step_no)
            if cap is not None and cap.contains(pos):
                return self._infos[shape.step_no].tooltip
        for _kind, rect, label in self._extra:
            if rect.contains(pos):
                return label
        for rect, text in self._cells:
            if rect.contains(pos):
                return text
        return ""
