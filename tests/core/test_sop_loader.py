"""The SOP loader: clear errors naming file and field, the bundled six, and an installed wheel."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import warnings
import zipfile
from pathlib import Path

import pytest

from desktop_app.core.sop import SopError, load_sop_file, load_sops

REPO = Path(__file__).resolve().parents[2]
SOP_DIR = REPO / "resources" / "sops"
CODES = ("jht", "jakon", "phi", "pelatihan", "ak1", "paspor")


def broken_copy(tmp_path: Path, code: str, old: str, new: str, *, regex: bool = False) -> Path:
    """A copy of ``code``.toml with the first ``old`` replaced by ``new``."""
    text = (SOP_DIR / f"{code}.toml").read_text(encoding="utf-8")
    if regex:
        changed = re.sub(old, new, text, count=1, flags=re.MULTILINE)
    else:
        assert old in text, f"{old!r} not in {code}.toml"
        changed = text.replace(old, new, 1)
    assert changed != text
    path = tmp_path / f"{code}.toml"
    path.write_text(changed, encoding="utf-8")
    return path


def load_error(path: Path) -> str:
    with pytest.raises(SopError) as info:
        load_sop_file(path)
    return str(info.value)


# ------------------------------------------------------------------ error messages


@pytest.mark.parametrize("code", CODES)
def test_unknown_lane_in_step(tmp_path, code):
    path = broken_copy(tmp_path, code, r'^lane = "[a-z_]+"', 'lane = "tidak_ada"', regex=True)
    msg = load_error(path)
    assert msg.startswith(f"{code}.toml: ")
    assert "field 'steps[0].lane'" in msg
    assert "tidak_ada" in msg


def test_bad_time(tmp_path):
    msg = load_error(broken_copy(tmp_path, "jht", 'time = "5 Menit"', 'time = "5 menitan"'))
    assert msg.startswith("jht.toml: ")
    assert "field 'steps[0].time'" in msg
    assert "5 menitan" in msg


def test_missing_number(tmp_path):
    msg = load_error(broken_copy(tmp_path, "ak1", r"^number = .*\n", "", regex=True))
    assert msg.startswith("ak1.toml: ")
    assert "field 'number'" in msg
    assert "missing" in msg


def test_check_step_without_tidak_lengkap(tmp_path):
    msg = load_error(broken_copy(
        tmp_path, "paspor", r"^\s*\{ outcome = \"tidak_lengkap\".*\n", "", regex=True))
    assert msg.startswith("paspor.toml: ")
    assert "field 'steps[1].branches'" in msg
    assert "tidak_lengkap" in msg


def test_duplicate_field_name(tmp_path):
    msg = load_error(broken_copy(tmp_path, "phi", 'name = "rw"', 'name = "rt"'))
    assert msg.startswith("phi.toml: ")
    assert "field 'fields'" in msg
    assert "'rt' appears twice" in msg


def test_bad_nip(tmp_path):
    msg = load_error(broken_copy(
        tmp_path, "pelatihan", 'nip = "196910161995031001"', 'nip = "19691016199503100"'))
    assert msg.startswith("pelatihan.toml: ")
    assert "field 'approved_by.nip'" in msg
    assert "18 digits" in msg


def test_unknown_requires_field(tmp_path):
    msg = load_error(broken_copy(
        tmp_path, "pelatihan", 'requires_fields = ["peserta"]', 'requires_fields = ["pesrta"]'))
    assert msg.startswith("pelatihan.toml: ")
    assert "field 'steps[6].requires_fields'" in msg
    assert "pesrta" in msg


def test_document_at_missing_step(tmp_path):
    msg = load_error(broken_copy(
        tmp_path, "ak1", 'code = "kartu_ak1"\ntitle = "Kartu Tanda Bukti Pendaftaran Pencari '
        'Kerja (AK/I)"\nstep = 3', 'code = "kartu_ak1"\ntitle = "Kartu"\nstep = 9'))
    assert msg.startswith("ak1.toml: ")
    assert "field 'documents[2].step'" in msg


def test_code_must_match_file_name(tmp_path):
    path = tmp_path / "lain.toml"
    shutil.copy(SOP_DIR / "jht.toml", path)
    msg = load_error(path)
    assert msg.startswith("lain.toml: ")
    assert "field 'code'" in msg


def test_invalid_toml_names_the_file(tmp_path):
    msg = load_error(broken_copy(tmp_path, "jakon", 'order = 2', 'order = = 2'))
    assert msg.startswith("jakon.toml: ")


# ------------------------------------------------------------------ loading the six


def test_load_sops_returns_the_six_in_order():
    sops = load_sops()
    assert tuple(s.code for s in sops) == CODES
    assert [s.order for s in sops] == [1, 2, 3, 4, 5, 6]
    assert [len(s.steps) for s in sops] == [6, 6, 7, 11, 6, 7]


def test_bundled_equals_repository_files():
    assert load_sops() == load_sops(SOP_DIR)


def test_load_folder_sorts_by_order(tmp_path):
    for code in ("paspor", "jht", "ak1"):
        shutil.copy(SOP_DIR / f"{code}.toml", tmp_path)
    assert [s.code for s in load_sops(tmp_path)] == ["jht", "ak1", "paspor"]


# ------------------------------------------------------------------ installed wheel


def _project_copy(dest: Path) -> Path:
    """Copy what the wheel is built from, so the build sees neither half-written files of
    other work in progress nor leaves anything behind in the repository."""
    dest.mkdir(parents=True)
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
    for name in ("pyproject.toml", ".gitignore", "README.md"):
        if (REPO / name).exists():
            shutil.copy(REPO / name, dest / name)
    for name in ("desktop_app", "resources", "ui"):
        if (REPO / name).is_dir():
            shutil.copytree(REPO / name, dest / name, ignore=ignore)
    if not (dest / "README.md").exists():
        # pyproject.toml names README.md as the readme; hatchling refuses to build without it.
        warnings.warn("README.md is missing from the repository: the wheel build needs it",
                      stacklevel=2)
        (dest / "README.md").write_text("desktop-app\n", encoding="utf-8")
    return dest


@pytest.mark.slow
def test_resources_load_from_installed_wheel(tmp_path):
    project = _project_copy(tmp_path / "project")
    wheels = tmp_path / "wheels"
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    build = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", ".", "--no-deps", "-w", str(wheels)],
        cwd=project, env=env, capture_output=True, text=True, timeout=300,
    )
    assert build.returncode == 0, build.stdout[-3000:] + build.stderr[-3000:]
    (wheel,) = wheels.glob("desktop_app-*.whl")
    unzipped = tmp_path / "site"
    with zipfile.ZipFile(wheel) as zf:
        names = zf.namelist()
        zf.extractall(unzipped)
    for code in CODES:
        assert f"desktop_app/resources/sops/{code}.toml" in names

    script = (
        "import sys\n"
        f"sys.path.insert(0, {str(unzipped)!r})\n"
        "import desktop_app.core.sop as sop\n"
        "from desktop_app.resources import resource_root\n"
        "print(sop.__file__)\n"
        "print(resource_root())\n"
        "print(' '.join(s.code for s in sop.load_sops()))\n"
    )
    run = subprocess.run(
        [sys.executable, "-I", "-c", script],
        cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120,
    )
    assert run.returncode == 0, run.stderr
    module_file, root, codes = run.stdout.strip().splitlines()
    assert Path(module_file).is_relative_to(unzipped)
    assert Path(root) == unzipped / "desktop_app" / "resources"
    assert tuple(codes.split()) == CODES


def test_document_when_and_signed_before_are_checked(tmp_path):
    msg = load_error(broken_copy(tmp_path, "phi", 'when = "sepakat"', 'when = "kadang"'))
    assert msg.startswith("phi.toml: ") and ".when'" in msg and "kadang" in msg
    msg = load_error(broken_copy(tmp_path, "pelatihan", "signed_before_end_of_step = 6",
                                 "signed_before_end_of_step = 2"))
    assert "signed_before_end_of_step" in msg


# ------------------------------------------------------------------ register columns (issue 13)


@pytest.mark.parametrize(("old", "new", "field", "words"), [
    ('{ key = "data.kecamatan" }', '{ key = "data.kecamatn" }', "register_columns[7].key",
     "'kecamatn' is not an intake field"),
    ('{ key = "status" }', '{ key = "stat" }', "register_columns[8].key", "is not one of"),
    ('document = "kartu_ak1"', 'document = "kartu"', "register_columns[10].document",
     "'kartu' is not a document"),
    ('{ key = "tanggal_selesai" }', '{ key = "status" }', "register_columns[9].key",
     "appears twice"),
    ('lookup = "kartu_ak1"', 'lookup = "ktp"', "fields[13].lookup", "'ktp' is not one of"),
])
def test_register_columns_and_lookups_are_validated(tmp_path, old, new, field, words):
    code = "paspor" if "lookup" in old else "ak1"
    message = load_error(broken_copy(tmp_path, code, old, new))
    assert message.startswith(f"{code}.toml: field '{field}'")
    assert words in message


def test_addressee_names_intake_fields(tmp_path):
    path = broken_copy(tmp_path, "paspor", 'addressee = "Kepala Kantor Imigrasi {kantor_imigrasi}"',
                       'addressee = "Kepala Kantor Imigrasi {kantor}"')
    assert "'{kantor}' is not an intake field" in load_error(path)
    path = broken_copy(tmp_path, "paspor", 'addressee = "Kepala Kantor Imigrasi {kantor_imigrasi}"',
                       'addressee = "Kepala {kantor_imigrasi"')
    assert "documents[" in load_error(path) and "braces" in load_error(path)


def test_register_columns_of_the_six():
    sops = {s.code: s for s in load_sops()}
    for sop in sops.values():
        keys = [c.key for c in sop.register_columns]
        assert keys[:2] == ["nomor_register", "tanggal_daftar"], sop.code
        assert "status" in keys
    ak1 = [c.label for c in sops["ak1"].register_columns]
    assert ak1[-1] == "No. Pencari Kerja (AK/I)" and "Pendidikan" in ak1
    assert sops["paspor"].field("nomor_ak1").lookup == "kartu_ak1"
