"""The SOP tab's case list: lazy model, search, filters, SQL sorting, late rows, scrolling."""

from __future__ import annotations

from dataclasses import replace

import pytest
from PySide6.QtCore import QPoint, Qt

from desktop_app.core import cases, workflow
from desktop_app.core.demo.cases import seed_scale
from desktop_app.gui import case_table
from desktop_app.gui.case_table import CaseTableModel, sort_column_of
from desktop_app.gui.sop_tab import SopTab
from desktop_app.gui.style import LATE_BACKGROUND, LATE_TEXT

pytestmark = pytest.mark.gui


def _tab(qtbot, ctx, code="ak1") -> SopTab:
    tab = SopTab(ctx, ctx.sop(code))
    qtbot.addWidget(tab)
    tab.resize(1200, 700)
    tab.show()
    _wait(qtbot, tab)
    return tab


def _wait(qtbot, tab: SopTab) -> None:
    qtbot.waitUntil(lambda: not tab.model.is_loading, timeout=10_000)


def _column(tab: SopTab, col: int) -> list[str]:
    m = tab.model
    return [m.index(r, col).data() for r in range(m.rowCount())]


def _ids(tab: SopTab) -> list[int]:
    return [tab.model.case_id(r) for r in range(tab.model.rowCount())]


def test_lists_seeded_cases_with_columns(qtbot, demo_db, make_ctx):
    ctx = make_ctx(demo_db, "petugas")
    tab = _tab(qtbot, ctx)
    expected = cases.list_cases(demo_db, cases.CaseQuery(sop_code="ak1"), 0, 1000)
    assert _ids(tab) == [r.id for r in expected]
    assert tab.model.rowCount() == len(expected) > 5
    headers = [tab.model.headerData(c, Qt.Orientation.Horizontal) for c in range(7)]
    assert headers == ["No. Register", "Tanggal Daftar", "Pemohon / Perusahaan / Kegiatan",
                       "Langkah", "Pelaksana", "Status", "Sisa Waktu"]
    first = expected[0]
    assert tab.model.index(0, 0).data() == first.register_number
    assert tab.model.index(0, 1).data() == "30 November 2026"
    assert tab.model.index(0, 2).data() == first.title
    statuses = set(_column(tab, 5))
    assert {"Menunggu Verifikasi", "Sedang Diproses", "Selesai", "Perlu Perbaikan"} <= statuses
    lanes = set(_column(tab, 4))
    assert "Petugas Penerima" in lanes and "Kasi" in lanes
    assert any(text.startswith("2. Menerima berkas") for text in _column(tab, 3))
    assert tab.count_label.text() == f"{len(expected)} berkas"
    qtbot.waitUntil(lambda: hasattr(tab, "summary"), timeout=15000)
    assert tab.summary.by_status[workflow.IN_PROGRESS] >= 1


def test_search_by_nik_and_name_prefix(qtbot, demo_db, make_ctx):
    ctx = make_ctx(demo_db, "petugas")
    tab = _tab(qtbot, ctx)
    total = tab.model.rowCount()
    rows = cases.list_cases(demo_db, cases.CaseQuery(sop_code="ak1"), 0, 100)
    target = rows[3]
    qtbot.keyClicks(tab.search_edit, target.nik)
    assert tab.model.rowCount() == total  # debounced: nothing yet
    qtbot.waitUntil(lambda: tab.model.query.search == target.nik, timeout=2000)
    _wait(qtbot, tab)
    assert _ids(tab) == [target.id]

    prefix = target.title.split()[0][:3].lower()
    tab.search_edit.setText(prefix)
    tab.apply_filters()
    _wait(qtbot, tab)
    titles = _column(tab, 2)
    assert titles and all(t.lower().startswith(prefix) for t in titles)
    assert len(titles) < total

    tab.search_edit.setText(target.register_number)
    tab.apply_filters()
    _wait(qtbot, tab)
    assert _ids(tab) == [target.id]

    tab.search_edit.clear()
    tab.apply_filters()
    _wait(qtbot, tab)
    assert tab.model.rowCount() == total


def test_status_lane_and_date_filters(qtbot, demo_db, make_ctx):
    from PySide6.QtCore import QDate

    tab = _tab(qtbot, make_ctx(demo_db, "kasi"))
    tab.status_combo.setCurrentIndex(tab.status_combo.findData(workflow.COMPLETED))
    _wait(qtbot, tab)
    assert tab.model.rowCount() > 0
    assert set(_column(tab, 5)) == {"Selesai"}

    tab.status_combo.setCurrentIndex(0)
    tab.lane_combo.setCurrentIndex(tab.lane_combo.findData("kasi"))
    _wait(qtbot, tab)
    assert set(_column(tab, 4)) == {"Kasi"}

    tab.lane_combo.setCurrentIndex(0)
    tab.from_edit.setDate(QDate(2026, 12, 1))  # all demo cases were registered on 30 Nov
    _wait(qtbot, tab)
    assert tab.model.rowCount() == 0
    assert tab.view.overlay_text() == "Tidak ada berkas yang cocok."
    tab.from_edit.setDate(QDate(2026, 11, 30))
    tab.to_edit.setDate(QDate(2026, 11, 30))
    _wait(qtbot, tab)
    assert tab.model.rowCount() > 0
    assert tab.view.overlay_text() is None


