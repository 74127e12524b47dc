"""One tab per SOP: counts per status, search and filters, and the lazy case list."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from PySide6.QtCore import QDate, Qt, QTimer, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop_app.core import cases, workflow
from desktop_app.core.sop import Sop
from desktop_app.gui import case_actions
from desktop_app.gui.case_table import (
    DEFAULT_SORT_COLUMN,
    CaseTableModel,
    CaseTableView,
)
from desktop_app.gui.context import AppContext
from desktop_app.gui.date_input import DateInput
from desktop_app.gui.keyboard import down_to_list
from desktop_app.gui.workers import Generation, run_task

SEARCH_DEBOUNCE_MS = 250
NO_DATE = QDate(2000, 1, 1)  # the date edits' "no date" value, shown as "—"
OPEN = "__open__"


def _number(n: int) -> str:
    return f"{n:,}".replace(",", ".")


COUNT_MAX_CHARS = 60
"""Longest text the count label shows (about 400 px): a failure's first sentence, cut."""


def short_message(message: str, limit: int = COUNT_MAX_CHARS) -> str:
    """The first sentence of ``message`` (without its full stop), cut at a word with "…"
    beyond ``limit`` characters: "Koneksi ke server basis data terputus (host)"."""
    first = message.strip().split(". ", 1)[0].rstrip(".")
    if len(first) <= limit:
        return first
    cut = first[:limit - 1]
    if " " in cut:
        cut = cut[:cut.rindex(" ")]
    return cut.rstrip(" ,;:") + "…"


