"""Login, lockout, auditing of failures and refusals, user management permissions."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from desktop_app.core import auth
from desktop_app.core.errors import AccountLocked, LoginFailed, PermissionDenied, ValidationError
from desktop_app.core.models import AuditEvent, User


def _actions(db, username):
    with db.read() as s:
        return [e.action for e in s.scalars(
            select(AuditEvent).where(AuditEvent.username == username).order_by(AuditEvent.seq))]


def test_login_succeeds_with_right_password_and_is_audited(db, demo_passwords):
    actor = auth.login(db, "kadis", demo_passwords["kadis"])
    assert actor.roles == {"kadis"}
    assert _actions(db, "kadis")[-1] == "login"
    with db.read() as s:
        stored = s.scalars(select(User.password_hash).where(User.username == "kadis")).one()
    assert stored.startswith("$argon2id$")


def test_five_wrong_passwords_lock_the_account_for_fifteen_minutes(db, clock, demo_passwords):
    for _attempt in range(1, 5):
        with pytest.raises(LoginFailed) as err:
            auth.login(db, "petugas", "salah")
        # The same words as for an unknown name: no "Sisa percobaan" that names real accounts.
        assert err.value.message == "Nama pengguna atau kata sandi salah."
    with pytest.raises(AccountLocked) as locked:
        auth.login(db, "petugas", "salah")
    assert locked.value.until.strftime("%H:%M") == "08:15"
    assert "08:15" in locked.value.message
    # Even the right password is refused while locked.
    clock.advance(minutes=14)
    with pytest.raises(AccountLocked):
        auth.login(db, "petugas", demo_passwords["petugas"])
    clock.advance(minutes=2)
    assert auth.login(db, "petugas", demo_passwords["petugas"]).username == "petugas"
    actions = _actions(db, "petugas")
    assert actions.count("login_gagal") == 5
    assert "login_ditolak_terkunci" in actions and actions[-1] == "login"


def test_unknown_user_fails_like_a_wrong_password(db):
    with pytest.raises(LoginFailed) as err:
        auth.login(db, "tidakada", "x")
    assert "Nama pengguna atau kata sandi salah" in err.value.message
    assert _actions(db, "tidakada") == ["login_gagal"]


def test_deactivated_user_cannot_log_in(db, actors, demo_passwords):
    auth.set_active(db, actors["admin"], "staf", False)
    with pytest.raises(LoginFailed):
        auth.login(db, "staf", demo_passwords["staf"])


def test_only_admin_manages_users_and_refusals_are_audited(db, actors):
    with pytest.raises(PermissionDenied):
        auth.create_user(db, actors["kabid"], username="baru", full_name="Baru",
                         password="Rahasia-Kantor-77", roles=["jfu"])
    assert _actions(db, "kabid")[-1] == "izin_ditolak"
    uid = auth.create_user(db, actors["admin"], username="baru", full_name="Pegawai Baru",
                           password="Rahasia-Kantor-77", roles=["jfu", "staf"])
    assert uid > 0
    auth.set_roles(db, actors["admin"], "baru", ["kasi"])
    assert {r.roles for r in auth.list_users(db) if r.username == "baru"} == {("kasi",)}


def test_bad_user_input_is_reported_per_field_and_writes_nothing(db, actors):
    before = len(auth.list_users(db))
    with pytest.raises(ValidationError) as err:
        auth.create_user(db, actors["admin"], username="bad name!", full_name="",
                         password="short", roles=["bukan_peran"], nip="12345")
    assert set(err.value.errors) == {"username", "full_name", "password", "roles", "nip"}
    assert len(auth.list_users(db)) == before
    with pytest.raises(ValidationError) as dup:
        auth.create_user(db, actors["admin"], username="kadis", full_name="X",
                         password="Rahasia-Kantor-77", roles=["jfu"])
    assert "sudah dipakai" in dup.value.errors["username"]


def test_reset_password_unlocks(db, clock, actors):
    for _ in range(5):
        with pytest.raises((LoginFailed, AccountLocked)):
            auth.login(db, "jfu", "salah")
    auth.reset_password(db, actors["admin"], "jfu", "sandi-baru-123")
    assert auth.login(db, "jfu", "sandi-baru-123").username == "jfu"


def test_delegation_validation(db, actors, clock):
    today = clock.now.date()
    with pytest.raises(ValidationError) as err:
        auth.add_delegation(db, actors["kabid"], from_username="kabid", to_username="kabid",
                            starts_on=today, ends_on=today.replace(day=1), kind="X")
    assert set(err.value.errors) == {"ends_on", "kind", "to_username"}
    with pytest.raises(PermissionDenied):
        auth.add_delegation(db, actors["jfu"], from_username="kabid", to_username="jfu",
                            starts_on=today, ends_on=today)


def test_change_own_password_needs_the_old_one(db, actors, demo_passwords):
    """Issue 8, item 8: users change their own password, proving the old one."""
    from desktop_app.core.auth import change_own_password, login

    petugas = actors["petugas"]
    old = demo_passwords["petugas"]
    with pytest.raises(ValidationError) as err:
        change_own_password(db, petugas, "bukan-sandinya", "sandi-baru-2027")
    assert err.value.errors["sandi_lama"].startswith("Kata sandi lama salah.")
    with pytest.raises(ValidationError) as err:
        change_own_password(db, petugas, old, "pendek")
    assert "minimal" in err.value.errors["sandi_baru"]
    with pytest.raises(ValidationError) as err:
        change_own_password(db, petugas, old, old)
    assert "berbeda" in err.value.errors["sandi_baru"]
    assert login(db, "petugas", old).username == "petugas"  # nothing changed yet
    change_own_password(db, petugas, old, "sandi-baru-2027")
    assert login(db, "petugas", "sandi-baru-2027").username == "petugas"
    with pytest.raises(LoginFailed):  # the old one no longer opens
        login(db, "petugas", old)
