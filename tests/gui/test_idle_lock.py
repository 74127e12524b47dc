"""The idle lock covers the window after the timeout and opens only with the right password."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from desktop_app.core import settings
from desktop_app.gui.app import build_main_window

pytestmark = pytest.mark.gui


def _window(qtbot, ctx, timeout_ms):
    window = build_main_window(ctx, idle_timeout_ms=timeout_ms)
    qtbot.addWidget(window)
    window.show()
    return window


def test_locks_after_timeout_and_unlocks_with_right_password_only(
        qtbot, demo_db, make_ctx, demo_passwords):
    window = _window(qtbot, make_ctx(demo_db, "kasi"), 150)
    lock = window.idle_lock
    assert not lock.is_locked
    qtbot.waitUntil(lambda: lock.is_locked, timeout=3000)
    screen = lock.screen
    assert screen.isVisible()
    assert screen.geometry() == window.rect()  # covers everything, menus included

    # Input to the hidden screens is swallowed while locked.
    tab = window.sop_tabs["ak1"]
    window.tabs.setCurrentWidget(tab)
    before = tab.search_edit.text()
    qtbot.keyClicks(tab.search_edit, "abc")
    assert tab.search_edit.text() == before

    qtbot.keyClicks(screen.password_edit, "bukan-sandinya")
    qtbot.keyClick(screen.password_edit, Qt.Key.Key_Return)
    assert lock.is_locked and screen.isVisible()
    assert screen.message_label.text() == "Kata sandi salah."
    assert screen.password_edit.text() == ""

    qtbot.keyClicks(screen.password_edit, demo_passwords["kasi"])
    qtbot.keyClick(screen.password_edit, Qt.Key.Key_Return)
    assert not lock.is_locked
    assert not screen.isVisible()


def test_input_keeps_the_window_unlocked(qtbot, demo_db, make_ctx):
    window = _window(qtbot, make_ctx(demo_db, "kasi"), 400)
    tab = window.sop_tabs["ak1"]
    for _ in range(12):  # 12 × 60 ms = 720 ms of typing, longer than the timeout
        qtbot.keyClick(tab.search_edit, Qt.Key.Key_Shift)
        qtbot.wait(60)
        assert not window.idle_lock.is_locked
    qtbot.waitUntil(lambda: window.idle_lock.is_locked, timeout=3000)


def test_zero_minutes_means_no_lock(qtbot, demo_db, make_ctx):
    window = _window(qtbot, make_ctx(demo_db, "kasi"), 0)
    qtbot.wait(100)
    assert not window.idle_lock.is_locked
    window.idle_lock.lock()
    assert not window.idle_lock.is_locked


def test_timeout_comes_from_the_setting(qtbot, demo_db, make_ctx):
    ctx = make_ctx(demo_db, "admin")
    assert settings.get_setting(demo_db, settings.IDLE_LOCK_MINUTES) == 10
    window = build_main_window(ctx)
    qtbot.addWidget(window)
    assert window.idle_lock.timeout_ms == 10 * 60_000
    settings.save_setting(demo_db, ctx.user, settings.IDLE_LOCK_MINUTES, 3)
    window2 = build_main_window(ctx)
    qtbot.addWidget(window2)
    assert window2.idle_lock.timeout_ms == 3 * 60_000
