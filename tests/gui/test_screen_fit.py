"""Windows fit the office's 1366x768 screens (100 % and 125 %) and the PDF panes do not freeze.

The three screen configurations are the available geometry (screen less a 40 px taskbar) in
Qt's logical pixels: 1366x768 at 100 % -> 1366x728; 1366x768 at 125 % -> 1093x614 less a
32 px taskbar -> 1093x582; 1280x720 at 100 % -> 1280x680.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from PySide6.QtCore import QEvent, QObject, QRect, Qt
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtWidgets import QApplication, QVBoxLayout, QWidget

from desktop_app.core.db import Database
from desktop_app.core.demo.signing import setup_demo_signing
from desktop_app.core.documents.context import install_placeholder_emblem
from desktop_app.gui import screen_fit
from desktop_app.gui.pdf_preview import load_pdf
from desktop_app.gui.screen_fit import stable_pdf_view

pytestmark = pytest.mark.gui

SCREENS = {"1366x768@100%": QRect(0, 0, 1366, 728), "1366x768@125%": QRect(0, 0, 1093, 582),
           "1280x720@100%": QRect(0, 0, 1280, 680)}


class LoopGuard(QObject):
    """Counts the viewport's resizes; past ``limit`` in one settle it breaks the loop (so the
    test fails instead of hanging) by pinning the scroll bar, and remembers that it did."""

    def __init__(self, view: QPdfView, limit: int = 200) -> None:
        super().__init__(view)
        self.view, self.limit, self.count, self.looped = view, limit, 0, False
        view.viewport().installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if event.type() == QEvent.Type.Resize:
            self.count += 1
            if self.count > self.limit and not self.looped:
                self.looped = True
                self.view.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOn)
        return False


def _settle(guard: LoopGuard, rounds: int = 5) -> None:
    guard.count = 0
    for _ in range(rounds):
        QApplication.processEvents()


def _one_page_pdf() -> bytes:
    import weasyprint

    return weasyprint.HTML(string="<p>Surat</p>").write_pdf()


def _sweep(view: QPdfView, host: QWidget) -> list[tuple[int, int]]:
    guard = LoopGuard(view)
    looped = []
    for width in range(300, 330, 7):
        for height in range(360, 420, 3):
            host.resize(width, height)
            _settle(guard)
            if guard.looped:
                looped.append((width, height))
                guard.looped = False
                view.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
    return looped


@pytest.mark.timeout(120)
def test_fit_to_width_pdf_view_has_no_scroll_bar_layout_loop(qtbot) -> None:
    """The root cause of the queue's freeze: a plain fit-to-width QPdfView showing a page about
    as tall as its viewport toggles its scroll bar forever; the shared view does not."""
    document, _buffer = load_pdf(_one_page_pdf())
    results = {}
    for name, make in (("plain", QPdfView), ("stable", stable_pdf_view)):
        host = QWidget()
        qtbot.addWidget(host)
        view = make(None)
        QVBoxLayout(host).addWidget(view)
        view.setPageMode(QPdfView.PageMode.MultiPage)
        view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        view.setDocument(document)
        host.show()
        results[name] = _sweep(view, host)
    assert results["plain"], "the sweep no longer reaches the looping sizes: widen it"
    assert results["stable"] == []


@pytest.fixture
def office_db(sqlite_db: Database) -> Database:
    install_placeholder_emblem(sqlite_db)
    setup_demo_signing(sqlite_db)
    return sqlite_db


@pytest.mark.timeout(300)
@pytest.mark.parametrize("screen", list(SCREENS))
def test_signing_queue_fits_and_settles(qtbot, office_db: Database, make_ctx: Callable,
                                        monkeypatch, screen: str) -> None:
    """The queue sized to the screen shows the PDF and the event loop settles at every height
    the user can drag the window to (the freeze was a loop inside one event-loop turn)."""
    from test_signing_gui import _awaiting_signature

    from desktop_app.gui.signing_queue import SigningQueueWindow

    area = SCREENS[screen]
    monkeypatch.setattr(screen_fit, "available_geometry", lambda _w=None: area)
    _awaiting_signature(office_db, 2)
    window = SigningQueueWindow(make_ctx(office_db, "kadis"))
    qtbot.addWidget(window)
    window.show()
    assert window.width() <= area.width() and window.height() <= area.height()
    assert window.pdf_view.isVisible()
    guard = LoopGuard(window.pdf_view)
    for height in range(area.height() - 160, area.height() + 1, 2):
        window.resize(area.width() - 16, height)
        _settle(guard)
        assert not guard.looped, f"layout loop at {window.size()}"
    for width in range(area.width() - 300, area.width() - 15, 3):
        window.resize(width, area.height() - 39)
        _settle(guard)
        assert not guard.looped, f"layout loop at {window.size()}"
