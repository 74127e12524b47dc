"""Office time (issue 12): the clock every service uses is WIB whatever the PC's zone."""

from __future__ import annotations

import os
import time
from datetime import UTC, datetime, timedelta, timezone

import pytest

from desktop_app.core import office_time
from desktop_app.core.db import open_database


@pytest.fixture
def pc_in_new_york():
    old = os.environ.get("TZ")
    os.environ["TZ"] = "America/New_York"
    time.tzset()
    yield
    if old is None:
        os.environ.pop("TZ", None)
    else:
        os.environ["TZ"] = old
    time.tzset()


def test_office_clock_is_wib_on_a_pc_set_to_another_zone(pc_in_new_york, tmp_path) -> None:
    pc_local = datetime.now()
    wib = (datetime.now(UTC) + timedelta(hours=7)).replace(tzinfo=None)
    assert abs((pc_local - wib).total_seconds()) > 3600  # the PC really is elsewhere
    assert abs((office_time.office_now() - wib).total_seconds()) < 5
    db = open_database(f"sqlite:///{tmp_path / 'x.sqlite'}", migrate=False)
    try:
        assert abs((db.now() - wib).total_seconds()) < 5
    finally:
        db.dispose()


def test_to_office_converts_aware_moments_and_keeps_naive_ones() -> None:
    signed = datetime(2026, 11, 30, 1, 30, tzinfo=UTC)
    assert office_time.to_office(signed) == datetime(2026, 11, 30, 8, 30)
    naive = datetime(2026, 11, 30, 8, 30)
    assert office_time.to_office(naive) is naive
    assert office_time.to_office(signed, "Asia/Makassar") == datetime(2026, 11, 30, 9, 30)
    assert office_time.office_zone("Tidak/Ada").utcoffset(None) == timezone(
        timedelta(hours=7)).utcoffset(None)
