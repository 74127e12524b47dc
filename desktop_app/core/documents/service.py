"""The documents of a case: draft, number, void, new version, and the PDF bytes.

A document is drafted from the case's data (:func:`draft_document`); the PDF and its
SHA-256 are stored with the case. A draft re-renders when its data change (the hash of the
canonical context), a numbered or signed one never does. When the document goes to signing
(:func:`submit_for_signing_in_session`, called by the workflow as the drafting step
finishes) it takes the next number of its classification code's counter and is re-rendered
with it. The signing service renders the final, signed face with
:func:`render_final_in_session` and stores it after the PAdES signature.

Statuses: ``draf`` → ``menunggu_paraf`` → ``menunggu_ttd`` → ``ditandatangani``; any of them
→ ``dibatalkan`` (a voided document keeps its number and the reason). Documents nobody
signs (tanda terima, risalah, daftar peserta …) stay ``draf`` and are printable as they are;
a numbered letter nobody signs (the return letter, ``signed = false`` in the SOP) goes from
``draf`` to ``diterbitkan`` when the clerk issues it (:mod:`.return_letter`).
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from desktop_app.core import audit, settings, workflow
from desktop_app.core.auth import Actor, record_refusal
from desktop_app.core.db import Database
from desktop_app.core.documents import context as doc_context
from desktop_app.core.documents.catalog import IncompleteDocument
from desktop_app.core.errors import ConflictError, NotFound, PermissionDenied, ValidationError
from desktop_app.core.models import Case, Document, StepEvent, User
from desktop_app.core.numbering import format_letter_number, letter_series, next_value, peek
from desktop_app.core.roles import ADMIN, HEADS
from desktop_app.core.sop import DocumentSpec, Sop
from desktop_app.core.sop_versions import sop_of_case

__all__ = [
    "DRAFT",
    "ISSUED",
    "SIGNED",
    "STATUS_LABELS",
    "VOIDED",
    "WAIT_PARAF",
    "WAIT_SIGN",
    "DocumentView",
    "IncompleteDocument",
    "available_types",
    "classification_for",
    "document_pdf",
    "documents_for_case",
    "draft_document",
    "expected_number",
    "get_document",
    "missing_types",
    "needs_number",
    "needs_signature",
    "new_version",
    "render_final_in_session",
    "sign_roles_for",
    "submit_for_signing",
    "submit_for_signing_in_session",
    "take_number_in_session",
    "verification_code_for",
    "void_document",
]

DRAFT = "draf"
WAIT_PARAF = "menunggu_paraf"
WAIT_SIGN = "menunggu_ttd"
SIGNED = "ditandatangani"
VOIDED = "dibatalkan"
ISSUED = "diterbitkan"

STATUS_LABELS = {
    DRAFT: "Draf",
    WAIT_PARAF: "Menunggu Paraf",
    WAIT_SIGN: "Menunggu Tanda Tangan",
    SIGNED: "Ditandatangani",
    VOIDED: "Dibatalkan",
    ISSUED: "Diterbitkan",
}

_CODE_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"  # no 0/O, 1/I


@dataclass(frozen=True)
class DocumentView:
    """One document version as lists and dialogs show it."""

    id: int
    case_id: int
    doc_type: str
    title: str
    seq: int
    version: int
    status: str
    number: str | None
    paper: str
    sha256: str | None
    created_at: datetime
    signed_at: datetime | None
    voided_at: datetime | None
    void_reason: str | None
    paraf: tuple[tuple[str, str, datetime], ...] = ()
    signer_name: str | None = None
    needs_signer: bool = False
    verification_code: str | None = None
    rendered_at: datetime | None = None
    row_version: int = 1
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def status_label(self) -> str:
        if self.status == DRAFT and not self.needs_signer:
            return "Siap Cetak"
        return STATUS_LABELS.get(self.status, self.status)

    @property
    def label(self) -> str:
        """"Risalah Perundingan Bipartit (pertemuan ke-2)", "… (versi 2)"."""
        text = self.title
        if self.doc_type == "risalah_bipartit":
            text += f" (pertemuan ke-{self.seq})"
        if self.version > 1:
            text += f" (versi {self.version})"
        return text


# ----------------------------------------------------------------------------- helpers


def _spec(sop: Sop, code: str) -> DocumentSpec:
    spec = sop.document(code)
    if spec is None:
        raise ValidationError({"jenis": f"Dokumen '{code}' bukan dokumen SOP {sop.tab_label}."})
    return spec


def _title(sop: Sop, code: str) -> str:
    spec = sop.document(code)
    return spec.title if spec else doc_context.doc_type_for(code).title


def needs_number(sop: Sop, spec: DocumentSpec) -> bool:
    """Whether the document goes to signing and takes a number: it names a sign or paraf
    lane, or it is a letter whose template prints a number (the return letter)."""
    if spec.sign_lane or spec.paraf_lanes:
        return True
    if spec.code == doc_context.CARD_CODE:
        return True
    required = {p for p, _ in doc_context.doc_type_for(spec.code).required}
    return "document.nomor" in required


def needs_signature(sop: Sop, spec: DocumentSpec) -> bool:
    """Whether an official initials or signs the document (through the signing queue). A
    numbered letter the SOP marks ``signed = false`` (the return letter, which the clerk hands
    over) is numbered when issued and never waits in a queue."""
    if not needs_number(sop, spec):
        return False
    if spec.sign_lane or spec.paraf_lanes or spec.code == doc_context.CARD_CODE:
        return True
    return spec.signed and doc_context.doc_type_for(spec.code).needs_signer


def sign_roles_for(sop: Sop, spec: DocumentSpec) -> tuple[str, ...]:
    """Roles that may sign the document (its sign lane; the Kabid when the SOP names none)."""
    return doc_context.signer_roles(sop, spec)


def classification_for(db: Database, sop: Sop, spec: DocumentSpec) -> str:
    """Classification code of the document: the setting ``NUMBERING.classification`` (per
    SOP: a string for all its documents, or ``{doc_code: code}``), else the SOP file's code,
    else the SOP's first classified document, else ``500.15``."""
    overrides = settings.get_setting(db, settings.NUMBERING).get("classification") or {}
    per_sop = overrides.get(sop.code)
    if isinstance(per_sop, dict) and per_sop.get(spec.code):
        return str(per_sop[spec.code])
    if isinstance(per_sop, str) and per_sop.strip():
        return per_sop.strip()
    if spec.classification_code:
        return spec.classification_code
    other = next((d.classification_code for d in sop.documents if d.classification_code), "")
    return other or "500.15"


