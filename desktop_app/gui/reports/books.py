"""The office's books on screen: the Buku Register of an SOP and the Buku Agenda Surat
Keluar, filtered by period and status, printed and exported.

Both are one :class:`BookWindow`: filters on top (an invalid period is said at the field),
the lazy table (double-click opens the case), and the export buttons. The rows come from
:mod:`core.reports.register` and :mod:`core.reports.agenda`, which check the reader's
access themselves.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QSize, Qt, QTimer
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from desktop_app.core.errors import AppError, ValidationError
from desktop_app.core.reports import access, agenda, export, printing, register
from desktop_app.core.reports.period import Period, check_period
from desktop_app.gui import case_actions
from desktop_app.gui.admin.forms import FieldErrors
from desktop_app.gui.case_table import CaseTableView
from desktop_app.gui.context import AppContext
from desktop_app.gui.reports.common import ExportButtons, LazyRowsModel, PeriodPicker
from desktop_app.gui.screen_fit import fit_to_screen


def _number(n: int) -> str:
    return f"{n:,}".replace(",", ".")


class BookWindow(QWidget):
    """Shared frame of the register and the agenda windows."""

    title_text = ""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.ctx = ctx
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
        self.setWindowTitle(self.title_text)
        self.errors = FieldErrors()
        self.title = QLabel()
        self.title.setProperty("role", "title")
        self.subtitle = QLabel()
        self.subtitle.setProperty("role", "subtitle")
        self.sop_combo = QComboBox()
        self.period = PeriodPicker(ctx.db.now().date())
        self.status_combo = QComboBox()
        self.count_label = QLabel()
        self.count_label.setProperty("role", "subtitle")
        self.model = LazyRowsModel([], [], self)
        self.view = CaseTableView(self)
        self.view.setModel(self.model)
        self.view.verticalHeader().setVisible(True)
        self.view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.view.activatedCase.connect(self.open_case)
        self.buttons = ExportButtons(self.make_file, self.file_stem, self,
                                     on_refused=self._refused)
        self.buttons.exported.connect(
            lambda path: self.count_label.setText(self.tr("Tersimpan: {p}").format(p=path)))
        self.model.loaded.connect(self._loaded)
        self.model.failed.connect(self._failed)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(150)
        self._timer.timeout.connect(self.reload)
        self._build()

    def _build(self) -> None:
        filters = QHBoxLayout()
        filters.addWidget(self.errors.wrap("sop", self.sop_combo))
        filters.addWidget(self.errors.wrap("periode", self.period))
        filters.addWidget(self.errors.wrap("status", self.status_combo))
        filters.addStretch(1)
        filters.addWidget(self.buttons)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(self.subtitle)
        layout.addLayout(filters)
        layout.addWidget(self.errors.general)
        layout.addWidget(self.count_label)
        layout.addWidget(self.view, 1)
        self.sop_combo.currentIndexChanged.connect(lambda _i: self._timer.start())
        self.status_combo.currentIndexChanged.connect(lambda _i: self._timer.start())
        self.period.changed.connect(self._timer.start)
        fit_to_screen(self, QSize(1280, 760))

    # -- what the subclasses give
    def query(self) -> Any:
        raise NotImplementedError

    def columns(self, q: Any) -> list[export.Column]:
        raise NotImplementedError

    def sources(self, q: Any) -> tuple[Any, Any, Any]:
        raise NotImplementedError

    def table(self, q: Any) -> export.ReportTable:
        raise NotImplementedError

    def file_stem(self) -> str:
        raise NotImplementedError

    # -- behaviour
    def period_value(self) -> Period:
        start, end = self.period.dates()
        return check_period(start, end)

    def reload(self) -> None:
        """Apply the filters: a bad period is shown at its field and nothing is loaded."""
        self.errors.clear()
        try:
            q = self.query()
        except ValidationError as exc:
            self.errors.show(exc)
            self.model.set_columns([], [])
            self.count_label.setText("")
            return
        columns = self.columns(q)
        self.model.set_columns([c.label for c in columns], [c.kind for c in columns])
        self.count_label.setText(self.tr("Memuat…"))
        first, ids, rows = self.sources(q)
        self.model.load(first, ids, rows)
        self._size_columns(columns)

    def _size_columns(self, columns: list[export.Column]) -> None:
        fm = self.view.fontMetrics()
        header = self.view.horizontalHeader()
        for i, col in enumerate(columns):
            header.resizeSection(i, max(fm.horizontalAdvance("0") * col.chars,
                                        fm.horizontalAdvance(col.label)) + 16)

    def _loaded(self, total: int) -> None:
        self.count_label.setText(self.tr("{n} baris").format(n=_number(total)))

    def _failed(self, exc: Exception) -> None:
        self.count_label.setText("")
        if isinstance(exc, ValidationError):
            self.errors.show(exc)
        else:
            self.errors.show({"_": exc.message if isinstance(exc, AppError) else self.tr(
                "Data tidak dapat dimuat; rinciannya tercatat di log program.")})

    def _refused(self, exc: AppError) -> None:
        self.errors.show(exc if isinstance(exc, ValidationError) else {"_": exc.message})

    def make_file(self, fmt: str) -> Any:
        """The export job of the filters shown now (they are read here, on the GUI thread)."""
        q = self.query()
        db, actor = self.ctx.db, self.ctx.user

        def job(path: Path) -> Path:
            table = self.table(q)
            if fmt == "pdf":
                return export.write_bytes(path, printing.table_pdf(db, actor, table))
            return export.export_table(path, table, fmt)

        return job

    def open_case(self, case_id: int) -> None:
        case_actions.open_case(self.ctx, case_id, self, self.reload)


class RegisterWindow(BookWindow):
    """Buku Register of one SOP (the SOPs the user holds a lane in; heads see all)."""

    title_text = "Buku Register"

    def __init__(self, ctx: AppContext, sop_code: str | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        for sop in access.visible_sops(ctx.user, ctx.sops):
            self.sop_combo.addItem(sop.tab_label, sop.code)
        if sop_code is not None and self.sop_combo.findData(sop_code) >= 0:
            self.sop_combo.setCurrentIndex(self.sop_combo.findData(sop_code))
        for code, label in register.STATUS_CHOICES:
            self.status_combo.addItem(label, code)
        self.reload()

    def query(self) -> register.RegisterQuery:
        code = self.sop_combo.currentData()
        if not code:
            raise ValidationError({"sop": self.tr("Peran Anda tidak memegang langkah dalam "
                                                  "SOP mana pun.")})
        status = self.status_combo.currentData()
        return register.RegisterQuery(code, self.period_value(), (status,) if status else ())

    def columns(self, q: register.RegisterQuery) -> list[export.Column]:
        return list(register.columns(self.ctx.sop(q.sop_code))[1:])  # the view numbers rows

    def sources(self, q: register.RegisterQuery) -> tuple[Any, Any, Any]:
        db, actor = self.ctx.db, self.ctx.user
        sop = self.ctx.sop(q.sop_code)
        self.title.setText(sop.register_name)
        self.subtitle.setText(self.tr("SOP {n} · {period}").format(n=sop.number,
                                                                  period=q.period.label))

        def rows(ids: list[int]) -> list[tuple[int, int, tuple[Any, ...]]]:
            return [(r.case_id, r.case_id, r.values)
                    for r in register.rows_for(db, actor, q.sop_code, ids)]

        return (lambda: [(r.case_id, r.case_id, r.values)
                         for r in register.first_page(db, actor, q)],
                lambda: register.case_ids(db, actor, q), rows)

    def table(self, q: register.RegisterQuery) -> export.ReportTable:
        return register.table(self.ctx.db, self.ctx.user, q)

    def file_stem(self) -> str:
        try:
            q = self.query()
        except ValidationError:
            return "Buku_Register"
        prefix = self.ctx.sop(q.sop_code).register_prefix
        return f"Buku_Register_{prefix}_{q.period.start:%Y-%m-%d}_{q.period.end:%Y-%m-%d}"


class AgendaWindow(BookWindow):
    """Buku Agenda Surat Keluar: every letter number, of one SOP or all the user may see."""

    title_text = "Buku Agenda Surat Keluar"

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.sop_combo.addItem(self.tr("Semua layanan"), "")
        for sop in access.visible_sops(ctx.user, ctx.sops):
            self.sop_combo.addItem(sop.tab_label, sop.code)
        for code, label in agenda.STATUS_CHOICES:
            self.status_combo.addItem(label, code)
        self.title.setText(self.tr("Buku Agenda Surat Keluar"))
        self.reload()

    def query(self) -> agenda.AgendaQuery:
        return agenda.AgendaQuery(self.period_value(), self.sop_combo.currentData() or None,
                                  self.status_combo.currentData() or "")

    def columns(self, q: agenda.AgendaQuery) -> list[export.Column]:
        return list(agenda.COLUMNS[1:])

    def sources(self, q: agenda.AgendaQuery) -> tuple[Any, Any, Any]:
        db, actor = self.ctx.db, self.ctx.user
        self.subtitle.setText(self.tr("Nomor surat yang diambil: {period}").format(
            period=q.period.label))

        def rows(ids: list[int]) -> list[tuple[int, int, tuple[Any, ...]]]:
            return [(r.document_id, r.case_id, r.values) for r in agenda.rows_for(db, actor, ids)]

        def first() -> list[tuple[int, int, tuple[Any, ...]]]:
            return rows(agenda.document_ids(db, actor, q)[:100])

        return first, lambda: agenda.document_ids(db, actor, q), rows

    def table(self, q: agenda.AgendaQuery) -> export.ReportTable:
        return agenda.table(self.ctx.db, self.ctx.user, q)

    def file_stem(self) -> str:
        try:
            p = self.period_value()
        except ValidationError:
            return "Agenda_Surat_Keluar"
        return f"Agenda_Surat_Keluar_{p.start:%Y-%m-%d}_{p.end:%Y-%m-%d}"
