"""Issue 11: a session whose account was deactivated returns to the login dialog with the
reason, wherever the refused service was called from."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QApplication

from desktop_app.core import auth, cases
from desktop_app.core.errors import SessionEnded
from desktop_app.gui.app import build_main_window
from desktop_app.gui.session_guard import SessionGuard

pytestmark = pytest.mark.gui


def test_deactivated_account_goes_back_to_login(qtbot, demo_db, make_ctx, demo_actors):
    ctx = make_ctx(demo_db, "petugas")
    window = build_main_window(ctx, idle_timeout_ms=0)
    qtbot.addWidget(window)
    window.show()
    reopened: list[object] = []
    guard = SessionGuard(ctx, lambda: reopened.append(ctx.actor))
    try:
        auth.set_active(demo_db, demo_actors["admin"], "petugas", False)
        case_id = cases.list_case_ids(demo_db, cases.CaseQuery(sop_code="ak1"))[0]
        case = cases.get_case(demo_db, case_id)
        with pytest.raises(SessionEnded):
            cases.update_case(demo_db, ctx.user, case_id, expected_version=case.version,
                              data={"telepon": "081234567890"})
        qtbot.waitUntil(lambda: guard.login_dialog is not None
                        and guard.login_dialog.isVisible(), timeout=5000)
        dialog = guard.login_dialog
        assert "dinonaktifkan" in dialog.messageLabel.text()
        assert not window.isVisible()
        assert ctx.actor is None
        # Another clerk signs in at the same PC: the program opens again for them.
        dialog.usernameEdit.setText("jfu")
        dialog.passwordEdit.setText("jfu-demo-2026")
        dialog.try_login()
        assert reopened and reopened[0].username == "jfu"
    finally:
        guard.stop()
        for w in QApplication.topLevelWidgets():
            w.close()


def test_demo_window_says_data_contoh(qtbot, demo_db, make_ctx):
    from PySide6.QtWidgets import QLabel

    window = build_main_window(make_ctx(demo_db, "petugas", demo=True), idle_timeout_ms=0)
    qtbot.addWidget(window)
    window.show()
    banner = window.findChild(QLabel, "demoBanner")
    assert banner is not None and banner.isVisible() and "DATA CONTOH" in banner.text()
    assert "DATA CONTOH" in window.windowTitle()
    # The search box stays beside the banner, both inside the window at 1093 px (1366 x 768
    # at 125 %).
    from PySide6.QtWidgets import QLineEdit

    window.resize(1093, 600)
    qtbot.waitUntil(lambda: window.width() <= 1093)
    search = window.findChild(QLineEdit, "globalSearch")
    assert search is not None
    qtbot.waitUntil(search.isVisible, timeout=3000)
    for widget in (banner, search):
        right = widget.mapTo(window, widget.rect().topRight()).x()
        assert right <= window.width(), (widget.objectName(), right)
    real = build_main_window(make_ctx(demo_db, "petugas"), idle_timeout_ms=0)
    qtbot.addWidget(real)
    assert real.findChild(QLabel, "demoBanner") is None
