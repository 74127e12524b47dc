"""Monthly recaps on screen: per SOP, AK/I (IPK forms), trainings, disputes, and the
satisfaction survey (IKM) — shown as tables, printed and exported.

The recap is computed off the GUI thread (:mod:`core.reports.recap`, :mod:`ipk`,
:mod:`survey`; each checks the reader's access) and shown as HTML tables drawn from the same
:class:`export.Recap` the PDF and the files are made of, so the screen and the paper agree.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QSize, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from desktop_app.core.auth import Actor
from desktop_app.core.db import Database
from desktop_app.core.errors import AppError, ValidationError
from desktop_app.core.reports import access, export, ipk, printing, recap, survey
from desktop_app.core.reports.export import Recap
from desktop_app.core.reports.period import Period, check_period
from desktop_app.core.reports.printing import cell_text
from desktop_app.gui.admin.forms import FieldErrors
from desktop_app.gui.context import AppContext
from desktop_app.gui.reports.common import ExportButtons, PeriodPicker, alive
from desktop_app.gui.screen_fit import fit_to_screen
from desktop_app.gui.workers import Generation, run_task


def _sop_recap(db: Database, actor: Actor, p: Period) -> Recap:
    return recap.sop_recap_table(recap.sop_recap(db, actor, p), p)


def _ak1(db: Database, actor: Actor, p: Period) -> Recap:
    return ipk.as_recap(ipk.ak1_recap(db, actor, p))


def _training(db: Database, actor: Actor, p: Period) -> Recap:
    return recap.training_recap_table(recap.training_recap(db, actor, p), p)


def _disputes(db: Database, actor: Actor, p: Period) -> Recap:
    return recap.dispute_recap_table(recap.dispute_recap(db, actor, p), p)


def _ikm(db: Database, actor: Actor, p: Period) -> Recap:
    return survey.ikm_recap(survey.ikm_report(db, actor, p))


# key, label, the SOP whose books it needs (None: any), the maker
KINDS: tuple[tuple[str, str, str | None, Callable[[Database, Actor, Period], Recap]], ...] = (
    ("layanan", "Rekapitulasi pelayanan per SOP", None, _sop_recap),
    ("ak1", "Rekapitulasi pencari kerja (AK/I, IPK III/1–III/2)", "ak1", _ak1),
    ("pelatihan", "Rekapitulasi peserta pelatihan", "pelatihan", _training),
    ("phi", "Rekapitulasi perselisihan hubungan industrial", "phi", _disputes),
    ("ikm", "Laporan Survei Kepuasan Masyarakat (IKM)", None, _ikm),
)


def recap_html(r: Recap) -> str:
    """The recap as simple HTML tables for the screen."""
    out = [f"<h2>{html.escape(r.title)}</h2><p>{html.escape(r.subtitle)}</p>"]
    if r.summary:
        out.append("<table border='1' cellspacing='0' cellpadding='3'>")
        for label, value in r.summary:
            out.append(f"<tr><td>{html.escape(label)}</td><td align='right'><b>"
                       f"{html.escape(cell_text(value))}</b></td></tr>")
        out.append("</table>")
    for sec in r.sections:
        if sec.heading:
            out.append(f"<h3>{html.escape(sec.heading)}</h3>")
        out.append("<table border='1' cellspacing='0' cellpadding='3' width='100%'>")
        for head in printing.header_rows(list(sec.columns), list(sec.groups)):
            out.append("<tr>" + "".join(
                f"<th colspan='{h['colspan']}' rowspan='{h['rowspan']}' bgcolor='#e8eef3'>"
                f"{html.escape(h['label'])}</th>" for h in head) + "</tr>")
        kinds = [c.kind for c in sec.columns]
        for n, row in enumerate(sec.rows):
            cells = []
            for i, value in enumerate(row):
                align = " align='right'" if kinds[i] in ("int", "money", "decimal",
                                                         "percent") else ""
                text = html.escape(cell_text(value, kinds[i]))
                cells.append(f"<td{align}>{'<b>' + text + '</b>' if n in sec.totals else text}"
                             "</td>")
            out.append("<tr>" + "".join(cells) + "</tr>")
        out.append("</table>")
        if sec.note:
            out.append(f"<p><small>{html.escape(sec.note)}</small></p>")
    for note in r.notes:
        out.append(f"<p><small>{html.escape(note)}</small></p>")
    return "".join(out)


class RecapWindow(QWidget):
    """Choose a recap and a period; see it; print or export it."""

    def __init__(self, ctx: AppContext, kind: str = "layanan",
                 parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.ctx = ctx
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
        self.setWindowTitle(self.tr("Rekapitulasi dan Laporan"))
        self.errors = FieldErrors()
        self.kind_combo = QComboBox()
        for key, label, sop_code, _make in KINDS:
            if sop_code is None or access.may_see_sop(ctx.user, ctx.sop(sop_code)):
                self.kind_combo.addItem(label, key)
        if self.kind_combo.findData(kind) >= 0:
            self.kind_combo.setCurrentIndex(self.kind_combo.findData(kind))
        today = ctx.db.now().date()
        self.period = PeriodPicker(today)
        self.period.quick.setCurrentIndex(self.period.quick.findData("bulan_lalu"))
        self.view = QTextBrowser()
        self.status = QLabel()
        self.status.setProperty("role", "subtitle")
        self.buttons = ExportButtons(self.make_file, self.file_stem, self,
                                     on_refused=self._refused)
        self.buttons.exported.connect(
            lambda path: self.status.setText(self.tr("Tersimpan: {p}").format(p=path)))
        self.recap: Recap | None = None
        self._gen = Generation()
        top = QHBoxLayout()
        top.addWidget(self.errors.wrap("jenis", self.kind_combo))
        top.addWidget(self.errors.wrap("periode", self.period))
        top.addStretch(1)
        top.addWidget(self.buttons)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.errors.general)
        layout.addWidget(self.status)
        layout.addWidget(self.view, 1)
        self.kind_combo.currentIndexChanged.connect(lambda _i: self.reload())
        self.period.changed.connect(self.reload)
        fit_to_screen(self, QSize(1180, 820))
        self.reload()

    def _refused(self, exc: AppError) -> None:
        self.errors.show(exc if isinstance(exc, ValidationError) else {"_": exc.message})

    def _maker(self) -> tuple[str, Callable[[Database, Actor, Period], Recap], Period]:
        key = self.kind_combo.currentData()
        if not key:
            raise ValidationError({"jenis": self.tr("Tidak ada laporan untuk peran Anda.")})
        make = next(m for k, _l, _s, m in KINDS if k == key)
        start, end = self.period.dates()
        return key, make, check_period(start, end)

    def reload(self) -> None:
        self.errors.clear()
        try:
            _key, make, period = self._maker()
        except ValidationError as exc:
            self.errors.show(exc)
            self.view.clear()
            self.recap = None
            return
        gen = self._gen.next()
        self.status.setText(self.tr("Menghitung…"))
        db, actor = self.ctx.db, self.ctx.user

        def done(result: Recap) -> None:
            if alive(self) and self._gen.is_current(gen):
                self.recap = result
                self.view.setHtml(recap_html(result))
                self.status.setText("")

        def failed(exc: Exception) -> None:
            if alive(self) and self._gen.is_current(gen):
                self.status.setText("")
                self._refused(exc if isinstance(exc, AppError) else AppError(self.tr(
                    "Rekap tidak dapat dihitung; rinciannya tercatat di log program.")))

        run_task(lambda: make(db, actor, period), done, failed)

    def make_file(self, fmt: str) -> Callable[[Path], Any]:
        _key, make, period = self._maker()
        db, actor = self.ctx.db, self.ctx.user

        def job(path: Path) -> Path:
            r = make(db, actor, period)
            if fmt == "pdf":
                return export.write_bytes(path, printing.recap_pdf(db, actor, r))
            return export.export_table(path, r, fmt)

        return job

    def file_stem(self) -> str:
        try:
            key, _make, p = self._maker()
        except ValidationError:
            return "Rekap"
        return f"Rekap_{key}_{p.start:%Y-%m-%d}_{p.end:%Y-%m-%d}"
