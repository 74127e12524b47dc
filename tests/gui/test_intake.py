"""The intake dialog: fields from the SOP, NIK read as typed, errors at the fields, and the
AK/I pas foto cropped to 3:4."""

from __future__ import annotations

import random

import pytest
from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QColor, QImage, QPainter
from PySide6.QtWidgets import QDialog, QFileDialog, QLineEdit

from desktop_app.core import cases
from desktop_app.core.demo.people import demo_intake
from desktop_app.core.sop import load_sops
from desktop_app.gui import photo
from desktop_app.gui.intake import DateField, IntakeDialog, IntakeForm, ListField, MoneyEdit

SOPS = {s.code: s for s in load_sops()}

# Delete each test's windows for real (see the fixture in conftest.py).
pytestmark = pytest.mark.usefixtures("free_widgets")
NIK_WOMAN = "1672014503900012"  # Pagar Alam Utara, born 5 March 1990, female


def _count(db) -> int:
    return cases.count_cases(db, cases.CaseQuery())


def _fill(dialog: IntakeDialog, data: dict) -> None:
    dialog.form.set_values(data)


def _noisy_image(w: int, h: int) -> QImage:
    """An image with detail, so its JPEG is not trivially small. (Drawn with QPainter:
    calling QImage.setPixelColor many thousand times crashes PySide6 6.12.)"""
    img = QImage(w, h, QImage.Format.Format_RGB32)
    img.fill(QColor("#8fbcd4"))
    p = QPainter(img)
    for x in range(0, w, 6):
        for y in range(0, h, 6):
            p.fillRect(x, y, 6, 6, QColor((x * 7 + y) % 255, (y * 3 + x) % 255,
                                          (x * y) % 255))
    p.end()
    return img


def _photo_file(tmp_path, w=800, h=600):
    img = _noisy_image(w, h)
    path = tmp_path / "foto.png"
    assert img.save(str(path))
    return path


def test_15_digit_nik_is_refused_at_the_field_and_nothing_is_written(qtbot, sqlite_db, clock,
                                                                        make_ctx):
    ctx = make_ctx(sqlite_db, "petugas")
    before = _count(sqlite_db)
    dlg = IntakeDialog(ctx, SOPS["ak1"])
    qtbot.addWidget(dlg)
    data = demo_intake("ak1", random.Random(3), clock.now.date())
    data["nik"] = data["nik"][:15]
    _fill(dlg, data)
    assert dlg.save() is False
    assert "16 digit" in dlg.form.error_text("nik")
    assert dlg.form.editor("nik").property("invalid") is True
    assert dlg.banner.isVisibleTo(dlg)
    assert dlg.created_case_id is None
    assert _count(sqlite_db) == before
    # everything typed is still there
    assert dlg.form.value("nama") == data["nama"]
    assert dlg.form.value("tanggal_lahir") == data["tanggal_lahir"]


def test_several_errors_each_at_its_field(qtbot, sqlite_db, make_ctx):
    dlg = IntakeDialog(make_ctx(sqlite_db, "petugas"), SOPS["ak1"])
    qtbot.addWidget(dlg)
    dlg.form.set_value("email", "bukan-email")
    assert dlg.save() is False
    assert "wajib" in dlg.form.error_text("nama")
    assert "e-mail" in dlg.form.error_text("email").lower()
    assert dlg.form.error_text("rt") == ""
    assert dlg.isVisible() is False or dlg.result() == 0


def test_nik_is_read_as_typed_and_fills_birth_date_and_sex(qtbot, sqlite_db, make_ctx):
    dlg = IntakeDialog(make_ctx(sqlite_db, "petugas"), SOPS["ak1"])
    qtbot.addWidget(dlg)
    dlg.show()
    nik = dlg.form.holder("nik")
    edit: QLineEdit = nik.edit
    qtbot.keyClicks(edit, NIK_WOMAN[:10])
    assert "10/16" in nik.info_label.text()
    assert not nik.fill_button.isVisible()
    qtbot.keyClicks(edit, NIK_WOMAN[10:])
    assert nik.info is not None
    assert "Perempuan" in nik.info_label.text()
    assert "5 Maret 1990" in nik.info_label.text()
    assert "Pagar Alam Utara" in nik.info_label.text()
    assert nik.fill_button.isVisible()
    qtbot.mouseClick(nik.fill_button, Qt.MouseButton.LeftButton)
    assert dlg.form.value("tanggal_lahir") == "1990-03-05"
    assert dlg.form.value("jenis_kelamin") == "P"
    # an impossible date inside the NIK is reported under the field while typing
    edit.setText("1672019913900012")
    assert nik.problem_label.text() and nik.info is None
    assert edit.property("invalid") is True


