"""GUI test fixtures: a database with the demo cases, contexts per user, and clean threads."""

from __future__ import annotations

import importlib.util
import shutil
import sqlite3
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QThreadPool
from PySide6.QtWidgets import QApplication

from desktop_app.core.db import Database, open_database
from desktop_app.core.demo.cases import seed_demo
from desktop_app.core.sop import load_sops
from desktop_app.gui.context import AppContext


def _root_conftest() -> Any:
    # tests/ is not a package, so the shared helpers are loaded from their file.
    path = Path(__file__).resolve().parents[1] / "conftest.py"
    spec = importlib.util.spec_from_file_location("_root_test_helpers", path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


_root = _root_conftest()
actors_of = _root.actors_of
MONDAY_MORNING = _root.MONDAY_MORNING


@pytest.fixture(scope="session")
def demo_template(sqlite_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo users plus the demo cases of every SOP (seeded once per session)."""
    path = tmp_path_factory.mktemp("demo") / "demo.sqlite"
    shutil.copy(sqlite_template, path)
    db = open_database(f"sqlite:///{path}", clock=lambda: MONDAY_MORNING, migrate=False)
    seed_demo(db)
    db.dispose()
    conn = sqlite3.connect(path)  # fold the WAL into the file so a plain copy is complete
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    return path


@pytest.fixture
def demo_db(demo_template: Path, tmp_path: Path, clock: Any) -> Iterator[Database]:
    path = tmp_path / "demo.sqlite"
    shutil.copy(demo_template, path)
    database = open_database(f"sqlite:///{path}", clock=clock, migrate=False)
    yield database
    QThreadPool.globalInstance().waitForDone(5000)
    database.dispose()


@pytest.fixture
def make_ctx() -> Callable[..., AppContext]:
    """``make_ctx(db, "kabid")``: a context signed in as a demo user (no argon2 needed)."""

    def make(db: Database, username: str | None = None, *, demo: bool = False,
             sops: tuple | None = None) -> AppContext:
        actor = actors_of(db)[username] if username else None
        return AppContext(db=db, sops=sops or load_sops(), actor=actor, demo=demo)

    return make


@pytest.fixture
def demo_actors(demo_db: Database) -> dict[str, Any]:
    return actors_of(demo_db)


@pytest.fixture(autouse=True)
def _quiet_threads(qapp: QApplication) -> Iterator[None]:
    """No background query may outlive its test (and its database)."""
    from desktop_app.gui.style import apply_style

    apply_style(qapp)
    from PySide6.QtCore import QSettings

    QSettings().remove("window-sizes")  # a size remembered by another test must not leak in
    yield
    QThreadPool.globalInstance().waitForDone(5000)
    qapp.processEvents()


@pytest.fixture(autouse=True)
def no_blocking_message_boxes(monkeypatch):
    """A modal QMessageBox nobody answers would hang the suite: answer it, and keep what it
    said (``no_blocking_message_boxes`` is the list) so a test can still look at it."""
    from PySide6.QtWidgets import QMessageBox

    shown: list[tuple[str, str]] = []

    def fake(kind):
        def show(parent, title, text, *args, **kwargs):
            shown.append((kind, str(text)))
            return QMessageBox.StandardButton.Ok if kind != "question" else \
                QMessageBox.StandardButton.Yes
        return staticmethod(show)

    for kind in ("warning", "critical", "information", "question"):
        monkeypatch.setattr(QMessageBox, kind, fake(kind))
    return shown


@pytest.fixture
def free_widgets(qapp):
    """Delete the test's windows for real (closing only schedules it), so they do not pile up
    and slow every later test down."""
    from PySide6.QtCore import QCoreApplication, QEvent

    yield
    for w in QApplication.topLevelWidgets():
        if w.parent() is None:
            w.close()
            w.deleteLater()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
