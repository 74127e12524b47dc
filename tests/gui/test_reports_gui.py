"""The report windows end to end on the demo data: register, agenda, recaps, dashboard,
person search, counter lookup, survey entry, the passport's AK/I check, the Laporan menu."""

from __future__ import annotations

import csv
from pathlib import Path

import openpyxl
import pytest
from PySide6.QtCore import QDate, Qt
from sqlalchemy import select

from desktop_app.core import workflow
from desktop_app.core.models import Case, SurveyResponse
from desktop_app.core.reports import person, register

pytestmark = pytest.mark.gui
WAIT = 20_000


def _first_case(db, sop_code: str, status: str | None = None) -> Case:
    with db.read() as s:
        stmt = select(Case).where(Case.sop_code == sop_code)
        if status:
            stmt = stmt.where(Case.status == status)
        return s.scalars(stmt.order_by(Case.id)).first()


def test_register_window_lists_filters_and_exports(qtbot, demo_db, make_ctx, tmp_path,
                                                   free_widgets):
    from desktop_app.gui.reports.books import RegisterWindow

    ctx = make_ctx(demo_db, "kabid")
    window = RegisterWindow(ctx, "ak1")
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: not window.model.loading, timeout=WAIT)
    q = window.query()
    expected = register.count(demo_db, ctx.user, q)
    assert expected > 0 and window.model.rowCount() == expected
    assert window.title.text() == ctx.sop("ak1").register_name
    first = register.first_page(demo_db, ctx.user, q, 1)[0]
    assert window.model.index(0, 0).data() == first.values[0]
    assert window.model.index(0, 0).data(Qt.ItemDataRole.UserRole) == first.case_id
    # status filter
    window.status_combo.setCurrentIndex(window.status_combo.findData(workflow.COMPLETED))
    qtbot.waitUntil(lambda: not window.model.loading and window.model.rowCount() ==
                    register.count(demo_db, ctx.user, window.query()), timeout=WAIT)
    # exports read back
    xlsx = tmp_path / "reg.xlsx"
    with qtbot.waitSignal(window.buttons.exported, timeout=WAIT):
        window.buttons.export("xlsx", xlsx)
    sheet = openpyxl.load_workbook(xlsx).active
    assert sheet.max_row - 4 == window.model.rowCount()
    path = tmp_path / "reg.csv"
    with qtbot.waitSignal(window.buttons.exported, timeout=WAIT):
        window.buttons.export("csv", path)
    rows = list(csv.reader(path.read_text(encoding="utf-8-sig").splitlines(), delimiter=";"))
    assert len(rows) - 1 == window.model.rowCount()
    window.grab().save(str(tmp_path / "register.png"))


def test_register_window_says_a_bad_period_at_the_field(qtbot, demo_db, make_ctx, tmp_path,
                                                        free_widgets,
                                                        no_blocking_message_boxes):
    from desktop_app.gui.reports.books import RegisterWindow

    window = RegisterWindow(make_ctx(demo_db, "kabid"), "ak1")
    qtbot.addWidget(window)
    window.period.set_period(QDate(2016, 1, 1).toPython(), QDate(2026, 1, 1).toPython())
    window.reload()
    assert "paling lama satu tahun" in window.errors.message("periode")
    assert window.model.rowCount() == 0
    window.buttons.export("xlsx", tmp_path / "x.xlsx")  # refused before anything is written
    assert "paling lama" in window.errors.message("periode")
    assert not (tmp_path / "x.xlsx").exists()
    window.period.set_period(QDate(2026, 11, 30).toPython(), QDate(2026, 11, 1).toPython())
    window.reload()
    assert "sebelum" in window.errors.message("periode")


def test_register_offers_only_the_sops_of_the_role(qtbot, demo_db, make_ctx, free_widgets):
    from desktop_app.gui.reports.books import RegisterWindow

    window = RegisterWindow(make_ctx(demo_db, "staf"))
    qtbot.addWidget(window)
    codes = [window.sop_combo.itemData(i) for i in range(window.sop_combo.count())]
    assert codes == ["pelatihan"]