def test_registers_ak1_case_with_photo_cropped_to_3x4(qtbot, sqlite_db, clock, make_ctx,
                                                      monkeypatch, tmp_path):
    ctx = make_ctx(sqlite_db, "petugas")
    dlg = IntakeDialog(ctx, SOPS["ak1"])
    qtbot.addWidget(dlg)
    data = demo_intake("ak1", random.Random(4), clock.now.date())
    _fill(dlg, data)
    for code, cb in dlg.requirement_boxes.items():
        cb.setChecked(code != "pas_foto_3x4")  # ticked by importing the photo (issue 8)
    path = _photo_file(tmp_path)
    scan = tmp_path / "ktp.pdf"
    scan.write_bytes(b"%PDF-1.4\n% scan of the KTP\n")
    files = iter([str(path), str(scan)])
    monkeypatch.setattr(QFileDialog, "getOpenFileName",
                        staticmethod(lambda *a, **k: (next(files), "")))
    crop_seen = {}

    def fake_exec(self):
        crop_seen["rect"] = self.crop_rect()
        self.set_crop_rect(QRect(100, 0, 300, 400))  # the clerk moves the frame
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(photo.PhotoCropDialog, "exec", fake_exec)
    assert dlg.import_photo()
    assert crop_seen["rect"] == QRect(175, 0, 450, 600)  # centred 3:4 to start with
    assert dlg.requirement_boxes["pas_foto_3x4"].isChecked()
    assert dlg.attach_scan("fc_ktp")
    with qtbot.waitSignal(dlg.accepted, timeout=2000):
        assert dlg.save()
    case = cases.get_case(sqlite_db, dlg.created_case_id)
    assert case.title == data["nama"]
    assert case.requirements == {r.code: True for r in SOPS["ak1"].requirements}
    kinds = sorted((a.kind, a.requirement_code) for a in case.attachments)
    assert kinds == [("pas_foto", None), ("scan", "fc_ktp")]
    att_id, jpeg = cases.latest_attachment(sqlite_db, case.id, "pas_foto")
    assert len(jpeg) <= 300 * 1024 and jpeg[:2] == b"\xff\xd8"
    img = QImage.fromData(jpeg)
    assert img.width() * 4 == img.height() * 3
    assert (img.width(), img.height()) == (354, 472)


def test_crop_helpers():
    wide = QImage(1000, 500, QImage.Format.Format_RGB32)
    wide.fill(QColor("white"))
    r = photo.center_crop_rect(wide.size())
    assert r.height() == 500 and r.width() == 375 and r.left() == 312
    tall = QImage(300, 1000, QImage.Format.Format_RGB32)
    tall.fill(QColor("white"))
    r2 = photo.center_crop_rect(tall.size())
    assert (r2.width(), r2.height()) == (300, 400)
    out = photo.crop_to_3x4(wide, QRect(0, 0, 999, 999))  # too big: made 3:4 inside
    assert (out.width(), out.height()) == (354, 472)
    noisy = _noisy_image(1200, 1600)
    data = photo.encode_jpeg(noisy, 40 * 1024)
    assert len(data) <= 40 * 1024


def test_form_field_types(qtbot):
    jakon = IntakeForm(SOPS["jakon"])
    qtbot.addWidget(jakon)
    money = jakon.holder("nilai_kontrak")
    assert isinstance(money, MoneyEdit)
    qtbot.keyClicks(money, "350000000")
    assert money.text() == "350.000.000"
    assert jakon.value("nilai_kontrak") == 350_000_000
    date_field = jakon.holder("tanggal_kontrak")
    assert isinstance(date_field, DateField)
    assert jakon.value("tanggal_kontrak") is None  # a date may stay empty
    jakon.set_value("tanggal_kontrak", "2026-11-28")
    assert jakon.value("tanggal_kontrak") == "2026-11-28"
    assert date_field.edit.text() == "28/11/2026"  # typed as digits: dd/mm/yyyy
    date_field.clear()
    assert jakon.value("tanggal_kontrak") is None

    training = IntakeForm(SOPS["pelatihan"])
    qtbot.addWidget(training)
    peserta = training.holder("peserta")
    assert isinstance(peserta, ListField)
    peserta.add_row({"nama": "Budi", "nik": "123"})
    peserta.add_row({"nama": "Sari"})
    rows = training.value("peserta")
    assert [r["nama"] for r in rows] == ["Budi", "Sari"]
    rest = training.set_errors({"peserta[0].nik": "NIK harus 16 digit angka",
                                "tidak_ada": "x"})
    assert rest == {"tidak_ada": "x"}
    assert "Baris 1" in training.error_text("peserta")
    peserta.table.selectRow(1)
    peserta.remove_selected()
    assert len(training.value("peserta")) == 1
    training.set_read_only(True)
    assert not peserta.add_button.isVisibleTo(training)


def test_default_values_and_choices(qtbot):
    form = IntakeForm(SOPS["phi"])
    qtbot.addWidget(form)
    assert form.value("dinas_tujuan_mediator").startswith("Dinas Tenaga Kerja")
    assert form.value("jenis_kelamin") is None
    form.set_value("jenis_kelamin", "L")
    assert form.value("jenis_kelamin") == "L"


def test_red_message_goes_when_the_field_is_filled(qtbot, sqlite_db, make_ctx):
    """Issue 8, item 10: "... wajib diisi" stayed under a field already filled until the next
    save."""
    dlg = IntakeDialog(make_ctx(sqlite_db, "petugas"), SOPS["ak1"])
    qtbot.addWidget(dlg)
    assert not dlg.save()
    assert "wajib" in dlg.form.error_text("nama")
    edit = dlg.form._rows["nama"].holder
    qtbot.keyClicks(edit, "Budi")
    assert dlg.form.error_text("nama") == ""
