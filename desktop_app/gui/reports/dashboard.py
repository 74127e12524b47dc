"""The standard-time dashboard (Dasbor Waktu Baku) with QtCharts.

Per month: bars of the share of steps and of cases finished within their standard time, and
last year's share of steps as a line (the trend). Per step (one SOP) or per SOP (all): bars
of the share on time. Tables of the steps and lanes (average and p90 against the standard)
and the late list with who holds each case. Clicking a bar lists the cases behind it; a
double-click there (or in the late list) opens the case. Figures come from
:func:`core.reports.standard_time.dashboard`, computed off the GUI thread.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCharts import (
    QBarCategoryAxis,
    QBarSeries,
    QBarSet,
    QChart,
    QChartView,
    QHorizontalBarSeries,
    QLineSeries,
    QValueAxis,
)
from PySide6.QtCore import QMargins, QSize, Qt, Signal
from PySide6.QtGui import QColor, QPainter
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSpinBox,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from desktop_app.core import workflow
from desktop_app.core.formatting import bulan, durasi, tanggal, tanggal_jam
from desktop_app.core.reports import access, standard_time
from desktop_app.core.reports.standard_time import Dashboard, DashboardQuery, Share
from desktop_app.gui import case_actions
from desktop_app.gui.case_table import short_activity
from desktop_app.gui.context import AppContext
from desktop_app.gui.reports.common import alive, show_failure
from desktop_app.gui.screen_fit import fit_to_screen
from desktop_app.gui.workers import Generation, run_task

STEP_COLOR = QColor("#1e88e5")
CASE_COLOR = QColor("#43a047")
TREND_COLOR = QColor("#8e24aa")
LATE_COLOR = QColor("#e53935")


def _pct(share: Share) -> float:
    return round(100 * share.ratio, 1) if share.ratio is not None else 0.0


def _pct_text(share: Share) -> str:
    return "-" if share.ratio is None else f"{100 * share.ratio:.1f}%".replace(".", ",")


def _late_text(d: Dashboard) -> str:
    if d.late_total > standard_time.LATE_COUNT_CAP:
        return f"lebih dari {standard_time.LATE_COUNT_CAP:,}".replace(",", ".")
    return f"{d.late_total:,}".replace(",", ".")


def _table(headers: list[str]) -> QTableWidget:
    table = QTableWidget(0, len(headers))
    table.setHorizontalHeaderLabels(headers)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.verticalHeader().setVisible(False)
    table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    table.horizontalHeader().setStretchLastSection(True)
    table.setAlternatingRowColors(True)
    return table


def _fill(table: QTableWidget, rows: list[list[Any]], ids: list[int] | None = None) -> None:
    table.setRowCount(len(rows))
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            item = QTableWidgetItem(str(value))
            if isinstance(value, (int, float)) or str(value).endswith("%"):
                item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            if ids is not None:
                item.setData(Qt.ItemDataRole.UserRole, ids[r])
            table.setItem(r, c, item)


class CasesDialog(QDialog):
    """The cases behind a bar; a double-click opens one."""

    def __init__(self, ctx: AppContext, title: str, rows: list[Any],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle(title)
        self.table = _table([self.tr("No. Register"), self.tr("Layanan"),
                             self.tr("Pemohon / Perusahaan / Kegiatan"), self.tr("Status"),
                             self.tr("Tanggal Daftar")])
        names = {s.code: s.tab_label for s in ctx.sops}
        _fill(self.table, [[r.register_number, names.get(r.sop_code, r.sop_code), r.title,
                            workflow.STATUS_LABELS.get(r.status, r.status),
                            tanggal(r.registered_at)] for r in rows], [r.id for r in rows])
        self.table.itemDoubleClicked.connect(
            lambda item: case_actions.open_case(ctx, item.data(Qt.ItemDataRole.UserRole), self,
                                                lambda: None))
        note = QLabel(self.tr("{n} berkas (paling banyak 1.000 ditampilkan). Klik dua kali "
                              "untuk membuka.").format(n=len(rows)))
        layout = QVBoxLayout(self)
        layout.addWidget(note)
        layout.addWidget(self.table)
        fit_to_screen(self, QSize(900, 520))


class DashboardWindow(QWidget):
    """Dasbor Waktu Baku: how the office meets the SOPs' standard times."""

    loaded = Signal()

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.ctx = ctx
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
        self.setWindowTitle(self.tr("Dasbor Waktu Baku"))
        self.data: Dashboard | None = None
        self._gen = Generation()
        self.sop_combo = QComboBox()
        self.sop_combo.addItem(self.tr("Semua layanan"), "")
        for sop in access.visible_sops(ctx.user, ctx.sops):
            self.sop_combo.addItem(sop.tab_label, sop.code)
        self.year = QSpinBox()
        self.year.setRange(2000, 2100)
        self.year.setValue(ctx.db.now().year)
        self.refresh_button = QPushButton(self.tr("Muat Ulang"))
        self.summary = QLabel(self.tr("Memuat…"))
        self.summary.setProperty("role", "subtitle")
        self.months_chart = QChartView()
        self.parts_chart = QChartView()
        for view in (self.months_chart, self.parts_chart):
            view.setRenderHint(QPainter.RenderHint.Antialiasing)
            view.setMinimumHeight(260)
        self.steps_table = _table([self.tr("Layanan"), self.tr("Langkah"), self.tr("Pelaksana"),
                                   self.tr("Waktu baku"), self.tr("Jumlah"),
                                   self.tr("Tepat waktu"), self.tr("Rata-rata"),
                                   self.tr("P90")])
        self.lanes_table = _table([self.tr("Pelaksana"), self.tr("Jumlah"),
                                   self.tr("Tepat waktu"), self.tr("Rata-rata"),
                                   self.tr("P90"), self.tr("Rata-rata waktu baku")])
        self.late_table = _table([self.tr("No. Register"), self.tr("Layanan"),
                                  self.tr("Pemohon"), self.tr("Langkah"), self.tr("Pelaksana"),
                                  self.tr("Dipegang oleh"), self.tr("Batas waktu"),
                                  self.tr("Terlambat")])
        self.late_table.itemDoubleClicked.connect(
            lambda item: case_actions.open_case(ctx, item.data(Qt.ItemDataRole.UserRole), self,
                                                self.reload))
        self._build()
        self.reload()

    def _build(self) -> None:
        top = QHBoxLayout()
        top.addWidget(QLabel(self.tr("Layanan")))
        top.addWidget(self.sop_combo)
        top.addWidget(QLabel(self.tr("Tahun")))
        top.addWidget(self.year)
        top.addWidget(self.refresh_button)
        top.addStretch(1)
        charts = QSplitter(Qt.Orientation.Horizontal)
        charts.addWidget(self.months_chart)
        charts.addWidget(self.parts_chart)
        charts.setSizes([620, 480])
        tabs = QTabWidget()
        tabs.addTab(self.late_table, self.tr("Berkas terlambat"))
        tabs.addTab(self.steps_table, self.tr("Per langkah"))
        tabs.addTab(self.lanes_table, self.tr("Per pelaksana"))
        self.tabs = tabs
        body = QSplitter(Qt.Orientation.Vertical)
        body.addWidget(charts)
        body.addWidget(tabs)
        body.setSizes([330, 330])
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.summary)
        layout.addWidget(body, 1)
        self.sop_combo.currentIndexChanged.connect(lambda _i: self.reload())
        self.year.valueChanged.connect(lambda _v: self.reload())
        self.refresh_button.clicked.connect(self.reload)
        fit_to_screen(self, QSize(1200, 820))

    def query(self) -> DashboardQuery:
        return DashboardQuery(self.year.value(), self.sop_combo.currentData() or None)

    def reload(self) -> None:
        gen = self._gen.next()
        q = self.query()
        db, actor = self.ctx.db, self.ctx.user
        self.summary.setText(self.tr("Memuat…"))

        def done(result: Dashboard) -> None:
            if alive(self) and self._gen.is_current(gen):
                self.show_dashboard(result)
                self.loaded.emit()

        def failed(exc: Exception) -> None:
            if alive(self) and self._gen.is_current(gen):
                self.summary.setText("")
                show_failure(self, self.tr("Dasbor Waktu Baku"), exc)

        run_task(lambda: standard_time.dashboard(db, actor, q), done, failed)

    # ------------------------------------------------------------------ showing

    def show_dashboard(self, d: Dashboard) -> None:
        self.data = d
        self.summary.setText(self.tr(
            "Tahun {y}: {steps} langkah, {sp} tepat waktu · {cases} berkas selesai, {cp} dalam "
            "waktu baku · {late} berkas sedang terlambat").format(
            y=d.query.year, steps=d.steps_year.done, sp=_pct_text(d.steps_year),
            cases=d.cases_year.done, cp=_pct_text(d.cases_year), late=_late_text(d)))
        self.months_chart.setChart(self._months_chart(d))
        self.parts_chart.setChart(self._parts_chart(d))
        per_day = d.minutes_per_day
        names = {s.code: s.tab_label for s in d.sops}

        def span(value: float | int | None) -> str:
            return "-" if value is None else durasi(round(value), per_day)

        steps = [s for s in d.steps if s.durations.n or d.query.sop_code]
        _fill(self.steps_table, [[names[s.sop_code], f"{s.step_no}. {short_activity(s.activity)}",
                                  s.lane,
                                  s.standard_text, s.durations.n, _pct_text(s.durations.share),
                                  span(s.durations.average), span(s.durations.percentile(0.9))]
                                 for s in steps])
        _fill(self.lanes_table, [[lane, x.n, _pct_text(x.share), span(x.average),
                                  span(x.percentile(0.9)), span(x.standard_average)]
                                 for lane, x in sorted(d.lanes.items())])
        _fill(self.late_table, [[c.register_number, names[c.sop_code], c.title,
                                 f"{c.step_no}. {short_activity(c.activity)}", c.lane, c.holders,
                                 tanggal_jam(c.due), durasi(c.late_minutes, per_day)]
                                for c in d.late], [c.case_id for c in d.late])
        self.tabs.setTabText(0, self.tr("Berkas terlambat ({n})").format(n=_late_text(d)))

    def _months_chart(self, d: Dashboard) -> QChart:
        steps = QBarSet(self.tr("Langkah tepat waktu (%)"))
        cases = QBarSet(self.tr("Berkas selesai dalam waktu baku (%)"))
        steps.setColor(STEP_COLOR)
        cases.setColor(CASE_COLOR)
        trend = QLineSeries()
        trend.setName(self.tr("Langkah tepat waktu {y} (%)").format(y=d.query.year - 1))
        trend.setColor(TREND_COLOR)
        for m in range(1, 13):
            steps.append(_pct(d.steps_by_month[m]))
            cases.append(_pct(d.cases_by_month[m]))
            prev = d.previous_steps_by_month[m]
            if prev.done:
                trend.append(m - 1, _pct(prev))
        series = QBarSeries()
        series.append(steps)
        series.append(cases)
        series.clicked.connect(self._month_clicked)
        chart = QChart()
        chart.setTitle(self.tr("Ketepatan waktu per bulan, {y}").format(y=d.query.year))
        chart.addSeries(series)
        chart.addSeries(trend)
        axis_x = QBarCategoryAxis()
        axis_x.append([bulan(m)[:3] for m in range(1, 13)])
        axis_y = QValueAxis()
        axis_y.setRange(0, 100)
        axis_y.setLabelFormat("%d%%")
        chart.addAxis(axis_x, Qt.AlignmentFlag.AlignBottom)
        chart.addAxis(axis_y, Qt.AlignmentFlag.AlignLeft)
        for s in (series, trend):
            s.attachAxis(axis_x)
            s.attachAxis(axis_y)
        chart.legend().setAlignment(Qt.AlignmentFlag.AlignBottom)
        chart.setMargins(QMargins(4, 4, 4, 4))
        return chart

    def _parts(self, d: Dashboard) -> list[tuple[str, Share, Any]]:
        if d.query.sop_code:
            return [(f"{s.step_no}. {s.lane}", s.durations.share, (s.sop_code, s.step_no))
                    for s in d.steps]
        return [(s.tab_label, d.per_sop[s.code], (s.code, None)) for s in d.sops]

    def _parts_chart(self, d: Dashboard) -> QChart:
        parts = self._parts(d)
        on_time = QBarSet(self.tr("Tepat waktu (%)"))
        on_time.setColor(STEP_COLOR)
        for _label, share, _key in parts:
            on_time.append(_pct(share))
        series = QHorizontalBarSeries()
        series.append(on_time)
        series.clicked.connect(self._part_clicked)
        chart = QChart()
        chart.setTitle(self.tr("Langkah tepat waktu per langkah") if d.query.sop_code
                       else self.tr("Langkah tepat waktu per layanan"))
        chart.addSeries(series)
        axis_y = QBarCategoryAxis()
        axis_y.append([label for label, _s, _k in parts] or ["-"])
        axis_x = QValueAxis()
        axis_x.setRange(0, 100)
        axis_x.setLabelFormat("%d%%")
        chart.addAxis(axis_y, Qt.AlignmentFlag.AlignLeft)
        chart.addAxis(axis_x, Qt.AlignmentFlag.AlignBottom)
        series.attachAxis(axis_y)
        series.attachAxis(axis_x)
        chart.legend().hide()
        chart.setMargins(QMargins(4, 4, 4, 4))
        return chart

    # ------------------------------------------------------------------ clicks

    def cases_for(self, **kwargs: Any) -> CasesDialog | None:
        """List the cases behind a bar (``standard_time.cases_behind`` arguments)."""
        try:
            rows = standard_time.cases_behind(self.ctx.db, self.ctx.user, self.query(),
                                              **kwargs)
        except Exception as exc:  # noqa: BLE001 - shown, and logged when unexpected
            show_failure(self, self.tr("Dasbor Waktu Baku"), exc)
            return None
        dialog = CasesDialog(self.ctx, self._title(**kwargs), rows, self)
        self.last_cases = dialog
        dialog.show()
        return dialog

    def _title(self, month: int | None = None, finished: bool = False,
               late_only: bool = False, **_: Any) -> str:
        what = self.tr("Berkas selesai") if finished else self.tr("Berkas dengan langkah")
        if late_only:
            what += self.tr(" yang melewati waktu baku")
        when = f"{bulan(month)} {self.year.value()}" if month else str(self.year.value())
        return f"{what} — {when}"

    def _month_clicked(self, index: int, barset: QBarSet) -> None:
        finished = barset.label() == self.tr("Berkas selesai dalam waktu baku (%)")
        self.cases_for(month=index + 1, finished=finished, late_only=not finished)

    def _part_clicked(self, index: int, _barset: QBarSet) -> None:
        if self.data is None:
            return
        parts = self._parts(self.data)
        if 0 <= index < len(parts):
            sop_code, step_no = parts[index][2]
            self.cases_for(sop_code=sop_code, step_no=step_no, late_only=True)
