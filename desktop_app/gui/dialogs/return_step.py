"""Return a case to an earlier step (kembalikan): choose the step and give the reason."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtWidgets import QComboBox, QWidget

from desktop_app.core.sop import Sop
from desktop_app.gui.dialogs.base import ActionDialog


class ReturnToStepDialog(ActionDialog):
    """Target step (with its lane and activity) and a required reason."""

    def __init__(self, sop: Sop, target_steps: Sequence[int],
                 parent: QWidget | None = None) -> None:
        super().__init__(self.tr("Kembalikan ke Langkah Sebelumnya"), self.tr("Kembalikan"),
                         self.tr("Berkas dikembalikan ke langkah yang dipilih untuk diperbaiki."),
                         parent)
        self.step_combo = QComboBox()
        for no in target_steps:
            step = sop.step(no)
            text = self.tr("Langkah {no} — {lane}: {activity}").format(
                no=no, lane=sop.lane(step.lane).name, activity=step.activity)
            self.step_combo.addItem(text, no)
            self.step_combo.setItemData(self.step_combo.count() - 1, step.activity, 3)
        if self.step_combo.count():
            self.step_combo.setCurrentIndex(self.step_combo.count() - 1)  # the step just before
        self.step_combo.setMinimumWidth(420)
        self.add_field("langkah", self.tr("Ke langkah *"), self.step_combo)
        self.reason = self.text_box(96, self.tr("Apa yang harus diperbaiki?"))
        self.add_field("alasan", self.tr("Alasan *"), self.reason)

    def set_target(self, no: int) -> None:
        i = self.step_combo.findData(no)
        if i >= 0:
            self.step_combo.setCurrentIndex(i)

    def check(self) -> dict[str, str]:
        errors = {}
        if self.step_combo.currentData() is None:
            errors["langkah"] = self.tr("Pilih langkah tujuan.")
        if not self.reason.toPlainText().strip():
            errors["alasan"] = self.tr("Alasan wajib diisi.")
        return errors

    def act_kwargs(self) -> dict[str, Any]:
        return {"target_step": self.step_combo.currentData(),
                "reason": self.reason.toPlainText().strip()}
