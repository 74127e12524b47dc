"""Issue 12 item 3: the AK/I intake shows the education history as a small table (the SOP
file's list field); its rows are saved with the case and a wrong cell is named by row."""

from __future__ import annotations

import random

import pytest
from PySide6.QtWidgets import QComboBox

from desktop_app.core import cases
from desktop_app.core.demo.people import demo_intake
from desktop_app.core.sop import load_sops
from desktop_app.gui.intake import IntakeDialog, ListField

pytestmark = [pytest.mark.gui, pytest.mark.usefixtures("free_widgets")]
AK1 = next(s for s in load_sops() if s.code == "ak1")


def test_education_rows_typed_in_the_table_are_saved(qtbot, sqlite_db, clock, make_ctx):
    dlg = IntakeDialog(make_ctx(sqlite_db, "petugas"), AK1)
    qtbot.addWidget(dlg)
    dlg.form.set_values(demo_intake("ak1", random.Random(5), clock.now.date()))
    table = dlg.form.holder("riwayat_pendidikan")
    assert isinstance(table, ListField)
    assert [table.table.horizontalHeaderItem(c).text() for c in range(4)] == [
        "Jenjang *", "Sekolah/perguruan tinggi", "Jurusan", "Tahun lulus"]
    typed = [("SD", "SD Negeri 5 Pagar Alam", "", "2010"),
             ("SMP", "SMP Negeri 2 Pagar Alam", "", "2013"),
             ("SMA", "SMA Negeri 1 Pagar Alam", "IPA", "20l6")]  # a letter l for a one
    for values in typed:
        table.add_button.click()
        row = table.table.rowCount() - 1
        combo = table.table.cellWidget(row, 0)
        assert isinstance(combo, QComboBox)
        combo.setCurrentIndex(combo.findData(values[0]))
        for col, text in enumerate(values[1:], start=1):
            table.table.item(row, col).setText(text)
    for cb in dlg.requirement_boxes.values():
        cb.setChecked(True)
    assert dlg.save() is False
    assert "Baris 3" in dlg.form.error_text("riwayat_pendidikan")
    assert dlg.created_case_id is None
    table.table.item(2, 3).setText("2016")
    assert dlg.save()
    case = cases.get_case(sqlite_db, dlg.created_case_id)
    assert [(r["tingkat"], r["sekolah"], r["tahun_lulus"])
            for r in case.data["riwayat_pendidikan"]] == [
        ("SD", "SD Negeri 5 Pagar Alam", 2010), ("SMP", "SMP Negeri 2 Pagar Alam", 2013),
        ("SMA", "SMA Negeri 1 Pagar Alam", 2016)]
