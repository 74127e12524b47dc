"""Alt+letter on the Simpan/Batal (and Gunakan, Cetak, Pakai, the action's own) buttons of
every dialog that has them: the admin dialogs, the survey entry, the card event, the password,
photo, calibration, print and case-action dialogs. Each letter is unique in its dialog (a
clash makes Alt+letter only cycle between the widgets) and Alt+B really cancels."""

from __future__ import annotations

from collections import Counter
from datetime import date

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QImage
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QDialog,
    QDialogButtonBox,
    QPushButton,
)

from desktop_app.core import auth
from desktop_app.core.db import Database
from desktop_app.core.reports import ak1_cards
from desktop_app.core.sop import get_sop
from desktop_app.gui.keyboard import mnemonic_letter, mnemonic_letters

WORDS = ("Simpan", "Batal", "Gunakan", "Cetak", "Pakai", "Tolak", "Kembalikan", "Ajukan")


def _dialogs(ctx) -> dict[str, QDialog]:
    from desktop_app.gui.admin.users import DelegationDialog, PasswordDialog, UserFormDialog
    from desktop_app.gui.calibration_dialog import CalibrationDialog
    from desktop_app.gui.dialogs import (
        BipartiteMeetingDialog,
        ConfirmActionDialog,
        IncompleteDialog,
        ReasonDialog,
        ReturnToStepDialog,
    )
    from desktop_app.gui.intake import IntakeDialog
    from desktop_app.gui.office_documents_settings import OfficeDocumentsDialog
    from desktop_app.gui.password_dialog import ChangePasswordDialog
    from desktop_app.gui.photo import PhotoCropDialog
    from desktop_app.gui.print_dialog import PrintDialog
    from desktop_app.gui.reports.people import CardEventDialog
    from desktop_app.gui.reports.survey_entry import SurveyEntryDialog

    users = auth.list_users(ctx.db)
    card = ak1_cards.CardStatus(
        case_id=1, register_number="AK1/2026/00001", card_number="1672-2026-00001",
        nik="1672015403010003", name="SITI NURHALIZA", registered=date(2026, 11, 2),
        valid_until=date(2028, 11, 2), state=ak1_cards.VALID, next_report=None,
        report_overdue=False, events=())
    image = QImage(300, 400, QImage.Format.Format_RGB32)
    image.fill(Qt.GlobalColor.lightGray)
    from desktop_app.core.documents import catalog, samples

    pdf = catalog.render_document("tanda_terima", samples.sample_context("tanda_terima"))
    return {
        "pengguna baru": UserFormDialog(ctx),
        "pengguna ubah": UserFormDialog(ctx, next(u for u in users if u.username == "kasi")),
        "sandi pengguna": PasswordDialog(ctx, "kasi"),
        "pelimpahan": DelegationDialog(ctx, users),
        "survei": SurveyEntryDialog(ctx),
        **{f"kartu {kind}": CardEventDialog(ctx, card, kind) for kind in ak1_cards.KINDS},
        "ganti sandi": ChangePasswordDialog(ctx),
        "pas foto": PhotoCropDialog(image),
        "kalibrasi": CalibrationDialog("pdf", 85.6, 54.0, "cups"),
        "cetak": PrintDialog(pdf, "Tanda Terima", ctx=ctx),
        "alasan": ReasonDialog("Tolak", "Tolak", "Permohonan ditolak."),
        "ajukan ulang": ConfirmActionDialog("Ajukan Ulang", "Ajukan Ulang", "Diserahkan."),
        "tidak lengkap": IncompleteDialog(["FC KTP"]),
        "kembali langkah": ReturnToStepDialog(get_sop("jht"), [2, 3]),
        "bipartit": BipartiteMeetingDialog(1, date(2026, 11, 30), "Budi", "PT Dempo"),
        "pendaftaran": IntakeDialog(ctx, get_sop("jht")),
        "dokumen dan kop surat": OfficeDocumentsDialog(ctx),
    }


def _dialog_buttons(dlg: QDialog) -> list[QAbstractButton]:
    """The dialog's Simpan…/Batal… buttons, and its button row's other main buttons."""
    out = [b for b in dlg.findChildren(QPushButton)
           if b.text().replace("&", "").startswith(("Simpan", "Batal"))]
    for box in dlg.findChildren(QDialogButtonBox):
        out.extend(b for b in box.buttons() if b not in out
                   and any(w in b.text().replace("&", "") for w in WORDS))
    return out


def test_every_dialogs_simpan_batal_have_a_unique_mnemonic(qtbot, sqlite_db: Database,
                                                           make_ctx) -> None:
    dialogs = _dialogs(make_ctx(sqlite_db, "admin"))
    checked = 0
    for name, dlg in dialogs.items():
        qtbot.addWidget(dlg)
        buttons = _dialog_buttons(dlg)
        assert buttons, name
        words = {b.text().replace("&", "") for b in buttons}
        assert any(w.startswith(("Simpan", "Batal")) for w in words), (name, words)
        for b in buttons:
            assert mnemonic_letter(b.text()), (name, b.text())
        letters = Counter(letter for letter, _w in mnemonic_letters(dlg))
        for b in buttons:
            letter = mnemonic_letter(b.text())
            assert letters[letter] == 1, (name, b.text(), sorted(
                (lt, type(w).__name__, getattr(w, "text", lambda: "")())
                for lt, w in mnemonic_letters(dlg) if lt == letter))
            checked += 1
    assert checked >= 2 * len(dialogs)


@pytest.mark.parametrize("which", ["admin", "survei", "kartu"])
def test_alt_letter_of_batal_closes_the_dialog(qtbot, sqlite_db: Database, make_ctx,
                                               which: str) -> None:
    ctx = make_ctx(sqlite_db, "admin")
    dialogs = _dialogs(ctx)
    dlg = {"admin": dialogs["pengguna baru"], "survei": dialogs["survei"],
           "kartu": dialogs[f"kartu {next(iter(ak1_cards.KINDS))}"]}[which]
    for other in dialogs.values():
        qtbot.addWidget(other)
    cancel = next(b for b in _dialog_buttons(dlg) if b.text().replace("&", "") == "Batal")
    dlg.show()
    dlg.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is dlg)
    key = getattr(Qt.Key, f"Key_{mnemonic_letter(cancel.text()).upper()}")
    with qtbot.waitSignal(dlg.rejected, timeout=3000):
        qtbot.keyClick(QApplication.focusWidget() or dlg, key, Qt.KeyboardModifier.AltModifier)
