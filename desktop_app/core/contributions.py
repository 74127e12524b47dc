"""BPJS Ketenagakerjaan JKK + JKM contributions for construction projects (SOP 503/45).

When a project's wages are unknown the contribution is taken from the contract value,
*marginally* like income tax: each bracket's rate applies only to the part of the value
inside that bracket. The rates live in ``resources/data/iuran_jakon.toml`` together with
their legal basis; nothing here hard-codes a rate. "JK" in the seed means JKM
(Jaminan Kematian).
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from functools import cache
from pathlib import Path

from desktop_app.resources import resource_path

__all__ = [
    "BracketLine",
    "JakonBracket",
    "JakonContribution",
    "JakonTable",
    "compute_by_wages",
    "compute_jakon_contribution",
    "default_jakon_table",
    "load_jakon_table",
]

_HUNDRED = Decimal(100)


@dataclass(frozen=True)
class JakonBracket:
    """One row of the rate table; rates are fractions (0.0021 for 0.21 %)."""

    lower: int  # exclusive: the bracket covers values above ``lower``
    upper: int | None  # inclusive; ``None`` for the open top bracket
    jkk_rate: Decimal
    jkm_rate: Decimal


@dataclass(frozen=True)
class JakonTable:
    """The rate table read from the TOML file."""

    brackets: tuple[JakonBracket, ...]
    wage_jkk_rate: Decimal
    wage_jkm_rate: Decimal
    legal_basis: str
    effective_date: date | None
    source: str = ""


@dataclass(frozen=True)
class BracketLine:
    """The part of a contract value that falls in one bracket, and what it costs."""

    lower: int
    upper: int | None
    base: int  # part of the contract value inside this bracket
    jkk_rate: Decimal
    jkm_rate: Decimal
    jkk: Decimal  # exact, before rounding
    jkm: Decimal


@dataclass(frozen=True)
class JakonContribution:
    """Contribution for one contract value: the per-bracket lines and the rounded totals.

    ``jkk`` and ``jkm`` are each rounded half-up to whole rupiah after summing the lines;
    ``total`` is ``jkk + jkm`` so the printed split always adds up.
    """

    contract_value: int
    lines: tuple[BracketLine, ...]
    jkk: int
    jkm: int
    total: int


def _round_rupiah(value: Decimal) -> int:
    return int(value.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def _percent(raw: object, where: str) -> Decimal:
    if isinstance(raw, bool) or not isinstance(raw, (int, Decimal, str)):
        raise ValueError(f"{where}: tarif harus berupa angka persen")
    try:
        value = Decimal(str(raw))
    except ArithmeticError as exc:
        raise ValueError(f"{where}: tarif tidak valid ({raw!r})") from exc
    if value < 0 or value > 100:
        raise ValueError(f"{where}: tarif harus antara 0 dan 100 persen")
    return value / _HUNDRED


def _table_from_data(data: dict, source: str) -> JakonTable:
    try:
        rows = data["contract_value"]["brackets"]
        wages = data["wages"]
    except (KeyError, TypeError) as exc:
        raise ValueError(f"{source}: bagian {exc} tidak ada di tabel iuran") from exc
    if not rows:
        raise ValueError(f"{source}: tabel tarif nilai kontrak kosong")
    brackets: list[JakonBracket] = []
    lower = 0
    for i, row in enumerate(rows, start=1):
        where = f"{source}: contract_value.brackets[{i}]"
        upper = row.get("upper")
        if upper is None and i != len(rows):
            raise ValueError(f"{where}: hanya rentang terakhir yang boleh tanpa batas atas")
        if upper is not None and (isinstance(upper, bool) or not isinstance(upper, int)):
            raise ValueError(f"{where}: batas atas harus bilangan bulat rupiah")
        if upper is not None and upper <= lower:
            raise ValueError(f"{where}: batas atas harus lebih besar dari {lower}")
        brackets.append(
            JakonBracket(
                lower=lower,
                upper=upper,
                jkk_rate=_percent(row.get("jkk_percent"), f"{where}.jkk_percent"),
                jkm_rate=_percent(row.get("jkm_percent"), f"{where}.jkm_percent"),
            )
        )
        lower = upper if upper is not None else lower
    if brackets[-1].upper is not None:
        raise ValueError(f"{source}: rentang terakhir tidak boleh memiliki batas atas")
    meta = data.get("meta", {})
    effective = meta.get("effective_date")
    if effective is not None and not isinstance(effective, date):
        raise ValueError(f"{source}: meta.effective_date harus berupa tanggal")
    return JakonTable(
        brackets=tuple(brackets),
        wage_jkk_rate=_percent(wages.get("jkk_percent"), f"{source}: wages.jkk_percent"),
        wage_jkm_rate=_percent(wages.get("jkm_percent"), f"{source}: wages.jkm_percent"),
        legal_basis=str(meta.get("legal_basis", "")),
        effective_date=effective,
        source=source,
    )


def load_jakon_table(path: str | Path | None = None) -> JakonTable:
    """Read the rate table from ``path`` (default: the bundled ``data/iuran_jakon.toml``).

    Raises ``ValueError`` naming the file and field when the table is malformed.
    """
    file = Path(path) if path is not None else resource_path("data", "iuran_jakon.toml")
    with file.open("rb") as fh:
        data = tomllib.load(fh, parse_float=Decimal)
    return _table_from_data(data, str(file))


@cache
def default_jakon_table() -> JakonTable:
    """The bundled table, read once."""
    return load_jakon_table()


def _check_amount(value: int, what: str) -> None:
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{what} harus bilangan bulat rupiah")
    if value < 0:
        raise ValueError(f"{what} tidak boleh negatif")


def compute_jakon_contribution(
    contract_value: int, table: JakonTable | None = None
) -> JakonContribution:
    """JKK + JKM due on a construction contract of ``contract_value`` rupiah.

    Only brackets the value reaches appear in ``lines``. ``ValueError`` for a negative value.
    """
    _check_amount(contract_value, "Nilai kontrak")
    table = table or default_jakon_table()
    lines: list[BracketLine] = []
    for bracket in table.brackets:
        if contract_value <= bracket.lower:
            break
        top = contract_value if bracket.upper is None else min(contract_value, bracket.upper)
        base = top - bracket.lower
        lines.append(
            BracketLine(
                lower=bracket.lower,
                upper=bracket.upper,
                base=base,
                jkk_rate=bracket.jkk_rate,
                jkm_rate=bracket.jkm_rate,
                jkk=base * bracket.jkk_rate,
                jkm=base * bracket.jkm_rate,
            )
        )
    jkk = _round_rupiah(sum((line.jkk for line in lines), Decimal(0)))
    jkm = _round_rupiah(sum((line.jkm for line in lines), Decimal(0)))
    return JakonContribution(
        contract_value=contract_value,
        lines=tuple(lines),
        jkk=jkk,
        jkm=jkm,
        total=jkk + jkm,
    )


def compute_by_wages(monthly_wages: int, table: JakonTable | None = None) -> tuple[int, int, int]:
    """``(jkk, jkm, total)`` per month when the project's wages are known (1.74 % + 0.30 %
    in the bundled table), each rounded half-up to whole rupiah; ``total = jkk + jkm``."""
    _check_amount(monthly_wages, "Upah sebulan")
    table = table or default_jakon_table()
    jkk = _round_rupiah(monthly_wages * table.wage_jkk_rate)
    jkm = _round_rupiah(monthly_wages * table.wage_jkm_rate)
    return jkk, jkm, jkk + jkm
