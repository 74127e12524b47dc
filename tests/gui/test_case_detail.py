"""The case screen: header, tabs, only the allowed buttons per role, errors at the fields, data
edits with optimistic locking, checklist and attachments."""

from __future__ import annotations

import os
import random
from datetime import timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDialog, QFileDialog

from desktop_app.core import auth, cases, workflow
from desktop_app.core.cases.permissions import may_see_sop
from desktop_app.core.demo.cases import advance
from desktop_app.core.demo.people import demo_intake
from desktop_app.core.errors import PermissionDenied
from desktop_app.core.sop import get_sop, load_sops
from desktop_app.gui import case_detail
from desktop_app.gui.case_detail import CaseDetailDialog
from desktop_app.gui.dialogs import ActionDialog, ConfirmActionDialog, ReturnToStepDialog
from desktop_app.gui.sop_sheet_dialog import SopSheetDialog

SOPS = {s.code: s for s in load_sops()}

# Delete each test's windows for real (see the fixture in conftest.py).
pytestmark = pytest.mark.usefixtures("free_widgets")


@pytest.fixture
def messages(monkeypatch):
    shown: list[tuple[str, str]] = []
    monkeypatch.setattr(case_detail, "show_message",
                        lambda _p, _k, title, text: shown.append((title, text)))
    return shown


def _case(db, make_ctx, clock, code="ak1", steps=0, seed=1, **overrides):
    sop = SOPS[code]
    data = {**demo_intake(code, random.Random(seed), clock.now.date()), **overrides}
    actors = {n: make_ctx(db, n).actor for n in ("petugas", "admintu", "kasi", "kabid", "jfu",
                                                 "sekretaris", "kadis")}
    case = cases.register_case(db, actors["petugas"], code, data,
                               {r.code: True for r in sop.requirements})
    return advance(db, actors, case, steps, random.Random(seed))


def _open(qtbot, make_ctx, db, user, case_id) -> CaseDetailDialog:
    dlg = CaseDetailDialog(make_ctx(db, user), case_id)
    qtbot.addWidget(dlg)
    return dlg


def test_buttons_are_only_the_allowed_actions(qtbot, sqlite_db, clock, make_ctx, messages):
    case = _case(sqlite_db, make_ctx, clock)
    clerk = _open(qtbot, make_ctx, sqlite_db, "petugas", case.id)
    assert list(clerk.action_buttons) == [workflow.COMPLETE_OK, workflow.INCOMPLETE,
                                          workflow.WITHDRAW]
    assert clerk.action_buttons[workflow.COMPLETE_OK].text() == "&Lengkap"  # Alt+L
    assert clerk.action_buttons[workflow.INCOMPLETE].text().replace("&", "") == "Tidak Lengkap"
    kadis = _open(qtbot, make_ctx, sqlite_db, "kadis", case.id)
    assert workflow.COMPLETE_OK not in kadis.action_buttons
    assert workflow.INCOMPLETE not in kadis.action_buttons
    assert set(kadis.action_buttons) == {workflow.REJECT, workflow.WITHDRAW}
    staff = _open(qtbot, make_ctx, sqlite_db, "admintu", case.id)
    assert staff.action_buttons == {}
    assert "Petugas Penerima" in staff.no_action_label.text()
    # exactly what the services allow, for every demo user
    for user in ("admin", "petugas", "jfu", "kasi", "admintu", "kabid", "sekretaris", "kadis"):
        actor = make_ctx(sqlite_db, user).actor
        if not may_see_sop(actor, get_sop(case.sop_code)):  # docs/access.md: not a reader of this SOP
            with pytest.raises(PermissionDenied):
                _open(qtbot, make_ctx, sqlite_db, user, case.id)
            continue
        dlg = _open(qtbot, make_ctx, sqlite_db, user, case.id)
        allowed = cases.allowed_actions(sqlite_db, make_ctx(sqlite_db, user).actor, case.id)
        assert list(dlg.action_buttons) == [a.code for a in allowed]


