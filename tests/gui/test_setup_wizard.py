"""The first-run wizard driven page by page: Satu PC ini, Server kantor against the real local
PostgreSQL (with every "Uji koneksi" answer), the second PC of an office, and the start-up."""

from __future__ import annotations

import uuid

import psycopg
import pytest
from sqlalchemy import func, select
from sqlalchemy.engine import make_url

from desktop_app.core import auth, config, settings
from desktop_app.core.audit import verify_chain
from desktop_app.core.config import Locations
from desktop_app.core.db import open_database
from desktop_app.core.documents import context as doc_context
from desktop_app.core.models import Case, User
from desktop_app.gui.setup_wizard import (
    PAGE_ADMIN,
    PAGE_DONE,
    PAGE_LOCAL,
    PAGE_OFFICIALS,
    PAGE_PROFILE,
    PAGE_SERVER,
    SetupWizard,
)

SVG = b'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><circle r="4"/></svg>'


@pytest.fixture
def loc(tmp_path):
    return Locations(machine_config=tmp_path / "mesin", user_config=tmp_path / "pengguna",
                     machine_data=tmp_path / "data-mesin", user_data=tmp_path / "data-pengguna")


@pytest.fixture
def wizard(qtbot, loc, free_widgets):
    w = SetupWizard(loc)
    qtbot.addWidget(w)
    w.show()
    yield w
    if w.db is not None:
        w.db.dispose()


def _admin(w: SetupWizard, password: str = "admin-kantor-1", again: str | None = None) -> None:
    page = w.admin_page
    page.full_name.setText("Rina Administrator")
    page.username.setText("rina")
    page.password.setText(password)
    page.password_again.setText(again if again is not None else password)


def _visible_error(page, name: str) -> str:
    from PySide6.QtWidgets import QLabel

    label = page.findChild(QLabel, f"error_{name}")
    return label.text() if label is not None and label.isVisible() else ""


def test_one_pc_from_start_to_finish(wizard, loc):
    w = wizard
    assert w.mode_page.local.isChecked()
    w.next()
    assert w.currentId() == PAGE_LOCAL
    assert str(loc.machine_data) in w.local_page.path_label.text()
    w.next()
    assert w.currentId() == PAGE_ADMIN
    # Bad input stays at its field and writes nothing.
    _admin(w, "admin-kantor-1", "admin-kantor-2")
    w.next()
    assert w.currentId() == PAGE_ADMIN and "tidak sama" in _visible_error(w, "password_again")
    _admin(w, "pendek")
    w.next()
    assert w.currentId() == PAGE_ADMIN and "minimal 10" in _visible_error(w, "password")
    assert not auth.list_users(w.db)
    _admin(w)
    w.next()
    assert w.currentId() == PAGE_PROFILE
    form = w.profile_page.form
    form.edits["nama_dinas"].setText("")
    w.next()
    assert w.currentId() == PAGE_PROFILE and "Wajib" in _visible_error(form, "nama_dinas")
    form.edits["nama_dinas"].setText("DINAS PMPTSP DAN TENAGA KERJA KOTA PAGAR ALAM")
    form.edits["alamat"].setText("Jl. Uji No. 5, Pagar Alam")
    assert not w.profile_page.set_emblem(b"bukan gambar", "text/plain", "x.txt")
    assert w.profile_page.set_emblem(SVG, "image/svg+xml", "lambang.svg")
    w.next()
    assert w.currentId() == PAGE_OFFICIALS
    kadis = w.officials_page.edits["kadis"]
    kadis["full_name"].setText("Drs. H. Kepala Dinas, M.Si")
    kadis["nip"].setText("12345")
    w.next()
    assert w.currentId() == PAGE_OFFICIALS and "18 digit" in _visible_error(w, "kadis.nip")
    kadis["nip"].setText("197001011990031001")
    kadis["pangkat"].setText("Pembina Utama Muda / IV.c")
    w.next()
    assert w.currentId() == PAGE_DONE
    summary = w.done_page.summary.text()
    official, password = w.officials_created[0]
    assert password in summary and "rina" in summary and str(loc.machine_config) in summary
    w.accept()

    # What was written: the machine configuration, a real database, the same settings store.
    resolved = config.resolve(None, env={}, loc=loc)
    assert resolved.source == config.MACHINE and resolved.url == w.url
    db = w.db
    assert auth.login(db, "rina", "admin-kantor-1").roles == {"admin"}
    assert auth.login(db, "kadis", password).roles == {"kadis"}
    with db.read() as s:
        assert s.scalar(select(func.count(User.id))) == 2  # no demo accounts
        assert s.scalar(select(func.count(Case.id))) == 0  # no demo cases
        assert verify_chain(s).ok
    profile = settings.office_profile(db)
    assert profile["alamat"] == "Jl. Uji No. 5, Pagar Alam"
    assert doc_context.emblem_data_uri(db).startswith("data:image/svg+xml")
    kadis_row = next(u for u in auth.list_users(db) if u.username == "kadis")
    assert kadis_row.nip == "197001011990031001" and kadis_row.pangkat.startswith("Pembina")


