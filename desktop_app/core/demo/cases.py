"""Demo cases: sample cases in every SOP and status, and scale data for benchmarks."""

from __future__ import annotations

import random
from datetime import timedelta
from typing import Any

from sqlalchemy import func, insert, select

from desktop_app.core import auth, cases, sop_versions, workflow
from desktop_app.core.db import Database
from desktop_app.core.demo.accounts import (
    DemoAccount,
    _actor_for_lane,
    _login_all,
    create_demo_users,
)
from desktop_app.core.demo.people import _LAST, _person, _training_field, demo_intake
from desktop_app.core.demo.signing import demo_signing_passphrase, setup_demo_signing
from desktop_app.core.models import Case, Counter, User
from desktop_app.core.numbering import format_register_number, next_value, register_series
from desktop_app.core.roles import ADMIN, PETUGAS_PENERIMA
from desktop_app.core.signing import batch, paraf, queue
from desktop_app.core.sop import sops


def _letters_for_step(db: Database, actors: dict[str, auth.Actor],
                      case: cases.CaseDetail) -> cases.CaseDetail:
    """The SOP's own path for the letters of the case's current step: draft the letters the
    step produces, and give the paraf and signatures due by the end of the step through the
    signing queue (which moves the case on at a paraf or sign step)."""
    from desktop_app.core.documents import lifecycle
    from desktop_app.core.documents import service as documents

    sop = case.sop
    step = sop.step(case.current_step)
    due = lifecycle._letters_due(sop, step, case)  # type: ignore[arg-type]
    if not due:
        return case
    from desktop_app.core.documents.context import install_placeholder_emblem

    install_placeholder_emblem(db)  # letters need the office emblem (demo: the placeholder)
    have = {v.doc_type for v in documents.documents_for_case(db, case.id)
            if v.status != documents.VOIDED}
    for spec in due:
        if spec.code not in have and spec.step == step.no:
            drafter = _actor_for_lane(actors, sop.roles_of_lane(step.lane))
            if _needs_photo(db, spec.code) and not any(
                    a.kind == "pas_foto" for a in cases.get_case(db, case.id).attachments):
                _add_demo_photo(db, drafter, case.id, spec.code)
            documents.draft_document(db, drafter, case.id, spec.code)
    if step.kind in ("paraf", "sign") or any(0 < d.signed_before_end_of_step <= step.no
                                             for d in due):
        setup_demo_signing(db)  # idempotent: certificates for the demo signers
        version = case.version
        if step.kind == "paraf":
            _sign_waiting(db, actors, case.id, "paraf")
        else:
            _sign_waiting(db, actors, case.id, "paraf")
            _sign_waiting(db, actors, case.id, "ttd")
        case = cases.get_case(db, case.id)
        if case.version != version and step.kind in ("paraf", "sign"):
            return case
    return case


def _needs_photo(db: Database, doc_code: str) -> bool:
    """Whether document ``doc_code`` prints the applicant's pas foto: the AK/I card, and the
    passport recommendation where the office's form has one."""
    from desktop_app.core import settings
    from desktop_app.core.documents.photo import photo_on_recommendation

    if doc_code == "kartu_ak1":
        return True
    return doc_code == "rekomendasi_paspor" and photo_on_recommendation(
        settings.get_setting(db, settings.DOCUMENTS))


def _add_demo_photo(db: Database, actor: auth.Actor, case_id: int,
                    doc_code: str = "kartu_ak1") -> None:
    """A drawn placeholder as the applicant's 3x4 photo (no real person): the card's red
    pas-foto one, the neutral silhouette of resources/images for the recommendation."""
    import base64

    from desktop_app.core.documents.card import placeholder_photo
    from desktop_app.core.documents.photo import demo_photo_png

    png = (base64.b64decode(placeholder_photo().split(",", 1)[1]) if doc_code == "kartu_ak1"
           else demo_photo_png())
    cases.add_attachment(db, actor, case_id, kind="pas_foto", filename="pas_foto.png",
                         content=png,
                         mime_type="image/png")


