"""Read an Indonesian NIK (Nomor Induk Kependudukan) and check it against a form.

A NIK has 16 digits: province (2), city/regency (2), district/kecamatan (2), birth date as
DDMMYY where women add 40 to the day, and a 4-digit serial that is never ``0000``. NIKs from
any region are accepted; :attr:`NikInfo.is_pagar_alam` tells whether it was issued by Kota
Pagar Alam (Kemendagri code 16.72 — BPS uses 1673, which is *not* used here).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime

__all__ = [
    "KECAMATAN_PAGAR_ALAM",
    "PAGAR_ALAM_CITY_CODE",
    "NikError",
    "NikInfo",
    "check_nik_matches",
    "kecamatan_name",
    "normalize_nik",
    "parse_nik",
]

PAGAR_ALAM_CITY_CODE = "1672"
"""Kemendagri province+city code of Kota Pagar Alam."""

KECAMATAN_PAGAR_ALAM: dict[str, str] = {
    "16.72.01": "Pagar Alam Utara",
    "16.72.02": "Pagar Alam Selatan",
    "16.72.03": "Dempo Utara",
    "16.72.04": "Dempo Selatan",
    "16.72.05": "Dempo Tengah",
}

_SEPARATORS = re.compile(r"[\s.]+")
_SIXTEEN_DIGITS = re.compile(r"[0-9]{16}")


class NikError(ValueError):
    """The text is not a valid NIK; the message is for the clerk (Bahasa Indonesia)."""


@dataclass(frozen=True)
class NikInfo:
    """What a valid NIK says about its holder."""

    nik: str
    province: str
    city: str
    district: str
    birth_date: date
    sex: str  # "L" (laki-laki) or "P" (perempuan)
    serial: str

    @property
    def region_code(self) -> str:
        """Kemendagri region code of the kecamatan, e.g. ``"16.72.01"``."""
        return f"{self.province}.{self.city}.{self.district}"

    @property
    def is_pagar_alam(self) -> bool:
        """True when the NIK was issued in Kota Pagar Alam (16.72)."""
        return self.province + self.city == PAGAR_ALAM_CITY_CODE


def normalize_nik(nik: str) -> str:
    """The NIK without the spaces and dots people type to group its digits."""
    return _SEPARATORS.sub("", nik or "")


def parse_nik(nik: str, today: date | None = None) -> NikInfo:
    """Split and check a NIK; raise :class:`NikError` when it cannot be a real one.

    The two-digit birth year is put in the latest century that does not place the birth
    after ``today`` (default: the current date).
    """
    if not isinstance(nik, str):
        raise NikError("NIK harus 16 digit angka")
    digits = normalize_nik(nik)
    if not _SIXTEEN_DIGITS.fullmatch(digits):
        raise NikError("NIK harus 16 digit angka")
    province, city, district = digits[0:2], digits[2:4], digits[4:6]
    if province == "00" or city == "00" or district == "00":
        raise NikError("Kode wilayah dalam NIK tidak valid")
    serial = digits[12:16]
    if serial == "0000":
        raise NikError("Nomor urut NIK tidak boleh 0000")

    day, month, yy = int(digits[6:8]), int(digits[8:10]), int(digits[10:12])
    sex = "L"
    if day > 40:
        sex = "P"
        day -= 40
    birth = _birth_date(day, month, yy, today or date.today())
    if birth is None:
        raise NikError("Tanggal lahir dalam NIK tidak valid")
    return NikInfo(
        nik=digits,
        province=province,
        city=city,
        district=district,
        birth_date=birth,
        sex=sex,
        serial=serial,
    )


def _birth_date(day: int, month: int, yy: int, today: date) -> date | None:
    # Newest century first: a NIK of someone born in 2005 reads "05", not 1905.
    century = today.year // 100 * 100
    for base in (century, century - 100):
        try:
            candidate = date(base + yy, month, day)
        except ValueError:
            continue  # e.g. 29-02-00 is valid in 2000 but not in 1900
        if candidate <= today:
            return candidate
    return None


_SEX_WORDS = {
    "l": "L",
    "lk": "L",
    "laki-laki": "L",
    "laki laki": "L",
    "pria": "L",
    "p": "P",
    "pr": "P",
    "perempuan": "P",
    "wanita": "P",
}

_SEX_NAMES = {"L": "laki-laki", "P": "perempuan"}


def check_nik_matches(nik: str, birth_date: date | None, sex: str | None) -> dict[str, str]:
    """Compare a NIK with the birth date and sex written on a form.

    Returns ``{field: message}`` for each disagreement (fields ``"tanggal_lahir"`` and
    ``"jenis_kelamin"``), or ``{"nik": message}`` when the NIK itself is invalid; an empty
    dict means the form agrees with the NIK. A value left empty (``None``) is not checked.
    The birth date is compared on day, month and two-digit year, so the century the NIK
    cannot tell does not produce a false alarm.
    """
    try:
        info = parse_nik(nik)
    except NikError as exc:
        return {"nik": str(exc)}
    problems: dict[str, str] = {}
    if birth_date is not None:
        if isinstance(birth_date, datetime):
            birth_date = birth_date.date()
        nik_date = info.birth_date
        if (birth_date.day, birth_date.month, birth_date.year % 100) != (
            nik_date.day,
            nik_date.month,
            nik_date.year % 100,
        ):
            problems["tanggal_lahir"] = (
                "Tanggal lahir tidak sesuai dengan NIK "
                f"(menurut NIK: {nik_date.day:02d}-{nik_date.month:02d}-{nik_date.year % 100:02d})"
            )
    if sex is not None and sex.strip():
        code = _SEX_WORDS.get(sex.strip().lower())
        if code is None:
            problems["jenis_kelamin"] = f"Jenis kelamin tidak dikenali: {sex!r}"
        elif code != info.sex:
            problems["jenis_kelamin"] = (
                f"Jenis kelamin tidak sesuai dengan NIK (menurut NIK: {_SEX_NAMES[info.sex]})"
            )
    return problems


def kecamatan_name(info: NikInfo) -> str | None:
    """Name of the Pagar Alam kecamatan that issued the NIK, or ``None`` for other regions."""
    return KECAMATAN_PAGAR_ALAM.get(info.region_code)