def _view(s: Session, doc: Document, sop: Sop | None = None) -> DocumentView:
    sop = sop or sop_of_case(s, s.get(Case, doc.case_id))
    spec = sop.document(doc.doc_type)
    signer = None
    if doc.signed_by_id:
        signer = s.scalar(select(User.full_name).where(User.id == doc.signed_by_id))
    paraf = tuple((a.lane, a.user_name, a.at) for a in doc.approvals if a.kind == "paraf")
    if signer is None:
        ttd = [a for a in doc.approvals if a.kind == "ttd"]
        signer = ttd[-1].user_name if ttd else None
    return DocumentView(
        id=doc.id, case_id=doc.case_id, doc_type=doc.doc_type, title=_title(sop, doc.doc_type),
        seq=doc.seq, version=doc.version, status=doc.status, number=doc.number,
        paper=doc.paper, sha256=doc.sha256, created_at=doc.created_at, signed_at=doc.signed_at,
        voided_at=doc.voided_at, void_reason=doc.void_reason, paraf=paraf,
        signer_name=signer, needs_signer=bool(spec and needs_signature(sop, spec)),
        verification_code=doc.verification_code, rendered_at=doc.rendered_at,
        row_version=doc.doc_version,
    )


def _latest(s: Session, case_id: int, code: str, seq: int) -> Document | None:
    return s.scalars(select(Document).where(
        Document.case_id == case_id, Document.doc_type == code, Document.seq == seq)
        .order_by(Document.version.desc())).first()


def _may_draft(actor: Actor, sop: Sop, case: Case, spec: DocumentSpec) -> bool:
    roles = set(sop.roles_of_lane(case.current_lane))
    roles |= set(sop.roles_of_lane(sop.step(spec.step).lane))
    check = workflow.check_step(sop)
    if check is not None and spec.step <= check.no:
        roles |= set(sop.roles_of_lane(check.lane))
    if not sop.roles_of_lane(sop.step(spec.step).lane) and len(sop.steps) > spec.step:
        roles |= set(sop.roles_of_lane(sop.step(spec.step + 1).lane))
    return bool(actor.effective_roles & (roles | HEADS | {ADMIN}))


