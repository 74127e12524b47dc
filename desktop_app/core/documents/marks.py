"""Marks put on a stored PDF after the fact: the DIBATALKAN stamp of a voided document.

The stamp is an incremental update (pyHanko): the bytes of the original revision, and so an
electronic signature over them, stay as they were; ``verify`` then reports the file as
changed after signing with the signed revision intact, which is the truth about a voided
letter. Drafts (unsigned) are re-rendered with the mark by :mod:`service` instead.
"""

from __future__ import annotations

import io
import unicodedata
from datetime import datetime

__all__ = ["stamp_void"]


def _latin(text: str) -> str:
    """The stamp's standard font has no glyphs beyond Latin-1: fold the rest."""
    folded = unicodedata.normalize("NFKD", text)
    return "".join(c for c in folded if ord(c) < 256 and not unicodedata.combining(c))


def stamp_void(pdf: bytes, when: datetime, reason: str) -> bytes:
    """``pdf`` with a red-bordered "DIBATALKAN <date> / Alasan: <reason>" stamp on every page,
    appended as an incremental update."""
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.pdf_utils.text import TextBoxStyle
    from pyhanko.stamp import TextStamp, TextStampStyle

    from desktop_app.core.formatting import tanggal

    reason = " ".join(_latin(reason).split())
    lines = [f"DIBATALKAN {_latin(tanggal(when.date()))}"]
    while reason:  # wrap the reason at ~60 characters on word boundaries
        cut = reason[:60]
        if len(reason) > 60 and " " in cut:
            cut = cut[:cut.rindex(" ")]
        lines.append(("Alasan: " if len(lines) == 1 else "") + cut)
        reason = reason[len(cut):].strip()
        if len(lines) > 5:
            break
    style = TextStampStyle(
        stamp_text="\n".join(lines), border_width=2, border_color=(0.75, 0, 0),
        text_box_style=TextBoxStyle(font_size=14, text_color=(0.75, 0, 0)),
        background_opacity=0,
    )
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf), strict=False)
    pages = int(writer.root["/Pages"]["/Count"])
    for page in range(pages):
        box = writer.find_page_for_modification(page)[0].get_object()["/MediaBox"]
        height = float(box[3])
        TextStamp(writer, style).apply(page, 60, int(height * 0.45))
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
