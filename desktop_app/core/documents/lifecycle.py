"""How a case's documents follow its steps (called by ``services.act_in_session``).

When a step finishes, the drafts it produced that need a signer are numbered and go to the
signing queue; a paraf or sign step cannot pass while its documents still wait for that paraf or
signature (they are initialled and signed through the signing queue, which then moves the case).
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy.orm import Session

if TYPE_CHECKING:
    from desktop_app.core.auth import Actor
    from desktop_app.core.db import Database
    from desktop_app.core.models import Case
    from desktop_app.core.sop import Sop, Step
    from desktop_app.core.workflow import Transition


def before_transition(s: Session, db: Database, actor: Actor, case: Case, sop: Sop, step: Step,
                      transition: Transition, now: datetime) -> None:
    """Gate and number the case's documents as the case leaves ``step``."""
    # Filled in by the document service (issue: cards and letters); no documents yet.
    return None
