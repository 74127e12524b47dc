"""First-run setup wizard: where the database is, the first administrator, kop surat, officials.

Shown when no database is configured (or the configured one has no account yet). Two ways:

* **Satu PC ini** - an SQLite file in the machine's data folder;
* **Server kantor** - the office's PostgreSQL server, with "Uji koneksi".

Then the first administrator (password twice, the program's password rules), the office
profile (the same settings as Pengaturan -> Profil Kantor and Dokumen dan Kop Surat: kop surat
fields, the emblem) and the signing officials (accounts with a first password to hand over).
A database that already has accounts (the second PC of an office) skips straight to the end.
Demo data is never offered: ``--demo`` has its own database.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from PySide6.QtCore import QSize, Qt
from PySide6.QtWidgets import (
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QScrollArea,
    QSpinBox,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)
from sqlalchemy.engine import URL

from desktop_app.core import config, first_run, server
from desktop_app.core.errors import AppError
from desktop_app.gui.admin.forms import FieldErrors
from desktop_app.gui.files import open_file_name
from desktop_app.gui.screen_fit import fit_to_screen
from desktop_app.gui.splash import run_with_progress

log = logging.getLogger(__name__)

PAGE_MODE, PAGE_LOCAL, PAGE_SERVER, PAGE_ADMIN, PAGE_PROFILE, PAGE_OFFICIALS, PAGE_DONE = range(7)
TITLE = "Penyiapan Layanan Bidang Tenaga Kerja"
_MIME = {".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg",
         ".svg": "image/svg+xml"}


def _message(label: QLabel, text: str, ok: bool) -> None:
    label.setText(text)
    label.setProperty("role", "message-ok" if ok else "message-error")
    label.style().unpolish(label)
    label.style().polish(label)
    label.setVisible(bool(text))


class ModePage(QWizardPage):
    def __init__(self) -> None:
        super().__init__()
        self.setTitle(self.tr("Di mana data kantor disimpan?"))
        self.setSubTitle(self.tr("Pilihan ini dapat diubah kemudian oleh pengelola TI."))
        self.local = QRadioButton(self.tr("Satu PC ini"))
        self.server = QRadioButton(self.tr("Server kantor (PostgreSQL)"))
        self.local.setChecked(True)
        local_help = QLabel(self.tr("Semua data disimpan di komputer ini. Cocok bila hanya satu "
                                    "PC yang dipakai. Program membuat cadangan otomatis setiap "
                                    "hari."))
        server_help = QLabel(self.tr("Beberapa PC bekerja pada satu basis data di server "
                                     "kantor. Pengelola TI menyiapkan server terlebih dahulu "
                                     "(lihat panduan server)."))
        layout = QVBoxLayout(self)
        for radio, help_label in ((self.local, local_help), (self.server, server_help)):
            help_label.setWordWrap(True)
            help_label.setContentsMargins(24, 0, 0, 12)
            layout.addWidget(radio)
            layout.addWidget(help_label)
        layout.addStretch(1)

    def nextId(self) -> int:  # noqa: N802 - Qt override
        return PAGE_SERVER if self.server.isChecked() else PAGE_LOCAL


class LocalPage(QWizardPage):
    def __init__(self, wizard: SetupWizard) -> None:
        super().__init__()
        self.w = wizard
        self.setTitle(self.tr("Satu PC ini"))
        self.path_label = QLabel()
        self.path_label.setWordWrap(True)
        self.path_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.status.hide()
        layout = QVBoxLayout(self)
        layout.addWidget(self.path_label)
        layout.addWidget(self.status)
        layout.addStretch(1)

    def initializePage(self) -> None:  # noqa: N802
        path = self.w.loc.local_database_path()
        self.path_label.setText(self.tr("Basis data akan disimpan di:\n{path}").format(path=path))
        self.status.hide()

    def validatePage(self) -> bool:  # noqa: N802
        url = f"sqlite:///{self.w.loc.local_database_path()}"
        return self.w.use_database(url, self.status)

    def nextId(self) -> int:  # noqa: N802
        return self.w.after_database()


class ServerPage(QWizardPage):
    def __init__(self, wizard: SetupWizard) -> None:
        super().__init__()
        self.w = wizard
        self.setTitle(self.tr("Server kantor"))
        self.setSubTitle(self.tr("Isi alamat server dari pengelola TI, lalu tekan Uji koneksi."))
        self.host = QLineEdit()
        self.host.setPlaceholderText(self.tr("mis. server-kantor atau 192.168.1.10"))
        self.port = QSpinBox()
        self.port.setRange(1, 65535)
        self.port.setValue(5432)
        self.database = QLineEdit("layanan")
        self.user = QLineEdit("ltk_app")
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.test_button = QPushButton(self.tr("Uji koneksi"))
        self.test_button.clicked.connect(self.test_connection)
        self.result = QLabel()
        self.result.setWordWrap(True)
        self.result.setObjectName("connectionResult")
        self.result.hide()
        self.errors = FieldErrors()
        form = QFormLayout(self)
        form.addRow(self.tr("Server"), self.errors.wrap("host", self.host))
        form.addRow(self.tr("Port"), self.port)
        form.addRow(self.tr("Basis data"), self.errors.wrap("database", self.database))
        form.addRow(self.tr("Pengguna"), self.errors.wrap("user", self.user))
        form.addRow(self.tr("Kata sandi"), self.password)
        form.addRow("", self.test_button)
        form.addRow("", self.result)
        for edit in (self.host, self.database, self.user, self.password):
            edit.textChanged.connect(self.result.hide)

    def url(self) -> str | None:
        self.errors.clear()
        missing = {name: self.tr("Wajib diisi.") for name, edit in
                   (("host", self.host), ("database", self.database), ("user", self.user))
                   if not edit.text().strip()}
        if missing:
            self.errors.show(missing)
            return None
        return URL.create("postgresql", username=self.user.text().strip(),
                          password=self.password.text() or None, host=self.host.text().strip(),
                          port=self.port.value(), database=self.database.text().strip()
                          ).render_as_string(hide_password=False)

    def test_connection(self) -> server.ConnectionCheck | None:
        url = self.url()
        if url is None:
            return None
        check = run_with_progress(TITLE, self.tr("Menghubungi server…"),
                                  lambda _p: server.check_connection(url), self)
        _message(self.result, check.message, check.usable)
        return check

    def validatePage(self) -> bool:  # noqa: N802
        check = self.test_connection()
        if check is None or not check.usable:
            return False
        return self.w.use_database(self.url() or "", self.result)

    def nextId(self) -> int:  # noqa: N802
        return self.w.after_database()


class AdminPage(QWizardPage):
    def __init__(self, wizard: SetupWizard) -> None:
        super().__init__()
        self.w = wizard
        self.setTitle(self.tr("Administrator pertama"))
        self.setSubTitle(self.tr("Akun ini mengelola pengguna dan pengaturan. Kata sandi minimal "
                                 "8 karakter."))
        self.errors = FieldErrors()
        self.full_name = QLineEdit()
        self.username = QLineEdit("admin")
        self.password = QLineEdit()
        self.password_again = QLineEdit()
        for edit in (self.password, self.password_again):
            edit.setEchoMode(QLineEdit.EchoMode.Password)
        form = QFormLayout(self)
        form.addRow(self.errors.general)
        form.addRow(self.tr("Nama lengkap"), self.errors.wrap("full_name", self.full_name))
        form.addRow(self.tr("Nama pengguna"), self.errors.wrap("username", self.username))
        form.addRow(self.tr("Kata sandi"), self.errors.wrap("password", self.password))
        form.addRow(self.tr("Ulangi kata sandi"),
                    self.errors.wrap("password_again", self.password_again))

    def validatePage(self) -> bool:  # noqa: N802
        if self.w.admin is not None:
            return True  # created already; Back then Next must not try twice
        return self.errors.attempt(self._create)

    def _create(self) -> None:
        self.w.admin = first_run.create_first_admin(
            self.w.db, username=self.username.text().strip(),
            full_name=self.full_name.text(), password=self.password.text(),
            password_again=self.password_again.text())

    def nextId(self) -> int:  # noqa: N802
        return PAGE_PROFILE


class ProfilePage(QWizardPage):
    """The kop surat: the same settings the administrator's panels edit."""

    def __init__(self, wizard: SetupWizard) -> None:
        super().__init__()
        self.w = wizard
        self.form: Any = None
        self.scroll: Any = None
        self.setTitle(self.tr("Profil kantor (kop surat)"))
        self.setSubTitle(self.tr("Dicetak di kepala setiap surat. Dapat diubah kemudian di "
                                 "Pengaturan."))
        self.errors = FieldErrors()
        self.emblem_preview = QLabel()
        self.emblem_preview.setFixedSize(56, 56)
        self.emblem_preview.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.emblem_label = QLabel(self.tr("(belum ada lambang: surat belum dapat dibuat)"))
        self.emblem_button = QPushButton(self.tr("Pilih Lambang Daerah…"))
        self.emblem_button.clicked.connect(self.choose_emblem)
        row = QHBoxLayout()
        row.addWidget(self.emblem_button)
        row.addWidget(self.emblem_preview)
        row.addWidget(self.errors.wrap("lambang", self.emblem_label), 1)
        self.layout_ = QVBoxLayout(self)
        self.layout_.addLayout(row)

    def initializePage(self) -> None:  # noqa: N802
        if self.form is not None and self.form.ctx.db is not self.w.db:
            self.scroll.deleteLater()  # the person went back and chose another database
            self.form = None
        if self.form is None:
            from desktop_app.gui.admin.settings import OfficeProfileForm

            self.form = OfficeProfileForm(self.w.context())
            self.form.save_button.hide()
            # Scrolls on a small screen (1366 x 768 at 125 % leaves 543 px for the wizard).
            self.scroll = QScrollArea()
            self.scroll.setWidgetResizable(True)
            self.scroll.setFrameShape(QScrollArea.Shape.NoFrame)
            self.scroll.setWidget(self.form)
            self.layout_.insertWidget(0, self.scroll, 1)

    def set_emblem(self, content: bytes, mime: str, filename: str) -> bool:
        from desktop_app.core.documents import context as doc_context

        self.errors.clear()
        ok = self.errors.attempt(lambda: doc_context.save_emblem(
            self.w.db, self.w.admin, content, mime, filename), general="lambang")
        if ok:
            from PySide6.QtCore import QByteArray
            from PySide6.QtGui import QPixmap

            pix = QPixmap()
            pix.loadFromData(QByteArray(content))
            if not pix.isNull():
                self.emblem_preview.setPixmap(pix.scaled(
                    52, 52, Qt.AspectRatioMode.KeepAspectRatio,
                    Qt.TransformationMode.SmoothTransformation))
            self.emblem_label.setText(self.tr("Lambang: {f}").format(f=filename))
        return ok

    def choose_emblem(self) -> None:
        path = open_file_name(self, self.tr("Pilih Lambang Daerah"),
                              self.tr("Gambar (*.png *.jpg *.jpeg *.svg)"))
        if path:
            p = Path(path)
            self.set_emblem(p.read_bytes(), _MIME.get(p.suffix.lower(), ""), p.name)

    def validatePage(self) -> bool:  # noqa: N802
        return bool(self.form and self.form.save())


