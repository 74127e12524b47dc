"""Indonesian formatting of dates, money, numbers in words, durations and NIPs.

Everything is spelled out here so the output never depends on the PC's locale settings.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal

__all__ = [
    "BULAN",
    "HARI",
    "bulan",
    "durasi",
    "format_nip",
    "hari",
    "hari_tanggal",
    "rupiah",
    "tanggal",
    "tanggal_jam",
    "terbilang",
    "terbilang_rupiah",
]

BULAN: tuple[str, ...] = (
    "Januari",
    "Februari",
    "Maret",
    "April",
    "Mei",
    "Juni",
    "Juli",
    "Agustus",
    "September",
    "Oktober",
    "November",
    "Desember",
)

HARI: tuple[str, ...] = ("Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu")
"""Day names indexed by :meth:`date.weekday` (Monday = 0)."""


def bulan(n: int) -> str:
    """Month name, ``bulan(11) == "November"``."""
    if not 1 <= n <= 12:
        raise ValueError(f"Bulan harus 1–12, bukan {n}")
    return BULAN[n - 1]


def hari(d: date) -> str:
    """Day name, e.g. ``"Sabtu"``."""
    return HARI[d.weekday()]


def tanggal(d: date) -> str:
    """``"28 November 2026"`` (also accepts a datetime; the time is ignored)."""
    return f"{d.day} {BULAN[d.month - 1]} {d.year}"


def hari_tanggal(d: date) -> str:
    """``"Sabtu, 28 November 2026"``."""
    return f"{hari(d)}, {tanggal(d)}"


def tanggal_jam(dt: datetime) -> str:
    """``"28 November 2026 14:05"``."""
    return f"{tanggal(dt)} {dt.hour:02d}:{dt.minute:02d}"


def _whole_rupiah(amount: int | Decimal | float) -> int:
    if isinstance(amount, bool):
        raise TypeError("Jumlah uang tidak boleh bertipe bool")
    if isinstance(amount, int):
        return amount
    if isinstance(amount, float):
        amount = Decimal(str(amount))
    return int(Decimal(amount).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def _group_thousands(n: int) -> str:
    return f"{n:,}".replace(",", ".")


def rupiah(amount: int | Decimal) -> str:
    """``"Rp 1.234.567"``; negative ``"-Rp 1.234"``; fractions rounded half-up."""
    value = _whole_rupiah(amount)
    sign = "-" if value < 0 else ""
    return f"{sign}Rp {_group_thousands(abs(value))}"


_SATUAN = (
    "",
    "satu",
    "dua",
    "tiga",
    "empat",
    "lima",
    "enam",
    "tujuh",
    "delapan",
    "sembilan",
)
_SCALES = ((10**12, "triliun"), (10**9, "miliar"), (10**6, "juta"))


def _below_thousand(n: int) -> list[str]:
    words: list[str] = []
    hundreds, rest = divmod(n, 100)
    if hundreds == 1:
        words.append("seratus")
    elif hundreds > 1:
        words += [_SATUAN[hundreds], "ratus"]
    if rest == 10:
        words.append("sepuluh")
    elif rest == 11:
        words.append("sebelas")
    elif 12 <= rest <= 19:
        words += [_SATUAN[rest - 10], "belas"]
    elif rest >= 20:
        tens, ones = divmod(rest, 10)
        words += [_SATUAN[tens], "puluh"]
        if ones:
            words.append(_SATUAN[ones])
    elif rest > 0:
        words.append(_SATUAN[rest])
    return words


def _words(n: int) -> list[str]:
    words: list[str] = []
    for scale, name in _SCALES:
        count, n = divmod(n, scale)
        if count:
            words += _below_thousand(count) + [name]
    thousands, n = divmod(n, 1000)
    if thousands == 1:
        words.append("seribu")
    elif thousands > 1:
        words += _below_thousand(thousands) + ["ribu"]
    words += _below_thousand(n)
    return words


def terbilang(n: int) -> str:
    """A whole number in Indonesian words: ``terbilang(1100) == "seribu seratus"``.

    Supports values below one quadrillion (``10**15``); ``0`` is ``"nol"`` and negative
    numbers start with ``"minus"``.
    """
    if isinstance(n, bool) or not isinstance(n, int):
        raise TypeError("terbilang() hanya menerima bilangan bulat")
    if abs(n) >= 10**15:
        raise ValueError("Angka terlalu besar untuk ditulis terbilang (maksimal ratusan triliun)")
    if n == 0:
        return "nol"
    text = " ".join(_words(abs(n)))
    return f"minus {text}" if n < 0 else text


def terbilang_rupiah(n: int | Decimal, capital: bool = False) -> str:
    """``"dua juta sembilan ratus lima puluh ribu rupiah"``; ``capital`` capitalises the
    first letter (for the "Terbilang:" line of a letter). Fractions are rounded half-up."""
    text = f"{terbilang(_whole_rupiah(n))} rupiah"
    return text[0].upper() + text[1:] if capital else text


def durasi(minutes: int, minutes_per_day: int = 480) -> str:
    """A duration in words: ``"5 menit"``, ``"2 jam 10 menit"``, ``"3 hari 1 jam"``.

    ``minutes_per_day`` is how many minutes make one "hari" (default 480, i.e. 8 hours;
    pass the office's working minutes per day when showing working time). Zero parts are
    left out; zero is ``"0 menit"``; negative durations get a leading ``"-"``.
    """
    if minutes_per_day <= 0:
        raise ValueError("minutes_per_day harus lebih dari 0")
    sign = "-" if minutes < 0 else ""
    days, rest = divmod(abs(int(minutes)), minutes_per_day)
    hours, mins = divmod(rest, 60)
    parts = [
        f"{value} {unit}"
        for value, unit in ((days, "hari"), (hours, "jam"), (mins, "menit"))
        if value
    ]
    return sign + (" ".join(parts) if parts else "0 menit")


def format_nip(nip: str) -> str:
    """An 18-digit civil-servant NIP grouped 8-6-1-3: ``"19691016 199503 1 001"``
    (birth date, appointment year-month, sex, serial). Anything else comes back unchanged."""
    if not isinstance(nip, str):
        return nip
    digits = "".join(nip.split())
    if len(digits) != 18 or not digits.isascii() or not digits.isdigit():
        return nip
    return f"{digits[:8]} {digits[8:14]} {digits[14]} {digits[15:]}"
