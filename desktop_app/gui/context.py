"""The small application context passed down to every window (no global singletons)."""

from __future__ import annotations

from dataclasses import dataclass, field

from desktop_app.core.auth import Actor
from desktop_app.core.db import Database
from desktop_app.core.sop import Sop


@dataclass
class AppContext:
    """What a window needs: the open database, the signed-in user and the SOPs."""

    db: Database
    sops: tuple[Sop, ...]
    actor: Actor | None = None
    demo: bool = False
    warnings: list[str] = field(default_factory=list)

    @property
    def user(self) -> Actor:
        if self.actor is None:
            raise RuntimeError("no user signed in")
        return self.actor

    def sop(self, code: str) -> Sop:
        return next(s for s in self.sops if s.code == code)
