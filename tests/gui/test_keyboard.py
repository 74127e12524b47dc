"""Keyboard-only paths (pytest-qt key clicks to the focused widget, never the mouse): the
counter clerk registers a case, the Kadis signs in the queue, and Tab never gets trapped."""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import date

import pytest
from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QApplication,
    QComboBox,
    QLineEdit,
    QPlainTextEdit,
    QWidget,
)

from desktop_app.core import cases
from desktop_app.core.db import Database
from desktop_app.core.demo.people import demo_intake
from desktop_app.core.sop import load_sops
from desktop_app.gui.date_input import DateInput

pytestmark = pytest.mark.gui

SOPS = {s.code: s for s in load_sops()}


class Keyboard:
    """Presses keys on whatever has the focus, and counts them."""

    def __init__(self, qtbot) -> None:
        self.qtbot = qtbot
        self.count = 0
        self.by_key: dict[str, int] = {}  # "text" for typed characters, else the key's name

    @staticmethod
    def focus() -> QWidget:
        widget = QApplication.focusWidget()
        assert widget is not None, "the focus was lost"
        return widget

    def press(self, key: Qt.Key, modifier=Qt.KeyboardModifier.NoModifier) -> None:
        self.qtbot.keyClick(self.focus(), key, modifier)
        self.count += 1
        name = key.name.removeprefix("Key_")
        self.by_key[name] = self.by_key.get(name, 0) + 1

    def type(self, text: str) -> None:
        for ch in text:
            self.qtbot.keyClick(self.focus(), ch)
            self.count += 1
            self.by_key["text"] = self.by_key.get("text", 0) + 1


def _combo_prefix(combo: QComboBox, wanted: str) -> str:
    """The shortest prefix whose first match in ``combo`` is ``wanted`` (keyboard search)."""
    texts = [combo.itemText(i) for i in range(combo.count())]
    for n in range(1, len(wanted) + 1):
        first = next(t for t in texts if t.lower().startswith(wanted[:n].lower()))
        if first == wanted:
            return wanted[:n]
    return wanted


def _type_table(holder, rows: list[dict], keys: Keyboard) -> None:
    """Fill a list field's table from its table: Tab to "Tambah baris", Space, Shift+Tab back,
    Ctrl+End/Home to the new row; text typed (Enter commits), a choice by F2 + arrows + Enter,
    Right to the next column. Ends with the focus on the table."""
    table = holder.table
    for r, row in enumerate(rows):
        keys.press(Qt.Key.Key_Tab)
        assert keys.focus() is holder.add_button
        keys.press(Qt.Key.Key_Space)
        assert table.rowCount() == r + 1
        keys.press(Qt.Key.Key_Tab, Qt.KeyboardModifier.ShiftModifier)
        assert keys.focus() is table
        keys.press(Qt.Key.Key_End, Qt.KeyboardModifier.ControlModifier)
        keys.press(Qt.Key.Key_Home)
        assert (table.currentRow(), table.currentColumn()) == (r, 0)
        for c, col in enumerate(holder.field.columns):
            value = row.get(col.name)
            if value not in (None, ""):
                if col.type == "choice":
                    keys.press(Qt.Key.Key_F2)
                    combo = table.cellWidget(r, c)
                    assert keys.focus() is combo
                    for _step in range(combo.findData(value) - combo.currentIndex()):
                        keys.press(Qt.Key.Key_Down)
                    keys.press(Qt.Key.Key_Return)
                else:
                    text = (date.fromisoformat(value).strftime("%d-%m-%Y") if col.type == "date"
                            else str(value))
                    keys.type(text)
                    keys.press(Qt.Key.Key_Return)
                    keys.qtbot.waitUntil(
                        lambda: table.state() == QAbstractItemView.State.NoState)
                assert keys.focus() is table, (col.name, keys.focus())
            if c < len(holder.field.columns) - 1:
                keys.press(Qt.Key.Key_Right)


