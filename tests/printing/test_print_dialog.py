"""The print dialog as a clerk uses it: open the document, press Cetak without changing
anything, and the printer's output is the document at 100 %; warnings, page ranges, the
card settings per printer, calibration, and a queue that refuses the job."""

from __future__ import annotations

import json
import re
import subprocess

import print_rig as rig
import pytest
from printed import check_page, render
from PySide6.QtCore import QTimer
from sqlalchemy import select

from desktop_app.core.models import AuditEvent
from desktop_app.core.printing import profiles
from desktop_app.core.printing.layout import CardOptions
from desktop_app.gui.calibration_dialog import CalibrationDialog
from desktop_app.gui.pdf_preview import PdfPreviewDialog
from desktop_app.gui.print_dialog import PrintDialog

pytestmark = pytest.mark.gui


@pytest.fixture
def press_cetak(monkeypatch: pytest.MonkeyPatch) -> dict:
    """Make the print dialog, once shown, pick ``state["printer"]`` and press Cetak, as a
    clerk who changes nothing else; the dialog is kept in ``state["dialog"]``."""
    state: dict = {}
    shown = PrintDialog.exec

    def exec_(dialog: PrintDialog) -> int:
        state["dialog"] = dialog
        dialog.printer_box.setCurrentText(state["printer"])
        state["warnings"] = dialog.warnings()
        QTimer.singleShot(0, dialog.print_button.click)
        return shown(dialog)

    monkeypatch.setattr(PrintDialog, "exec", exec_)
    return state


@pytest.mark.parametrize(("name", "queue"), [("surat_f4", rig.QUEUE_LASER_F4),
                                             ("tanda_terima_a5", rig.QUEUE_EDGE),
                                             ("kartu_ak1", rig.QUEUE_LASER)])
def test_cetak_unchanged_prints_true_to_size(cups_rig, qtbot, sqlite_db, make_ctx, quiet_pool,
                                             press_cetak, tmp_path, name, queue) -> None:
    source = tmp_path / f"{name}.pdf"
    source.write_bytes(render(name))
    title = rig.unique_title(name.replace("_", "-"))
    preview = PdfPreviewDialog(source.read_bytes(), title, ctx=make_ctx(sqlite_db, "admintu"),
                               card=name == "kartu_ak1")
    qtbot.addWidget(preview)
    press_cetak["printer"] = queue
    with qtbot.waitSignal(preview.printed, timeout=60000) as sent:
        assert preview.print_dialog()
    result = sent.args[0]
    dialog = press_cetak["dialog"]
    if name == "kartu_ak1":  # the card's frame is 4 mm from its bottom edge
        [warning] = press_cetak["warnings"]
        found = re.fullmatch(
            r"Pencetak laser_42 tidak dapat mencetak sampai tepi kertas \(paling dekat 4,2 mm "
            r"dari tepi\)\. Isi halaman 1, 2, 3 sampai (\d,\d) mm dari tepi bawah; bagian itu "
            r"tidak tercetak\. Dokumen tidak diperkecil\.", warning)
        assert found and 3.7 <= float(found.group(1).replace(",", ".")) <= 4.1, warning
    else:
        assert press_cetak["warnings"] == []
    assert dialog.paper_box.currentData() is None  # the document's paper, untouched
    out = cups_rig.output(result.job_ids[0], title)
    for number in range(1, len(dialog.pages) + 1):
        check = check_page(source, out, number, number)
        assert check.ok, f"{name} page {number}: {check.measured}, text {check.text}"
    assert "dikirim ke pencetak" in preview.status.text()


