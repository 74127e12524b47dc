"""Map a real case onto the template context contract of :mod:`catalog` (and the AK/I card).

:func:`build_context` reads the case, its SOP, the office settings, the officials (users) and
the case's attachments, and returns the dict the document's template needs. Nothing here
renders; :func:`check_complete` turns :func:`catalog.find_missing` into an
:class:`IncompleteDocument` whose labels say *where* to fill each missing value
("NIP Kepala Dinas (menu Pengguna)", "Pas foto 3×4 (tab Lampiran)").

Keys starting with ``_`` (``_hints``, ``_official``) are for this module only; templates
ignore them and :func:`context_hash` leaves them out.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
from collections.abc import Mapping
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from desktop_app.core import settings
from desktop_app.core.db import Database
from desktop_app.core.documents.catalog import (
    OFFICE,
    SIGNER,
    DocumentType,
    IncompleteDocument,
    document_type,
    find_missing,
)
from desktop_app.core.documents.kinds import Build, kind_of
from desktop_app.core.documents.kinds.card import CARD_CODE, CARD_TYPE, DRAFT_CARD_NUMBER
from desktop_app.core.documents.kinds.generic import GENERIC_KIND
from desktop_app.core.documents.kinds.generic import KIND as GENERIC
from desktop_app.core.errors import ValidationError
from desktop_app.core.models import Case, User, UserRole
from desktop_app.core.roles import ADMIN, KADIS, role_label
from desktop_app.core.sop import DocumentSpec, Sop
from desktop_app.core.sop_versions import sop_of_case

__all__ = [
    "CARD_CODE",
    "CARD_TYPE",
    "DRAFT_CARD_NUMBER",
    "DRAFT_NUMBER",
    "EMBLEM_SETTING",
    "QR_PREFIX",
    "build_context",
    "check_complete",
    "context_hash",
    "doc_type_for",
    "emblem_data_uri",
    "install_placeholder_emblem",
    "located_missing",
    "office_block",
    "render_context",
    "save_emblem",
    "signer_block",
]

DRAFT_NUMBER = "(nomor diberikan saat ditandatangani)"
"""What a draft shows where its number will go."""

EMBLEM_SETTING = "office_emblem"
"""Setting key of the city emblem: ``{"mime": ..., "data": base64, "filename": ...}``."""

EMBLEM_MIME = {"image/png", "image/jpeg", "image/svg+xml"}
MAX_EMBLEM_BYTES = 1024 * 1024

QR_PREFIX = "PAGARALAM-TK:"
"""The QR payload of a signed document is ``QR_PREFIX + verification code``, or the office's
verification URL followed by the code when the profile has one (:func:`verification_qr`)."""


def verification_qr(db: Database, code: str) -> str:
    """What a signed document's QR holds: ``<url_verifikasi>/<code>`` when the office profile
    names its verification page, else ``PAGARALAM-TK:<code>``; both are read back by
    ``verify --code``, the Verifikasi window and the counter's Cek Status Berkas."""
    from desktop_app.core.settings import office_profile

    url = str(office_profile(db).get("url_verifikasi") or "").strip().rstrip("/")
    return f"{url}/{code}" if url else f"{QR_PREFIX}{code}"

_MISSING = object()

# ----------------------------------------------------------------------------- office


def emblem_data_uri(db: Database) -> str | None:
    """The emblem stored in the settings as a data URI, or None when none was uploaded."""
    from desktop_app.core.documents.renderer import data_uri

    value = settings.get_setting(db, EMBLEM_SETTING)
    if not value or not value.get("data"):
        return None
    return data_uri(base64.b64decode(value["data"]), value.get("mime") or "image/png")


def save_emblem(db: Database, actor: Any, content: bytes | None, mime: str = "image/png",
                filename: str = "") -> None:
    """Store (or with ``content`` None remove) the city emblem; administrator only."""
    if content is None:
        settings.save_setting(db, actor, EMBLEM_SETTING, None)
        return
    if mime not in EMBLEM_MIME:
        raise ValidationError({"lambang": "Lambang harus berkas PNG, JPG atau SVG."})
    if not content:
        raise ValidationError({"lambang": "Berkas lambang kosong."})
    if len(content) > MAX_EMBLEM_BYTES:
        raise ValidationError({"lambang": "Berkas lambang terlalu besar (maks. 1 MB)."})
    if mime == "image/svg+xml" and b"<svg" not in content[:4096]:
        raise ValidationError({"lambang": "Berkas SVG tidak valid."})
    settings.save_setting(db, actor, EMBLEM_SETTING, {
        "mime": mime, "filename": filename[-200:],
        "data": base64.b64encode(content).decode("ascii"),
    })


