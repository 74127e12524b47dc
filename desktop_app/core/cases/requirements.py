"""The SOP's document requirements (persyaratan) checklist of a case."""

from __future__ import annotations

from collections.abc import Mapping

from sqlalchemy import select
from sqlalchemy.orm import Session

from desktop_app.core.errors import ValidationError
from desktop_app.core.models import RequirementCheck
from desktop_app.core.sop import Sop


def _validate_requirements(sop: Sop, checks: Mapping[str, bool] | None) -> dict[str, bool]:
    checks = dict(checks or {})
    unknown = [c for c in checks if c not in {r.code for r in sop.requirements}]
    if unknown:
        raise ValidationError({"persyaratan": f"Persyaratan tidak dikenal: {', '.join(unknown)}"})
    return {r.code: bool(checks.get(r.code, False)) for r in sop.requirements}


def missing_requirements(sop: Sop, checks: Mapping[str, bool]) -> list[str]:
    """Labels of required items not handed in."""
    return [r.label for r in sop.requirements if r.required and not checks.get(r.code)]


def _save_checks(s: Session, case_id: int, checks: Mapping[str, bool]) -> None:
    existing = {c.requirement_code: c for c in s.scalars(
        select(RequirementCheck).where(RequirementCheck.case_id == case_id))}
    for code, present in checks.items():
        if code in existing:
            existing[code].present = present
        else:
            s.add(RequirementCheck(case_id=case_id, requirement_code=code, present=present))
