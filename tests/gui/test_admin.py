"""Administrator screens: users (create, roles, password, (de)activate, delegation), settings."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from PySide6.QtCore import QDate, QTime
from PySide6.QtWidgets import QMessageBox

from desktop_app.core import auth, settings
from desktop_app.core.office_calendar import OfficeCalendar
from desktop_app.gui.admin import users as users_mod
from desktop_app.gui.admin.settings import SettingsPanel
from desktop_app.gui.admin.users import DelegationDialog, UserFormDialog, UsersPanel

pytestmark = pytest.mark.gui


@pytest.fixture
def admin_ctx(demo_db, make_ctx):
    return make_ctx(demo_db, "admin")


def _fill(dialog: UserFormDialog, **values: str) -> None:
    for name, value in values.items():
        getattr(dialog, f"{name}_edit").setText(value)


def test_create_user_with_bad_nip_shows_message_at_field(qtbot, admin_ctx, monkeypatch):
    db = admin_ctx.db
    panel = UsersPanel(admin_ctx)
    qtbot.addWidget(panel)
    before = auth.list_users(db)
    seen = {}

    def fake_exec(self):
        _fill(self, username="budi", full_name="Budi Santoso", nip="1234",
              password="Rahasia-Kantor-77", password2="Rahasia-Kantor-77")
        self.role_checks["staf"].setChecked(True)
        assert self.save() is False
        seen["nip"] = self.errors.message("nip")
        seen["nip_red"] = self.errors.has_error("nip")
        seen["username"] = self.errors.message("username")
        return 0

    monkeypatch.setattr(UserFormDialog, "exec", fake_exec)
    panel.add_user()
    assert seen["nip"] == "NIP harus 18 digit angka."
    assert seen["nip_red"] is True
    assert seen["username"] == ""
    assert auth.list_users(db) == before  # nothing written


def test_create_user_then_login(qtbot, admin_ctx, monkeypatch):
    db = admin_ctx.db
    panel = UsersPanel(admin_ctx)
    qtbot.addWidget(panel)

    def fake_exec(self):
        _fill(self, username="budi", full_name="Budi Santoso", nip="199001012015031001",
              jabatan="Pengantar Kerja", password="Rahasia-Kantor-77", password2="Rahasia-Kantor-77")
        self.role_checks["staf"].setChecked(True)
        self.role_checks["panitia"].setChecked(True)
        return int(self.save())

    monkeypatch.setattr(UserFormDialog, "exec", fake_exec)
    panel.add_user()
    row = next(u for u in auth.list_users(db) if u.username == "budi")
    assert set(row.roles) == {"staf", "panitia"}
    assert panel.selected_user().username == "budi"
    assert auth.login(db, "budi", "Rahasia-Kantor-77").full_name == "Budi Santoso"


def test_missing_fields_and_password_mismatch(qtbot, admin_ctx):
    dialog = UserFormDialog(admin_ctx)
    qtbot.addWidget(dialog)
    _fill(dialog, username="x y", full_name="", password="pendek", password2="pendek")
    assert not dialog.save()
    assert dialog.errors.message("username")
    assert dialog.errors.message("full_name") == "Nama lengkap wajib diisi."
    assert dialog.errors.message("password") == "Kata sandi minimal 10 karakter."
    assert dialog.errors.message("roles") == "Pilih sedikitnya satu peran."
    _fill(dialog, username="ok", full_name="Ok", password="panjang-sekali", password2="lain")
    assert not dialog.save()
    assert dialog.errors.message("password2") == "Kata sandi tidak sama."
    assert dialog.errors.message("full_name") == ""  # earlier messages are cleared


def test_edit_roles_reset_password_and_deactivate(qtbot, admin_ctx, monkeypatch):
    db = admin_ctx.db
    panel = UsersPanel(admin_ctx)
    qtbot.addWidget(panel)
    panel.select("staf")

    def edit_exec(self):
        self.role_checks["staf"].setChecked(False)
        self.role_checks["jfu"].setChecked(True)
        return int(self.save())

    monkeypatch.setattr(UserFormDialog, "exec", edit_exec)
    panel.edit_user()
    assert next(u for u in auth.list_users(db) if u.username == "staf").roles == ("jfu",)

    def pw_exec(self):
        self.password_edit.setText("sandi-baru-2026")
        self.password2_edit.setText("sandi-baru-2026")
        return int(self.save())

    monkeypatch.setattr(users_mod.PasswordDialog, "exec", pw_exec)
    monkeypatch.setattr(QMessageBox, "information", lambda *a: None)
    panel.select("staf")
    panel.reset_password()
    assert auth.login(db, "staf", "sandi-baru-2026").username == "staf"

    monkeypatch.setattr(QMessageBox, "question", lambda *a: QMessageBox.StandardButton.Yes)
    panel.select("staf")
    panel.toggle_active()
    assert not next(u for u in auth.list_users(db) if u.username == "staf").is_active
    row = next(r for r, u in enumerate(panel.users) if u.username == "staf")
    assert panel.table.item(row, 5).text() == "Nonaktif"
    panel.select("staf")
    assert panel.active_button.text().replace("&", "") == "Aktifkan"
    panel.toggle_active()
    assert next(u for u in auth.list_users(db) if u.username == "staf").is_active

    # The administrator cannot deactivate themself: the message is shown, nothing changes.
    warnings = []
    monkeypatch.setattr(QMessageBox, "warning", lambda p, t, text: warnings.append(text))
    panel.select("admin")
    panel.toggle_active()
    assert warnings == ["Anda tidak dapat menonaktifkan akun sendiri."]


def test_delegation_plh_with_date_range(qtbot, admin_ctx, clock):
    db = admin_ctx.db
    dialog = DelegationDialog(admin_ctx, auth.list_users(db), "kabid")
    qtbot.addWidget(dialog)
    dialog.to_combo.setCurrentIndex(dialog.to_combo.findData("kasi"))
    dialog.starts_edit.setDate(QDate(2026, 12, 2))
    dialog.ends_edit.setDate(QDate(2026, 12, 1))
    assert not dialog.save()
    assert dialog.errors.message("ends_on") == "Tanggal selesai sebelum tanggal mulai."
    dialog.starts_edit.setDate(QDate(2026, 11, 30))
    dialog.ends_edit.setDate(QDate(2026, 12, 4))
    assert dialog.save()
    kasi = auth.actor_for(db, next(u.id for u in auth.list_users(db) if u.username == "kasi"))
    assert "kabid" in kasi.effective_roles
    assert kasi.acting_for[0].kind == "Plh."


def test_admin_saves_calendar_settings(qtbot, admin_ctx, monkeypatch):
    db = admin_ctx.db
    panel = SettingsPanel(admin_ctx)
    qtbot.addWidget(panel)
    infos = []
    monkeypatch.setattr(QMessageBox, "information", lambda p, t, text: infos.append(text))
    cal = panel.calendar
    cal.day_checks[5].setChecked(True)  # Saturday mornings
    cal.open_edits[5].setTime(QTime(8, 0))
    cal.close_edits[5].setTime(QTime(12, 0))
    cal.add_holiday(date(2026, 12, 25))
    cal.add_holiday(date(2026, 12, 24))
    cal.idle_spin.setValue(5)
    assert cal.save()
    assert infos == ["Kalender kerja disimpan."]
    stored = OfficeCalendar.from_dict(settings.get_setting(db, settings.CALENDAR))
    assert 5 in stored.working_days
    assert stored.working_hours[5][1].hour == 12
    assert stored.holidays == {date(2026, 12, 24), date(2026, 12, 25)}
    assert settings.get_setting(db, settings.IDLE_LOCK_MINUTES) == 5
    assert [cal.holiday_list.item(i).text() for i in range(2)] == ["24 Desember 2026",
                                                                 "25 Desember 2026"]


def test_calendar_errors_at_the_field(qtbot, admin_ctx):
    db = admin_ctx.db
    panel = SettingsPanel(admin_ctx)
    qtbot.addWidget(panel)
    cal = panel.calendar
    before = settings.get_setting(db, settings.CALENDAR)
    cal.open_edits[0].setTime(QTime(17, 0))
    assert not cal.save()
    assert "Senin" in cal.errors.message("kalender")
    assert cal.errors.has_error("kalender")
    assert settings.get_setting(db, settings.CALENDAR) == before


def test_office_profile_saved_and_required(qtbot, admin_ctx, monkeypatch):
    db = admin_ctx.db
    monkeypatch.setattr(QMessageBox, "information", lambda *a: None)
    panel = SettingsPanel(admin_ctx)
    qtbot.addWidget(panel)
    form = panel.profile
    form.edits["telepon"].setText("(0730) 621999")
    form.edits["alamat"].setText("")
    assert not form.save()
    assert form.errors.message("alamat") == "Wajib diisi."
    form.edits["alamat"].setText("Jl. Laskar Wanita No. 2, Pagar Alam")
    assert form.save()
    profile = settings.office_profile(db)
    assert profile["telepon"] == "(0730) 621999"
    assert profile["alamat"].startswith("Jl. Laskar Wanita No. 2")


def test_office_zone_chosen_in_the_profile_moves_every_shown_time(qtbot, admin_ctx, monkeypatch):
    """WITA chosen in Profil Kantor: stored times stay, shown ones move an hour, and the
    signature stamp's zone label follows; choosing WIB again restores them."""
    from desktop_app.core import office_time
    from desktop_app.core.documents import renderer

    db = admin_ctx.db
    monkeypatch.setattr(QMessageBox, "information", lambda *a: None)
    panel = SettingsPanel(admin_ctx)
    qtbot.addWidget(panel)
    form = panel.profile
    assert form.zone_combo.currentData() == "Asia/Jakarta"
    from sqlalchemy import select

    from desktop_app.core.models import AuditEvent

    with db.read() as s:
        first_id, first_at = s.execute(select(AuditEvent.id, AuditEvent.at)
                                       .order_by(AuditEvent.id)).first()
    try:
        form.zone_combo.setCurrentIndex(form.zone_combo.findData("Asia/Makassar"))
        assert form.save()
        assert settings.office_profile(db)["zona_waktu"] == "Asia/Makassar"
        assert office_time.zone_label() == "WITA"
        with db.read() as s:
            assert s.get(AuditEvent, first_id).at - first_at == timedelta(hours=1)
        stamp = renderer.environment().from_string("{{ zona_waktu() }}").render()
        assert stamp == "WITA"
    finally:
        form.zone_combo.setCurrentIndex(form.zone_combo.findData("Asia/Jakarta"))
        assert form.save()
    assert office_time.zone_label() == "WIB"
