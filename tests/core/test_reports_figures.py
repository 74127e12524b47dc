"""Recaps, the AK/I (IPK) figures, the standard-time dashboard and the satisfaction survey,
computed on both databases from cases the tests create and checked against what was done."""

from __future__ import annotations

import random
from collections import Counter
from datetime import date, datetime
from decimal import Decimal
from fractions import Fraction

import pytest
from sqlalchemy import select

from desktop_app.core import cases, workflow
from desktop_app.core.db import Database
from desktop_app.core.demo.cases import advance
from desktop_app.core.demo.people import demo_intake
from desktop_app.core.errors import PermissionDenied, ValidationError
from desktop_app.core.models import StepEvent, StepStat
from desktop_app.core.reports import ak1_cards, ipk, recap, standard_time, step_stats, survey
from desktop_app.core.reports.period import Period
from desktop_app.core.sop import get_sop

OCT, NOV = Period.month(2026, 10), Period.month(2026, 11)


def _register(db: Database, actors: dict, code: str, rng: random.Random,
              **extra: object) -> cases.CaseDetail:
    sop = get_sop(code)
    data = {**demo_intake(code, rng, db.now().date()), **extra}
    clerk = actors["jfu"] if code == "pelatihan" else actors["petugas"]
    return cases.register_case(db, clerk, code, data, {r.code: True for r in sop.requirements})


# ------------------------------------------------------------------------- per SOP


def test_sop_recap_counts_what_happened(db, actors, clock):
    rng = random.Random(2)
    clock.set(datetime(2026, 10, 28, 9, 0))
    carried = _register(db, actors, "jht", rng)  # open across the month end
    clock.set(datetime(2026, 11, 3, 9, 0))
    done = [advance(db, actors, _register(db, actors, "jht", rng), 5, rng) for _ in range(2)]
    returned = _register(db, actors, "jht", rng)
    cases.act(db, actors["petugas"], returned.id, workflow.INCOMPLETE,
                 expected_version=returned.version, reason="KPJ tidak ada.")
    rejected = _register(db, actors, "jht", rng)
    cases.act(db, actors["kabid"], rejected.id, workflow.REJECT,
                 expected_version=rejected.version, reason="Data tidak benar.")
    withdrawn = _register(db, actors, "jht", rng)
    cases.act(db, actors["petugas"], withdrawn.id, workflow.WITHDRAW,
                 expected_version=withdrawn.version, reason="Dibatalkan pemohon.")
    late = _register(db, actors, "jht", rng)
    clock.set(datetime(2026, 11, 20, 9, 0))  # days later: past its minutes of standard time
    late = advance(db, actors, late, 5, rng)
    assert all(c.status == workflow.COMPLETED for c in [*done, late])
    clock.set(datetime(2026, 12, 2, 9, 0))
    figures = {f.sop_code: f.counts for f in recap.sop_recap(db, actors["kabid"], NOV)}
    jht = figures["jht"]
    assert jht["diterima"] == 6
    assert jht["lengkap"] == 3  # two finished now, one late
    assert jht["dikembalikan"] == 1
    assert (jht["selesai"], jht["ditolak"], jht["ditarik"]) == (3, 1, 1)
    assert jht["selesai_terlambat"] == 1
    # open at the end of November: the October case and the returned one
    assert jht["terbuka"] == 2
    assert figures["ak1"]["diterima"] == 0
    oct_figures = {f.sop_code: f.counts for f in recap.sop_recap(db, actors["kabid"], OCT)}
    assert oct_figures["jht"]["diterima"] == 1 and oct_figures["jht"]["terbuka"] == 1
    assert carried.id
    table = recap.sop_recap_table(recap.sop_recap(db, actors["kabid"], NOV), NOV)
    total = table.sections[0].rows[-1]
    assert total[0] == "Jumlah" and total[1] == 6
    # a role sees only its SOPs
    assert [f.sop_code for f in recap.sop_recap(db, actors["staf"], NOV)] == ["pelatihan"]
    # A whole month reads the checks from the monthly step sums (events past their edge
    # from the events): the same figures before and after November is summed, and the same
    # as a period of days, which reads the events themselves.
    with db.read() as s:
        assert s.scalar(select(StepStat.n).limit(1)) is None  # not summed yet
    step_stats.refresh(db)
    with db.read() as s:
        assert s.scalar(select(StepStat.n).where(StepStat.month == 202611).limit(1))
    summed = {f.sop_code: f.counts for f in recap.sop_recap(db, actors["kabid"], NOV)}
    assert (summed["jht"]["lengkap"], summed["jht"]["dikembalikan"]) == (3, 1)
    days = Period(date(2026, 11, 2), date(2026, 11, 30))
    by_days = {f.sop_code: f.counts for f in recap.sop_recap(db, actors["kabid"], days)}
    assert (by_days["jht"]["lengkap"], by_days["jht"]["dikembalikan"]) == (3, 1)