def test_agenda_window_lists_the_demo_letters(qtbot, demo_db, make_ctx, free_widgets,
                                              tmp_path):
    from desktop_app.core.reports import agenda
    from desktop_app.gui.reports.books import AgendaWindow

    ctx = make_ctx(demo_db, "kadis")
    window = AgendaWindow(ctx)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: not window.model.loading, timeout=WAIT)
    count = agenda.count(demo_db, ctx.user, window.query())
    assert count > 0 and window.model.rowCount() == count
    numbers = {window.model.index(r, 1).data() for r in range(count)}
    assert all(n and "/" in n for n in numbers)
    pdf = tmp_path / "agenda.pdf"
    with qtbot.waitSignal(window.buttons.exported, timeout=60_000):
        window.buttons.export("pdf", pdf)
    assert pdf.read_bytes().startswith(b"%PDF")


@pytest.mark.parametrize("kind", ["layanan", "ak1", "pelatihan", "phi", "ikm"])
def test_recap_window_shows_each_recap(qtbot, demo_db, make_ctx, kind, free_widgets):
    from desktop_app.gui.reports.recaps import RecapWindow

    window = RecapWindow(make_ctx(demo_db, "kabid"), kind)
    qtbot.addWidget(window)
    window.period.quick.setCurrentIndex(window.period.quick.findData("bulan_ini"))
    qtbot.waitUntil(lambda: window.recap is not None and window.status.text() == "",
                    timeout=WAIT)
    text = window.view.toPlainText()
    assert window.recap.title.upper() in text.upper()
    if kind == "layanan":
        assert "Kartu AK/I" in text and "Jumlah" in text
    if kind == "ak1":
        assert "IPK III/1" in text and "IPK III/2" in text


def test_recap_kinds_follow_the_role(qtbot, demo_db, make_ctx, free_widgets):
    from desktop_app.gui.reports.recaps import RecapWindow

    window = RecapWindow(make_ctx(demo_db, "staf"))
    qtbot.addWidget(window)
    kinds = [window.kind_combo.itemData(i) for i in range(window.kind_combo.count())]
    assert "ak1" not in kinds and "pelatihan" in kinds


def test_dashboard_window_draws_and_a_bar_opens_its_cases(qtbot, demo_db, make_ctx,
                                                         free_widgets, tmp_path):
    from desktop_app.gui.reports.dashboard import CASE_COLOR, DashboardWindow

    window = DashboardWindow(make_ctx(demo_db, "kabid"))
    qtbot.addWidget(window)
    with qtbot.waitSignal(window.loaded, timeout=WAIT):
        window.show()
    d = window.data
    assert d is not None and d.steps_by_month[11].done > 0
    chart = window.months_chart.chart()
    bars = chart.series()[0].barSets()
    assert bars[0].at(10) == pytest.approx(100 * d.steps_by_month[11].ratio, abs=0.1)
    assert window.late_table.rowCount() == len(d.late)
    window._month_clicked(10, bars[1])  # "Berkas selesai" in November
    dialog = window.last_cases
    assert dialog.table.rowCount() == d.cases_by_month[11].done > 0
    window.sop_combo.setCurrentIndex(window.sop_combo.findData("ak1"))
    qtbot.waitUntil(lambda: window.data.query.sop_code == "ak1", timeout=WAIT)
    assert window.steps_table.rowCount() == 5  # steps 2-6 of the AK/I SOP
    window.grab().save(str(tmp_path / "dasbor.png"))
    assert CASE_COLOR.isValid()


def test_person_search_and_card_records(qtbot, demo_db, make_ctx, free_widgets):
    from desktop_app.gui.reports.people import PersonSearchWindow

    ctx = make_ctx(demo_db, "petugas")
    card = _first_case(demo_db, "ak1", workflow.COMPLETED)
    window = PersonSearchWindow(ctx, card.nik)
    qtbot.addWidget(window)
    qtbot.waitUntil(lambda: window.tree.topLevelItemCount() == 1, timeout=WAIT)
    assert card.title in window.tree.topLevelItem(0).text(0)
    assert "berlaku s.d." in window.card_label.text()
    assert window.card_buttons["lapor"].isVisibleTo(window)
    window.search.setText("zz")
    window.run_search()
    qtbot.waitUntil(lambda: bool(window.errors.message("cari")), timeout=WAIT)