def _fill_by_keyboard(dlg, data: dict, keys: Keyboard) -> None:
    """Tab through the intake form once, typing each value where its field has the focus and
    ticking every requirement with Space; stops on "Simpan dan Daftarkan"."""
    editors = {dlg.form.editor(n): n for n in dlg.form.field_names()}
    boxes = set(dlg.requirement_boxes.values())
    seen: set[int] = set()
    for _ in range(150):
        w = keys.focus()
        if w is dlg.save_button:
            return
        assert id(w) not in seen or isinstance(w, QAbstractButton), f"Tab came back to {w}"
        seen.add(id(w))
        name = editors.get(w)
        value = data.get(name) if name else None
        if name and value not in (None, ""):
            field = next(f for f in dlg.sop.fields if f.name == name)
            if isinstance(w, DateInput):
                d = date.fromisoformat(str(value))
                keys.type(d.strftime("%d%m%Y"))
            elif isinstance(w, QComboBox):
                index = w.findData(value)
                prefix = _combo_prefix(w, w.itemText(index))
                if " " in prefix or len(prefix) > index - w.currentIndex():
                    for _step in range(index - w.currentIndex()):  # Space would open the list
                        keys.press(Qt.Key.Key_Down)
                else:
                    keys.type(prefix)
                assert w.currentData() == value
            elif field.type == "list":
                _type_table(dlg.form.holder(name), value, keys)
            elif isinstance(w, (QLineEdit, QPlainTextEdit)):
                keys.type(str(value))
        elif w in boxes:
            keys.press(Qt.Key.Key_Space)
        keys.press(Qt.Key.Key_Tab)
    raise AssertionError("Tab never reached the save button")


@pytest.mark.parametrize("sop_code", ["ak1", "jht", "paspor", "jakon", "phi"])
def test_register_a_case_with_the_keyboard_only(qtbot, sqlite_db: Database, clock,
                                                make_ctx: Callable, sop_code: str) -> None:
    from desktop_app.gui.intake import IntakeDialog

    if sop_code not in SOPS:
        pytest.skip(f"no SOP {sop_code}")
    sop = SOPS[sop_code]
    ctx = make_ctx(sqlite_db, "petugas")
    data = demo_intake(sop_code, random.Random(11), clock.now.date())
    list_fields = [f.name for f in sop.fields if f.type == "list"]
    if any(f.required for f in sop.fields if f.type == "list"):
        pytest.skip("list fields are filled in their table (not covered here)")
    data = {k: v for k, v in data.items() if k not in list_fields}
    dlg = IntakeDialog(ctx, sop)
    qtbot.addWidget(dlg)
    dlg.show()
    dlg.activateWindow()
    qtbot.waitExposed(dlg)
    first = dlg.form.editor(dlg.form.field_names()[0])
    qtbot.waitUntil(lambda: QApplication.focusWidget() is first)  # the form opens on NIK
    keys = Keyboard(qtbot)
    _fill_by_keyboard(dlg, data, keys)
    keys.press(Qt.Key.Key_Return)  # Enter on "Simpan dan Daftarkan"
    assert dlg.created_case_id is not None, dlg.form.set_errors({}) or dlg.banner.text()
    case = cases.get_case(sqlite_db, dlg.created_case_id)
    for name, value in data.items():
        if name in case.data and value not in (None, ""):
            assert str(case.data[name]) == str(value), name
    assert all(case.requirements.values())
    print(f"\n{sop_code}: registered with {keys.count} key presses {keys.by_key}")
    if sop_code == "ak1":
        assert keys.count < 400


PARTICIPANTS = [
    {"nama": "Siti Aminah", "nik": "1672015506980002", "jenis_kelamin": "P",
     "asal": "Dempo Utara", "pendidikan": "SMA"},
    {"nama": "Rudi Hartono", "nik": "1672011203990001", "jenis_kelamin": "L",
     "asal": "Pagar Alam Selatan", "pendidikan": "SMK"},
]


