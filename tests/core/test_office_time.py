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


# ------------------------------------------------------------ stored in UTC, shown in the zone


def _register(db, actor, when: datetime):
    import random

    from desktop_app.core import cases
    from desktop_app.core.demo.people import demo_intake
    from desktop_app.core.sop import get_sop

    db.clock.set(when)
    sop = get_sop("jht")
    return cases.register_case(db, actor, "jht", demo_intake("jht", random.Random(3), when.date()),
                               {r.code: True for r in sop.requirements})


def _raw_utc(db, case_id: int) -> datetime:
    """The stored value of cases.registered_at as UTC wall time, read past the ORM."""
    from sqlalchemy import text

    with db.engine.connect() as conn:
        if db.is_sqlite:
            raw = conn.execute(text("SELECT registered_at FROM cases WHERE id = :i"),
                               {"i": case_id}).scalar_one()
            return datetime.fromisoformat(raw)
        return conn.execute(text("SELECT registered_at AT TIME ZONE 'UTC' FROM cases "
                                 "WHERE id = :i"), {"i": case_id}).scalar_one()


@pytest.fixture
def office_zone_restored():
    yield
    office_time.set_office_zone(office_time.DEFAULT_ZONE)


def test_times_are_stored_in_utc_and_read_in_the_office_zone(db, actors, office_zone_restored
                                                            ) -> None:
    from sqlalchemy import text

    from desktop_app.core import cases, settings
    from desktop_app.core.errors import ValidationError

    # 06:30 WIB on the 1st of March is still the last day of February in UTC.
    case = _register(db, actors["petugas"], datetime(2026, 3, 2, 6, 30))
    assert _raw_utc(db, case.id) == datetime(2026, 3, 1, 23, 30)
    assert cases.get_case(db, case.id, actors["petugas"]).registered_at == datetime(2026, 3, 2, 6, 30)
    if not db.is_sqlite:
        with db.engine.connect() as conn:
            kinds = set(conn.execute(text(
                "SELECT DISTINCT data_type FROM information_schema.columns WHERE table_schema = "
                "'public' AND column_name IN ('registered_at', 'signed_at', 'at', 'created_at')")
            ).scalars())
        assert kinds == {"timestamp with time zone"}

    # The administrator moves the office to WITA: the same record reads an hour later.
    with pytest.raises(ValidationError) as refused:
        settings.save_setting(db, actors["admin"], settings.OFFICE_PROFILE,
                              {"zona_waktu": "Europe/Berlin"})
    assert "zona_waktu" in refused.value.errors
    settings.save_setting(db, actors["admin"], settings.OFFICE_PROFILE,
                          {"zona_waktu": "Asia/Makassar"})
    assert office_time.zone_label() == "WITA"
    assert cases.get_case(db, case.id, actors["petugas"]).registered_at == datetime(2026, 3, 2, 7, 30)
    assert _raw_utc(db, case.id) == datetime(2026, 3, 1, 23, 30)  # nothing stored changed

    # Another PC opening the database takes the office's zone from the profile.
    office_time.set_office_zone(None)
    other = open_database(db.url, migrate=False)
    try:
        assert office_time.current_zone() == "Asia/Makassar"
    finally:
        other.dispose()

    # The audit chain still holds: it hashes the moment, not the zone it is shown in.
    from desktop_app.core.audit import verify_chain

    with db.read() as s:
        assert verify_chain(s).ok


def test_month_of_a_step_is_the_office_month_not_the_utc_month(db, actors) -> None:
    """A step finished at 03:00 WIB on 1 March (20:00 UTC on 28 February) counts in March."""
    from desktop_app.core import cases
    from desktop_app.core.reports import step_stats

    case = _register(db, actors["petugas"], datetime(2026, 3, 2, 2, 0))
    db.clock.set(datetime(2026, 3, 2, 3, 0))
    cases.act(db, actors["petugas"], case.id, "lengkap", expected_version=case.version)
    for refresh_first in (False, True):  # live from step_events, then from the monthly sums
        db.clock.set(datetime(2026, 3, 20, 9, 0) if refresh_first else datetime(2026, 3, 2, 4))
        rows = step_stats.sums(db, ["jht"], 202602, 202603, ("lengkap",), ("month",),
                               refresh_first=refresh_first)
        assert {r.key: r.n for r in rows} == {(202603,): 1}, refresh_first


def test_migration_moves_naive_office_times_to_utc(db, actors) -> None:
    """A database made before 0011 held naive WIB times: upgrading converts them, the audit
    chain still verifies, and downgrading gives the same naive values back."""
    from alembic import command
    from sqlalchemy import text

    from desktop_app.core.audit import verify_chain
    from desktop_app.core.db import _alembic_config

    case = _register(db, actors["petugas"], datetime(2026, 3, 2, 6, 30))
    cfg = _alembic_config(db)
    command.downgrade(cfg, "0010")
    with db.engine.connect() as conn:
        raw = conn.execute(text("SELECT registered_at FROM cases WHERE id = :i"),
                           {"i": case.id}).scalar_one()
    raw = datetime.fromisoformat(raw) if isinstance(raw, str) else raw
    assert raw == datetime(2026, 3, 2, 6, 30)  # naive WIB, as before the change
    command.upgrade(cfg, "head")
    assert _raw_utc(db, case.id) == datetime(2026, 3, 1, 23, 30)
    with db.read() as s:
        report = verify_chain(s)
    assert report.ok and report.checked > 0


def test_program_upgrade_from_0010_converts_and_refreshes_statistics(db, actors, tmp_path
                                                                      ) -> None:
    """What a PC does when the new program opens an older database: the UTC conversion, then
    fresh statistics (PostgreSQL: VACUUM ANALYZE, so counts stay index-only after 0011
    rewrote the tables; SQLite: ANALYZE)."""
    from alembic import command
    from sqlalchemy import text

    from desktop_app.core.db import _alembic_config, head_revision, upgrade_database

    case = _register(db, actors["petugas"], datetime(2026, 3, 2, 6, 30))
    command.downgrade(_alembic_config(db), "0010")
    message = upgrade_database(db, backup_dir=tmp_path)
    assert f"dari revisi 0010 ke {head_revision()}" in message
    assert _raw_utc(db, case.id) == datetime(2026, 3, 1, 23, 30)
    with db.engine.connect() as conn:
        if db.is_sqlite:
            analysed = conn.execute(text(
                "SELECT count(*) FROM sqlite_stat1 WHERE tbl = 'cases'")).scalar_one()
        else:
            analysed = conn.execute(text(
                "SELECT count(*) FROM pg_stat_user_tables WHERE relname = 'cases' "
                "AND last_vacuum IS NOT NULL AND last_analyze IS NOT NULL")).scalar_one()
    assert analysed >= 1