def test_header_tabs_and_history(qtbot, sqlite_db, clock, make_ctx, messages):
    case = _case(sqlite_db, make_ctx, clock, steps=1)
    clock.advance(minutes=25)  # step 3 has 10 minutes
    dlg = _open(qtbot, make_ctx, sqlite_db, "admintu", case.id)
    assert [dlg.tabs.tabText(i).replace("&", "") for i in range(dlg.tabs.count())] == [
        "Data", "Persyaratan", "Lampiran", "Alur", "Riwayat", "Dokumen"]
    assert case.register_number in dlg.title_label.text()
    assert dlg.status_label.text() == "Sedang Diproses"
    assert "Langkah <b>3</b> dari 6" in dlg.step_label.text()
    assert "Pengadministrasi" in dlg.step_label.text()
    assert "Terlambat" in dlg.time_label.text() and "#c62828" in dlg.time_label.text()
    assert not dlg.attention_box.isVisibleTo(dlg)
    assert dlg.form.value("nama") == case.title
    assert dlg.form.read_only
    assert dlg.history_table.rowCount() == 2
    assert dlg.history_table.item(1, 1).text() == "Dinyatakan lengkap"
    assert dlg.history_table.item(1, 2).text() == "Rina Marlina"
    assert dlg.swimlane.step_marks()[3] == "current"
    assert dlg.swimlane.step_caption(3).startswith("Terlambat")  # issue 8, item 12
    assert all(cb.isChecked() for cb in dlg.requirement_boxes.values())


def test_return_to_step_with_reason(qtbot, sqlite_db, clock, make_ctx, messages, monkeypatch):
    case = _case(sqlite_db, make_ctx, clock, steps=2)  # at the Kasi's paraf
    dlg = _open(qtbot, make_ctx, sqlite_db, "kasi", case.id)
    form = dlg.dialog_for(dlg.spec(workflow.RETURN_TO_STEP))
    assert isinstance(form, ReturnToStepDialog)
    items = [form.step_combo.itemText(i) for i in range(form.step_combo.count())]
    assert items == ["Langkah 2 — Petugas Penerima: Menerima berkas dan meneliti kelengkapan "
                     "persyaratan administrasi",
                     "Langkah 3 — Pengadministrasi: Input data dan proses cetak AK/I"]
    assert form.check() == {"alasan": "Alasan wajib diisi."}

    def fill(d: ActionDialog) -> int:
        d.set_target(3)
        d.reason.setPlainText("Tahun lulus salah ketik.")
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(ReturnToStepDialog, "exec", fill)
    assert dlg.run_action(workflow.RETURN_TO_STEP)
    assert dlg.detail.current_step == 3
    assert dlg.attention_box.isVisibleTo(dlg)
    assert "Tahun lulus salah ketik." in dlg.attention_box.text()
    texts = [dlg.history_table.item(r, 1).text() for r in range(dlg.history_table.rowCount())]
    assert texts[-1] == "Dikembalikan ke langkah 3"


