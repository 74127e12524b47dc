"""Write a report table to XLSX, CSV or PDF: the whole file or none of it.

A :class:`ReportTable` is a title, the period line, typed :class:`Column` s and rows (a list
or a generator, so a register of 100,000 rows streams from the database into the file).

* XLSX: openpyxl in write-only (streaming) mode; dates, numbers and percentages are typed
  cells with a number format; the header row is bold, frozen and filtered; column widths
  follow the columns; the sheet prints landscape with the header repeated.
* CSV: UTF-8 with a byte-order mark and ``;`` between fields, as Excel in an Indonesian
  locale (where ``,`` is the decimal comma) opens it; dates as ``YYYY-MM-DD``.
* PDF: bytes rendered elsewhere (:mod:`printing`), written the same careful way.

Every file is written to a temporary file beside the target and renamed over it only when
complete (``os.replace``), so a full disk, a missing permission or an error half-way leaves
no half-written file and an older file of that name untouched. Writes go through
``os.write`` (:class:`_RawFile`), the one boundary a test can fail on purpose.
"""

from __future__ import annotations

import contextlib
import csv
import errno
import io
import logging
import os
import tempfile
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any, BinaryIO

from desktop_app.core.errors import AppError

log = logging.getLogger(__name__)

KINDS = ("text", "date", "int", "money", "percent", "decimal")
_DEFAULT_WIDTH = {"text": 18, "date": 12, "int": 9, "money": 16, "percent": 9, "decimal": 9}
_NUMBER_FORMAT = {"date": "DD/MM/YYYY", "int": "#,##0", "money": "#,##0",
                  "percent": "0.0%", "decimal": "0.00"}


class ExportError(AppError):
    """A report file could not be written; nothing was left behind."""


@dataclass(frozen=True)
class Column:
    """One column: its heading, the kind of value (see :data:`KINDS`) and a width in
    characters (0: by kind)."""

    label: str
    kind: str = "text"
    width: int = 0

    @property
    def chars(self) -> int:
        return self.width or max(_DEFAULT_WIDTH[self.kind], min(len(self.label) + 2, 30))


@dataclass
class ReportTable:
    """What a register, agenda or recap hands to the writers."""

    title: str
    subtitle: str
    columns: Sequence[Column]
    rows: Iterable[Sequence[Any]]
    sheet_name: str = "Laporan"
    notes: list[str] = field(default_factory=list)


@dataclass
class Section:
    """One titled table of a recap. ``groups`` is an optional upper header row of
    ``(label, span)`` over the columns; a group of span 1 over a column with an empty label
    takes both header rows. ``totals`` holds the indexes of the rows that are totals."""

    heading: str
    columns: Sequence[Column]
    rows: list[list[Any]]
    groups: Sequence[tuple[str, int]] = ()
    totals: frozenset[int] = frozenset()
    note: str = ""


@dataclass
class Recap:
    """A monthly recap or a survey report: a few summary figures and titled tables."""

    title: str
    subtitle: str
    sections: list[Section]
    summary: list[tuple[str, Any]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    sheet_name: str = "Rekap"


# ----------------------------------------------------------------------- safe writing


class _RawFile(io.RawIOBase):
    """An unbuffered file on a descriptor whose writes go through ``os.write``."""

    def __init__(self, fd: int) -> None:
        self.fd = fd

    def writable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def write(self, data: Any) -> int:
        view = memoryview(data).cast("B")
        done = 0
        while done < len(view):
            done += os.write(self.fd, view[done:])
        return done

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        return os.lseek(self.fd, offset, whence)

    def tell(self) -> int:
        return os.lseek(self.fd, 0, io.SEEK_CUR)

    def close(self) -> None:
        if not self.closed:
            try:
                os.close(self.fd)
            finally:
                super().close()


def _problem(exc: OSError, target: Path) -> str:
    if exc.errno in (errno.ENOSPC, getattr(errno, "EDQUOT", -1)):
        return (f"Ruang penyimpanan di {target.parent} tidak cukup; berkas tidak disimpan. "
                "Kosongkan ruang atau pilih folder/diska lain, lalu ulangi.")
    if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return (f"Tidak ada izin menulis ke {target.parent}; berkas tidak disimpan. "
                "Pilih folder lain.")
    if exc.errno == errno.ENOENT:
        return f"Folder {target.parent} tidak ditemukan; berkas tidak disimpan."
    return f"Berkas {target.name} tidak dapat disimpan; berkas lama (bila ada) tidak diubah."


def write_atomically(target: Path | str, write: Callable[[BinaryIO], None]) -> Path:
    """Call ``write(file)`` on a temporary file beside ``target``, then rename it over
    ``target``. On any error the temporary file is removed and ``target`` is untouched; an
    :class:`OSError` becomes an :class:`ExportError` saying what to do (details logged)."""
    target = Path(target)
    tmp_name = ""
    try:
        fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp",
                                        dir=target.parent)
        with io.BufferedWriter(_RawFile(fd), buffer_size=1 << 16) as fh:
            write(fh)  # type: ignore[arg-type]
            fh.flush()
            os.fsync(fd)
        os.replace(tmp_name, target)
        tmp_name = ""
        return target
    except OSError as exc:
        log.warning("export to %s failed: %r", target, exc)
        raise ExportError(_problem(exc, target)) from None
    finally:
        if tmp_name:
            with contextlib.suppress(OSError):
                os.unlink(tmp_name)


