"""Issue 11: after an administrator's reset the login asks for a new password (the password
rules apply) before the main window opens; cancelling it leaves the user at the login."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QTimer
from sqlalchemy import select

from desktop_app.core import auth
from desktop_app.core.models import User
from desktop_app.gui.login import LoginDialog

pytestmark = pytest.mark.gui


def _flag(db, username):
    with db.read() as s:
        return s.scalar(select(User.must_change_password).where(User.username == username))


def _login(qtbot, ctx, username, password, handle):
    dialog = LoginDialog(ctx)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.usernameEdit.setText(username)
    dialog.passwordEdit.setText(password)
    seen: list[str] = []

    def step():
        forced = dialog.password_dialog
        if forced is None or not forced.isVisible():
            QTimer.singleShot(20, step)
            return
        handle(forced, seen)

    QTimer.singleShot(0, step)
    dialog.try_login()
    return dialog, seen


def test_reset_password_is_changed_at_the_login_before_the_window(qtbot, sqlite_db, make_ctx):
    admin = make_ctx(sqlite_db, "admin")
    auth.reset_password(sqlite_db, admin.user, "petugas", "Sandi-Reset-Admin-41")
    ctx = make_ctx(sqlite_db)

    def handle(forced, seen):
        assert forced.old.isHidden()  # the password just typed is the old one
        assert "administrator" in forced.notice.text()
        forced.new.setText("1234567890")
        forced.repeat.setText("1234567890")
        assert not forced.save()  # the password rules apply at the field
        seen.append(forced.error_text("sandi_baru"))
        forced.new.setText("Pilihan-Sendiri-Petugas-7")
        forced.repeat.setText("Pilihan-Sendiri-Petugas-7")
        assert forced.save()

    dialog, seen = _login(qtbot, ctx, "petugas", "Sandi-Reset-Admin-41", handle)
    assert seen and "angka" in seen[0]
    assert dialog.result() == LoginDialog.DialogCode.Accepted
    assert dialog.actor is not None and not dialog.actor.must_change_password
    assert _flag(sqlite_db, "petugas") is False
    assert auth.login(sqlite_db, "petugas", "Pilihan-Sendiri-Petugas-7").username == "petugas"


def test_cancelling_the_forced_change_stays_at_the_login(qtbot, sqlite_db, make_ctx):
    admin = make_ctx(sqlite_db, "admin")
    auth.reset_password(sqlite_db, admin.user, "staf", "Sandi-Reset-Admin-42")
    ctx = make_ctx(sqlite_db)
    dialog, _ = _login(qtbot, ctx, "staf", "Sandi-Reset-Admin-42",
                       lambda forced, seen: forced.reject())
    assert dialog.actor is None
    assert dialog.result() != LoginDialog.DialogCode.Accepted
    assert "harus diganti" in dialog.messageLabel.text()
    assert _flag(sqlite_db, "staf") is True
