"""Issue 11: an administrator's reset, or an account an administrator creates, forces the
holder to choose their own password at the next login; until then every service refuses work
("Ganti kata sandi Anda terlebih dahulu."), and the change clears the flag."""

from __future__ import annotations

import random

import pytest
from sqlalchemy import func, select

from desktop_app.core import auth, cases
from desktop_app.core.demo.people import demo_intake
from desktop_app.core.errors import SessionEnded, ValidationError
from desktop_app.core.models import AuditEvent, Case, User
from desktop_app.core.sop import get_sop


def _flag(db, username: str) -> bool:
    with db.read() as s:
        return s.scalar(select(User.must_change_password).where(User.username == username))


def _register(db, actor):
    sop = get_sop("ak1")
    data = demo_intake("ak1", random.Random(1), db.now().date())
    return cases.register_case(db, actor, "ak1", data, {r.code: True for r in sop.requirements})


def _case_count(db) -> int:
    with db.read() as s:
        return s.scalar(select(func.count()).select_from(Case))


def test_reset_forces_a_change_before_any_work(db, actors):
    auth.reset_password(db, actors["admin"], "petugas", "Sandi-Reset-Admin-41")
    assert _flag(db, "petugas") is True
    actor = auth.login(db, "petugas", "Sandi-Reset-Admin-41")
    assert actor.must_change_password is True
    before = _case_count(db)
    with pytest.raises(SessionEnded) as err:
        _register(db, actor)
    assert err.value.message == "Ganti kata sandi Anda terlebih dahulu."
    assert _case_count(db) == before
    # An open session of the same account (signed in before the reset) is stopped too.
    with pytest.raises(SessionEnded):
        _register(db, actors["petugas"])
    # The rules apply to the new password; a refused one leaves the flag set.
    with pytest.raises(ValidationError) as weak:
        auth.change_own_password(db, actor, "Sandi-Reset-Admin-41", "1234567890")
    assert "sandi_baru" in weak.value.errors
    assert _flag(db, "petugas") is True
    auth.change_own_password(db, actor, "Sandi-Reset-Admin-41", "Pilihan-Sendiri-Petugas-7")
    assert _flag(db, "petugas") is False
    fresh = auth.login(db, "petugas", "Pilihan-Sendiri-Petugas-7")
    assert fresh.must_change_password is False
    assert _register(db, fresh).id > 0
    with db.read() as s:
        actions = s.scalars(select(AuditEvent.action).where(AuditEvent.username == "petugas")
                            .order_by(AuditEvent.seq)).all()
    assert "ganti_sandi_sendiri" in actions


def test_account_created_by_an_admin_must_change_its_password(db, actors):
    auth.create_user(db, actors["admin"], username="baru", full_name="Pegawai Baru",
                     password="Sandi-Pertama-Dari-Admin-3", roles=["petugas_penerima"])
    assert _flag(db, "baru") is True
    actor = auth.login(db, "baru", "Sandi-Pertama-Dari-Admin-3")
    assert actor.must_change_password
    with pytest.raises(SessionEnded):
        _register(db, actor)
    auth.change_own_password(db, actor, "Sandi-Pertama-Dari-Admin-3", "Sandi-Saya-Sendiri-55")
    assert not auth.login(db, "baru", "Sandi-Saya-Sendiri-55").must_change_password


def test_first_administrator_who_chose_the_password_is_not_forced(db):
    auth.create_user(db, None, username="admin_pertama", full_name="Admin Pertama",
                     password="Pilihan-Admin-Pertama-9", roles=["admin"])
    assert _flag(db, "admin_pertama") is False
    assert not auth.login(db, "admin_pertama", "Pilihan-Admin-Pertama-9").must_change_password


def test_cli_reset_password_sets_the_flag(db, actors, demo_passwords, monkeypatch, capsys):
    import argparse

    from desktop_app.cli import admin as cli_admin

    monkeypatch.setattr(cli_admin, "_open", lambda args, migrate=True: db)
    monkeypatch.setattr(cli_admin, "_password", lambda args: "Sandi-Dari-Baris-Perintah-8")
    monkeypatch.setattr("desktop_app.cli.common._read_line",
                        lambda prompt, hidden: demo_passwords["admin"] if hidden else "admin")
    args = argparse.Namespace(username="staf", admin_user="admin")
    assert cli_admin.cmd_reset_password(args) == 0
    assert _flag(db, "staf") is True
    with db.read() as s:
        last = s.scalars(select(AuditEvent).where(AuditEvent.action == "reset_sandi")
                         .order_by(AuditEvent.seq.desc())).first()
    assert last.username == "admin"