def test_another_paper_is_said_and_shrinks_only_when_asked(cups_rig, qtbot, qapp) -> None:
    dialog = PrintDialog(render("surat_f4"), "Surat F4")
    qtbot.addWidget(dialog)
    dialog.printer_box.setCurrentText(rig.QUEUE_LASER_F4)
    assert dialog.document_paper.text() == "F4 (215 × 330 mm), tegak, 1 halaman"
    assert dialog.plan.sheets[0].media.key == "F4" and not dialog.warnings()
    assert not dialog.fit_check.isEnabled()
    dialog.paper_box.setCurrentIndex(dialog.paper_box.findData("A4"))
    assert dialog.warnings()[0] == (
        "Kertas yang dipilih, A4 (210 × 297 mm), berbeda dari kertas dokumen, F4 (215 × 330 mm). "
        "Dokumen tetap dicetak 100 % dari pojok kiri atas; bagian yang melewati kertas tidak "
        "tercetak.")
    assert "Isi halaman 1 melewati tepi kertas" in dialog.warnings()[1]
    assert dialog.plan.sheets[0].placements[0].scale == 1.0
    dialog.fit_check.setChecked(True)
    assert "diperkecil menjadi 90 %" in dialog.warnings()[0]
    assert dialog.plan.sheets[0].placements[0].scale == pytest.approx(297 / 330)


def test_page_range_error_is_shown_at_the_field(cups_rig, qtbot, qapp) -> None:
    dialog = PrintDialog(render("lembar_sop"), "Lembar SOP")
    qtbot.addWidget(dialog)
    dialog.printer_box.setCurrentText(rig.QUEUE_EDGE)
    dialog.some_pages.setChecked(True)
    dialog.page_text.setText("2-5")
    assert dialog.errors.message("halaman") == "Halaman 2-5 tidak ada: dokumen ini 2 halaman."
    assert not dialog.print_button.isEnabled()
    dialog.page_text.setText("2")
    assert dialog.errors.message("halaman") == ""
    assert [s.placements[0].page for s in dialog.plan.sheets] == [1]
    assert dialog.print_button.isEnabled()


def test_card_settings_are_kept_per_printer_and_audited(cups_rig, qtbot, sqlite_db,
                                                         make_ctx) -> None:
    ctx = make_ctx(sqlite_db, "admintu")
    card = render("kartu_ak1")
    dialog = PrintDialog(card, "Kartu", ctx=ctx, card=True)
    qtbot.addWidget(dialog)
    dialog.printer_box.setCurrentText(rig.QUEUE_EDGE)
    assert dialog.offset_x.value() == 0 and dialog.plan.sheets[0].media.key == "Custom.105x148mm"
    dialog.offset_x.setValue(1.5)
    dialog.offset_y.setValue(-0.8)
    assert dialog.plan.sheets[0].placements[0].x_mm == 1.5
    dialog.accept()
    assert dialog.result() == PrintDialog.DialogCode.Accepted
    saved = profiles.printer_profile(sqlite_db, rig.QUEUE_EDGE)
    assert (saved.offset_x_mm, saved.offset_y_mm) == (1.5, -0.8)
    assert profiles.printer_profile(sqlite_db, rig.QUEUE_LASER) == CardOptions()
    with sqlite_db.read() as s:
        event = s.scalars(select(AuditEvent).where(
            AuditEvent.action == "ubah_pengaturan_pencetak")).one()
    assert json.loads(event.detail)["baru"]["printer"] == rig.QUEUE_EDGE
    assert event.username == "admintu"
    again = PrintDialog(card, "Kartu", ctx=ctx, card=True)
    qtbot.addWidget(again)
    assert again.printer_box.currentText() == rig.QUEUE_EDGE  # the printer set up for cards
    assert (again.offset_x.value(), again.offset_y.value()) == (1.5, -0.8)
    again.layout_box.setCurrentIndex(again.layout_box.findData("a4"))
    assert not again.offset_x.isEnabled()
    assert len(again.plan.sheets) == 1 and again.plan.sheets[0].media.key == "A4"


def test_calibration_turns_two_readings_into_the_offset(cups_rig, qtbot, quiet_pool) -> None:
    dialog = CalibrationDialog(rig.QUEUE_LASER, 105, 148, "cups")
    qtbot.addWidget(dialog)
    assert dialog.offset == (0.0, 0.0) and dialog.result.text() == "0 mm, 0 mm"
    dialog.left.setValue(21.5)
    dialog.top.setValue(19.0)
    assert dialog.offset == (-1.5, 1.0)
    assert dialog.result.text() == "1,5 mm ke kiri, 1 mm ke bawah"
    dialog.print_button.click()
    qtbot.waitUntil(lambda: dialog.sent is not None, timeout=60000)
    assert dialog.sent.sheets == 1 and dialog.sent.job_ids
    title = dialog.job().title
    assert title == "Kalibrasi kartu"
    out = cups_rig.output(dialog.sent.job_ids[0], "Kalibrasi_kartu")
    assert rig.page_sizes_mm(out) == [pytest.approx((105, 148), abs=0.5)]


