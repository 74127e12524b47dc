"""Issue 8, item 8: Keluar / Ganti Pengguna in the menu, and changing one's own password."""

from __future__ import annotations

import pytest

from desktop_app.core import auth
from desktop_app.gui.main_window import MainWindow
from desktop_app.gui.password_dialog import ChangePasswordDialog

pytestmark = pytest.mark.usefixtures("free_widgets")


def test_menu_offers_sign_out_switch_user_and_password(qtbot, sqlite_db, make_ctx,
                                                       demo_passwords):
    ctx = make_ctx(sqlite_db, "petugas")
    window = MainWindow(ctx, idle_timeout_ms=0)
    qtbot.addWidget(window)
    texts = [a.text().replace("&", "") for a in window.menuBerkas.actions() if a.text()]
    assert "Ganti Kata Sandi…" in texts and "Ganti Pengguna…" in texts
    assert "Keluar (Log Out)" in texts
    window.show()
    window.actionSignOut.trigger()
    assert window.switch_requested and not window.isVisible()


def test_change_own_password_dialog(qtbot, sqlite_db, make_ctx, demo_passwords):
    ctx = make_ctx(sqlite_db, "petugas")
    dlg = ChangePasswordDialog(ctx)
    qtbot.addWidget(dlg)
    dlg.old.setText("salah-sekali")
    dlg.new.setText("sandi-baru-2027")
    dlg.repeat.setText("sandi-baru-2028")
    assert not dlg.save()
    assert dlg.error_text("ulangi") == "Kata sandi baru tidak sama."
    dlg.repeat.setText("sandi-baru-2027")
    assert not dlg.save()
    assert dlg.error_text("sandi_lama").startswith("Kata sandi lama salah.")
    dlg.old.setText(demo_passwords["petugas"])
    assert dlg.save()
    assert auth.login(sqlite_db, "petugas", "sandi-baru-2027").username == "petugas"


def test_save_dialogs_start_in_documents(qtbot, monkeypatch, tmp_path):
    """Issue 8, item 11: file dialogs start in the user's Documents folder, not the program's
    working folder (root's home on the office PC)."""
    from PySide6.QtCore import QStandardPaths
    from PySide6.QtWidgets import QApplication, QFileDialog

    from desktop_app.gui import files
    from desktop_app.gui.pdf_preview import PdfPreviewDialog

    monkeypatch.setattr(QStandardPaths, "writableLocation",
                        staticmethod(lambda _loc: str(tmp_path / "Dokumen")))
    seen = {}

    def fake(parent, title, start, filters):
        seen["start"] = start
        return "", ""

    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(fake))
    import io

    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    buf = io.BytesIO()
    writer.write(buf)
    dialog = PdfPreviewDialog(buf.getvalue(), "Contoh", None, file_name="contoh.pdf")
    qtbot.addWidget(dialog)
    assert not dialog.save_dialog()
    assert seen["start"] == str(tmp_path / "Dokumen" / "contoh.pdf")
    assert (tmp_path / "Dokumen").is_dir()
    assert files.install_qt_translations(QApplication.instance()) in (True, False)
