"""Every SOP driven from registration to its end through the services, on SQLite and PostgreSQL."""

from __future__ import annotations

import random

import pytest
from sqlalchemy import func, select

from desktop_app.core import cases, workflow
from desktop_app.core.audit import verify_chain
from desktop_app.core.demo.cases import advance
from desktop_app.core.demo.people import demo_intake
from desktop_app.core.errors import ConflictError, PermissionDenied, ValidationError
from desktop_app.core.models import AuditEvent, Case, StepEvent
from desktop_app.core.sop import get_sop

SERVICE_SOPS = ["jht", "jakon", "phi", "ak1", "paspor"]


def _register(db, actors, code, **overrides):
    sop = get_sop(code)
    data = demo_intake(code, random.Random(1), db.now().date())
    data.update(overrides)
    clerk = actors["petugas"] if sop.first_step.kind == "submit" else actors["jfu"]
    return cases.register_case(db, clerk, code, data, {r.code: True for r in sop.requirements})


@pytest.mark.parametrize("code", ["jht", "jakon", "ak1", "paspor", "pelatihan"])
def test_whole_lifecycle_reaches_completion(db, actors, clock, code):
    sop = get_sop(code)
    case = _register(db, actors, code)
    first_office = 2 if sop.first_step.kind == "submit" else 1
    assert case.current_step == first_office
    assert case.register_number.startswith(f"{sop.register_prefix}/2026/")
    rng = random.Random(3)
    steps_done = 0
    while case.is_open:
        clock.advance(minutes=3)
        case = advance(db, actors, case, 1, rng)
        steps_done += 1
        assert steps_done <= len(sop.steps) + 1
    assert case.status == workflow.COMPLETED
    assert case.closed_at == clock.now
    detail = cases.get_case(db, case.id)
    # Registration first (for services it is the applicant's submission, step 1), then one
    # event per office step.
    assert detail.events[0].action == "daftar" and detail.events[0].step_no == 1
    office = [e.step_no for e in detail.events[1:]]
    assert office == list(range(first_office, len(sop.steps) + 1))
    assert all(e.user_name for e in detail.events)
    with db.read() as s:
        assert verify_chain(s).ok


def test_dispute_two_meetings_without_agreement_goes_to_mediator_request(db, actors):
    case = _register(db, actors, "phi")
    case = cases.act(db, actors["petugas"], case.id, "lengkap", expected_version=case.version)
    assert case.current_step == 3
    meeting = {"tempat": "Aula", "pendapat_pekerja": "Minta pesangon",
               "pendapat_pengusaha": "Tidak sanggup", "hasil": "Belum sepakat", "sepakat": False}
    case = cases.act(db, actors["jfu"], case.id, "catat_bipartit",
                     expected_version=case.version, meeting=meeting)
    assert case.current_step == 3 and case.status == workflow.IN_PROGRESS
    assert len(case.bipartite_meetings) == 1
    case = cases.act(db, actors["jfu"], case.id, "catat_bipartit",
                     expected_version=case.version, meeting=meeting)
    assert case.current_step == 4
    assert [m["ke"] for m in case.bipartite_meetings] == [1, 2]
    assert cases.get_case(db, case.id).events[-1].detail["hasil"] == "berselisih"
    case = advance(db, actors, case, 10, random.Random(1))
    assert case.status == workflow.COMPLETED and case.current_step == 7


def test_dispute_agreement_closes_the_case(db, actors):
    case = _register(db, actors, "phi")
    case = cases.act(db, actors["petugas"], case.id, "lengkap", expected_version=case.version)
    with pytest.raises(ValidationError) as err:
        cases.act(db, actors["jfu"], case.id, "catat_bipartit", expected_version=case.version,
                  meeting={"tempat": "Aula", "pendapat_pekerja": "a",
                           "pendapat_pengusaha": "b", "hasil": "Sepakat", "sepakat": True})
    assert "isi_kesepakatan" in err.value.errors
    case = cases.act(db, actors["jfu"], case.id, "catat_bipartit",
                     expected_version=case.version,
                     meeting={"tempat": "Aula", "pendapat_pekerja": "a",
                              "pendapat_pengusaha": "b", "hasil": "Sepakat", "sepakat": True,
                              "isi_kesepakatan": ["Upah lembur dibayar 1 Desember 2026"]})
    assert case.status == workflow.COMPLETED
    assert cases.get_case(db, case.id).events[-1].detail["hasil"] == "sepakat"


