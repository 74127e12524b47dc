"""Office settings kept in the database: profile (kop surat), calendar, numbering, idle lock.

Each setting is one JSON value under a key; defaults apply until the administrator saves one.
"""

from __future__ import annotations

import copy
import re
from typing import Any

from desktop_app.core import audit
from desktop_app.core.auth import Actor, require_roles
from desktop_app.core.db import Database
from desktop_app.core.errors import ValidationError
from desktop_app.core.models import Setting
from desktop_app.core.office_calendar import OfficeCalendar
from desktop_app.core.office_time import ZONE_CHOICES, set_office_zone
from desktop_app.core.roles import ADMIN

OFFICE_PROFILE = "office_profile"
CALENDAR = "office_calendar"
NUMBERING = "numbering"
IDLE_LOCK_MINUTES = "idle_lock_minutes"
DOCUMENTS = "documents"

DEFAULTS: dict[str, Any] = {
    OFFICE_PROFILE: {
        # Kept in proper case; only the kop prints them in capitals (Tata Naskah Dinas).
        "pemerintah": "Pemerintah Kota Pagar Alam",
        "nama_dinas": "Dinas Penanaman Modal, Pelayanan Terpadu Satu Pintu dan Tenaga Kerja",
        "bidang": "Bidang Tenaga Kerja",
        "alamat": "Jl. Laskar Wanita No. 1, Pagar Alam",
        "telepon": "(0730) 621000",
        "website": "dpmptsptk.pagaralamkota.go.id",
        "email": "dpmptsptk@pagaralamkota.go.id",
        "kota": "Pagar Alam",
        "kode_pos": "31512",
        "kode_wilayah": "1672",
        # The office's clock (office_time): times are stored in UTC and shown in this zone.
        "zona_waktu": "Asia/Jakarta",
        # The office's verification page; when set, a signed letter's QR holds
        # "<url>/<code>" (a phone opens the page), else "PAGARALAM-TK:<code>".
        "url_verifikasi": "",
    },
    NUMBERING: {
        # Tata Naskah Dinas: {classification code}/{serial}/{unit}/{year}
        "letter_pattern": "{kode}/{nomor:04d}/{unit}/{tahun}",
        "unit": "TK",
        # Classification code per SOP (Permendagri 83/2022: labour is 500.15.x).
        "classification": {},
        "ak1_pattern": "{wilayah}-{tahun}-{nomor:05d}",
        # Where the serial comes from (docs/numbering.md): "klasifikasi" = one series per
        # classification code and year; "unit" = one outgoing-letter agenda per unit and year.
        "series": "klasifikasi",
    },
    IDLE_LOCK_MINUTES: 10,
    # The card's print offset is a printer's, not the office's: core.printing.profiles.
    # paspor_pas_foto: the office's passport recommendation form carries the CPMI's photo.
    DOCUMENTS: {"paper": "A4", "paspor_valid_months": 3, "paspor_pas_foto": True},
}


def get_setting(db: Database, key: str) -> Any:
    """The stored value of ``key``, or its default (dicts are merged over the default)."""
    cache_key = f"setting:{key}"
    if cache_key in db.cache:
        return copy.deepcopy(db.cache[cache_key])
    with db.read() as s:
        row = s.get(Setting, key)
        value = row.value if row is not None else None
    default = DEFAULTS.get(key)
    if isinstance(default, dict):
        merged = copy.deepcopy(default)
        merged.update(value or {})
        value = merged
    elif value is None:
        value = copy.deepcopy(default)
    db.cache[cache_key] = value
    return copy.deepcopy(value)