def test_training_recap_counts_participants(db, actors, clock):
    rng = random.Random(5)
    clock.set(datetime(2026, 10, 5, 9, 0))
    people = [{"nama": "Ani", "jenis_kelamin": "P", "pendidikan": "SMA"},
              {"nama": "Budi", "jenis_kelamin": "L", "pendidikan": "SMK"},
              {"nama": "Citra", "jenis_kelamin": "P", "pendidikan": "SMA"}]
    _register(db, actors, "pelatihan", rng, tanggal_mulai="2026-11-10",
              tanggal_selesai="2026-11-12", peserta=people, kuota_peserta=20)
    _register(db, actors, "pelatihan", rng, tanggal_mulai="2026-12-01",
              tanggal_selesai="2026-12-02")
    rows = recap.training_recap(db, actors["kabid"], NOV)
    assert len(rows) == 1
    assert rows[0].participants == Counter({"P": 2, "L": 1})
    assert rows[0].by_education == Counter({"SMA": 2, "SMK": 1})
    table = recap.training_recap_table(rows, NOV)
    assert table.sections[0].rows[-1][7:10] == [1, 2, 3]
    with pytest.raises(PermissionDenied):
        recap.training_recap(db, actors["petugas"], NOV)  # no lane in the training SOP


def test_dispute_recap_by_outcome(db, actors, clock):
    rng = random.Random(6)
    clock.set(datetime(2026, 11, 4, 9, 0))
    agreed = advance(db, actors, _register(db, actors, "phi", rng), 1, rng)
    cases.act(db, actors["jfu"], agreed.id, workflow.BIPARTITE,
                 expected_version=agreed.version,
                 meeting={"tempat": "Kantor", "pendapat_pekerja": "a", "pendapat_pengusaha": "b",
                          "hasil": "Sepakat", "sepakat": True, "isi_kesepakatan": ["Dibayar."]})
    failed = advance(db, actors, _register(db, actors, "phi", rng), 3, rng)  # 2 meetings
    assert failed.current_step == 4
    talking = advance(db, actors, _register(db, actors, "phi", rng), 1, rng)
    counts = recap.dispute_recap(db, actors["kabid"], NOV)
    kind = agreed.data["jenis_perselisihan"]
    assert counts[("pb", kind)] == 1
    assert counts[("mediator_proses", kind)] == 1
    assert counts[("bipartit", kind)] == 1
    assert sum(counts.values()) == 3
    assert talking.current_step == 3
    rows = recap.dispute_recap_table(counts, NOV).sections[0].rows
    assert rows[0][0].startswith("Sepakat") and rows[0][-1] == 1 and rows[-1][-1] == 3


# ------------------------------------------------------------------------- AK/I


def _card(db, actors, rng, clock, when: datetime, **data: object) -> cases.CaseDetail:
    clock.set(when)
    return advance(db, actors, _register(db, actors, "ak1", rng, **data), 5, rng)


