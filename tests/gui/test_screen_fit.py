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
    assert window.pdf_view.isVisible(), (window.pdf_placeholder.text(), window.selected_ids(), window.row_count())
    guard = LoopGuard(window.pdf_view)
    for height in range(area.height() - 160, area.height() + 1, 2):
        window.resize(area.width() - 16, height)
        _settle(guard)
        assert not guard.looped, f"layout loop at {window.size()}"
    for width in range(area.width() - 300, area.width() - 15, 3):
        window.resize(width, area.height() - 39)
        _settle(guard)
        assert not guard.looped, f"layout loop at {window.size()}"


# ----------------------------------------------------------------------------- every window


def _windows(db: Database, make_ctx: Callable) -> dict[str, Callable[[], QWidget]]:
    """Every top-level window and dialog, built as a user meets it."""
    from datetime import date

    from PySide6.QtGui import QImage
    from test_signing_gui import _awaiting_signature

    from desktop_app.core.sop import get_sop, load_sops
    from desktop_app.gui.admin.users import DelegationDialog, PasswordDialog, UserFormDialog
    from desktop_app.gui.case_detail import CaseDetailDialog
    from desktop_app.gui.dialogs.bipartite import BipartiteMeetingDialog
    from desktop_app.gui.dialogs.incomplete import IncompleteDialog
    from desktop_app.gui.dialogs.reason import ReasonDialog
    from desktop_app.gui.dialogs.return_step import ReturnToStepDialog
    from desktop_app.gui.intake import IntakeDialog
    from desktop_app.gui.login import LoginDialog
    from desktop_app.gui.main_window import MainWindow
    from desktop_app.gui.office_documents_settings import OfficeDocumentsDialog
    from desktop_app.gui.pdf_preview import PdfPreviewDialog
    from desktop_app.gui.photo import PhotoCropDialog
    from desktop_app.gui.print_dialog import PrintDialog
    from desktop_app.gui.reports.books import AgendaWindow, RegisterWindow
    from desktop_app.gui.reports.dashboard import DashboardWindow
    from desktop_app.gui.reports.people import CounterLookupDialog, PersonSearchWindow
    from desktop_app.gui.reports.recaps import RecapWindow
    from desktop_app.gui.reports.survey_entry import SurveyEntryDialog
    from desktop_app.gui.signer_setup import SignerSetupDialog
    from desktop_app.gui.signing_dialog import SigningDialog
    from desktop_app.gui.signing_queue import SigningQueueWindow
    from desktop_app.gui.sop_sheet_dialog import SopSheetDialog
    from desktop_app.gui.verify_dialog import VerifyDialog

    install_placeholder_emblem(db)
    setup_demo_signing(db)
    case_id, doc_id = _awaiting_signature(db, 1)[0]
    pdf = _one_page_pdf()
    admin, petugas, kadis = (make_ctx(db, u) for u in ("admin", "petugas", "kadis"))
    from desktop_app.core import auth

    rows = auth.list_users(db)
    image = QImage(800, 1000, QImage.Format.Format_RGB32)
    image.fill(0xFFFFFF)
    windows: dict[str, Callable[[], QWidget]] = {
        "MainWindow (admin)": lambda: MainWindow(admin, idle_timeout_ms=0),
        "MainWindow (petugas)": lambda: MainWindow(petugas, idle_timeout_ms=0),
        "CaseDetailDialog": lambda: CaseDetailDialog(petugas, case_id),
        "SigningQueueWindow": lambda: SigningQueueWindow(kadis),
        "SigningDialog": lambda: SigningDialog(kadis, doc_id),
        "PdfPreviewDialog": lambda: PdfPreviewDialog(pdf, "Surat"),
        "PrintDialog": lambda: PrintDialog(pdf, "Surat", ctx=petugas),
        "OfficeDocumentsDialog": lambda: OfficeDocumentsDialog(admin),
        "VerifyDialog": lambda: VerifyDialog(petugas),
        "SignerSetupDialog": lambda: SignerSetupDialog(kadis),
        "LoginDialog": lambda: LoginDialog(make_ctx(db)),
        "SopSheetDialog": lambda: SopSheetDialog(petugas, get_sop("ak1")),
        "UserFormDialog": lambda: UserFormDialog(admin),
        "PasswordDialog": lambda: PasswordDialog(admin, "petugas"),
        "DelegationDialog": lambda: DelegationDialog(admin, rows),
        "ReasonDialog": lambda: ReasonDialog("Tolak", "Tolak", "Alasan penolakan"),
        "IncompleteDialog": lambda: IncompleteDialog(["KTP", "Pas foto", "Ijazah"]),
        "ReturnToStepDialog": lambda: ReturnToStepDialog(get_sop("jht"), [1, 2]),
        "BipartiteMeetingDialog": lambda: BipartiteMeetingDialog(1, date(2026, 3, 2)),
        "PhotoCropDialog": lambda: PhotoCropDialog(image),
        "DashboardWindow": lambda: DashboardWindow(make_ctx(db, "kabid")),
        "RecapWindow": lambda: RecapWindow(make_ctx(db, "kabid")),
        "RegisterWindow": lambda: RegisterWindow(petugas),
        "AgendaWindow": lambda: AgendaWindow(make_ctx(db, "admintu")),
        "PersonSearchWindow": lambda: PersonSearchWindow(petugas),
        "CounterLookupDialog": lambda: CounterLookupDialog(petugas),
        "SurveyEntryDialog": lambda: SurveyEntryDialog(petugas),
    }
    for sop in load_sops():
        windows[f"IntakeDialog ({sop.code})"] = (lambda s=sop: IntakeDialog(petugas, s))
    return windows


