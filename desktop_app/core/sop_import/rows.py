"""Finds the SOPs in a document seen as rows of cells, and reads each one's identity sheet,
sections and flowchart table into a :class:`RawSop`.

Every reader (plain text with tab-separated cells as extracted from Word, HTML, ``.docx``)
hands over the same thing: the document's rows in order, each a list of cell texts; a cell
that is the continuation of a merged cell is :data:`MERGED`.
"""

from __future__ import annotations

import re

from desktop_app.core.sop_import.document import (
    IDENTITY_LABELS,
    SECTION_HEADINGS,
    ImportRefused,
    RawSop,
    RawStep,
)

MERGED = "\x00sel-gabungan"  # a cell covered by the merged cell to its left
MERGED_UP = "\x00sel-gabungan-atas"  # a cell covered by the merged cell above it
Row = list[str]

_TIME_RE = re.compile(r"^\s*\d+\s*(menit|jam|hari(\s+kerja)?|minggu)\s*\.?\s*$", re.I)
_TAG_RE = re.compile(r"<[^>]+>")


def strip_tags(text: str) -> str:
    """Cell text without HTML tags, whitespace made single."""
    return " ".join(_TAG_RE.sub(" ", text.replace(MERGED_UP, "").replace(MERGED, "")).split())


def strip_merged(text: str) -> str:
    return "" if text in (MERGED, MERGED_UP) else text


def _key(text: str) -> str:
    return strip_tags(text).rstrip(" :").casefold()


def split_sops(rows: list[Row], source: str) -> list[list[Row]]:
    """The rows of each SOP in the document: each starts at the row holding 'Nomor SOP'."""
    starts = [i for i, row in enumerate(rows) if any(_key(c) == "nomor sop" for c in row)]
    if not starts:
        raise ImportRefused(
            f"{source}: tidak ditemukan lembar identitas SOP ('Nomor SOP'). Berkas ini bukan "
            "dokumen SOP-AP, atau tabelnya hilang saat disimpan.")
    ends = [*starts[1:], len(rows)]
    return [rows[a:b] for a, b in zip(starts, ends, strict=True)]


def _header_index(rows: list[Row]) -> int | None:
    for i, row in enumerate(rows):
        cells = [_key(c) for c in row]
        if len(cells) > 1 and cells[0] == "no" and cells[1] == "kegiatan":
            return i
    return None


def _read_identity(sop: RawSop, rows: list[Row]) -> None:
    for i, row in enumerate(rows):
        for j, cell in enumerate(row):
            attr = IDENTITY_LABELS.get(_key(cell))
            if attr and not getattr(sop, attr):
                value = next((c for c in row[j + 1:] if strip_tags(c)), "")
                setattr(sop, attr, strip_tags(value))
        headings = [SECTION_HEADINGS.get(strip_tags(c).rstrip(" :").upper()) for c in row]
        if any(headings) and i + 1 < len(rows):
            below = rows[i + 1]
            for j, attr in enumerate(headings):
                if attr and j < len(below):
                    sop.sections[attr] = strip_merged(below[j])


def _lane_names(row: Row) -> list[str]:
    lanes = []
    for cell in row[2:]:
        text = strip_tags(cell)
        if re.search(r"kelengkapan|persyaratan", text, re.I):
            break
        if text:
            lanes.append(text)
    return lanes


def _is_numbering(row: Row) -> bool:
    cells = [strip_tags(c) for c in row if strip_tags(c)]
    return bool(cells) and all(c.isdigit() for c in cells)


def _step(row: Row, lanes: int, source: str) -> RawStep:
    no = int(strip_tags(row[0]))
    # 1-based column of the merged cell: the one left of a MERGED, the very cell of MERGED_UP
    merged = [j if c == MERGED else j + 1 for j, c in enumerate(row) if c in (MERGED, MERGED_UP)]
    if merged:
        raise ImportRefused(
            f"{source}: langkah {no} memakai sel gabungan (kolom ke-{merged[0]}); "
            "jalur dan mutu baku tiap langkah harus di sel masing-masing. Pisahkan sel yang "
            "digabung di tabel alur lalu impor lagi.")
    cells = [strip_tags(c) for c in row]
    marks = {j - 2: cells[j] for j in range(2, min(2 + lanes, len(cells))) if cells[j]}
    rest = list(range(2 + lanes, len(cells)))
    time_at = next((j for j in rest if _TIME_RE.match(cells[j])), None)
    if time_at is None:
        shown = " / ".join(cells[j] for j in rest if cells[j]) or "kosong"
        raise ImportRefused(
            f"{source}: langkah {no}: kolom Waktu tidak terbaca ({shown}). Tulis waktu baku "
            "seperti '5 Menit', '2 jam', '7 Hari' atau '1 minggu'.")
    before = [cells[j] for j in rest if j < time_at and cells[j]]
    after = [cells[j] for j in rest if j > time_at and cells[j]]
    return RawStep(no=no, activity=cells[1], marks=marks, input=before[-1] if before else "",
                   time=cells[time_at], output=after[0] if after else "",
                   note=" ".join(after[1:]))


def read_block(rows: list[Row], source: str) -> RawSop:
    """One SOP's rows (from :func:`split_sops`) as a :class:`RawSop`."""
    sop = RawSop(source=source)
    header = _header_index(rows)
    if header is None or header + 1 >= len(rows):
        raise ImportRefused(
            f"{source}: tabel alur (kolom No, Kegiatan, Pelaksana, Mutu Baku) tidak ditemukan.")
    _read_identity(sop, rows[:header])
    sop.flow_title = next((" ".join(strip_tags(c) for c in row if strip_tags(c))
                           for row in reversed(rows[:header])
                           if any(strip_tags(c) for c in row)), "")
    sop.lanes = _lane_names(rows[header + 1])
    if not sop.lanes:
        raise ImportRefused(f"{source}: kolom Pelaksana (jalur) di tabel alur kosong.")
    last_step_row = header + 1
    for i in range(header + 2, len(rows)):
        row = rows[i]
        first = strip_tags(row[0]) if row else ""
        if _is_numbering(row) or not (first.isdigit() and len(row) > 2):
            continue
        if not re.search(r"[A-Za-z]", strip_tags(row[1])):
            continue
        sop.steps.append(_step(row, len(sop.lanes), source))
        last_step_row = i
    if not sop.steps:
        raise ImportRefused(f"{source}: tabel alur tidak berisi langkah bernomor.")
    for expected, step in enumerate(sop.steps, start=1):
        if step.no != expected:
            raise ImportRefused(f"{source}: langkah bernomor {step.no} ditemukan di tempat "
                                f"langkah {expected}; nomor langkah harus berurutan.")
    sop.outside = [text for row in rows[last_step_row + 1:]
                   if (text := " ".join(strip_tags(c) for c in row if strip_tags(c)))]
    for attr in ("number", "name"):
        if not getattr(sop, attr):
            label = {"number": "Nomor SOP", "name": "Nama SOP"}[attr]
            raise ImportRefused(f"{source}: '{label}' di lembar identitas kosong.")
    return sop