def install_placeholder_emblem(db: Database) -> None:
    """Demo data: the drawn placeholder shield as the emblem, unless one is stored already."""
    from desktop_app.resources import resource_path

    if emblem_data_uri(db) is not None:
        return
    path = resource_path("images", "lambang_placeholder.svg")
    save_emblem(db, None, path.read_bytes(), "image/svg+xml", path.name)


def office_block(db: Database) -> dict[str, Any]:
    """The ``office`` part of every context: the profile setting plus the emblem."""
    profile = settings.office_profile(db)
    keys = [path.split(".", 1)[1] for path, _ in OFFICE] + ["bidang", "kode_wilayah"]
    out = {key: (str(profile.get(key) or "").strip() or None) for key in keys}
    out["emblem"] = emblem_data_uri(db)
    return out


# ----------------------------------------------------------------------------- helpers


def doc_type_for(code: str) -> DocumentType:
    """The registered type for ``code`` (also :data:`CARD_TYPE`, the AK/I card, which the
    catalog leaves out), or a generic letter's type."""
    found = kind_of(code)
    return found[1] if found else document_type(code)


_ACRONYMS = {"BPJS", "JHT", "JKK", "JK", "JKM", "AK/I", "(AK/I)", "HI", "P3MI", "CPMI", "(JHT)",
             "(JKK"}
_SMALL = {"DAN", "UNTUK", "DI", "KE", "DARI", "YANG", "ATAU"}


def service_name(sop: Sop) -> str:
    """The SOP's (upper-case) name in title case, keeping acronyms: "Penerbitan Kartu …"."""
    words = []
    for i, word in enumerate(sop.name.split()):
        bare = word.strip("()")
        if word in _ACRONYMS or bare in {w.strip("()") for w in _ACRONYMS}:
            words.append(word)
        elif i and word in _SMALL:
            words.append(word.lower())
        else:
            words.append(word[:1] + word[1:].lower())
    return " ".join(words)


def strip_title(value: Any, *titles: str) -> str:
    """``value`` without a leading ``titles`` phrase (case-insensitive), so a template that
    prints the title itself never doubles it: "Kepala Kantor Imigrasi Kelas III …" →
    "Kelas III …"."""
    text = " ".join(str(value or "").split())
    for title in titles:
        if text.lower().startswith(title.lower() + " "):
            return text[len(title) + 1:].strip()
    return text


def _parse_date(value: Any) -> Any:
    if isinstance(value, str) and len(value) == 10:
        try:
            return date.fromisoformat(value)
        except ValueError:
            return value
    return value


_JK = {"L": "Laki-laki", "P": "Perempuan"}


def _typed_data(sop: Sop, raw: Mapping[str, Any]) -> dict[str, Any]:
    """The intake data with dates as ``date`` objects and L/P spelled out."""
    data = {k: v for k, v in raw.items() if not k.startswith("_")}
    for f in sop.fields:
        value = data.get(f.name)
        if value is None:
            continue
        if f.type == "date":
            data[f.name] = _parse_date(value)
        elif f.type == "list" and isinstance(value, list):
            rows = []
            for row in value:
                row = dict(row) if isinstance(row, Mapping) else {"nama": row}
                for col in f.columns:
                    if col.type == "date":
                        row[col.name] = _parse_date(row.get(col.name))
                rows.append(row)
            data[f.name] = rows
    if data.get("jenis_kelamin") in _JK:
        data["jenis_kelamin"] = _JK[data["jenis_kelamin"]]
    return data


def _official_users(s: Session, roles: tuple[str, ...]) -> list[tuple[str, User]]:
    """Active users holding one of ``roles``, in the order of ``roles`` then id."""
    if not roles:
        return []
    rows = s.execute(
        select(UserRole.role, User).join(User, User.id == UserRole.user_id)
        .where(UserRole.role.in_(roles), User.is_active.is_(True)).order_by(User.id)
    ).all()
    order = {r: i for i, r in enumerate(roles)}
    return sorted(((r, u) for r, u in rows if r != ADMIN), key=lambda ru: order[ru[0]])