def test_ak1_recap_follows_the_ipk_flows(db, actors, clock):
    rng = random.Random(7)
    young = {"tanggal_lahir": "2004-03-01", "jenis_kelamin": "P", "nik": "1672034103040001",
             "pendidikan_tingkat": "SMK", "kecamatan": "Dempo Utara"}
    older = {"tanggal_lahir": "1990-05-05", "jenis_kelamin": "L", "nik": "1672050505900002",
             "pendidikan_tingkat": "S1", "kecamatan": "Dempo Tengah"}
    expiring = _card(db, actors, rng, clock, datetime(2024, 11, 12, 9, 0), **older)
    placed = _card(db, actors, rng, clock, datetime(2026, 10, 6, 9, 0),
                   **{**young, "nik": "1672034103040003"})
    new = _card(db, actors, rng, clock, datetime(2026, 11, 9, 9, 0), **young)
    again = _card(db, actors, rng, clock, datetime(2026, 11, 10, 9, 0),
                  **{**older, "tanggal_lahir": "1990-05-05"})  # same NIK: re-registration
    clock.set(datetime(2026, 11, 25, 10, 0))
    ak1_cards.record_card_event(db, actors["petugas"], placed.id, ak1_cards.PLACED,
                                date(2026, 11, 20), employer="PT Teh Dempo")
    clock.set(datetime(2026, 12, 3, 9, 0))
    r = ipk.ak1_recap(db, actors["kabid"], NOV)
    # 1: active at the start of November: the 2024 card (until 12 Nov) and October's
    assert r.count("awal") == 2
    assert r.count("daftar") == 2 and r.count("daftar", sex="P") == 1
    assert r.count("tempat") == 1 and r.count("tempat", age="20–29", sex="P") == 1
    assert r.count("hapus") == 1 and r.expired == 1  # the 2024 card ran out on 12 November
    assert r.count("akhir") == 2  # the two new ones
    assert r.count("awal") + r.count("daftar") - r.count("tempat") - r.count("hapus") == \
        r.count("akhir")
    assert r.count("daftar", category="4") == 1 and r.count("daftar", category="7") == 1
    assert r.kecamatan == Counter({("Dempo Utara", "P"): 1, ("Dempo Tengah", "L"): 1})
    assert r.cards_issued == 2 and r.re_registrations == 1
    december = ipk.ak1_recap(db, actors["kabid"], Period.month(2026, 12))
    assert december.count("awal") == r.count("akhir")  # this month's 5 = next month's 1
    table = ipk.as_recap(r)
    iii1 = table.sections[0]
    assert [row[0] for row in iii1.rows] == ["1", "2", "A", "3", "4", "B", "5"]
    assert iii1.rows[6][-1] == 2 and iii1.rows[2][-1] == 4
    assert expiring.id and new.id and again.id


def test_card_status_reports_and_events(db, actors, clock):
    rng = random.Random(8)
    nik = "1672034103040009"
    case = _card(db, actors, rng, clock, datetime(2026, 1, 5, 9, 0), nik=nik,
                 tanggal_lahir="2004-03-01", jenis_kelamin="P")
    clock.set(datetime(2026, 11, 30, 9, 0))
    status = ak1_cards.card_status(db, actors["petugas"], nik)
    assert status.is_valid and status.valid_until == date(2028, 1, 5)
    assert status.next_report == date(2026, 7, 5) and status.report_overdue
    status = ak1_cards.record_card_event(db, actors["petugas"], case.id, ak1_cards.REPORT,
                                         date(2026, 11, 30))
    assert status.next_report == date(2027, 5, 30) and not status.report_overdue
    with pytest.raises(ValidationError) as exc:
        ak1_cards.record_card_event(db, actors["petugas"], case.id, ak1_cards.REMOVED,
                                    date(2026, 11, 30), reason="alasan lain")
    assert "alasan" in exc.value.errors
    with pytest.raises(ValidationError) as exc:
        ak1_cards.record_card_event(db, actors["petugas"], case.id, ak1_cards.PLACED,
                                    date(2026, 12, 30), employer="PT X")
    assert "tanggal" in exc.value.errors
    with pytest.raises(PermissionDenied):
        ak1_cards.record_card_event(db, actors["staf"], case.id, ak1_cards.REPORT,
                                    date(2026, 11, 30))
    ak1_cards.record_card_event(db, actors["petugas"], case.id, ak1_cards.REMOVED,
                                date(2026, 11, 30), reason=ipk.removal_reasons()[0])
    assert ak1_cards.card_status(db, actors["petugas"], nik).state == ak1_cards.REMOVED
    clock.set(datetime(2028, 2, 1, 9, 0))
    other = _card(db, actors, rng, clock, datetime(2025, 1, 2, 9, 0), nik="1672050505900007",
                  tanggal_lahir="1990-05-05", jenis_kelamin="L")
    clock.set(datetime(2027, 1, 3, 9, 0))
    assert ak1_cards.card_status(db, actors["petugas"], other.data["nik"]).state == \
        ak1_cards.EXPIRED
    assert ak1_cards.card_status(db, actors["petugas"], "1672050505909999") is None