def test_step_fields_error_shown_at_the_field_then_fixed_with_ubah(qtbot, sqlite_db, clock,
                                                                     make_ctx, messages,
                                                                     monkeypatch):
    case = _case(sqlite_db, make_ctx, clock, pendidikan_sekolah=None,
                 pendidikan_tahun_lulus=None)
    petugas = make_ctx(sqlite_db, "petugas").actor
    case = cases.act(sqlite_db, petugas, case.id, workflow.COMPLETE_OK,
                     expected_version=case.version)
    monkeypatch.setattr(ConfirmActionDialog, "exec", lambda d: QDialog.DialogCode.Accepted)
    dlg = _open(qtbot, make_ctx, sqlite_db, "admintu", case.id)
    assert not dlg.run_action(workflow.FINISH)
    assert "wajib diisi" in dlg.form.error_text("pendidikan_sekolah")
    assert "wajib diisi" in dlg.form.error_text("pendidikan_tahun_lulus")
    assert dlg.tabs.currentIndex() == 0 and dlg.data_banner.isVisibleTo(dlg)
    assert dlg.edit_button.isVisibleTo(dlg)
    qtbot.mouseClick(dlg.edit_button, Qt.MouseButton.LeftButton)
    assert not dlg.form.read_only
    dlg.form.set_value("pendidikan_sekolah", "SMK Negeri 1 Pagar Alam")
    dlg.form.set_value("pendidikan_tahun_lulus", "20x9")
    assert not dlg.save_edit()
    assert dlg.form.error_text("pendidikan_tahun_lulus")  # "Harus berupa angka."
    dlg.form.set_value("pendidikan_tahun_lulus", "2019")
    with qtbot.waitSignal(dlg.caseChanged, timeout=2000):
        assert dlg.save_edit()
    assert dlg.form.read_only
    assert cases.get_case(sqlite_db, case.id).data["pendidikan_tahun_lulus"] == 2019
    # The step names the card: it cannot finish without it (issue 8, item 4) ...
    assert not dlg.run_action(workflow.FINISH)
    assert messages[-1][0] == "Dokumen belum siap" and "dokumen:" not in messages[-1][1]
    assert "Kartu Tanda Bukti Pendaftaran Pencari Kerja" in messages[-1][1]
    # ... drafted in the Dokumen tab (with the photo), then the step finishes.
    from desktop_app.core.demo.cases import _add_demo_photo
    from desktop_app.core.documents.context import install_placeholder_emblem

    install_placeholder_emblem(sqlite_db)
    _add_demo_photo(sqlite_db, petugas, case.id)
    dlg.documents.draft("kartu_ak1")
    qtbot.waitUntil(lambda: any(v.doc_type == "kartu_ak1" for v in dlg.documents.views)
                    and not dlg.documents.busy, timeout=30000)
    with qtbot.waitSignal(dlg.caseChanged, timeout=10000):
        assert dlg.run_action(workflow.FINISH)
    assert dlg.detail.current_step == 4


def test_edit_conflict_keeps_what_was_typed(qtbot, sqlite_db, clock, make_ctx, messages):
    case = _case(sqlite_db, make_ctx, clock)
    dlg = _open(qtbot, make_ctx, sqlite_db, "petugas", case.id)
    dlg.start_edit()
    dlg.form.set_value("alamat", "Jl. Serma Rabin No. 7")
    clock.advance(minutes=1)
    admin = make_ctx(sqlite_db, "admin").actor
    cases.update_case(sqlite_db, admin, case.id, expected_version=case.version,
                      data={"telepon": "081200000001"})
    assert not dlg.save_edit()
    assert "Berkas ini sudah diubah oleh Administrator Sistem pukul 08:01" in messages[-1][1]
    # the other user's change is shown, and this user's typing is still in the form
    assert dlg.form.value("telepon") == "081200000001"
    assert dlg.form.value("alamat") == "Jl. Serma Rabin No. 7"
    assert not dlg.form.read_only
    assert dlg.save_edit()
    saved = cases.get_case(sqlite_db, case.id).data
    assert saved["alamat"] == "Jl. Serma Rabin No. 7" and saved["telepon"] == "081200000001"


