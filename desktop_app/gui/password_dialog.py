"""Ganti Kata Sandi: the signed-in user changes their own password with the old one.

The same dialog, ``forced``, is shown by the login when an administrator set the password (a
reset or a new account): the password just typed is the old one, and the main window opens
only after the change."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from desktop_app.core.auth import Actor, change_own_password
from desktop_app.core.errors import AccountLocked, AppError, ValidationError
from desktop_app.gui.context import AppContext


class ChangePasswordDialog(QDialog):
    """Old password, new password twice; each error under its field, nothing saved on one."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None, *,
                 actor: Actor | None = None, old_password: str | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.actor = actor or ctx.user
        self.forced = old_password is not None
        self.setWindowTitle(self.tr("Ganti Kata Sandi"))
        self.old = QLineEdit()
        self.new = QLineEdit()
        self.repeat = QLineEdit()
        self.errors: dict[str, QLabel] = {}
        form = QFormLayout()
        for key, label, edit in (("sandi_lama", self.tr("Kata sandi lama"), self.old),
                                 ("sandi_baru", self.tr("Kata sandi baru"), self.new),
                                 ("ulangi", self.tr("Ulangi kata sandi baru"), self.repeat)):
            edit.setEchoMode(QLineEdit.EchoMode.Password)
            edit.textEdited.connect(lambda _t, k=key: self.errors[k].hide())
            error = QLabel()
            error.setProperty("role", "error")
            error.setStyleSheet("color: #c62828;")
            error.setWordWrap(True)
            error.hide()
            self.errors[key] = error
            form.addRow(label, edit)
            form.addRow("", error)
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.hide()
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Save).setText(self.tr("&Simpan"))
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("&Batal"))
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(self.tr("Pengguna: {name}").format(name=self.actor.full_name)))
        if self.forced:
            # The old password is the one just typed at the login: not asked twice.
            self.old.setText(old_password or "")
            form.setRowVisible(self.old, False)
            form.setRowVisible(self.errors["sandi_lama"], False)
            self.notice = QLabel(self.tr(
                "Kata sandi Anda ditetapkan oleh administrator. Buat kata sandi baru Anda "
                "sendiri sebelum mulai bekerja (minimal 10 karakter, bukan kata sandi umum)."))
            self.notice.setObjectName("forcedChangeNotice")
            self.notice.setWordWrap(True)
            layout.addWidget(self.notice)
            self.new.setFocus()
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(buttons)

    def error_text(self, key: str) -> str:
        label = self.errors[key]
        return label.text() if not label.isHidden() else ""

    def _show(self, errors: dict[str, str]) -> None:
        for key, text in errors.items():
            label = self.errors.get(key)
            if label is not None:
                label.setText(text)
                label.show()

    def save(self) -> bool:
        for label in self.errors.values():
            label.hide()
        self.message.hide()
        if self.new.text() != self.repeat.text():
            self._show({"ulangi": self.tr("Kata sandi baru tidak sama.")})
            return False
        try:
            change_own_password(self.ctx.db, self.actor, self.old.text(), self.new.text())
        except ValidationError as exc:
            self._show(exc.errors)
            if self.forced and "sandi_lama" in exc.errors:  # its row is hidden
                self.message.setText(exc.errors["sandi_lama"])
                self.message.show()
            return False
        except (AccountLocked, AppError) as exc:
            self.message.setText(exc.message)
            self.message.show()
            return False
        self.accept()
        return True