def save_setting(db: Database, actor: Actor | None, key: str, value: Any,
                 detail: dict[str, Any] | None = None) -> None:
    """Store a setting (administrator only, unless called by the system with ``actor`` None);
    ``detail`` goes into the audit event (e.g. which values changed)."""
    if actor is not None:
        require_roles(db, actor, [ADMIN], "save_setting", "setting", key)
    if key == CALENDAR:
        try:
            OfficeCalendar.from_dict(value)
        except (ValueError, KeyError, TypeError) as exc:
            raise ValidationError({"kalender": f"Pengaturan kalender tidak valid: {exc}"}) from None
    if key == OFFICE_PROFILE and isinstance(value, dict):
        value = _proper_profile(value)
        url = str(value.get("url_verifikasi") or "").strip()
        if url and not _VERIFY_URL.match(url):
            raise ValidationError({"url_verifikasi": "Isi alamat lengkap yang diawali https:// "
                                   "(tanpa spasi), atau kosongkan."})
        zone = value.get("zona_waktu")
        if zone is not None and zone not in ZONE_CHOICES:
            raise ValidationError({"zona_waktu": "Pilih zona waktu kantor: WIB, WITA atau WIT."})
    if key == IDLE_LOCK_MINUTES and (not isinstance(value, int) or not 0 <= value <= 240):
        raise ValidationError({"idle_lock_minutes": "Isi 0–240 menit (0 = tidak mengunci)."})
    if db.is_sqlite:
        from sqlalchemy.dialects.sqlite import insert
    else:
        from sqlalchemy.dialects.postgresql import insert
    # One upsert: two PCs saving a setting nobody saved before must not collide on its key.
    stmt = insert(Setting).values(key=key, value=value)
    stmt = stmt.on_conflict_do_update(index_elements=[Setting.key],
                                      set_={"value": stmt.excluded.value})
    with db.write() as s:
        s.execute(stmt)
        audit.record(s, at=db.now(), user_id=actor.user_id if actor else None,
                     username=actor.username if actor else "sistem", action="ubah_pengaturan",
                     entity="setting", entity_id=key, detail=detail)
    db.cache.pop(f"setting:{key}", None)
    db.cache.pop("calendar", None)
    if key == OFFICE_PROFILE:
        set_office_zone(get_setting(db, OFFICE_PROFILE).get("zona_waktu"))


def get_calendar(db: Database) -> OfficeCalendar:
    """The office calendar (working days, hours, holidays); cached per open database."""
    cal = db.cache.get("calendar")
    if cal is None:
        stored = get_setting(db, CALENDAR)
        cal = OfficeCalendar.from_dict(stored) if stored else OfficeCalendar()
        db.cache["calendar"] = cal
    return cal


_VERIFY_URL = re.compile(r"^https?://[^\s/]+\.[^\s/]+(/[^\s?#]*)?$")
_LOWER_WORDS = {"dan", "di", "ke", "dari", "untuk", "serta", "atau", "yang", "pada"}
_KEEP_UPPER = {"PTSP", "UPTD", "UPT", "BLK", "RI", "DPMPTSP", "DPMPTSPTK", "TK", "SDM"}
_NAME_KEYS = ("pemerintah", "nama_dinas", "bidang", "kota")


def proper_case(text: str) -> str:
    """An office name typed in capitals in proper case ("DINAS PENANAMAN MODAL, … DAN
    TENAGA KERJA" → "Dinas Penanaman Modal, … dan Tenaga Kerja"); acronyms stay. Text
    that is not all capitals is returned unchanged."""
    if not text or text != text.upper() or not any(c.isalpha() for c in text):
        return text
    words = []
    for i, word in enumerate(text.split()):
        bare = word.strip(",.;:()")
        if bare in _KEEP_UPPER:
            words.append(word)
        elif i and bare.lower() in _LOWER_WORDS:
            words.append(word.lower())
        else:
            words.append("-".join(p[:1] + p[1:].lower() for p in word.split("-")))
    return " ".join(words)


def _proper_profile(profile: dict[str, Any]) -> dict[str, Any]:
    out = dict(profile)
    for key in _NAME_KEYS:
        if isinstance(out.get(key), str):
            out[key] = proper_case(out[key].strip())
    return out


def office_profile(db: Database) -> dict[str, Any]:
    """The office profile with its names in proper case (stored ones typed in capitals
    included); templates capitalise them only in the kop."""
    return _proper_profile(get_setting(db, OFFICE_PROFILE))
