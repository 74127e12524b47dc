"""The swimlane widget: one symbol per step in its lane's column, decisions as diamonds, and the
progress of a case (done / current / to come)."""

from __future__ import annotations

import random

import pytest

from desktop_app.core import cases, workflow
from desktop_app.core.demo.cases import advance
from desktop_app.core.demo.people import demo_intake
from desktop_app.core.sop import load_sops
from desktop_app.gui.swimlane import (
    MARK_CURRENT,
    MARK_DONE,
    MARK_LATE,
    MARK_NONE,
    MARK_SKIPPED,
    MARK_TODO,
    SwimlaneWidget,
    short_duration,
    short_name,
)

SOPS = {s.code: s for s in load_sops()}

# Delete each test's windows for real (see the fixture in conftest.py).
pytestmark = pytest.mark.usefixtures("free_widgets")


@pytest.mark.parametrize("code", sorted(SOPS))
def test_one_symbol_per_step_in_its_lane(qtbot, code):
    sop = SOPS[code]
    w = SwimlaneWidget(sop)
    qtbot.addWidget(w)
    w.resize(1280, 700)
    shapes = w.step_shapes()
    assert [s.step_no for s in shapes] == [st.no for st in sop.steps]
    assert w.lane_order() == [lane.code for lane in sop.lanes]
    lefts = [w.lane_rect(c).left() for c in w.lane_order()]
    assert lefts == sorted(lefts)  # columns left to right in the SOP's order
    for shape, step in zip(shapes, sop.steps, strict=True):
        assert shape.lane_code == step.lane
        lane = w.lane_rect(step.lane)
        assert lane.left() <= shape.rect.left() and shape.rect.right() <= lane.right()
        if step.no in (1, len(sop.steps)):
            assert shape.shape_kind == "terminator"
        elif step.kind in ("check", "approve", "bipartite"):
            assert shape.shape_kind == "decision"
        else:
            assert shape.shape_kind == "process"
    # rows go downwards without overlapping
    tops = [s.rect.top() for s in shapes]
    assert tops == sorted(tops)
    for a, b in zip(shapes, shapes[1:], strict=False):
        assert a.rect.bottom() < b.rect.top()
    assert all(m == MARK_NONE for m in w.step_marks().values())
    assert w.sizeHint().width() > 600 and w.sizeHint().height() > 200


def test_decision_arrows_and_labels(qtbot):
    w = SwimlaneWidget(SOPS["ak1"])
    qtbot.addWidget(w)
    arrows = w.arrows()
    nexts = [(a.from_step, a.to_step) for a in arrows if a.kind == "next"]
    assert nexts == [(1, 2), (2, 3), (3, 4), (4, 5), (5, 6)]
    back = [a for a in arrows if a.kind == "returned"]
    assert len(back) == 1 and back[0].from_step == 2 and back[0].to_step == 1
    assert back[0].label == "Tidak lengkap"
    assert next(a for a in arrows if a.from_step == 2 and a.kind == "next").label == "Lengkap"
    # the return arrow ends in the Pemohon column
    assert w.lane_rect("pemohon").contains(back[0].points[-1])

    phi = SwimlaneWidget(SOPS["phi"])
    qtbot.addWidget(phi)
    p_arrows = phi.arrows()
    end = [a for a in p_arrows if a.kind == "completed"]
    assert len(end) == 1 and end[0].from_step == 3 and end[0].label.startswith("Sepakat")
    onward = next(a for a in p_arrows if a.from_step == 3 and a.kind == "next")
    assert onward.to_step == 4 and onward.label == "Masih berselisih"


