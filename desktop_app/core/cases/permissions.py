"""The one permission gate for changing a case: the services ask it, and so does the GUI
(which shows the edit and attach buttons only where the service would accept the work).

Policy (docs/access.md): data, checklist and attachments of a case are changed by the holders
of the lane of its current step, by the counter clerk's lane of the completeness check (who
may always correct what they typed in), and by the administrator; never once the case is closed
or a document of it has been signed - corrections then go through "return to step".
"""

from __future__ import annotations

from sqlalchemy import exists, select
from sqlalchemy.orm import Session

from desktop_app.core import workflow
from desktop_app.core.auth import Actor
from desktop_app.core.models import Document
from desktop_app.core.roles import ADMIN
from desktop_app.core.sop import Sop

#: What ``add_attachment`` stores; wet-signature scans are written by ``signing.wet`` itself.
ATTACHMENT_KINDS = {"scan": "Hasil pindaian", "pas_foto": "Pas foto"}

CLOSED = "Berkas yang sudah ditutup tidak dapat diubah."
SIGNED = ("Dokumen berkas ini sudah ditandatangani: datanya tidak dapat diubah lagi. Untuk "
          "koreksi, kembalikan berkas ke langkah sebelumnya.")
NOT_HOLDER = "Hanya petugas pada langkah berjalan yang dapat mengubah data berkas."


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
