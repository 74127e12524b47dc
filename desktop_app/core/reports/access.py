"""Who may see which SOP's registers, recaps and reports.

A role sees the books of the SOPs in which it holds a lane; the administrator and the heads
of the office (Kepala Bidang, Sekretaris, Kepala Dinas) see every SOP. A deputy (Plh./Plt.)
sees what the head they stand in for sees. The check is one small function,
:func:`may_see_sop`, so a general permission gate can take its place.
"""

from __future__ import annotations

from collections.abc import Iterable

from desktop_app.core.auth import Actor, record_refusal
from desktop_app.core.db import Database
from desktop_app.core.errors import NotFound, PermissionDenied
from desktop_app.core.roles import ADMIN, KABID, KADIS, SEKRETARIS
from desktop_app.core.sop import Sop, load_sops, sop_by_code

SEES_ALL: frozenset[str] = frozenset({ADMIN, KABID, KADIS, SEKRETARIS})


def may_see_sop(actor: Actor, sop: Sop) -> bool:
    """Whether ``actor`` may read the registers and reports of ``sop``."""
    roles = actor.effective_roles
    if roles & SEES_ALL:
        return True
    return any(roles & set(lane.roles) for lane in sop.lanes)


def visible_sops(actor: Actor, sops: Iterable[Sop] | None = None) -> tuple[Sop, ...]:
    """The SOPs whose books ``actor`` may read, in tab order."""
    return tuple(s for s in (load_sops() if sops is None else sops) if may_see_sop(actor, s))


def sees_all(actor: Actor) -> bool:
    return bool(actor.effective_roles & SEES_ALL)


def require_sop(db: Database, actor: Actor, sop_code: str, action: str) -> Sop:
    """The SOP ``sop_code`` if ``actor`` may read its books; else the refusal is audited and
    :class:`PermissionDenied` raised."""
    try:
        sop = sop_by_code(sop_code)
    except KeyError:
        raise NotFound(f"SOP '{sop_code}' tidak dikenal.") from None
    if may_see_sop(actor, sop):
        return sop
    message = (f"Peran Anda tidak memegang langkah dalam SOP {sop.tab_label}; laporan "
               "layanan ini hanya untuk pelaksananya, Kepala Bidang, Sekretaris, Kepala Dinas "
               "dan administrator.")
    record_refusal(db, actor, action, "sop", sop_code, message)
    raise PermissionDenied(message)


def require_any(db: Database, actor: Actor, action: str) -> tuple[Sop, ...]:
    """The SOPs ``actor`` may read; refused (and audited) when there is none."""
    sops = visible_sops(actor)
    if not sops:
        message = "Peran Anda tidak memegang langkah dalam SOP mana pun."
        record_refusal(db, actor, action, "laporan", "-", message)
        raise PermissionDenied(message)
    return sops