def _user_signature_image(user: User) -> str | None:
    from desktop_app.core.documents.renderer import data_uri

    image = user.signature_image
    if not image:
        return None
    mime = "image/svg+xml" if image.lstrip()[:5] in (b"<svg ", b"<?xml") else (
        "image/jpeg" if image[:3] == b"\xff\xd8\xff" else "image/png")
    return data_uri(image, mime)


# Who signs documents whose SOP entry names no sign lane, and whether "a.n." applies.
_DEFAULT_SIGNER_ROLE = "kabid"


def signer_roles(sop: Sop, spec: DocumentSpec | None) -> tuple[str, ...]:
    """The roles whose holder signs the document (the spec's sign lane, else the Kabid)."""
    if spec is not None and spec.sign_lane:
        return sop.roles_of_lane(spec.sign_lane)
    return (_DEFAULT_SIGNER_ROLE,)


def signer_block(s: Session, db: Database, sop: Sop, doc_spec: DocumentSpec | None, *,
                 signer: User | None = None, acting_for_user: User | None = None,
                 delegation_kind: str | None = None) -> dict[str, Any]:
    """The ``signature`` part of the context: the official who signs ``doc_spec``.

    Without ``signer`` it is the user holding the sign lane's role (the Kepala Dinas for
    ``"kadis"``). With ``acting_for_user`` and ``delegation_kind`` ("Plh."/"Plt.") the
    deputy ``signer`` signs under the principal's position: "Plh. Kepala Bidang …" with the
    deputy's name, rank and NIP. An official below the Kepala Dinas signs letters and the
    card "a.n." the Kepala Dinas. ``_official`` names who to complete in the user menu.
    """
    code = doc_spec.code if doc_spec else ""
    roles = signer_roles(sop, doc_spec)
    holder_role = roles[0] if roles else _DEFAULT_SIGNER_ROLE
    if signer is None:
        found = _official_users(s, roles)
        with_nip = [(r, u) for r, u in found if u.nip]
        chosen = (with_nip or found or [None])[0]
        if chosen is not None:
            holder_role, signer = chosen
    principal = acting_for_user if (acting_for_user is not None and delegation_kind) else None
    position_user = principal or signer
    official = role_label(holder_role)
    if signer is not None:
        if principal is not None:
            official = signer.full_name
        elif signer.role_codes & set(roles):
            holder_role = sorted(signer.role_codes & set(roles), key=roles.index)[0]
            official = role_label(holder_role)
        else:
            official = signer.full_name
    block: dict[str, Any] = {
        "jabatan": (position_user.jabatan if position_user else None) or None,
        "atas_nama": principal and delegation_kind,
        "kuasa": None,
        "jabatan_atas_nama": None,
        "nama": signer.full_name if signer else None,
        "pangkat": (signer.pangkat if signer else None) or None,
        "nip": (signer.nip if signer else None) or None,
        "signed": False,
        "image": None,
        "qr_payload": None,
        "_official": official,
        "_no_user": signer is None,
        "_user_id": signer.id if signer else None,
    }
    doc_type = doc_type_for(code) if code else None
    outgoing = doc_type is not None and (doc_type.is_letter or code == CARD_CODE)
    principal_roles = principal.role_codes if principal else (
        signer.role_codes if signer else {holder_role})
    if outgoing and KADIS not in principal_roles:
        # Below the Kepala Dinas an outgoing letter (and the card) is signed "a.n." the
        # Kepala Dinas, also by a Plh./Plt. of that official: "a.n. Kepala Dinas …," then
        # "Plh. Kepala Bidang …,".
        kadis = _official_users(s, (KADIS,))
        block["kuasa"] = block["atas_nama"] if principal is not None else None
        block["atas_nama"] = "a.n."
        block["jabatan_atas_nama"] = (kadis[0][1].jabatan if kadis else None) or None
    return block


# ----------------------------------------------------------------------------- context


def _hal(code: str, sop: Sop) -> str:
    spec = sop.document(code)
    if spec is not None and spec.kind == GENERIC_KIND:
        return spec.hal
    found = kind_of(code)
    hal = found[0].hal.get(code) if found else None
    return hal or (spec.title if spec else code)


