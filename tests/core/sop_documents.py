"""Builds SOP-AP documents for the importer tests: the seed's SOPs as Word files laid out as
offices keep them (identity table, section table, flowchart table whose 'Pelaksana' and
'Mutu Baku' headings are merged over their columns), and broken ones."""

from __future__ import annotations

import io
import re
from pathlib import Path

import docx
from docx.document import Document

from desktop_app.core.sop_import.readers import read_rows
from desktop_app.core.sop_import.rows import split_sops

SEED = Path(__file__).resolve().parents[1] / "fixtures" / "sop_ap" / "seed_2024.txt"


def seed_bytes() -> bytes:
    return SEED.read_bytes()


def _cell_paragraphs(cell, text: str) -> None:  # noqa: ANN001
    """Cell text as Word paragraphs: '<p>' blocks and '1. …' list entries each a paragraph."""
    text = re.sub(r"<ol[^>]*>|</ol>", "\n", text)
    parts = []
    for para in re.split(r"</?p>", text):
        parts += [p.strip() for p in re.split(r"(?=(?:^|\s)\d{1,2}\.\s)", para) if p.strip()]
    cell.text = parts[0] if parts else ""
    for p in parts[1:]:
        cell.add_paragraph(p)


def _add_table(doc: Document, rows: list[list[str]], merge_headers: bool) -> None:
    width = max(len(r) for r in rows)
    table = doc.add_table(rows=len(rows), cols=width)
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            _cell_paragraphs(table.cell(r, c), text)
    if merge_headers:
        head = rows[0]
        for c, text in enumerate(head):
            if text.strip().lower() in ("pelaksana", "mutu buku", "mutu baku"):
                end = c
                while end + 1 < width and not head[end + 1].strip():
                    end += 1
                if end > c:
                    merged = table.cell(0, c).merge(table.cell(0, end))
                    merged.text = text


def sop_docx(blocks: list[list[list[str]]], *, merge_step_cell: bool = False) -> bytes:
    """A .docx holding the given SOP blocks (rows of cells, as the text reader gives them)."""
    doc = docx.Document()
    for block in blocks:
        run: list[list[str]] = []
        header_next = False

        def flush() -> None:
            nonlocal run, header_next
            if run:
                _add_table(doc, run, merge_headers=header_next)
            run, header_next = [], False

        for row in block:
            cells = [c.strip() for c in row]
            if len([c for c in cells if c]) <= 1 and len(cells) <= 1 or not any(cells[1:]):
                flush()
                if cells and cells[0]:
                    doc.add_paragraph(cells[0])
                continue
            if cells[0].lower() == "no" and cells[1].lower() == "kegiatan":
                flush()
                header_next = True
            run.append(cells)
        flush()
        doc.add_page_break()
    if merge_step_cell:
        flow = doc.tables[-1]
        step_row = len(flow.rows) - 1
        flow.cell(step_row, 2).merge(flow.cell(step_row, 3))
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def seed_blocks() -> list[list[list[str]]]:
    return split_sops(read_rows(seed_bytes(), "seed.txt"), "seed.txt")


def revised_jht(*, retime: bool = False, reword: bool = False,
                revised: str = "") -> list[list[str]]:
    """The JHT SOP's rows with a new step 3 'Memeriksa keaslian kartu peserta' (10 Menit);
    optionally the old step 3 re-timed to 15 Menit, the last step reworded and a revision
    date written on the identity sheet."""
    block = [list(row) for row in seed_blocks()[0]]
    at = next(i for i, row in enumerate(block) if row[0] == "3")
    block.insert(at, ["3", "Memeriksa keaslian kartu peserta", "", "", "", "", "", "", "",
                      "Berkas Persyaratan", "10 Menit", "Kartu diperiksa", ""])
    for row in block[at + 1:]:
        if row[0].isdigit() and len(row) > 3:
            row[0] = str(int(row[0]) + 1)
            if retime and row[0] == "4":
                row[10] = "15 Menit"
            if reword and row[0] == "7":
                row[1] = "Registrasi surat permohonan klaim selesai, diarsipkan dan diserahkan"
    for row in block:
        if revised and "Tanggal Revisi" in row:
            row[row.index("Tanggal Revisi") + 1] = revised
    return block