def _server_page(w: SetupWizard, url: str, password: str | None = None) -> None:
    u = make_url(url)
    w.mode_page.server.setChecked(True)
    if w.currentId() != PAGE_SERVER:
        w.next()
    page = w.server_page
    page.host.setText(u.host or "")
    page.port.setValue(u.port or 5432)
    page.database.setText(u.database or "")
    page.user.setText(u.username or "")
    page.password.setText(password if password is not None else (u.password or ""))


def test_office_server_first_pc(wizard, loc, pg_database):
    w = wizard
    url = pg_database()
    _server_page(w, url)
    w.server_page.test_button.click()
    assert "Koneksi berhasil" in w.server_page.result.text()
    w.next()
    assert w.currentId() == PAGE_ADMIN
    _admin(w)
    w.next()
    assert w.currentId() == PAGE_PROFILE
    assert config.resolve(None, env={}, loc=loc).url.startswith("postgresql://")
    db = open_database(url, migrate=False)
    try:
        assert [u.username for u in auth.list_users(db)] == ["rina"]
    finally:
        db.dispose()


def test_second_pc_of_the_office_goes_straight_to_the_end(wizard, loc, pg_database):
    url = pg_database()
    db = open_database(url)
    auth.create_user(db, None, username="rina", full_name="Rina", password="admin-kantor-1",
                     roles=["admin"])
    db.dispose()
    w = wizard
    _server_page(w, url)
    w.next()
    assert w.currentId() == PAGE_DONE
    assert "sudah mempunyai pengguna" in w.done_page.summary.text()
    assert [u.username for u in auth.list_users(w.db)] == ["rina"]


def _newer(url: str) -> None:
    open_database(url).dispose()
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("UPDATE alembic_version SET version_num = 'ffff_masa_depan'")


def _foreign(url: str) -> None:
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("CREATE TABLE barang (id int primary key)")


@pytest.mark.parametrize("problem, expected", [
    ("host", "tidak dikenal"),
    ("port", "port 1"),
    ("password", "Kata sandi"),
    ("database", "tidak ada di server"),
    ("foreign", "program lain"),
    ("newer", "lebih baru"),
])
def test_uji_koneksi_answers(wizard, loc, pg_database, pg_password_role, problem, expected):
    url = pg_database()
    password = None
    if problem == "host":
        url = make_url(url).set(host="tidak-ada.invalid").render_as_string(hide_password=False)
    elif problem == "port":
        url = make_url(url).set(port=1).render_as_string(hide_password=False)
    elif problem == "password":
        url = make_url(url).set(username=pg_password_role[0]).render_as_string()
        password = "sandi-yang-salah"
    elif problem == "database":
        url = make_url(url).set(database=f"tidak_ada_{uuid.uuid4().hex[:8]}").render_as_string()
    elif problem == "foreign":
        _foreign(url)
    else:
        _newer(url)
    w = wizard
    _server_page(w, url, password)
    w.server_page.test_button.click()
    result = w.server_page.result
    assert result.isVisible() and expected in result.text()
    assert "FATAL" not in result.text() and "Traceback" not in result.text()
    w.next()  # refused: stays, writes no configuration
    assert w.currentId() == PAGE_SERVER
    assert config.resolve(None, env={}, loc=loc).url is None


def test_right_password_passes(pg_password_role, wizard, loc, pg_database):
    # pg_password_role first: its objects go with the database before the role is dropped.
    name, password = pg_password_role
    url = pg_database()
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(f'GRANT CREATE ON SCHEMA public TO "{name}"')
    _server_page(wizard, make_url(url).set(username=name).render_as_string(), password)
    wizard.next()
    assert wizard.currentId() == PAGE_ADMIN
    stored = config.resolve(None, env={}, loc=loc).url
    assert password not in stored and "passfile" in stored


def test_configured_empty_database_starts_at_the_administrator(qtbot, loc, tmp_path,
                                                                free_widgets):
    url = f"sqlite:///{tmp_path / 'dipasang.sqlite'}"
    db = open_database(url)
    w = SetupWizard(loc, configured_url=url)
    w.attach(db)
    qtbot.addWidget(w)
    w.show()
    assert w.currentId() == PAGE_ADMIN
    _admin(w)
    w.next()
    assert w.currentId() == PAGE_PROFILE
    db.dispose()


def test_going_back_to_another_database_starts_its_accounts_afresh(wizard, loc, tmp_path):
    w = wizard
    w.next()
    w.next()  # Satu PC ini: the machine's file
    _admin(w)
    w.next()
    first_db = w.db
    assert w.currentId() == PAGE_PROFILE and auth.list_users(first_db)
    w.back()
    w.back()
    w.back()
    w.mode_page.server.setChecked(False)
    loc2 = tmp_path / "lain"
    w.loc = Locations(loc2 / "m", loc2 / "u", loc2 / "dm", loc2 / "d")
    w.next()
    w.next()
    assert w.currentId() == PAGE_ADMIN and w.db is not first_db and w.admin is None
    _admin(w)
    w.next()
    assert [u.username for u in auth.list_users(w.db)] == ["rina"]
    assert w.profile_page.form.ctx.db is w.db
