"""Letters, forms and reports: Jinja2 templates rendered to PDF with WeasyPrint.

Importing this package is cheap: WeasyPrint loads on the first :func:`render_pdf` call.
"""

from __future__ import annotations

from desktop_app.core.documents.renderer import (
    PAPER_SIZES,
    MissingDocumentData,
    PaperSize,
    render_html,
    render_pdf,
)

__all__ = ["PAPER_SIZES", "MissingDocumentData", "PaperSize", "render_html", "render_pdf"]
