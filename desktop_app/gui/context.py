"""The small application context passed down to every window (no global singletons)."""

from __future__ import annotations

from dataclasses import dataclass, field

from PySide6.QtCore import QObject, Signal

from desktop_app.core.auth import Actor
from desktop_app.core.db import Database
from desktop_app.core.sop import Sop


class ChangeHub(QObject):
    """One change signal for the whole application: whoever changes a case, its documents or
    the settings announces it here, and every open window, tab, Dokumen list, signing queue
    and Tugas Saya that shows it refreshes (no window keeps stale data)."""

    caseChanged = Signal(int)  # noqa: N815 - Qt naming; a case's state or documents changed
    settingsChanged = Signal()  # noqa: N815

    def case_changed(self, case_id: int) -> None:
        self.caseChanged.emit(case_id)

    def settings_changed(self) -> None:
        self.settingsChanged.emit()


@dataclass
class AppContext:
    """What a window needs: the open database, the signed-in user and the SOPs."""

    db: Database
    sops: tuple[Sop, ...]
    actor: Actor | None = None
    demo: bool = False
    warnings: list[str] = field(default_factory=list)
    changes: ChangeHub = field(default_factory=ChangeHub)

    @property
    def user(self) -> Actor:
        if self.actor is None:
            raise RuntimeError("no user signed in")
        return self.actor

    def sop(self, code: str) -> Sop:
        return next(s for s in self.sops if s.code == code)
