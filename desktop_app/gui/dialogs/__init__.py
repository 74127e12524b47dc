"""Dialogs that collect what an action on a case needs before ``cases.act`` runs.

Each dialog keeps what was typed when it is shown again (after a conflict or a validation
error), shows service errors at their fields (:meth:`ActionDialog.set_errors`) and returns the
keyword arguments for ``cases.act`` from :meth:`ActionDialog.act_kwargs`.
"""

from desktop_app.gui.dialogs.base import ActionDialog, ConfirmActionDialog
from desktop_app.gui.dialogs.bipartite import BipartiteMeetingDialog
from desktop_app.gui.dialogs.incomplete import IncompleteDialog
from desktop_app.gui.dialogs.reason import ReasonDialog
from desktop_app.gui.dialogs.return_step import ReturnToStepDialog

__all__ = [
    "ActionDialog",
    "BipartiteMeetingDialog",
    "ConfirmActionDialog",
    "IncompleteDialog",
    "ReasonDialog",
    "ReturnToStepDialog",
]