def test_incomplete_file_goes_back_to_applicant_and_resubmits(db, actors):
    sop = get_sop("ak1")
    data = demo_intake("ak1", random.Random(2), db.now().date())
    partial = {r.code: i > 0 for i, r in enumerate(sop.requirements)}
    case = cases.register_case(db, actors["petugas"], "ak1", data, partial)
    with pytest.raises(ValidationError) as err:
        cases.act(db, actors["petugas"], case.id, "lengkap", expected_version=case.version)
    assert sop.requirements[0].label in err.value.errors["persyaratan"]
    case = cases.act(db, actors["petugas"], case.id, "tidak_lengkap",
                     expected_version=case.version, reason="KTP belum difotokopi")
    assert case.status == workflow.RETURNED
    assert case.current_lane == "pemohon"
    assert case.status_label == "Perlu Perbaikan"
    assert cases.get_case(db, case.id).events[-1].detail["persyaratan_kurang"] == [sop.requirements[0].label]
    assert case.attention_note == "KTP belum difotokopi"
    # The clerk sees it among their tasks (waiting for the applicant).
    assert case.id in [r.id for r in cases.my_tasks(db, actors["petugas"])]
    case = cases.act(db, actors["petugas"], case.id, "ajukan_ulang",
                     expected_version=case.version,
                     requirements={r.code: True for r in sop.requirements})
    assert case.status == workflow.IN_PROGRESS and case.current_step == 2
    case = cases.act(db, actors["petugas"], case.id, "lengkap", expected_version=case.version)
    assert case.current_step == 3


def test_return_to_earlier_step_needs_reason_and_reaches_that_lane(db, actors):
    case = _register(db, actors, "jht")
    case = advance(db, actors, case, 3, random.Random(1))  # at step 5 (Kepala Dinas signs)
    assert case.current_step == 5
    with pytest.raises(ValidationError):
        cases.act(db, actors["kadis"], case.id, "kembalikan", expected_version=case.version,
                  target_step=3, reason="  ")
    case = cases.act(db, actors["kadis"], case.id, "kembalikan",
                     expected_version=case.version, target_step=3,
                     reason="Nomor KPJ tidak sesuai kartu")
    assert case.current_step == 3 and case.current_lane == "jfu"
    assert case.attention_note == "Nomor KPJ tidak sesuai kartu"
    assert case.id in [r.id for r in cases.my_tasks(db, actors["jfu"])]


def test_reject_and_withdraw_close_with_reason(db, actors):
    a = _register(db, actors, "paspor")
    a = cases.act(db, actors["kabid"], a.id, "tolak", expected_version=a.version,
                  reason="Dokumen palsu")
    assert a.status == workflow.REJECTED and a.closed_at is not None
    b = _register(db, actors, "paspor")
    b = cases.act(db, actors["petugas"], b.id, "tarik", expected_version=b.version,
                  reason="Pemohon batal berangkat")
    assert b.status == workflow.WITHDRAWN
    with pytest.raises(PermissionDenied):
        cases.act(db, actors["petugas"], b.id, "lengkap", expected_version=b.version)


def test_clerk_calling_sign_directly_is_refused_and_audited(db, actors):
    case = _register(db, actors, "jht")
    case = advance(db, actors, case, 3, random.Random(1))
    assert case.current_step == 5  # Kepala Dinas signs
    with pytest.raises(PermissionDenied):
        cases.act(db, actors["petugas"], case.id, "tanda_tangan",
                  expected_version=case.version)
    after = cases.get_case(db, case.id)
    assert after.version == case.version and after.current_step == 5
    with db.read() as s:
        last = s.scalars(select(AuditEvent).order_by(AuditEvent.seq.desc())).first()
        assert last.action == "izin_ditolak" and last.username == "petugas"


def test_delegation_lets_deputy_sign_and_records_both_people(db, actors, clock):
    from desktop_app.core import auth

    auth.add_delegation(db, actors["kabid"], from_username="kabid", to_username="kasi",
                        starts_on=clock.now.date(), ends_on=clock.now.date(), kind="Plh.")
    kasi = auth.actor_for(db, actors["kasi"].user_id)
    case = _register(db, actors, "ak1")
    case = advance(db, actors, case, 3, random.Random(1))  # at step 5: Kabid signs
    assert case.current_step == 5
    specs = cases.allowed_actions(db, kasi, case.id)
    sign = next(s for s in specs if s.code == "tanda_tangan")
    assert sign.acting_for is not None and sign.acting_for.kind == "Plh."
    # The button alone records no signature: the card waits in the queue (item 4 of issue 8).
    with pytest.raises(ValidationError) as err:
        cases.act(db, kasi, case.id, "tanda_tangan", expected_version=case.version)
    assert "Antrian Tanda Tangan" in err.value.errors["dokumen"]
    from desktop_app.core.demo.signing import demo_signing_passphrase
    from desktop_app.core.signing import batch, queue

    ids = [r.document_id for r in queue.signing_queue(db, kasi) if r.case_id == case.id]
    assert ids and batch.sign_documents(db, kasi, ids, demo_signing_passphrase("kasi")).ok
    case = cases.get_case(db, case.id)
    assert case.current_step == 6
    ev = [e for e in case.events if e.action == "tanda_tangan"][-1]
    assert ev.user_name == kasi.full_name
    assert ev.on_behalf_of_name == actors["kabid"].full_name
    # The next day the delegation is over.
    clock.advance(days=1)
    kasi_tomorrow = auth.actor_for(db, actors["kasi"].user_id)
    assert not kasi_tomorrow.acting_for


