"""core/flow: the edges the engine runs, the sheet's arrows drawn from them, and the loader
refusing a branch the engine would not perform."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from desktop_app.core import flow, workflow
from desktop_app.core.auth import Actor
from desktop_app.core.documents.sop_sheet import sop_sheet_context, swimlane_svg_pages
from desktop_app.core.roles import ROLE_LABELS
from desktop_app.core.sop import Sop, SopError, load_sop_file, load_sops, parse_sop_text
from desktop_app.core.sop_versions import describe_sop_error

REPO = Path(__file__).resolve().parents[2]
SOP_DIR = REPO / "resources" / "sops"
FIXTURE_DIR = REPO / "tests" / "fixtures" / "sop_tujuh"
ALL_SOPS = (*load_sops(SOP_DIR), *load_sops(FIXTURE_DIR))
IDS = [s.code for s in ALL_SOPS]
# Everyone at once: the engine offers every action of every lane.
EVERYONE = Actor(1, "semua", "Semua Peran", frozenset(ROLE_LABELS))


def forward_goto_phi(tmp_path: Path, goto: str = "5") -> Sop:
    """PHI whose dispute (berselisih) jumps to step ``goto`` (step 4 skipped)."""
    text = (SOP_DIR / "phi.toml").read_text(encoding="utf-8")
    old = 'label = "Masih berselisih", goto = "next", lane = "mediator_jfu"'
    assert old in text
    lane = {"5": "kabid_sekretaris", "6": "kadis"}[goto]
    path = tmp_path / "phi.toml"
    path.write_text(text.replace(old, f'label = "Masih berselisih", goto = "{goto}", '
                                      f'lane = "{lane}"'), encoding="utf-8")
    return load_sop_file(path)


def engine_edges(sop: Sop) -> tuple[set[tuple], dict[int, tuple[int, ...]]]:
    """What the engine does at each step, as ``(from, to, kind, outcome, lane)``: the case
    walked through every action and outcome (``to`` None: the case closes, or waits with
    the applicant); and the earlier steps each step may be sent back to."""
    out: set[tuple] = set()
    returns: dict[int, tuple[int, ...]] = {}
    data = {f.name: "x" for f in sop.fields}
    if sop.first_step.kind == "submit":
        # registration records the applicant's submission and opens the case at the first
        # office step (cases.register_case); resubmission comes back the same way
        office = sop.step(workflow.first_office_step(sop))
        out.add((1, office.no, flow.NEXT, "", office.lane))
    for step in sop.steps:
        state = workflow.CaseState(sop.code, workflow.IN_PROGRESS, step.no, data)
        actions = {a.code: a for a in workflow.allowed_actions(sop, state, EVERYONE)}
        if workflow.RETURN_TO_STEP in actions:
            returns[step.no] = actions[workflow.RETURN_TO_STEP].target_steps
        for code, spec in actions.items():
            if code in (workflow.REJECT, workflow.WITHDRAW, workflow.RETURN_TO_STEP):
                continue
            if code == workflow.BIPARTITE:
                met = workflow.CaseState(sop.code, workflow.IN_PROGRESS, step.no, data,
                                         bipartite_meetings=workflow.BIPARTITE_MEETINGS - 1)
                agreed = workflow.plan(sop, met, spec, meeting={"sepakat": True})
                disputed = workflow.plan(sop, met, spec, meeting={"sepakat": False})
                first = workflow.plan(sop, state, spec, meeting={"sepakat": False})
                assert (first.step_no, first.step_completed) == (step.no, False)  # 1st meeting
                ts = [agreed, disputed]
            else:
                ts = [workflow.plan(sop, state, spec, reason="alasan")]
            for t in ts:
                if t.status == workflow.RETURNED:
                    out.add((step.no, "returned", t.outcome, t.lane))
                elif t.closes:
                    if step.no == len(sop.steps) and not t.outcome:
                        continue  # the last step is the end terminator itself
                    out.add((step.no, None, flow.COMPLETED, t.outcome, ""))
                else:
                    kind = flow.NEXT if t.step_no > step.no else flow.BACK
                    out.add((step.no, t.step_no, kind, t.outcome, t.lane))
    return out, returns


def flow_as_engine(sop: Sop) -> tuple[set[tuple], list[flow.FlowEdge]]:
    """core/flow's edges in :func:`engine_edges`' terms, and the declared returns apart."""
    out: set[tuple] = set()
    declared_returns = []
    for e in flow.flow_edges(sop):
        step = sop.step(e.src)
        if e.kind == flow.RETURNED:
            out.add((e.src, "returned", e.outcome, e.lane))
        elif e.kind == flow.BACK and step.kind != "bipartite":
            declared_returns.append(e)  # done with "Kembalikan ke Langkah Sebelumnya"
        elif e.dst is None:
            out.add((e.src, None, flow.COMPLETED, _engine_outcome(step, e), ""))
        else:
            out.add((e.src, e.dst, e.kind, _engine_outcome(step, e), e.lane))
    return out, declared_returns


def _engine_outcome(step, e: flow.FlowEdge) -> str:
    """The outcome the engine records: a check's and a bipartite's by name, none for an
    approval or a plain step."""
    return e.outcome if step.kind in ("check", "bipartite") else ""


@pytest.mark.parametrize("sop", ALL_SOPS, ids=IDS)
def test_flow_edges_are_the_engines_transitions(sop: Sop) -> None:
    engine, returns = engine_edges(sop)
    drawn, declared_returns = flow_as_engine(sop)
    assert drawn == engine
    for e in declared_returns:  # a drawn return is one the engine offers, and goes there
        assert e.dst in returns[e.src], e
        state = workflow.CaseState(sop.code, workflow.IN_PROGRESS, e.src, {})
        spec = workflow.find_action(sop, state, EVERYONE, workflow.RETURN_TO_STEP)
        assert workflow.plan(sop, state, spec, reason="perbaikan",
                             target_step=e.dst).step_no == e.dst
    # the returned file comes back to the check step along the edge out of the waiting step
    for e in flow.flow_edges(sop):
        if e.kind == flow.RETURNED:
            state = workflow.CaseState(sop.code, workflow.RETURNED, e.src, {})
            spec = workflow.find_action(sop, state, EVERYONE, workflow.RESUBMIT)
            back_at = workflow.plan(sop, state, spec).step_no
            assert back_at == e.src
            assert e.dst is not None and any(
                o.src == e.dst and o.dst == back_at for o in flow.flow_edges(sop))


def test_engine_follows_a_forward_goto(tmp_path):
    sop = forward_goto_phi(tmp_path)
    edge = flow.outcome_edge(sop, sop.step(3), "berselisih")
    assert (edge.src, edge.dst, edge.kind, edge.label) == (3, 5, "next", "Masih berselisih")
    engine, _ = engine_edges(sop)
    assert (3, 5, "next", "berselisih", "kabid_sekretaris") in engine
    assert not any(t[:2] == (3, 4) for t in engine)
    drawn, _ = flow_as_engine(sop)
    assert drawn == engine


def sheet_arrows(svgs: list[str]) -> set[tuple]:
    found = set()
    for svg in svgs:
        for m in re.finditer(r'<path class="flow"[^>]*? data-from="(\d+)" data-to="(\d*)" '
                             r'data-kind="(\w+)" data-label="([^"]*)"', svg):
            src, dst, kind, label = m.groups()
            found.add((int(src), int(dst) if dst else None, kind, label))
    return found


def flow_set(sop: Sop) -> set[tuple]:
    return {(e.src, e.dst, e.kind, e.label) for e in flow.flow_edges(sop)}


@pytest.mark.parametrize("sop", ALL_SOPS, ids=IDS)
def test_sheet_draws_the_flow_edges(sop: Sop) -> None:
    office = {"pemerintah": "PEMERINTAH KOTA PAGAR ALAM", "nama_dinas": "Dinas", "emblem": None}
    pages = [str(p) for p in sop_sheet_context(sop, office)["flow_pages"]]
    assert sheet_arrows(pages) == flow_set(sop)
    # on one long page too (no connectors)
    assert sheet_arrows(swimlane_svg_pages(sop, page_heights_mm=(1e9,))) == flow_set(sop)
    # one path per edge on one page: every edge drawn once, the arrow count is the edge count
    one = swimlane_svg_pages(sop, page_heights_mm=(1e9,))[0]
    assert one.count('<path class="flow"') == len(flow.flow_edges(sop))


def test_sheet_draws_a_forward_goto(tmp_path):
    sop = forward_goto_phi(tmp_path)
    arrows = sheet_arrows(swimlane_svg_pages(sop, page_heights_mm=(1e9,)))
    assert (3, 5, "next", "Masih berselisih") in arrows
    assert not any(a[:2] == (3, 4) for a in arrows)


def test_routes_are_orthogonal_and_stay_off_other_symbols():
    for sop in ALL_SOPS:
        lay = flow.flow_layout(sop)
        assert lay.edges == flow.flow_edges(sop)
        for r in lay.routes:
            pts = r.points
            assert len(pts) >= 2
            for (x1, y1), (x2, y2) in zip(pts, pts[1:], strict=False):
                assert x1 == x2 or y1 == y2, (sop.code, r)
            # no segment passes through another step's symbol centre
            others = {(lay.columns[n.no] + 0.5, lay.rows[n.no] + 0.5) for n in lay.nodes
                      if n.no not in (r.edge.src, r.edge.dst)}
            for (x1, y1), (x2, y2) in zip(pts, pts[1:], strict=False):
                for cx, cy in others:
                    inside_x = min(x1, x2) <= cx <= max(x1, x2)
                    inside_y = min(y1, y2) <= cy <= max(y1, y2)
                    assert not (inside_x and inside_y), (sop.code, r.edge, (cx, cy))


def test_blocked_forward_goto_runs_in_a_gutter(tmp_path):
    """PHI with the dispute going to step 6 (Kepala Dinas): nothing in that lane between, so
    straight in from the top. With step 5 moved into the mediator's lane, a jump from 3 to 5
    would cross step 4's symbol: it runs down the lane's gutter into 5's side instead."""
    sop = forward_goto_phi(tmp_path, "6")
    r = flow.flow_layout(sop).route(3, 6)
    assert (r.exit, r.entry) == ("right", "top")
    assert r.points == ((2.5, 2.5), (5.5, 2.5), (5.5, 5.5))

    text = (SOP_DIR / "phi.toml").read_text(encoding="utf-8")
    text = text.replace(BERSELISIH, BERSELISIH.replace('"next"', '"5"'))
    old = 'no = 5\nlane = "kabid_sekretaris"'
    assert old in text
    path = tmp_path / "phi.toml"
    path.write_text(text.replace(old, 'no = 5\nlane = "mediator_jfu"'), encoding="utf-8")
    lay = flow.flow_layout(load_sop_file(path))
    r = lay.route(3, 5)
    gutter = 3 - flow.GUTTER
    assert (r.exit, r.entry) == ("bottom", "right")
    assert r.points == ((2.5, 2.5), (2.5, 2 + flow.JOG), (gutter, 2 + flow.JOG),
                        (gutter, 4.5), (2.5, 4.5))


