"""Fixtures of the printing tests: a private CUPS with cups-pdf queues (one per test process),
and the GUI fixtures for the tests that drive the print dialog.

``CUPS_SERVER`` is pointed at this process's private scheduler as soon as this file is
imported (before any test asks Qt or ``lp`` about printers), so nothing a test prints can
reach a real printer; the scheduler itself starts with the first test that needs it and is
stopped, with its files and outputs, when the session ends.
"""

from __future__ import annotations

import importlib.util
import os
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

import print_rig  # noqa: E402

os.environ["CUPS_SERVER"] = str(print_rig.rig_dir() / "cups.sock")


def _gui_conftest() -> Any:
    path = Path(__file__).resolve().parents[1] / "gui" / "conftest.py"
    spec = importlib.util.spec_from_file_location("_gui_test_fixtures", path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


_gui = _gui_conftest()
make_ctx = _gui.make_ctx
no_blocking_message_boxes = _gui.no_blocking_message_boxes
free_widgets = _gui.free_widgets


@pytest.fixture(scope="session")
def cups_rig() -> Iterator[print_rig.CupsRig]:
    """The private cupsd with the queues ``pdf_tepi0``, ``laser_42`` and ``laser_5``."""
    reason = print_rig.missing()
    if reason:
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI=true but {reason}")
        pytest.skip(reason)
    rig = print_rig.CupsRig().start()
    try:
        yield rig
    finally:
        rig.stop()


@pytest.fixture
def quiet_pool(qapp: Any) -> Iterator[None]:
    """No print job may outlive its test."""
    from PySide6.QtCore import QThreadPool

    yield
    QThreadPool.globalInstance().waitForDone(60000)
    qapp.processEvents()
