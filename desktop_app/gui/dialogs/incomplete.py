"""Declare a file incomplete (tidak lengkap): list what is missing and ask for a note."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QLabel, QListWidget, QWidget

from desktop_app.gui.dialogs.base import ActionDialog


class IncompleteDialog(ActionDialog):
    """Shows the unchecked requirements; the note (required) goes back to the applicant."""

    def __init__(self, missing: list[str], parent: QWidget | None = None) -> None:
        super().__init__(self.tr("Berkas Tidak Lengkap"), self.tr("Kembalikan ke Pemohon"),
                         self.tr("Berkas dikembalikan kepada pemohon untuk dilengkapi. "
                                 "Persyaratan yang belum dicentang:"), parent)
        self.missing = list(missing)
        self.missing_list = QListWidget()
        if missing:
            self.missing_list.addItems(["• " + m for m in missing])
        else:
            self.missing_list.addItem(self.tr("(semua persyaratan sudah dicentang)"))
        self.missing_list.setFixedHeight(min(150, 24 * max(1, len(missing)) + 8))
        self.form.addRow(QLabel(self.tr("Belum ada")), self.missing_list)
        default = ""
        if missing:
            default = self.tr("Mohon dilengkapi: {items}.").format(items=", ".join(missing))
        self.note = self.text_box(90, self.tr("Catatan untuk pemohon"))
        self.note.setPlainText(default)
        self.add_field("alasan", self.tr("Catatan *"), self.note)

    def check(self) -> dict[str, str]:
        if not self.note.toPlainText().strip():
            return {"alasan": self.tr("Catatan wajib diisi.")}
        return {}

    def act_kwargs(self) -> dict[str, Any]:
        return {"reason": self.note.toPlainText().strip()}
