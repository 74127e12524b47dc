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
            reason = permissions.edit_refusal(
                sop, actor, status=case.status, current_lane=case.current_lane)
            refusal = PermissionDenied(reason) if reason else None
            if refusal is None:
                merged = dict(case.data or {})
                clean = clean_intake(sop, data, today=now.date(), partial=True) if data else {}
                changed = [k for k, v in clean.items() if merged.get(k) != v]
                # Once a letter of the case is signed, what it printed is corrected through
                # "return to step"; the current step's own fields are its work, not a
                # correction (the training's report after its signed invitation).
                own_fields = set(sop.step(case.current_step).requires_fields)
                corrects = bool(set(changed) - own_fields) or requirements is not None
                if corrects and permissions.has_signed_document(s, case.id):
                    refusal = PermissionDenied(permissions.SIGNED)
            if refusal is None:
                if clean:
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
