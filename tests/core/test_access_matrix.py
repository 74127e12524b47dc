"""Issue 11: the role x action x state matrix, generated from the SOP files. For every SOP and
every step of its happy path, every account tries every action the step offers to anyone;
whoever does not hold the step's lane is refused through the service, the refusal is audited,
and nothing of the case changes. Closed cases refuse everything to everyone."""

from __future__ import annotations

import random

import pytest
from sqlalchemy import func, select

from desktop_app.core import cases, workflow
from desktop_app.core.demo.cases import advance
from desktop_app.core.demo.people import demo_intake
from desktop_app.core.errors import PermissionDenied, ValidationError
from desktop_app.core.models import AuditEvent, StepEvent
from desktop_app.core.sop import sops

FIGURES: dict[str, int] = {}


def _counts(db, case_id):
    with db.read() as s:
        return (s.scalar(select(func.count()).select_from(StepEvent)
                         .where(StepEvent.case_id == case_id)),
                s.scalar(select(func.count()).select_from(AuditEvent)
                         .where(AuditEvent.action == "izin_ditolak")))


@pytest.mark.slow
@pytest.mark.parametrize("code", [s.code for s in sops()])
def test_every_forbidden_pair_is_refused_and_audited(db, actors, code):
    sop = next(s for s in sops() if s.code == code)
    rng = random.Random(2)
    clerk = actors["petugas"] if sop.first_step.kind == "submit" else actors["jfu"]
    case = cases.register_case(db, clerk, code, demo_intake(code, rng, db.now().date()),
                               {r.code: True for r in sop.requirements})
    refused = allowed = 0
    for _ in range(len(sop.steps) + 1):
        if not case.is_open:
            break
        state = workflow.CaseState(sop.code, case.status, case.current_step, case.data, 0)
        per_actor = {name: {a.code for a in workflow.allowed_actions(sop, state, a_)}
                     for name, a_ in actors.items()}
        offered = set().union(*per_actor.values())
        for name, actor in actors.items():
            for action in sorted(offered - per_actor[name]):
                events, refusals = _counts(db, case.id)
                with pytest.raises(PermissionDenied):
                    cases.act(db, actor, case.id, action, expected_version=case.version,
                              reason="uji", note="uji")
                assert _counts(db, case.id) == (events, refusals + 1), (name, action)
                assert cases.get_case(db, case.id).version == case.version
                refused += 1
            allowed += len(per_actor[name])
        case = advance(db, actors, case, 1, rng)
    # Closed: nobody may act or correct it.
    assert not case.is_open
    closed = case
    for actor in actors.values():
        state = workflow.CaseState(sop.code, closed.status, closed.current_step, closed.data, 0)
        assert workflow.allowed_actions(sop, state, actor) == []
        with pytest.raises((PermissionDenied, ValidationError)):
            cases.update_case(db, actor, case.id, expected_version=closed.version,
                              data={})
        refused += 1
    FIGURES[f"{code}:{db.engine.dialect.name}"] = refused
    print(f"MATRIX {code} {db.engine.dialect.name}: {refused} refused, {allowed} allowed pairs")
    assert refused > 0
