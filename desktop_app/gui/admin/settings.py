"""Office settings for the administrator: kop surat (office profile), calendar, idle lock."""

from __future__ import annotations

from datetime import date, time

from PySide6.QtCore import QDate, QLocale, Qt, QTime, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QTimeEdit,
    QVBoxLayout,
    QWidget,
)

from desktop_app.core import settings
from desktop_app.core.errors import AppError, ValidationError
from desktop_app.core.formatting import HARI, tanggal
from desktop_app.core.office_calendar import OfficeCalendar
from desktop_app.core.office_time import DEFAULT_ZONE, ZONE_CHOICES
from desktop_app.gui.admin.forms import FieldErrors
from desktop_app.gui.context import AppContext
from desktop_app.gui.date_input import DateInput

ID_LOCALE = QLocale(QLocale.Language.Indonesian, QLocale.Country.Indonesia)

PROFILE_FIELDS: tuple[tuple[str, str], ...] = (
    ("pemerintah", "Pemerintah"),
    ("nama_dinas", "Nama dinas"),
    ("bidang", "Bidang"),
    ("alamat", "Alamat"),
    ("kota", "Kota"),
    ("kode_pos", "Kode pos"),
    ("telepon", "Telepon"),
    ("email", "Surel (e-mail)"),
    ("website", "Situs web"),
    ("kode_wilayah", "Kode wilayah"),
    ("url_verifikasi", "URL verifikasi (isi QR)"),
)
REQUIRED_PROFILE = ("pemerintah", "nama_dinas", "alamat", "kota")


class OfficeProfileForm(QGroupBox):
    """The kop surat fields printed on every letter."""

    saved = Signal()

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(self.tr("Profil Kantor (kop surat)"), parent)
        self.ctx = ctx
        self.errors = FieldErrors()
        self.edits: dict[str, QLineEdit] = {}
        form = QFormLayout()
        for key, label in PROFILE_FIELDS:
            edit = QLineEdit()
            edit.setMaxLength(300)
            self.edits[key] = edit
            form.addRow(self.tr(label), self.errors.wrap(key, edit))
        # The office's clock: every time is stored in UTC and shown in this zone.
        self.zone_combo = QComboBox()
        for zone, label in ZONE_CHOICES.items():
            self.zone_combo.addItem(label, zone)
        self.zone_combo.setToolTip(self.tr(
            "Waktu yang dicetak dan ditampilkan (cap tanda tangan, riwayat, laporan). Data "
            "disimpan dalam UTC, jadi mengganti zona tidak mengubah catatan lama."))
        form.addRow(self.tr("Zona waktu kantor"), self.errors.wrap("zona_waktu", self.zone_combo))
        self.save_button = QPushButton(self.tr("Simpan Profil"))
        self.save_button.clicked.connect(self.save)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.save_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.errors.general)
        layout.addLayout(form)
        layout.addLayout(row)
        self.load()

    def load(self) -> None:
        profile = settings.office_profile(self.ctx.db)
        for key, edit in self.edits.items():
            edit.setText(str(profile.get(key) or ""))
        index = self.zone_combo.findData(profile.get("zona_waktu") or DEFAULT_ZONE)
        self.zone_combo.setCurrentIndex(max(0, index))

    def save(self) -> bool:
        self.errors.clear()
        value: dict[str, str] = {key: edit.text().strip() for key, edit in self.edits.items()}
        value["zona_waktu"] = self.zone_combo.currentData()
        missing = {key: self.tr("Wajib diisi.") for key in REQUIRED_PROFILE if not value[key]}
        if missing:
            self.errors.show(missing)
            return False
        if not self.errors.attempt(lambda: settings.save_setting(
                self.ctx.db, self.ctx.user, settings.OFFICE_PROFILE, value)):
            return False
        self.saved.emit()
        return True


