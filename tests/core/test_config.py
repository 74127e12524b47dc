"""Where the connection lives: precedence, the private password file, ``admin configure``."""

from __future__ import annotations

import os
import stat
import sys

import pytest

from desktop_app.core import config
from desktop_app.core.config import Locations


@pytest.fixture
def loc(tmp_path):
    return Locations(machine_config=tmp_path / "mesin", user_config=tmp_path / "pengguna",
                     machine_data=tmp_path / "data-mesin", user_data=tmp_path / "data-pengguna")


def test_precedence_flag_env_user_machine_none(loc):
    assert config.resolve(None, env={}, loc=loc) == config.Resolved(None, "")
    config.save_connection("sqlite:///C:/mesin.sqlite", config.MACHINE, loc=loc)
    assert config.resolve(None, env={}, loc=loc).source == config.MACHINE
    config.save_connection("sqlite:///C:/pengguna.sqlite", config.USER, loc=loc)
    r = config.resolve(None, env={}, loc=loc)
    assert (r.url, r.source) == ("sqlite:///C:/pengguna.sqlite", config.USER)
    env = {config.ENV_DATABASE: "sqlite:///env.sqlite"}
    assert config.resolve(None, env=env, loc=loc).url == "sqlite:///env.sqlite"
    assert config.resolve("sqlite:///flag.sqlite", env=env, loc=loc).url == "sqlite:///flag.sqlite"
    config.forget_connection(config.USER, loc=loc)
    assert config.resolve(None, env={}, loc=loc).url == "sqlite:///C:/mesin.sqlite"


def test_file_of_earlier_versions_is_still_found(loc):
    """Before the configuration existed, the program used a file in the user's data folder
    without asking; an upgrade must open it, not the setup wizard."""
    legacy = loc.user_data / config.DATABASE_NAME
    legacy.parent.mkdir(parents=True)
    legacy.write_bytes(b"")
    r = config.resolve(None, env={}, loc=loc)
    assert (r.url, r.source) == (f"sqlite:///{legacy}", config.LEGACY)
    config.save_connection("sqlite:///baru.sqlite", config.MACHINE, loc=loc)
    assert config.resolve(None, env={}, loc=loc).source == config.MACHINE


def test_demo_has_its_own_database_whatever_is_configured(loc):
    config.save_connection("sqlite:///kantor.sqlite", config.MACHINE, loc=loc)
    env = {config.ENV_DATABASE: "sqlite:///env.sqlite"}
    r = config.resolve(None, demo=True, env=env, loc=loc)
    assert r.source == "demo" and r.url.endswith("demo.sqlite") and "kantor" not in r.url
    # Only an explicit --database overrides it.
    assert config.resolve("sqlite:///x.sqlite", demo=True, env=env, loc=loc).url == \
        "sqlite:///x.sqlite"


def test_password_goes_to_private_pgpass_not_into_the_config(loc):
    path = config.save_connection("postgresql://ltk_app:r4h:as\\ia@server:5433/layanan",
                                  config.MACHINE, loc=loc)
    text = path.read_text()
    assert "r4h" not in text and "ltk_app@server:5433/layanan" in text
    passfile = loc.machine_config / config.PASSFILE_NAME
    assert passfile.read_text() == "server:5433:layanan:ltk_app:r4h\\:as\\\\ia\n"
    url = config.resolve(None, env={}, loc=loc).url
    from sqlalchemy.engine import make_url

    assert make_url(url).query["passfile"] == str(passfile) and "r4h" not in url
    assert "r4h" not in config.describe(url) and "passfile" not in config.describe(url)
    # Back to one PC: the server's password does not linger.
    config.save_connection("sqlite:///lokal.sqlite", config.MACHINE, loc=loc)
    assert not passfile.exists()


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX permission bits")
def test_password_file_is_owner_only_from_the_first_byte(loc, monkeypatch):
    seen_modes = []
    real_open = os.open

    def spy(path, flags, mode=0o777, *args, **kwargs):
        fd = real_open(path, flags, mode, *args, **kwargs)
        seen_modes.append(stat.S_IMODE(os.fstat(fd).st_mode))
        return fd

    monkeypatch.setattr(os, "open", spy)
    old = os.umask(0)  # even with a permissive umask
    try:
        config.save_connection("postgresql://u:p@h/d", config.USER, loc=loc)
    finally:
        os.umask(old)
    passfile = loc.user_config / config.PASSFILE_NAME
    assert stat.S_IMODE(passfile.stat().st_mode) == 0o600
    assert stat.S_IMODE(loc.config_file(config.USER).stat().st_mode) == 0o600
    assert seen_modes and all(m == 0o600 for m in seen_modes)
    config.save_connection("postgresql://u:p@h/d", config.MACHINE, loc=loc)
    assert stat.S_IMODE((loc.machine_config / config.PASSFILE_NAME).stat().st_mode) == 0o600
    # Every account reads the machine's choice of database; only the password stays private.
    assert stat.S_IMODE(loc.config_file(config.MACHINE).stat().st_mode) == 0o644


def test_libpq_reads_the_password_file(loc, pg_password_role, pg_database):
    """The URL the program uses has no password; libpq finds it in pgpass.conf."""
    from sqlalchemy import text
    from sqlalchemy.engine import make_url

    from desktop_app.core.db import open_database

    name, password = pg_password_role
    u = make_url(pg_database()).set(username=name, password=password)
    config.save_connection(u.render_as_string(hide_password=False), config.USER, loc=loc)
    url = config.resolve(None, env={}, loc=loc).url
    assert password not in url
    db = open_database(url, migrate=False)
    try:
        with db.read() as s:
            assert s.execute(text("SELECT current_user")).scalar() == name
    finally:
        db.dispose()


def test_unreadable_config_counts_as_none(loc):
    path = loc.config_file(config.USER)
    path.parent.mkdir(parents=True)
    path.write_text("[database\nurl = ???")
    assert config.read_config_url(path) is None


def test_admin_configure_and_show_config(capsys, monkeypatch, loc, tmp_path):
    from desktop_app.__main__ import main

    monkeypatch.setattr(config.Locations, "from_platform", classmethod(lambda cls: loc))
    monkeypatch.delenv(config.ENV_DATABASE, raising=False)
    url = f"sqlite:///{tmp_path / 'kantor.sqlite'}"
    assert main(["admin", "configure", "--database", url, "--machine"]) == 0
    assert config.resolve(None, env={}, loc=loc) == config.Resolved(url, config.MACHINE)
    assert main(["admin", "show-config"]) == 0
    out = capsys.readouterr().out
    assert "konfigurasi komputer" in out and "kantor.sqlite" in out
    # A server that does not answer is not written.
    code = main(["admin", "configure", "--database", "postgresql://u@127.0.0.1:1/db"])
    err = capsys.readouterr()
    assert code == 2 and "port 1" in err.out and "tidak ditulis" in err.err
    assert not loc.config_file(config.USER).exists()


def test_cli_without_configuration_says_what_to_do(capsys, monkeypatch, loc):
    from desktop_app.__main__ import main

    monkeypatch.setattr(config.Locations, "from_platform", classmethod(lambda cls: loc))
    monkeypatch.delenv(config.ENV_DATABASE, raising=False)
    code = main(["admin", "verify-audit"])
    err = capsys.readouterr().err
    assert code == 2 and "admin configure" in err and err.count("\n") == 1
