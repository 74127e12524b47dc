"""The public-satisfaction (SKM) questionnaire handed over at the last step; the SOP files
that hand it over list it among their documents."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from desktop_app.core.documents.kinds.base import APPLICANT_CASE, Build, DocumentType, Kind

TYPES = (
    DocumentType(
        "kuesioner_skm", "Kuesioner Survei Kepuasan Masyarakat", (),
        "documents/kuesioner_skm.html.j2", is_letter=False, needs_signer=False,
        required=[*APPLICANT_CASE, ("skm.elements", "Unsur survei")],
    ),
)


def build(b: Build, ctx: dict[str, Any]) -> None:
    from desktop_app.core.reports.survey import questionnaire_context

    ctx.update(questionnaire_context())


def sample(code: str) -> dict[str, Any]:
    from desktop_app.core.documents import samples as sm
    from desktop_app.core.reports.survey import questionnaire_context

    ctx = sm._base(sm._document(None, "Kuesioner Survei Kepuasan Masyarakat"),
                   sm.kepala_bidang())
    ctx.update(case=sm._case("ak1", "AK1/2026/00042", datetime(2026, 11, 28, 9, 41)),
               pemohon={"nama": "Rina Marlina", "alamat": "Pagar Alam", "nik": None,
                        "telepon": None},
               layanan="Penerbitan Kartu Pencari Kerja (AK/I)", data={},
               **questionnaire_context())
    return ctx


KIND = Kind("skm", TYPES, build, sample)
