"""Locate the bundled resources (SOP files, templates, forms) wherever the program runs.

The same lookup serves a source checkout (``resources/`` beside the package), an installed
wheel (``desktop_app/resources`` inside the package) and a PyInstaller bundle
(``sys._MEIPASS/resources``).
"""

from __future__ import annotations

import sys
from functools import cache
from pathlib import Path

_PACKAGE_DIR = Path(__file__).resolve().parent


def _candidates(name: str) -> list[Path]:
    found = []
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle:
        found.append(Path(bundle) / name)
    found.append(_PACKAGE_DIR / name)  # installed wheel: force-included into the package
    found.append(_PACKAGE_DIR.parent / name)  # source checkout / editable install
    return found


@cache
def resource_root() -> Path:
    """The folder holding ``sops/``, ``templates/`` and the other data files."""
    for path in _candidates("resources"):
        if (path / "sops").is_dir():
            return path
    raise FileNotFoundError("resources folder not found; looked in: "
                            + ", ".join(str(p) for p in _candidates("resources")))


@cache
def ui_root() -> Path:
    """The folder holding the Qt Designer ``.ui`` forms."""
    for path in _candidates("ui"):
        if path.is_dir():
            return path
    raise FileNotFoundError("ui folder not found")


def resource_path(*parts: str) -> Path:
    """Path of one resource file, e.g. ``resource_path("sops", "ak1.toml")``."""
    return resource_root().joinpath(*parts)
