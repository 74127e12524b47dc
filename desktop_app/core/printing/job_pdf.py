"""The print job as PDF: the document's own pages, placed on sheets as the plan says (pypdf).

When the plan prints every page on its own paper at 100 % (letters, receipts), the job is the
document's PDF byte for byte. Otherwise each sheet is a new page of the sheet's size with the
document's pages drawn on it as vector content, moved and (only when the clerk asked to fit)
scaled; pypdf clips each drawn page to its own box, so a shifted card face cannot spill onto
the next one.
"""

from __future__ import annotations

import io
from collections.abc import Sequence

from desktop_app.core.printing import POINTS_PER_MM
from desktop_app.core.printing.layout import Page, PrintPlan

__all__ = ["build_job_pdf", "pdf_pages"]


def pdf_pages(pdf_bytes: bytes) -> list[Page]:
    """The pages of a PDF with their sizes (as displayed, /Rotate applied); no content box."""
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(pdf_bytes))
    pages = []
    for page in reader.pages:
        box = page.cropbox
        width, height = float(box.width) / POINTS_PER_MM, float(box.height) / POINTS_PER_MM
        if (page.rotation or 0) % 180:
            width, height = height, width
        pages.append(Page(width, height))
    return pages


def build_job_pdf(pdf_bytes: bytes, plan: PrintPlan, pages: Sequence[Page]) -> bytes:
    """The PDF to send for ``plan`` (``pages`` are the document's, as planned)."""
    if plan.is_identity(pages):
        return pdf_bytes
    from pypdf import PdfReader, PdfWriter, Transformation

    reader = PdfReader(io.BytesIO(pdf_bytes))
    writer = PdfWriter()
    for sheet in plan.sheets:
        only = sheet.placements[0] if len(sheet.placements) == 1 else None
        page = pages[only.page] if only else None
        if only and page and (only.x_mm, only.y_mm, only.scale) == (0.0, 0.0, 1.0) and \
                abs(sheet.width_mm - page.width_mm) <= 0.01 and \
                abs(sheet.height_mm - page.height_mm) <= 0.01:
            writer.add_page(reader.pages[only.page])
            continue
        target = writer.add_blank_page(sheet.width_mm * POINTS_PER_MM,
                                       sheet.height_mm * POINTS_PER_MM)
        for placement in sheet.placements:
            source = reader.pages[placement.page]
            if source.rotation:
                source.transfer_rotation_to_content()
            box = source.cropbox
            height = float(box.height) * placement.scale
            x = placement.x_mm * POINTS_PER_MM
            y = (sheet.height_mm - placement.y_mm) * POINTS_PER_MM - height
            move = (Transformation()
                    .translate(-float(box.left), -float(box.bottom))
                    .scale(placement.scale, placement.scale)
                    .translate(x, y))
            target.merge_transformed_page(source, move)
        target.compress_content_streams()
    writer.compress_identical_objects()
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
