"""Correcting a case's data and checklist (with the version the clerk saw)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy.orm.exc import StaleDataError

from desktop_app.core import audit
from desktop_app.core.auth import Actor, current_actor, record_refusal
from desktop_app.core.cases import permissions
from desktop_app.core.cases.acting import _conflict_from_stale, _load_for_update
from desktop_app.core.cases.requirements import _save_checks, _validate_requirements
from desktop_app.core.cases.views import CaseDetail, _detail
from desktop_app.core.db import Database, retry_on_conflict
from desktop_app.core.errors import PermissionDenied
from desktop_app.core.intake import case_title, clean_intake
from desktop_app.core.sop_versions import sop_of_case
from desktop_app.core.textcheck import search_key


def _step_fields(sop: Any, step_no: int | None) -> tuple[str, ...]:
    """The fields step ``step_no`` of ``sop`` asks for (none for an unknown step)."""
    try:
        return sop.step(step_no).requires_fields if step_no else ()
    except (KeyError, ValueError, IndexError):
        return ()


@retry_on_conflict
def update_case(db: Database, actor: Actor, case_id: int, *, expected_version: int,
                data: Mapping[str, Any] | None = None,
                requirements: Mapping[str, bool] | None = None) -> CaseDetail:
    """Correct intake data or the checklist of an open case (by whoever holds it now)."""
    now = db.now()
    try:
        with db.write() as s:
            actor = current_actor(s, actor, now)
            case = _load_for_update(s, case_id, expected_version)
            sop = sop_of_case(s, case)
            # A signed letter freezes the data it printed; the fields the current step asks
            # for (say, a training's report figures after its invitation was signed) are the
            # step's own work, not a correction of what was signed.
            own_step_fields = bool(data) and requirements is None and set(data) <= set(
                _step_fields(sop, case.current_step))
            reason = permissions.edit_refusal(
                sop, actor, status=case.status, current_lane=case.current_lane,
                signed=not own_step_fields and permissions.has_signed_document(s, case.id))
            refusal = PermissionDenied(reason) if reason else None
            if refusal is None:
                changed: list[str] = []
                if data:
                    clean = clean_intake(sop, data, today=now.date(), partial=True)
                    merged = dict(case.data or {})
                    changed = [k for k, v in clean.items() if merged.get(k) != v]
                    merged.update(clean)
                    case.data = merged
                    case.title = case_title(sop, merged)
                    case.title_key = search_key(case.title)
                    case.nik = merged.get("nik")
                if requirements is not None:
                    _save_checks(s, case.id, _validate_requirements(sop, requirements))
                    changed.append("persyaratan")
                case.updated_at = now
                case.updated_by_id = actor.user_id
                s.flush()
                audit.record(s, at=now, user_id=actor.user_id, username=actor.username,
                             action="ubah_data_berkas", entity="case", entity_id=case.id,
                             detail={"isian": changed})
                return _detail(s, case)
    except StaleDataError:
        raise _conflict_from_stale(db, case_id) from None
    record_refusal(db, actor, "update_case", "case", case_id, refusal.message)
    raise refusal