def test_checklist_and_attachments(qtbot, sqlite_db, clock, make_ctx, messages, monkeypatch,
                                   tmp_path):
    case = _case(sqlite_db, make_ctx, clock)
    dlg = _open(qtbot, make_ctx, sqlite_db, "petugas", case.id)
    dlg.requirement_boxes["fc_ktp"].setChecked(False)
    with qtbot.waitSignal(dlg.caseChanged, timeout=2000):
        assert dlg.save_requirements()
    assert cases.get_case(sqlite_db, case.id).requirements["fc_ktp"] is False
    assert "FC KTP" in dlg.requirements_hint.text()

    scan = tmp_path / "ktp.jpg"
    scan.write_bytes(b"\xff\xd8\xff\xe0 not really a photo")
    monkeypatch.setattr(QFileDialog, "getOpenFileName",
                        staticmethod(lambda *a, **k: (str(scan), "")))
    dlg.attachment_requirement.setCurrentIndex(dlg.attachment_requirement.findData("fc_ktp"))
    assert dlg.add_attachment()
    assert dlg.attachment_table.rowCount() == 1
    assert dlg.attachment_table.item(0, 1).text() == "FC KTP"
    assert dlg.requirement_scan_labels["fc_ktp"].text() == "ada pindaian"
    copy = tmp_path / "salinan.jpg"
    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        staticmethod(lambda *a, **k: (str(copy), "")))
    dlg.attachment_table.selectRow(0)
    assert dlg.save_attachment_copy()
    assert copy.read_bytes() == scan.read_bytes()
    bad = tmp_path / "catatan.txt"
    bad.write_text("x")
    monkeypatch.setattr(QFileDialog, "getOpenFileName",
                        staticmethod(lambda *a, **k: (str(bad), "")))
    assert not dlg.add_attachment()
    assert "JPG, PNG atau PDF" in messages[-1][1]


def test_deputy_signs_on_behalf(qtbot, sqlite_db, clock, make_ctx, messages, monkeypatch):
    case = _case(sqlite_db, make_ctx, clock, steps=3)  # at the Kabid's signature
    kabid = make_ctx(sqlite_db, "kabid").actor
    today = clock.now.date()
    auth.add_delegation(sqlite_db, kabid, from_username="kabid", to_username="kasi",
                        starts_on=today, ends_on=today + timedelta(days=3))
    ctx = make_ctx(sqlite_db, "kasi")
    dlg = CaseDetailDialog(ctx, case.id)
    qtbot.addWidget(dlg)
    assert "Plh. Hendra Saputra" in dlg.action_buttons[workflow.SIGN].text()
    # The button alone records no signature: the card is signed in the queue, as Plh.
    from desktop_app.core.demo.signing import demo_signing_passphrase
    from desktop_app.gui.signing_queue import SigningQueueWindow

    monkeypatch.setattr(ConfirmActionDialog, "exec", lambda d: QDialog.DialogCode.Accepted)
    assert not dlg.run_action(workflow.SIGN)
    assert "Antrian Tanda Tangan" in messages[-1][1]
    monkeypatch.setattr(SigningQueueWindow, "ask_passphrase",
                        lambda q, _n: demo_signing_passphrase("kasi"))
    queue = SigningQueueWindow(ctx)
    qtbot.addWidget(queue)
    queue.select_ids({r.document_id for r in queue.model.rows if r.case_id == case.id})
    queue.sign_selected()
    qtbot.waitUntil(lambda: not queue._busy, timeout=60000)
    assert queue.last_result is not None and queue.last_result.ok
    assert dlg.detail.current_step == 6  # the open case window followed the queue
    last = dlg.history_table.rowCount() - 1
    assert dlg.history_table.item(last, 2).text() == (
        "Siti Aminah, S.Sos (a.n. Hendra Saputra, S.E., M.M.)")


def test_stale_screen_is_reloaded(qtbot, sqlite_db, clock, make_ctx, messages):
    case = _case(sqlite_db, make_ctx, clock)
    dlg = _open(qtbot, make_ctx, sqlite_db, "petugas", case.id)
    # another clerk declares it complete first; this screen still offers the buttons
    cases.act(sqlite_db, make_ctx(sqlite_db, "petugas").actor, case.id,
              workflow.COMPLETE_OK, expected_version=case.version)
    assert not dlg.run_action(workflow.COMPLETE_OK)
    assert len(messages) == 1
    assert "sudah diubah oleh Rina Marlina pukul 08:00" in messages[0][1]
    assert "tidak tersedia lagi" in messages[0][1]
    assert dlg.detail.current_step == 3
    assert workflow.COMPLETE_OK not in dlg.action_buttons