class CalendarForm(QGroupBox):
    """Working days, opening hours per weekday, holidays, and the idle-lock minutes."""

    saved = Signal()

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(self.tr("Kalender Kerja dan Keamanan"), parent)
        self.ctx = ctx
        self.errors = FieldErrors()
        self.day_checks: list[QCheckBox] = []
        self.open_edits: list[QTimeEdit] = []
        self.close_edits: list[QTimeEdit] = []
        days = QGridLayout()
        days.addWidget(QLabel(self.tr("Hari kerja")), 0, 0)
        days.addWidget(QLabel(self.tr("Buka")), 0, 1)
        days.addWidget(QLabel(self.tr("Tutup")), 0, 2)
        for i, name in enumerate(HARI):
            check = QCheckBox(self.tr(name))
            opening, closing = QTimeEdit(), QTimeEdit()
            for edit in (opening, closing):
                edit.setDisplayFormat("HH:mm")
            check.toggled.connect(opening.setEnabled)
            check.toggled.connect(closing.setEnabled)
            self.day_checks.append(check)
            self.open_edits.append(opening)
            self.close_edits.append(closing)
            days.addWidget(check, i + 1, 0)
            days.addWidget(opening, i + 1, 1)
            days.addWidget(closing, i + 1, 2)
        days.setColumnStretch(3, 1)
        days_box = QWidget()
        days_box.setLayout(days)

        self.holiday_list = QListWidget()
        self.holiday_list.setMinimumHeight(120)
        self.holiday_list.setMaximumHeight(200)
        self.holiday_edit = DateInput()  # typed ddmmyyyy, F4/Alt+Down calendar, Tab moves on
        today = ctx.db.now().date()
        self.holiday_edit.setDate(QDate(today.year, today.month, today.day))
        self.add_holiday_button = QPushButton(self.tr("Tambah Libur"))
        self.remove_holiday_button = QPushButton(self.tr("Hapus Terpilih"))
        self.add_holiday_button.clicked.connect(self._add_holiday_from_edit)
        self.remove_holiday_button.clicked.connect(self._remove_selected_holiday)
        hol_buttons = QHBoxLayout()
        hol_buttons.addWidget(self.holiday_edit)
        hol_buttons.addWidget(self.add_holiday_button)
        hol_buttons.addWidget(self.remove_holiday_button)
        hol_buttons.addStretch(1)
        hol_box = QWidget()
        hol_layout = QVBoxLayout(hol_box)
        hol_layout.setContentsMargins(0, 0, 0, 0)
        hol_layout.addWidget(self.holiday_list)
        hol_layout.addLayout(hol_buttons)

        self.idle_spin = QSpinBox()
        self.idle_spin.setRange(0, 240)
        self.idle_spin.setSuffix(self.tr(" menit"))
        self.idle_spin.setSpecialValueText(self.tr("tidak mengunci"))
        self.idle_spin.setMaximumWidth(180)

        form = QFormLayout()
        form.addRow(self.tr("Jam kerja"), self.errors.wrap("kalender", days_box))
        form.addRow(self.tr("Hari libur"), self.errors.wrap("holidays", hol_box))
        form.addRow(self.tr("Kunci layar setelah"),
                    self.errors.wrap("idle_lock_minutes", self.idle_spin))
        self.save_button = QPushButton(self.tr("Simpan Kalender"))
        self.save_button.clicked.connect(self.save)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.save_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.errors.general)
        layout.addLayout(form)
        layout.addLayout(row)
        self.load()

    def load(self) -> None:
        cal = OfficeCalendar.from_dict(settings.get_setting(self.ctx.db, settings.CALENDAR))
        for day in range(7):
            hours = cal.working_hours.get(day, (time(8, 0), time(16, 0)))
            self.day_checks[day].setChecked(day in cal.working_days)
            self.open_edits[day].setEnabled(day in cal.working_days)
            self.close_edits[day].setEnabled(day in cal.working_days)
            self.open_edits[day].setTime(QTime(hours[0].hour, hours[0].minute))
            self.close_edits[day].setTime(QTime(hours[1].hour, hours[1].minute))
        self.holiday_list.clear()
        for d in sorted(cal.holidays):
            self.add_holiday(d)
        self.idle_spin.setValue(int(settings.get_setting(self.ctx.db,
                                                         settings.IDLE_LOCK_MINUTES) or 0))

    def holidays(self) -> list[date]:
        return sorted(self.holiday_list.item(i).data(Qt.ItemDataRole.UserRole)
                      for i in range(self.holiday_list.count()))

    def add_holiday(self, d: date) -> None:
        if d in self.holidays():
            return
        item = QListWidgetItem(tanggal(d))
        item.setData(Qt.ItemDataRole.UserRole, d)
        self.holiday_list.addItem(item)
        items = sorted((self.holiday_list.takeItem(0) for _ in range(self.holiday_list.count())),
                       key=lambda it: it.data(Qt.ItemDataRole.UserRole))
        for it in items:
            self.holiday_list.addItem(it)

    def _add_holiday_from_edit(self) -> None:
        q = self.holiday_edit.date()
        self.add_holiday(date(q.year(), q.month(), q.day()))

    def _remove_selected_holiday(self) -> None:
        for item in self.holiday_list.selectedItems():
            self.holiday_list.takeItem(self.holiday_list.row(item))

    def calendar_value(self) -> dict[str, object]:
        days = [d for d in range(7) if self.day_checks[d].isChecked()]
        hours = {str(d): [self.open_edits[d].time().toString("HH:mm"),
                          self.close_edits[d].time().toString("HH:mm")] for d in days}
        return {"working_days": days, "working_hours": hours,
                "holidays": [d.isoformat() for d in self.holidays()]}

    def save(self) -> bool:
        self.errors.clear()
        value = self.calendar_value()
        if not value["working_days"]:
            self.errors.show({"kalender": self.tr("Pilih sedikitnya satu hari kerja.")})
            return False
        wrong = [HARI[d] for d in value["working_days"]  # type: ignore[union-attr]
                 if self.open_edits[d].time() >= self.close_edits[d].time()]
        if wrong:
            self.errors.show({"kalender": self.tr("Jam tutup harus setelah jam buka: {days}.")
                              .format(days=", ".join(wrong))})
            return False
        try:
            settings.save_setting(self.ctx.db, self.ctx.user, settings.CALENDAR, value)
            settings.save_setting(self.ctx.db, self.ctx.user, settings.IDLE_LOCK_MINUTES,
                                  self.idle_spin.value())
        except ValidationError as exc:
            self.errors.show(exc)
            return False
        except AppError as exc:
            self.errors.show({"_": exc.message})
            return False
        self.saved.emit()
        return True


class SettingsPanel(QScrollArea):
    """The "Pengaturan" tab: office profile beside the calendar."""

    settingsSaved = Signal()  # noqa: N815 - Qt naming

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("settingsPanel")
        self.setWidgetResizable(True)
        inner = QWidget()
        title = QLabel(self.tr("Pengaturan Kantor"))
        title.setProperty("role", "title")
        self.profile = OfficeProfileForm(ctx)
        self.calendar = CalendarForm(ctx)
        row = QHBoxLayout()
        row.addWidget(self.profile, 1)
        row.addWidget(self.calendar, 1)
        layout = QVBoxLayout(inner)
        layout.addWidget(title)
        layout.addLayout(row)
        layout.addStretch(1)
        self.setWidget(inner)
        self.profile.saved.connect(lambda: self._saved(self.tr("Profil kantor disimpan.")))
        self.calendar.saved.connect(lambda: self._saved(self.tr("Kalender kerja disimpan.")))

    def _saved(self, text: str) -> None:
        QMessageBox.information(self, self.tr("Pengaturan"), text)
        self.settingsSaved.emit()

    def focus_search(self) -> None:
        self.profile.edits["pemerintah"].setFocus()
