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


WRAP = 52
"""Characters per line of the reason: 13 pt Courier, 52 characters and the margins stay
inside an A4 page from the stamp's left edge (60 pt)."""

LEFT = 60  # the stamp's left edge (pt); the box spans the page less LEFT on both sides
FONT = 13  # pt; the text box's lines are FONT apart with 10 pt padding around them
PAD = 12  # pt of the box around the text's lines

BACKING_RGB = (1.0, 1.0, 1.0)
"""The stamp's backing box: opaque white, so its red text reads over the letter's body."""


def _backing() -> object:
    """A unit square filled with :data:`BACKING_RGB`, stretched over the whole stamp box."""
    from pyhanko.pdf_utils.content import RawContent
    from pyhanko.pdf_utils.layout import BoxConstraints

    r, g, b = BACKING_RGB
    return RawContent(b"%g %g %g rg 0 0 1 1 re f" % (r, g, b),
                      box=BoxConstraints(width=1, height=1))


def _layout(*, fill: bool) -> object:
    """The backing box stretched over the whole stamp (``fill``), or the text left-aligned
    and centred vertically at its own size."""
    from pyhanko.pdf_utils.layout import (
        AxisAlignment,
        InnerScaling,
        Margins,
        SimpleBoxLayoutRule,
    )

    return SimpleBoxLayoutRule(
        x_align=AxisAlignment.ALIGN_MIN,
        y_align=AxisAlignment.ALIGN_MIN if fill else AxisAlignment.ALIGN_MID,
        margins=Margins.uniform(0),
        inner_content_scaling=InnerScaling.STRETCH_FILL if fill else InnerScaling.NO_SCALING)


def stamp_void(pdf: bytes, when: datetime, reason: str) -> bytes:
    """``pdf`` with a red-bordered "DIBATALKAN <date> / Alasan: <reason>" stamp on an opaque
    white box on every page, appended as an incremental update."""
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.pdf_utils.layout import BoxConstraints
    from pyhanko.pdf_utils.text import TextBoxStyle
    from pyhanko.stamp import TextStamp, TextStampStyle

    from desktop_app.core.formatting import tanggal

    reason = " ".join(_latin(reason).split())
    lines = [f"DIBATALKAN {_latin(tanggal(when.date()))}"]
    while reason:  # wrap the reason on word boundaries, within the page's width
        cut = reason[:WRAP]
        if len(reason) > WRAP and " " in cut:
            cut = cut[:cut.rindex(" ")]
        lines.append(("Alasan: " if len(lines) == 1 else "") + cut)
        reason = reason[len(cut):].strip()
        if len(lines) > 5:
            break
    style = TextStampStyle(
        stamp_text="\n".join(lines), border_width=2, border_color=(0.75, 0, 0),
        text_box_style=TextBoxStyle(font_size=FONT, text_color=(0.75, 0, 0)),
        # an opaque white box under the text: the letter's body does not show through
        background=_backing(), background_opacity=1, background_layout=_layout(fill=True),
        inner_content_layout=_layout(fill=False),
    )
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf), strict=False)
    pages = int(writer.root["/Pages"]["/Count"])
    for page in range(pages):
        media = writer.find_page_for_modification(page)[0].get_object()["/MediaBox"]
        width, height = float(media[2]) - float(media[0]), float(media[3]) - float(media[1])
        # as wide as the text column (60 pt either side), as high as its lines
        box = BoxConstraints(width=int(width - 2 * LEFT),
                             height=int(len(lines) * FONT + 2 * PAD))
        TextStamp(writer, style, box=box).apply(page, LEFT, int(height * 0.45))
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
