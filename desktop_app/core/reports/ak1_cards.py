"""An issued AK/I card after its case closed: validity, six-monthly reports, placement, removal.

A card is an AK/I case that ended *selesai* (the card was handed over). Permenaker 39/2016:
it is valid two years from registration (the date printed on the card) and the holder
reports every six months while still looking for work; when hired, the card goes back to
the office. The office records what happens afterwards as :class:`models.Ak1CardEvent`:

* ``lapor`` — the holder reported (the next report is due six months after it);
* ``ditempatkan`` — the holder was placed in work (the card ends);
* ``dihapus`` — the registration was removed, with a reason from ``resources/reports/ipk.toml``.

A card *ends* on the first of: its placement, its removal, the day after its validity. The
IPK recap (:mod:`ipk`) counts flows from these same dates, and the passport intake and the
counter read :func:`card_status`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache
from typing import Any

from sqlalchemy import select

from desktop_app.core import audit, workflow
from desktop_app.core.auth import Actor, record_refusal
from desktop_app.core.db import Database
from desktop_app.core.documents.card import add_months, card_valid_until
from desktop_app.core.errors import NotFound, PermissionDenied, ValidationError
from desktop_app.core.formatting import tanggal
from desktop_app.core.models import Ak1CardEvent, Case, Document
from desktop_app.core.nik import normalize_nik
from desktop_app.core.reports import access
from desktop_app.core.roles import ADMIN
from desktop_app.core.sop import sop_by_code

AK1 = "ak1"
CARD_DOC = "kartu_ak1"
REPORT = "lapor"
PLACED = "ditempatkan"
REMOVED = "dihapus"
KINDS = {REPORT: "Lapor 6 bulanan", PLACED: "Ditempatkan (diterima bekerja)",
         REMOVED: "Dihapus dari daftar pencari kerja"}
REPORT_MONTHS = 6

VALID, EXPIRED = "berlaku", "kedaluwarsa"
STATE_LABELS = {VALID: "Berlaku", EXPIRED: "Kedaluwarsa", PLACED: "Sudah ditempatkan",
                REMOVED: "Dihapus"}


@dataclass(frozen=True)
class CardEventView:
    kind: str
    on_date: date
    employer: str | None
    reason: str | None
    note: str


@dataclass(frozen=True)
class CardStatus:
    """A card's state on a day: what the counter and the passport intake show."""

    case_id: int
    register_number: str
    card_number: str | None
    nik: str
    name: str
    registered: date
    valid_until: date
    state: str  # VALID, EXPIRED, PLACED or REMOVED
    next_report: date | None
    report_overdue: bool
    events: tuple[CardEventView, ...]

    @property
    def is_valid(self) -> bool:
        return self.state == VALID

    @property
    def summary(self) -> str:
        """One line in Indonesian: "Kartu AK/I 1672-2026-00012 berlaku s.d. 30 November 2028"."""
        number = self.card_number or self.register_number
        if self.state == VALID:
            text = f"Kartu AK/I {number} berlaku s.d. {tanggal(self.valid_until)}"
            if self.report_overdue and self.next_report:
                text += f"; terlambat lapor sejak {tanggal(self.next_report)}"
            elif self.next_report:
                text += f"; lapor berikutnya {tanggal(self.next_report)}"
            return text
        if self.state == EXPIRED:
            return f"Kartu AK/I {number} sudah kedaluwarsa sejak {tanggal(self.valid_until)}"
        last = next((e for e in reversed(self.events) if e.kind == self.state), None)
        when = f" pada {tanggal(last.on_date)}" if last else ""
        if self.state == PLACED:
            return f"Pemegang kartu AK/I {number} sudah ditempatkan{when}"
        return f"Kartu AK/I {number} sudah dihapus dari daftar{when}"


@cache
def _expiry(registered: date) -> date:
    return card_valid_until(registered) + timedelta(days=1)


def card_end(registered: date, events: list[tuple[str, date]]) -> tuple[date, str]:
    """The first day the card no longer counts, and why (PLACED, REMOVED or EXPIRED)."""
    end, why = _expiry(registered), EXPIRED
    if not events:
        return end, why
    # A placement and a removal on one day (the form refuses the second): the placement,
    # as the IPK recap's SQL counts it.
    for kind, on in sorted(events, key=lambda e: (e[1], e[0] != PLACED)):
        if kind in (PLACED, REMOVED) and on < end:
            end, why = on, kind
            break
    return end, why


@cache
def _six_months_after(day: date) -> date:
    return add_months(day, REPORT_MONTHS)


def next_report_due(registered: date, reports: list[date]) -> date:
    """Six months after the last report (or after registration when none)."""
    return _six_months_after(max([registered, *reports]))


def _status(case: Any, number: str | None, events: list[CardEventView], today: date
            ) -> CardStatus:
    registered = case.registered_at.date()
    past = [(e.kind, e.on_date) for e in events if e.on_date <= today]
    end, why = card_end(registered, past)
    state = VALID if today < end else why
    due = next_report_due(registered, [d for k, d in past if k == REPORT])
    return CardStatus(
        case_id=case.id, register_number=case.register_number, card_number=number,
        nik=case.nik or "", name=case.title, registered=registered,
        valid_until=card_valid_until(registered), state=state,
        next_report=due if state == VALID else None,
        report_overdue=state == VALID and today > due, events=tuple(events))