def _deny(db: Database, actor: Actor, action: str, entity_id: object, message: str) -> None:
    record_refusal(db, actor, action, "document", entity_id, message)
    raise PermissionDenied(message)


def _paper(db: Database, code: str, paper: str | None, existing: Document | None) -> str:
    from desktop_app.core.documents.renderer import PAPER_SIZES

    type_paper = doc_context.doc_type_for(code).paper
    if type_paper in ("A5", "card"):
        return type_paper
    chosen = paper or (existing.paper if existing else None) or \
        settings.get_setting(db, settings.DOCUMENTS).get("paper") or "A4"
    if chosen not in PAPER_SIZES or chosen in ("A5", "card"):
        raise ValidationError({"kertas": "Pilih kertas A4 atau F4."})
    return chosen


def _reached(sop: Sop, case: Case) -> int:
    """The last step whose documents may exist: the current one (all, when closed)."""
    if case.status in workflow.CLOSED_STATUSES:
        return case.current_step if case.status != workflow.COMPLETED else len(sop.steps)
    return case.current_step


def _was_returned(s: Session, case: Case) -> bool:
    if case.status == workflow.RETURNED:
        return True
    return bool(s.scalar(select(func.count(StepEvent.id)).where(
        StepEvent.case_id == case.id, StepEvent.action == workflow.INCOMPLETE)))


def _types_in_session(s: Session, case: Case) -> list[tuple[str, str, int]]:
    sop = sop_of_case(s, case)
    reached = _reached(sop, case)
    meetings = list((case.data or {}).get("_bipartit", []))
    out: list[tuple[str, str, int]] = []
    for spec in sop.documents:
        if spec.step > reached and spec.code != "tanda_terima":
            continue
        if spec.when == "dikembalikan" and not _was_returned(s, case):
            continue
        if spec.when == "per_pertemuan":
            for i in range(len(meetings)):
                out.append((spec.code, f"{spec.title} (pertemuan ke-{i + 1})", i + 1))
            continue
        if spec.when == "sepakat" and not any(m.get("sepakat") for m in meetings):
            continue
        if spec.when == "berselisih" and (not meetings
                                          or any(m.get("sepakat") for m in meetings)):
            continue
        out.append((spec.code, spec.title, 1))
    return out


def _load_case(s: Session, case_id: int) -> Case:
    case = s.get(Case, case_id)
    if case is None:
        raise NotFound(f"Berkas #{case_id} tidak ditemukan.")
    return case


def _load_doc(s: Session, doc_id: int) -> Document:
    doc = s.get(Document, doc_id)
    if doc is None:
        raise NotFound(f"Dokumen #{doc_id} tidak ditemukan.")
    return doc


# ----------------------------------------------------------------------------- queries


def _reader_refusal(db: Database, s: Session, actor: Actor | None, case: Case) -> str | None:
    """Why ``actor`` (re-read now) may not read the case's documents; None: may (or no actor:
    an internal read)."""
    from desktop_app.core.cases import permissions

    if actor is None:
        return None
    return permissions.read_refusal(sop_of_case(s, case), permissions.reader_now(db, s, actor))


def _refuse_read(db: Database, actor: Actor | None, action: str, case_id: int,
                 message: str) -> PermissionDenied:
    from desktop_app.core.cases import permissions

    assert actor is not None
    return permissions.refuse_read(db, actor, action, "case", case_id, message)


def documents_for_case(db: Database, case_id: int,
                       actor: Actor | None = None) -> list[DocumentView]:
    """Every document version of the case, in the SOP's document order, newest version last.
    With ``actor`` (the screens pass the signed-in account) only for readers of its SOP."""
    with db.read() as s:
        case = _load_case(s, case_id)
        refusal = _reader_refusal(db, s, actor, case)
        if not refusal:
            sop = sop_of_case(s, case)
            order = {d.code: i for i, d in enumerate(sop.documents)}
            docs = s.scalars(select(Document).where(Document.case_id == case_id)).all()
            docs = sorted(docs, key=lambda d: (order.get(d.doc_type, 99), d.seq, d.version))
            return [_view(s, d, sop) for d in docs]
    raise _refuse_read(db, actor, "lihat_dokumen", case_id, refusal)