def hal_of(code: str, sop: Sop) -> str:
    """The "Hal" (subject line) of document ``code`` of ``sop``, as its letter prints it."""
    return _hal(code, sop)


def build_context(s: Session, db: Database, case: Case, doc_code: str, seq: int = 1, *,
                  number: str | None = None, signature: Mapping[str, Any] | None = None,
                  today: date | None = None, verification_code: str | None = None,
                  ) -> dict[str, Any]:
    """The template context of document ``doc_code`` (meeting ``seq``) for ``case``.

    ``number`` None gives a draft (the number placeholder); ``signature`` overrides keys of
    the default signature block (the signing service passes ``signed``, ``image``,
    ``qr_payload`` and, for a deputy, the deputy's details). ``verification_code`` prints
    the verification footer (signed documents only).
    """
    sop = sop_of_case(s, case)
    spec = sop.document(doc_code)
    doc_type_for(doc_code)  # KeyError with an Indonesian message for unknown codes
    today = today or db.now().date()
    data = _typed_data(sop, case.data or {})
    doc_settings = settings.get_setting(db, settings.DOCUMENTS)
    data.setdefault("kantor_cabang_bpjs", None)
    if not data.get("kantor_cabang_bpjs"):
        data["kantor_cabang_bpjs"] = doc_settings.get("kantor_cabang_bpjs") or "Lahat"
    # The templates print "Kepala Kantor Cabang BPJS Ketenagakerjaan {branch}": keep the branch.
    data["kantor_cabang_bpjs"] = re.sub(
        r"^(kepala\s+)?(kantor\s+cabang\s+)?(bpjs\s+ketenagakerjaan\s+)?", "",
        str(data["kantor_cabang_bpjs"]).strip(), flags=re.IGNORECASE) or "Lahat"
    if data.get("kantor_imigrasi"):
        # The template prints "Kepala Kantor Imigrasi {value}": the value may already carry
        # the title (the SOP's default did), never print it twice.
        data["kantor_imigrasi"] = strip_title(data["kantor_imigrasi"],
                                              "Kepala Kantor Imigrasi", "Kantor Imigrasi")
    if not data.get("jabatan_pimpinan"):
        data["jabatan_pimpinan"] = "Pimpinan Perusahaan"

    unsigned = spec is not None and (not spec.signed or (
        not spec.sign_lane and not spec.paraf_lanes and not doc_type_for(doc_code).needs_signer
        and doc_type_for(doc_code).is_letter))
    sig: dict[str, Any] | None = None if unsigned else signer_block(s, db, sop, spec)
    if signature and sig is not None:
        sig.update({k: v for k, v in signature.items()})
    ctx: dict[str, Any] = {
        "office": office_block(db),
        "document": {
            "nomor": number or DRAFT_NUMBER,
            "tanggal": today,
            "sifat": "Biasa",
            "lampiran": "-",
            "hal": _hal(doc_code, sop),
            "kode_verifikasi": verification_code,
        },
        "signature": sig,
        "tembusan": ["Arsip"],
        "case": {"register_number": case.register_number, "sop_code": case.sop_code,
                 "registered_at": case.registered_at},
        "data": data,
        "layanan": service_name(sop),
        "_hints": {},
    }
    person = data.get("nama") or data.get("nama_perusahaan")
    address = data.get("alamat") or data.get("alamat_perusahaan")
    if sop.subject == "company":
        person = data.get("nama_perusahaan")
        address = data.get("alamat_perusahaan")
    ctx["pemohon"] = {"nama": person, "alamat": address, "nik": data.get("nik"),
                      "telepon": data.get("telepon"),
                      # a company is addressed "Pimpinan CV …", never "Sdr." / "Saudara"
                      "perusahaan": sop.subject == "company"}

    found = kind_of(doc_code)
    kind = GENERIC if spec is not None and spec.kind == GENERIC_KIND else (
        found[0] if found else None)
    if kind is not None and kind.build is not None:
        kind.build(Build(s=s, db=db, case=case, sop=sop, spec=spec, code=doc_code, seq=seq,
                         number=number, today=today, data=data, doc_settings=doc_settings),
                   ctx)
    # An unsigned, unnumbered rendering of a document an official signs (draft, paraf copy)
    # is a KONSEP (a document nobody signs, the return letter, never is).
    if spec is not None and ctx["signature"] is not None \
            and not ctx["signature"].get("signed"):
        from desktop_app.core.documents.service import needs_number

        ctx["document"]["konsep"] = number is None and needs_number(sop, spec)
    ctx["_hints"] = _hints(sop, ctx)
    return ctx


