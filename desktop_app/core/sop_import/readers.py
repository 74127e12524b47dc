"""Turns a document file into rows of cells: text extracted from Word (tab-separated cells,
HTML fragments inside cells, as the seed is), an HTML page with tables, or a ``.docx``.

A PDF is looked at only to say why it cannot be read: a scanned PDF holds pictures, not text,
and a PDF with text has lost its table columns, so the office's Word file is asked for.
"""

from __future__ import annotations

import io
import re
import zipfile
from html.parser import HTMLParser
from pathlib import Path

from desktop_app.core.sop_import.document import ImportRefused
from desktop_app.core.sop_import.rows import MERGED, MERGED_UP, Row

TEXT_SUFFIXES = (".txt", ".text", ".tsv")
HTML_SUFFIXES = (".html", ".htm", ".xhtml")
MAX_BYTES = 20 * 1024 * 1024


def read_rows(data: bytes, name: str) -> list[Row]:
    """The rows of the document ``data`` named ``name`` (its suffix says the format)."""
    suffix = Path(name).suffix.lower()
    if len(data) > MAX_BYTES:
        raise ImportRefused(f"{name}: berkas lebih dari 20 MB; ini bukan dokumen SOP.")
    if suffix == ".docx":
        return _docx_rows(data, name)
    if suffix == ".pdf" or data[:5] == b"%PDF-":
        raise ImportRefused(_pdf_message(data, name))
    if suffix == ".doc":
        raise ImportRefused(f"{name}: format Word lama (.doc) tidak dapat dibaca. Buka di Word "
                            "lalu simpan sebagai .docx, kemudian impor lagi.")
    text = _decode(data, name)
    if suffix in HTML_SUFFIXES or (suffix not in TEXT_SUFFIXES
                                   and re.search(r"<table\b", text, re.I)):
        return _html_rows(text)
    if suffix not in TEXT_SUFFIXES and suffix:
        raise ImportRefused(f"{name}: jenis berkas '{suffix}' tidak dikenal. Pilih dokumen SOP "
                            "berformat .docx, .html atau .txt.")
    return [line.split("\t") for line in text.splitlines()]


def _decode(data: bytes, name: str) -> str:
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ImportRefused(f"{name}: berkas bukan teks yang dapat dibaca.")


# ------------------------------------------------------------------ HTML


class _TableRows(HTMLParser):
    """Rows of every table (cells keep their inner markup for lists); text outside tables
    becomes one-cell rows."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.rows: list[Row] = []
        self.depth = 0
        self.row: Row | None = None
        self.cell: list[str] | None = None
        self.span = 1
        self.outside: list[str] = []

    def _flush_outside(self) -> None:
        text = " ".join("".join(self.outside).split())
        if text:
            self.rows.append([text])
        self.outside = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "table":
            self._flush_outside()
            self.depth += 1
        elif tag == "tr" and self.depth:
            self.row = []
        elif tag in ("td", "th") and self.row is not None:
            self.cell = []
            span = dict(attrs).get("colspan") or "1"
            self.span = int(span) if span.isdigit() else 1
        elif self.cell is not None and tag in ("p", "li", "br", "ol", "ul"):
            self.cell.append(f"<{tag}>")
        elif not self.depth and tag in ("p", "br", "div", "h1", "h2", "h3", "li"):
            self._flush_outside()

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th") and self.row is not None and self.cell is not None:
            self.row.append(" ".join("".join(self.cell).split()))
            self.row.extend([MERGED] * (self.span - 1))
            self.cell = None
        elif tag == "tr" and self.row is not None:
            self.rows.append(self.row)
            self.row = None
        elif tag == "table":
            self.depth = max(0, self.depth - 1)
        elif self.cell is not None and tag in ("p", "li", "ol", "ul"):
            self.cell.append(f"</{tag}>")

    def handle_data(self, data: str) -> None:
        if self.cell is not None:
            self.cell.append(data)
        elif not self.depth:
            self.outside.append(data)


def _html_rows(text: str) -> list[Row]:
    parser = _TableRows()
    parser.feed(text)
    parser.close()
    parser._flush_outside()
    return parser.rows


# ------------------------------------------------------------------ .docx


def _docx_rows(data: bytes, name: str) -> list[Row]:
    import docx  # python-docx; imported here so the text path does not need it
    from docx.oxml.ns import qn
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    try:
        document = docx.Document(io.BytesIO(data))
    except (zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise ImportRefused(f"{name}: berkas .docx rusak atau bukan dokumen Word.") from exc
    rows: list[Row] = []
    for child in document.element.body.iterchildren():
        if child.tag == qn("w:p"):
            text = Paragraph(child, document).text.strip()
            if text:
                rows.append([text])
        elif child.tag == qn("w:tbl"):
            rows.extend(_docx_table_rows(Table(child, document)))
    return rows


def _docx_cell_text(cell) -> str:  # noqa: ANN001 - python-docx cell
    parts = []
    for p in cell.paragraphs:
        text = p.text.strip()
        if not text:
            continue
        numbered = p._p.pPr is not None and p._p.pPr.numPr is not None
        parts.append(f"<li>{text}</li>" if numbered else f"<p>{text}</p>")
    return "".join(parts) if len(parts) > 1 else (
        re.sub(r"</?(p|li)>", "", parts[0]) if parts else "")


def _docx_table_rows(table) -> list[Row]:  # noqa: ANN001 - python-docx table
    from docx.oxml.ns import qn
    from docx.table import _Cell

    rows: list[Row] = []
    for tr in table._tbl.tr_lst:
        row: Row = []
        for tc in tr.tc_lst:
            vmerge = tc.tcPr.find(qn("w:vMerge")) if tc.tcPr is not None else None
            continued = vmerge is not None and vmerge.get(qn("w:val")) in (None, "continue")
            row.append(MERGED_UP if continued else _docx_cell_text(_Cell(tc, table)))
            row.extend([MERGED] * (tc.grid_span - 1))
        rows.append(row)
    return rows


# ------------------------------------------------------------------ PDF


def _pdf_has_text(data: bytes) -> bool:
    """Whether any page of the PDF draws text (a font in its resources)."""
    from pyhanko.pdf_utils.generic import DictionaryObject
    from pyhanko.pdf_utils.reader import PdfFileReader

    reader = PdfFileReader(io.BytesIO(data), strict=False)
    for index in range(int(reader.root["/Pages"]["/Count"])):
        page = reader.find_page_for_modification(index)[0].get_object()
        while "/Resources" not in page and "/Parent" in page:
            page = page["/Parent"]  # resources inherited from the page tree
        resources = page["/Resources"] if "/Resources" in page else DictionaryObject()
        if "/Font" in resources and len(resources["/Font"]):
            return True
    return False


def _pdf_message(data: bytes, name: str) -> str:
    try:
        has_text = _pdf_has_text(data)
    except Exception:  # noqa: BLE001 - a damaged PDF is said so, whatever the reader raised
        return f"{name}: berkas PDF rusak dan tidak dapat dibuka."
    if not has_text:
        return (f"{name}: PDF ini hasil pindaian (gambar halaman) tanpa teks, sehingga tabel "
                "SOP tidak dapat dibaca. Gunakan berkas Word (.docx) asli SOP, atau ketik ulang "
                "tabelnya.")
    return (f"{name}: PDF tidak menyimpan kolom tabel SOP (jalur, waktu, output), sehingga "
            "tidak dapat dibaca dengan pasti. Gunakan berkas Word (.docx) atau HTML asli SOP.")