def _outside_buttons(window: QWidget) -> list[str]:
    """Visible buttons not wholly inside the window (buttons in a scroll area may scroll)."""
    from PySide6.QtWidgets import QAbstractButton, QScrollArea

    bad = []
    inner = window.rect()
    for button in window.findChildren(QAbstractButton):
        if not button.isVisibleTo(window) or type(button).__name__ in ("QToolButton",):
            continue
        parent, scrolled = button.parentWidget(), False
        while parent is not None and parent is not window:
            if isinstance(parent, QScrollArea):
                scrolled = True
                break
            parent = parent.parentWidget()
        if scrolled:
            continue
        top_left = button.mapTo(window, button.rect().topLeft())
        rect = QRect(top_left, button.size())
        if not inner.contains(rect):
            bad.append(f"{button.text() or button.objectName()!r} at {rect.getRect()}")
    return bad


FRAME_W, FRAME_H = 16, 39  # a Windows title bar and borders around the client area


def _measure(windows: dict[str, Callable[[], QWidget]], monkeypatch
             ) -> tuple[dict[str, dict[str, list[int]]], list[str]]:
    """Open each window at each screen; its sizes, and what does not fit."""
    measured: dict[str, dict[str, list[int]]] = {}
    failures = []
    for screen, area in SCREENS.items():
        monkeypatch.setattr(screen_fit, "available_geometry", lambda _w=None, a=area: a)
        for name, make in windows.items():
            window = make()
            window.show()
            QApplication.processEvents()
            size = window.size()
            measured.setdefault(name, {})[screen] = [size.width(), size.height()]
            if size.width() + FRAME_W > area.width() or size.height() + FRAME_H > area.height():
                failures.append(f"{screen} {name}: {size.width()}x{size.height()} "
                                f"(minimum {window.minimumSizeHint().width()}x"
                                f"{window.minimumSizeHint().height()})")
            outside = _outside_buttons(window)
            if outside:
                failures.append(f"{screen} {name}: buttons outside: {outside}")
            window.close()
            window.deleteLater()
            QApplication.processEvents()
    return measured, failures


def _write_report(measured: dict[str, dict[str, list[int]]], suffix: str = "") -> None:
    import json
    import os

    if os.environ.get("FIT_REPORT"):
        with open(os.environ["FIT_REPORT"] + suffix, "w") as fh:
            json.dump(measured, fh, indent=1)


@pytest.mark.timeout(600)
def test_every_window_fits_each_office_screen(qtbot, sqlite_db: Database, make_ctx: Callable,
                                              monkeypatch, free_widgets) -> None:
    """Each window opens within the available geometry at 1366x768 (100 % and 125 %) and
    1280x720, with every action button inside it; sizes are written for the report when
    FIT_REPORT names a file."""
    measured, failures = _measure(_windows(sqlite_db, make_ctx), monkeypatch)
    _write_report(measured)
    assert not failures, "\n".join(failures)