def get_document(db: Database, doc_id: int) -> DocumentView:
    with db.read() as s:
        return _view(s, _load_doc(s, doc_id))


def available_types(db: Database, case_id: int) -> list[tuple[str, str, int]]:
    """(code, title, seq) of the documents the case may have now: its SOP's documents up
    to its current step (one risalah per bipartite meeting, the return letter once the file
    was returned, the Perjanjian Bersama only after an agreement)."""
    with db.read() as s:
        return _types_in_session(s, _load_case(s, case_id))


def missing_types(db: Database, case_id: int) -> list[tuple[str, str, int]]:
    """:func:`available_types` the case has no (non-voided) document of yet."""
    with db.read() as s:
        case = _load_case(s, case_id)
        have = {(d.doc_type, d.seq) for d in s.scalars(select(Document).where(
            Document.case_id == case_id, Document.status != VOIDED))}
        sop = sop_of_case(s, case)
        # The return letter is due only while the file is out with the applicant.
        settled = {d.code for d in sop.documents if d.when == "dikembalikan"} \
            if case.status != workflow.RETURNED else set()
        return [t for t in _types_in_session(s, case)
                if (t[0], t[2]) not in have and t[0] not in settled]


def document_pdf(db: Database, doc_id: int, actor: Actor | None = None) -> bytes:
    """The stored PDF of a document (with ``actor``: only for readers of the case's SOP; the
    refusal is audited)."""
    with db.read() as s:
        doc = _load_doc(s, doc_id)
        case_id = doc.case_id
        refusal = _reader_refusal(db, s, actor, _load_case(s, case_id))
        if not refusal:
            if not doc.pdf:
                raise NotFound("Dokumen ini belum memiliki berkas PDF.")
            return bytes(doc.pdf)
    raise _refuse_read(db, actor, "buka_dokumen", case_id, refusal)


# ----------------------------------------------------------------------------- drafting


def draft_document(db: Database, actor: Actor, case_id: int, doc_code: str, seq: int = 1,
                   paper: str | None = None) -> DocumentView:
    """Render (or refresh) the draft of ``doc_code`` for the case and store it.

    An unchanged draft is returned as is; a changed one is re-rendered in place; a numbered,
    signed or voided document is never touched (use :func:`new_version`). Raises
    :class:`IncompleteDocument` naming the fields to fill (and where), and nothing is stored.
    """
    if seq < 1:
        raise ValidationError({"seq": "Nomor urut dokumen harus 1 atau lebih."})
    with db.read() as s:
        case = _load_case(s, case_id)
        sop = sop_of_case(s, case)
        spec = _spec(sop, doc_code)
        issued_by_clerk = spec.when == "dikembalikan" and not needs_signature(sop, spec) \
            and needs_number(sop, spec)
    if issued_by_clerk:  # the return letter is numbered and issued in one step
        from desktop_app.core.documents.return_letter import issue_return_letter

        return issue_return_letter(db, actor, case_id, paper)
    with db.read() as s:
        case = _load_case(s, case_id)
        allowed = _may_draft(actor, sop, case, spec)
        existing = _latest(s, case_id, doc_code, seq)
        if allowed and existing is not None and existing.status not in (DRAFT, VOIDED):
            return _view(s, existing, sop)
        if allowed:
            chosen_paper = _paper(db, doc_code, paper, existing)
            ctx = doc_context.build_context(s, db, case, doc_code, seq)
            doc_context.check_complete(doc_code, ctx)
            digest = doc_context.context_hash(ctx, chosen_paper)
            if (existing is not None and existing.status == DRAFT
                    and existing.data_hash == digest and existing.sha256):
                return _view(s, existing, sop)
    if not allowed:
        _deny(db, actor, "draft_document", f"{case_id}:{doc_code}",
              "Anda tidak berwenang membuat dokumen berkas ini pada langkah sekarang.")
    pdf = doc_context.render_context(doc_code, ctx, chosen_paper)  # slow: outside any lock
    sha = hashlib.sha256(pdf).hexdigest()
    now = db.now()
    try:
        with db.write() as s:
            case = _load_case(s, case_id)
            current = _latest(s, case_id, doc_code, seq)
            if current is not None and current.status not in (DRAFT, VOIDED):
                return _view(s, current, sop)  # numbered meanwhile on another PC
            if current is not None and current.status == DRAFT:
                doc, action = current, "perbarui_draf_dokumen"
            else:
                doc = Document(case_id=case_id, doc_type=doc_code, seq=seq,
                               version=(current.version + 1) if current else 1, status=DRAFT,
                               created_at=now, created_by_id=actor.user_id)
                s.add(doc)
                action = "buat_draf_dokumen"
            doc.paper = chosen_paper
            doc.classification_code = classification_for(db, sop, spec) \
                if needs_number(sop, spec) else None
            doc.data_hash = digest
            doc.pdf = pdf
            doc.sha256 = sha
            doc.rendered_at = now
            s.flush()
            audit.record(s, at=now, user_id=actor.user_id, username=actor.username,
                         action=action, entity="document", entity_id=doc.id,
                         detail={"berkas": case.register_number, "jenis": doc_code, "seq": seq,
                                 "versi": doc.version, "sha256": sha})
            return _view(s, doc, sop)
    except (StaleDataError, IntegrityError):
        raise ConflictError("pengguna lain", now) from None