def test_ipk_data_file_errors_name_the_field():
    with pytest.raises(Exception) as exc:
        ipk.parse_ipk({"age_groups": [{"label": "a", "min": 15, "max": 19},
                                      {"label": "b", "min": 25}],
                       "education": [{"code": "1", "label": "SD", "levels": ["SD"]}],
                       "removal_reasons": ["x"]}, "ipk.toml")
    assert "ipk.toml" in str(exc.value) and "age_groups[1].min" in str(exc.value)
    with pytest.raises(Exception) as exc:
        ipk.parse_ipk({"age_groups": [{"label": "a", "min": 15}],
                       "education": [{"code": "1", "label": "SD", "levels": ["SD"]},
                                     {"code": "2", "label": "X", "levels": ["SD"]}],
                       "removal_reasons": ["x"]}, "ipk.toml")
    assert "education[1].levels" in str(exc.value)


# ------------------------------------------------------------------------- waktu baku


def test_dashboard_shares_percentiles_and_summary_agree(db, actors, clock):
    rng = random.Random(11)
    clock.set(datetime(2026, 10, 5, 8, 0))
    quick = advance(db, actors, _register(db, actors, "ak1", rng), 5, rng)  # all on time
    clock.set(datetime(2026, 11, 2, 8, 0))
    slow = _register(db, actors, "ak1", rng)
    clock.advance(hours=3)  # the check waits 3 working hours against 5 minutes
    slow = advance(db, actors, slow, 5, rng)
    q = standard_time.DashboardQuery(2026, "ak1")
    with db.read() as s:
        events = s.execute(select(StepEvent.finished_at, StepEvent.on_time,
                                  StepEvent.working_minutes, StepEvent.step_no)
                           .where(StepEvent.case_id.in_([quick.id, slow.id]),
                                  StepEvent.action.in_(standard_time.STEP_ACTIONS))).all()
    expected_nov = Counter(on for at, on, _m, _s in events if at.month == 11)
    clock.set(datetime(2026, 11, 2, 15, 0))  # the same day: all events are "live"
    live = standard_time.dashboard(db, actors["kabid"], q)
    assert live.steps_by_month[10].done == 5 and live.steps_by_month[10].on_time == 5
    assert live.steps_by_month[11].done == sum(expected_nov.values())
    assert live.steps_by_month[11].on_time == expected_nov[True]
    check = next(s for s in live.steps if s.step_no == 2)
    minutes = sorted(m for _a, _o, m, st in events if st == 2)
    assert check.durations.n == 2 and check.durations.average == sum(minutes) / 2
    assert check.durations.percentile(0.9) == step_stats.bucket(minutes[-1])
    assert live.cases_by_month[10].on_time == 1 and live.cases_by_month[11].on_time == 0
    clock.set(datetime(2026, 12, 10, 9, 0))  # November is now summed into step_stats
    summed = standard_time.dashboard(db, actors["kabid"], q)
    with db.read() as s:
        assert s.scalar(select(StepStat.n).limit(1)) is not None
    for m in (10, 11):
        assert (summed.steps_by_month[m].done, summed.steps_by_month[m].on_time) == \
            (live.steps_by_month[m].done, live.steps_by_month[m].on_time)
    check2 = next(s for s in summed.steps if s.step_no == 2)
    assert check2.durations.average == check.durations.average
    behind = standard_time.cases_behind(db, actors["kabid"], q, month=11, late_only=True)
    assert [r.id for r in behind] == [slow.id]
    finished = standard_time.cases_behind(db, actors["kabid"], q, month=10, finished=True)
    assert [r.id for r in finished] == [quick.id]
    with pytest.raises(PermissionDenied):
        standard_time.dashboard(db, actors["staf"], q)


def test_dashboard_late_list_names_who_holds_the_case(db, actors, clock):
    rng = random.Random(12)
    clock.set(datetime(2026, 11, 2, 8, 0))
    case = _register(db, actors, "ak1", rng)
    clock.set(datetime(2026, 11, 4, 8, 0))
    d = standard_time.dashboard(db, actors["kabid"], standard_time.DashboardQuery(2026))
    assert d.late_total == 1
    row = d.late[0]
    assert row.case_id == case.id and row.lane == "Petugas Penerima"
    assert "Rina Marlina" in row.holders and row.late_minutes > 0


