"""Pengaturan Sertifikat: the administrator creates the office CA and issues signers'
certificates; every signer sees their own certificate, imports a BSrE .p12 or changes the
signing passphrase."""

from __future__ import annotations

from pathlib import Path

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
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from desktop_app.core import auth
from desktop_app.core.errors import AppError, ValidationError
from desktop_app.core.formatting import tanggal
from desktop_app.core.office_time import zone_label
from desktop_app.core.roles import ADMIN
from desktop_app.core.signing import credentials, office_ca, terms
from desktop_app.gui.context import AppContext
from desktop_app.gui.files import open_file_name


def _password_edit(placeholder: str = "") -> QLineEdit:
    edit = QLineEdit()
    edit.setEchoMode(QLineEdit.EchoMode.Password)
    edit.setPlaceholderText(placeholder)
    return edit


class _Feedback(QLabel):
    def __init__(self) -> None:
        super().__init__()
        self.setWordWrap(True)
        self.setVisible(False)

    def ok(self, text: str) -> None:
        self.setStyleSheet("color:#2e7d32;")
        self.setText(text)
        self.setVisible(True)

    def error(self, exc: Exception | str) -> None:
        if isinstance(exc, ValidationError):
            text = "; ".join(exc.errors.values())
        elif isinstance(exc, AppError):
            text = exc.message
        else:
            text = str(exc)
        self.setStyleSheet("color:#c62828;")
        self.setText(text)
        self.setVisible(True)