# ----------------------------------------------------------------------------- numbering


def verification_code_for(s: Session, doc: Document) -> str:
    """The document's verification code (``XXXX-XXXX``), created once and unique."""
    if doc.verification_code:
        return doc.verification_code
    while True:
        raw = "".join(secrets.choice(_CODE_ALPHABET) for _ in range(8))
        code = f"{raw[:4]}-{raw[4:]}"
        if not s.scalar(select(Document.id).where(Document.verification_code == code)):
            doc.verification_code = code
            return code


def qr_payload(db: Database, code: str) -> str:
    """The text of a signed document's QR code (:func:`context.verification_qr`)."""
    return doc_context.verification_qr(db, code)


SERIES_CLASSIFICATION = "klasifikasi"
SERIES_UNIT = "unit"
SERIES_CHOICES = {SERIES_CLASSIFICATION: "Per kode klasifikasi dan tahun",
                  SERIES_UNIT: "Satu agenda surat keluar per unit pengolah dan tahun"}
"""Where a letter's serial comes from: the setting ``NUMBERING.series`` (docs/numbering.md)."""


def _series_name(db: Database, sop: Sop, spec: DocumentSpec, year: int) -> str:
    numbering = settings.get_setting(db, settings.NUMBERING)
    if spec.code == doc_context.CARD_CODE:
        wilayah = str(settings.office_profile(db).get("kode_wilayah") or "1672")
        return f"ak1:{wilayah}:{year}"
    if numbering.get("series") == SERIES_UNIT:
        return f"surat-unit:{numbering.get('unit') or 'TK'}:{year}"
    return letter_series(classification_for(db, sop, spec), year)


def _format_number(db: Database, sop: Sop, spec: DocumentSpec, year: int, seq: int) -> str:
    numbering = settings.get_setting(db, settings.NUMBERING)
    if spec.code == doc_context.CARD_CODE:
        wilayah = str(settings.office_profile(db).get("kode_wilayah") or "1672")
        pattern = numbering.get("ak1_pattern") or "{wilayah}-{tahun}-{nomor:05d}"
        return pattern.format(wilayah=wilayah, tahun=year, nomor=seq)
    code = classification_for(db, sop, spec)
    return format_letter_number(numbering.get("letter_pattern") or "{kode}/{nomor:04d}/{unit}/{tahun}",
                                code=code, seq=seq, unit=str(numbering.get("unit") or "TK"),
                                year=year)


def _take_number(s: Session, db: Database, sop: Sop, spec: DocumentSpec, now: datetime) -> str:
    seq = next_value(s, _series_name(db, sop, spec, now.year))
    return _format_number(db, sop, spec, now.year, seq)


