"""Diagram coordinates (BPMNDI) for an exported SOP: lanes as columns and steps downwards, as
the office draws its swimlane, one row per flow element so nothing overlaps."""

from __future__ import annotations

from dataclasses import dataclass

LANE_WIDTH = 200
LANE_HEADER = 30  # the band holding a vertical lane's name
POOL_HEADER = 30
ROW = 130
TOP_GAP = 20
SIZES = {"task": (160, 100), "gateway": (50, 50), "event": (36, 36)}
GUTTER = 14  # where a flow back up the chart runs, inside the lane's left edge


@dataclass(frozen=True)
class Box:
    x: float
    y: float
    w: float
    h: float

    @property
    def cx(self) -> float:
        return self.x + self.w / 2

    @property
    def cy(self) -> float:
        return self.y + self.h / 2

    @property
    def bottom(self) -> float:
        return self.y + self.h


class Layout:
    """Places pool, lanes and elements; ``route`` draws a flow between two placed boxes."""

    def __init__(self, lane_codes: list[str], rows: int, x: float = 40, y: float = 40) -> None:
        self.lanes = lane_codes
        self.x, self.y = x, y
        height = POOL_HEADER + LANE_HEADER + TOP_GAP + rows * ROW
        self.pool = Box(x, y, LANE_WIDTH * len(lane_codes), height)

    def lane(self, code: str) -> Box:
        i = self.lanes.index(code)
        return Box(self.x + i * LANE_WIDTH, self.y + POOL_HEADER, LANE_WIDTH,
                   self.pool.h - POOL_HEADER)

    def place(self, lane: str, row: int, shape: str) -> Box:
        w, h = SIZES[shape]
        column = self.lane(lane)
        top = self.y + POOL_HEADER + LANE_HEADER + TOP_GAP + row * ROW + (100 - h) / 2
        return Box(column.x + (LANE_WIDTH - w) / 2, top, w, h)

    def route(self, a: Box, b: Box, back_lane: str = "") -> list[tuple[float, float]]:
        """Waypoints from ``a`` to ``b``: down and across for forward flows; a flow to a box
        above runs out sideways and up the target lane's left edge."""
        if abs(a.cy - b.cy) < 1:  # side by side in one row
            return [(a.x + a.w, a.cy), (b.x, b.cy)] if b.x > a.x else [(a.x, a.cy),
                                                                         (b.x + b.w, b.cy)]
        if b.y > a.y:
            if abs(a.cx - b.cx) < 1:
                return [(a.cx, a.bottom), (b.cx, b.y)]
            mid = a.bottom + (b.y - a.bottom) / 2 if b.y - a.bottom < ROW else a.bottom + 12
            return [(a.cx, a.bottom), (a.cx, mid), (b.cx, mid), (b.cx, b.y)]
        gutter = self.lane(back_lane).x + GUTTER
        start = (a.x, a.cy) if a.x > gutter else (a.x + a.w, a.cy)
        return [start, (gutter, a.cy), (gutter, b.cy), (b.x, b.cy)]