def test_register_a_training_with_its_participants_by_keyboard(qtbot, sqlite_db: Database, clock,
                                                               make_ctx: Callable) -> None:
    """Pelatihan: the form, the schedule and the participants table, typed with keys only."""
    from desktop_app.gui.intake import IntakeDialog

    sop = SOPS["pelatihan"]
    data = demo_intake("pelatihan", random.Random(11), clock.now.date())
    data["peserta"] = PARTICIPANTS
    data["jadwal"] = [{"tanggal": data["tanggal_mulai"], "kegiatan": "Pembukaan dan teori"}]
    dlg = IntakeDialog(make_ctx(sqlite_db, "jfu"), sop)  # trainings are registered by a JFU
    qtbot.addWidget(dlg)
    dlg.show()
    dlg.activateWindow()
    qtbot.waitExposed(dlg)
    first = dlg.form.editor(dlg.form.field_names()[0])
    qtbot.waitUntil(lambda: QApplication.focusWidget() is first)
    keys = Keyboard(qtbot)
    _fill_by_keyboard(dlg, data, keys)
    keys.press(Qt.Key.Key_Return)
    assert dlg.created_case_id is not None, (
        dlg.banner.text(), {n: dlg.form.error_text(n) for n in dlg.form.field_names()
                            if dlg.form.error_text(n)}, dlg.requirements_error.text())
    case = cases.get_case(sqlite_db, dlg.created_case_id)
    saved = case.data["peserta"]
    assert [(p["nama"], p.get("nik"), p.get("jenis_kelamin"), p.get("asal")) for p in saved] == \
        [(p["nama"], p["nik"], p["jenis_kelamin"], p["asal"]) for p in PARTICIPANTS]
    assert [(j["kegiatan"], str(j["tanggal"])) for j in case.data["jadwal"]] == \
        [("Pembukaan dan teori", data["tanggal_mulai"])]
    assert case.data["nama_pelatihan"] == data["nama_pelatihan"]
    print(f"\npelatihan: registered with {keys.count} key presses {keys.by_key}")


def test_enter_saves_and_never_presses_fill_from_nik(qtbot, sqlite_db: Database, clock,
                                                     make_ctx) -> None:
    """Enter in the form is "Simpan dan Daftarkan" (the default), never "Isi dari NIK" (which
    overwrote a corrected field), even after that button had the focus."""
    from desktop_app.gui.intake import IntakeDialog

    dlg = IntakeDialog(make_ctx(sqlite_db, "petugas"), SOPS["ak1"])
    qtbot.addWidget(dlg)
    dlg.show()
    data = demo_intake("ak1", random.Random(5), clock.now.date())
    dlg.form.set_values(data)
    for box in dlg.requirement_boxes.values():
        box.setChecked(True)
    nik = dlg.form.holder("nik")
    fills: list[bool] = []
    nik.fill_button.clicked.connect(lambda *_a: fills.append(True))
    assert nik.fill_button.isVisible() and not nik.fill_button.autoDefault()
    dlg.activateWindow()
    qtbot.waitExposed(dlg)
    nik.fill_button.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is nik.fill_button)
    qtbot.keyClick(nik.fill_button, Qt.Key.Key_Tab)
    qtbot.keyClick(Keyboard.focus(), Qt.Key.Key_Return)
    assert fills == []
    assert dlg.created_case_id is not None, [dlg.form.error_text(n)
                                             for n in dlg.form.field_names()]