def _may_read(actor: Actor) -> bool:
    return access.may_see_sop(actor, sop_by_code(AK1)) or access.may_see_sop(
        actor, sop_by_code("paspor"))


def card_status(db: Database, actor: Actor, nik: str, today: date | None = None
                ) -> CardStatus | None:
    """The newest AK/I card of ``nik`` and its state today (None: no card issued here)."""
    if not _may_read(actor):
        message = "Peran Anda tidak dapat melihat kartu AK/I."
        record_refusal(db, actor, "status_kartu_ak1", "nik", nik[:16], message)
        raise PermissionDenied(message)
    digits = normalize_nik(nik or "")
    if len(digits) != 16 or not digits.isdigit():
        raise ValidationError({"nik": "NIK harus 16 digit angka."})
    today = today or db.now().date()
    with db.read() as s:
        case = s.execute(select(Case.id, Case.register_number, Case.nik, Case.title,
                                Case.registered_at)
                         .where(Case.sop_code == AK1, Case.nik == digits,
                                Case.status == workflow.COMPLETED)
                         .order_by(Case.registered_at.desc(), Case.id.desc()).limit(1)).first()
        if case is None:
            return None
        number = s.scalar(select(Document.number).where(
            Document.case_id == case.id, Document.doc_type == CARD_DOC,
            Document.number.is_not(None), Document.status != "dibatalkan")
            .order_by(Document.version.desc()).limit(1))
        events = [CardEventView(*r) for r in s.execute(
            select(Ak1CardEvent.kind, Ak1CardEvent.on_date, Ak1CardEvent.employer,
                   Ak1CardEvent.reason, Ak1CardEvent.note)
            .where(Ak1CardEvent.case_id == case.id)
            .order_by(Ak1CardEvent.on_date, Ak1CardEvent.id))]
    return _status(case, number, events, today)


def record_card_event(db: Database, actor: Actor, case_id: int, kind: str, on_date: date,
                      *, employer: str = "", reason: str = "", note: str = "") -> CardStatus:
    """Record a report, a placement or a removal of the card of case ``case_id``."""
    sop = sop_by_code(AK1)
    if not (ADMIN in actor.effective_roles
            or any(actor.effective_roles & set(lane.roles) for lane in sop.lanes)):
        message = "Hanya pelaksana SOP Kartu AK/I yang dapat mencatat lapor atau penempatan."
        record_refusal(db, actor, "catat_kartu_ak1", "case", case_id, message)
        raise PermissionDenied(message)
    from desktop_app.core.reports.ipk import removal_reasons

    errors: dict[str, str] = {}
    today = db.now().date()
    if kind not in KINDS:
        errors["jenis"] = "Pilih lapor, ditempatkan atau dihapus."
    if on_date is None or on_date > today:
        errors["tanggal"] = "Tanggal tidak boleh kosong atau di masa depan."
    employer, reason, note = employer.strip(), reason.strip(), note.strip()
    if kind == PLACED and not employer:
        errors["perusahaan"] = "Isi nama perusahaan/pemberi kerja tempat ditempatkan."
    if kind == REMOVED and reason not in removal_reasons():
        errors["alasan"] = "Pilih alasan penghapusan dari daftar."
    if len(employer) > 200 or len(note) > 2000:
        errors["catatan"] = "Isian terlalu panjang."
    if errors:
        raise ValidationError(errors)
    now = db.now()
    with db.write() as s:
        case = s.get(Case, case_id)
        if case is None or case.sop_code != AK1:
            raise NotFound("Kartu AK/I tidak ditemukan.")
        if case.status != workflow.COMPLETED:
            raise ValidationError({"jenis": "Kartu belum diserahkan (berkas belum selesai)."})
        registered = case.registered_at.date()
        past = [(k, d) for k, d in s.execute(select(Ak1CardEvent.kind, Ak1CardEvent.on_date)
                                             .where(Ak1CardEvent.case_id == case_id))]
        end, why = card_end(registered, past)
        if on_date < registered:
            raise ValidationError({"tanggal": "Tanggal sebelum kartu didaftarkan."})
        if on_date >= end:
            raise ValidationError({"tanggal": f"Kartu sudah tidak berlaku sejak {tanggal(end)} "
                                              f"({STATE_LABELS[why].lower()})."})
        s.add(Ak1CardEvent(case_id=case_id, kind=kind, on_date=on_date,
                           employer=employer or None, reason=reason or None, note=note,
                           recorded_by_id=actor.user_id, recorded_at=now))
        s.flush()
        audit.record(s, at=now, user_id=actor.user_id, username=actor.username,
                     action=f"kartu_ak1_{kind}", entity="case", entity_id=case_id,
                     detail={"nomor": case.register_number, "tanggal": on_date.isoformat(),
                             "perusahaan": employer, "alasan": reason})
        nik = case.nik or ""
    status = card_status(db, actor, nik, today) if nik else None
    if status is None:  # a card without NIK cannot happen through the intake form
        raise NotFound("Kartu AK/I tidak ditemukan.")
    return status