def test_sop_sheet_dialog(qtbot, sqlite_db, make_ctx):
    for code in ("ak1", "phi", "pelatihan"):
        sop = SOPS[code]
        dlg = SopSheetDialog(make_ctx(sqlite_db, "kasi"), sop)
        qtbot.addWidget(dlg)
        html = dlg.sheet_label.text()
        for word in ("Nomor SOP", "Tanggal Pembuatan", "Tanggal Revisi", "Tanggal Efektif",
                     "Disahkan oleh", "Dasar Hukum", "Kualifikasi Pelaksana", "Keterkaitan",
                     "Peralatan/Perlengkapan", "Peringatan", "Pencatatan dan Pendataan",
                     sop.number, "23 Januari 2024", "19691016 199503 1 001"):
            assert word in html, (code, word)
        for req in sop.requirements:
            assert req.label.split("(")[0].strip() in html
        assert "Catatan pembacaan" in dlg.notes_label.text()
        assert len(dlg.swimlane.step_shapes()) == len(sop.steps)
        assert set(dlg.swimlane.step_marks().values()) == {"none"}


@pytest.mark.skipif(not os.environ.get("SCREENSHOTS"),
                    reason="set SCREENSHOTS=1 to write docs/screenshots/")
def test_screenshots(qtbot, sqlite_db, clock, make_ctx, messages, monkeypatch):
    """Write the screenshots of the case screen, swimlane, intake form and SOP sheet."""
    from PySide6.QtCore import QRect
    from PySide6.QtGui import QColor, QImage, QPainter

    from desktop_app.gui import photo
    from desktop_app.gui.dialogs import BipartiteMeetingDialog
    from desktop_app.gui.intake import IntakeDialog
    from desktop_app.gui.swimlane import SwimlaneWidget

    out = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
    out.mkdir(parents=True, exist_ok=True)
    QApplication.instance().setStyle("Fusion")

    def grab(widget, name, size=(1280, 800)):
        widget.resize(*size)
        widget.show()
        QApplication.processEvents()
        assert widget.grab().save(str(out / name))

    actors = {n: make_ctx(sqlite_db, n).actor for n in ("petugas", "admintu", "kasi", "kabid",
                                                        "jfu", "sekretaris", "kadis")}
    rng = random.Random(21)
    # AK/I mid-way: checked in 4 minutes, card printed late (17 of 10 minutes), now at the paraf
    sop = SOPS["ak1"]
    data = demo_intake("ak1", rng, clock.now.date())
    data.update(nama="Sari Wulandari", nik="1672015503980007", tanggal_lahir="1998-03-15",
                jenis_kelamin="P")
    ak1 = cases.register_case(sqlite_db, actors["petugas"], "ak1", data,
                              {r.code: True for r in sop.requirements})
    clock.advance(minutes=4)
    ak1 = advance(sqlite_db, actors, ak1, 1, rng)
    clock.advance(minutes=17)
    ak1 = advance(sqlite_db, actors, ak1, 1, rng)
    clock.advance(minutes=3)
    dlg = CaseDetailDialog(make_ctx(sqlite_db, "kasi"), ak1.id)
    qtbot.addWidget(dlg)
    dlg.tabs.setCurrentIndex(3)
    grab(dlg, "case_ak1_alur.png")
    dlg.tabs.setCurrentIndex(4)
    grab(dlg, "case_ak1_riwayat.png")
    dlg.tabs.setCurrentIndex(0)
    grab(dlg, "case_ak1_data.png")
    lane = SwimlaneWidget(sop)
    qtbot.addWidget(lane)
    lane.set_case(cases.get_case(sqlite_db, ak1.id))
    grab(lane, "swimlane_ak1.png", (1240, 700))

    # a returned file, with its note
    back = cases.register_case(sqlite_db, actors["petugas"], "ak1",
                               demo_intake("ak1", rng, clock.now.date()),
                               {r.code: r.code != "fc_ijazah" for r in sop.requirements})
    clock.advance(minutes=6)
    cases.act(sqlite_db, actors["petugas"], back.id, workflow.INCOMPLETE,
              expected_version=back.version,
              reason="Mohon dilengkapi: FC Ijazah Terakhir (legalisir).")
    dlg = CaseDetailDialog(make_ctx(sqlite_db, "petugas"), back.id)
    qtbot.addWidget(dlg)
    dlg.tabs.setCurrentIndex(3)
    grab(dlg, "case_ak1_dikembalikan.png")

    # a dispute after two bipartite meetings, now with the mediator request letter
    phi = cases.register_case(sqlite_db, actors["petugas"], "phi",
                              demo_intake("phi", rng, clock.now.date()),
                              {r.code: True for r in SOPS["phi"].requirements})
    clock.advance(minutes=5)
    phi = advance(sqlite_db, actors, phi, 1, rng)
    for _ in range(2):
        clock.advance(days=3)
        phi = advance(sqlite_db, actors, phi, 1, rng)
    clock.advance(hours=3)
    dlg = CaseDetailDialog(make_ctx(sqlite_db, "jfu"), phi.id)
    qtbot.addWidget(dlg)
    dlg.tabs.setCurrentIndex(3)
    grab(dlg, "case_phi_alur.png")
    dlg.tabs.setCurrentIndex(4)
    grab(dlg, "case_phi_riwayat.png")
    lane = SwimlaneWidget(SOPS["phi"])
    qtbot.addWidget(lane)
    lane.set_case(cases.get_case(sqlite_db, phi.id))
    grab(lane, "swimlane_phi.png", (1240, 760))
    fresh = cases.register_case(sqlite_db, actors["petugas"], "phi",
                                demo_intake("phi", rng, clock.now.date()),
                                {r.code: True for r in SOPS["phi"].requirements})
    fresh = advance(sqlite_db, actors, fresh, 1, rng)
    dlg = CaseDetailDialog(make_ctx(sqlite_db, "jfu"), fresh.id)
    qtbot.addWidget(dlg)
    meeting = dlg.dialog_for(dlg.spec(workflow.BIPARTITE))
    assert isinstance(meeting, BipartiteMeetingDialog)
    meeting.place.setText("Ruang Rapat Bidang Tenaga Kerja")
    meeting.worker.setPlainText("Menuntut pembayaran upah lembur tiga bulan.")
    meeting.employer.setPlainText("Bersedia membayar bila dapat diangsur.")
    meeting.result_text.setPlainText("Para pihak sepakat pembayaran diangsur dua kali.")
    meeting.agreed.setChecked(True)
    meeting.points.setPlainText("Upah lembur dibayar dua kali angsuran\n"
                                "Angsuran pertama paling lambat 15 Desember 2026")
    grab(meeting, "case_phi_bipartit.png", (700, 640))
    lane = SwimlaneWidget(SOPS["pelatihan"])
    qtbot.addWidget(lane)
    grab(lane, "swimlane_pelatihan.png", (1240, 800))

    # the intake form for AK/I, partly typed, with the NIK read and a photo
    face = QImage(900, 700, QImage.Format.Format_RGB32)
    face.fill(QColor("#1e5aa8"))
    p = QPainter(face)
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    p.setBrush(QColor("#f1c9a5"))
    p.setPen(QColor("#f1c9a5"))
    p.drawEllipse(QRect(350, 120, 200, 260))
    p.setBrush(QColor("#ffffff"))
    p.drawRect(QRect(300, 400, 300, 300))
    p.end()
    face_path = out.parent / "_face.png"
    face.save(str(face_path))
    monkeypatch.setattr(QFileDialog, "getOpenFileName",
                        staticmethod(lambda *a, **k: (str(face_path), "")))
    monkeypatch.setattr(photo.PhotoCropDialog, "exec", lambda d: QDialog.DialogCode.Accepted)
    intake = IntakeDialog(make_ctx(sqlite_db, "petugas"), sop)
    qtbot.addWidget(intake)
    intake.form.set_values({"nik": "1672015503980007", "nama": "Sari Wulandari",
                            "tempat_lahir": "Pagar Alam", "status_kawin": "Belum Kawin",
                            "agama": "Islam", "alamat": "Jl. Kapten Sanap No. 12"})
    intake.form.fill_from_nik()
    intake.import_photo()
    face_path.unlink()
    for code in ("fc_ktp", "pas_foto_3x4"):
        intake.requirement_boxes[code].setChecked(True)
    grab(intake, "intake_ak1.png")
    intake.form.set_value("nik", "167201550398000")
    intake.form.set_value("email", "sari@")
    intake.save()
    grab(intake, "intake_ak1_kesalahan.png")
    crop = photo.PhotoCropDialog(face)
    qtbot.addWidget(crop)
    crop.set_crop_rect(QRect(300, 60, 300, 400))
    grab(crop, "intake_ak1_pas_foto.png", (760, 540))

    # Lihat SOP
    sheet = SopSheetDialog(make_ctx(sqlite_db, "kasi"), sop)
    qtbot.addWidget(sheet)
    grab(sheet, "sop_sheet_ak1.png")
    sheet.scroll.verticalScrollBar().setValue(sheet.swimlane.y() - 60)
    grab(sheet, "sop_sheet_ak1_bagan.png")
    sheet = SopSheetDialog(make_ctx(sqlite_db, "kasi"), SOPS["phi"])
    qtbot.addWidget(sheet)
    sheet.scroll.verticalScrollBar().setValue(sheet.scroll.verticalScrollBar().maximum())
    grab(sheet, "sop_sheet_phi_catatan.png")