class OfficialsPage(QWizardPage):
    """Kepala Dinas and Kepala Bidang: name, NIP, rank and position printed under signatures."""

    def __init__(self, wizard: SetupWizard) -> None:
        super().__init__()
        self.w = wizard
        self.setTitle(self.tr("Pejabat penanda tangan"))
        self.setSubTitle(self.tr("Setiap pejabat mendapat akun dengan kata sandi awal yang "
                                 "ditampilkan di halaman terakhir. Kosongkan nama untuk mengisi "
                                 "nanti."))
        self.errors = FieldErrors()
        self.edits: dict[str, dict[str, QLineEdit]] = {}
        layout = QVBoxLayout(self)
        layout.addWidget(self.errors.general)
        for role, title in first_run.OFFICIALS:
            box = QGroupBox(self.tr(title))
            form = QFormLayout(box)
            edits = {"full_name": QLineEdit(), "nip": QLineEdit(), "pangkat": QLineEdit(),
                     "jabatan": QLineEdit(title), "username": QLineEdit(role)}
            edits["nip"].setMaxLength(18)
            edits["nip"].setPlaceholderText(self.tr("18 digit"))
            edits["pangkat"].setPlaceholderText(self.tr("mis. Pembina Utama Muda / IV.c"))
            labels = {"full_name": "Nama lengkap", "nip": "NIP", "pangkat": "Pangkat/golongan",
                      "jabatan": "Jabatan", "username": "Nama pengguna"}
            for key, edit in edits.items():
                form.addRow(self.tr(labels[key]), self.errors.wrap(f"{role}.{key}", edit))
            self.edits[role] = edits
            layout.addWidget(box)
        layout.addStretch(1)

    def officials(self) -> list[first_run.Official]:
        return [first_run.Official(role=role, **{k: e.text().strip() for k, e in edits.items()})
                for role, edits in self.edits.items()]

    def validatePage(self) -> bool:  # noqa: N802
        if self.w.officials_created is not None:
            return True
        return self.errors.attempt(self._create)

    def _create(self) -> None:
        self.w.officials_created = first_run.create_officials(self.w.db, self.w.admin,
                                                              self.officials())