def test_ctrl_s_saves_and_esc_asks_before_discarding(qtbot, sqlite_db: Database, clock,
                                                     make_ctx, no_blocking_message_boxes,
                                                     monkeypatch) -> None:
    from PySide6.QtWidgets import QMessageBox

    from desktop_app.gui.intake import IntakeDialog

    dlg = IntakeDialog(make_ctx(sqlite_db, "petugas"), SOPS["ak1"])
    qtbot.addWidget(dlg)
    dlg.show()
    dlg.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is dlg)
    qtbot.keyClicks(dlg.form.editor("nama"), "Rina")
    monkeypatch.setattr(QMessageBox, "question",
                        staticmethod(lambda *a, **k: QMessageBox.StandardButton.No))
    assert dlg.has_changes(), (dlg.form.value("nama"), dlg.form.editor("nama").text())
    qtbot.keyClick(dlg.form.editor("nama"), Qt.Key.Key_Escape)
    assert dlg.isVisible(), "Esc threw a half-filled form away without asking"
    dlg.activateWindow()  # (a real question box hands the activation back when it closes)
    qtbot.waitUntil(lambda: QApplication.activeWindow() is dlg)
    data = demo_intake("ak1", random.Random(6), clock.now.date())
    dlg.form.set_values(data)
    qtbot.keyClick(dlg.form.editor("nama"), Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert dlg.created_case_id is not None


def test_catatan_hands_tab_on(qtbot, sqlite_db: Database, make_ctx) -> None:
    from desktop_app.gui.intake import IntakeDialog

    dlg = IntakeDialog(make_ctx(sqlite_db, "petugas"), SOPS["ak1"])
    qtbot.addWidget(dlg)
    dlg.show()
    dlg.note.setFocus()
    qtbot.keyClick(dlg.note, Qt.Key.Key_Tab)
    assert dlg.note.toPlainText() == "" and QApplication.focusWidget() is not dlg.note


# ----------------------------------------------------------------------------- dates


def test_dates_typed_with_and_without_separators(qtbot) -> None:
    host = QWidget()
    qtbot.addWidget(host)
    from PySide6.QtWidgets import QVBoxLayout

    before, edit, after = QLineEdit(), DateInput(empty_date=QDate(1899, 12, 31)), QLineEdit()
    lay = QVBoxLayout(host)
    for w in (before, edit, after):
        lay.addWidget(w)
    host.show()
    host.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is host)
    for typed in ("12081995", "12/08/1995", "12-8-1995", "12.08.1995", "1/8/1995"):
        edit.setDate(edit.empty_date)
        edit.setFocus()
        qtbot.keyClicks(edit, typed)
        expected = QDate(1995, 8, 1) if typed.startswith("1/") else QDate(1995, 8, 12)
        assert edit.date() == expected, typed
    edit.setDate(edit.empty_date)
    edit.setFocus()
    qtbot.keyClick(edit, Qt.Key.Key_Tab)  # an empty date does not keep the focus
    assert QApplication.focusWidget() is after
    edit.setFocus()
    qtbot.keyClick(edit, Qt.Key.Key_Backtab)
    assert QApplication.focusWidget() is before
    edit.setFocus()
    qtbot.keyClick(edit, Qt.Key.Key_F4)
    assert edit.calendarWidget().isVisible()
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return)
    assert not edit.calendarWidget().isVisible() and not edit.is_empty()
    edit.setFocus()
    qtbot.keyClick(edit, Qt.Key.Key_Down, Qt.KeyboardModifier.AltModifier)
    assert edit.calendarWidget().isVisible()
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Escape)
    assert not edit.calendarWidget().isVisible()  # Esc closes the calendar


# ----------------------------------------------------------------------------- signing queue


def test_sign_in_the_queue_with_the_keyboard(qtbot, sqlite_db: Database, make_ctx,
                                             monkeypatch) -> None:
    from test_signing_gui import _awaiting_signature

    from desktop_app.core.demo.signing import demo_signing_passphrase, setup_demo_signing
    from desktop_app.core.documents.context import install_placeholder_emblem
    from desktop_app.gui.signing_queue import SigningQueueWindow

    install_placeholder_emblem(sqlite_db)
    setup_demo_signing(sqlite_db)
    _awaiting_signature(sqlite_db, 2)
    window = SigningQueueWindow(make_ctx(sqlite_db, "kadis"))
    qtbot.addWidget(window)
    asked: list[int] = []
    monkeypatch.setattr(window, "ask_passphrase",
                        lambda n: asked.append(n) or demo_signing_passphrase("kadis"))
    window.show()
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is window.table)
    keys = Keyboard(qtbot)
    keys.press(Qt.Key.Key_Down)  # the second document
    keys.press(Qt.Key.Key_Tab, Qt.KeyboardModifier.ShiftModifier)  # Shift+Tab leaves the table
    assert QApplication.focusWidget() is not window.table
    assert window.selected_ids() and window.row_count() == 2
    selected = window.selected_ids()
    keys.press(Qt.Key.Key_T, Qt.KeyboardModifier.AltModifier)  # Tanda &Tangani
    qtbot.waitUntil(lambda: asked == [1])  # a mnemonic "animates" the click (100 ms)
    qtbot.waitUntil(lambda: window.last_result is not None, timeout=20000)
    assert window.last_result.ok and list(window.last_result.signed) == selected
    assert window.row_count() == 1
    assert QApplication.focusWidget() is not None and QApplication.focusWidget().window() is window


# ----------------------------------------------------------------------------- Tab walks


