"""The generic letter (``kind = "surat_umum"``): an SOP file declares its code, title, hal,
addressee, opening sentence and the intake fields it prints; no Python per letter.

Its :class:`DocumentType` is made from the SOP's entry (:func:`generic_type`): required are
the letter head and every listed field. Demo values come from the field's ``demo`` value or
its type (:func:`demo_value`).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from desktop_app.core.documents.kinds.base import LETTER, Build, DocumentType, Kind

GENERIC_KIND = "surat_umum"
TEMPLATE = "documents/surat_umum.html.j2"
DEFAULT_ISI = "Dengan ini kami sampaikan data permohonan sebagai berikut:"


def _find(code: str) -> tuple[Any, Any] | None:
    from desktop_app.core.sop import sops

    for sop in sops():
        spec = sop.document(code)
        if spec is not None and spec.kind == GENERIC_KIND:
            return sop, spec
    return None


def type_of(sop: Any, spec: Any) -> DocumentType:
    """The document type of the generic letter ``spec`` of ``sop``."""
    labels = {f.name: f.label for f in sop.fields}
    return DocumentType(
        spec.code, spec.title, (sop.code,), TEMPLATE,
        required=[*LETTER, *[(f"data.{n}", labels.get(n, n)) for n in spec.fields]],
    )


def generic_type(code: str) -> DocumentType | None:
    """The type of the generic letter ``code`` some loaded SOP declares, else None."""
    found = _find(code)
    return type_of(*found) if found else None


def _fill(text: str, data: dict[str, Any]) -> str:
    from desktop_app.core.formatting import tanggal as format_date

    def value(name: str) -> str:
        v = data.get(name)
        return format_date(v) if isinstance(v, date) else str(v or "")

    import re

    return re.sub(r"\{(\w+)\}", lambda m: value(m.group(1)), text)


def _rows(sop: Any, spec: Any, data: dict[str, Any]) -> list[tuple[str, Any]]:
    from desktop_app.core.formatting import tanggal as format_date

    labels = {f.name: f.label for f in sop.fields}
    rows = []
    for name in spec.fields:
        v = data.get(name)
        rows.append((labels.get(name, name), format_date(v) if isinstance(v, date) else v))
    return rows


def _umum(sop: Any, spec: Any, data: dict[str, Any]) -> dict[str, Any]:
    return {
        "kepada": _fill(spec.addressee, data) or "Yang bersangkutan",
        "di": "Tempat",
        "isi": _fill(spec.isi, data) or DEFAULT_ISI,
        "rows": _rows(sop, spec, data),
    }


def build(b: Build, ctx: dict[str, Any]) -> None:
    ctx["umum"] = _umum(b.sop, b.spec, b.data)


def demo_value(field: Any) -> Any:
    """A demo value of an intake field: its ``demo`` value, else one from its type."""
    if field.demo is not None:
        return field.demo
    by_type = {"date": date(2026, 11, 28), "integer": 1, "money": 1_000_000,
               "nik": "1672010101900001", "phone": "0812-0000-0000",
               "email": "contoh@example.com", "list": []}
    if field.type in by_type:
        return by_type[field.type]
    if field.type == "choice" and field.choices:
        return field.choices[0]
    return f"Contoh {field.label}"


def demo_data(sop: Any) -> dict[str, Any]:
    """Demo intake data of every field of ``sop``."""
    return {f.name: demo_value(f) for f in sop.fields}


def sample_for(sop: Any, spec: Any) -> dict[str, Any]:
    """A complete demo context of the generic letter ``spec`` of ``sop``."""
    from desktop_app.core.documents import samples as sm
    from desktop_app.core.documents.context import service_name

    data = demo_data(sop)
    ctx = sm._base(sm._document("500.15/0001/TK/2026", spec.hal or spec.title),
                   sm.kepala_bidang(), ["Arsip"])
    ctx.update(case=sm._case(sop.code, f"{sop.code.upper()}-2026-00001",
                             datetime(2026, 11, 28, 9, 0)),
               data=data, layanan=service_name(sop), umum=_umum(sop, spec, data))
    return ctx


def sample(code: str) -> dict[str, Any]:
    found = _find(code)
    if found is None:
        raise KeyError(f"Tidak ada contoh untuk jenis dokumen '{code}'.")
    return sample_for(*found)


KIND = Kind(GENERIC_KIND, (), build, sample)
