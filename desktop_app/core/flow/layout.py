"""The chart's geometry in abstract grid units, shared by the printed sheet and the swimlane.

Grid units: lane column ``c`` (left to right in the SOP's lane order) spans ``x`` in
``[c, c + 1]``, its centre at ``c + 0.5``; step row ``r`` (step ``r + 1``) spans ``y`` in
``[r, r + 1]`` with the step's symbol centred at ``y = r + 0.5``. A renderer maps ``x``
linearly over its equal lane columns and ``y`` piecewise: ``r`` to the row's top,
``r + 0.5`` to the symbol's centre, ``r + 1`` to the row's bottom.

Every edge gets a :class:`Route`: the side it leaves its source symbol (``exit``), the side
it enters its target (``entry``; ``"end"`` for an end mark), and orthogonal ``points``. The
first point is the source symbol's centre and the last the target's centre (or the end
mark's); a renderer moves them out to its symbol's edge on the ``exit``/``entry`` side,
which keeps every segment horizontal or vertical. Lines that must pass a symbol run in a
lane's gutter (:data:`GUTTER` of a lane width inside its border).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from desktop_app.core.flow.graph import (
    FlowEdge,
    FlowNode,
    flow_edges,
    flow_nodes,
)

if TYPE_CHECKING:
    from desktop_app.core.sop import Sop

__all__ = ["GUTTER", "JOG", "FlowLayout", "Route", "flow_layout"]

GUTTER = 0.07  # a channel line runs this far (in lane widths) inside a lane's border
JOG = 0.88  # a line leaving a symbol's bottom turns at this height of its row (0.5: centre)


@dataclass(frozen=True)
class Route:
    """How ``edge`` is drawn: see the module docstring for the units."""

    edge: FlowEdge
    exit: str  # "bottom", "left" or "right"
    entry: str  # "top", "bottom", "left", "right" or "end" (an end mark)
    points: tuple[tuple[float, float], ...]
    end_column: int | None = None  # lane column of the end mark (edge.dst is None)


@dataclass(frozen=True)
class FlowLayout:
    """Lane columns, one row per step, and a route per edge."""

    lanes: tuple[str, ...]
    nodes: tuple[FlowNode, ...]
    columns: Mapping[int, int]  # step no → lane column
    rows: Mapping[int, int]  # step no → row
    routes: tuple[Route, ...]

    @property
    def edges(self) -> tuple[FlowEdge, ...]:
        return tuple(r.edge for r in self.routes)

    def route(self, src: int, dst: int | None, kind: str = "") -> Route:
        return next(r for r in self.routes if r.edge.src == src and r.edge.dst == dst
                    and (not kind or r.edge.kind == kind))


def flow_layout(sop: Sop) -> FlowLayout:
    """The geometry of ``sop``'s chart (see the module docstring)."""
    lanes = tuple(lane.code for lane in sop.lanes)
    col_of = {code: i for i, code in enumerate(lanes)}
    nodes = flow_nodes(sop)
    columns = {n.no: col_of[n.lane] for n in nodes}
    rows = {n.no: n.no - 1 for n in nodes}
    edges = flow_edges(sop)
    end_cols = _end_columns(edges, columns, col_of, len(lanes))
    sides = _plan_sides(edges, columns, end_cols)
    routes = tuple(_route(e, sides[i], columns, rows, end_cols.get(i))
                   for i, e in enumerate(edges))
    return FlowLayout(lanes, nodes, columns, rows, routes)


def _target_column(e: FlowEdge, i: int, columns: Mapping[int, int],
                   end_cols: Mapping[int, int]) -> int:
    return columns[e.dst] if e.dst is not None else end_cols[i]


def _end_columns(edges: tuple[FlowEdge, ...], columns: Mapping[int, int],
                 col_of: Mapping[str, int], n_lanes: int) -> dict[int, int]:
    """The lane column of each end mark: the edge's lane when it names another one, else the
    neighbouring lane on a side no other edge of the step leaves toward (right first), else
    below the step in its own lane."""
    out: dict[int, int] = {}
    for i, e in enumerate(edges):
        if e.dst is not None:
            continue
        own = columns[e.src]
        if e.lane and col_of[e.lane] != own:
            out[i] = col_of[e.lane]
            continue
        others = [columns[o.dst] if o.dst is not None else col_of.get(o.lane, own)
                  for o in edges if o.src == e.src and o is not e]
        free = [c for c, clear in ((own + 1, all(c <= own for c in others)),
                                   (own - 1, all(c >= own for c in others)))
                if clear and 0 <= c < n_lanes]
        out[i] = free[0] if free else own
    return out