def test_incomplete_action_prepares_the_return_letter(qtbot, sqlite_db, clock, make_ctx,
                                                      messages, monkeypatch):
    """Tidak Lengkap issues and shows the return letter at once (numbered, the clerk's name,
    no official's signature); after Ajukan Ulang the letter is history, not in the way of
    Lengkap; a second return issues a new version and keeps the first."""
    from desktop_app.core.documents import service as docs
    from desktop_app.core.documents.context import install_placeholder_emblem
    from desktop_app.gui.dialogs.incomplete import IncompleteDialog

    install_placeholder_emblem(sqlite_db)  # a fresh office has no emblem until one is set
    sop = get_sop("jht")
    data = demo_intake("jht", random.Random(9), sqlite_db.now().date())
    first_req = sop.requirements[0].code
    case = cases.register_case(sqlite_db, make_ctx(sqlite_db, "petugas").actor, "jht", data,
                               {r.code: r.code != first_req for r in sop.requirements})
    dlg = _open(qtbot, make_ctx, sqlite_db, "petugas", case.id)
    monkeypatch.setattr(IncompleteDialog, "exec", lambda d: QDialog.DialogCode.Accepted)
    monkeypatch.setattr(ConfirmActionDialog, "exec", lambda d: QDialog.DialogCode.Accepted)

    def letters():
        return [v for v in dlg.documents.views if v.doc_type == "surat_pengembalian"]

    for round_no in (1, 2):
        assert dlg.run_action(workflow.INCOMPLETE), messages
        assert dlg.tabs.currentWidget() is dlg.documents
        qtbot.waitUntil(lambda n=round_no: len(letters()) == n and not dlg.documents.busy,
                        timeout=30000)
        letter = letters()[-1]
        assert letter.status == docs.ISSUED and letter.number and not letter.needs_signer
        assert letter.version == round_no
        assert "Surat Pengembalian" not in dlg.documents.missing_label.text()
        row = next(r for r, v in enumerate(dlg.documents.views) if v.id == letter.id)
        assert dlg.documents.table.item(row, 2).text() == "Diterbitkan"
        assert dlg.documents._preview is not None  # shown to the clerk for printing
        # The applicant brings the papers: Ajukan Ulang, tick, Lengkap.
        assert dlg.run_action(workflow.RESUBMIT), messages
        for box in dlg.requirement_boxes.values():
            box.setChecked(True)
        if round_no == 1:  # still one paper missing: returned a second time
            dlg.requirement_boxes[sop.requirements[1].code].setChecked(False)
    assert dlg.run_action(workflow.COMPLETE_OK), messages
    assert dlg.detail.current_step == 3 and dlg.detail.is_open
    assert [v.status for v in letters()] == [docs.ISSUED, docs.ISSUED]
    assert "Pengembalian" not in dlg.documents.missing_label.text()
    text = " ".join(docs.document_pdf(sqlite_db, letters()[0].id).decode("latin-1").split())
    assert text.startswith("%PDF")