def test_late_only_filter_follows_the_clock(qtbot, demo_db, make_ctx, clock):
    tab = _tab(qtbot, make_ctx(demo_db, "kasi"))
    tab.late_check.setChecked(True)
    _wait(qtbot, tab)
    assert tab.model.rowCount() == 0
    clock.advance(days=2)
    tab.refresh()
    _wait(qtbot, tab)
    n = tab.model.rowCount()
    open_cases = cases.count_cases(demo_db, cases.CaseQuery(
        sop_code="ak1", statuses=(workflow.IN_PROGRESS,)))
    assert n == open_cases > 0
    m = tab.model
    assert all(m.index(r, 6).data().startswith("terlambat") for r in range(n))
    assert m.index(0, 6).data(Qt.ItemDataRole.ForegroundRole) == LATE_TEXT
    assert m.index(0, 2).data(Qt.ItemDataRole.BackgroundRole) == LATE_BACKGROUND


def test_time_left_soon_and_late_text(qtbot, demo_db, make_ctx, clock):
    tab = _tab(qtbot, make_ctx(demo_db, "kasi"))
    texts = [t for t in _column(tab, 6) if t]
    assert any(t.startswith("segera") for t in texts)  # 5-minute steps just started
    clock.advance(hours=2)
    tab.refresh()
    _wait(qtbot, tab)
    assert "terlambat 1 jam 55 menit" in _column(tab, 6)


def test_header_click_sorts_in_sql(qtbot, demo_db, make_ctx):
    tab = _tab(qtbot, make_ctx(demo_db, "kasi"))
    header = tab.view.horizontalHeader()
    col = sort_column_of("title")
    x = header.sectionViewportPosition(col) + header.sectionSize(col) // 2
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton,
                     pos=QPoint(x, header.height() // 2))
    _wait(qtbot, tab)
    q = tab.model.query
    assert q.sort == "title"
    expected = cases.list_cases(demo_db, q, 0, 1)[0]
    assert tab.model.index(0, 2).data() == expected.title
    titles = [t.lower() for t in _column(tab, 2)]
    assert titles == sorted(titles, reverse=q.descending)
    # A second click reverses the order.
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton,
                     pos=QPoint(x, header.height() // 2))
    _wait(qtbot, tab)
    assert tab.model.query.descending != q.descending
    titles2 = [t.lower() for t in _column(tab, 2)]
    assert titles2 == sorted(titles2, reverse=tab.model.query.descending)
    assert titles2[0] == cases.list_cases(demo_db, tab.model.query, 0, 1)[0].title.lower()


def test_query_change_shows_loading_and_ignores_stale_answers(qtbot, demo_db, make_ctx):
    ctx = make_ctx(demo_db, "kasi")
    model = CaseTableModel(ctx, cases.CaseQuery(sop_code="ak1"))
    states = []
    model.loadingChanged.connect(states.append)
    model.reload()
    assert model.is_loading and model.rowCount() == 0
    # A second query before the first answers: only the second one's ids are shown.
    model.set_query(replace(model.query, statuses=(workflow.COMPLETED,)))
    qtbot.waitUntil(lambda: not model.is_loading, timeout=15000)
    from desktop_app.gui.workers import QThreadPool

    QThreadPool.globalInstance().waitForDone(5000)
    qtbot.wait(50)
    expected = cases.list_case_ids(demo_db, model.query)
    assert [model.case_id(r) for r in range(model.rowCount())] == expected
    assert states[0] is True and states[-1] is False


def test_scrolling_to_the_bottom_of_5000_cases(qtbot, demo_db, make_ctx, monkeypatch):
    seed_scale(demo_db, 5000)
    monkeypatch.setattr(case_table, "MAX_BLOCKS", 3)  # force evictions as we scroll
    tab = _tab(qtbot, make_ctx(demo_db, "kabid"), "jht")  # a reader of JHT
    q = tab.model.query
    total = cases.count_cases(demo_db, q)
    assert tab.model.rowCount() == total > 600
    fetched_at_start = tab.model.block_fetches
    assert fetched_at_start <= 2  # only what the screen shows
    tab.view.scrollToBottom()
    qtbot.wait(50)
    last = cases.list_cases(demo_db, q, total - 1, 1)[0]
    assert tab.model.index(total - 1, 0).data() == last.register_number
    # Rows in the middle and back at the top are still right after evictions.
    for row in (total // 2, 0, total - 201):
        expected = cases.list_cases(demo_db, q, row, 1)[0]
        assert tab.model.index(row, 0).data() == expected.register_number
        assert tab.model.index(row, 2).data() == expected.title
    assert len(tab.model._blocks) <= 3


def test_open_and_sop_sheet_buttons(qtbot, demo_db, make_ctx, monkeypatch):
    from desktop_app.gui import case_actions

    tab = _tab(qtbot, make_ctx(demo_db, "kasi"))
    opened, sheets = [], []
    monkeypatch.setattr(case_actions, "open_case",
                        lambda ctx, case_id, parent, done: opened.append(case_id))
    monkeypatch.setattr(case_actions, "show_sop_sheet",
                        lambda ctx, sop, parent, version="": sheets.append((sop.code, version)))
    tab.view.selectRow(2)
    qtbot.mouseClick(tab.open_button, Qt.MouseButton.LeftButton)
    assert opened == [tab.model.case_id(2)]
    tab.view.setFocus()
    qtbot.keyClick(tab.view, Qt.Key.Key_Return)
    assert opened[-1] == tab.model.case_id(2)
    qtbot.mouseClick(tab.sheet_button, Qt.MouseButton.LeftButton)
    assert [code for code, _ in sheets] == ["ak1"]
    assert sheets[0][1].startswith("v1 · tanpa revisi · #")  # the version new cases start on


def test_clock_refresh_reformats_time_left(qtbot, demo_db, make_ctx, clock):
    tab = _tab(qtbot, make_ctx(demo_db, "kasi"))
    assert not any(t.startswith("terlambat") for t in _column(tab, 6))
    clock.advance(hours=2)
    tab.model.refresh_times()  # what the one-minute timer does
    assert "terlambat 1 jam 55 menit" in _column(tab, 6)