def _tab_walk(qtbot, window: QWidget, start: QWidget, limit: int = 200) -> list[QWidget]:
    """Press Tab from ``start`` until the focus comes back; fails on a trap or no return."""
    window.activateWindow()
    start.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is start)
    chain = [start]
    for _ in range(limit):
        before = QApplication.focusWidget()
        qtbot.keyClick(before, Qt.Key.Key_Tab)
        now = QApplication.focusWidget()
        assert now is not None and now.window() is window, "the focus left the window"
        assert now is not before, f"Tab is trapped in {type(before).__name__}"
        if now is start:
            return chain
        chain.append(now)
    raise AssertionError(f"Tab did not come back to the start within {limit} presses")


def test_tab_walks_through_the_main_window(qtbot, demo_db: Database, make_ctx,
                                           free_widgets) -> None:
    from desktop_app.gui.main_window import MainWindow

    window = MainWindow(make_ctx(demo_db, "petugas"), idle_timeout_ms=0)
    window.show()
    for code in ("ak1", "jht"):
        tab = window.sop_tabs[code]
        window.tabs.setCurrentWidget(tab)
        chain = _tab_walk(qtbot, window, tab.search_edit)
        for needed in (tab.new_button, tab.open_button, tab.from_edit, tab.to_edit, tab.view):
            assert needed in chain, needed
        assert chain.index(tab.new_button) < chain.index(tab.from_edit)  # the visual order
    window.tabs.setCurrentWidget(window.tasks_tab)
    _tab_walk(qtbot, window, window.tasks_tab.search_edit)


def test_tab_walks_through_the_case_screen_actions_before_tutup(qtbot, demo_db: Database,
                                                                 make_ctx, free_widgets) -> None:
    from desktop_app.core.cases import CaseQuery, list_cases
    from desktop_app.gui.case_detail import CaseDetailDialog

    ctx = make_ctx(demo_db, "petugas")
    dlg = None
    for row in list_cases(demo_db, CaseQuery(sop_code="ak1")):
        dlg = CaseDetailDialog(ctx, row.id)
        if dlg.action_buttons:
            break
        dlg.deleteLater()
    assert dlg is not None and dlg.action_buttons, "no demo case with an action for petugas"
    dlg.show()
    chain = _tab_walk(qtbot, dlg, dlg.tabs.tabBar())
    actions = list(dlg.action_buttons.values())
    assert all(b in chain for b in actions) and dlg.close_button in chain
    assert chain.index(actions[-1]) < chain.index(dlg.close_button)
    assert all("&" in b.text() for b in actions)


def test_tab_walks_through_the_intake_form(qtbot, sqlite_db: Database, make_ctx) -> None:
    from desktop_app.gui.intake import IntakeDialog

    dlg = IntakeDialog(make_ctx(sqlite_db, "petugas"), SOPS["ak1"])
    qtbot.addWidget(dlg)
    dlg.show()
    chain = _tab_walk(qtbot, dlg, dlg.form.editor("nik"))
    assert dlg.save_button in chain and dlg.note in chain
    assert chain.index(dlg.note) < chain.index(dlg.save_button)
    assert all(box in chain for box in dlg.requirement_boxes.values())


def test_search_down_and_enter_opens_the_hit(qtbot, demo_db: Database, make_ctx, monkeypatch,
                                             free_widgets) -> None:
    from desktop_app.gui import case_actions
    from desktop_app.gui.main_window import MainWindow

    opened: list[int] = []
    monkeypatch.setattr(case_actions, "open_case",
                        lambda _ctx, case_id, *_a, **_k: opened.append(case_id))
    window = MainWindow(make_ctx(demo_db, "petugas"), idle_timeout_ms=0)
    window.show()
    tab = window.sop_tabs["ak1"]
    window.tabs.setCurrentWidget(tab)
    window.activateWindow()
    qtbot.waitUntil(lambda: tab.model.rowCount() > 0, timeout=10000)
    tab.search_edit.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is tab.search_edit)
    qtbot.keyClick(tab.search_edit, Qt.Key.Key_Down)  # from the search box into the list
    assert QApplication.focusWidget() is tab.view
    qtbot.keyClick(tab.view, Qt.Key.Key_Return)
    assert len(opened) == 1


