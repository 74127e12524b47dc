"""Returning a case from the signing queue to an earlier step."""

from __future__ import annotations

from desktop_app.core import cases, workflow
from desktop_app.core.auth import Actor
from desktop_app.core.db import Database
from desktop_app.core.errors import ValidationError


def return_targets(db: Database, actor: Actor, case_id: int) -> list[tuple[int, str]]:
    """(step number, label) the actor may send the case back to now (empty: not allowed)."""
    detail = cases.get_case(db, case_id)
    sop = detail.sop
    for spec in workflow.allowed_actions(sop, detail.state(), actor):
        if spec.code == workflow.RETURN_TO_STEP:
            return [(no, f"Langkah {no} — {sop.lane(sop.step(no).lane).name}: "
                         f"{sop.step(no).activity}") for no in spec.target_steps]
    return []


def return_case(db: Database, actor: Actor, case_id: int, target_step: int,
                reason: str) -> cases.CaseDetail:
    """Send the case back to an earlier step; the reason (required) reaches the lane that must
    act there (``Case.attention_note``, shown in its task list)."""
    if not (reason or "").strip():
        raise ValidationError({"alasan": "Alasan pengembalian wajib diisi."})
    return cases.act(db, actor, case_id, workflow.RETURN_TO_STEP, expected_version=None,
                     reason=reason.strip(), target_step=target_step)
