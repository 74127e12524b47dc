""""Lihat SOP": the whole SOP sheet on screen, as the national SOP-AP format lays it out.

The identity block (Nomor SOP, tanggal pembuatan / revisi / efektif, disahkan oleh, nama SOP),
then Dasar Hukum beside Kualifikasi Pelaksana, Keterkaitan beside Peralatan/Perlengkapan,
Peringatan beside Pencatatan dan Pendataan, the requirements checklist, the reading notes
(how the program read the seed), and the swimlane. "Cetak…" and "Simpan PDF…" print or save
the official sheet, rendered by the documents module (:func:`render_sop_sheet_pdf`) off the GUI
thread, through the program's own print dialog; the save dialog starts in Documents.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from html import escape

from PySide6.QtCore import QSize, Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFrame,
    QLabel,
    QMessageBox,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from desktop_app.core.errors import AppError
from desktop_app.core.formatting import format_nip, tanggal
from desktop_app.core.settings import OFFICE_PROFILE, get_setting
from desktop_app.core.sop import Sop
from desktop_app.gui.context import AppContext
from desktop_app.gui.files import save_file_name, write_file
from desktop_app.gui.screen_fit import fit_to_screen
from desktop_app.gui.swimlane import SwimlaneWidget
from desktop_app.gui.workers import run_task

__all__ = ["SopSheetDialog"]

log = logging.getLogger(__name__)

_CSS = """
table.sheet { border-collapse: collapse; border-color: #546e7a; }
table.sheet td { padding: 5px 8px; vertical-align: top; }
td.head { background: #eceff1; font-weight: 600; }
td.key { color: #37474f; width: 170px; }
h3 { margin: 14px 0 4px 0; }
.muted { color: #546e7a; }
"""


def _items(values: tuple[str, ...], ordered: bool = True) -> str:
    if not values:
        return "<span class='muted'>—</span>"
    tag = "ol" if ordered else "ul"
    inner = "".join(f"<li>{escape(v)}</li>" for v in values)
    return f"<{tag} style='margin:0 0 0 -18px'>{inner}</{tag}>"


class SopSheetDialog(QDialog):
    """The SOP sheet of ``sop``: identity, sections, requirements, notes and swimlane."""

    def __init__(self, ctx: AppContext, sop: Sop, parent: QWidget | None = None, *,
                 version_label: str = "") -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.sop = sop
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)  # freed when closed
        title = self.tr("Lihat SOP — {name}").format(name=sop.name)
        self.setWindowTitle(f"{title} ({version_label})" if version_label else title)
        fit_to_screen(self, QSize(1260, 820))
        try:
            profile = get_setting(ctx.db, OFFICE_PROFILE)
        except Exception:  # noqa: BLE001 - the sheet still shows without the office profile
            profile = {}
        self.sheet_label = QLabel(self.sheet_html(profile))
        self.sheet_label.setTextFormat(Qt.TextFormat.RichText)
        self.sheet_label.setWordWrap(True)
        self.sheet_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.sheet_label.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)

        flow_title = QLabel(f"<h3>{escape(self.tr('Bagan Alir'))}: {escape(sop.flow_title)}</h3>")
        self.swimlane = SwimlaneWidget(sop)
        self.swimlane.set_case(None)
        # inside the page's own scroll area the chart shows at full height
        self.swimlane.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        bar = self.swimlane.horizontalScrollBar().sizeHint().height()
        self.swimlane.setFixedHeight(self.swimlane.canvas_height()
                                     + 2 * self.swimlane.frameWidth() + bar)

        self.notes_label = QLabel(self.notes_html())
        self.notes_label.setTextFormat(Qt.TextFormat.RichText)
        self.notes_label.setWordWrap(True)
        self.notes_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        page = QWidget()
        page.setObjectName("page")
        page.setStyleSheet("QWidget#page { background: white; }")
        v = QVBoxLayout(page)
        v.setContentsMargins(18, 14, 18, 18)
        v.addWidget(self.sheet_label)
        v.addWidget(flow_title)
        v.addWidget(self.swimlane)
        v.addWidget(self.notes_label)
        v.addStretch(1)
        self.scroll = QScrollArea()
        self.scroll.setWidgetResizable(True)
        self.scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.scroll.setWidget(page)

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText(self.tr("Tutup"))
        buttons.rejected.connect(self.reject)
        self.print_button = buttons.addButton(self.tr("Cetak…"),
                                              QDialogButtonBox.ButtonRole.ActionRole)
        self.save_button = buttons.addButton(self.tr("Simpan PDF…"),
                                             QDialogButtonBox.ButtonRole.ActionRole)
        self.print_button.clicked.connect(self.print_sheet)
        self.save_button.clicked.connect(self.save_pdf)
        self.status = QLabel()
        self.status.setWordWrap(True)
        self._pdf: bytes | None = None
        self._busy = False
        self.print_dialog_: QDialog | None = None
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 8)
        lay.addWidget(self.scroll, 1)
        row = QVBoxLayout()
        row.setContentsMargins(12, 0, 12, 0)
        row.addWidget(self.status)
        row.addWidget(buttons)
        lay.addLayout(row)

    # ------------------------------------------------------------------ printing / saving

    def file_name(self) -> str:
        return f"Lembar_SOP_{self.sop.code}.pdf"

    def with_pdf(self, then: Callable[[bytes], None]) -> None:
        """Call ``then(pdf)`` with the printable sheet, rendered once off the GUI thread."""
        if self._pdf is not None:
            then(self._pdf)
            return
        if self._busy:
            return
        self._busy = True
        for b in (self.print_button, self.save_button):
            b.setEnabled(False)
        self.status.setText(self.tr("Menyiapkan lembar SOP…"))
        sop, db = self.sop, self.ctx.db

        def render() -> bytes:
            from desktop_app.core.documents.context import office_block
            from desktop_app.core.documents.sop_sheet import render_sop_sheet_pdf

            return render_sop_sheet_pdf(sop, office_block(db))

        def done(pdf: bytes) -> None:
            self._idle()
            self._pdf = pdf
            self.status.setText("")
            then(pdf)

        def failed(exc: Exception) -> None:
            self._idle()
            self.status.setText("")
            if isinstance(exc, AppError):
                message = exc.message
            else:
                log.error("rendering the SOP sheet %s failed", sop.code, exc_info=exc)
                message = self.tr("Lembar SOP tidak dapat disiapkan; rinciannya tercatat di "
                                  "log program.")
            QMessageBox.warning(self, self.tr("Lembar SOP"), message)

        run_task(render, done, failed)

    def _idle(self) -> None:
        self._busy = False
        for b in (self.print_button, self.save_button):
            b.setEnabled(True)

    def print_sheet(self) -> None:
        """The program's own print dialog for the sheet; on "Cetak" the job runs in the
        background and its result shows in :attr:`status`."""
        self.with_pdf(self._print)

    def _print(self, pdf: bytes) -> None:
        from desktop_app.gui import print_dialog

        title = self.tr("Lembar SOP {code}").format(code=self.sop.code)
        dialog = print_dialog.PrintDialog(pdf, title, ctx=self.ctx, parent=self)
        self.print_dialog_ = dialog
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        self.status.setText(self.tr("Mengirim ke pencetak…"))
        print_dialog.start_print(self, dialog.job(), self._printed)

    def _printed(self, result) -> None:  # noqa: ANN001 - printing.PrintResult
        self.status.setText(
            self.tr("Pencetakan dibatalkan.") if result.cancelled else
            self.tr("Lembar SOP dikirim ke pencetak ({n} lembar).").format(n=result.sheets))

    def save_pdf(self) -> None:
        """Ask where (starting in Documents), then write the sheet there."""
        path = save_file_name(self, self.tr("Simpan PDF"), self.file_name(),
                              self.tr("Berkas PDF (*.pdf)"))
        if not path:
            return
        if not path.lower().endswith(".pdf"):
            path += ".pdf"
        self.with_pdf(lambda pdf: self._write(path, pdf))

    def _write(self, path: str, pdf: bytes) -> None:
        if not write_file(self, self.tr("Simpan PDF"), path, pdf):
            return
        self.status.setText(self.tr("Disimpan: {p}").format(p=path))

    # ------------------------------------------------------------------ content

    def sheet_html(self, profile: dict | None = None) -> str:
        s = self.sop
        profile = profile or {}
        t = self.tr
        office = escape(str(profile.get("nama_dinas", "")))
        government = escape(str(profile.get("pemerintah", "PEMERINTAH KOTA PAGAR ALAM")))
        unit = escape(str(profile.get("bidang", "")))
        revised = tanggal(s.revised) if s.revised else "-"
        ab = s.approved_by
        approver = (f"{escape(ab.position)}<br><br><b><u>{escape(ab.name)}</u></b><br>"
                    f"{escape(ab.rank)}<br>NIP. {format_nip(ab.nip)}")
        logo = ""
        try:
            from desktop_app.resources import resource_path

            emblem = resource_path("images", "lambang_placeholder.svg")
            if emblem.exists():
                logo = f"<img src='{emblem.as_uri()}' height='72'><br>"
        except (OSError, FileNotFoundError, ImportError):
            logo = ""
        alt = ""
        if s.alternate_names:
            alt = "<br><span class='muted'>" + escape(t("juga disebut")) + ": " + \
                escape("; ".join(s.alternate_names)) + "</span>"
        identity = f"""
<table class='sheet' border='1' width='100%' cellspacing='0' cellpadding='5'>
<tr>
  <td rowspan='6' width='42%' align='center' style='vertical-align: middle'>
    {logo}<b>{government}</b><br><b>{office}</b><br>{unit}
  </td>
  <td class='key'>{escape(t('Nomor SOP'))}</td><td>{escape(s.number)}</td></tr>
<tr><td class='key'>{escape(t('Tanggal Pembuatan'))}</td><td>{tanggal(s.created)}</td></tr>
<tr><td class='key'>{escape(t('Tanggal Revisi'))}</td><td>{revised}</td></tr>
<tr><td class='key'>{escape(t('Tanggal Efektif'))}</td><td>{tanggal(s.effective)}</td></tr>
<tr><td class='key'>{escape(t('Disahkan oleh'))}</td><td>{approver}</td></tr>
<tr><td class='key'>{escape(t('Nama SOP'))}</td><td><b>{escape(s.name)}</b>{alt}</td></tr>
</table>"""
        pairs = [
            (t("Dasar Hukum"), _items(s.legal_basis), t("Kualifikasi Pelaksana"),
             _items(s.qualifications)),
            (t("Keterkaitan"), _items(s.relations), t("Peralatan/Perlengkapan"),
             _items(s.equipment)),
            (t("Peringatan"), _items(s.warnings), t("Pencatatan dan Pendataan"),
             _items(s.records)),
        ]
        rows = "".join(
            f"<tr><td class='head' width='50%'>{escape(a)}</td>"
            f"<td class='head' width='50%'>{escape(c)}</td></tr>"
            f"<tr><td>{b}</td><td>{d}</td></tr>" for a, b, c, d in pairs)
        sections = f"<table class='sheet' border='1' width='100%' cellspacing='0' cellpadding='5'>{rows}</table>"
        reqs = "".join(
            f"<tr><td width='40'>{i}.</td><td width='70%'>{escape(r.label)}</td>"
            f"<td width='12%'>{escape(r.quantity)}</td>"
            f"<td width='12%'>{escape(t('wajib') if r.required else t('opsional'))}</td></tr>"
            for i, r in enumerate(s.requirements, 1))
        requirements = ""
        if s.requirements:
            requirements = (
                f"<h3>{escape(t('Persyaratan (Kelengkapan Berkas)'))}</h3>"
                f"<table class='sheet' border='1' width='100%' cellspacing='0' cellpadding='5'>"
                f"<tr><td class='head'>{escape(t('No'))}</td>"
                f"<td class='head'>{escape(t('Persyaratan'))}</td>"
                f"<td class='head'>{escape(t('Jumlah'))}</td>"
                f"<td class='head'>{escape(t('Sifat'))}</td></tr>{reqs}</table>")
        register = (f"<p class='muted'>{escape(t('Buku register'))}: "
                    f"{escape(s.register_name)}</p>")
        return (f"<html><head><style>{_CSS}</style></head><body>{identity}<br>{sections}"
                f"{requirements}{register}</body></html>")

    def notes_html(self) -> str:
        s = self.sop
        t = self.tr
        parts = [f"<html><head><style>{_CSS}</style></head><body>"]
        if s.reading_notes:
            intro = t("Cara program membaca SOP dari naskah aslinya.")
            parts.append(f"<h3>{escape(t('Catatan pembacaan'))}</h3>"
                         f"<p class='muted'>{escape(intro)}</p>")
            parts.append(_items(s.reading_notes, ordered=False))
        if s.corrections:
            fixes = "; ".join(f"“{escape(a)}” → “{escape(b)}”" for a, b in s.corrections)
            parts.append(f"<h3>{escape(t('Koreksi salah ketik dari naskah asli'))}</h3>"
                         f"<p>{fixes}</p>")
        parts.append("</body></html>")
        return "".join(parts)
