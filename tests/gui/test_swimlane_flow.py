"""The swimlane on screen draws core/flow's edges: the same arrows, labels and kinds as the
engine runs and the printed SOP sheet shows, a forward goto included."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QRectF

from desktop_app.core import flow
from desktop_app.core.documents.sop_sheet import swimlane_svg_pages
from desktop_app.core.sop import Sop, load_sop_file, load_sops
from desktop_app.gui.swimlane import SwimlaneWidget

REPO = Path(__file__).resolve().parents[2]
SOP_DIR = REPO / "resources" / "sops"
ALL_SOPS = (*load_sops(SOP_DIR), *load_sops(REPO / "tests" / "fixtures" / "sop_tujuh"))

pytestmark = pytest.mark.usefixtures("free_widgets")


def forward_goto_phi(tmp_path: Path) -> Sop:
    """PHI whose dispute (berselisih) jumps to step 5, skipping step 4."""
    text = (SOP_DIR / "phi.toml").read_text(encoding="utf-8")
    old = 'label = "Masih berselisih", goto = "next", lane = "mediator_jfu"'
    assert old in text
    path = tmp_path / "phi.toml"
    path.write_text(text.replace(old, 'label = "Masih berselisih", goto = "5", '
                                      'lane = "kabid_sekretaris"'), encoding="utf-8")
    return load_sop_file(path)


def drawn(w: SwimlaneWidget) -> set[tuple]:
    return {(a.from_step, a.to_step, a.kind, a.label) for a in w.arrows()}


def sheet(sop: Sop) -> set[tuple]:
    import re

    svg = swimlane_svg_pages(sop, page_heights_mm=(1e9,))[0]
    return {(int(a), int(b) if b else None, k, lab) for a, b, k, lab in re.findall(
        r'data-from="(\d+)" data-to="(\d*)" data-kind="(\w+)" data-label="([^"]*)"', svg)}


def _on_edge(rect: QRectF, x: float, y: float) -> bool:
    near = 1.5
    inside_x = rect.left() - near <= x <= rect.right() + near
    inside_y = rect.top() - near <= y <= rect.bottom() + near
    on_side = min(abs(x - rect.left()), abs(x - rect.right())) < near
    on_tb = min(abs(y - rect.top()), abs(y - rect.bottom())) < near
    return inside_x and inside_y and (on_side or on_tb)


@pytest.mark.parametrize("sop", ALL_SOPS, ids=[s.code for s in ALL_SOPS])
def test_swimlane_draws_the_flow_edges(qtbot, sop):
    w = SwimlaneWidget(sop)
    qtbot.addWidget(w)
    w.resize(1280, 800)
    expected = {(e.src, e.dst, e.kind, e.label) for e in flow.flow_edges(sop)}
    assert drawn(w) == expected
    assert drawn(w) == sheet(sop)  # the printed sheet: the same arrows and labels
    assert len(w.arrows()) == len(expected)  # each once
    shapes = {s.step_no: s for s in w.step_shapes()}
    for a in w.arrows():
        pts = a.points
        for p, q in zip(pts, pts[1:], strict=False):  # orthogonal
            assert abs(p.x() - q.x()) < 0.5 or abs(p.y() - q.y()) < 0.5, a
        start = pts[0]
        src = shapes[a.from_step].rect
        assert _on_edge(src, start.x(), start.y()) or (
            src.left() <= start.x() <= src.right() and start.y() >= src.bottom()), a
        if a.to_step is not None:
            end = pts[-1]
            dst = shapes[a.to_step].rect
            assert _on_edge(dst, end.x(), end.y()) or (
                dst.left() <= end.x() <= dst.right() and end.y() >= dst.bottom()), a


def test_swimlane_draws_a_forward_goto(qtbot, tmp_path):
    """The dispute jumping from step 3 to step 5: drawn 3 → 5 with its label, and no arrow to
    the skipped step 4 (the swimlane used to draw every step on to the next, and only
    backward gotos)."""
    sop = forward_goto_phi(tmp_path)
    w = SwimlaneWidget(sop)
    qtbot.addWidget(w)
    arrows = drawn(w)
    assert (3, 5, "next", "Masih berselisih") in arrows
    assert not any(a[:2] == (3, 4) for a in arrows)
    assert arrows == sheet(sop)
    jump = next(a for a in w.arrows() if (a.from_step, a.to_step) == (3, 5))
    assert w.lane_rect("kabid_sekretaris").contains(jump.points[-1])
