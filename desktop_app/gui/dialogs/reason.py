"""Ask the reason for rejecting (tolak) or withdrawing (tarik) a case."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QWidget

from desktop_app.gui.dialogs.base import ActionDialog


class ReasonDialog(ActionDialog):
    """A required reason; sent as ``reason`` (the service reports errors as ``alasan``)."""

    def __init__(self, title: str, ok_text: str, intro: str = "",
                 parent: QWidget | None = None) -> None:
        super().__init__(title, ok_text, intro, parent)
        self.reason = self.text_box(96, self.tr("Tuliskan alasannya"))
        self.add_field("alasan", self.tr("Alasan *"), self.reason)

    def check(self) -> dict[str, str]:
        if not self.reason.toPlainText().strip():
            return {"alasan": self.tr("Alasan wajib diisi.")}
        return {}

    def act_kwargs(self) -> dict[str, Any]:
        return {"reason": self.reason.toPlainText().strip()}
