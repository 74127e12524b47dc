"""Intake data: check what was typed into an SOP's form and turn it into clean, storable values.

Every problem is reported at once, per field, in Indonesian; nothing is written when any field
is wrong. Dates are stored as ISO text inside the case's JSON data.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from desktop_app.core.errors import ValidationError
from desktop_app.core.nik import NikError, check_nik_matches, normalize_nik, parse_nik
from desktop_app.core.sop import IntakeField, Sop
from desktop_app.core.textcheck import clean_text

DEFAULT_TEXT_MAX = 200
DEFAULT_TEXTAREA_MAX = 4000
MAX_LIST_ROWS = 2000
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_PHONE = re.compile(r"^\+?[0-9][0-9 \-]{5,19}$")


def _empty(value: Any) -> bool:
    # "\x00" or a lone surrogate is empty too once cleaned: a required field then says so
    # (it reached the NOT NULL column as "" -> None before).
    return value is None or (isinstance(value, str) and not clean_text(value).strip()) \
        or value == []


def parse_date(value: Any) -> date:
    """Accept a date, an ISO string or a dd-mm-yyyy / dd/mm/yyyy string."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = str(value).strip()
    for fmt in ("%Y-%m-%d", "%d-%m-%Y", "%d/%m/%Y"):
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise ValueError("Tanggal tidak valid (contoh: 28-11-2026).")


def _clean_value(f: IntakeField, value: Any, today: date) -> Any:
    """Return the clean value, or raise ValueError with the message for the field."""
    t = f.type
    if t in ("text", "textarea", "phone", "email", "choice"):
        # NUL bytes, lone surrogates and non-characters cannot be stored: dropped here.
        text = clean_text(str(value)).strip()
        limit = f.max_length or (DEFAULT_TEXTAREA_MAX if t == "textarea" else DEFAULT_TEXT_MAX)
        length = max(len(text), len(text.lower()))  # also after case-folding (search keys)
        if length > limit:
            raise ValueError(f"Terlalu panjang: {length} karakter (maks. {limit}).")
        if t == "email" and not _EMAIL.match(text):
            raise ValueError("Alamat e-mail tidak valid.")
        if t == "phone" and not _PHONE.match(text):
            raise ValueError("Nomor telepon hanya angka (boleh diawali +), 6–20 digit.")
        if t == "choice" and text not in f.choices:
            raise ValueError(f"Pilih salah satu: {', '.join(f.choices)}.")
        return text
    if t == "nik":
        nik = normalize_nik(clean_text(str(value)))
        try:
            parse_nik(nik, today)
        except NikError as exc:
            raise ValueError(str(exc)) from None
        return nik
    if t == "date":
        d = parse_date(value)
        if not date(1900, 1, 1) <= d <= date(today.year + 20, 12, 31):
            raise ValueError("Tanggal di luar rentang yang masuk akal.")
        return d.isoformat()
    if t in ("money", "integer"):
        if isinstance(value, bool):
            raise ValueError("Harus berupa angka.")
        if isinstance(value, int):
            n = value
        else:
            text = str(value).strip().replace("Rp", "").replace(" ", "")
            if t == "money":
                text = text.replace(".", "").replace(",00", "")
            try:
                dec = Decimal(clean_text(text))
            except InvalidOperation:
                raise ValueError("Harus berupa angka.") from None
            if not dec.is_finite():  # "Infinity", "NaN", "sNaN"
                raise ValueError("Harus berupa angka.")
            if dec != dec.to_integral_value():
                raise ValueError("Harus bilangan bulat.")
            n = int(dec)
        if n < 0:
            raise ValueError("Tidak boleh negatif.")
        if n > 10**15:
            raise ValueError("Angka terlalu besar.")
        return n
    raise ValueError(f"jenis isian tidak dikenal: {t}")


def clean_intake(sop: Sop, data: Mapping[str, Any], *, today: date,
                 partial: bool = False) -> dict[str, Any]:
    """Validate ``data`` against the SOP's intake fields and return the cleaned values.

    Raises :class:`ValidationError` naming every wrong field (list rows as
    ``peserta[2].nik``). With ``partial`` only the given fields are checked (later edits).
    """
    errors: dict[str, str] = {}
    clean: dict[str, Any] = {}
    known = {f.name for f in sop.fields}
    for name in data:
        if name not in known:
            errors[name] = "Isian tidak dikenal untuk layanan ini."
    for f in sop.fields:
        if partial and f.name not in data:
            continue
        value = data.get(f.name, f.default)
        if f.type == "list":
            rows = value or []
            if not isinstance(rows, list):
                errors[f.name] = "Harus berupa daftar."
                continue
            if len(rows) > MAX_LIST_ROWS:
                errors[f.name] = f"Terlalu banyak baris (maks. {MAX_LIST_ROWS})."
                continue
            if f.required and not rows:
                errors[f.name] = f"{f.label} wajib diisi."
                continue
            clean_rows = []
            for i, row in enumerate(rows):
                clean_row = {}
                for col in f.columns:
                    v = row.get(col.name) if isinstance(row, Mapping) else None
                    key = f"{f.name}[{i}].{col.name}"
                    if _empty(v):
                        if col.required:
                            errors[key] = f"{col.label} wajib diisi."
                        clean_row[col.name] = None
                        continue
                    try:
                        clean_row[col.name] = _clean_value(col, v, today)
                    except ValueError as exc:
                        errors[key] = str(exc)
                clean_rows.append(clean_row)
            clean[f.name] = clean_rows
            continue
        if _empty(value):
            if f.required:
                errors[f.name] = f"{f.label} wajib diisi."
            clean[f.name] = None
            continue
        try:
            clean[f.name] = _clean_value(f, value, today)
        except ValueError as exc:
            errors[f.name] = str(exc)
    # The NIK carries the birth date and sex: they must agree with the form.
    nik = clean.get("nik")
    if nik and "nik" not in errors:
        birth = clean.get("tanggal_lahir")
        sex = clean.get("jenis_kelamin")
        mismatch = check_nik_matches(nik, date.fromisoformat(birth) if birth else None, sex)
        for key, msg in mismatch.items():
            errors.setdefault(key, msg)
        if birth and date.fromisoformat(birth) > today:
            errors.setdefault("tanggal_lahir", "Tanggal lahir tidak boleh di masa depan.")
    # Attendance cannot exceed the participants registered (training report).
    present, listed = clean.get("laporan_jumlah_hadir"), clean.get("peserta")
    if isinstance(present, int) and isinstance(listed, list) and listed \
            and present > len(listed) and "laporan_jumlah_hadir" not in errors:
        errors["laporan_jumlah_hadir"] = (
            f"Jumlah peserta hadir ({present}) melebihi peserta terdaftar ({len(listed)}).")
    if errors:
        raise ValidationError(errors)
    return clean


def case_title(sop: Sop, data: Mapping[str, Any]) -> str:
    """What the case list shows as the applicant: person, company or training name."""
    key = {"person": "nama", "company": "nama_perusahaan", "training": "nama_pelatihan"}[
        sop.subject]
    return clean_text(str(data.get(key) or "")).strip()[:200] or "(tanpa nama)"