def test_bucket_is_within_five_percent():
    for minutes in (0, 5, 119, 120, 599, 600, 4799, 4800, 20000):
        b = step_stats.bucket(minutes)
        assert b <= minutes and (minutes - b) <= max(0.05 * minutes, 0)


# ------------------------------------------------------------------------- survey


def _finished(db, actors, rng, code="ak1") -> cases.CaseDetail:
    return advance(db, actors, _register(db, actors, code, rng), 8, rng)


def test_ikm_is_exact_and_graded(db, actors, clock):
    rng = random.Random(13)
    clock.set(datetime(2026, 11, 10, 9, 0))
    answers = {"ak1": [[4, 4, 3, 4, 3, 4, 4, 3, 4], [3, 3, 3, 4, 3, 3, 4, 2, 3]],
               "jht": [[4, 3, 3, 4, 4, 4, 4, 3, 3]]}
    for code, sets in answers.items():
        for scores in sets:
            case = _finished(db, actors, rng, code)
            survey.save_response(db, actors["petugas"], case.id, scores,
                                 profile={"jenis_kelamin": "P", "umur": 30,
                                          "pendidikan": "SMA/SMK", "pekerjaan": "Wirausaha",
                                          "saran": "Ruang tunggu diperluas."})
    report = survey.ikm_report(db, actors["kabid"], NOV)
    every = [s for sets in answers.values() for s in sets]
    means = [Fraction(sum(col), len(every)) for col in zip(*every, strict=True)]
    exact = sum(means, Fraction(0)) / 9 * 25
    assert report.total.n == 3 and report.total.exact == exact == Fraction(775, 9)
    assert str(report.total.index) == "86.11" and report.total.grade == ("B", "Baik")
    assert report.by_sop["jht"].n == 1 and report.by_sop["jht"].index == Decimal("88.89")
    assert report.by_sop["jht"].grade[0] == "A"
    assert report.population["ak1"] == 2 and report.profile["jenis_kelamin"]["P"] == 3
    assert report.suggestions[0][2] == "Ruang tunggu diperluas."
    printed = survey.ikm_recap(report)
    assert printed.summary[1] == ("Indeks Kepuasan Masyarakat (IKM)", Decimal("86.11"))


def test_survey_answers_are_checked_once_per_case(db, actors, clock):
    rng = random.Random(14)
    clock.set(datetime(2026, 11, 10, 9, 0))
    case = _finished(db, actors, rng)
    with pytest.raises(ValidationError) as exc:
        survey.save_response(db, actors["petugas"], case.id, [4, 4, 0, 4, 4, 4, 4, 4, 4])
    assert "u3" in exc.value.errors
    survey.save_response(db, actors["petugas"], case.id, [4] * 9)
    with pytest.raises(ValidationError) as exc:
        survey.save_response(db, actors["petugas"], case.id, [3] * 9)
    assert "sudah diisi" in exc.value.errors["nomor"]
    running = _register(db, actors, "ak1", rng)
    with pytest.raises(ValidationError):
        survey.save_response(db, actors["petugas"], running.id, [4] * 9)
    with pytest.raises(PermissionDenied):
        survey.save_response(db, actors["staf"], _finished(db, actors, rng).id, [4] * 9)
    found = survey.find_case(db, actors["petugas"], case.register_number.lower())
    assert found.case_id == case.id and found.answered_on == date(2026, 11, 10)


@pytest.mark.parametrize(("population", "sample"), [
    (100, 80), (200, 132), (500, 217), (1000, 278), (10000, 370), (1000000, 384), (0, 0)])
def test_krejcie_morgan(population, sample):
    assert survey.krejcie_morgan(population) == sample


@pytest.mark.parametrize(("ikm", "letter"), [
    ("100", "A"), ("88.31", "A"), ("88.30", "B"), ("76.61", "B"), ("76.60", "C"),
    ("65.00", "C"), ("64.99", "D"), ("25.00", "D")])
def test_grades(ikm, letter):
    assert survey.grade(Decimal(ikm))[0] == letter
