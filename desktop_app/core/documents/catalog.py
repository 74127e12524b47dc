"""The documents the office produces and the context each template needs (the contract).

Every document is one :class:`DocumentType`: its code, Indonesian title, the SOPs it belongs
to, its template, default paper, whether it is a letter (kop, Nomor/Sifat/Lampiran/Hal,
addressee) and whether an official signs it. ``required`` lists the dotted context paths
that must be present and non-empty (lists: at least one item) before the document may be
numbered or rendered; :func:`find_missing` checks them and :func:`render_document` refuses
to render while anything is missing.

Context keys shared by the templates
------------------------------------
``office``
    pemerintah ("Pemerintah Kota Pagar Alam"), nama_dinas, bidang, alamat, telepon,
    website, email, kota ("Pagar Alam"), kode_pos, emblem (data URI, or None = not set).
``document``
    nomor ("500.15.1/0123/TK/2026", given; not computed here), tanggal (date), sifat
    ("Biasa"), lampiran ("-" or "1 (satu) berkas"), hal, kode_verifikasi (str or None;
    when set a footer with the code is printed).
``signature``
    jabatan, atas_nama (None | "a.n." | "Plt." | "Plh."), jabatan_atas_nama (the
    principal's position, needed with "a.n."), nama, pangkat ("Pembina Utama Muda / IV.c"),
    nip (18 digits), signed (bool), image (data URI or None), qr_payload (text of the
    verification QR code; needed when signed).
``tembusan``
    list of str (may be empty).
``case``
    register_number, sop_code, registered_at (datetime).
``data``
    the intake fields of the case (names per document below).

Document-specific keys
----------------------
* tanda_terima: ``pemohon`` {nama, alamat}, ``layanan`` (service name),
  ``persyaratan`` [{label, diserahkan: bool}], ``petugas`` {nama, nip},
  ``perkiraan_selesai`` (date). QR = the register number.
* surat_pengembalian: ``pemohon``, ``layanan``, ``missing_requirements`` [str],
  ``catatan_petugas`` (str, may be empty).
* formulir_jakon: ``contribution`` (``JakonContribution`` from
  ``desktop_app.core.contributions``).
* risalah_bipartit: ``meeting`` {ke, tanggal, tempat, pendapat_pekerja,
  pendapat_pengusaha, hasil, sepakat: bool}.
* perjanjian_bersama: ``meeting`` (the meeting that agreed) and ``isi_kesepakatan`` [str].
* surat_permohonan_mediator: ``meetings`` [meeting, …] (the failed bipartite meetings).
* rekomendasi_paspor: ``berlaku_sampai`` (date; the validity is a setting, default 3 months).
* pelatihan documents: ``kabupaten_tujuan`` [str], ``panitia`` [{nama, nip, jabatan_dinas,
  jabatan_panitia}], ``peserta`` [{nama, nik, jenis_kelamin, asal, pendidikan}],
  ``jadwal`` [{tanggal, kegiatan}], ``laporan`` {ringkasan, jumlah_hadir, hasil, kendala,
  saran}.

Optional keys with defaults in the templates: ``data.kota_dinas_tujuan`` and
``data.kota_kantor_imigrasi`` ("Tempat"), ``data.pengadilan_negeri`` ("Palembang"),
``data.menimbang`` / ``data.mengingat`` (SK panitia; standard text otherwise).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from desktop_app.core.errors import AppError

__all__ = [
    "DOCUMENT_TYPES",
    "DocumentType",
    "IncompleteDocument",
    "document_type",
    "documents_for_sop",
    "find_missing",
    "render_document",
]

from desktop_app.core.documents.kinds import catalogued_types
from desktop_app.core.documents.kinds.base import (  # noqa: F401 - re-exported groups
    APPLICANT_CASE,
    CPMI,
    DATED,
    JAKON,
    JHT,
    LETTER,
    MEETING,
    NUMBERED,
    OFFICE,
    PHI_PARTIES,
    SIGNER,
    TRAINING,
    DocumentType,
    Field,
)

DOCUMENT_TYPES: dict[str, DocumentType] = {t.code: t for t in catalogued_types()}
"""Every document type the catalog renders by code, from the kinds registry
(:mod:`desktop_app.core.documents.kinds`), in listing order."""

SIGNATURE_PREFIXES = (None, "a.n.", "Plt.", "Plh.")


class IncompleteDocument(AppError):
    """The context lacks values the document needs; ``missing`` lists (path, label)."""

    def __init__(self, doc_type: DocumentType, missing: list[Field]) -> None:
        self.doc_type = doc_type
        self.missing = list(missing)
        labels = ", ".join(label for _, label in missing)
        super().__init__(f"{doc_type.title} belum dapat dibuat. Data belum lengkap: {labels}.")


def document_type(code: str) -> DocumentType:
    """The :class:`DocumentType` for ``code`` (a registered kind, or a generic letter an SOP
    file declares); ``KeyError`` with an Indonesian message."""
    found = DOCUMENT_TYPES.get(code)
    if found is not None:
        return found
    from desktop_app.core.documents.kinds.generic import generic_type

    found = generic_type(code)
    if found is None:
        raise KeyError(f"Jenis dokumen '{code}' tidak dikenal.")
    return found


def documents_for_sop(sop_code: str) -> list[DocumentType]:
    """Document types belonging to one SOP (``"jht"``, ``"paspor"``, …): the kinds made
    for it or for every SOP (``"*"``), and the ones its SOP file lists."""
    from desktop_app.core.sop import sop_by_code

    try:
        listed = [d.code for d in sop_by_code(sop_code).documents]
    except KeyError:
        listed = []
    out = [t for t in DOCUMENT_TYPES.values()
           if sop_code in t.sop_codes or "*" in t.sop_codes or t.code in listed]
    known = {t.code for t in out}
    for code in listed:
        if code not in known and code not in DOCUMENT_TYPES:
            t = document_type_or_none(code)
            if t is not None and t.paper != "card":
                out.append(t)
    return out


def document_type_or_none(code: str) -> DocumentType | None:
    try:
        return document_type(code)
    except KeyError:
        return None


_ABSENT = object()


def _lookup(context: Any, path: str) -> Any:
    value = context
    for part in path.split("."):
        if isinstance(value, Mapping):
            value = value.get(part, _ABSENT)
        else:
            value = getattr(value, part, _ABSENT)
        if value is _ABSENT or value is None:
            return _ABSENT
    return value


def _empty(value: Any) -> bool:
    if value is _ABSENT or value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    if isinstance(value, (Sequence, Mapping, set, frozenset)) and not isinstance(value, bytes):
        return len(value) == 0
    return False


def find_missing(doc_type_code: str, context: Mapping[str, Any]) -> list[Field]:
    """(path, label) of every required value absent or empty in ``context``.

    Paths are dotted (``"signature.nip"``) and walk mappings and object attributes; a
    string must hold more than blanks, a list at least one item. ``_also_required`` in the
    context adds (path, label) pairs a kind requires for this case only (the passport
    recommendation's photo, when the office's form has one). Also checks the signer's
    "a.n." principal and, for an electronically signed document, the QR payload.
    An empty list means the document may be numbered and rendered.
    """
    doc_type = document_type(doc_type_code)
    required = [*doc_type.all_required(), *(context.get("_also_required") or ())]
    missing = [(p, lbl) for p, lbl in required if _empty(_lookup(context, p))]
    if doc_type.needs_signer:
        prefix = _lookup(context, "signature.atas_nama")
        prefix = None if prefix is _ABSENT or prefix == "" else prefix
        if prefix not in SIGNATURE_PREFIXES:
            missing.append(("signature.atas_nama", "Keterangan a.n./Plt./Plh. (tidak dikenal)"))
        elif prefix == "a.n." and _empty(_lookup(context, "signature.jabatan_atas_nama")):
            missing.append(("signature.jabatan_atas_nama", "Jabatan yang diwakili (a.n.)"))
        if _lookup(context, "signature.signed") is True and _empty(
            _lookup(context, "signature.qr_payload")
        ):
            missing.append(("signature.qr_payload", "Kode verifikasi tanda tangan elektronik"))
    return missing


def render_document(
    doc_type_code: str, context: Mapping[str, Any], paper: str | None = None
) -> bytes:
    """Check ``context`` with :func:`find_missing`, then render the document to PDF bytes.

    ``paper`` defaults to the type's paper. Raises :class:`IncompleteDocument` listing the
    missing fields, or ``MissingDocumentData`` when the template needs something else.
    """
    from desktop_app.core.documents.renderer import render_pdf

    doc_type = document_type(doc_type_code)
    missing = find_missing(doc_type_code, context)
    if missing:
        raise IncompleteDocument(doc_type, missing)
    return render_pdf(doc_type.template, context, paper=paper or doc_type.paper)
