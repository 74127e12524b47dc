"""User management for the administrator: accounts, roles, passwords, delegations (Plh./Plt.)."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate, QLocale, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop_app.core import auth
from desktop_app.core.errors import AppError, ValidationError
from desktop_app.core.formatting import format_nip
from desktop_app.core.roles import ROLE_LABELS, role_label
from desktop_app.gui.admin.forms import FieldErrors, save_cancel_buttons
from desktop_app.gui.context import AppContext
from desktop_app.gui.date_input import DateInput

ID_LOCALE = QLocale(QLocale.Language.Indonesian, QLocale.Country.Indonesia)


def _qdate(d: date) -> QDate:
    return QDate(d.year, d.month, d.day)


def _pydate(q: QDate) -> date:
    return date(q.year(), q.month(), q.day())


class UserFormDialog(QDialog):
    """Create an account, or (with ``user``) edit name, NIP, rank, position and roles."""

    def __init__(self, ctx: AppContext, user: auth.UserRow | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.user = user
        self.saved_user_id: int | None = None
        self.setWindowTitle(self.tr("Pengguna Baru") if user is None
                            else self.tr("Ubah Pengguna {username}").format(username=user.username))
        self.errors = FieldErrors()
        self.username_edit = QLineEdit(user.username if user else "")
        self.username_edit.setReadOnly(user is not None)
        self.username_edit.setMaxLength(64)
        self.full_name_edit = QLineEdit(user.full_name if user else "")
        self.nip_edit = QLineEdit(user.nip or "" if user else "")
        self.nip_edit.setPlaceholderText(self.tr("18 digit, kosongkan bila bukan ASN"))
        self.pangkat_edit = QLineEdit(user.pangkat or "" if user else "")
        self.jabatan_edit = QLineEdit(user.jabatan or "" if user else "")
        self.password_edit = QLineEdit()
        self.password_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.password2_edit = QLineEdit()
        self.password2_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.role_checks: dict[str, QCheckBox] = {}
        roles_box = QGroupBox(self.tr("Peran"))
        grid = QGridLayout(roles_box)
        for i, (code, label) in enumerate(ROLE_LABELS.items()):
            check = QCheckBox(label)
            check.setChecked(bool(user and code in user.roles))
            self.role_checks[code] = check
            grid.addWidget(check, i // 2, i % 2)

        form = QFormLayout()
        form.addRow(self.tr("Nama pengguna"), self.errors.wrap("username", self.username_edit))
        form.addRow(self.tr("Nama lengkap"), self.errors.wrap("full_name", self.full_name_edit))
        form.addRow(self.tr("NIP"), self.errors.wrap("nip", self.nip_edit))
        form.addRow(self.tr("Pangkat / golongan"), self.pangkat_edit)
        form.addRow(self.tr("Jabatan"), self.jabatan_edit)
        if user is None:
            form.addRow(self.tr("Kata sandi"), self.errors.wrap("password", self.password_edit))
            form.addRow(self.tr("Ulangi kata sandi"),
                        self.errors.wrap("password2", self.password2_edit))
        buttons = save_cancel_buttons(self, self.save)
        layout = QVBoxLayout(self)
        layout.addWidget(self.errors.general)
        layout.addLayout(form)
        layout.addWidget(self.errors.wrap("roles", roles_box))
        layout.addWidget(buttons)
        self.resize(560, self.sizeHint().height())

    def selected_roles(self) -> list[str]:
        return [code for code, check in self.role_checks.items() if check.isChecked()]

    def save(self) -> bool:
        """Write through the services; on a validation error show it at the field and stay."""
        self.errors.clear()
        db, actor = self.ctx.db, self.ctx.user
        try:
            if self.user is None:
                if self.password_edit.text() != self.password2_edit.text():
                    self.errors.show({"password2": self.tr("Kata sandi tidak sama.")})
                    return False
                self.saved_user_id = auth.create_user(
                    db, actor, username=self.username_edit.text().strip(),
                    full_name=self.full_name_edit.text(), password=self.password_edit.text(),
                    roles=self.selected_roles(), nip=self.nip_edit.text().strip() or None,
                    pangkat=self.pangkat_edit.text().strip() or None,
                    jabatan=self.jabatan_edit.text().strip() or None)
            else:
                roles = self.selected_roles()
                if not roles:  # checked before anything is written
                    self.errors.show({"roles": self.tr("Pilih sedikitnya satu peran.")})
                    return False
                auth.update_profile(db, actor, self.user.username,
                                    full_name=self.full_name_edit.text(),
                                    nip=self.nip_edit.text().strip() or None,
                                    pangkat=self.pangkat_edit.text().strip() or None,
                                    jabatan=self.jabatan_edit.text().strip() or None)
                if set(roles) != set(self.user.roles):
                    auth.set_roles(db, actor, self.user.username, roles)
                self.saved_user_id = self.user.id
        except ValidationError as exc:
            self.errors.show(exc)
            return False
        except AppError as exc:
            self.errors.show({"_": exc.message})
            return False
        self.accept()
        return True


class PasswordDialog(QDialog):
    """Set a new password for a user (the account is unlocked too)."""

    def __init__(self, ctx: AppContext, username: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.username = username
        self.setWindowTitle(self.tr("Reset Kata Sandi {username}").format(username=username))
        self.errors = FieldErrors()
        self.password_edit = QLineEdit()
        self.password_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.password2_edit = QLineEdit()
        self.password2_edit.setEchoMode(QLineEdit.EchoMode.Password)
        form = QFormLayout()
        form.addRow(self.tr("Kata sandi baru"), self.errors.wrap("password", self.password_edit))
        form.addRow(self.tr("Ulangi kata sandi"),
                    self.errors.wrap("password2", self.password2_edit))
        buttons = save_cancel_buttons(self, self.save)
        layout = QVBoxLayout(self)
        layout.addWidget(self.errors.general)
        layout.addLayout(form)
        layout.addWidget(buttons)
        self.resize(420, self.sizeHint().height())

    def save(self) -> bool:
        self.errors.clear()
        if self.password_edit.text() != self.password2_edit.text():
            self.errors.show({"password2": self.tr("Kata sandi tidak sama.")})
            return False
        try:
            auth.reset_password(self.ctx.db, self.ctx.user, self.username,
                                self.password_edit.text())
        except ValidationError as exc:
            self.errors.show(exc)
            return False
        except AppError as exc:
            self.errors.show({"_": exc.message})
            return False
        self.accept()
        return True


class DelegationDialog(QDialog):
    """A head hands their lanes to a deputy (Plh./Plt.) for a date range."""

    def __init__(self, ctx: AppContext, users: list[auth.UserRow],
                 from_username: str | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.delegation_id: int | None = None
        self.setWindowTitle(self.tr("Pelimpahan Wewenang (Plh./Plt.)"))
        self.errors = FieldErrors()
        self.from_combo = QComboBox()
        self.to_combo = QComboBox()
        for u in users:
            if not u.is_active:
                continue
            text = f"{u.full_name} ({u.username})"
            self.from_combo.addItem(text, u.username)
            self.to_combo.addItem(text, u.username)
        if from_username:
            self.from_combo.setCurrentIndex(max(0, self.from_combo.findData(from_username)))
        self.kind_combo = QComboBox()
        self.kind_combo.addItem(self.tr("Plh. (Pelaksana Harian)"), "Plh.")
        self.kind_combo.addItem(self.tr("Plt. (Pelaksana Tugas)"), "Plt.")
        today = ctx.db.now().date()
        self.starts_edit = self._date(today)
        self.ends_edit = self._date(today)
        self.note_edit = QLineEdit()
        form = QFormLayout()
        form.addRow(self.tr("Pejabat"), self.errors.wrap("from_username", self.from_combo))
        form.addRow(self.tr("Dilimpahkan kepada"), self.errors.wrap("to_username", self.to_combo))
        form.addRow(self.tr("Jenis"), self.errors.wrap("kind", self.kind_combo))
        form.addRow(self.tr("Mulai"), self.errors.wrap("starts_on", self.starts_edit))
        form.addRow(self.tr("Sampai"), self.errors.wrap("ends_on", self.ends_edit))
        form.addRow(self.tr("Keterangan"), self.note_edit)
        buttons = save_cancel_buttons(self, self.save)
        layout = QVBoxLayout(self)
        layout.addWidget(self.errors.general)
        layout.addLayout(form)
        layout.addWidget(buttons)
        self.resize(520, self.sizeHint().height())

    @staticmethod
    def _date(d: date) -> DateInput:
        edit = DateInput()  # typed ddmmyyyy, F4/Alt+Down calendar, Tab moves on
        edit.setDate(_qdate(d))
        return edit

    def save(self) -> bool:
        self.errors.clear()
        try:
            self.delegation_id = auth.add_delegation(
                self.ctx.db, self.ctx.user, from_username=self.from_combo.currentData(),
                to_username=self.to_combo.currentData(),
                starts_on=_pydate(self.starts_edit.date()),
                ends_on=_pydate(self.ends_edit.date()), kind=self.kind_combo.currentData(),
                note=self.note_edit.text().strip())
        except ValidationError as exc:
            self.errors.show(exc)
            return False
        except AppError as exc:
            self.errors.show({"_": exc.message})
            return False
        self.accept()
        return True


class UsersPanel(QWidget):
    """The "Pengguna" tab: the account list and what an administrator does with it."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setObjectName("usersPanel")
        self.users: list[auth.UserRow] = []
        title = QLabel(self.tr("Pengguna"))
        title.setProperty("role", "title")
        self.search_edit = QLineEdit()
        self.search_edit.setPlaceholderText(self.tr("Saring nama atau nama pengguna (Ctrl+F)"))
        self.search_edit.setClearButtonEnabled(True)
        self.search_edit.setMinimumWidth(320)
        self.table = QTableWidget(0, 6)
        self.table.setHorizontalHeaderLabels([
            self.tr("Nama pengguna"), self.tr("Nama lengkap"), self.tr("NIP"),
            self.tr("Jabatan"), self.tr("Peran"), self.tr("Status")])
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.add_button = QPushButton(self.tr("&Tambah…"))
        self.edit_button = QPushButton(self.tr("&Ubah Data && Peran…"))
        self.password_button = QPushButton(self.tr("&Reset Kata Sandi…"))
        self.active_button = QPushButton(self.tr("&Nonaktifkan"))
        self.delegation_button = QPushButton(self.tr("&Pelimpahan Plh./Plt.…"))
        buttons = QHBoxLayout()
        for b in (self.add_button, self.edit_button, self.password_button, self.active_button,
                  self.delegation_button):
            buttons.addWidget(b)
        buttons.addStretch(1)
        top = QHBoxLayout()
        top.addWidget(title)
        top.addStretch(1)
        top.addWidget(self.search_edit)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 4)
        layout.addLayout(top)
        layout.addLayout(buttons)
        layout.addWidget(self.table, 1)
        self.add_button.clicked.connect(self.add_user)
        self.edit_button.clicked.connect(self.edit_user)
        self.password_button.clicked.connect(self.reset_password)
        self.active_button.clicked.connect(self.toggle_active)
        self.delegation_button.clicked.connect(self.add_delegation)
        self.table.itemSelectionChanged.connect(self._update_buttons)
        self.table.doubleClicked.connect(lambda _i: self.edit_user())
        self.search_edit.textChanged.connect(self._filter)
        self.refresh()

    def refresh(self) -> None:
        selected = self.selected_user()
        self.users = auth.list_users(self.ctx.db)
        now = self.ctx.db.now()
        self.table.setRowCount(len(self.users))
        for row, u in enumerate(self.users):
            if not u.is_active:
                status = self.tr("Nonaktif")
            elif u.locked_until and u.locked_until > now:
                status = self.tr("Terkunci s.d. {time}").format(time=f"{u.locked_until:%H:%M}")
            else:
                status = self.tr("Aktif")
            values = (u.username, u.full_name, format_nip(u.nip) if u.nip else "",
                      u.jabatan or "", ", ".join(role_label(r) for r in u.roles), status)
            for col, text in enumerate(values):
                item = QTableWidgetItem(text)
                item.setData(Qt.ItemDataRole.UserRole, u.username)
                if not u.is_active:
                    item.setForeground(Qt.GlobalColor.gray)
                self.table.setItem(row, col, item)
        if selected:
            self.select(selected.username)
        self._filter(self.search_edit.text())
        self._update_buttons()

    def _filter(self, text: str) -> None:
        text = text.strip().lower()
        for row, u in enumerate(self.users):
            hidden = bool(text) and text not in u.username.lower() \
                and text not in u.full_name.lower()
            self.table.setRowHidden(row, hidden)

    def focus_search(self) -> None:
        self.search_edit.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def select(self, username: str) -> None:
        for row, u in enumerate(self.users):
            if u.username == username:
                self.table.selectRow(row)
                return

    def selected_user(self) -> auth.UserRow | None:
        rows = self.table.selectionModel().selectedRows() if self.table.selectionModel() else []
        if not rows:
            return None
        row = rows[0].row()
        return self.users[row] if 0 <= row < len(self.users) else None

    def _update_buttons(self) -> None:
        u = self.selected_user()
        for b in (self.edit_button, self.password_button, self.active_button):
            b.setEnabled(u is not None)
        self.active_button.setText(self.tr("&Aktifkan") if u is not None and not u.is_active
                                   else self.tr("&Nonaktifkan"))

    def add_user(self) -> None:
        dialog = UserFormDialog(self.ctx, None, self)
        if dialog.exec():
            self.refresh()
            self.select(dialog.username_edit.text().strip())

    def edit_user(self) -> None:
        u = self.selected_user()
        if u is None:
            return
        if UserFormDialog(self.ctx, u, self).exec():
            self.refresh()

    def reset_password(self) -> None:
        u = self.selected_user()
        if u is None:
            return
        if PasswordDialog(self.ctx, u.username, self).exec():
            QMessageBox.information(self, self.tr("Kata sandi"), self.tr(
                "Kata sandi {username} telah diganti dan akunnya dibuka.").format(
                username=u.username))
            self.refresh()

    def toggle_active(self) -> None:
        u = self.selected_user()
        if u is None:
            return
        if u.is_active:
            answer = QMessageBox.question(self, self.tr("Nonaktifkan pengguna"), self.tr(
                "Nonaktifkan akun {name} ({username})? Ia tidak dapat masuk lagi sampai "
                "diaktifkan kembali.").format(name=u.full_name, username=u.username))
            if answer != QMessageBox.StandardButton.Yes:
                return
        try:
            auth.set_active(self.ctx.db, self.ctx.user, u.username, not u.is_active)
        except AppError as exc:
            message = "\n".join(exc.errors.values()) if isinstance(exc, ValidationError) \
                else exc.message
            QMessageBox.warning(self, self.tr("Tidak dapat dilanjutkan"), message)
        self.refresh()

    def add_delegation(self) -> None:
        u = self.selected_user()
        dialog = DelegationDialog(self.ctx, self.users, u.username if u else None, self)
        if dialog.exec():
            QMessageBox.information(self, self.tr("Pelimpahan"),
                                    self.tr("Pelimpahan wewenang disimpan."))
