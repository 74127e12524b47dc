"""``desktop-app admin`` SOP commands end to end: import a document into a draft, look at its
sheet, activate it; export and import BPMN; a refused file activates nothing."""

from __future__ import annotations

import re

import pytest
from sop_documents import seed_blocks, sop_docx
from test_cli import make_first_admin, run, run_as_admin


@pytest.fixture
def url(tmp_path):
    return f"sqlite:///{tmp_path / 'cli.sqlite'}"


def test_import_view_activate(capsys, url, tmp_path, monkeypatch):
    make_first_admin(capsys, url)
    block = [list(r) for r in seed_blocks()[4]]  # AK/I
    for row in block:
        if row and row[0] == "3" and len(row) > 9:
            row[8] = "15 Menit"  # input data and printing now takes 15 minutes
    doc = tmp_path / "ak1-revisi.docx"
    doc.write_bytes(sop_docx([block]))
    code, out, _ = run_as_admin(capsys, monkeypatch, "--database", url, "admin", "import-sop",
                                str(doc), "--tulis", str(tmp_path / "draf.toml"))
    assert code == 0 and "Revisi dari SOP yang berjalan: ak1." in out
    draft_id = re.search(r"versi #(\d+)", out).group(1)
    assert 'time = "15 Menit"' in (tmp_path / "draf.toml").read_text(encoding="utf-8")
    code, _, err = run(capsys, "--database", url, "admin", "activate-sop", draft_id)
    assert code == 2 and "administrator" in err  # the URL alone is not enough (issue 11)
    code, _, err = run_as_admin(capsys, monkeypatch, "--database", url, "admin",
                                "activate-sop", draft_id)
    assert code == 2 and "Lihat SOP" in err
    code, out, _ = run_as_admin(capsys, monkeypatch, "--database", url, "admin",
                                "sop-draft-sheet", draft_id, str(tmp_path / "lembar.pdf"))
    assert code == 0 and (tmp_path / "lembar.pdf").read_bytes()[:5] == b"%PDF-"
    code, out, _ = run_as_admin(capsys, monkeypatch, "--database", url, "admin",
                                "activate-sop", draft_id)
    assert code == 0 and "Versi 2 diaktifkan" in out
    code, out, _ = run(capsys, "--database", url, "admin", "sop-versions", "ak1")
    lines = out.strip().splitlines()
    assert len(lines) == 2 and "v2" in lines[0] and "Aktif" in lines[0]
    assert "Versi lama" in lines[1]


def test_export_and_import_bpmn(capsys, url, tmp_path, monkeypatch):
    make_first_admin(capsys, url)
    target = tmp_path / "phi.bpmn"
    code, out, _ = run(capsys, "--database", url, "admin", "export-bpmn", "phi", str(target))
    assert code == 0 and "v1" in out and target.read_text(encoding="utf-8").startswith("<?xml")
    code, out, _ = run_as_admin(capsys, monkeypatch, "--database", url, "admin", "import-bpmn",
                                str(target))
    assert code == 0 and "Tebakan yang perlu diperiksa (0)" in out


def test_refused_files_activate_nothing(capsys, url, tmp_path):
    scan = tmp_path / "scan.pdf"
    from PIL import Image

    Image.new("RGB", (200, 300), "white").save(scan, "PDF")
    code, _, err = run(capsys, "--database", url, "admin", "import-sop", str(scan))
    assert code == 2 and "hasil pindaian" in err and "Tidak ada yang diaktifkan" in err
    two = tmp_path / "dua.docx"
    two.write_bytes(sop_docx(seed_blocks()[:2]))
    code, _, err = run(capsys, "--database", url, "admin", "import-sop", str(two))
    assert code == 2 and "berisi 2 SOP" in err
    code, out, _ = run(capsys, "--database", url, "admin", "sop-versions")
    assert out.count("Aktif") == 6 and "Draf" not in out
