"""SOP versions: a case finishes on the version it started on, a new version is for new cases
only, activation needs "Lihat SOP" of the draft and a text the loader accepts, and is audited;
the administrator's list counts the open cases on each version."""

from __future__ import annotations

import random

import pytest
from sop_documents import revised_jht, sop_docx
from sqlalchemy import select

from desktop_app.core import cases, sop_versions, workflow
from desktop_app.core.audit import verify_chain
from desktop_app.core.demo.cases import advance
from desktop_app.core.demo.people import demo_intake
from desktop_app.core.errors import AppError, PermissionDenied, ValidationError
from desktop_app.core.models import AuditEvent, Case, SopVersion
from desktop_app.core.sop import get_sop
from desktop_app.core.sop_import import import_sop_document


def _register(db, actors, code="jht"):
    sop = get_sop(code)
    data = demo_intake(code, random.Random(1), db.now().date())
    return cases.register_case(db, actors["petugas"], code, data,
                                  {r.code: True for r in sop.requirements})


def _revision_with_extra_step(db) -> str:
    """JHT revised: a new step 3 'Memeriksa keaslian kartu peserta' (10 Menit)."""
    block = revised_jht(revised="2 Desember 2026")
    running, texts = sop_versions.running_texts(db)
    return import_sop_document(sop_docx([block]), "jht-revisi.docx", running=running,
                               base_texts=texts).text


def test_every_case_starts_on_the_active_version(db, actors):
    case = _register(db, actors)
    with db.read() as s:
        version = s.get(SopVersion, case.sop_version_id)
    assert (version.sop_code, version.version, version.status) == ("jht", 1, "aktif")
    assert case.sop_version_label.startswith("v1 · tanpa revisi · #")
    assert case.sop.steps == get_sop("jht").steps


def test_new_version_is_for_new_cases_only(db, actors, clock):
    admin = actors["admin"]
    old_case = _register(db, actors)
    draft = sop_versions.save_draft(db, admin, _revision_with_extra_step(db), "jht-revisi.docx")
    sop_versions.view_draft(db, admin, draft)
    assert sop_versions.activate(db, admin, draft) == 2
    new_case = _register(db, actors)
    assert len(new_case.sop.steps) == 7 and len(old_case.sop.steps) == 6
    assert new_case.sop_version_label.startswith("v2 · revisi 2 Desember 2026")
    # The old case finishes on its six steps; the new one goes through the added step.
    rng = random.Random(3)
    for case, steps in ((old_case, 6), (new_case, 7)):
        seen = []
        while case.is_open:
            clock.advance(minutes=3)
            seen.append(case.current_step)
            case = advance(db, actors, case, 1, rng)
        assert case.status == workflow.COMPLETED
        assert seen[-1] == steps
    detail = cases.get_case(db, new_case.id)
    assert [e.step_no for e in detail.events] == [1, 2, 3, 4, 5, 6, 7]
    rows = {r.version: r for r in sop_versions.list_versions(db, admin, "jht")}
    assert (rows[1].status, rows[2].status) == ("lama", "aktif")
    assert rows[2].activated_by == "Administrator Sistem"


def test_open_cases_are_counted_per_version(db, actors):
    _register(db, actors)
    _register(db, actors)
    rows = {r.sop_code: r for r in sop_versions.list_versions(db, actors["admin"])
            if r.status == "aktif"}
    assert rows["jht"].open_cases == 2 and rows["ak1"].open_cases == 0
    assert len(rows) == 6


def test_activation_needs_lihat_sop_first_and_is_audited(db, actors):
    admin = actors["admin"]
    draft = sop_versions.save_draft(db, admin, _revision_with_extra_step(db), "r.docx")
    with pytest.raises(AppError, match="Lihat SOP"):
        sop_versions.activate(db, admin, draft)
    sop_versions.view_draft(db, admin, draft)
    sop_versions.activate(db, admin, draft)
    with db.read() as s:
        event = s.scalars(select(AuditEvent).where(AuditEvent.action == "sop.aktifkan")).one()
        assert '"versi":2' in event.detail and '"menggantikan":1' in event.detail
        assert verify_chain(s).ok


def test_only_administrators_manage_versions(db, actors):
    with pytest.raises(PermissionDenied):
        sop_versions.save_draft(db, actors["kadis"], _revision_with_extra_step(db), "r.docx")
    with pytest.raises(PermissionDenied):
        sop_versions.list_versions(db, actors["petugas"])


def test_a_draft_the_loader_refuses_cannot_be_activated(db, actors):
    admin = actors["admin"]
    text = _revision_with_extra_step(db)
    draft = sop_versions.save_draft(db, admin, text, "r.docx")
    broken = text.replace('\nlane = "jfu"', '\nlane = "bendahara"', 1)
    with db.write() as s:  # a draft changed behind the program's back
        s.get(SopVersion, draft).toml_text = broken
    with pytest.raises(ValidationError, match=r"Isian 'steps\[2\]\.lane': 'bendahara' bukan "
                                              r"salah satu jalur"):
        sop_versions.view_draft(db, admin, draft)
    with pytest.raises((ValidationError, AppError)):
        sop_versions.activate(db, admin, draft)
    with db.read() as s:
        assert s.get(SopVersion, draft).status == "draf"
    with pytest.raises(ValidationError, match="Isian 'steps"):
        sop_versions.save_draft(db, admin, broken, "r.docx")


def test_program_update_of_a_shipped_file_becomes_the_next_version(db, actors, monkeypatch,
                                                                   tmp_path):
    import shutil

    from desktop_app import resources

    folder = tmp_path / "resources"
    shutil.copytree(resources.resource_root(), folder, ignore=shutil.ignore_patterns(
        "templates", "fonts", "images"))
    path = folder / "sops" / "ak1.toml"
    path.write_text(path.read_text(encoding="utf-8").replace('time = "10 Menit"',
                                                             'time = "15 Menit"'),
                    encoding="utf-8")
    monkeypatch.setattr(resources, "resource_root", lambda: folder)
    assert sop_versions.sync_program_versions(db) == [
        "SOP ak1: versi 2 dari program diaktifkan."]
    with db.read() as s:
        _, sop = sop_versions.active_version(s, "ak1")
    assert sop.step(3).time_text == "15 Menit"
    assert sop_versions.sync_program_versions(db) == []


def test_every_case_row_has_a_version(db, actors):
    _register(db, actors)
    with db.read() as s:
        assert s.scalar(select(Case.sop_version_id).limit(1)) is not None


def test_signing_queue_plans_each_case_by_its_own_version(db, actors):
    from test_signing_service import submitted

    from desktop_app.core.demo.signing import setup_demo_signing
    from desktop_app.core.documents.context import install_placeholder_emblem
    from desktop_app.core.signing import queue

    install_placeholder_emblem(db)
    setup_demo_signing(db)
    office = actors
    admin, kabid = office["admin"], office["kabid"]
    case_id, (doc_id,) = submitted(db, office, "jht")  # v1: letter drafted at step 3
    assert [r.document_id for r in queue.signing_queue(db, kabid)] == [doc_id]
    draft = sop_versions.save_draft(db, admin, _revision_with_extra_step(db), "r.docx")
    sop_versions.view_draft(db, admin, draft)
    sop_versions.activate(db, admin, draft)  # v2: the letter is drafted at step 4
    # The v1 case (at its step 4) still waits for the Kabid's paraf.
    assert [r.document_id for r in queue.signing_queue(db, kabid)] == [doc_id]
    assert queue.queue_count(db, kabid) == 1
