"""One person across the services, and where a case stands for the citizen at the counter.

* :func:`search_people` — every case of a NIK or a name (prefix) in all the SOPs the reader
  may see, grouped by person, with the person's AK/I card (:mod:`ak1_cards`).
* :func:`case_standing` — from the receipt's register number or the QR of the receipt or of
  a signed letter (typed or scanned), the case's state in the words citizens know, what it
  waits for and when it is expected to be done.

Searches are prefix ranges over the search indexes (``ix_cases_nik``, ``ix_cases_sop_nik``,
``ix_cases_sop_title``), as the SOP tabs search, never a scan.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select

from desktop_app.core import workflow
from desktop_app.core.auth import Actor, record_refusal, refresh_actor
from desktop_app.core.db import Database
from desktop_app.core.errors import PermissionDenied, ValidationError
from desktop_app.core.formatting import tanggal, tanggal_jam
from desktop_app.core.models import Case, Document, StepEvent
from desktop_app.core.nik import normalize_nik
from desktop_app.core.reports import access, ak1_cards
from desktop_app.core.sop import sop_by_code

MAX_PEOPLE = 50
MAX_CASES = 500
QR_PREFIX = "PAGARALAM-TK:"  # documents.context.QR_PREFIX, the signed letters' QR
_CODE = re.compile(r"^[2-9A-Z]{4}-?[2-9A-Z]{4}$")


@dataclass(frozen=True)
class PersonCase:
    case_id: int
    sop_code: str
    service: str
    register_number: str
    title: str
    nik: str | None
    status: str
    status_label: str
    step: str
    lane: str
    registered_at: datetime
    closed_at: datetime | None


@dataclass(frozen=True)
class Person:
    nik: str | None
    name: str
    cases: tuple[PersonCase, ...]
    card: ak1_cards.CardStatus | None = None


def _after(prefix: str) -> str:
    return prefix[:-1] + chr(ord(prefix[-1]) + 1)


def _row_view(r: Any) -> PersonCase:
    sop = sop_by_code(r.sop_code)
    step = sop.step(r.current_step) if 1 <= r.current_step <= len(sop.steps) else None
    return PersonCase(
        r.id, r.sop_code, sop.tab_label, r.register_number, r.title, r.nik, r.status,
        workflow.status_label(r.status, step.kind if step else None),
        f"{step.no}. {step.activity}" if step else "", sop.lane(step.lane).name if step else "",
        r.registered_at, r.closed_at)


def search_people(db: Database, actor: Actor, text: str) -> list[Person]:
    """People whose NIK (16 digits, or at least 6 leading digits) or name starts with
    ``text``, each with their cases in every SOP the reader may see, newest first."""
    actor = refresh_actor(db, actor)  # the account as the database says it is now
    codes = [s.code for s in access.require_any(db, actor, "cari_orang")]
    from desktop_app.core.textcheck import clean_text

    raw = clean_text(text or "").strip()
    digits = normalize_nik(raw)
    if digits.isdigit() and len(digits) >= 6:
        if len(digits) == 16:
            ids = select(Case.id).where(Case.nik == digits, Case.sop_code.in_(codes))
        else:
            ids = select(Case.id).where(Case.nik >= digits, Case.nik < _after(digits),
                                        Case.sop_code.in_(codes))
    elif len(raw) >= 3 and not raw.isdigit():
        key = " ".join(raw.lower().split())
        ids = select(Case.id).where(Case.title_key >= key, Case.title_key < _after(key),
                                    Case.sop_code.in_(codes))
    else:
        raise ValidationError({"cari": "Ketik NIK (paling sedikit 6 angka) atau paling "
                                       "sedikit 3 huruf nama."})
    with db.read() as s:
        rows = s.execute(select(Case.id, Case.sop_code, Case.register_number, Case.title,
                                Case.nik, Case.status, Case.current_step,
                                Case.registered_at, Case.closed_at)
                         .where(Case.id.in_(ids.limit(MAX_CASES)))
                         .order_by(Case.registered_at.desc(), Case.id.desc())).all()
    groups: dict[str, list[PersonCase]] = {}
    for r in rows:
        view = _row_view(r)
        groups.setdefault(view.nik or f"nama:{view.title.lower()}", []).append(view)
    people = []
    may_card = access.may_see_sop(actor, sop_by_code("ak1")) or access.may_see_sop(
        actor, sop_by_code("paspor"))
    for key, cases in list(groups.items())[:MAX_PEOPLE]:
        nik = None if key.startswith("nama:") else key
        card = ak1_cards.card_status(db, actor, nik) if nik and may_card else None
        people.append(Person(nik, cases[0].title, tuple(cases), card))
    return sorted(people, key=lambda p: (p.name.lower(), p.nik or ""))


# ----------------------------------------------------------------------- the counter


@dataclass(frozen=True)
class CaseStanding:
    """What the counter tells the citizen about a case."""

    case_id: int
    register_number: str
    service: str
    title: str
    status_label: str
    step: str
    lane: str
    registered_at: datetime
    expected: datetime | None
    closed_at: datetime | None
    message: str


def _find_case_id(s: Any, text: str) -> int | None:
    raw = (text or "").strip().upper()
    if raw.startswith(QR_PREFIX):
        raw = raw[len(QR_PREFIX):].strip()
    elif "://" in raw:  # the office's verification URL ending in the code
        raw = raw.split("?", 1)[0].rstrip("/").rsplit("/", 1)[-1]
    compact = raw.replace(" ", "")
    if _CODE.match(compact) and "/" not in compact:
        code = compact if "-" in compact else f"{compact[:4]}-{compact[4:]}"
        found = s.scalar(select(Document.case_id).where(Document.verification_code == code))
        if found is not None:
            return found
    return s.scalar(select(Case.id).where(Case.register_number == compact))


def _message(sop_code: str, status: str, step_no: int, note: str | None, reason: str | None,
             expected: datetime | None, closed: datetime | None) -> str:
    sop = sop_by_code(sop_code)
    step = sop.step(step_no)
    lane = sop.lane(step.lane).name
    if status == workflow.RETURNED:
        return ("Berkas dikembalikan untuk dilengkapi"
                + (f": {note}" if note else ".") + " Serahkan kelengkapannya ke loket.")
    if status == workflow.COMPLETED:
        return f"Layanan selesai pada {tanggal(closed) if closed else '-'}."
    if status in (workflow.REJECTED, workflow.WITHDRAWN):
        word = "ditolak" if status == workflow.REJECTED else "ditarik"
        return (f"Permohonan {word} pada {tanggal(closed) if closed else '-'}"
                + (f". Alasan: {reason}" if reason else "."))
    when = f" Perkiraan selesai: {tanggal_jam(expected)}." if expected else ""
    if step.kind == "check":
        return f"Berkas menunggu pemeriksaan kelengkapan oleh {lane}.{when}"
    if step.kind == "handover":
        return "Hasil layanan sudah siap; silakan diambil di loket."
    return (f"Berkas sedang diproses pada langkah {step.no} dari {len(sop.steps)}: "
            f"{step.activity} ({lane}).{when}")


def case_standing(db: Database, actor: Actor, text: str) -> CaseStanding:
    """Where the case of a receipt number or QR text stands (see the module docstring)."""
    if not (text or "").strip():
        raise ValidationError({"nomor": "Ketik atau pindai nomor register pada tanda terima."})
    with db.read() as s:
        case_id = _find_case_id(s, text)
        if case_id is None:
            raise ValidationError({"nomor": f"Nomor '{text.strip()[:60]}' tidak ditemukan. "
                                            "Periksa kembali nomor pada tanda terima."})
        case = s.get(Case, case_id)
        reason = None
        if case.status in (workflow.REJECTED, workflow.WITHDRAWN):
            reason = s.scalar(select(StepEvent.note).where(StepEvent.case_id == case_id)
                              .order_by(StepEvent.id.desc()).limit(1))
        values = (case.id, case.sop_code, case.register_number, case.title, case.status,
                  case.current_step, case.registered_at, case.due_at, case.closed_at,
                  case.attention_note)
    (cid, code, number, title, status, step_no, registered, due, closed, note) = values
    sop = sop_by_code(code)
    if not access.may_see_sop(refresh_actor(db, actor), sop):
        message = "Berkas ini bukan dari layanan yang Anda tangani."
        record_refusal(db, actor, "lihat_status_berkas", "case", cid, message)
        raise PermissionDenied(message)
    step = sop.step(step_no)
    return CaseStanding(
        cid, number, sop.tab_label, title, workflow.status_label(status, step.kind),
        f"{step.no}. {step.activity}", sop.lane(step.lane).name, registered,
        due if status in workflow.OPEN_STATUSES else None, closed,
        _message(code, status, step_no, note, reason, due, closed))
