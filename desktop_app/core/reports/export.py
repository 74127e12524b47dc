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
import math
import os
import re
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
    """The table as an .xlsx workbook (see the module docstring).

    openpyxl makes the package (styles, sheet views, columns, filter, print setup) and the
    title and header rows; the data rows, a hundred thousand of them in a year's register,
    are serialised by :class:`_FastRows` (openpyxl's own write-only path builds a cell object
    and an XML element per cell, about fifty microseconds each)."""
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
        bold = Font(bold=True)
        wrap = Alignment(wrap_text=True, vertical="top")
        heads = []
        for col in table.columns:
            cell = WriteOnlyCell(ws, col.label)
            cell.font = bold
            cell.alignment = wrap
            heads.append(cell)
        rows = _FastRows(ws, table.columns)
        try:
            rows.cells([title])
            rows.cells([table.subtitle])
            rows.cells([])
            rows.cells(heads)
            n = rows.values(table.rows)
        except BaseException:
            _abandon(ws)
            raise
        ws.auto_filter.ref = f"A{header_row}:{get_column_letter(ncols)}{header_row + max(n, 1)}"
        for note in table.notes:
            rows.cells([note])
        _save(wb, fh)

    return write_atomically(target, write)


_EXCEL_EPOCH = date(1899, 12, 30).toordinal()
_MAX_TEXT = 32767  # characters in one Excel cell


class _FastRows:
    """The ``sheetData`` of a write-only openpyxl sheet, with the data rows serialised here.

    It takes the place of the sheet's own row writer (``ws._rows``, the generator openpyxl's
    ``append`` feeds and its ``close`` ends) and of its file writer (:func:`_sheet_writer`,
    which keeps a handle on the file openpyxl's XML stream goes to), so openpyxl still writes
    what comes before and after the rows. Rows given as cells (title, headers, notes) go
    through openpyxl; data rows are built here as text, ``batch`` rows at a time, and written
    into the same file after flushing the XML stream. Values are typed as openpyxl would:
    text (inline strings), numbers, booleans, dates (Excel serials under the column's date
    format); illegal control characters are dropped and text is cut at Excel's 32,767
    characters instead of failing the export."""

    def __init__(self, ws: Any, columns: Sequence[Column]) -> None:
        from openpyxl.cell import WriteOnlyCell
        from openpyxl.utils import get_column_letter

        def style(fmt: str) -> str:
            cell = WriteOnlyCell(ws)
            cell.number_format = fmt
            return f' s="{cell.style_id}"'

        self._letters = [get_column_letter(i) for i in range(1, len(columns) + 1)]
        self._styles = [style(_NUMBER_FORMAT[c.kind]) if c.kind in _NUMBER_FORMAT else ""
                        for c in columns]
        self._date_cols = {i for i, c in enumerate(columns) if c.kind == "date"}
        self._date_style = style(_NUMBER_FORMAT["date"])
        self._datetime_style = style("DD/MM/YYYY HH:MM")
        self._ws = ws
        self.row = 0
        ws._writer = _sheet_writer(ws)  # noqa: SLF001
        ws._writer.write_top()  # noqa: SLF001 - the sheet's views and columns
        self._gen = self._sheet_data()
        next(self._gen)
        ws._rows = self._gen  # noqa: SLF001 - ws.close() ends sheetData through it

    def _sheet_data(self) -> Any:
        writer = self._ws._writer  # noqa: SLF001
        xf = writer.xf.send(True)
        # lxml's stream empties its buffer on flush(), so the rows' text can follow it into
        # the file. et_xmlfile (openpyxl's writer when lxml is missing) has no flush(): the
        # rows are parsed back into elements and written through it, slower but the same.
        flush = getattr(xf, "flush", None)
        with xf.element("sheetData"):
            try:
                while True:
                    item = yield
                    if isinstance(item, tuple):  # (row number, cells) through openpyxl
                        idx, cells = item
                        writer.write_row(xf, self._ws._values_to_row(cells, idx), idx)  # noqa: SLF001
                    elif flush is not None:  # rows as XML text, past the stream's buffer
                        flush()
                        writer.raw.write(item.encode("utf-8"))
                    else:
                        for element in _fromstring(f"<rows>{item}</rows>"):
                            xf.write(element)
            except GeneratorExit:
                pass
        writer.xf.send(None)

    def cells(self, values: list[Any]) -> None:
        """One row through openpyxl (styled cells allowed)."""
        self.row += 1
        self._gen.send((self.row, values))

    def values(self, rows: Iterable[Sequence[Any]], batch: int = 256) -> int:
        """Every row of ``rows`` as data rows; returns how many."""
        n = 0
        pending: list[str] = []
        row_xml = self._row_xml
        for row in rows:
            self.row += 1
            pending.append(row_xml(self.row, row))
            n += 1
            if len(pending) >= batch:
                self._gen.send("".join(pending))
                pending.clear()
        if pending:
            self._gen.send("".join(pending))
        return n

    def _row_xml(self, r: int, row: Sequence[Any]) -> str:
        letters, styles = self._letters, self._styles
        out = [f'<row r="{r}">']
        for i, value in enumerate(row):
            if value is None or value == "":
                continue
            kind = type(value)
            ref = f"{letters[i]}{r}"
            if kind is str:  # _text() inlined: most cells are text
                if len(value) > _MAX_TEXT or _ILLEGAL_XML.search(value):
                    text = _text(value)
                else:
                    value = value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
                    text = (f"<t>{value}</t>" if not (value[0].isspace() or value[-1].isspace())
                            else f'<t xml:space="preserve">{value}</t>')
                out.append(f'<c r="{ref}"{styles[i]} t="inlineStr"><is>{text}</is></c>')
            elif kind is int or kind is float:
                if kind is float and not math.isfinite(value):
                    out.append(f'<c r="{ref}" t="inlineStr"><is>{_text(str(value))}</is></c>')
                else:
                    out.append(f'<c r="{ref}"{styles[i]}><v>{value!r}</v></c>')
            elif kind is date:
                serial = value.toordinal() - _EXCEL_EPOCH
                if serial <= 60:  # Excel's 1900 leap-year bug: let openpyxl work it out
                    serial = _to_excel(value)
                out.append(f'<c r="{ref}"{styles[i] or self._date_style}><v>{serial}</v></c>')
            elif kind is datetime:
                if i in self._date_cols:  # a date column shows the day only, as it did
                    day = value.toordinal() - _EXCEL_EPOCH
                    out.append(f'<c r="{ref}"{styles[i]}><v>{day}</v></c>' if day > 60 else
                               self._other(ref, styles[i], value.date()))
                else:
                    out.append(self._other(ref, styles[i], value))
            elif kind is bool:
                out.append(f'<c r="{ref}" t="b"><v>{int(value)}</v></c>')
            elif isinstance(value, (Decimal, int, float, date)):  # subclasses: the slow, sure way
                out.append(self._other(ref, styles[i], value))
            else:
                out.append(f'<c r="{ref}"{styles[i]} t="inlineStr"><is>{_text(str(value))}</is></c>')
        out.append("</row>")
        return "".join(out)

    def _other(self, ref: str, style: str, value: Any) -> str:
        if isinstance(value, datetime):
            return f'<c r="{ref}"{style or self._datetime_style}><v>{_to_excel(value)!r}</v></c>'
        if isinstance(value, date):
            return f'<c r="{ref}"{style or self._date_style}><v>{_to_excel(value)}</v></c>'
        if isinstance(value, bool):
            return f'<c r="{ref}" t="b"><v>{int(value)}</v></c>'
        if isinstance(value, int):  # an IntEnum, say
            return f'<c r="{ref}"{style}><v>{int(value)}</v></c>'
        number = float(value)  # Decimal or a float subclass
        if not math.isfinite(number):
            return f'<c r="{ref}" t="inlineStr"><is>{_text(str(value))}</is></c>'
        return f'<c r="{ref}"{style}><v>{number!r}</v></c>'