def test_actions_save_off_the_gui_thread_with_a_busy_indicator(qtbot, sqlite_db, clock,
                                                                make_ctx, messages, monkeypatch):
    """Issue 8: an action is saved on a worker thread; meanwhile the window keeps painting,
    its buttons are off and "Menyimpan…" shows; a failure comes back in Indonesian."""
    import threading

    from PySide6.QtCore import QTimer

    from desktop_app.core.errors import DatabaseUnavailable

    case = _case(sqlite_db, make_ctx, clock)
    dlg = _open(qtbot, make_ctx, sqlite_db, "petugas", case.id)
    dlg.show()
    real = cases.act

    def down(*_a, **_k):
        raise DatabaseUnavailable("127.0.0.1:5432")

    monkeypatch.setattr(cases, "act", down)
    assert not dlg.run_action(workflow.COMPLETE_OK)
    assert messages[-1][0] == "Gagal"
    assert messages[-1][1].startswith("Koneksi ke server basis data terputus (127.0.0.1:5432).")
    assert all(b.isEnabled() for b in dlg.action_buttons.values())
    assert dlg.close_button.isEnabled() and dlg.result_label.text() == ""

    gate = threading.Event()
    seen: dict = {}

    def slow(*args, **kwargs):
        seen["gui_thread"] = threading.current_thread() is threading.main_thread()
        assert gate.wait(15), "the GUI thread was blocked while saving"
        return real(*args, **kwargs)

    def look() -> None:  # runs only if the GUI thread is free while the action saves
        seen["label"] = dlg.result_label.text()
        seen["enabled"] = [b.isEnabled() for b in (*dlg.action_buttons.values(),
                                                    dlg.close_button)]
        dlg.reject()  # Esc while saving: the window stays
        seen["visible"] = dlg.isVisible()
        gate.set()

    monkeypatch.setattr(cases, "act", slow)
    QTimer.singleShot(100, look)
    assert dlg.run_action(workflow.COMPLETE_OK)
    assert seen["gui_thread"] is False and seen["label"] == "Menyimpan…"
    assert seen["enabled"] and not any(seen["enabled"]) and seen["visible"]
    assert cases.get_case(sqlite_db, case.id).version > case.version
    assert dlg.result_label.text() == "“Lengkap” tersimpan." and dlg.close_button.isEnabled()

    # the data edits save the same way (here the checklist, by the clerk of a fresh case)
    other = _case(sqlite_db, make_ctx, clock, seed=2)
    clerk = _open(qtbot, make_ctx, sqlite_db, "petugas", other.id)
    real_update = cases.update_case
    threads: list[bool] = []

    def update(*args, **kwargs):
        threads.append(threading.current_thread() is threading.main_thread())
        return real_update(*args, **kwargs)

    monkeypatch.setattr(cases, "update_case", update)
    first_req = next(iter(clerk.requirement_boxes))
    clerk.requirement_boxes[first_req].setChecked(False)
    assert clerk.save_requirements()
    assert threads == [False]
    assert cases.get_case(sqlite_db, other.id).requirements[first_req] is False