def advance(db: Database, actors: dict[str, auth.Actor], case: cases.CaseDetail,
            steps: int, rng: random.Random) -> cases.CaseDetail:
    """Move a case forward ``steps`` times along its happy path (used by demo and tests),
    with the letters each step's SOP names drafted, initialled and signed on the way."""
    sop = case.sop
    for _ in range(steps):
        if not case.is_open:
            break
        step = sop.step(case.current_step)
        actor = _actor_for_lane(actors, sop.roles_of_lane(step.lane))
        if step.kind not in ("check", "bipartite"):
            for name in step.requires_fields:
                if not case.data.get(name):
                    case = cases.update_case(db, actor, case.id, expected_version=case.version,
                                             data={name: _training_field(name, rng)})
            moved_from = (case.current_step, case.status)
            case = _letters_for_step(db, actors, case)
            if (case.current_step, case.status) != moved_from:
                continue  # the signing queue moved the case on
        kwargs: dict[str, Any] = {}
        if step.kind == "check":
            action = workflow.COMPLETE_OK
            kwargs["requirements"] = {r.code: True for r in sop.requirements}
        elif step.kind == "bipartite":
            action = workflow.BIPARTITE
            kwargs["meeting"] = {"tempat": "Ruang Rapat Bidang Tenaga Kerja",
                                 "pendapat_pekerja": "Menuntut pembayaran upah lembur.",
                                 "pendapat_pengusaha": "Perusahaan belum sanggup membayar.",
                                 "hasil": "Belum tercapai kesepakatan.", "sepakat": False}
        else:
            action = {"submit": workflow.FINISH, "work": workflow.FINISH,
                      "approve": workflow.APPROVE, "paraf": workflow.PARAF,
                      "sign": workflow.SIGN, "handover": workflow.HANDOVER}[step.kind]
        for name in step.requires_fields:
            if not case.data.get(name):
                kwargs.setdefault("data", {})[name] = _training_field(name, rng)
        case = cases.act(db, actor, case.id, action, expected_version=case.version,
                         **kwargs)
    return case


def seed_demo(db: Database, *, seed: int = 7) -> list[DemoAccount]:
    """Demo users (if missing) and sample cases in every SOP and status (if none yet)."""
    created = create_demo_users(db)
    from desktop_app.core.documents.context import install_placeholder_emblem

    install_placeholder_emblem(db)  # the drawn placeholder shield, until the office uploads one
    with db.read() as s:
        if s.scalar(select(func.count(Case.id))):
            return created
    rng = random.Random(seed)
    actors = _login_all(db)
    today = db.now().date()
    setup_demo_signing(db)  # the demo officials' certificates: the cases' letters are signed
    for sop in sops():
        reg_lane = sop.first_step.lane if sop.first_step.kind != "submit" else sop.step(2).lane
        clerk = _actor_for_lane(actors, sop.roles_of_lane(reg_lane) or (PETUGAS_PENERIMA,))
        if sop.first_step.kind == "submit":
            clerk = actors["petugas"]
        # One case at every step (its letters drafted, initialled and signed as far as the
        # step goes: letters waiting for paraf and signature in the heads' queues), and closed
        # ones. Every letter goes through the signing queue, so keep the count small.
        to_close = len(sop.steps) - workflow.first_office_step(sop) + 1
        for i in range(to_close + 1):  # i == to_close: the one closed (Selesai) case
            reqs = {r.code: True for r in sop.requirements}
            case = cases.register_case(db, clerk, sop.code, demo_intake(sop.code, rng, today),
                                       reqs)
            case = advance(db, actors, case, i, rng)
        # One returned (incomplete), one rejected, one withdrawn per service.
        if sop.subject != "training":
            reqs = {r.code: r.code != sop.requirements[0].code for r in sop.requirements}
            case = cases.register_case(db, clerk, sop.code, demo_intake(sop.code, rng, today),
                                       reqs)
            cases.act(db, clerk, case.id, workflow.INCOMPLETE, expected_version=case.version,
                      reason="Persyaratan belum lengkap; mohon dilengkapi.")
            case = cases.register_case(db, clerk, sop.code, demo_intake(sop.code, rng, today),
                                       {r.code: True for r in sop.requirements})
            cases.act(db, actors["kabid"], case.id, workflow.REJECT,
                      expected_version=case.version, reason="Data pemohon tidak benar.")
            case = cases.register_case(db, clerk, sop.code, demo_intake(sop.code, rng, today),
                                       {r.code: True for r in sop.requirements})
            cases.act(db, clerk, case.id, workflow.WITHDRAW, expected_version=case.version,
                      reason="Pemohon membatalkan permohonan.")
    return created