# ----------------------------------------------------------------------------- checking

_SIGNER_WORDS = {"jabatan": "Jabatan", "nama": "Nama", "pangkat": "Pangkat/golongan",
                 "nip": "NIP", "jabatan_atas_nama": "Jabatan yang diwakili (a.n.)"}
_SETTINGS_PLACE = "menu Pengaturan › Dokumen & Kop Surat"
_DATA_PLACE = "tab Data Permohonan"


def _hints(sop: Sop, ctx: Mapping[str, Any]) -> dict[str, str]:
    """Where to fill each context path, for the missing-field message."""
    hints: dict[str, str] = {}
    sig = ctx.get("signature") or {}
    official = sig.get("_official") or "penanda tangan"
    for path, _label in SIGNER + [("signature.jabatan_atas_nama", "")]:
        word = _SIGNER_WORDS[path.split(".", 1)[1]]
        if sig.get("_no_user"):
            hints[path] = (f"{word} {official} (menu Pengguna: belum ada pengguna aktif "
                           f"dengan peran {official})")
        elif path.endswith("jabatan_atas_nama"):
            hints[path] = "Jabatan Kepala Dinas (menu Pengguna)"
        else:
            hints[path] = f"{word} {official} (menu Pengguna)"
    for path, label in OFFICE:
        hints[path] = f"{label} ({_SETTINGS_PLACE})" if path == "office.emblem" else \
            f"{label} (menu Pengaturan › Profil Kantor)"
    for f in sop.fields:
        hints[f"data.{f.name}"] = f"{f.label} ({_DATA_PLACE})"
        if f.type == "list":
            hints[f.name] = f"{f.label} ({_DATA_PLACE})"
        if f.name.startswith("laporan_"):
            hints[f"laporan.{f.name[8:]}"] = f"{f.label} ({_DATA_PLACE})"
    hints["card.photo"] = "Pas foto 3×4 (tab Lampiran)"
    # Derived values are named after the form field they come from (listed once).
    hints["contribution"] = hints.get("data.nilai_kontrak") or f"Nilai kontrak ({_DATA_PLACE})"
    name_field = "data.nama_perusahaan" if sop.subject == "company" else "data.nama"
    address_field = "data.alamat_perusahaan" if sop.subject == "company" else "data.alamat"
    hints["pemohon.nama"] = hints.get(name_field) or f"Nama pemohon ({_DATA_PLACE})"
    hints["pemohon.alamat"] = hints.get(address_field) or f"Alamat pemohon ({_DATA_PLACE})"
    hints["missing_requirements"] = "Persyaratan yang belum diserahkan (tab Persyaratan)"
    for path in ("meeting.ke", "meeting.tanggal", "meeting.tempat",
                 "meeting.pendapat_pekerja", "meeting.pendapat_pengusaha", "meeting.hasil"):
        hints[path] = "Risalah pertemuan bipartit (tindakan Catat Pertemuan Bipartit)"
    hints["meetings"] = "Risalah pertemuan bipartit (tindakan Catat Pertemuan Bipartit)"
    hints["isi_kesepakatan"] = "Isi kesepakatan (tindakan Catat Pertemuan Bipartit)"
    hints["petugas.nama"] = "Petugas penerima (menu Pengguna)"
    return hints


def _lookup(context: Any, path: str) -> Any:
    value = context
    for part in path.split("."):
        value = value.get(part, _MISSING) if isinstance(value, Mapping) else \
            getattr(value, part, _MISSING)
        if value is _MISSING or value is None:
            return _MISSING
    return value


def _empty(value: Any) -> bool:
    if value is _MISSING or value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    if isinstance(value, (list, tuple, dict, set)):
        return len(value) == 0
    return False