# ------------------------------------------------------------------ loader refusals


def broken(tmp_path: Path, code: str, old: str, new: str) -> str:
    text = (SOP_DIR / f"{code}.toml").read_text(encoding="utf-8")
    assert old in text, old
    path = tmp_path / f"{code}.toml"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(SopError) as info:
        load_sop_file(path)
    return str(info.value)


BERSELISIH = 'label = "Masih berselisih", goto = "next", lane = "mediator_jfu"'
SEPAKAT = 'label = "Sepakat (Perjanjian Bersama)", goto = "completed"'
PERBAIKAN = 'label = "Perlu perbaikan", goto = "1", lane = "jfu"'
LENGKAP = 'label = "Lengkap", goto = "next", lane = "pengadministrasi"'
TIDAK = 'label = "Tidak lengkap", goto = "returned", lane = "pemohon"'


@pytest.mark.parametrize(("code", "old", "new", "field", "words"), [
    ("phi", BERSELISIH, BERSELISIH.replace('"next"', '"3"'), "steps[2].branches[1].goto",
     "cannot lead to itself"),
    ("phi", BERSELISIH, BERSELISIH.replace('"next"', '"9"'), "steps[2].branches[1].goto",
     "step 9 does not exist"),
    ("phi", BERSELISIH, BERSELISIH.replace('"next"', '"1"'), "steps[2].branches[1].goto",
     "applicant's submission"),
    ("phi", BERSELISIH, BERSELISIH.replace('"next"', '"completed"'),
     "steps[2].branches[1].goto", "goes on after a dispute"),
    ("phi", SEPAKAT, SEPAKAT.replace('"completed"', '"next"'), "steps[2].branches[0].goto",
     "closes the case on an agreement"),
    ("phi", BERSELISIH, BERSELISIH.replace('"mediator_jfu"', '"kadis"'),
     "steps[2].branches[1].lane", "step 4 is in lane 'mediator_jfu'"),
    ("ak1", LENGKAP, LENGKAP.replace('"next"', '"5"'), "steps[1].branches[0].goto",
     "goto must be \"next\""),
    ("ak1", TIDAK, TIDAK.replace('"returned"', '"completed"'), "steps[1].branches[1].goto",
     "goto must be \"returned\""),
    ("pelatihan", PERBAIKAN, PERBAIKAN.replace('"1"', '"6"'), "steps[1].branches[1].goto",
     "not to step 6"),
    ("pelatihan", PERBAIKAN, PERBAIKAN.replace('"1"', '"returned"'),
     "steps[1].branches[1].goto", "only a check step returns"),
    ("pelatihan", PERBAIKAN, PERBAIKAN.replace('"1"', '"completed"'),
     "steps[1].branches[1].goto", "does not close the case"),
    ("pelatihan", 'outcome = "perbaikan"', 'outcome = "disetujui"',
     "steps[1].branches[1].outcome", "appears twice"),
    ("pelatihan", PERBAIKAN, PERBAIKAN.replace('"1"', '"next"').replace('"jfu"', '"kabid"'),
     "steps[1].branches[1].goto", "one way on from an approval"),
    ("ak1", 'output = "Permohonan AK/I diterima pemohon"',
     'output = "Permohonan AK/I diterima pemohon"\nbranches = [{ outcome = "x", label = "X", '
     'goto = "1" }]', "steps[5].branches", "takes no decision"),
])
def test_loader_refuses_a_branch_the_engine_would_not_perform(tmp_path, code, old, new, field,
                                                              words):
    msg = broken(tmp_path, code, old, new)
    assert msg.startswith(f"{code}.toml: field '{field}'"), msg
    assert words in msg, msg
    # what an administrator reads (a draft SOP version): Indonesian, at the field
    shown = describe_sop_error(SopError(msg))
    assert shown.startswith(f"Isian '{field}': ") and "tidak sah (" not in shown, shown


def test_the_shipped_and_fixture_sops_load():
    assert [s.code for s in load_sops(SOP_DIR)] == ["jht", "jakon", "phi", "pelatihan", "ak1",
                                                     "paspor"]
    assert [s.code for s in load_sops(FIXTURE_DIR)] == ["wlkp"]


def test_a_forward_goto_loads_and_text_round_trips(tmp_path):
    sop = forward_goto_phi(tmp_path)
    again = parse_sop_text((tmp_path / "phi.toml").read_text(encoding="utf-8"), "phi.toml")
    assert again.steps == sop.steps


def test_end_mark_sits_away_from_the_other_arrows(tmp_path):
    """PHI's agreement ends in the lane right of the bipartite step (the dispute goes down);
    with the dispute jumping right to step 5, the end mark moves left, off its line."""
    shipped = flow.flow_layout(load_sop_file(SOP_DIR / "phi.toml")).route(3, None)
    assert (shipped.end_column, shipped.exit) == (3, "right")
    jump = flow.flow_layout(forward_goto_phi(tmp_path)).route(3, None)
    assert (jump.end_column, jump.exit) == (1, "left")
