"""Each printer's card settings (:class:`CardOptions`: layout, card stock size and print
offset), kept in the database.

A printer feeds card stock a little off true: the offset, measured once with the
calibration page, moves every card face by that many millimetres (right and down positive)
when the card prints on stock. Profiles live in the shared database under one settings row
per printer (keyed by a hash of the printer's name, which may be longer than a settings key),
so a network printer calibrated from one PC prints true from all of them.

Any signed-in member of staff may save a profile: the clerk who prints the cards is the one
standing at the printer with a ruler, and a profile changes no document. Every change is
audited (under the settings key; the printer's name is in the old and new values).
"""

from __future__ import annotations

import hashlib
from dataclasses import asdict, replace
from typing import Any

from desktop_app.core import audit, settings
from desktop_app.core.auth import Actor, require_roles
from desktop_app.core.db import Database
from desktop_app.core.errors import ValidationError
from desktop_app.core.models import Setting
from desktop_app.core.printing.layout import CARD_ON_A4, CARD_ON_STOCK, CardOptions
from desktop_app.core.roles import ROLE_LABELS

__all__ = ["MAX_OFFSET_MM", "printer_profile", "save_printer_profile", "validate_profile"]

MAX_OFFSET_MM = 20.0


def _key(printer: str) -> str:
    return "printer:" + hashlib.sha256(printer.encode("utf-8")).hexdigest()[:24]


def printer_profile(db: Database, printer: str) -> CardOptions:
    """The card settings saved for ``printer``, or the defaults (A6 stock, no offset)."""
    stored = settings.get_setting(db, _key(printer)) or {}
    known = {k: v for k, v in stored.items() if k in CardOptions.__dataclass_fields__}
    try:
        profile = CardOptions(**known)
    except TypeError:
        return CardOptions()
    return profile if not validate_profile(profile) else CardOptions()


def validate_profile(profile: CardOptions) -> dict[str, str]:
    """Field errors (empty when the profile is good)."""
    errors: dict[str, str] = {}
    if profile.layout not in (CARD_ON_STOCK, CARD_ON_A4):
        errors["layout"] = "Pilih tata letak kartu."
    for name in ("stock_width_mm", "stock_height_mm"):
        value = getattr(profile, name)
        if not isinstance(value, (int, float)) or not 50 <= value <= 330:
            errors[name] = "Ukuran stok kartu 50–330 mm."
    for name in ("offset_x_mm", "offset_y_mm"):
        value = getattr(profile, name)
        if not isinstance(value, (int, float)) or not -MAX_OFFSET_MM <= value <= MAX_OFFSET_MM:
            errors[name] = "Geser cetak −20 sampai 20 mm."
    return errors


def save_printer_profile(db: Database, actor: Actor, printer: str,
                         profile: CardOptions) -> None:
    """Store ``printer``'s profile (any member of staff; audited with old and new values)."""
    require_roles(db, actor, ROLE_LABELS, "ubah_pengaturan_pencetak", "pencetak", printer)
    if not printer.strip():
        raise ValidationError({"pencetak": "Pilih pencetak."})
    profile = replace(profile, **{k: round(float(v), 1) for k, v in asdict(profile).items()
                                  if k != "layout"})
    errors = validate_profile(profile)
    if errors:
        raise ValidationError(errors)
    key = _key(printer)
    value: dict[str, Any] = {"printer": printer, **asdict(profile)}
    with db.write() as s:
        row = s.get(Setting, key)
        old = dict(row.value) if row is not None and row.value else None
        if row is None:
            s.add(Setting(key=key, value=value))
        else:
            row.value = value
        audit.record(s, at=db.now(), user_id=actor.user_id, username=actor.username,
                     action="ubah_pengaturan_pencetak", entity="pencetak", entity_id=key,
                     detail={"lama": old, "baru": value})
    db.cache.pop(f"setting:{key}", None)
