"""The main window: Tugas Saya, one tab per SOP, and the administrator's tabs.

The skeleton (menus, actions, tab widget, status bar) is the Designer form
``ui/main_window.ui``; the tabs are built from the SOP definitions and the user's roles.
"""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QLabel,
    QMainWindow,
    QMenu,
    QMessageBox,
    QStatusBar,
    QTabWidget,
    QWidget,
)

from desktop_app.core.cases.permissions import may_see_sop
from desktop_app.core.roles import ADMIN
from desktop_app.gui import case_actions
from desktop_app.gui.context import AppContext
from desktop_app.gui.idle_lock import IdleLock
from desktop_app.gui.screen_fit import fit_to_screen
from desktop_app.gui.sop_tab import SopTab
from desktop_app.gui.tasks_tab import TasksTab
from desktop_app.gui.ui_forms import load_form


class MainWindow(QMainWindow):
    """What the signed-in user works in; built by :func:`desktop_app.gui.app.build_main_window`."""

    tabs: QTabWidget
    warningLabel: QLabel  # noqa: N815 - names from ui/main_window.ui
    statusbar: QStatusBar
    menuBerkas: QMenu  # noqa: N815
    menuTampilan: QMenu  # noqa: N815
    menuAdmin: QMenu  # noqa: N815
    menuBantuan: QMenu  # noqa: N815
    actionNewCase: QAction  # noqa: N815
    actionOpenCase: QAction  # noqa: N815
    actionQuit: QAction  # noqa: N815
    actionRefresh: QAction  # noqa: N815
    actionFind: QAction  # noqa: N815
    actionTasks: QAction  # noqa: N815
    actionUsers: QAction  # noqa: N815
    actionSettings: QAction  # noqa: N815
    actionAbout: QAction  # noqa: N815

    def __init__(self, ctx: AppContext, idle_timeout_ms: int | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        load_form(self, "main_window.ui")
        self.ctx = ctx
        actor = ctx.user
        self.is_admin = ADMIN in actor.roles
        self.tasks_tab = TasksTab(ctx)
        self.tabs.addTab(self.tasks_tab, self.tr("Tugas Saya"))
        self.sop_tabs: dict[str, SopTab] = {}
        for sop in sorted(ctx.sops, key=lambda s: (s.order, s.code)):
            if ctx.actor is not None and not may_see_sop(ctx.actor, sop):
                continue  # only the SOPs the account holds a lane in (docs/access.md)
            tab = SopTab(ctx, sop)
            self.sop_tabs[sop.code] = tab
            index = self.tabs.addTab(tab, sop.tab_label)
            self.tabs.setTabToolTip(index, f"{sop.name} — SOP {sop.number}")
            tab.casesChanged.connect(self._cases_changed)
        self.tasks_tab.casesChanged.connect(self._cases_changed)
        ctx.changes.caseChanged.connect(self._case_changed_anywhere)
        ctx.changes.settingsChanged.connect(self._settings_saved)
        self.users_panel = None
        self.settings_panel = None
        if self.is_admin:
            from desktop_app.gui.admin.settings import SettingsPanel
            from desktop_app.gui.admin.users import UsersPanel

            self.users_panel = UsersPanel(ctx)
            self.settings_panel = SettingsPanel(ctx)
            self.tabs.addTab(self.users_panel, self.tr("Pengguna"))
            self.tabs.addTab(self.settings_panel, self.tr("Pengaturan"))
            from desktop_app.gui.admin.sop_versions import SopVersionsPanel

            self.sop_versions_panel = SopVersionsPanel(ctx)
            self.tabs.addTab(self.sop_versions_panel, self.tr("Versi SOP"))
            self.settings_panel.settingsSaved.connect(ctx.changes.settings_changed)
        self.menuAdmin.menuAction().setVisible(self.is_admin)
        self.actionUsers.setVisible(self.is_admin)
        self.actionSettings.setVisible(self.is_admin)

        self._status_user = QLabel(f"{actor.full_name} — {actor.roles_label}")
        if actor.acting_for:
            deputies = ", ".join(f"{a.kind} {a.user_name}" for a in actor.acting_for)
            self._status_user.setText(self._status_user.text() + f" · {deputies}")
        self._status_db = QLabel(ctx.db.display_name)
        self.statusbar.addWidget(self._status_user, 1)
        self.statusbar.addPermanentWidget(self._status_db)
        if ctx.warnings:
            self.warningLabel.setText("\n".join(ctx.warnings))
            self.warningLabel.show()
        else:
            self.warningLabel.hide()

        self.actionQuit.triggered.connect(self.close)
        self._build_session_actions()
        self.actionRefresh.triggered.connect(self.refresh_current)
        self.actionFind.triggered.connect(self.focus_search)
        self.actionNewCase.triggered.connect(self.new_case)
        self.actionOpenCase.triggered.connect(self.open_selected)
        self.actionTasks.triggered.connect(lambda: self.tabs.setCurrentWidget(self.tasks_tab))
        self.actionUsers.triggered.connect(lambda: self.users_panel
                                           and self.tabs.setCurrentWidget(self.users_panel))
        self.actionSettings.triggered.connect(lambda: self.settings_panel
                                              and self.tabs.setCurrentWidget(self.settings_panel))
        self.actionAbout.triggered.connect(self.about)
        self.actionQuit.setShortcut(QKeySequence(QKeySequence.StandardKey.Quit))
        self.actionOpenCase.setShortcut(QKeySequence(Qt.Key.Key_Return | Qt.Modifier.CTRL))
        self._build_signing_menu()
        from desktop_app.gui.reports.menu import ReportsMenu

        self.reports = ReportsMenu(self, ctx)  # "Laporan" menu and the search box
        self._stale: set[QWidget] = set()
        self._build_connection_banner()
        self.tabs.currentChanged.connect(self._tab_changed)
        self._update_actions()

        if idle_timeout_ms is None:
            from desktop_app.core.settings import IDLE_LOCK_MINUTES, get_setting

            idle_timeout_ms = IdleLock.minutes_to_ms(get_setting(ctx.db, IDLE_LOCK_MINUTES) or 0)
        self.idle_lock = IdleLock(ctx, self, idle_timeout_ms)
        self.idle_lock.switchUserRequested.connect(self.switch_user)  # the lock's Ganti Pengguna
        fit_to_screen(self, QSize(1280, 800))

    # ------------------------------------------------------------------------- connection

    def _build_connection_banner(self) -> None:
        """"Koneksi ke server terputus – mencoba lagi…" above the tabs while the server is
        away; when it answers again the banner goes and the lists reload."""
        from desktop_app.gui.connection import ConnectionWatch

        self.connection = ConnectionWatch(self.ctx, self.centralWidget())
        layout = self.centralWidget().layout()
        layout.insertWidget(layout.indexOf(self.tabs), self.connection.banner)
        self.connection.restored.connect(self._connection_restored)

    def _connection_restored(self) -> None:
        self.statusbar.showMessage(self.tr("Koneksi ke server tersambung kembali."), 8000)
        self.tasks_tab.refresh()
        current = self.current_sop_tab()
        for tab in self.sop_tabs.values():
            if tab is current:
                tab.refresh()
            elif tab._started:
                self._stale.add(tab)

    # ------------------------------------------------------------------------- session

    def _build_session_actions(self) -> None:
        """Menu Berkas: change one's own password, switch user, sign out."""
        self.switch_requested = False
        self.actionChangePassword = QAction(self.tr("Ganti &Kata Sandi…"), self)
        self.actionChangePassword.triggered.connect(self.change_password)
        self.actionSwitchUser = QAction(self.tr("Ganti &Pengguna…"), self)
        self.actionSwitchUser.triggered.connect(self.switch_user)
        self.actionSignOut = QAction(self.tr("&Keluar (Log Out)"), self)
        self.actionSignOut.triggered.connect(self.switch_user)
        for action in (self.actionChangePassword, self.actionSwitchUser, self.actionSignOut):
            self.menuBerkas.insertAction(self.actionQuit, action)
        self.menuBerkas.insertSeparator(self.actionQuit)

    def change_password(self) -> bool:
        from desktop_app.gui.password_dialog import ChangePasswordDialog

        dialog = ChangePasswordDialog(self.ctx, self)
        if dialog.exec():
            self.statusbar.showMessage(self.tr("Kata sandi sudah diganti."), 8000)
            return True
        return False

    def switch_user(self) -> None:
        """Sign out: this window closes and the login asks who works next (see app.py)."""
        self.switch_requested = True
        self.close()

    # ------------------------------------------------------------------------- signing

    def _build_signing_menu(self) -> None:
        """Menu "Tanda Tangan": the signing queue (for those who initial or sign), document
        verification (everyone), certificates; and the documents settings for the admin."""
        from desktop_app.core.signing import queue

        menu = QMenu(self.tr("&Tanda Tangan"), self)
        self.menuBar().insertMenu(self.menuBantuan.menuAction(), menu)
        self.menuTandaTangan = menu
        self.actionQueue = QAction(self.tr("&Antrian Tanda Tangan"), self)
        self.actionQueue.setShortcut(QKeySequence("Ctrl+T"))
        self.actionQueue.triggered.connect(self.open_signing_queue)
        self.actionQueue.setVisible(queue.is_signer(self.ctx.user))
        self.actionVerify = QAction(self.tr("&Verifikasi Dokumen…"), self)
        self.actionVerify.triggered.connect(self.open_verify)
        self.actionCertificates = QAction(self.tr("&Sertifikat Tanda Tangan…"), self)
        self.actionCertificates.triggered.connect(self.open_certificates)
        self.actionCertificates.setVisible(self.is_admin or queue.is_signer(self.ctx.user))
        for action in (self.actionQueue, self.actionVerify, self.actionCertificates):
            menu.addAction(action)
        self.actionDocumentSettings = QAction(self.tr("&Dokumen dan Kop Surat…"), self)
        self.actionDocumentSettings.triggered.connect(self.open_document_settings)
        self.menuAdmin.addAction(self.actionDocumentSettings)
        self.signing_queue_window: QWidget | None = None

    def open_signing_queue(self) -> QWidget:
        from desktop_app.gui.signing_queue import SigningQueueWindow

        if self.signing_queue_window is None:
            self.signing_queue_window = SigningQueueWindow(self.ctx, self)
        window = self.signing_queue_window
        window.show()
        window.raise_()
        window.activateWindow()
        return window

    def open_queue_if_waiting(self) -> QWidget | None:
        """After login: a signer with documents waiting sees the queue at once."""
        from desktop_app.gui.signing_queue import open_queue_if_waiting

        self.signing_queue_window = open_queue_if_waiting(self.ctx, self)
        return self.signing_queue_window

    def open_verify(self) -> None:
        from desktop_app.gui.verify_dialog import VerifyDialog

        VerifyDialog(self.ctx, self).exec()

    def open_certificates(self) -> None:
        from desktop_app.gui.signer_setup import SignerSetupDialog

        SignerSetupDialog(self.ctx, self).exec()

    def open_document_settings(self) -> None:
        from desktop_app.gui.office_documents_settings import OfficeDocumentsDialog

        OfficeDocumentsDialog(self.ctx, self).exec()

    # ------------------------------------------------------------------------- helpers

    def tab_titles(self) -> list[str]:
        return [self.tabs.tabText(i).replace("&", "") for i in range(self.tabs.count())]

    def current_sop_tab(self) -> SopTab | None:
        widget = self.tabs.currentWidget()
        return widget if isinstance(widget, SopTab) else None

    def _update_actions(self) -> None:
        tab = self.current_sop_tab()
        self.actionNewCase.setEnabled(
            tab is not None and case_actions.can_register(tab.sop, self.ctx.actor))
        self.actionOpenCase.setEnabled(isinstance(self.tabs.currentWidget(), SopTab | TasksTab))

    # ------------------------------------------------------------------------- actions

    def refresh_current(self) -> None:
        widget = self.tabs.currentWidget()
        if hasattr(widget, "refresh"):
            widget.refresh()

    def focus_search(self) -> None:
        widget = self.tabs.currentWidget()
        if hasattr(widget, "focus_search"):
            widget.focus_search()

    def new_case(self) -> None:
        tab = self.current_sop_tab()
        if tab is not None and case_actions.can_register(tab.sop, self.ctx.actor):
            tab.new_case()

    def open_selected(self) -> None:
        widget = self.tabs.currentWidget()
        if isinstance(widget, SopTab):
            widget.open_selected()
        elif isinstance(widget, TasksTab):
            case_id = widget.view.current_case_id()
            if case_id is not None:
                widget.open_case(case_id)

    def _cases_changed(self) -> None:
        # Other lists may show the same case: Tugas Saya reloads now (it is small), the
        # SOP tabs when they are next shown.
        sender = self.sender()
        if sender is not self.tasks_tab:
            self.tasks_tab.refresh()
        self._stale = {tab for tab in self.sop_tabs.values()
                       if tab is not sender and tab._started}

    def _case_changed_anywhere(self, _case_id: int) -> None:
        """The application's change signal (a case window, the signing queue): the SOP tab
        in view reloads now, the other SOP tabs when next shown."""
        try:  # (Tugas Saya listens to the signal itself)
            current = self.current_sop_tab()
            for tab in self.sop_tabs.values():
                if not tab._started:
                    continue
                if tab is current:
                    tab.refresh()
                else:
                    self._stale.add(tab)
        except RuntimeError:
            pass  # the window is being closed

    def _tab_changed(self) -> None:
        self._update_actions()
        widget = self.tabs.currentWidget()
        if widget in self._stale:
            self._stale.discard(widget)
            widget.refresh()

    def _settings_saved(self) -> None:
        from desktop_app.core.settings import IDLE_LOCK_MINUTES, get_setting

        self.idle_lock.set_timeout(
            IdleLock.minutes_to_ms(get_setting(self.ctx.db, IDLE_LOCK_MINUTES) or 0))
        for tab in self.sop_tabs.values():
            tab.model.refresh_times()

    def about(self) -> None:
        from desktop_app import __version__

        QMessageBox.about(self, self.tr("Tentang"), self.tr(
            "<b>Layanan Bidang Tenaga Kerja</b><br>"
            "Dinas Penanaman Modal, Pelayanan Terpadu Satu Pintu dan Tenaga Kerja "
            "Kota Pagar Alam<br><br>Versi {version}<br>{sops} SOP layanan<br>"
            "Basis data: {db}").format(version=__version__, sops=len(self.ctx.sops),
                                       db=self.ctx.db.display_name))

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802
        self.idle_lock.stop()
        self.connection.stop()
        super().closeEvent(event)
