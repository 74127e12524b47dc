"""The calibration page: a millimetre ruler and crosshairs to measure a printer's card offset.

The page is the size of the card stock and prints without any offset. Crosshair A sits
exactly :data:`CROSS_MM` from the left and top edges; the clerk measures where it landed with
a ruler, and :func:`offset_from_measurement` turns the two distances into the offset that
moves the card back onto its pre-printed boxes. Crosshair B (as far from the right and bottom
edges) and the rulers check that the printer prints at 100 %: the ruler's 10 mm marks must
measure 10 mm apart.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from desktop_app.core.printing.paper import mm, size_label

__all__ = ["CROSS_MM", "Tick", "offset_from_measurement", "render_calibration_pdf"]

CROSS_MM = 20.0
TEMPLATE = "calibration/kalibrasi.html.j2"
_RULER_START_MM = 10.0


@dataclass(frozen=True)
class Tick:
    """A ruler mark ``at`` mm from the edge, ``length`` mm long, labelled every 10 mm."""

    at: float
    length: float
    label: str = ""


def offset_from_measurement(left_mm: float, top_mm: float) -> tuple[float, float]:
    """The offset (right, down; mm) that puts crosshair A back at :data:`CROSS_MM` from the
    edges, given where it was measured: printed 21.5 mm from the left → −1.5 mm."""
    return (round(CROSS_MM - left_mm, 1), round(CROSS_MM - top_mm, 1))


def _ticks(start: float, end: float) -> list[Tick]:
    ticks = []
    for at in range(int(start), int(end) + 1):
        if at % 10 == 0:
            ticks.append(Tick(at, 3.2, str(at)))
        elif at % 5 == 0:
            ticks.append(Tick(at, 2.2))
        else:
            ticks.append(Tick(at, 1.3))
    return ticks


def render_calibration_pdf(width_mm: float, height_mm: float, printer: str,
                           today: date) -> bytes:
    """The calibration page for card stock of ``width_mm`` × ``height_mm`` (one page, PDF)."""
    from desktop_app.core.documents.renderer import html_to_pdf, render_html

    across_end = (width_mm - _RULER_START_MM) // 10 * 10
    down_end = (height_mm - _RULER_START_MM) // 10 * 10
    context = {
        "page": {"width_mm": width_mm, "height_mm": height_mm,
                 "size": size_label(width_mm, height_mm)},
        "printer": printer,
        "today": today,
        "cross": {"a": (CROSS_MM, CROSS_MM),
                  "b": (width_mm - CROSS_MM, height_mm - CROSS_MM),
                  "mm": mm(CROSS_MM)},
        "ruler": {
            "across_y": 36.0,
            "across": _ticks(_RULER_START_MM, across_end),
            "across_length": mm(across_end - _RULER_START_MM),
            "down_x": 8.0,
            "down": _ticks(max(_RULER_START_MM, 40.0), down_end),
        },
    }
    return html_to_pdf(render_html(TEMPLATE, context))
