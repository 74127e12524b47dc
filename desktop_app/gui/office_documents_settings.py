"""Administrator settings for documents: emblem, numbering, paper, officials."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QByteArray, QSize, Qt, Signal
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from desktop_app.core import auth, settings
from desktop_app.core.documents import context as doc_context
from desktop_app.core.documents import service as docs
from desktop_app.core.documents.photo import photo_on_recommendation
from desktop_app.core.errors import AppError, ValidationError
from desktop_app.core.roles import KABID, KADIS, KASI, SEKRETARIS, role_label
from desktop_app.gui.admin.forms import FieldErrors
from desktop_app.gui.context import AppContext
from desktop_app.gui.files import open_file_name
from desktop_app.gui.keyboard import give_mnemonics
from desktop_app.gui.screen_fit import fit_to_screen

__all__ = ["OfficeDocumentsDialog", "OfficeDocumentsSettings"]

OFFICIAL_ROLES = (KADIS, SEKRETARIS, KABID, KASI)
_MIME = {".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg",
         ".svg": "image/svg+xml"}


def _pixmap(content: bytes, size: int = 96) -> QPixmap:
    pix = QPixmap()
    pix.loadFromData(QByteArray(content))
    if pix.isNull():
        return pix
    return pix.scaled(size, size, Qt.AspectRatioMode.KeepAspectRatio,
                      Qt.TransformationMode.SmoothTransformation)


class OfficeDocumentsSettings(QScrollArea):
    """Emblem, numbering, paper, paspor validity and the officials."""

    saved = Signal()

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("officeDocumentsSettings")
        self.setWidgetResizable(True)
        self.ctx = ctx
        self.errors = FieldErrors()
        self.official_errors = FieldErrors()
        self._signature: bytes | None = None
        self._officials: list[auth.UserRow] = []

        # --- emblem
        emblem_box = QGroupBox(self.tr("Lambang Daerah (kop surat)"))
        self.emblem_preview = QLabel()
        self.emblem_preview.setFixedSize(100, 100)
        self.emblem_preview.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.emblem_preview.setFrameShape(QLabel.Shape.StyledPanel)
        self.emblem_upload = QPushButton(self.tr("Unggah Lambang…"))
        self.emblem_remove = QPushButton(self.tr("Hapus Lambang"))
        self.emblem_status = QLabel()
        self.emblem_status.setWordWrap(True)
        self.emblem_upload.clicked.connect(self.choose_emblem)
        self.emblem_remove.clicked.connect(self.remove_emblem)
        col = QVBoxLayout()
        col.addWidget(self.emblem_upload)
        col.addWidget(self.emblem_remove)
        col.addWidget(self.emblem_status)
        col.addStretch(1)
        row = QHBoxLayout(emblem_box)
        row.addWidget(self.errors.wrap("lambang", self.emblem_preview))
        row.addLayout(col, 1)

        # --- numbering and paper
        number_box = QGroupBox(self.tr("Penomoran dan Kertas"))
        form = QFormLayout(number_box)
        self.letter_pattern = QLineEdit()
        self.unit = QLineEdit()
        self.ak1_pattern = QLineEdit()
        # Which agenda a letter's serial comes from (docs/numbering.md).
        self.series = QComboBox()
        self.series.setObjectName("numberingSeries")
        for code, label in docs.SERIES_CHOICES.items():
            self.series.addItem(self.tr(label), code)
        self.series.setToolTip(self.tr(
            "Per kode klasifikasi: nomor urut sendiri untuk tiap kode klasifikasi dan tahun "
            "(bawaan). Per unit: satu agenda surat keluar untuk unit pengolah per tahun. "
            "Berlaku untuk surat yang ditandatangani sesudah disimpan."))
        self.paper = QComboBox()
        self.paper.addItems(["A4", "F4"])
        self.paspor_months = QSpinBox()
        self.paspor_months.setRange(1, 24)
        self.paspor_months.setSuffix(self.tr(" bulan"))
        self.paspor_photo = QCheckBox(self.tr("Formulir rekomendasi memuat pas foto CPMI (3×4)"))
        self.paspor_photo.setObjectName("pasporPasFoto")
        self.paspor_photo.setToolTip(self.tr(
            "Bila dicentang, pas foto dari tab Lampiran dicetak di kiri atas data CPMI dan "
            "rekomendasi belum dapat dibuat sebelum foto dilampirkan."))
        self.bpjs_office = QLineEdit()
        form.addRow(self.tr("Pola nomor surat"), self.errors.wrap("letter_pattern",
                                                                   self.letter_pattern))
        form.addRow(self.tr("Kode unit pengolah"), self.errors.wrap("unit", self.unit))
        form.addRow(self.tr("Nomor urut surat"), self.errors.wrap("series", self.series))
        form.addRow(self.tr("Pola nomor AK/I"), self.errors.wrap("ak1_pattern", self.ak1_pattern))
        self.classification: dict[str, QLineEdit] = {}
        for sop in ctx.sops:
            edit = QLineEdit()
            default = next((d.classification_code for d in sop.documents
                            if d.classification_code), "500.15")
            edit.setPlaceholderText(self.tr("bawaan SOP: {c}").format(c=default))
            self.classification[sop.code] = edit
            form.addRow(self.tr("Kode klasifikasi — {s}").format(s=sop.tab_label),
                        self.errors.wrap(f"classification.{sop.code}", edit))
        form.addRow(self.tr("Kertas bawaan surat"), self.errors.wrap("paper", self.paper))
        card_note = QLabel(self.tr("Geser cetak dan stok kartu AK/I diatur per pencetak di "
                                   "jendela Cetak (tombol Kalibrasi)."))
        card_note.setWordWrap(True)
        card_note.setProperty("role", "subtitle")
        form.addRow(self.tr("Cetak kartu AK/I"), card_note)
        form.addRow(self.tr("Masa berlaku rekomendasi paspor"),
                    self.errors.wrap("paspor_valid_months", self.paspor_months))
        form.addRow(self.tr("Pas foto pada rekomendasi paspor"),
                    self.errors.wrap("paspor_pas_foto", self.paspor_photo))
        form.addRow(self.tr("Kantor Cabang BPJS Ketenagakerjaan"),
                    self.errors.wrap("kantor_cabang_bpjs", self.bpjs_office))
        self.save_button = QPushButton(self.tr("Simpan Pengaturan Dokumen"))
        self.save_button.clicked.connect(self.save)
        form.addRow("", self.save_button)

        # --- officials
        official_box = QGroupBox(self.tr("Pejabat Penanda Tangan"))
        oform = QFormLayout(official_box)
        self.official_box = QComboBox()
        self.official_box.currentIndexChanged.connect(self._load_official)
        self.official_name = QLineEdit()
        self.official_nip = QLineEdit()
        self.official_nip.setMaxLength(18)
        self.official_nip.setPlaceholderText(self.tr("18 digit"))
        self.official_pangkat = QLineEdit()
        self.official_pangkat.setPlaceholderText(self.tr("mis. Pembina / IV.a"))
        self.official_jabatan = QLineEdit()
        self.signature_preview = QLabel()
        self.signature_preview.setFixedSize(160, 64)
        self.signature_preview.setFrameShape(QLabel.Shape.StyledPanel)
        self.signature_button = QPushButton(self.tr("Gambar Tanda Tangan…"))
        self.signature_button.clicked.connect(self.choose_signature)
        self.official_save = QPushButton(self.tr("Simpan Pejabat"))
        self.official_save.clicked.connect(self.save_official)
        sig_row = QHBoxLayout()
        sig_row.addWidget(self.signature_preview)
        sig_row.addWidget(self.signature_button)
        sig_row.addStretch(1)
        oform.addRow(self.official_errors.general)
        oform.addRow(self.tr("Pejabat"), self.official_box)
        oform.addRow(self.tr("Nama lengkap"),
                     self.official_errors.wrap("full_name", self.official_name))
        oform.addRow(self.tr("NIP"), self.official_errors.wrap("nip", self.official_nip))
        oform.addRow(self.tr("Pangkat/golongan"), self.official_pangkat)
        oform.addRow(self.tr("Jabatan"), self.official_jabatan)
        oform.addRow(self.tr("Tanda tangan"), sig_row)
        oform.addRow("", self.official_save)

        inner = QWidget()
        title = QLabel(self.tr("Dokumen dan Kop Surat"))
        title.setProperty("role", "title")
        layout = QVBoxLayout(inner)
        layout.addWidget(title)
        layout.addWidget(self.errors.general)
        top = QHBoxLayout()
        left = QVBoxLayout()
        left.addWidget(emblem_box)
        left.addWidget(official_box)
        left.addStretch(1)
        top.addLayout(left, 1)
        top.addWidget(number_box, 1)
        layout.addLayout(top)
        layout.addStretch(1)
        self.setWidget(inner)
        self.load()

    # ------------------------------------------------------------------ loading

    def load(self) -> None:
        db = self.ctx.db
        numbering = settings.get_setting(db, settings.NUMBERING)
        documents = settings.get_setting(db, settings.DOCUMENTS)
        self.letter_pattern.setText(str(numbering.get("letter_pattern") or ""))
        self.unit.setText(str(numbering.get("unit") or ""))
        self.ak1_pattern.setText(str(numbering.get("ak1_pattern") or ""))
        index = self.series.findData(numbering.get("series") or docs.SERIES_CLASSIFICATION)
        self.series.setCurrentIndex(max(index, 0))
        overrides = numbering.get("classification") or {}
        for code, edit in self.classification.items():
            value = overrides.get(code)
            edit.setText(value if isinstance(value, str) else "")
        self.paper.setCurrentText(str(documents.get("paper") or "A4"))
        self.paspor_months.setValue(int(documents.get("paspor_valid_months") or 3))
        self.paspor_photo.setChecked(photo_on_recommendation(documents))
        self.bpjs_office.setText(str(documents.get("kantor_cabang_bpjs") or "Lahat"))
        self._show_emblem()
        self._officials = [u for u in auth.list_users(db)
                           if set(u.roles) & set(OFFICIAL_ROLES) and u.is_active]
        self.official_box.blockSignals(True)
        self.official_box.clear()
        for u in self._officials:
            roles = ", ".join(role_label(r) for r in u.roles if r in OFFICIAL_ROLES)
            self.official_box.addItem(f"{u.full_name} — {roles}", u.username)
        self.official_box.blockSignals(False)
        self._load_official(self.official_box.currentIndex())

    def _show_emblem(self) -> None:
        value = settings.get_setting(self.ctx.db, doc_context.EMBLEM_SETTING)
        if value and value.get("data"):
            import base64

            pix = _pixmap(base64.b64decode(value["data"]))
            self.emblem_preview.setPixmap(pix)
            self.emblem_status.setText(self.tr("Lambang: {f}").format(
                f=value.get("filename") or value.get("mime")))
        else:
            self.emblem_preview.clear()
            self.emblem_preview.setText(self.tr("(belum ada)"))
            self.emblem_status.setText(self.tr("Belum ada lambang: surat tidak dapat dibuat "
                                               "sebelum lambang diunggah."))

    def _load_official(self, index: int) -> None:
        self.official_errors.clear()
        self._signature = None
        if not 0 <= index < len(self._officials):
            for edit in (self.official_name, self.official_nip, self.official_pangkat,
                         self.official_jabatan):
                edit.clear()
            return
        u = self._officials[index]
        self.official_name.setText(u.full_name)
        self.official_nip.setText(u.nip or "")
        self.official_pangkat.setText(u.pangkat or "")
        self.official_jabatan.setText(u.jabatan or "")
        self.signature_preview.clear()
        self.signature_preview.setText(self.tr("(tidak diubah)"))

    # ------------------------------------------------------------------ saving

    def values(self) -> tuple[dict[str, object], dict[str, object]]:
        classification = {code: edit.text().strip()
                          for code, edit in self.classification.items() if edit.text().strip()}
        numbering = {"letter_pattern": self.letter_pattern.text().strip(),
                     "unit": self.unit.text().strip(),
                     "ak1_pattern": self.ak1_pattern.text().strip(),
                     "series": self.series.currentData(),
                     "classification": classification}
        documents = {"paper": self.paper.currentText(),
                     "paspor_valid_months": self.paspor_months.value(),
                     "paspor_pas_foto": self.paspor_photo.isChecked(),
                     "kantor_cabang_bpjs": self.bpjs_office.text().strip() or "Lahat"}
        return numbering, documents

    def save(self) -> bool:
        self.errors.clear()
        numbering, documents = self.values()
        if not self.errors.attempt(lambda: docs.save_document_settings(
                self.ctx.db, self.ctx.user, numbering=numbering, documents=documents)):
            return False
        self.saved.emit()
        return True

    def read_image(self, title: str) -> tuple[bytes, str, str] | None:
        path = open_file_name(
            self, title, self.tr("Gambar (*.png *.jpg *.jpeg *.svg)"))
        if not path:
            return None
        p = Path(path)
        return p.read_bytes(), _MIME.get(p.suffix.lower(), ""), p.name

    def set_emblem(self, content: bytes, mime: str, filename: str) -> bool:
        self.errors.clear()
        if not self.errors.attempt(lambda: doc_context.save_emblem(
                self.ctx.db, self.ctx.user, content, mime, filename), general="lambang"):
            return False
        self._show_emblem()
        return True

    def choose_emblem(self) -> None:
        picked = self.read_image(self.tr("Pilih Lambang Daerah"))
        if picked is not None:
            self.set_emblem(*picked)

    def remove_emblem(self) -> None:
        answer = QMessageBox.question(self, self.tr("Hapus Lambang"),
                                      self.tr("Hapus lambang dari kop surat?"))
        if answer != QMessageBox.StandardButton.Yes:
            return
        try:
            doc_context.save_emblem(self.ctx.db, self.ctx.user, None)
        except AppError as exc:
            self.errors.show({"lambang": exc.message})
            return
        self._show_emblem()

    def choose_signature(self) -> None:
        picked = self.read_image(self.tr("Pilih Gambar Tanda Tangan"))
        if picked is None:
            return
        content, mime, _name = picked
        if mime not in ("image/png", "image/jpeg", "image/svg+xml") or len(content) > 1_000_000:
            self.official_errors.show({"_": self.tr("Gambar tanda tangan harus PNG/JPG/SVG, "
                                                    "maks. 1 MB.")})
            return
        self._signature = content
        self.signature_preview.setPixmap(_pixmap(content, 60))

    def save_official(self) -> bool:
        index = self.official_box.currentIndex()
        if not 0 <= index < len(self._officials):
            return False
        self.official_errors.clear()
        u = self._officials[index]
        nip = self.official_nip.text().strip()
        if not nip:
            self.official_errors.show({"nip": self.tr("NIP wajib diisi untuk pejabat penanda "
                                                      "tangan.")})
            return False
        try:
            auth.update_profile(self.ctx.db, self.ctx.user, u.username,
                                full_name=self.official_name.text(), nip=nip,
                                pangkat=self.official_pangkat.text().strip() or None,
                                jabatan=self.official_jabatan.text().strip() or None,
                                signature_image=self._signature)
        except ValidationError as exc:
            self.official_errors.show(exc)
            return False
        except AppError as exc:
            self.official_errors.show({"_": exc.message})
            return False
        self.load()
        self.official_box.setCurrentIndex(index)
        self.saved.emit()
        return True


class OfficeDocumentsDialog(QDialog):
    """The settings above in a window of their own (menu Tanda Tangan), with "Tutup"."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Dokumen dan Kop Surat"))
        layout = QVBoxLayout(self)
        self.settings = OfficeDocumentsSettings(ctx, self)
        # Only vertical scrolling: the groups wrap to the window's width.
        self.settings.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        layout.addWidget(self.settings, 1)
        buttons = QDialogButtonBox()
        self.close_button = buttons.addButton(self.tr("T&utup"),
                                              QDialogButtonBox.ButtonRole.RejectRole)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        # Alt+S saves the settings, Alt+P the official (letters free in this window)
        give_mnemonics(self, [self.settings.save_button, self.settings.official_save])
        fit_to_screen(self, QSize(900, 700))