def test_a_queue_that_refuses_the_job_gets_an_indonesian_message(
        cups_rig, qtbot, quiet_pool, press_cetak, no_blocking_message_boxes) -> None:
    env = cups_rig.env()
    subprocess.run(["cupsreject", rig.QUEUE_LASER_F4], env=env, check=True)
    try:
        preview = PdfPreviewDialog(render("surat_a4"), "Surat")
        qtbot.addWidget(preview)
        press_cetak["printer"] = rig.QUEUE_LASER_F4
        assert preview.print_dialog()
        qtbot.waitUntil(lambda: bool(no_blocking_message_boxes), timeout=60000)
    finally:
        subprocess.run(["cupsaccept", rig.QUEUE_LASER_F4], env=env, check=True)
    assert no_blocking_message_boxes == [(
        "warning", "Pencetak laser_5 menolak pekerjaan cetak. Periksa apakah pencetak menyala "
        "dan antreannya aktif, lalu coba lagi.")]


def test_no_printer_no_print(qtbot, qapp, monkeypatch) -> None:
    from desktop_app.gui import printing

    monkeypatch.setattr(printing, "printer_names", lambda: [])
    monkeypatch.setattr(printing, "default_printer", lambda: "")
    dialog = PrintDialog(render("tanda_terima_a5"), "Tanda terima")
    qtbot.addWidget(dialog)
    assert dialog.warnings() == ["Belum ada pencetak terpasang di komputer ini."]
    assert not dialog.print_button.isEnabled()


def test_documents_tab_cetak_prints_the_stored_receipt(cups_rig, qtbot, sqlite_db, make_ctx,
                                                       quiet_pool, press_cetak, tmp_path,
                                                       monkeypatch) -> None:
    """The way a clerk prints: the documents tab's Cetak button, the dialog unchanged."""
    import random

    from desktop_app.core import auth, cases
    from desktop_app.core.demo.people import demo_intake
    from desktop_app.core.documents import context as dc
    from desktop_app.core.documents import service as ds
    from desktop_app.core.models import User
    from desktop_app.core.sop import get_sop
    from desktop_app.gui.documents_panel import DocumentsPanel

    dc.install_placeholder_emblem(sqlite_db)
    with sqlite_db.read() as s:
        petugas = s.scalars(select(User.id).where(User.username == "petugas")).one()
    actor = auth.actor_for(sqlite_db, petugas)
    sop = get_sop("jht")
    case = cases.register_case(sqlite_db, actor, "jht",
                                  demo_intake("jht", random.Random(9), sqlite_db.now().date()),
                                  {r.code: True for r in sop.requirements})
    view = ds.draft_document(sqlite_db, actor, case.id, "tanda_terima")
    source = tmp_path / "tanda_terima.pdf"
    source.write_bytes(ds.document_pdf(sqlite_db, view.id))
    panel = DocumentsPanel(make_ctx(sqlite_db, "petugas"), case.id)
    qtbot.addWidget(panel)
    panel.table.selectRow(0)
    press_cetak["printer"] = rig.QUEUE_EDGE
    title = rig.unique_title("tanda-terima")
    shown = PrintDialog.exec

    def named(dialog: PrintDialog) -> int:  # a job name of its own, to find its output
        dialog.title = title
        return shown(dialog)

    monkeypatch.setattr(PrintDialog, "exec", named)
    panel.print_button.click()
    qtbot.waitUntil(lambda: "dikirim ke pencetak" in panel.status.text(), timeout=60000)
    job = panel.status.text().rsplit("pekerjaan ", 1)[1].rstrip(").")
    out = cups_rig.output(job, title)
    check = check_page(source, out, 1, 1)
    assert check.ok, f"{check.measured}, text {check.text}"
    assert check.size_mm == pytest.approx((148, 210), abs=1.0)