def _sign_waiting(db: Database, actors: dict[str, auth.Actor], case_id: int, kind: str) -> None:
    """Give every paraf (or signature) the case's documents wait for, as the demo heads."""
    for actor in actors.values():
        if ADMIN in actor.roles or not queue.is_signer(actor):
            continue
        rows = [r for r in queue.signing_queue(db, actor) if r.case_id == case_id
                and r.awaited == kind]
        if not rows:
            continue
        ids = [r.document_id for r in rows]
        if kind == "paraf":
            paraf.paraf_documents(db, actor, ids)
        else:
            batch.sign_documents(db, actor, ids,
                                 demo_signing_passphrase(actor.username))


def seed_scale(db: Database, n: int, *, seed: int = 11, batch: int = 20_000) -> int:
    """Insert ``n`` cases spread over the six SOPs with bulk inserts (benchmarks, scale tests).

    The rows are consistent (numbers from the counters, valid statuses and lanes) but carry
    no step history: this exercises lists and queries, not the workflow.
    """
    rng = random.Random(seed)
    sop_list = sop_versions.active_sops(db)
    now = db.now()
    with db.read() as s:
        user_id = s.scalar(select(User.id).order_by(User.id)) or 1
        version_ids = {sop.code: sop_versions.active_version(s, sop.code)[0]
                       for sop in sop_list}
    statuses = [workflow.IN_PROGRESS] * 6 + [workflow.COMPLETED] * 3 + [workflow.RETURNED,
                                                                       workflow.REJECTED]
    written = 0
    while written < n:
        size = min(batch, n - written)
        with db.write() as s:
            rows = []
            per_sop: dict[tuple[str, int], list[int]] = {}
            for _ in range(size):
                sop = rng.choice(sop_list)
                year = now.year - rng.choice([0, 0, 0, 1, 2])
                per_sop.setdefault((sop.code, year), []).append(len(rows))
                status = rng.choice(statuses)
                step = rng.randint(2 if sop.first_step.kind == "submit" else 1, len(sop.steps))
                registered = now - timedelta(minutes=rng.randint(0, 60 * 24 * 365 * 2))
                if registered.year != year:
                    registered = registered.replace(year=year)
                p = _person(rng, now.date()) if sop.subject == "person" else None
                title = p["nama"] if p else f"{rng.choice(['CV', 'PT'])} {rng.choice(_LAST)} " \
                    f"{rng.randint(1, 999)}"
                due = registered + timedelta(hours=rng.randint(1, 200))
                rows.append({
                    "sop_code": sop.code, "sop_version_id": version_ids[sop.code],
                    "register_year": year, "status": status,
                    "current_step": step, "current_lane": sop.step(step).lane,
                    "title": title, "title_key": title.lower(), "nik": p["nik"] if p else None,
                    "data": p or {"nama_perusahaan": title}, "registered_at": registered,
                    "registered_by_id": user_id, "step_started_at": registered,
                    "step_due_at": due if status == workflow.IN_PROGRESS else None,
                    "due_at": due, "closed_at": None, "updated_at": registered,
                    "updated_by_id": user_id, "version": 1, "attention_note": None,
                })
            prefixes = {sop.code: sop.register_prefix for sop in sop_list}
            for (code, year), idxs in per_sop.items():
                first = next_value(s, register_series(code, year))
                s.execute(
                    Counter.__table__.update().where(Counter.name == register_series(code, year))
                    .values(value=first + len(idxs) - 1))
                for offset, idx in enumerate(idxs):
                    rows[idx]["register_seq"] = first + offset
                    rows[idx]["register_number"] = format_register_number(
                        prefixes[code], year, first + offset)
            s.execute(insert(Case), rows)
        written += size
    return written