class SignerSetupDialog(QDialog):
    """Certificates: office CA and issuing (administrator); my certificate (everyone)."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle(self.tr("Pengaturan Sertifikat Tanda Tangan"))
        self.setMinimumWidth(620)
        self.tabs = QTabWidget()
        self.tabs.addTab(self._mine_tab(), self.tr("Sertifikat Saya"))
        if ADMIN in ctx.user.roles:
            self.tabs.addTab(self._ca_tab(), self.tr("CA Kantor"))
            self.tabs.addTab(self._issue_tab(), self.tr("Terbitkan Sertifikat"))
            self.tabs.addTab(self._revoke_tab(), self.tr("Cabut Sertifikat"))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText(self.tr("Tutup"))
        buttons.rejected.connect(self.reject)
        lay = QVBoxLayout(self)
        lay.addWidget(self.tabs)
        lay.addWidget(buttons)
        self.refresh()

    # ---------------------------------------------------------------- my certificate

    def _mine_tab(self) -> QWidget:
        w = QWidget()
        self.my_status = QLabel()
        self.my_status.setWordWrap(True)
        imp = QGroupBox(self.tr("Impor sertifikat dari luar (BSrE, .p12/.pfx)"))
        self.p12_path = QLineEdit()
        self.p12_path.setReadOnly(True)
        pick = QPushButton(self.tr("Pilih…"))
        pick.clicked.connect(self._pick_p12)
        row = QHBoxLayout()
        row.addWidget(self.p12_path, 1)
        row.addWidget(pick)
        self.p12_pass = _password_edit(self.tr("frasa sandi berkas .p12"))
        self.btn_import = QPushButton(self.tr("Impor"))
        self.btn_import.clicked.connect(self.import_p12)
        self.import_feedback = _Feedback()
        f = QFormLayout(imp)
        f.addRow(self.tr("Berkas"), row)
        f.addRow(self.tr("Frasa sandi"), self.p12_pass)
        f.addRow("", self.btn_import)
        f.addRow(self.import_feedback)

        change = QGroupBox(self.tr("Ganti frasa sandi tanda tangan"))
        self.old_pass = _password_edit()
        self.new_pass = _password_edit(self.tr("minimal 8 karakter"))
        self.new_pass2 = _password_edit()
        self.btn_change = QPushButton(self.tr("Ganti Frasa Sandi"))
        self.btn_change.clicked.connect(self.change_passphrase)
        self.change_feedback = _Feedback()
        f2 = QFormLayout(change)
        f2.addRow(self.tr("Frasa sandi lama"), self.old_pass)
        f2.addRow(self.tr("Frasa sandi baru"), self.new_pass)
        f2.addRow(self.tr("Ulangi frasa baru"), self.new_pass2)
        f2.addRow("", self.btn_change)
        f2.addRow(self.change_feedback)
        note = QLabel(self.tr(
            "Kunci privat Anda disimpan terenkripsi dengan frasa sandi tanda tangan Anda sendiri "
            "dan tidak pernah disimpan terbuka. Salah frasa sandi dihitung seperti salah kata "
            "sandi masuk."))
        note.setWordWrap(True)
        note.setStyleSheet("color:#555;")
        lay = QVBoxLayout(w)
        lay.addWidget(self.my_status)
        lay.addWidget(imp)
        lay.addWidget(change)
        lay.addWidget(note)
        lay.addStretch(1)
        return w

    def _pick_p12(self) -> None:
        name = open_file_name(self, self.tr("Pilih sertifikat"),
                              self.tr("Sertifikat PKCS#12 (*.p12 *.pfx)"))
        if name:
            self.p12_path.setText(name)

    def import_p12(self) -> None:
        path = self.p12_path.text().strip()
        if not path:
            self.import_feedback.error(self.tr("Pilih berkas .p12 dahulu."))
            return
        try:
            data = Path(path).read_bytes()
            cred = credentials.import_credential(self.ctx.db, self.ctx.user, data,
                                                 self.p12_pass.text())
        except (AppError, OSError) as exc:
            self.import_feedback.error(exc)
            return
        self.p12_pass.clear()
        self.import_feedback.ok(self.tr("Sertifikat {n} diimpor.").format(n=cred.subject_name))
        self.refresh()

    def change_passphrase(self) -> None:
        if self.new_pass.text() != self.new_pass2.text():
            self.change_feedback.error(self.tr("Frasa sandi baru tidak sama."))
            return
        try:
            credentials.change_signing_passphrase(self.ctx.db, self.ctx.user, self.old_pass.text(),
                                                  self.new_pass.text())
        except AppError as exc:
            self.change_feedback.error(exc)
            return
        for e in (self.old_pass, self.new_pass, self.new_pass2):
            e.clear()
        self.change_feedback.ok(self.tr("Frasa sandi tanda tangan diganti."))

    # ------------------------------------------------------------------- office CA

    def _ca_tab(self) -> QWidget:
        w = QWidget()
        self.ca_status = QLabel()
        self.ca_status.setWordWrap(True)
        self.ca_pass = _password_edit(self.tr("minimal 8 karakter; simpan di tempat aman"))
        self.ca_pass2 = _password_edit()
        self.ca_replace = QCheckBox(self.tr("Ganti CA yang ada (sertifikat lama tetap dapat "
                                            "diperiksa)"))
        self.btn_ca = QPushButton(self.tr("Buat CA Kantor"))
        self.btn_ca.clicked.connect(self.create_ca)
        self.ca_feedback = _Feedback()
        form = QFormLayout()
        form.addRow(self.tr("Frasa sandi CA"), self.ca_pass)
        form.addRow(self.tr("Ulangi frasa sandi"), self.ca_pass2)
        form.addRow("", self.ca_replace)
        form.addRow("", self.btn_ca)
        lay = QVBoxLayout(w)
        lay.addWidget(self.ca_status)
        lay.addLayout(form)
        lay.addWidget(self.ca_feedback)
        lay.addStretch(1)
        return w

    def create_ca(self) -> None:
        if self.ca_pass.text() != self.ca_pass2.text():
            self.ca_feedback.error(self.tr("Frasa sandi CA tidak sama."))
            return
        try:
            info = office_ca.setup_office_ca(self.ctx.db, self.ctx.user, self.ca_pass.text(),
                                             replace=self.ca_replace.isChecked())
        except AppError as exc:
            self.ca_feedback.error(exc)
            return
        self.ca_pass.clear()
        self.ca_pass2.clear()
        self.ca_feedback.ok(self.tr("CA kantor dibuat: {s}").format(s=info.subject))
        self.refresh()

    # ---------------------------------------------------------------------- issuing

    def _issue_tab(self) -> QWidget:
        w = QWidget()
        self.user_combo = QComboBox()
        self.issue_ca_pass = _password_edit(self.tr("frasa sandi CA kantor"))
        self.signer_pass = _password_edit(self.tr("frasa awal; penanda tangan menggantinya"))
        self.signer_pass2 = _password_edit()
        self.btn_issue = QPushButton(self.tr("Terbitkan Sertifikat"))
        self.btn_issue.clicked.connect(self.issue)
        self.issue_feedback = _Feedback()
        form = QFormLayout()
        form.addRow(self.tr("Pejabat"), self.user_combo)
        form.addRow(self.tr("Frasa sandi CA"), self.issue_ca_pass)
        form.addRow(self.tr("Frasa sandi penanda tangan"), self.signer_pass)
        form.addRow(self.tr("Ulangi"), self.signer_pass2)
        form.addRow("", self.btn_issue)
        # An external certificate (BSrE) for this official: only the administrator may add
        # the new root of trust it brings.
        self.btn_import_for = QPushButton(self.tr("Impor .p12 untuk pejabat ini…"))
        self.btn_import_for.clicked.connect(self.import_for_user)
        form.addRow("", self.btn_import_for)
        # Five wrong signing passphrases lock signing only; the administrator lifts it early.
        self.btn_unlock = QPushButton(self.tr("Buka Kunci Tanda Tangan"))
        self.btn_unlock.clicked.connect(self.unlock_signing)
        form.addRow("", self.btn_unlock)
        hint = QLabel(self.tr("Nama, NIP (18 digit) dan jabatan diambil dari data pengguna."))
        hint.setStyleSheet("color:#555;")
        lay = QVBoxLayout(w)
        lay.addWidget(hint)
        lay.addLayout(form)
        lay.addWidget(self.issue_feedback)
        lay.addStretch(1)
        return w

    def ask_p12(self) -> tuple[bytes, str] | None:
        """The .p12 file and its passphrase (a method so tests can answer it)."""
        from PySide6.QtWidgets import QInputDialog

        path = open_file_name(self, self.tr("Pilih sertifikat"),
                              self.tr("Sertifikat (*.p12 *.pfx)"))
        if not path:
            return None
        passphrase, ok = QInputDialog.getText(self, self.tr("Frasa sandi .p12"),
                                              self.tr("Frasa sandi berkas sertifikat:"),
                                              QLineEdit.EchoMode.Password)
        return (Path(path).read_bytes(), passphrase) if ok else None

    def import_for_user(self) -> None:
        username = self.user_combo.itemData(self.user_combo.currentIndex())
        if not username:
            self.issue_feedback.error(self.tr("Pilih pejabat."))
            return
        try:
            picked = self.ask_p12()
            if picked is None:
                return
            cred = credentials.import_credential(self.ctx.db, self.ctx.user, picked[0], picked[1],
                                                 username=str(username))
        except (AppError, OSError) as exc:
            self.issue_feedback.error(exc)
            return
        self.issue_feedback.ok(self.tr("Sertifikat {n} diimpor untuk {u}.")
                               .format(n=cred.subject_name, u=username))
        self.refresh()

    def unlock_signing(self) -> None:
        username = self.user_combo.itemData(self.user_combo.currentIndex())
        if not username:
            self.issue_feedback.error(self.tr("Pilih pejabat."))
            return
        try:
            credentials.unlock_signing(self.ctx.db, self.ctx.user, str(username))
        except AppError as exc:
            self.issue_feedback.error(exc)
            return
        self.issue_feedback.ok(self.tr("Tanda tangan {u} dapat dipakai lagi.").format(
            u=username))
        self.refresh()

    def issue(self) -> None:
        username = self.user_combo.itemData(self.user_combo.currentIndex())
        if not username:
            self.issue_feedback.error(self.tr("Pilih pejabat."))
            return
        if self.signer_pass.text() != self.signer_pass2.text():
            self.issue_feedback.error(self.tr("Frasa sandi penanda tangan tidak sama."))
            return
        try:
            cred = credentials.issue_credential(self.ctx.db, self.ctx.user,
                                                self.issue_ca_pass.text(), str(username),
                                                self.signer_pass.text())
        except AppError as exc:
            self.issue_feedback.error(exc)
            return
        for e in (self.issue_ca_pass, self.signer_pass, self.signer_pass2):
            e.clear()
        self.issue_feedback.ok(self.tr("Sertifikat {n} diterbitkan, berlaku sampai {d}.")
                               .format(n=cred.subject_name, d=tanggal(cred.not_after.date())))
        self.refresh()

    # -------------------------------------------------------------------- revoking

    def _revoke_tab(self) -> QWidget:
        from PySide6.QtWidgets import QDateTimeEdit

        from desktop_app.core.signing.pki import REVOCATION_REASONS

        w = QWidget()
        self.revoke_combo = QComboBox()
        self.revoke_reason = QComboBox()
        self.revoke_reason.addItem(self.tr("— pilih alasan —"), "")
        for code, (label, _flag) in REVOCATION_REASONS.items():
            self.revoke_reason.addItem(label, code)
        self.revoke_date = QDateTimeEdit()
        self.revoke_date.setDateTime(self.ctx.db.now())  # the program's clock (office time)
        self.revoke_date.setDisplayFormat("dd-MM-yyyy HH:mm")
        self.revoke_date.setCalendarPopup(True)
        self.revoke_ca_pass = _password_edit(self.tr("frasa sandi CA kantor"))
        self.btn_revoke = QPushButton(self.tr("Cabut Sertifikat"))
        self.btn_revoke.clicked.connect(self.revoke)
        self.btn_crl = QPushButton(self.tr("Terbitkan CRL Baru"))
        self.btn_crl.clicked.connect(self.issue_crl)
        self.revoke_feedback = _Feedback()
        self.crl_status = QLabel()
        self.crl_status.setWordWrap(True)
        form = QFormLayout()
        form.addRow(self.tr("Pejabat"), self.revoke_combo)
        form.addRow(self.tr("Alasan"), self.revoke_reason)
        form.addRow(self.tr("Berlaku sejak ({0})").format(zone_label()), self.revoke_date)
        form.addRow(self.tr("Frasa sandi CA"), self.revoke_ca_pass)
        row = QHBoxLayout()
        row.addWidget(self.btn_revoke)
        row.addWidget(self.btn_crl)
        row.addStretch(1)
        form.addRow("", row)
        hint = QLabel(self.tr(
            "Tanda tangan yang dibuat sejak tanggal pencabutan tidak sah; yang dibuat sebelumnya "
            "tetap sah. Setiap pencabutan menerbitkan daftar sertifikat dicabut (CRL) baru, "
            "disimpan di basis data dan sebagai berkas di samping cadangan."))
        hint.setWordWrap(True)
        hint.setStyleSheet("color:#555;")
        lay = QVBoxLayout(w)
        lay.addWidget(hint)
        lay.addWidget(self.crl_status)
        lay.addLayout(form)
        lay.addWidget(self.revoke_feedback)
        lay.addStretch(1)
        return w

    def revoke(self) -> None:
        from desktop_app.core.signing import revocation

        username = self.revoke_combo.itemData(self.revoke_combo.currentIndex())
        if not username:
            self.revoke_feedback.error(self.tr("Pilih pejabat yang sertifikatnya dicabut."))
            return
        when = self.revoke_date.dateTime().toPython().replace(second=0, microsecond=0)
        try:
            crl = revocation.revoke_certificate(
                self.ctx.db, self.ctx.user, self.revoke_ca_pass.text(), username=str(username),
                reason=str(self.revoke_reason.currentData() or ""), revoked_at=when)
        except AppError as exc:
            self.revoke_feedback.error(exc)
            return
        self.revoke_ca_pass.clear()
        text = self.tr("Sertifikat {u} dicabut.").format(u=username)
        if crl is not None:
            text += " " + self.tr("CRL nomor {n} diterbitkan.").format(n=crl.number)
        self.revoke_feedback.ok(text)
        self.refresh()

    def issue_crl(self) -> None:
        from desktop_app.core.signing import revocation

        try:
            crl = revocation.issue_crl(self.ctx.db, self.ctx.user, self.revoke_ca_pass.text())
        except AppError as exc:
            self.revoke_feedback.error(exc)
            return
        self.revoke_ca_pass.clear()
        self.revoke_feedback.ok(self.tr("CRL nomor {n} diterbitkan ({k} sertifikat dicabut).")
                                .format(n=crl.number, k=crl.entries))
        self.refresh()

    def _refresh_revoke_combo(self) -> None:
        from desktop_app.core.signing import revocation

        crl = revocation.latest_crl(self.ctx.db)
        if crl is None:
            self.crl_status.setText(self.tr("Belum ada CRL kantor."))
            self.crl_status.setStyleSheet("color:#c62828;")
        else:
            overdue = crl.next_update <= self.ctx.db.now()
            self.crl_status.setText(self.tr(
                "CRL terakhir: nomor {n}, diterbitkan {i}, {k} sertifikat dicabut; berlaku sampai "
                "{u}{late}.").format(
                n=crl.number, i=tanggal(crl.issued_at.date()), k=crl.entries,
                u=tanggal(crl.next_update.date()),
                late=self.tr(" — SUDAH LEWAT, terbitkan CRL baru") if overdue else ""))
            self.crl_status.setStyleSheet("color:#c62828;" if overdue else "color:#555;")
        self.revoke_combo.clear()
        self.revoke_combo.addItem(self.tr("— pilih pejabat —"), "")
        for u in auth.list_users(self.ctx.db):
            st = credentials.credential_status(self.ctx.db, u.id)
            if st.state == "none" or revocation.revocation_of_user(self.ctx.db, u.id):
                continue
            source = "impor" if st.source == "impor" else "CA kantor"
            until = tanggal(st.not_after.date()) if st.not_after else "?"
            self.revoke_combo.addItem(
                f"{u.full_name} ({u.username}) — sertifikat {source}, nomor seri "
                f"{(st.serial_hex or '')[:12]}…, berlaku s.d. {until}", u.username)

    # ---------------------------------------------------------------------- refresh

    def refresh(self) -> None:
        from desktop_app.core.signing import revocation

        status = credentials.credential_status(self.ctx.db, self.ctx.user.user_id)
        revoked = revocation.revocation_of_user(self.ctx.db, self.ctx.user.user_id)
        text = status.message
        if revoked is not None:
            text += " " + self.tr("Sertifikat ini DICABUT sejak {d} ({r}): tidak dapat dipakai "
                                  "menandatangani.").format(
                d=tanggal(revoked.revoked_at.date()),
                r=revocation.reason_label(revoked.reason))
        self.my_status.setText(text)
        self.my_status.setStyleSheet("color:#2e7d32;" if status.valid and revoked is None
                                     else "color:#c62828;")
        if ADMIN not in self.ctx.user.roles:
            return
        info = office_ca.office_ca_info(self.ctx.db)
        if info is None:
            self.ca_status.setText(self.tr("CA kantor belum dibuat. Buat sekali saat kantor "
                                           "mulai memakai tanda tangan elektronik."))
            self.ca_replace.setVisible(False)
        else:
            self.ca_status.setText(self.tr(
                "CA kantor: {s}\nBerlaku sampai {d}\nSidik jari SHA-256: {f}").format(
                s=info.subject, d=tanggal(info.not_after.date()), f=info.fingerprint_sha256))
            self.ca_replace.setVisible(True)
        self._refresh_revoke_combo()
        current = self.user_combo.itemData(self.user_combo.currentIndex()) \
            if self.user_combo.count() else None
        self.user_combo.clear()
        for u in auth.list_users(self.ctx.db):
            if not u.is_active or not set(u.roles) & terms.SIGNING_ROLES:
                continue
            st = credentials.credential_status(self.ctx.db, u.id)
            mark = {"valid": "bersertifikat", "expired": "kedaluwarsa"}.get(st.state,
                                                                           "belum ada")
            until = credentials.signing_locked_until(self.ctx.db, u.id)
            if until is not None:
                mark += self.tr(", tanda tangan terkunci s.d. {t}").format(t=f"{until:%H:%M}")
            self.user_combo.addItem(f"{u.full_name} ({u.username}) — {mark}", u.username)
        if current:
            i = self.user_combo.findData(current)
            if i >= 0:
                self.user_combo.setCurrentIndex(i)