def located_missing(doc_code: str, ctx: Mapping[str, Any]) -> list[tuple[str, str]]:
    """(path, label-with-place) of every missing value of ``doc_code`` in ``ctx``."""
    if doc_code == CARD_CODE:
        missing = [(p, lbl) for p, lbl in CARD_TYPE.all_required()
                   if _empty(_lookup(ctx, p))]
        sig = ctx.get("signature") or {}
        if sig.get("atas_nama") == "a.n." and _empty(sig.get("jabatan_atas_nama")):
            missing.append(("signature.jabatan_atas_nama", "Jabatan yang diwakili (a.n.)"))
    else:
        missing = find_missing(doc_code, ctx)
    if doc_code == "laporan_pelatihan":
        present = (ctx.get("laporan") or {}).get("jumlah_hadir")
        listed = len(ctx.get("peserta") or [])
        if isinstance(present, int) and present > listed:
            missing.append(("laporan.jumlah_hadir:peserta",
                            f"Jumlah peserta hadir ({present}) melebihi peserta terdaftar "
                            f"({listed}); perbaiki Jumlah peserta hadir atau Daftar peserta "
                            f"({_DATA_PLACE})"))
    hints = ctx.get("_hints") or {}
    out: list[tuple[str, str]] = []
    seen: set[str] = set()
    for path, label in missing:  # two paths filled at one place are listed once
        text = hints.get(path, label)
        if text not in seen:
            seen.add(text)
            out.append((path, text))
    return out


def check_complete(doc_code: str, ctx: Mapping[str, Any]) -> None:
    """Raise :class:`IncompleteDocument` (labels say where to fill) unless complete."""
    missing = located_missing(doc_code, ctx)
    if missing:
        raise IncompleteDocument(doc_type_for(doc_code), missing)


def _public(ctx: Mapping[str, Any]) -> dict[str, Any]:
    return {k: (_public(v) if isinstance(v, Mapping) else v)
            for k, v in ctx.items() if not str(k).startswith("_")}


def render_context(doc_code: str, ctx: Mapping[str, Any], paper: str | None = None) -> bytes:
    """Check ``ctx`` and render the document to PDF bytes (the card via :mod:`card`)."""
    check_complete(doc_code, ctx)
    clean = _public(ctx)
    from desktop_app.core.documents.renderer import MissingDocumentData, render_pdf

    try:
        if doc_code == CARD_CODE:
            from desktop_app.core.documents.card import render_card_pdf

            return render_card_pdf(clean)
        doc_type = document_type(doc_code)
        return render_pdf(doc_type.template, clean, paper=paper or doc_type.paper)
    except MissingDocumentData as exc:
        raise _located(doc_code, ctx, exc) from exc


def _located(doc_code: str, ctx: Mapping[str, Any], exc: Exception) -> Exception:
    """A template's missing value named as the form labels it and where it is filled,
    never by its internal key ("nilai 'rt' tidak ada" → "RT (tab Data Permohonan)")."""
    found = re.search(r"nilai '([^']+)'", str(exc))
    if not found:
        return exc
    key = found.group(1)
    hints = ctx.get("_hints") or {}
    label = next((text for path, text in hints.items()
                  if path == key or path.endswith("." + key)), None)
    if label is None:
        label = f"{key.replace('_', ' ').capitalize()} ({_DATA_PLACE})"
    return IncompleteDocument(doc_type_for(doc_code), [(key, label)])


_VOLATILE = {("document", "tanggal"), ("document", "nomor"), ("document", "kode_verifikasi"),
             ("document", "konsep"), ("document", "batal"),
             ("signature", "signed"), ("signature", "image"), ("signature", "qr_payload"),
             ("card", "nomor_pencari_kerja")}


def _canonical(value: Any) -> Any:
    if isinstance(value, Mapping):
        return {str(k): _canonical(v) for k, v in sorted(value.items(), key=lambda kv: str(kv[0]))}
    if isinstance(value, (list, tuple)):
        return [_canonical(v) for v in value]
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if hasattr(value, "__dataclass_fields__"):
        from dataclasses import asdict

        return _canonical(asdict(value))
    return value


def context_hash(ctx: Mapping[str, Any], paper: str = "") -> str:
    """SHA-256 of the canonical JSON of ``ctx`` without the volatile parts (date, number,
    verification code, signature stamp) and the private ``_`` keys."""
    clean = _public(ctx)
    for outer, inner in _VOLATILE:
        if isinstance(clean.get(outer), dict):
            clean[outer] = {k: v for k, v in clean[outer].items() if k != inner}
    payload = json.dumps({"ctx": _canonical(clean), "paper": paper}, ensure_ascii=False,
                         sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()