def _more_windows(db: Database, make_ctx: Callable, loc_dir, monkeypatch  # noqa: ANN001
                  ) -> dict[str, Callable[[], QWidget]]:
    """The windows that need office data: the first-run wizard page by page, calibration, SOP
    revision and versions, card events, the dashboard's case list, password, verification with
    a result, and the certificate revocation tab."""
    import sys
    from pathlib import Path

    from test_signing_gui import _awaiting_signature

    from desktop_app.core import sop_versions
    from desktop_app.core.cases.query import CaseQuery, list_cases
    from desktop_app.core.config import Locations
    from desktop_app.core.reports import ak1_cards
    from desktop_app.gui import setup_wizard
    from desktop_app.gui.admin.sop_revision import RevisionDialog
    from desktop_app.gui.admin.sop_versions import SopVersionsPanel
    from desktop_app.gui.calibration_dialog import CalibrationDialog
    from desktop_app.gui.password_dialog import ChangePasswordDialog
    from desktop_app.gui.reports.dashboard import CasesDialog
    from desktop_app.gui.reports.people import CardEventDialog
    from desktop_app.gui.signer_setup import SignerSetupDialog
    from desktop_app.gui.verify_dialog import VerifyDialog

    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "core"))
    from sop_documents import revised_jht, sop_docx  # noqa: E402

    admin, petugas = make_ctx(db, "admin"), make_ctx(db, "petugas")
    # A draft SOP revision, imported through the versions panel as the administrator does.
    opened: list[int] = []
    path = Path(loc_dir) / "SOP JHT revisi.docx"
    path.write_bytes(sop_docx([revised_jht(retime=True, reword=True, revised="2 Desember 2026")]))
    with monkeypatch.context() as patch:
        patch.setattr(SopVersionsPanel, "open_version", lambda _self, vid: opened.append(vid))
        panel = SopVersionsPanel(admin)
        panel.import_document(path)
        panel.deleteLater()
    assert opened and sop_versions.list_versions(db, admin.user, "jht")  # the draft exists
    version_id = opened[0]
    install_placeholder_emblem(db)
    setup_demo_signing(db)
    _awaiting_signature(db, 3)
    kabid = make_ctx(db, "kabid")
    rows = list_cases(db, CaseQuery())
    today = db.now().date()
    card = ak1_cards.CardStatus(
        case_id=rows[0].id, register_number=rows[0].register_number, card_number=None,
        nik="1672011208950001", name="Budi Santoso", registered=today,
        valid_until=today.replace(year=today.year + 2), state=ak1_cards.VALID,
        next_report=None, report_overdue=False, events=())
    assert rows
    loc = Locations(machine_config=Path(loc_dir) / "mesin", user_config=Path(loc_dir) / "p",
                    machine_data=Path(loc_dir) / "dm", user_data=Path(loc_dir) / "dp")

    def wizard(page: int) -> QWidget:
        w = setup_wizard.SetupWizard(loc)
        w.db, w.admin, w.url = db, admin.user, "sqlite://"
        w.setStartId(page)
        w.restart()
        assert w.currentId() == page
        return w

    windows: dict[str, Callable[[], QWidget]] = {
        f"SetupWizard ({name})": (lambda p=page: wizard(p)) for name, page in (
            ("Mode", setup_wizard.PAGE_MODE), ("Local", setup_wizard.PAGE_LOCAL),
            ("Server", setup_wizard.PAGE_SERVER), ("Admin", setup_wizard.PAGE_ADMIN),
            ("Profile", setup_wizard.PAGE_PROFILE), ("Officials", setup_wizard.PAGE_OFFICIALS),
            ("Done", setup_wizard.PAGE_DONE))}
    windows.update({
        "CalibrationDialog": lambda: CalibrationDialog("Epson L3210", 85.6, 54.0, "cups"),
        "RevisionDialog": lambda: RevisionDialog(admin, version_id),
        "SopVersionsPanel": lambda: SopVersionsPanel(admin),
        "CardEventDialog (lapor)": lambda: CardEventDialog(petugas, card, ak1_cards.REPORT),
        "CardEventDialog (hapus)": lambda: CardEventDialog(petugas, card, ak1_cards.REMOVED),
        "CasesDialog": lambda: CasesDialog(kabid, "Berkas terlambat", rows),
        "ChangePasswordDialog": lambda: ChangePasswordDialog(petugas),
        "VerifyDialog (hasil)": lambda: _checked(VerifyDialog(petugas)),
        "SignerSetupDialog (admin, Cabut)": lambda: _revoke_tab(SignerSetupDialog(admin)),
    })
    return windows


def _checked(dialog: QWidget) -> QWidget:
    dialog.check_pdf(_one_page_pdf(), "surat.pdf")
    return dialog


def _revoke_tab(dialog: QWidget) -> QWidget:
    dialog.tabs.setCurrentIndex(dialog.tabs.count() - 1)
    return dialog


@pytest.mark.timeout(600)
def test_the_other_windows_fit_each_office_screen(qtbot, sqlite_db: Database, make_ctx: Callable,
                                                  monkeypatch, free_widgets, tmp_path) -> None:
    """The same check for the windows that need office data (wizard pages, calibration, SOP
    revision, card events, dashboard cases, password, verification result, revocation)."""
    windows = _more_windows(sqlite_db, make_ctx, tmp_path, monkeypatch)
    measured, failures = _measure(windows, monkeypatch)
    _write_report(measured, ".more")
    assert not failures, "\n".join(failures)


def test_windows_remember_their_size_per_screen(qtbot, monkeypatch) -> None:
    from PySide6.QtCore import QSize
    from PySide6.QtWidgets import QDialog

    class Probe(QDialog):
        pass

    small, large = SCREENS["1366x768@125%"], SCREENS["1366x768@100%"]
    monkeypatch.setattr(screen_fit, "available_geometry", lambda _w=None: small)
    first = Probe()
    qtbot.addWidget(first)
    assert screen_fit.fit_to_screen(first, QSize(1400, 900)) == QSize(small.width() - 16,
                                                                       small.height() - 39)
    first.show()
    first.resize(700, 500)  # the user's size
    first.close()
    again = Probe()
    qtbot.addWidget(again)
    assert screen_fit.fit_to_screen(again, QSize(1400, 900)) == QSize(700, 500)
    monkeypatch.setattr(screen_fit, "available_geometry", lambda _w=None: large)
    other = Probe()  # another screen size: its own memory, else the preferred size
    qtbot.addWidget(other)
    assert screen_fit.fit_to_screen(other, QSize(1200, 650)) == QSize(1200, 650)