def test_conflict_names_who_changed_the_case(db, actors, clock):
    case = _register(db, actors, "ak1")
    seen_version = case.version
    clock.advance(minutes=2)
    cases.update_case(db, actors["petugas"], case.id, expected_version=seen_version,
                      data={"telepon": "081234567890"})
    with pytest.raises(ConflictError) as err:
        cases.act(db, actors["petugas"], case.id, "lengkap", expected_version=seen_version)
    assert err.value.changed_by == actors["petugas"].full_name
    assert "08:02" in err.value.message
    with db.read() as s:
        assert s.scalar(select(func.count()).select_from(StepEvent)
                        .where(StepEvent.case_id == case.id)) == 1


def test_invalid_intake_writes_nothing(db, actors):
    data = demo_intake("ak1", random.Random(5), db.now().date())
    data["nik"] = "16720112"  # too short
    data["tanggal_lahir"] = "31-02-2000"
    data["nama"] = ""
    data["keterampilan"] = "x" * 5000
    with db.read() as s:
        before = s.scalar(select(func.count()).select_from(Case))
        audit_before = s.scalar(select(func.count()).select_from(AuditEvent))
    with pytest.raises(ValidationError) as err:
        cases.register_case(db, actors["petugas"], "ak1", data, {})
    assert set(err.value.errors) >= {"nik", "tanggal_lahir", "nama", "keterampilan"}
    with db.read() as s:
        assert s.scalar(select(func.count()).select_from(Case)) == before
        assert s.scalar(select(func.count()).select_from(AuditEvent)) == audit_before


def test_nik_disagreeing_with_birth_date_and_sex_is_refused(db, actors):
    data = demo_intake("ak1", random.Random(5), db.now().date())
    data["nik"] = "1672014507950001"  # woman born 05-07-1995
    data["tanggal_lahir"] = "1995-07-06"
    data["jenis_kelamin"] = "L"
    with pytest.raises(ValidationError) as err:
        cases.register_case(db, actors["petugas"], "ak1", data, {})
    assert {"tanggal_lahir", "jenis_kelamin"} <= set(err.value.errors)
    data["tanggal_lahir"], data["jenis_kelamin"] = "1995-07-05", "P"
    case = cases.register_case(db, actors["petugas"], "ak1", data, {})
    assert case.nik == "1672014507950001"


def test_nik_from_outside_pagar_alam_is_accepted(db, actors):
    data = demo_intake("ak1", random.Random(5), db.now().date())
    data.update(nik="3174015505900002", tanggal_lahir="1990-05-15", jenis_kelamin="P")
    assert cases.register_case(db, actors["petugas"], "ak1", data, {}).nik == data["nik"]


def test_standard_times_measured_on_office_calendar(db, actors, clock):
    case = _register(db, actors, "ak1")  # Monday 08:00, check step takes 5 minutes
    assert case.step_due_at.strftime("%H:%M") == "08:05"
    clock.advance(minutes=12)
    case = cases.act(db, actors["petugas"], case.id, "lengkap", expected_version=case.version)
    ev = cases.get_case(db, case.id).events[-1]
    assert (ev.standard_minutes, ev.working_minutes, ev.on_time) == (5, 12, False)
    assert cases.due_state(db, case.step_due_at) == "segera"
    clock.advance(hours=2)
    assert cases.due_state(db, case.step_due_at) == "terlambat"
    late = cases.list_cases(db, cases.CaseQuery(sop_code="ak1", late_only=True))
    assert [r.id for r in late] == [case.id]


def test_training_requires_participants_before_step_seven_is_done(db, actors):
    case = _register(db, actors, "pelatihan")
    assert case.current_step == 1 and case.current_lane == "jfu"
    sop = get_sop("pelatihan")
    step7 = sop.step(7)
    case = advance(db, actors, case, 0, random.Random(1))
    while case.current_step < 7:
        case = advance(db, actors, case, 1, random.Random(1))
    actor = next(a for a in actors.values() if a.roles & set(sop.roles_of_lane(step7.lane)))
    with pytest.raises(ValidationError) as err:
        cases.act(db, actor, case.id, "selesai", expected_version=case.version)
    assert set(step7.requires_fields) <= set(err.value.errors)