def test_counter_lookup_tells_where_the_case_stands(qtbot, demo_db, make_ctx, free_widgets):
    from desktop_app.gui.reports.people import CounterLookupDialog

    case = _first_case(demo_db, "jht", workflow.IN_PROGRESS)
    dialog = CounterLookupDialog(make_ctx(demo_db, "petugas"), case.register_number)
    qtbot.addWidget(dialog)
    standing = person.case_standing(demo_db, make_ctx(demo_db, "petugas").user,
                                    case.register_number)
    assert standing.message in dialog.result.text()
    dialog.number.setText("JHT/2026/99999")
    dialog.check()
    assert "tidak ditemukan" in dialog.errors.message("nomor")


def test_survey_entry_saves_once(qtbot, demo_db, make_ctx, free_widgets):
    from desktop_app.gui.reports.survey_entry import SurveyEntryDialog

    case = _first_case(demo_db, "ak1", workflow.COMPLETED)
    dialog = SurveyEntryDialog(make_ctx(demo_db, "petugas"), case.register_number)
    qtbot.addWidget(dialog)
    assert dialog.case is not None and dialog.case.case_id == case.id
    assert not dialog.save()  # nothing ticked
    assert dialog.errors.message("u1")
    dialog.set_scores([4, 3, 3, 4, 3, 4, 4, 3, 3])
    dialog.sex.setCurrentIndex(dialog.sex.findData("P"))
    assert dialog.save()
    with demo_db.read() as s:
        row = s.scalars(select(SurveyResponse).where(SurveyResponse.case_id == case.id)).one()
    assert [row.u1, row.u9, row.jenis_kelamin] == [4, 3, "P"]
    again = SurveyEntryDialog(make_ctx(demo_db, "petugas"), case.register_number)
    qtbot.addWidget(again)
    again.set_scores([4] * 9)
    assert not again.save() and "sudah diisi" in again.errors.message("nomor")


def test_passport_intake_checks_the_ak1_card(qtbot, demo_db, make_ctx, free_widgets):
    from desktop_app.gui.intake import IntakeDialog

    ctx = make_ctx(demo_db, "petugas")
    card = _first_case(demo_db, "ak1", workflow.COMPLETED)
    dialog = IntakeDialog(ctx, ctx.sop("paspor"))
    qtbot.addWidget(dialog)
    check = dialog.lookups[0]
    dialog.form.holder("nik").edit.setText(card.nik)
    qtbot.waitUntil(lambda: check.label.isVisibleTo(dialog), timeout=WAIT)
    assert "berlaku s.d." in check.label.text()
    assert dialog.form.holder("nomor_ak1").text()  # filled from the card
    dialog.form.holder("nik").edit.setText("1672010101900001")
    qtbot.waitUntil(lambda: "Tidak ada kartu AK/I" in check.label.text(), timeout=WAIT)


def test_main_window_menu_and_search_box(qtbot, demo_db, make_ctx, free_widgets):
    from desktop_app.gui.main_window import MainWindow
    from desktop_app.gui.reports.menu import looks_like_receipt

    ctx = make_ctx(demo_db, "petugas")
    window = MainWindow(ctx, idle_timeout_ms=0)
    qtbot.addWidget(window)
    titles = [a.text().replace("&", "") for a in window.menuBar().actions()]
    assert "Laporan" in titles
    case = _first_case(demo_db, "ak1")
    assert looks_like_receipt(case.register_number) and not looks_like_receipt(case.nik)
    counter = window.reports.route(case.register_number)
    assert counter.standing is not None and counter.standing.case_id == case.id
    people = window.reports.route(case.nik)
    qtbot.waitUntil(lambda: people.tree.topLevelItemCount() >= 1, timeout=WAIT)
    register_window = window.reports.open_register("ak1")
    assert register_window.sop_combo.currentData() == "ak1"
    assert window.reports.open_register("ak1") is register_window  # raised, not doubled


def test_exported_file_name_suggestion(qtbot, demo_db, make_ctx, free_widgets):
    from desktop_app.gui.reports.books import RegisterWindow

    window = RegisterWindow(make_ctx(demo_db, "kabid"), "ak1")
    qtbot.addWidget(window)
    assert window.file_stem().startswith("Buku_Register_AK1_2026-11-01")
    assert Path(window.file_stem()).name == window.file_stem()
