"""The printed SOP sheet prints what the SOP says (issue 12): the program's reading notes
(extraction losses, typo fixes) only on a page of their own, and only when asked for."""

from __future__ import annotations

import io
import re

import pytest
from pypdf import PdfReader

from desktop_app.core.documents.samples import office_profile
from desktop_app.core.documents.sop_sheet import render_sop_sheet_pdf
from desktop_app.core.sop import load_sops


def _pages(pdf: bytes) -> list[str]:
    return [re.sub(r"\s+", " ", p.extract_text() or "") for p in PdfReader(io.BytesIO(pdf)).pages]


@pytest.mark.parametrize("sop", [s for s in load_sops() if s.reading_notes or s.corrections],
                         ids=lambda s: s.code)
def test_sheet_has_no_reading_notes_unless_asked(sop) -> None:  # noqa: ANN001
    official = _pages(render_sop_sheet_pdf(sop, office_profile()))
    text = " ".join(official)
    assert "Catatan pembacaan" not in text
    for note in sop.reading_notes:
        assert re.sub(r"\s+", " ", note)[:40] not in text
    with_notes = _pages(render_sop_sheet_pdf(sop, office_profile(), reading_notes=True))
    assert len(with_notes) == len(official) + 1
    assert "Catatan pembacaan program" in with_notes[-1]
    assert "Catatan pembacaan" not in " ".join(with_notes[:-1])