def _sheet_writer(ws: Any) -> Any:
    """openpyxl's worksheet writer, but streaming its XML into a file object it keeps as
    ``raw`` (openpyxl's own lets the XML library open the file by name)."""
    from openpyxl.worksheet._writer import WorksheetWriter
    from openpyxl.xml.constants import SHEET_MAIN_NS
    from openpyxl.xml.functions import xmlfile

    class Writer(WorksheetWriter):
        raw: BinaryIO

        def get_stream(self) -> Any:
            with open(self.out, "wb") as fh, xmlfile(fh) as xf:  # noqa: PTH123
                self.raw = fh
                with xf.element("worksheet", xmlns=SHEET_MAIN_NS):
                    try:
                        while True:
                            el = yield
                            if el is True:
                                yield xf
                            elif el is not None:
                                xf.write(el)
                    except GeneratorExit:
                        pass

    return Writer(ws)


def _fromstring(text: str) -> Any:
    from openpyxl.xml.functions import fromstring

    return fromstring(text)


def _to_excel(value: date) -> Any:
    from openpyxl.utils.datetime import to_excel

    return to_excel(value)


_ILLEGAL_XML = re.compile(r"[\000-\010\013\014\016-\037]")


def _text(value: str) -> str:
    """``<t>`` of an inline string: escaped, without the control characters XML forbids."""
    if len(value) > _MAX_TEXT:
        value = value[:_MAX_TEXT]
    if _ILLEGAL_XML.search(value):
        value = _ILLEGAL_XML.sub("", value)
    value = value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    if value[:1].isspace() or value[-1:].isspace():
        return f'<t xml:space="preserve">{value}</t>'
    return f"<t>{value}</t>"


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