@pytest.mark.parametrize("steps", [0, 1, 2, 3])
def test_marks_follow_a_case(qtbot, sqlite_db, clock, make_ctx, steps):
    sop = SOPS["ak1"]
    actors = {n: make_ctx(sqlite_db, n).actor for n in ("petugas", "admintu", "kasi", "kabid")}
    rng = random.Random(5)
    case = cases.register_case(sqlite_db, actors["petugas"], "ak1",
                               demo_intake("ak1", rng, clock.now.date()),
                               {r.code: True for r in sop.requirements})
    clock.advance(minutes=3)
    case = advance(sqlite_db, actors, case, steps, rng)
    detail = cases.get_case(sqlite_db, case.id)
    w = SwimlaneWidget(sop)
    qtbot.addWidget(w)
    w.set_case(detail)
    marks = w.step_marks()
    current = detail.current_step
    assert current == 2 + steps
    for no, mark in marks.items():
        if no < current:
            assert mark in (MARK_DONE, MARK_LATE, "very_late")
            assert w.step_caption(no)  # who, when, how long
        elif no == current:
            assert mark == MARK_CURRENT
        else:
            assert mark == MARK_TODO
    if steps:
        caption = w.step_caption(2)
        assert caption.startswith("Rina M. · 30 Nov 08:03")
        assert "3 mnt / 5 mnt" in caption
        assert "Rina Marlina" in w.step_tooltip(2)
    w.set_highlight_step(current)
    w.set_case(None)
    assert set(w.step_marks().values()) == {MARK_NONE}


def test_returned_case_highlights_the_arrow_back(qtbot, sqlite_db, clock, make_ctx):
    sop = SOPS["ak1"]
    clerk = make_ctx(sqlite_db, "petugas").actor
    case = cases.register_case(sqlite_db, clerk, "ak1",
                               demo_intake("ak1", random.Random(1), clock.now.date()), {})
    case = cases.act(sqlite_db, clerk, case.id, workflow.INCOMPLETE,
                     expected_version=case.version, reason="KTP belum ada")
    w = SwimlaneWidget(sop)
    qtbot.addWidget(w)
    w.set_case(cases.get_case(sqlite_db, case.id))
    back = next(a for a in w.arrows() if a.kind == "returned")
    assert back.highlighted
    assert w.step_marks()[1] == MARK_CURRENT  # waiting with the applicant
    assert w.step_marks()[2] == MARK_DONE


def test_late_step_is_marked_and_agreement_skips_the_rest(qtbot, sqlite_db, clock, make_ctx):
    sop = SOPS["phi"]
    clerk = make_ctx(sqlite_db, "petugas").actor
    jfu = make_ctx(sqlite_db, "jfu").actor
    case = cases.register_case(sqlite_db, clerk, "phi",
                               demo_intake("phi", random.Random(2), clock.now.date()),
                               {r.code: True for r in sop.requirements})
    clock.advance(minutes=40)  # standard 5 minutes
    case = cases.act(sqlite_db, clerk, case.id, workflow.COMPLETE_OK,
                     expected_version=case.version)
    case = cases.act(sqlite_db, jfu, case.id, workflow.BIPARTITE,
                     expected_version=case.version,
                     meeting={"tempat": "Aula", "pendapat_pekerja": "a",
                              "pendapat_pengusaha": "b", "hasil": "sepakat", "sepakat": True,
                              "isi_kesepakatan": ["Upah lembur dibayar"]})
    w = SwimlaneWidget(sop)
    qtbot.addWidget(w)
    w.set_case(cases.get_case(sqlite_db, case.id))
    marks = w.step_marks()
    assert marks[2] == "very_late"
    assert marks[3] == MARK_DONE
    assert all(marks[n] == MARK_SKIPPED for n in (4, 5, 6, 7))
    assert next(a for a in w.arrows() if a.kind == "completed").highlighted


def test_helpers():
    assert short_name("Rina Marlina") == "Rina M."
    assert short_name("Siti Aminah, S.Sos") == "Siti A."
    assert short_duration(4) == "4 mnt"
    assert short_duration(65) == "1 jam 5 mnt"
    assert short_duration(2 * 516 + 130) == "2 hr 2 jam"


def test_paints_offscreen(qtbot, sqlite_db, make_ctx):
    w = SwimlaneWidget(SOPS["pelatihan"])
    qtbot.addWidget(w)
    w.resize(900, 500)
    w.show()
    img = w.grab().toImage()
    assert img.width() == 900 and not img.isNull()