def test_every_date_edit_hands_tab_on(qtbot) -> None:
    """Plain QDateEdits elsewhere (reports, admin) leave on Tab too (the app-wide rule)."""
    from PySide6.QtWidgets import QDateEdit, QVBoxLayout

    host = QWidget()
    qtbot.addWidget(host)
    before, edit, after = QLineEdit(), QDateEdit(QDate(2026, 1, 2)), QLineEdit()
    lay = QVBoxLayout(host)
    for w in (before, edit, after):
        lay.addWidget(w)
    host.show()
    host.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is host)
    edit.setFocus()
    qtbot.keyClick(edit, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is after
    edit.setFocus()
    qtbot.keyClick(edit, Qt.Key.Key_Tab, Qt.KeyboardModifier.ShiftModifier)
    assert QApplication.focusWidget() is before


def _activate(qtbot, window: QWidget) -> None:
    window.show()
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)


def test_delegation_dates_typed_and_saved_with_the_keyboard(qtbot, sqlite_db: Database,
                                                            make_ctx: Callable) -> None:
    """The admin's delegation dialog: Tab into "Mulai", type ddmmyyyy, Tab to "Sampai" (never
    trapped), type, Tab on to Keterangan; Enter saves the typed range."""
    from desktop_app.core import auth
    from desktop_app.gui.admin.users import DelegationDialog

    dialog = DelegationDialog(make_ctx(sqlite_db, "admin"), auth.list_users(sqlite_db), "kadis")
    qtbot.addWidget(dialog)
    _activate(qtbot, dialog)
    dialog.from_combo.setFocus()
    for _ in range(3):  # Pejabat -> Dilimpahkan kepada -> Jenis -> Mulai
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is dialog.starts_edit
    today = sqlite_db.now().date()
    year = today.year + 1
    qtbot.keyClicks(dialog.starts_edit, f"0103{year}")
    qtbot.keyClick(dialog.starts_edit, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is dialog.ends_edit
    qtbot.keyClicks(dialog.ends_edit, f"15/03/{year}")
    qtbot.keyClick(dialog.ends_edit, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is dialog.note_edit
    assert dialog.starts_edit.date() == QDate(year, 3, 1)
    assert dialog.ends_edit.date() == QDate(year, 3, 15)
    qtbot.keyClick(dialog.note_edit, Qt.Key.Key_Tab, Qt.KeyboardModifier.ShiftModifier)
    assert QApplication.focusWidget() is dialog.ends_edit  # Shift+Tab out of a date, back in
    qtbot.keyClick(dialog.ends_edit, Qt.Key.Key_F4)  # the calendar opens from the keyboard
    assert dialog.ends_edit.calendarWidget().isVisible()
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Escape)
    assert not dialog.ends_edit.calendarWidget().isVisible()
    assert dialog.isVisible() and dialog.ends_edit.date() == QDate(year, 3, 15)
    dialog.to_combo.setCurrentIndex(dialog.to_combo.findData("kabid"))
    dialog.note_edit.setFocus()
    qtbot.keyClick(dialog.note_edit, Qt.Key.Key_Return)
    assert dialog.delegation_id is not None, dialog.errors.general.text()


def test_report_period_typed_with_the_keyboard(qtbot, sqlite_db: Database,
                                               make_ctx: Callable) -> None:
    """The recap window's "Dari … s.d." dates: typed, Tab moves on, Alt+Down opens the
    calendar; the period the report uses is the typed one."""
    from desktop_app.gui.reports.recaps import RecapWindow

    window = RecapWindow(make_ctx(sqlite_db, "kabid"))
    qtbot.addWidget(window)
    _activate(qtbot, window)
    picker = window.period
    picker.quick.setFocus()
    qtbot.keyClick(picker.quick, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is picker.start
    qtbot.keyClicks(picker.start, "01022026")
    qtbot.keyClick(picker.start, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is picker.end
    qtbot.keyClicks(picker.end, "28.2.2026")
    assert picker.dates() == (date(2026, 2, 1), date(2026, 2, 28))
    assert picker.quick.currentData() == "pilih"
    qtbot.keyClick(picker.end, Qt.Key.Key_Down, Qt.KeyboardModifier.AltModifier)
    assert picker.end.calendarWidget().isVisible()
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Escape)
    picker.end.setFocus()
    qtbot.keyClick(picker.end, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() not in (picker.start, picker.end)  # not trapped


def _first_tab_stop(window: QWidget) -> QWidget:
    widget = window.nextInFocusChain()
    while widget is not window:
        if widget.isVisible() and widget.isEnabled() and \
                widget.focusPolicy() & Qt.FocusPolicy.TabFocus and widget.focusProxy() is None:
            return widget
        widget = widget.nextInFocusChain()
    raise AssertionError(f"{type(window).__name__} has no Tab stop")


def test_tab_walks_through_the_signing_dialog(qtbot, sqlite_db: Database, make_ctx,
                                              free_widgets) -> None:
    """Paraf/Tanda Tangani/Kembalikan come before Tutup, and Tab is never kept (PDF pane,
    swimlane and the approvals list hand it on)."""
    from test_signing_gui import _awaiting_signature

    from desktop_app.core.demo.signing import setup_demo_signing
    from desktop_app.core.documents.context import install_placeholder_emblem
    from desktop_app.gui.signing_dialog import SigningDialog

    install_placeholder_emblem(sqlite_db)
    setup_demo_signing(sqlite_db)
    _case_id, doc_id = _awaiting_signature(sqlite_db, 1)[0]
    from desktop_app.gui.signing_queue import SigningQueueWindow

    queue = SigningQueueWindow(make_ctx(sqlite_db, "kadis"))
    qtbot.addWidget(queue)
    dlg = SigningDialog(make_ctx(sqlite_db, "kadis"), doc_id, queue, queue=queue)
    _activate(qtbot, dlg)
    buttons = [b for b in (dlg.btn_paraf, dlg.btn_sign, dlg.btn_return) if b.isEnabled()]
    assert dlg.btn_sign in buttons and dlg.btn_sign.isVisible()
    chain = _tab_walk(qtbot, dlg, dlg.btn_close)
    assert all(b in chain for b in buttons)
    assert chain.index(buttons[-1]) == len(chain) - 1  # the last action, then Tutup
    assert all("&" in b.text() for b in [*buttons, dlg.btn_close])


@pytest.mark.parametrize("name", ["DashboardWindow", "RecapWindow", "RegisterWindow",
                                  "AgendaWindow", "PersonSearchWindow", "CounterLookupDialog",
                                  "SurveyEntryDialog"])
def test_tab_walks_through_the_reports_windows(qtbot, sqlite_db: Database, make_ctx,
                                               free_widgets, name: str) -> None:
    """Every reports window: Tab goes round without a trap; the period dates and the export
    buttons are on the way."""
    from desktop_app.gui.reports import books, dashboard, people, recaps, survey_entry

    make = {"DashboardWindow": lambda: dashboard.DashboardWindow(make_ctx(sqlite_db, "kabid")),
            "RecapWindow": lambda: recaps.RecapWindow(make_ctx(sqlite_db, "kabid")),
            "RegisterWindow": lambda: books.RegisterWindow(make_ctx(sqlite_db, "petugas")),
            "AgendaWindow": lambda: books.AgendaWindow(make_ctx(sqlite_db, "admintu")),
            "PersonSearchWindow": lambda: people.PersonSearchWindow(make_ctx(sqlite_db,
                                                                             "petugas")),
            "CounterLookupDialog": lambda: people.CounterLookupDialog(make_ctx(sqlite_db,
                                                                               "petugas")),
            "SurveyEntryDialog": lambda: survey_entry.SurveyEntryDialog(
                make_ctx(sqlite_db, "petugas"))}[name]
    window = make()
    qtbot.addWidget(window)
    _activate(qtbot, window)
    chain = _tab_walk(qtbot, window, _first_tab_stop(window))
    period = getattr(window, "period", None)
    if period is not None:
        assert period.start in chain and period.end in chain
        assert chain.index(period.start) < chain.index(period.end)
    export = getattr(window, "buttons", None)
    if export is not None and hasattr(export, "findChildren"):
        from PySide6.QtWidgets import QPushButton

        visible = [b for b in export.findChildren(QPushButton) if b.isVisible()]
        assert visible and all(b in chain for b in visible)
    if name == "SurveyEntryDialog":
        assert window.responded in chain