class SopTab(QWidget):
    """Cases of one SOP: header counts, filters, "Baru", "Buka", "Lihat SOP", the table."""

    casesChanged = Signal()  # noqa: N815 - Qt naming; a case was registered or acted upon

    def __init__(self, ctx: AppContext, sop: Sop, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.sop = sop
        self._summary_gen = Generation()
        self.setObjectName(f"sopTab_{sop.code}")

        self.title_label = QLabel(sop.tab_label)
        self.title_label.setProperty("role", "title")
        self.number_label = QLabel(self.tr("{name} — SOP {number}").format(
            name=sop.name, number=sop.number))
        self.number_label.setProperty("role", "subtitle")
        self.number_label.setWordWrap(True)
        self.summary_box = QHBoxLayout()
        self.summary_box.setSpacing(6)
        self.count_label = QLabel()
        self.count_label.setProperty("role", "subtitle")

        self.search_edit = QLineEdit()
        self.search_edit.setPlaceholderText(self.tr("Cari NIK, nama, atau nomor register (Ctrl+F)"))
        self.search_edit.setClearButtonEnabled(True)
        self.search_edit.setMinimumWidth(280)
        self.status_combo = QComboBox()
        # Item data is never None: PySide6 6.12 mishandles None coming back from Qt.
        self.status_combo.addItem(self.tr("Semua status"), "")
        self.status_combo.addItem(self.tr("Masih terbuka"), OPEN)
        for code, label in workflow.STATUS_LABELS.items():
            self.status_combo.addItem(label, code)
        self.lane_combo = QComboBox()
        self.lane_combo.addItem(self.tr("Semua pelaksana"), "")
        for lane in sop.lanes:
            self.lane_combo.addItem(lane.name, lane.code)
        self.from_edit = self._date_edit()
        self.to_edit = self._date_edit()
        self.late_check = QCheckBox(self.tr("Hanya yang terlambat"))

        self.new_button = QPushButton(self.tr("&Baru"))
        self.new_button.setToolTip(self.tr("Daftarkan berkas baru (Ctrl+N)"))
        self.new_button.setEnabled(case_actions.can_register(sop, ctx.actor))
        self.open_button = QPushButton(self.tr("B&uka"))
        self.open_button.setToolTip(self.tr("Buka berkas terpilih (Enter)"))
        self.sheet_button = QPushButton(self.tr("Lihat &SOP"))
        from desktop_app.core.sop_versions import active_label

        self.version_label = active_label(ctx.db, sop.code)
        self.sheet_button.setToolTip(self.tr("SOP {number}, versi untuk berkas baru: "
                                             "{version}").format(number=sop.number,
                                                                 version=self.version_label))

        self.model = CaseTableModel(ctx, cases.CaseQuery(sop_code=sop.code), self)
        self.view = CaseTableView(self)
        down_to_list(self.search_edit, self.view)  # Down: into the list; Enter opens
        self.view.setModel(self.model)
        self.view.setSortingEnabled(False)
        self.view.horizontalHeader().setSortIndicator(DEFAULT_SORT_COLUMN,
                                                     Qt.SortOrder.DescendingOrder)
        self.view.setSortingEnabled(True)  # header clicks call model.sort() → SQL ORDER BY
        self._layout_columns()

        self._build_layout()
        self._connect()
        self._started = False  # the list loads when the tab is first shown
        self._summary_pending = False

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802
        super().showEvent(event)
        if not self._started:
            self._started = True
            self.refresh()

    def _date_edit(self) -> QDateEdit:
        edit = DateInput(empty_date=NO_DATE)  # typed ddmmyyyy; Tab never stays inside
        edit.setMinimumWidth(110)
        return edit

    def _layout_columns(self) -> None:
        header = self.view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        fm = self.view.fontMetrics()
        widths = {0: fm.horizontalAdvance("PSPR/2026/000000") + 24,
                  1: fm.horizontalAdvance("28 September 2026") + 24,
                  2: fm.horizontalAdvance("M") * 20,
                  3: fm.horizontalAdvance("M") * 24,
                  4: fm.horizontalAdvance("Kabid & Sekretaris") + 24,
                  5: fm.horizontalAdvance("Menunggu Verifikasi") + 24,
                  7: fm.horizontalAdvance("Versi SOP") + 24}
        self.view.apply_column_widths(widths)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(6, QHeaderView.ResizeMode.Stretch)
        header.setMinimumSectionSize(60)

    def _build_layout(self) -> None:
        top = QHBoxLayout()
        titles = QVBoxLayout()
        titles.setSpacing(0)
        titles.addWidget(self.title_label)
        titles.addWidget(self.number_label)
        top.addLayout(titles, 1)
        top.addWidget(self.sheet_button, 0, Qt.AlignmentFlag.AlignTop)

        summary = QHBoxLayout()
        summary.addLayout(self.summary_box)
        summary.addStretch(1)
        summary.addWidget(self.count_label)

        # Two rows, so the tab fits a 1093-pixel-wide screen (1366x768 at 125 %): the search
        # box with the buttons, then the filters.
        search_row = QHBoxLayout()
        search_row.addWidget(self.search_edit, 1)
        search_row.addWidget(self.new_button)
        search_row.addWidget(self.open_button)
        filters = QHBoxLayout()
        filters.addWidget(self.status_combo)
        filters.addWidget(self.lane_combo)
        dari = QLabel(self.tr("Dari"))
        dari.setBuddy(self.from_edit)
        filters.addWidget(dari)
        filters.addWidget(self.from_edit)
        sampai = QLabel(self.tr("s.d."))
        sampai.setBuddy(self.to_edit)
        filters.addWidget(sampai)
        filters.addWidget(self.to_edit)
        filters.addWidget(self.late_check)
        filters.addStretch(1)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 4)
        layout.addLayout(top)
        layout.addLayout(summary)
        layout.addLayout(search_row)
        layout.addLayout(filters)
        layout.addWidget(self.view, 1)
        # Tab order follows the reading order: search, filters, buttons, then the table.
        order = [self.search_edit, self.new_button, self.open_button, self.status_combo,
                 self.lane_combo, self.from_edit, self.to_edit, self.late_check, self.view,
                 self.sheet_button]
        for a, b in zip(order, order[1:], strict=False):
            QWidget.setTabOrder(a, b)

    def _connect(self) -> None:
        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(SEARCH_DEBOUNCE_MS)
        self._search_timer.timeout.connect(self.apply_filters)
        self.search_edit.textChanged.connect(lambda _t: self._search_timer.start())
        self.search_edit.returnPressed.connect(self.apply_filters)
        self.status_combo.currentIndexChanged.connect(lambda _i: self.apply_filters())
        self.lane_combo.currentIndexChanged.connect(lambda _i: self.apply_filters())
        self.from_edit.dateChanged.connect(lambda _d: self.apply_filters())
        self.to_edit.dateChanged.connect(lambda _d: self.apply_filters())
        self.late_check.toggled.connect(lambda _b: self.apply_filters())
        self.new_button.clicked.connect(self.new_case)
        self.open_button.clicked.connect(self.open_selected)
        self.sheet_button.clicked.connect(self.show_sop_sheet)
        self.view.activatedCase.connect(self.open_case)
        self.model.loaded.connect(self._show_count)
        self.model.loadingChanged.connect(self._on_loading)
        self.model.failed.connect(self._show_failure)
        self._clock_timer = QTimer(self)
        self._clock_timer.setInterval(60_000)  # "Sisa Waktu" follows the clock
        self._clock_timer.timeout.connect(self.model.refresh_times)
        self._clock_timer.start()

    # ------------------------------------------------------------------------- queries

    def current_query(self) -> cases.CaseQuery:
        status = self.status_combo.currentData()
        statuses: tuple[str, ...] = ()
        if status == OPEN:
            statuses = workflow.OPEN_STATUSES
        elif status:
            statuses = (status,)
        return replace(
            self.model.query,
            statuses=statuses,
            lane=self.lane_combo.currentData() or None,
            date_from=self._date_of(self.from_edit),
            date_to=self._date_of(self.to_edit),
            late_only=self.late_check.isChecked(),
            search=self.search_edit.text().strip(),
        )

    @staticmethod
    def _date_of(edit: QDateEdit) -> date | None:
        d = edit.date()
        return None if d == NO_DATE else date(d.year(), d.month(), d.day())

    def apply_filters(self) -> None:
        self._search_timer.stop()
        query = self.current_query()
        if query != self.model.query:
            self.model.set_query(query)

    def refresh(self) -> None:
        """Reload counts and the list (F5, after an action)."""
        self._started = True
        self._search_timer.stop()
        query = self.current_query()
        if query != self.model.query:
            self.model.set_query(query)
        else:
            self.model.reload()
        self._summary_pending = True  # counted once the list is in (the two would compete)

    def focus_search(self) -> None:
        self.search_edit.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search_edit.selectAll()

    def _load_summary(self) -> None:
        gen = self._summary_gen.next()
        db, code = self.ctx.db, self.sop.code

        def done(summary: cases.Summary) -> None:
            from shiboken6 import isValid

            # A result for a tab closed meanwhile (its layout already gone) is dropped.
            if self._summary_gen.is_current(gen) and isValid(self.summary_box):
                self._show_summary(summary)

        run_task(lambda: cases.summarize(db, code), done, lambda _e: None)

    def _show_summary(self, summary: cases.Summary) -> None:
        while self.summary_box.count():
            item = self.summary_box.takeAt(0)
            if item.widget():
                item.widget().deleteLater()
        counts = dict(summary.by_status)
        waiting = getattr(summary, "awaiting_check", 0)
        labels = list(workflow.STATUS_LABELS.items())
        if workflow.check_step(self.sop) is not None:  # the citizens' word for the check
            counts[workflow.IN_PROGRESS] = counts.get(workflow.IN_PROGRESS, 0) - waiting
            labels.insert(0, ("_verifikasi", self.tr("Menunggu Verifikasi")))
            counts["_verifikasi"] = waiting
        for code, label in labels:
            n = counts.get(code, 0)
            chip = QLabel(f"{label}: {_number(n)}")
            chip.setProperty("role", "summary")
            self.summary_box.addWidget(chip)
        late = QLabel(self.tr("Terlambat: {n}").format(n=_number(summary.late)))
        late.setProperty("role", "summary-late" if summary.late else "summary")
        late.setToolTip(self.tr("Berkas yang melewati batas waktu langkahnya"))
        self.summary_box.addWidget(late)
        self.summary = summary

    def _on_loading(self, on: bool) -> None:
        if on:
            self.count_label.setText(self.tr("Memuat…"))

    def _show_failure(self, message: str) -> None:
        """The list could not be loaded: the message's first sentence in the count's place
        (short enough for a 1093-pixel-wide window beside the summary), all of it in the
        tooltip. A lost connection is also said by the main window's banner."""
        self.count_label.setText(short_message(message))
        self.count_label.setToolTip(message)

    def _show_count(self, total: int) -> None:
        self.count_label.setToolTip("")
        self.count_label.setText(self.tr("{n} berkas").format(n=_number(total)))
        if self._summary_pending:
            self._summary_pending = False
            self._load_summary()

    # ------------------------------------------------------------------------- actions

    def open_selected(self) -> None:
        case_id = self.view.current_case_id()
        if case_id is not None:
            self.open_case(case_id)

    def open_case(self, case_id: int) -> None:
        case_actions.open_case(self.ctx, case_id, self, self._changed)

    def new_case(self) -> None:
        case_actions.new_case(self.ctx, self.sop, self, lambda _case_id: self._changed())

    def show_sop_sheet(self) -> None:
        case_actions.show_sop_sheet(self.ctx, self.sop, self, self.version_label)

    def _changed(self) -> None:
        self.refresh()
        self.casesChanged.emit()
