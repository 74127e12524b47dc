"""The main window's "Laporan" menu and its search box (person, receipt number or QR).

One small object the main window creates; it opens each report window once and raises it
when asked again. The search box sends a register number or a QR text to the counter's
status lookup and anything else (a NIK, a name) to the person search.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QHBoxLayout, QLineEdit, QMainWindow, QMenu, QWidget

from desktop_app.core.reports import access
from desktop_app.core.reports.person import QR_PREFIX
from desktop_app.gui.context import AppContext

_RECEIPT = re.compile(r"^[A-Z0-9]{2,6}/\d{4}/\d{3,}$|^[2-9A-Z]{4}-[2-9A-Z]{4}$", re.I)


def looks_like_receipt(text: str) -> bool:
    """A register number ("AK1/2026/00012"), a letter's verification code or its QR text."""
    text = text.strip()
    if "://" in text:  # the office's verification URL: its last part is the code
        return bool(_RECEIPT.match(text.split("?", 1)[0].rstrip("/").rsplit("/", 1)[-1]))
    return text.upper().startswith(QR_PREFIX) or bool(_RECEIPT.match(text))


class ReportsMenu:
    """Builds "Laporan" into ``window``'s menu bar and the search box into its corner."""

    def __init__(self, window: QMainWindow, ctx: AppContext) -> None:
        self.window, self.ctx = window, ctx
        self.windows: dict[str, QWidget] = {}
        self.menu = QMenu(window.tr("&Laporan"), window)
        bar = window.menuBar()
        help_menu = getattr(window, "menuBantuan", None)
        if help_menu is not None:
            bar.insertMenu(help_menu.menuAction(), self.menu)
        else:
            bar.addMenu(self.menu)
        sees_any = bool(access.visible_sops(ctx.user, ctx.sops))
        self.actions: dict[str, QAction] = {}
        for key, text, shortcut, slot in (
                ("register", window.tr("Buku &Register…"), "Ctrl+Shift+R", self.open_register),
                ("agenda", window.tr("Buku &Agenda Surat Keluar…"), "", self.open_agenda),
                ("recap", window.tr("Rekapitulasi &Bulanan…"), "", self.open_recaps),
                ("dashboard", window.tr("&Dasbor Waktu Baku…"), "", self.open_dashboard),
                ("-", "", "", None),
                ("survey", window.tr("Survei Kepuasan: &Isi Jawaban…"), "", self.open_survey),
                ("ikm", window.tr("Laporan &IKM…"), "", lambda: self.open_recaps("ikm")),
                ("-2", "", "", None),
                ("person", window.tr("Cari &Orang…"), "Ctrl+Shift+F", self.open_person),
                ("counter", window.tr("Cek &Status Berkas (Loket)…"), "Ctrl+Shift+L",
                 self.open_counter)):
            if slot is None:
                self.menu.addSeparator()
                continue
            action = QAction(text, window)
            if shortcut:
                action.setShortcut(QKeySequence(shortcut))
            action.triggered.connect(lambda _c=False, f=slot: f())
            action.setEnabled(sees_any)
            self.menu.addAction(action)
            self.actions[key] = action
        self.search = QLineEdit()
        self.search.setObjectName("globalSearch")
        self.search.setPlaceholderText(window.tr("Cari NIK, nama, atau nomor tanda terima…"))
        self.search.setClearButtonEnabled(True)
        self.search.setMinimumWidth(300)
        self.search.setEnabled(sees_any)
        self.search.returnPressed.connect(lambda: self.route(self.search.text()))
        # In a layout, so the corner's size hint is the box's 300 px: QMenuBar places a
        # corner widget by its size hint, and the bare box (hint ~125 px, minimum 300) ran
        # past the window's right edge at 1093 px.
        corner = QWidget(bar)  # parented at once: PySide does not give the bar ownership
        corner.setObjectName("globalSearchCorner")
        corner_layout = QHBoxLayout(corner)
        corner_layout.setContentsMargins(0, 0, 4, 0)
        corner_layout.addWidget(self.search)
        bar.setCornerWidget(corner)

    def _show(self, key: str, make: Callable[[], QWidget]) -> QWidget:
        existing = self.windows.get(key)
        try:
            if existing is not None and existing.isVisible():
                existing.raise_()
                existing.activateWindow()
                return existing
        except RuntimeError:  # closed and deleted (WA_DeleteOnClose)
            pass
        widget = make()
        self.windows[key] = widget
        widget.show()
        return widget

    def open_register(self, sop_code: str | None = None) -> QWidget:
        from desktop_app.gui.reports.books import RegisterWindow

        current = getattr(self.window, "current_sop_tab", lambda: None)()
        code = sop_code or (current.sop.code if current is not None else None)
        return self._show("register", lambda: RegisterWindow(self.ctx, code))

    def open_agenda(self) -> QWidget:
        from desktop_app.gui.reports.books import AgendaWindow

        return self._show("agenda", lambda: AgendaWindow(self.ctx))

    def open_recaps(self, kind: str = "layanan") -> QWidget:
        from desktop_app.gui.reports.recaps import RecapWindow

        return self._show(f"recap:{kind}", lambda: RecapWindow(self.ctx, kind))

    def open_dashboard(self) -> QWidget:
        from desktop_app.gui.reports.dashboard import DashboardWindow

        return self._show("dashboard", lambda: DashboardWindow(self.ctx))

    def open_person(self, text: str = "") -> QWidget:
        from desktop_app.gui.reports.people import PersonSearchWindow

        window = self._show("person", lambda: PersonSearchWindow(self.ctx, text))
        if text and window.search.text() != text:  # type: ignore[attr-defined]
            window.search.setText(text)  # type: ignore[attr-defined]
            window.run_search()  # type: ignore[attr-defined]
        return window

    def open_counter(self, text: str = "") -> QWidget:
        from desktop_app.gui.reports.people import CounterLookupDialog

        dialog = CounterLookupDialog(self.ctx, text, self.window)
        self.windows["counter"] = dialog
        dialog.show()
        return dialog

    def open_survey(self, number: str = "") -> QWidget:
        from desktop_app.gui.reports.survey_entry import SurveyEntryDialog

        dialog = SurveyEntryDialog(self.ctx, number, self.window)
        self.windows["survey"] = dialog
        dialog.show()
        return dialog

    def route(self, text: str) -> QWidget | None:
        """The search box: a receipt or QR to the counter lookup, else the person search."""
        text = text.strip()
        if not text:
            return None
        if looks_like_receipt(text):
            return self.open_counter(text)
        return self.open_person(text)