class DonePage(QWizardPage):
    def __init__(self, wizard: SetupWizard) -> None:
        super().__init__()
        self.w = wizard
        self.setTitle(self.tr("Selesai"))
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.summary.setObjectName("setupSummary")
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addStretch(1)

    def initializePage(self) -> None:  # noqa: N802
        from html import escape

        lines = [self.tr("Basis data: {d}").format(d=escape(config.describe(self.w.url or ""))),
                 self.tr("Konfigurasi: {p}").format(p=escape(str(self.w.config_path or "-")))]
        if self.w.admin is not None:
            lines.append(self.tr("Administrator: <b>{u}</b>").format(
                u=escape(self.w.admin.username)))
        else:
            lines.append(self.tr("Basis data ini sudah mempunyai pengguna: masuk dengan akun "
                                 "Anda."))
        for official, password in self.w.officials_created or []:
            lines.append(self.tr("{name}: nama pengguna <b>{u}</b>, kata sandi awal "
                                 "<b>{p}</b>").format(name=escape(official.full_name),
                                                      u=escape(official.username), p=password))
        if self.w.officials_created:
            lines.append(self.tr("Catat kata sandi awal di atas dan serahkan kepada pejabatnya; "
                                 "kata sandi ini tidak ditampilkan lagi. Tanda tangan elektronik "
                                 "pejabat disiapkan kemudian di menu Tanda Tangan."))
        lines.append(self.tr("Tekan Selesai untuk masuk."))
        self.summary.setText("<br><br>".join(lines))