def expected_number(s: Session, db: Database, doc: Document, now: datetime) -> str:
    """The number ``doc`` will take if nobody else takes one first: the signing service
    renders the face with it, then :func:`take_number_in_session` confirms it in the signing
    transaction (a different number means another PC signed meanwhile: render again)."""
    if doc.number:
        return doc.number
    case = s.get(Case, doc.case_id)
    sop = sop_of_case(s, case)
    spec = _spec(sop, doc.doc_type)
    return _format_number(db, sop, spec, now.year,
                          peek(s, _series_name(db, sop, spec, now.year)) + 1)


def take_number_in_session(s: Session, db: Database, doc: Document, now: datetime) -> str:
    """Give ``doc`` its number (and so its agenda entry) inside the caller's signing
    transaction; a document that has one keeps it. Rolled back with the transaction."""
    if doc.number:
        return doc.number
    case = s.get(Case, doc.case_id)
    sop = sop_of_case(s, case)
    spec = _spec(sop, doc.doc_type)
    doc.number = _take_number(s, db, sop, spec, now)
    doc.classification_code = None if spec.code == doc_context.CARD_CODE else \
        classification_for(db, sop, spec)
    doc.rendered_at = now
    return doc.number


def submit_for_signing_in_session(s: Session, db: Database, actor: Actor, doc: Document,
                                  now: datetime) -> bool:
    """Send a draft that needs a signer to paraf/signing, in ``s``.

    It takes no number: the number is taken in the signing transaction
    (:func:`take_number_in_session`), so paraf copies carry none and a correction leaves no
    gap. A document no signing step records (no sign or paraf lane: the return letter,
    signed on paper as it is handed over) is issued here and takes its number here. The stored face is re-rendered as a KONSEP. Returns False (and does nothing) for a
    document that is not a draft or needs no signer. :class:`IncompleteDocument` when data
    are missing.
    """
    if doc.status != DRAFT:
        return False
    case = s.get(Case, doc.case_id)
    sop = sop_of_case(s, case)
    spec = sop.document(doc.doc_type)
    if spec is None or not needs_signature(sop, spec):
        return False
    code = verification_code_for(s, doc)
    number = None
    if not spec.sign_lane and not spec.paraf_lanes:
        # No signing step records its signature (the return letter, signed on paper when
        # handed over): it is issued now, so it takes its number now, as before.
        doc_context.check_complete(doc.doc_type, doc_context.build_context(
            s, db, case, doc.doc_type, doc.seq, number="0", today=now.date()))
        number = take_number_in_session(s, db, doc, now)
    ctx = doc_context.build_context(s, db, case, doc.doc_type, doc.seq, number=number,
                                    today=now.date())
    pdf = doc_context.render_context(doc.doc_type, ctx, doc.paper)
    doc.classification_code = None if spec.code == doc_context.CARD_CODE else \
        classification_for(db, sop, spec)
    doc.pdf = pdf
    doc.sha256 = hashlib.sha256(pdf).hexdigest()
    doc.data_hash = doc_context.context_hash(ctx, doc.paper)
    doc.rendered_at = now
    doc.status = WAIT_PARAF if spec.paraf_lanes else WAIT_SIGN
    s.flush()
    audit.record(s, at=now, user_id=actor.user_id, username=actor.username,
                 action="ajukan_dokumen", entity="document", entity_id=doc.id,
                 detail={"berkas": case.register_number, "jenis": doc.doc_type,
                         "nomor": doc.number, "kode_verifikasi": code, "sha256": doc.sha256})
    return True


def submit_for_signing(db: Database, actor: Actor, doc_id: int) -> DocumentView:
    """Send one draft to signing by hand (e.g. the return letter, or a new version)."""
    now = db.now()
    with db.read() as s:
        doc = _load_doc(s, doc_id)
        case = _load_case(s, doc.case_id)
        sop = sop_of_case(s, case)
        spec = _spec(sop, doc.doc_type)
        allowed = _may_draft(actor, sop, case, spec)
        if allowed and (doc.status != DRAFT or not needs_signature(sop, spec)):
            raise ValidationError({"status": "Hanya draf surat yang ditandatangani pejabat "
                                             "yang dapat diajukan."})
    if not allowed:
        _deny(db, actor, "submit_document", doc_id,
              "Anda tidak berwenang mengajukan dokumen ini untuk ditandatangani.")
    try:
        with db.write() as s:
            doc = _load_doc(s, doc_id)
            submit_for_signing_in_session(s, db, actor, doc, now)
            return _view(s, doc, sop)
    except StaleDataError:
        raise ConflictError("pengguna lain", now) from None


