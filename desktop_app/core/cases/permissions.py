"""The one permission gate for changing a case: the services ask it, and so does the GUI
(which shows the edit and attach buttons only where the service would accept the work).

Policy (docs/access.md): data, checklist and attachments of a case are changed by the holders
of the lane of its current step, by the counter clerk's lane of the completeness check (who
may always correct what they typed in), and by the administrator; never once the case is closed
or a document of it has been signed - corrections then go through "return to step".

Reading (docs/access.md, "Who may see a case"; UU 27/2022): an account sees the cases of the
SOPs in which one of its roles, or a delegation in force, holds a lane; the administrator and
the heads (Kepala Bidang, Sekretaris, Kepala Dinas) see all. It is the registers' rule
(:func:`reports.access.may_see_sop`), used here as it is - one rule for books and cases.
"""

from __future__ import annotations

from sqlalchemy import exists, select
from sqlalchemy.orm import Session

from desktop_app.core import workflow
from desktop_app.core.auth import Actor, current_actor, record_refusal
from desktop_app.core.db import Database
from desktop_app.core.errors import PermissionDenied
from desktop_app.core.models import Document
from desktop_app.core.reports.access import may_see_sop, visible_sops
from desktop_app.core.roles import ADMIN
from desktop_app.core.sop import Sop

#: What ``add_attachment`` stores; wet-signature scans are written by ``signing.wet`` itself.
ATTACHMENT_KINDS = {"scan": "Hasil pindaian", "pas_foto": "Pas foto"}

CLOSED = "Berkas yang sudah ditutup tidak dapat diubah."
SIGNED = ("Dokumen berkas ini sudah ditandatangani: datanya tidak dapat diubah lagi. Untuk "
          "koreksi, kembalikan berkas ke langkah sebelumnya.")
NOT_HOLDER = "Hanya petugas pada langkah berjalan yang dapat mengubah data berkas."


NOT_READER = ("Berkas ini berasal dari layanan {service}; peran Anda tidak memegang langkah "
              "dalam SOP tersebut, sehingga berkasnya tidak dapat dibuka.")


def visible_sop_codes(actor: Actor) -> tuple[str, ...]:
    """Codes of the SOPs whose cases ``actor`` may read (tab order)."""
    return tuple(s.code for s in visible_sops(actor))


def read_refusal(sop: Sop, actor: Actor) -> str | None:
    """Why ``actor`` may not read cases of ``sop``, or None when they may."""
    return None if may_see_sop(actor, sop) else NOT_READER.format(service=sop.tab_label)


def reader_now(db: Database, s: Session, actor: Actor) -> Actor:
    """The reading account as the database says it is now (``SessionEnded`` otherwise)."""
    return current_actor(s, actor, db.now())


def refuse_read(db: Database, actor: Actor, action: str, entity: str, entity_id: object,
                message: str) -> PermissionDenied:
    """Audit a refused read (its own transaction) and return the error to raise."""
    record_refusal(db, actor, action, entity, entity_id, message)
    return PermissionDenied(message)


def record_read(db: Database, actor: Actor, action: str, case_id: int,
                detail: dict[str, object] | None = None) -> None:
    """Record that ``actor`` opened personal data of a case (UU 27/2022), own transaction."""
    from desktop_app.core import audit

    with db.write() as s:
        audit.record(s, at=db.now(), user_id=actor.user_id, username=actor.username,
                     action=action, entity="case", entity_id=case_id, detail=detail or {})


def editing_roles(sop: Sop, current_lane: str) -> frozenset[str]:
    roles = set(sop.roles_of_lane(current_lane))
    check = workflow.check_step(sop)
    if check is not None:  # the counter may always correct what it typed in
        roles |= set(sop.roles_of_lane(check.lane))
    return frozenset(roles | {ADMIN})


def edit_refusal(sop: Sop, actor: Actor, *, status: str, current_lane: str,
                 signed: bool = False) -> str | None:
    """Why ``actor`` may not change this case now, or None when they may."""
    if status not in workflow.OPEN_STATUSES:
        return CLOSED
    if signed:
        return SIGNED
    if not actor.effective_roles & editing_roles(sop, current_lane):
        return NOT_HOLDER
    return None


def may_edit(sop: Sop, actor: Actor | None, *, status: str, current_lane: str,
             signed: bool = False) -> bool:
    """Whether ``actor`` may correct data, checklist or attachments of the case now."""
    return actor is not None and edit_refusal(sop, actor, status=status,
                                              current_lane=current_lane, signed=signed) is None


def has_signed_document(s: Session, case_id: int) -> bool:
    from desktop_app.core.documents.service import SIGNED as DOC_SIGNED

    return bool(s.scalar(select(exists().where(Document.case_id == case_id,
                                               Document.status == DOC_SIGNED))))