class SetupWizard(QWizard):
    """The whole first run; afterwards ``db`` is open and ``url`` is saved."""

    def __init__(self, loc: config.Locations | None = None, *, configured_url: str | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr(TITLE))
        self.setObjectName("setupWizard")
        self.setWizardStyle(QWizard.WizardStyle.ModernStyle)
        self.setOption(QWizard.WizardOption.NoCancelButtonOnLastPage, True)
        self.setButtonText(QWizard.WizardButton.NextButton, self.tr("Lanjut >"))
        self.setButtonText(QWizard.WizardButton.BackButton, self.tr("< Kembali"))
        self.setButtonText(QWizard.WizardButton.FinishButton, self.tr("Selesai"))
        self.setButtonText(QWizard.WizardButton.CancelButton, self.tr("Batal"))
        self.loc = loc or config.Locations.from_platform()
        self.url: str | None = None
        self.config_path: Path | None = None
        self.db: Any = None
        self.admin: Any = None
        self.officials_created: list[tuple[first_run.Official, str]] | None = None
        self.mode_page = ModePage()
        self.local_page = LocalPage(self)
        self.server_page = ServerPage(self)
        self.admin_page = AdminPage(self)
        self.profile_page = ProfilePage(self)
        self.officials_page = OfficialsPage(self)
        self.done_page = DonePage(self)
        for page_id, page in ((PAGE_MODE, self.mode_page), (PAGE_LOCAL, self.local_page),
                              (PAGE_SERVER, self.server_page), (PAGE_ADMIN, self.admin_page),
                              (PAGE_PROFILE, self.profile_page),
                              (PAGE_OFFICIALS, self.officials_page), (PAGE_DONE, self.done_page)):
            self.setPage(page_id, page)
        if configured_url is not None:
            # The database is chosen already (installer, admin configure) but has no account.
            self.url = configured_url
            self.setStartId(PAGE_ADMIN)
        fit_to_screen(self, QSize(640, 560))

    def context(self) -> Any:
        from desktop_app.core.sop import load_sops
        from desktop_app.gui.context import AppContext

        return AppContext(db=self.db, sops=load_sops(), actor=self.admin)

    def after_database(self) -> int:
        return PAGE_DONE if self.db is not None and first_run.has_users(self.db) else PAGE_ADMIN

    def use_database(self, url: str, status: QLabel) -> bool:
        """Open (create or upgrade) the database at ``url`` and save it as the configuration;
        on any failure say why under the page and change nothing."""
        from desktop_app.core.db import open_database

        if self.db is not None and self.url == url:
            return True
        check = run_with_progress(TITLE, self.tr("Memeriksa basis data…"),
                                  lambda _p: server.check_connection(url), self)
        if not check.usable:
            _message(status, check.message, False)
            return False
        try:
            db = run_with_progress(TITLE, self.tr("Menyiapkan basis data…"),
                                   lambda _p: open_database(url), self)
        except AppError as exc:
            _message(status, exc.message, False)
            return False
        except Exception:  # noqa: BLE001 - the reason goes to the log, a sentence to the page
            log.exception("opening %s failed", config.describe(url))
            _message(status, self.tr("Basis data tidak dapat disiapkan (mis. pengguna ini tidak "
                                     "berhak membuat tabel: minta pengelola TI menjalankan "
                                     "'admin init-server'). Rincian ada di log."), False)
            return False
        try:
            self.config_path = self._save(url)
        except OSError:
            log.exception("saving the configuration failed")
            db.dispose()
            _message(status, self.tr("Konfigurasi tidak dapat disimpan di komputer ini."), False)
            return False
        if self.db is not None:
            self.db.dispose()
        self.db, self.url = db, url
        # Another database: what was made on the previous one does not exist here.
        self.admin, self.officials_created = None, None
        return True

    def _save(self, url: str) -> Path:
        """The machine's configuration when this account may write it (IT, or a folder the
        installer opened), else this user's own."""
        try:
            return config.save_connection(url, config.MACHINE, loc=self.loc)
        except PermissionError:
            return config.save_connection(url, config.USER, loc=self.loc)

    def attach(self, db: Any) -> None:
        """Start at the administrator page on an already open (empty) database."""
        self.db = db