def render_final_in_session(s: Session, db: Database, doc: Document,
                            signature: dict[str, Any], number: str | None = None) -> bytes:
    """The document rendered with its number (``doc.number``, else ``number``: the one
    :func:`expected_number` promised) and the signature block ``signature`` (``signed``,
    ``image``, ``qr_payload``, and for a deputy ``nama``/``nip``/``pangkat``/``jabatan``/
    ``atas_nama``), dated today, with the verification footer. Returns PDF bytes; the
    caller signs (PAdES) and stores them."""
    number = doc.number or number
    if number is None:
        raise ValidationError({"status": "Nomor surat belum ditetapkan."})
    if doc.status == DRAFT:
        raise ValidationError({"status": "Dokumen masih draf; ajukan dulu untuk ditandatangani."})
    if doc.status == VOIDED:
        raise ValidationError({"status": "Dokumen sudah dibatalkan."})
    case = s.get(Case, doc.case_id)
    code = verification_code_for(s, doc)
    sig = dict(signature)
    sig.setdefault("signed", True)
    if sig.get("signed") and not sig.get("qr_payload"):
        sig["qr_payload"] = qr_payload(db, code)
    ctx = doc_context.build_context(s, db, case, doc.doc_type, doc.seq, number=number,
                                    signature=sig, verification_code=code)
    return doc_context.render_context(doc.doc_type, ctx, doc.paper)


# ----------------------------------------------------------------------------- voiding