def _plan_sides(edges: tuple[FlowEdge, ...], columns: Mapping[int, int],
                end_cols: Mapping[int, int]) -> dict[int, str]:
    """The side each edge leaves its symbol: toward the target's lane, straight down to the
    next step in the same lane, else the first side still free."""
    sides: dict[int, str] = {}
    by_src: dict[int, list[int]] = {}
    for i, e in enumerate(edges):
        by_src.setdefault(e.src, []).append(i)
    for src, group in by_src.items():
        own = columns[src]
        taken: set[str] = set()
        # edges leaving to the side first, straight-down edges last
        for i in sorted(group, key=lambda i: edges[i].dst == src + 1):
            e = edges[i]
            col = _target_column(e, i, columns, end_cols)
            if col == own:
                want = "left" if e.backward or e.dst is None else "bottom"
            else:
                want = "right" if col > own else "left"
            if want in taken:
                want = next(s for s in ("bottom", "left", "right") if s not in taken)
            taken.add(want)
            sides[i] = want
    return sides


def _blocked(columns: Mapping[int, int], col: int, lo: int, hi: int) -> bool:
    """Whether a step strictly between steps ``lo`` and ``hi`` sits in column ``col``."""
    return any(c == col for no, c in columns.items() if lo < no < hi)


def _route(e: FlowEdge, exit_: str, columns: Mapping[int, int], rows: Mapping[int, int],
           end_col: int | None) -> Route:
    sc, sr = columns[e.src], rows[e.src]
    start = (sc + 0.5, sr + 0.5)
    jog = sr + JOG

    def leave(x: float) -> list[tuple[float, float]]:
        """From the source to the vertical line at ``x`` (at the source's height, or under
        the source when it leaves by the bottom)."""
        if exit_ == "bottom":
            return [start, (sc + 0.5, jog), (x, jog)] if x != sc + 0.5 else [start]
        return [start, (x, sr + 0.5)]

    if e.dst is None:  # to an end mark
        assert end_col is not None
        if end_col == sc:  # below, in the same lane
            return Route(e, "bottom", "end", (start, (sc + 0.5, jog)), end_col)
        end = (end_col + 0.5, sr + 0.5)
        if exit_ == "bottom":
            return Route(e, exit_, "end", (start, (sc + 0.5, jog), (end_col + 0.5, jog),
                                           (end_col + 0.5, sr + 0.5)), end_col)
        return Route(e, exit_, "end", (start, end), end_col)

    tc, tr = columns[e.dst], rows[e.dst]
    target = (tc + 0.5, tr + 0.5)
    if e.dst > e.src:  # forward: into the target's top, or its side through a gutter
        if not _blocked(columns, tc, e.src, e.dst):
            pts = leave(tc + 0.5)
            return Route(e, exit_, "top", (*_dedupe(pts), target))
        side = _channel_side(sc, tc, exit_, "right")
        gx = tc + GUTTER if side == "left" else tc + 1 - GUTTER
        pts = [*leave(gx), (gx, tr + 0.5)]
        return Route(e, exit_, side, (*_dedupe(pts), target))
    # backward: up into the target's bottom when the way is clear, else along a gutter
    if tc != sc and exit_ != "bottom" and not _blocked(columns, tc, e.dst, e.src):
        return Route(e, exit_, "bottom", (start, (tc + 0.5, sr + 0.5), target))
    side = _channel_side(sc, tc, exit_, "left")
    gx = tc + GUTTER if side == "left" else tc + 1 - GUTTER
    pts = [*leave(gx), (gx, tr + 0.5)]
    return Route(e, exit_, side, (*_dedupe(pts), target))


def _dedupe(points: list[tuple[float, float]]) -> list[tuple[float, float]]:
    out: list[tuple[float, float]] = []
    for p in points:
        if not out or out[-1] != p:
            out.append(p)
    return out


def _channel_side(sc: int, tc: int, exit_: str, same_lane: str) -> str:
    """Which side of the target a channel line enters: the side facing the source; in the
    source's own lane the side it left by (``same_lane`` when it left by the bottom)."""
    if tc != sc:
        return "left" if tc > sc else "right"
    return exit_ if exit_ in ("left", "right") else same_lane
