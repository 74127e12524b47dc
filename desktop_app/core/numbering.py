"""Number series: register numbers per SOP per year and letter numbers per classification code.

A number is taken by incrementing a counter row inside the caller's transaction. The row lock
(``UPDATE ... RETURNING``) makes a second PC wait until the first commits, so two PCs never get
the same number, and a rolled-back transaction gives its number back (no gaps).
"""

from __future__ import annotations

from sqlalchemy import insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from desktop_app.core.models import Counter


def next_value(session: Session, name: str) -> int:
    """Increment counter ``name`` (creating it at 0) and return its new value."""
    stmt = update(Counter).where(Counter.name == name).values(value=Counter.value + 1).returning(
        Counter.value)
    conn = session.connection()  # Core statements: no ORM session synchronisation
    value = conn.execute(stmt).scalar_one_or_none()
    if value is not None:
        return value
    try:
        with conn.begin_nested():  # a savepoint: losing the race must not spoil the transaction
            conn.execute(insert(Counter).values(name=name, value=0))
    except IntegrityError:
        pass  # another PC created it first; its row lock now orders us after it
    return conn.execute(stmt).scalar_one()


def peek(session: Session, name: str) -> int:
    """The last number issued in series ``name`` (0 if none)."""
    return session.execute(select(Counter.value).where(Counter.name == name)).scalar() or 0


def register_series(sop_code: str, year: int) -> str:
    return f"register:{sop_code}:{year}"


def letter_series(classification_code: str, year: int) -> str:
    return f"surat:{classification_code}:{year}"


def format_register_number(prefix: str, year: int, seq: int) -> str:
    """``AK1/2026/00042`` — the register book's number for a case."""
    return f"{prefix}/{year}/{seq:05d}"


def format_letter_number(pattern: str, *, code: str, seq: int, unit: str, year: int) -> str:
    """Tata Naskah Dinas number, default pattern ``{kode}/{nomor:04d}/{unit}/{tahun}``."""
    return pattern.format(kode=code, nomor=seq, unit=unit, tahun=year)
