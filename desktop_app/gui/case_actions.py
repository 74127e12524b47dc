"""Open a case, register a new one, show the SOP sheet: shared by the SOP tabs and Tugas Saya.

The dialogs live in modules written beside this one (``case_detail``, ``intake``,
``sop_sheet_dialog``); they are imported only when first used, which also keeps start-up lean.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QMessageBox, QWidget

from desktop_app.core.auth import Actor
from desktop_app.core.errors import AppError, ConflictError
from desktop_app.core.sop import Sop
from desktop_app.gui.context import AppContext


def _t(text: str) -> str:
    return QCoreApplication.translate("CaseActions", text)


def can_register(sop: Sop, actor: Actor | None) -> bool:
    """Whether ``actor`` may register a case of ``sop`` (as :func:`cases.register_case` checks:
    the lane of step 1, or of step 2 when step 1 is the applicant's submission)."""
    if actor is None:
        return False
    roles = sop.roles_of_lane(sop.first_step.lane)
    if not roles and len(sop.steps) > 1:
        roles = sop.roles_of_lane(sop.step(2).lane)
    return bool(actor.effective_roles & set(roles))


def show_error(parent: QWidget | None, exc: Exception) -> None:
    """Tell the user what went wrong, in the services' own words."""
    if isinstance(exc, ConflictError):
        QMessageBox.warning(parent, _t("Berkas telah diubah"), exc.message)
    elif isinstance(exc, AppError):
        QMessageBox.warning(parent, _t("Tidak dapat dilanjutkan"), exc.message)
    else:
        QMessageBox.critical(parent, _t("Terjadi kesalahan"),
                             _t("Terjadi kesalahan tak terduga: {error}").format(error=exc))


def open_case(ctx: AppContext, case_id: int, parent: QWidget,
              on_changed: Callable[[], None], *, draft: str | None = None) -> None:
    """Show the case screen; refresh the lists after an action or a conflict.

    ``draft`` opens the Dokumen tab and makes that document if the case lacks it (the receipt
    right after registration)."""
    from desktop_app.gui.case_detail import CaseDetailDialog  # lazy: keeps start-up lean

    try:
        dialog = CaseDetailDialog(ctx, case_id, parent)
        dialog.caseChanged.connect(lambda _id: on_changed())
        if draft:
            dialog.show_documents(draft=draft)
        dialog.exec()
    except ConflictError as exc:
        show_error(parent, exc)
        on_changed()
    except AppError as exc:
        show_error(parent, exc)


def new_case(ctx: AppContext, sop: Sop, parent: QWidget,
             on_created: Callable[[int], None]) -> None:
    """Show the intake form of ``sop``; ``on_created(case_id)`` after it is registered."""
    if not can_register(sop, ctx.actor):
        QMessageBox.information(parent, _t("Berkas baru"),
                                _t("Peran Anda tidak dapat mendaftarkan berkas {sop}.")
                                .format(sop=sop.tab_label))
        return
    from desktop_app.gui.intake import IntakeDialog  # lazy: keeps start-up lean

    try:
        dialog = IntakeDialog(ctx, sop, parent)
        if dialog.exec() and getattr(dialog, "created_case_id", None):
            case_id = int(dialog.created_case_id)
            on_created(case_id)
            # The counter hands the applicant a receipt (tanda terima) with the register number.
            open_case(ctx, case_id, parent, lambda: on_created(case_id), draft="tanda_terima")
    except AppError as exc:
        show_error(parent, exc)


def show_sop_sheet(ctx: AppContext, sop: Sop, parent: QWidget, version_label: str = "") -> None:
    from desktop_app.gui.sop_sheet_dialog import SopSheetDialog  # lazy: keeps start-up lean

    try:
        SopSheetDialog(ctx, sop, parent, version_label=version_label).exec()
    except AppError as exc:
        show_error(parent, exc)
