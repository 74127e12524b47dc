"""Printed registers, agendas, recaps and survey reports: landscape PDF pages with the kop
surat, the title and period, the table(s) and the "Mengetahui" block.

The block is signed on the left by the Kepala Bidang ("Mengetahui,") and on the right by
whoever prints the report, dated today; names, ranks and NIPs come from the user accounts
(a line of dots where an account lacks them, to be filled in by hand). The paper is the
office's setting (A4 or F4), turned landscape.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import select

from desktop_app.core import settings
from desktop_app.core.auth import Actor
from desktop_app.core.db import Database
from desktop_app.core.errors import ValidationError
from desktop_app.core.models import User, UserRole
from desktop_app.core.reports.export import Column, Recap, ReportTable
from desktop_app.core.roles import KABID, role_label

MAX_PDF_ROWS = 3000
LANDSCAPE_MM = {"A4": (297.0, 210.0), "F4": (330.0, 215.0)}
_KIND_CLASS = {"int": "num", "money": "num", "percent": "num", "decimal": "num",
               "date": "date", "text": ""}


def _thousands(n: int) -> str:
    return f"{n:,}".replace(",", ".")


def cell_text(value: Any, kind: str = "text") -> str:
    """A value as printed: dates ``30-11-2026``, numbers with ``.`` thousands, ``-`` for none."""
    if value is None or value == "":
        return "-"
    if isinstance(value, datetime):
        return value.strftime("%d-%m-%Y %H:%M")
    if isinstance(value, date):
        return value.strftime("%d-%m-%Y")
    if kind == "percent" and isinstance(value, (int, float, Decimal)):
        return f"{float(value) * 100:.1f}%".replace(".", ",")
    if isinstance(value, bool):
        return "Ya" if value else "Tidak"
    if isinstance(value, int):
        return _thousands(value)
    if isinstance(value, (float, Decimal)):
        return f"{float(value):,.2f}".replace(",", "_").replace(".", ",").replace("_", ".")
    return str(value)


def _person(user: User | None, jabatan: str) -> dict[str, Any]:
    return {"jabatan": (user.jabatan if user and user.jabatan else jabatan),
            "nama": user.full_name if user else "", "pangkat": (user.pangkat or "") if user
            else "", "nip": (user.nip or "") if user else ""}


def signoff(db: Database, actor: Actor) -> dict[str, Any]:
    """The "Mengetahui" (Kepala Bidang) and "yang membuat" (the printing user) blocks."""
    bidang = str(settings.office_profile(db).get("bidang") or "Bidang Tenaga Kerja")
    with db.read() as s:
        kabid = s.scalars(
            select(User).join(UserRole, UserRole.user_id == User.id)
            .where(UserRole.role == KABID, User.is_active.is_(True))
            .order_by(User.nip.is_(None), User.id)).first()
        me = s.get(User, actor.user_id)
        return {"mengetahui": _person(kabid, f"{role_label(KABID)} {bidang.replace('Bidang ', '')}"),
                "pembuat": _person(me, "Yang membuat,")}


def _page(db: Database) -> dict[str, float]:
    paper = settings.get_setting(db, settings.DOCUMENTS).get("paper") or "A4"
    width, height = LANDSCAPE_MM.get(paper, LANDSCAPE_MM["A4"])
    return {"width_mm": width, "height_mm": height}


def _base(db: Database, actor: Actor, title: str, subtitle: str, notes: list[str]
          ) -> dict[str, Any]:
    from desktop_app.core.documents.context import office_block

    return {"office": office_block(db), "page": _page(db), "signoff": signoff(db, actor),
            "report": {"title": title, "subtitle": subtitle, "printed_at": db.now(),
                       "notes": list(notes)}}


def _render(template: str, ctx: dict[str, Any]) -> bytes:
    from desktop_app.core.documents.renderer import render_pdf

    return render_pdf(template, ctx, paper="A4")  # the template's @page size wins


def _columns(columns: list[Column] | tuple[Column, ...]) -> list[dict[str, Any]]:
    total = sum(c.chars for c in columns) or 1
    return [{"label": c.label, "kind": c.kind, "kind_class": _KIND_CLASS.get(c.kind, ""),
             "width": round(100 * c.chars / total, 1)} for c in columns]


def table_pdf(db: Database, actor: Actor, table: ReportTable,
              max_rows: int = MAX_PDF_ROWS) -> bytes:
    """A register or agenda as PDF; refused (nothing rendered) past ``max_rows`` rows."""
    kinds = [c.kind for c in table.columns]
    rows: list[list[str]] = []
    for row in table.rows:
        if len(rows) >= max_rows:
            raise ValidationError({"periode": (
                f"Lebih dari {_thousands(max_rows)} baris: terlalu banyak untuk dicetak. "
                "Persempit periode atau status, atau ekspor ke XLSX.")})
        rows.append([cell_text(v, kinds[i]) for i, v in enumerate(row)])
    ctx = _base(db, actor, table.title, table.subtitle, table.notes)
    ctx.update(columns=_columns(list(table.columns)), rows=rows)
    return _render("reports/table.html.j2", ctx)


def header_rows(columns: list[Column] | tuple[Column, ...],
                groups: list[tuple[str, int]] | tuple[tuple[str, int], ...]
                ) -> list[list[dict[str, Any]]]:
    """The header rows of a section: ``{label, colspan, rowspan}`` cells (one or two rows)."""
    if not groups:
        return [[{"label": c.label, "colspan": 1, "rowspan": 1} for c in columns]]
    upper: list[dict[str, Any]] = []
    lower: list[dict[str, Any]] = []
    i = 0
    for label, span in groups:
        if span == 1 and not columns[i].label:
            upper.append({"label": label, "colspan": 1, "rowspan": 2})
        else:
            upper.append({"label": label, "colspan": span, "rowspan": 1})
            lower.extend({"label": c.label, "colspan": 1, "rowspan": 1}
                         for c in columns[i:i + span])
        i += span
    return [upper, lower]


def recap_pdf(db: Database, actor: Actor, recap: Recap) -> bytes:
    """A recap (several tables) as PDF."""
    ctx = _base(db, actor, recap.title, recap.subtitle, recap.notes)
    ctx["summary"] = [{"label": label, "value": cell_text(value)}
                      for label, value in recap.summary]
    sections = []
    for sec in recap.sections:
        kinds = [c.kind for c in sec.columns]
        sections.append({
            "heading": sec.heading,
            "header_rows": header_rows(list(sec.columns), list(sec.groups)),
            "kind_classes": [_KIND_CLASS.get(k, "") for k in kinds],
            "widths": [c["width"] for c in _columns(list(sec.columns))],
            "narrow": sum(c.chars for c in sec.columns) < 90,
            "rows": [{"cells": [cell_text(v, kinds[i]) for i, v in enumerate(row)],
                      "total": n in sec.totals} for n, row in enumerate(sec.rows)],
            "note": sec.note,
        })
    ctx["sections"] = sections
    return _render("reports/sections.html.j2", ctx)
