"""The login dialog: username and password, remaining tries, lockout time, demo accounts.

Started with ``--demo`` it lists the demo accounts with their passwords so a newcomer can try
every role; a double-click fills the form.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QGroupBox,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QWidget,
)

from desktop_app.core import auth
from desktop_app.core.errors import AccountLocked, AppError, LoginFailed
from desktop_app.core.roles import role_label
from desktop_app.gui.context import AppContext
from desktop_app.gui.ui_forms import load_form


class LoginDialog(QDialog):
    """Asks for username and password; on success ``actor`` holds the signed-in user."""

    usernameEdit: QLineEdit  # noqa: N815 - names from ui/login_dialog.ui
    passwordEdit: QLineEdit  # noqa: N815
    messageLabel: QLabel  # noqa: N815
    demoGroup: QGroupBox  # noqa: N815
    demoTable: QTableWidget  # noqa: N815
    loginButton: QPushButton  # noqa: N815
    cancelButton: QPushButton  # noqa: N815

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        load_form(self, "login_dialog.ui")
        self.ctx = ctx
        self.actor: auth.Actor | None = None
        self.password_dialog: QDialog | None = None  # the forced change, while it is open
        self.loginButton.clicked.connect(self.try_login)
        self.cancelButton.clicked.connect(self.reject)
        self.usernameEdit.returnPressed.connect(self._username_entered)
        self.passwordEdit.returnPressed.connect(self.try_login)
        self.messageLabel.hide()
        self._fill_demo_table()
        self.usernameEdit.setFocus()

    def _fill_demo_table(self) -> None:
        if not self.ctx.demo:
            self.demoGroup.hide()
            self.resize(self.width(), self.minimumSizeHint().height())
            return
        from desktop_app.core.demo.accounts import DEMO_ACCOUNTS

        table = self.demoTable
        table.setColumnCount(3)
        table.setHorizontalHeaderLabels([self.tr("Nama pengguna"), self.tr("Kata sandi"),
                                         self.tr("Peran")])
        table.setRowCount(len(DEMO_ACCOUNTS))
        for row, acc in enumerate(DEMO_ACCOUNTS):
            roles = ", ".join(role_label(r) for r in acc.roles)
            for col, text in enumerate((acc.username, acc.password, roles)):
                item = QTableWidgetItem(text)
                item.setToolTip(acc.full_name if col == 0 else text)
                table.setItem(row, col, item)
        table.verticalHeader().setVisible(False)
        header = table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        table.verticalHeader().setDefaultSectionSize(table.fontMetrics().height() + 8)
        rows_height = table.verticalHeader().defaultSectionSize() * len(DEMO_ACCOUNTS)
        table.setMinimumHeight(rows_height + header.sizeHint().height() + 4)
        table.cellDoubleClicked.connect(self._fill_from_demo)
        self.resize(640, self.sizeHint().height())

    def _fill_from_demo(self, row: int, _column: int = 0) -> None:
        self.usernameEdit.setText(self.demoTable.item(row, 0).text())
        self.passwordEdit.setText(self.demoTable.item(row, 1).text())
        self.loginButton.setFocus()

    def _username_entered(self) -> None:
        if self.passwordEdit.text():
            self.try_login()
        else:
            self.passwordEdit.setFocus()

    def show_message(self, text: str) -> None:
        self.messageLabel.setText(text)
        self.messageLabel.setVisible(bool(text))

    def try_login(self) -> None:
        """Check the password with :func:`auth.login`; accept or say what went wrong."""
        username = self.usernameEdit.text().strip()
        password = self.passwordEdit.text()
        if not username:
            self.show_message(self.tr("Isi nama pengguna."))
            self.usernameEdit.setFocus()
            return
        try:
            self.actor = auth.login(self.ctx.db, username, password)
        except AccountLocked as exc:
            self.show_message(self.tr(
                "Akun dikunci karena terlalu banyak salah kata sandi. "
                "Coba lagi pukul {time}.").format(time=f"{exc.until:%H:%M}"))
            self.passwordEdit.clear()
            return
        except LoginFailed as exc:
            self.show_message(exc.message)
            self.passwordEdit.clear()
            self.passwordEdit.setFocus()
            return
        except AppError as exc:
            self.show_message(exc.message)
            return
        if self.actor.must_change_password and not self._change_forced_password(password):
            self.actor = None
            self.show_message(self.tr(
                "Kata sandi harus diganti sebelum Anda dapat bekerja. Masuk kembali untuk "
                "menggantinya."))
            self.passwordEdit.clear()
            self.passwordEdit.setFocus()
            return
        self.show_message("")
        self.accept()

    def _change_forced_password(self, password: str) -> bool:
        """An administrator set this password: the holder chooses a new one (the password
        rules apply) before the main window opens. True when it was changed."""
        from dataclasses import replace

        from desktop_app.gui.password_dialog import ChangePasswordDialog

        assert self.actor is not None
        dialog = ChangePasswordDialog(self.ctx, self, actor=self.actor, old_password=password)
        dialog.setObjectName("forcedPasswordChange")
        self.password_dialog = dialog
        changed = dialog.exec() == QDialog.DialogCode.Accepted
        self.password_dialog = None
        if changed:
            self.actor = replace(self.actor, must_change_password=False)
        return changed

    def keyPressEvent(self, event: object) -> None:  # noqa: N802
        # Enter submits from anywhere in the dialog (also from the demo table).
        key = event.key()  # type: ignore[attr-defined]
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.demoTable.hasFocus():
            row = self.demoTable.currentRow()
            if row >= 0:
                self._fill_from_demo(row)
                self.try_login()
                return
        super().keyPressEvent(event)  # type: ignore[arg-type]