# ----------------------------------------------------------------------- formats


def _xlsx_value(value: Any, kind: str) -> Any:
    if value is None or value == "":
        return None
    if kind == "date" and isinstance(value, datetime):
        return value.date()
    if isinstance(value, Decimal):
        return float(value)
    return value


def write_xlsx(target: Path | str, table: ReportTable) -> Path:
    """The table as an .xlsx workbook (see the module docstring)."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    def write(fh: BinaryIO) -> None:
        wb = Workbook(write_only=True)
        ws = wb.create_sheet(_sheet_title(table.sheet_name))
        ncols = len(table.columns)
        for i, col in enumerate(table.columns, start=1):
            ws.column_dimensions[get_column_letter(i)].width = col.chars + 1
        header_row = 4
        ws.freeze_panes = f"A{header_row + 1}"
        ws.page_setup.orientation = "landscape"
        ws.print_title_rows = f"{header_row}:{header_row}"
        title = WriteOnlyCell(ws, table.title)
        title.font = Font(bold=True, size=13)
        ws.append([title])
        ws.append([table.subtitle])
        ws.append([])
        bold = Font(bold=True)
        wrap = Alignment(wrap_text=True, vertical="top")
        heads = []
        for col in table.columns:
            cell = WriteOnlyCell(ws, col.label)
            cell.font = bold
            cell.alignment = wrap
            heads.append(cell)
        ws.append(heads)
        # One styled cell per typed column, reused: write-only rows are serialised on append.
        styled: dict[int, Any] = {}
        for i, col in enumerate(table.columns):
            if col.kind in _NUMBER_FORMAT:
                styled[i] = WriteOnlyCell(ws)
                styled[i].number_format = _NUMBER_FORMAT[col.kind]
        kinds = [c.kind for c in table.columns]
        n = 0
        try:
            for row in table.rows:
                out: list[Any] = []
                for i, value in enumerate(row):
                    value = _xlsx_value(value, kinds[i])
                    cell = styled.get(i)
                    if cell is not None and value is not None:
                        cell.value = value
                        out.append(cell)
                    else:
                        out.append(value)
                ws.append(out)
                n += 1
        except BaseException:
            _abandon(ws)
            raise
        ws.auto_filter.ref = f"A{header_row}:{get_column_letter(ncols)}{header_row + max(n, 1)}"
        for note in table.notes:
            ws.append([note])
        _save(wb, fh)

    return write_atomically(target, write)


def _abandon(ws: Any) -> None:
    """Close a write-only sheet whose rows failed, so its temporary file is let go now."""
    with contextlib.suppress(Exception):
        ws.close()


def _save(wb: Any, fh: BinaryIO) -> None:
    """``wb.save(fh)``, but with the zip archive closed even when a write fails half-way
    (openpyxl's own save leaves it open, to fail again when garbage-collected)."""
    from zipfile import ZIP_DEFLATED, ZipFile

    from openpyxl.writer.excel import ExcelWriter

    try:
        with ZipFile(fh, "w", ZIP_DEFLATED, allowZip64=True) as archive:
            ExcelWriter(wb, archive).write_data()
    except BaseException:
        for ws in wb.worksheets:  # finish their row writers now, not noisily at collection
            with contextlib.suppress(Exception):
                ws._rows.close()  # noqa: SLF001 - openpyxl keeps no public handle on it
        raise


def _sheet_title(name: str) -> str:
    bad = set('[]:*?/\\')
    clean = "".join("-" if ch in bad else ch for ch in name).strip() or "Laporan"
    return clean[:31]


def _csv_value(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float):
        return f"{value:.4f}".rstrip("0").rstrip(".").replace(".", ",")
    if isinstance(value, Decimal):
        return str(value).replace(".", ",")
    return value


def write_csv(target: Path | str, table: ReportTable, *, header: bool = True) -> Path:
    """The table as CSV: one header row of column labels, then the rows."""

    def write(fh: BinaryIO) -> None:
        text = io.TextIOWrapper(fh, encoding="utf-8-sig", newline="", write_through=False)
        try:
            out = csv.writer(text, delimiter=";", quoting=csv.QUOTE_MINIMAL)
            if header:
                out.writerow([c.label for c in table.columns])
            for row in table.rows:
                out.writerow([_csv_value(v) for v in row])
            text.flush()
        finally:
            text.detach()  # the caller closes (and syncs) the file itself

    return write_atomically(target, write)


def write_bytes(target: Path | str, content: bytes) -> Path:
    """Bytes rendered elsewhere (a PDF), written whole or not at all."""
    return write_atomically(target, lambda fh: fh.write(content))


def _recap_lines(recap: Recap) -> Iterable[tuple[str, list[Any], Sequence[Column] | None]]:
    """A recap as lines: ("title" | "head" | "row" | "total" | "blank", values, columns)."""
    yield "title", [recap.title], None
    yield "row", [recap.subtitle], None
    for label, value in recap.summary:
        yield "row", [label, value], None
    for section in recap.sections:
        yield "blank", [], None
        if section.heading:
            yield "head", [section.heading], None
        if section.groups:
            upper: list[Any] = []
            for label, span in section.groups:
                upper.extend([label] + [None] * (span - 1))
            yield "head", upper, None
        yield "head", [c.label for c in section.columns], None
        for i, row in enumerate(section.rows):
            yield ("total" if i in section.totals else "row"), list(row), section.columns
        if section.note:
            yield "row", [section.note], None
    if recap.notes:
        yield "blank", [], None
        for note in recap.notes:
            yield "row", [note], None


def write_recap_xlsx(target: Path | str, recap: Recap) -> Path:
    """A recap as one sheet: its tables one under another, typed and bold where headed."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    def write(fh: BinaryIO) -> None:
        wb = Workbook(write_only=True)
        ws = wb.create_sheet(_sheet_title(recap.sheet_name))
        widest = max((len(s.columns) for s in recap.sections), default=1)
        for i in range(1, widest + 1):
            ws.column_dimensions[get_column_letter(i)].width = 34 if i == 2 else 11
        ws.page_setup.orientation = "landscape"
        bold, big = Font(bold=True), Font(bold=True, size=13)
        for kind, values, cols in _recap_lines(recap):
            cells: list[Any] = []
            for i, value in enumerate(values):
                col = cols[i] if cols and i < len(cols) else None
                value = _xlsx_value(value, col.kind if col else "text")
                cell = WriteOnlyCell(ws, value)
                if kind in ("head", "total"):
                    cell.font = bold
                elif kind == "title":
                    cell.font = big
                if col is not None and col.kind in _NUMBER_FORMAT and value is not None:
                    cell.number_format = _NUMBER_FORMAT[col.kind]
                cells.append(cell)
            ws.append(cells)
        _save(wb, fh)

    return write_atomically(target, write)


def write_recap_csv(target: Path | str, recap: Recap) -> Path:
    """A recap as CSV lines, its tables one under another."""
    lines = (values for _kind, values, _cols in _recap_lines(recap))
    return write_csv(target, ReportTable(recap.title, recap.subtitle, [], lines),
                     header=False)


def export_table(target: Path | str, table: ReportTable | Recap, fmt: str) -> Path:
    """``fmt`` "xlsx" or "csv" (PDFs go through :func:`write_bytes`)."""
    if isinstance(table, Recap):
        if fmt == "xlsx":
            return write_recap_xlsx(target, table)
        if fmt == "csv":
            return write_recap_csv(target, table)
    elif fmt == "xlsx":
        return write_xlsx(target, table)
    elif fmt == "csv":
        return write_csv(target, table)
    raise ValueError(f"unknown export format {fmt!r}")