def void_document(db: Database, actor: Actor, doc_id: int, reason: str) -> DocumentView:
    """Cancel a document: it keeps its number; the reason is required and recorded."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"alasan": "Alasan pembatalan wajib diisi."})
    if len(reason) > 2000:
        raise ValidationError({"alasan": "Alasan terlalu panjang (maks. 2000 karakter)."})
    now = db.now()
    with db.read() as s:
        doc = _load_doc(s, doc_id)
        case = _load_case(s, doc.case_id)
        sop = sop_of_case(s, case)
        allowed = _may_draft(actor, sop, case, _spec(sop, doc.doc_type))
        if doc.status == SIGNED:  # only heads and the administrator cancel a signed letter
            allowed = bool(actor.effective_roles & (HEADS | {ADMIN}))
    if not allowed:
        _deny(db, actor, "void_document", doc_id, "Anda tidak berwenang membatalkan dokumen ini.")
    try:
        with db.write() as s:
            doc = _load_doc(s, doc_id)
            if doc.status == VOIDED:
                raise ValidationError({"status": "Dokumen ini sudah dibatalkan."})
            doc.status = VOIDED
            doc.voided_at = now
            doc.void_reason = reason
            if doc.pdf:
                # The stored file says DIBATALKAN, date and reason on every page. An
                # incremental update: a signature over the original bytes stays checkable,
                # and ``sha256`` stays the digest of the document as issued (signed), so
                # ``verify`` still finds it and answers DIBATALKAN.
                from desktop_app.core.documents.marks import stamp_void

                doc.pdf = stamp_void(bytes(doc.pdf), now, reason)
            s.flush()
            audit.record(s, at=now, user_id=actor.user_id, username=actor.username,
                         action="batalkan_dokumen", entity="document", entity_id=doc.id,
                         detail={"berkas": case.register_number, "jenis": doc.doc_type,
                                 "nomor": doc.number, "alasan": reason})
            return _view(s, doc, sop)
    except StaleDataError:
        raise ConflictError("pengguna lain", now) from None


def new_version(db: Database, actor: Actor, doc_id: int) -> DocumentView:
    """A corrected draft as version + 1 of a numbered document.

    A document still waiting for paraf or signature is voided first ("diganti versi n"); a
    signed one must be voided (with its reason) by hand before it can be replaced.
    """
    with db.read() as s:
        doc = _load_doc(s, doc_id)
        latest = _latest(s, doc.case_id, doc.doc_type, doc.seq)
        status, version = doc.status, doc.version
        case_id, code, seq = doc.case_id, doc.doc_type, doc.seq
    if latest is not None and latest.id != doc_id:
        raise ValidationError({"versi": f"Sudah ada versi {latest.version}; "
                                        "koreksi versi terbaru."})
    if status == DRAFT:
        raise ValidationError({"versi": "Draf dapat diperbarui langsung (Buat/Perbarui Draf)."})
    if status == SIGNED:
        raise ValidationError({"versi": "Dokumen sudah ditandatangani: batalkan dulu dengan "
                                        "alasan, lalu buat versi baru."})
    with db.read() as s:  # check the data first, so nothing is voided for nothing
        case = _load_case(s, case_id)
        doc_context.check_complete(code, doc_context.build_context(s, db, case, code, seq))
    if status in (WAIT_PARAF, WAIT_SIGN):
        void_document(db, actor, doc_id, f"Dikoreksi; diganti versi {version + 1}.")
    return draft_document(db, actor, case_id, code, seq)


# ----------------------------------------------------------------------------- settings

_CLASSIFICATION_RE = r"^\d{3}(\.\d{1,3}){0,3}$"


def validate_document_settings(numbering: dict[str, Any],
                               documents: dict[str, Any]) -> dict[str, str]:
    """Field errors (keys as in the settings) of the numbering and document settings."""
    import re

    errors: dict[str, str] = {}
    pattern = str(numbering.get("letter_pattern") or "")
    try:
        sample = pattern.format(kode="500.15.3", nomor=1, unit="TK", tahun=2026)
        if "{nomor" not in pattern or "{kode" not in pattern:
            errors["letter_pattern"] = "Pola nomor surat harus memuat {kode} dan {nomor}."
        elif len(sample) > 80:
            errors["letter_pattern"] = "Nomor surat terlalu panjang (maks. 80 karakter)."
    except (KeyError, IndexError, ValueError):
        errors["letter_pattern"] = ("Pola tidak valid; gunakan {kode}, {nomor:04d}, {unit} "
                                    "dan {tahun}.")
    unit = str(numbering.get("unit") or "").strip()
    if not unit or len(unit) > 20 or "/" in unit:
        errors["unit"] = "Isi kode unit pengolah (maks. 20 karakter, tanpa garis miring)."
    ak1 = str(numbering.get("ak1_pattern") or "")
    try:
        ak1.format(wilayah="1672", tahun=2026, nomor=1)
        if "{nomor" not in ak1:
            errors["ak1_pattern"] = "Pola nomor AK/I harus memuat {nomor}."
    except (KeyError, IndexError, ValueError):
        errors["ak1_pattern"] = "Pola tidak valid; gunakan {wilayah}, {tahun} dan {nomor:05d}."
    if numbering.get("series", SERIES_CLASSIFICATION) not in SERIES_CHOICES:
        errors["series"] = "Pilih sumber nomor urut: per kode klasifikasi atau per unit."
    for sop_code, code in (numbering.get("classification") or {}).items():
        if isinstance(code, str) and code and not re.match(_CLASSIFICATION_RE, code):
            errors[f"classification.{sop_code}"] = "Kode klasifikasi seperti 500.15.3."
    if documents.get("paper") not in ("A4", "F4"):
        errors["paper"] = "Pilih A4 atau F4."
    months = documents.get("paspor_valid_months")
    if not isinstance(months, int) or not 1 <= months <= 24:
        errors["paspor_valid_months"] = "Masa berlaku 1–24 bulan."
    if not isinstance(documents.get("paspor_pas_foto", True), bool):
        errors["paspor_pas_foto"] = "Pilih ya atau tidak."
    return errors


def save_document_settings(db: Database, actor: Actor | None, *, numbering: dict[str, Any],
                           documents: dict[str, Any]) -> None:
    """Validate and store the numbering and document settings (administrator only)."""
    errors = validate_document_settings(numbering, documents)
    if errors:
        raise ValidationError(errors)
    current = settings.get_setting(db, settings.NUMBERING)
    changed = {key: {"dari": current.get(key), "menjadi": value}
               for key, value in numbering.items() if current.get(key) != value}
    current.update(numbering)
    settings.save_setting(db, actor, settings.NUMBERING, current,
                          detail={"diubah": changed} if changed else None)
    current_docs = settings.get_setting(db, settings.DOCUMENTS)
    current_docs.update(documents)
    settings.save_setting(db, actor, settings.DOCUMENTS, current_docs)
