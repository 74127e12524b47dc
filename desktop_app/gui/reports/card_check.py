"""The passport intake's AK/I check: the applicant's card looked up by the NIK as it is typed.

An intake field whose SOP file says ``lookup = "kartu_ak1"`` (the passport recommendation's
"Nomor Kartu AK/I") gets a line under it saying whether the applicant holds a valid AK/I card
issued here (the SOP requires the card), and is filled with the card's number when empty.
The card may come from another office, so the check informs and does not block.
"""

from __future__ import annotations

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QLabel, QLineEdit

from desktop_app.core.errors import AppError
from desktop_app.core.nik import normalize_nik
from desktop_app.core.reports import ak1_cards
from desktop_app.gui.context import AppContext
from desktop_app.gui.reports.common import alive
from desktop_app.gui.workers import Generation, run_task

OK_STYLE = "color:#1b5e20;"
WARN_STYLE = "color:#b71c1c;"


class CardCheck(QObject):
    """Watches the form's NIK field and reports the AK/I card under field ``name``."""

    def __init__(self, ctx: AppContext, form: object, name: str) -> None:
        super().__init__(form)  # type: ignore[arg-type]
        self.ctx = ctx
        self.form = form
        self.name = name
        self.label = QLabel()
        self.label.setWordWrap(True)
        self.label.setObjectName(f"card_check_{name}")
        self.label.hide()
        holder = form.holder(name)  # type: ignore[attr-defined]
        cell = holder.parentWidget()
        cell.layout().insertWidget(1, self.label)
        self.status: ak1_cards.CardStatus | None = None
        self._gen = Generation()
        nik_field = next(f.name for f in form.sop.fields if f.type == "nik")  # type: ignore[attr-defined]
        form.holder(nik_field).edit.textChanged.connect(self.check)  # type: ignore[attr-defined]

    def check(self, text: str) -> None:
        digits = normalize_nik(text)
        gen = self._gen.next()
        if len(digits) != 16 or not digits.isdigit():
            self.label.hide()
            self.status = None
            return
        db, actor = self.ctx.db, self.ctx.user

        def done(status: ak1_cards.CardStatus | None) -> None:
            if alive(self) and self._gen.is_current(gen):
                self.show_status(status)

        def failed(exc: Exception) -> None:
            if alive(self) and self._gen.is_current(gen) and isinstance(exc, AppError):
                self.label.setText(exc.message)
                self.label.setStyleSheet(WARN_STYLE)
                self.label.show()

        run_task(lambda: ak1_cards.card_status(db, actor, digits), done, failed)

    def show_status(self, status: ak1_cards.CardStatus | None) -> None:
        self.status = status
        if status is None:
            self.label.setText(self.tr("Tidak ada kartu AK/I atas NIK ini di kantor ini. SOP "
                                       "mensyaratkan kartu AK/I: periksa kartu dari daerah lain "
                                       "atau minta pemohon mendaftar AK/I dahulu."))
            self.label.setStyleSheet(WARN_STYLE)
        else:
            self.label.setText(("✔ " if status.is_valid else "✖ ") + status.summary)
            self.label.setStyleSheet(OK_STYLE if status.is_valid else WARN_STYLE)
            editor = self.form.holder(self.name)  # type: ignore[attr-defined]
            if status.is_valid and isinstance(editor, QLineEdit) and not editor.text().strip():
                editor.setText(status.card_number or status.register_number)
        self.label.show()


def attach_lookups(ctx: AppContext, form: object) -> list[CardCheck]:
    """Card checks for the form's fields whose SOP file asks for one."""
    return [CardCheck(ctx, form, f.name) for f in form.sop.fields  # type: ignore[attr-defined]
            if f.lookup == "kartu_ak1"]
