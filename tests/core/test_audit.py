"""The audit log is append-only and hash-chained; a check names the first broken link."""

from __future__ import annotations

import random

import pytest
from sqlalchemy import text, update
from sqlalchemy.exc import DBAPIError

from desktop_app.core import cases
from desktop_app.core.audit import verify_chain
from desktop_app.core.demo.people import demo_intake
from desktop_app.core.models import AuditEvent


def _some_events(db, actors, n=3):
    for i in range(n):
        cases.register_case(db, actors["petugas"], "ak1",
                            demo_intake("ak1", random.Random(i), db.now().date()), {})


def test_chain_is_intact_after_normal_work(db, actors):
    _some_events(db, actors)
    with db.read() as s:
        report = verify_chain(s)
    assert report.ok and report.checked >= 3


def test_database_refuses_update_and_delete_of_audit_events(db, actors):
    _some_events(db, actors, 1)
    with pytest.raises(DBAPIError, match="append-only"), db.write() as s:
        s.execute(update(AuditEvent).values(username="penyusup"))
    with pytest.raises(DBAPIError, match="append-only"), db.write() as s:
        s.execute(text("DELETE FROM audit_events"))


def _drop_guard(db):
    with db.write() as s:
        if db.is_sqlite:
            s.execute(text("DROP TRIGGER audit_events_no_update"))
            s.execute(text("DROP TRIGGER audit_events_no_delete"))
        else:
            s.execute(text("DROP TRIGGER audit_events_append_only ON audit_events"))


def test_edited_event_is_reported_as_first_broken_link(db, actors):
    _some_events(db, actors, 4)
    _drop_guard(db)  # an attacker with database access can remove the triggers ...
    with db.write() as s:
        s.execute(update(AuditEvent).where(AuditEvent.seq == 3).values(detail='{"nomor":"X"}'))
    with db.read() as s:
        report = verify_chain(s)  # ... but not forge the chain
    assert not report.ok and report.first_broken_seq == 3
    assert "#3" in report.message()


def test_deleted_event_is_reported(db, actors):
    _some_events(db, actors, 4)
    _drop_guard(db)
    with db.write() as s:
        s.execute(text("DELETE FROM audit_events WHERE seq = 2"))
    with db.read() as s:
        report = verify_chain(s)
    assert not report.ok and report.first_broken_seq == 2


def test_deleted_tail_is_reported(db, actors):
    _some_events(db, actors, 3)
    _drop_guard(db)
    with db.write() as s:
        last = s.execute(text("SELECT max(seq) FROM audit_events")).scalar()
        s.execute(text("DELETE FROM audit_events WHERE seq = :q"), {"q": last})
    with db.read() as s:
        assert not verify_chain(s).ok