def test_errors_survive_pickling_between_processes():
    import pickle
    from datetime import datetime

    from desktop_app.core.errors import AccountLocked

    v = pickle.loads(pickle.dumps(ValidationError({"nik": "salah"})))
    assert v.errors == {"nik": "salah"}
    c = pickle.loads(pickle.dumps(ConflictError("Rina", datetime(2026, 11, 30, 9, 5))))
    assert c.changed_by == "Rina" and "09:05" in c.message
    a = pickle.loads(pickle.dumps(AccountLocked(datetime(2026, 11, 30, 9, 15))))
    assert "09:15" in a.message


def test_no_paraf_or_signature_without_the_letter(db, actors):
    """Issue 8, item 4: JFU finished step 3 without drafting, then the Kabid's "Paraf" and the
    Kadis's "Tanda Tangan" just moved the case on. A step whose SOP names a letter now needs
    it: the drafting step the draft, the paraf and sign steps the letter in the queue."""
    case = _register(db, actors, "jht")
    case = advance(db, actors, case, 1, random.Random(1))  # Lengkap: at step 3 (JFU drafts)
    assert case.current_step == 3
    with pytest.raises(ValidationError) as err:
        cases.act(db, actors["jfu"], case.id, workflow.FINISH, expected_version=case.version)
    assert "Surat Permohonan Klaim" in err.value.errors["dokumen"]
    assert "belum dibuat" in err.value.errors["dokumen"]
    assert cases.get_case(db, case.id).current_step == 3  # nothing written
    case = advance(db, actors, case, 1, random.Random(1))  # drafted, then finished
    assert case.current_step == 4
    with pytest.raises(ValidationError):  # the Kabid's button: paraf goes through the queue
        cases.act(db, actors["kabid"], case.id, workflow.PARAF, expected_version=case.version)
    case = advance(db, actors, case, 2, random.Random(1))  # paraf, then signature, in queue
    assert case.current_step == 6
    from desktop_app.core.documents import service as ds

    assert [v.status for v in ds.documents_for_case(db, case.id)
            if v.doc_type == "surat_klaim_jht"] == [ds.SIGNED]


def test_training_report_signed_before_the_kadis_receives_it(db, actors):
    """Issue 8, item 5: the report stayed "Menunggu Tanda Tangan" after Selesai. The Ketua
    Panitia signs it (her queue holds it) before step 11; step 11 is "Terima", no rejection."""
    from desktop_app.core.demo.signing import demo_signing_passphrase
    from desktop_app.core.documents import service as ds
    from desktop_app.core.signing import batch, queue

    case = _register(db, actors, "pelatihan")
    case = advance(db, actors, case, 10, random.Random(2))
    assert case.current_step == 11
    report = next(v for v in ds.documents_for_case(db, case.id)
                  if v.doc_type == "laporan_pelatihan")
    assert report.status == ds.WAIT_SIGN
    labels = {a.code: a.label for a in cases.allowed_actions(db, actors["kadis"], case.id)}
    assert labels[workflow.HANDOVER] == "Terima: Laporan pelaksanaan pelatihan"
    assert workflow.REJECT not in labels
    with pytest.raises(ValidationError) as err:
        cases.act(db, actors["kadis"], case.id, workflow.HANDOVER,
                  expected_version=case.version)
    assert "belum ditandatangani" in err.value.errors["dokumen"]
    rows = [r for r in queue.signing_queue(db, actors["panitia"]) if r.case_id == case.id]
    assert [r.document_id for r in rows] == [report.id]
    assert batch.sign_documents(db, actors["panitia"], [report.id],
                                demo_signing_passphrase("panitia")).ok
    case = cases.act(db, actors["kadis"], case.id, workflow.HANDOVER,
                     expected_version=cases.get_case(db, case.id).version)
    assert case.status == workflow.COMPLETED
    assert ds.get_document(db, report.id).status == ds.SIGNED


def test_register_number_search_and_awaiting_check_count(db, actors):
    """Issue 8, item 12: "00003" finds JHT/2026/00003 (it matched only from the start); the
    tab's chips count "Menunggu Verifikasi" apart from "Sedang Diproses"."""
    made = [_register(db, actors, "jht") for _ in range(3)]
    third = made[2]
    assert third.register_number.endswith("00003")
    for text in ("00003", "3"):
        ids = cases.list_case_ids(db, cases.CaseQuery(sop_code="jht", search=text))
        assert third.id in ids and made[0].id not in ids, text
    advance(db, actors, made[0], 1, random.Random(1))  # past the check
    summary = cases.summarize(db, "jht")
    assert summary.awaiting_check == 2
    assert summary.by_status[workflow.IN_PROGRESS] == 3
