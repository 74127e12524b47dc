"""Survei Kepuasan Masyarakat (SKM, PermenPANRB 14/2017): questionnaire, answers, IKM.

The nine elements are scored 1–4. Per element the mean of the answers (*nilai rata-rata*),
each weighted exactly 1/9; the index *IKM* = (sum of the weighted means) × 25. Everything is
computed with fractions and rounded only at the end (two decimals, half up): rounding the
weight to 0.111 first moves the index by about a point. The grade follows the IKM interval
(A 88.31–100 sangat baik, B 76.61–88.30 baik, C 65.00–76.60 kurang baik, D 25.00–64.99 tidak
baik) on the rounded index, as offices publish it. The respondents needed for a population
follow Krejcie and Morgan (χ² = 3.841, P = 0.5, d = 0.05), rounded to the nearest whole.

The questionnaire is a document of each service SOP's last step (``kuesioner_skm``): the
citizen takes it with the result and hands it back, or answers at the counter; either way
one answer set is stored per case (:class:`models.SurveyResponse`).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from typing import Any

from sqlalchemy import func, select

from desktop_app.core import audit, workflow
from desktop_app.core.auth import Actor, record_refusal
from desktop_app.core.db import Database
from desktop_app.core.errors import NotFound, PermissionDenied, ValidationError
from desktop_app.core.formatting import tanggal
from desktop_app.core.models import Case, SurveyResponse
from desktop_app.core.reports import access
from desktop_app.core.reports.export import Column, Recap, Section
from desktop_app.core.reports.period import Period
from desktop_app.core.roles import ADMIN
from desktop_app.core.sop import Sop, sop_by_code

QUESTIONNAIRE = "kuesioner_skm"


@dataclass(frozen=True)
class Element:
    code: str
    name: str
    question: str
    options: tuple[str, str, str, str]  # answers scored 1, 2, 3, 4


ELEMENTS: tuple[Element, ...] = (
    Element("u1", "Persyaratan", "Bagaimana pendapat Saudara tentang kesesuaian persyaratan "
            "pelayanan dengan jenis pelayanannya?",
            ("Tidak sesuai", "Kurang sesuai", "Sesuai", "Sangat sesuai")),
    Element("u2", "Sistem, Mekanisme dan Prosedur", "Bagaimana pemahaman Saudara tentang "
            "kemudahan prosedur pelayanan di unit ini?",
            ("Tidak mudah", "Kurang mudah", "Mudah", "Sangat mudah")),
    Element("u3", "Waktu Penyelesaian", "Bagaimana pendapat Saudara tentang kecepatan waktu "
            "dalam memberikan pelayanan?",
            ("Tidak cepat", "Kurang cepat", "Cepat", "Sangat cepat")),
    Element("u4", "Biaya/Tarif", "Bagaimana pendapat Saudara tentang kewajaran biaya/tarif "
            "dalam pelayanan?", ("Sangat mahal", "Cukup mahal", "Murah", "Gratis")),
    Element("u5", "Produk Spesifikasi Jenis Pelayanan", "Bagaimana pendapat Saudara tentang "
            "kesesuaian produk pelayanan antara yang tercantum dalam standar pelayanan dengan "
            "hasil yang diberikan?",
            ("Tidak sesuai", "Kurang sesuai", "Sesuai", "Sangat sesuai")),
    Element("u6", "Kompetensi Pelaksana", "Bagaimana pendapat Saudara tentang "
            "kompetensi/kemampuan petugas dalam pelayanan?",
            ("Tidak kompeten", "Kurang kompeten", "Kompeten", "Sangat kompeten")),
    Element("u7", "Perilaku Pelaksana", "Bagaimana pendapat Saudara tentang perilaku petugas "
            "dalam pelayanan terkait kesopanan dan keramahan?",
            ("Tidak sopan dan ramah", "Kurang sopan dan ramah", "Sopan dan ramah",
             "Sangat sopan dan ramah")),
    Element("u8", "Penanganan Pengaduan, Saran dan Masukan", "Bagaimana pendapat Saudara "
            "tentang penanganan pengaduan pengguna layanan?",
            ("Tidak ada", "Ada tetapi tidak berfungsi", "Berfungsi kurang maksimal",
             "Dikelola dengan baik")),
    Element("u9", "Sarana dan Prasarana", "Bagaimana pendapat Saudara tentang kualitas "
            "sarana dan prasarana?", ("Buruk", "Cukup", "Baik", "Sangat baik")),
)
CHANNELS = {"kuesioner": "Kuesioner tertulis", "loket": "Ditanyakan di loket"}
EDUCATION = ("SD ke bawah", "SMP", "SMA/SMK", "D1–D3", "D4/S1", "S2 ke atas")
OCCUPATIONS = ("PNS", "TNI/Polri", "Pegawai swasta", "Wirausaha", "Pelajar/Mahasiswa",
               "Tidak bekerja", "Lainnya")
GRADES = ((Decimal("88.31"), "A", "Sangat Baik"), (Decimal("76.61"), "B", "Baik"),
          (Decimal("65.00"), "C", "Kurang Baik"), (Decimal("25.00"), "D", "Tidak Baik"))


def questionnaire_context() -> dict[str, Any]:
    """What the questionnaire template lists (elements, answers, profile choices)."""
    return {"skm": {"elements": ELEMENTS, "education": EDUCATION, "occupations": OCCUPATIONS}}


def grade(ikm: Decimal) -> tuple[str, str]:
    """("A", "Sangat Baik") … ("D", "Tidak Baik") for a rounded IKM."""
    for floor, letter, label in GRADES:
        if ikm >= floor:
            return letter, label
    return "D", "Tidak Baik"


def krejcie_morgan(population: int) -> int:
    """Respondents needed for ``population`` users (Krejcie & Morgan, 1970)."""
    if population <= 0:
        return 0
    chi, p, d = Fraction(3841, 1000), Fraction(1, 2), Fraction(1, 20)
    s = chi * population * p * (1 - p) / (d * d * (population - 1) + chi * p * (1 - p))
    return int(Decimal(s.numerator / s.denominator).quantize(Decimal(1), ROUND_HALF_UP))


def _round(value: Fraction, places: str = "0.01") -> Decimal:
    return (Decimal(value.numerator) / Decimal(value.denominator)).quantize(
        Decimal(places), ROUND_HALF_UP)


@dataclass
class Ikm:
    """The index of ``n`` answers with element sums ``sums`` (u1 … u9)."""

    n: int = 0
    sums: list[int] = field(default_factory=lambda: [0] * 9)

    def add(self, n: int, sums: list[int]) -> None:
        self.n += n
        self.sums = [a + b for a, b in zip(self.sums, sums, strict=True)]

    def means(self) -> list[Fraction]:
        return [Fraction(x, self.n) for x in self.sums] if self.n else []

    @property
    def exact(self) -> Fraction | None:
        """IKM before rounding: sum(mean × 1/9) × 25."""
        if not self.n:
            return None
        return sum((m * Fraction(1, 9) for m in self.means()), Fraction(0)) * 25

    @property
    def index(self) -> Decimal | None:
        exact = self.exact
        return None if exact is None else _round(exact)

    @property
    def grade(self) -> tuple[str, str] | None:
        index = self.index
        return None if index is None else grade(index)


# ------------------------------------------------------------------------- answers


@dataclass(frozen=True)
class SurveyCase:
    """A case the survey may be answered for, as the entry form shows it."""

    case_id: int
    sop_code: str
    register_number: str
    title: str
    status_label: str
    answered_on: date | None


def _may_enter(actor: Actor, sop: Sop) -> bool:
    roles = actor.effective_roles
    return ADMIN in roles or any(roles & set(lane.roles) for lane in sop.lanes)


def find_case(db: Database, actor: Actor, text: str) -> SurveyCase:
    """The case of a register number (typed, or scanned from the questionnaire's QR)."""
    number = (text or "").strip().upper()
    if not number:
        raise ValidationError({"nomor": "Isi nomor register berkas."})
    with db.read() as s:
        row = s.execute(select(Case.id, Case.sop_code, Case.register_number, Case.title,
                               Case.status, Case.current_step)
                        .where(Case.register_number == number)).first()
        if row is None:
            raise ValidationError({"nomor": f"Berkas {number} tidak ditemukan."})
        answered = s.scalar(select(SurveyResponse.responded_on)
                            .where(SurveyResponse.case_id == row.id))
    sop = sop_by_code(row.sop_code)
    if not access.may_see_sop(actor, sop):
        raise ValidationError({"nomor": "Berkas ini bukan dari layanan yang Anda tangani."})
    if sop.subject == "training":
        raise ValidationError({"nomor": "Survei kepuasan untuk layanan kepada pemohon, "
                                        "bukan kegiatan pelatihan."})
    step_kind = sop.step(row.current_step).kind if row.current_step <= len(sop.steps) else None
    return SurveyCase(row.id, row.sop_code, row.register_number, row.title,
                      workflow.status_label(row.status, step_kind), answered)


def _clean(scores: list[int] | tuple[int, ...], profile: dict[str, Any], responded_on: date,
           channel: str, today: date) -> dict[str, Any]:
    errors: dict[str, str] = {}
    if len(scores) != len(ELEMENTS):
        errors["jawaban"] = "Isi kesembilan unsur survei."
    for element, score in zip(ELEMENTS, scores, strict=False):
        if not isinstance(score, int) or isinstance(score, bool) or not 1 <= score <= 4:
            errors[element.code] = f"Pilih jawaban untuk unsur {element.name}."
    if channel not in CHANNELS:
        errors["cara"] = "Pilih cara pengisian."
    if responded_on is None or responded_on > today:
        errors["tanggal"] = "Tanggal pengisian tidak boleh kosong atau di masa depan."
    umur = profile.get("umur")
    if umur not in (None, "") and (not isinstance(umur, int) or not 10 <= umur <= 110):
        errors["umur"] = "Umur 10–110 tahun (atau kosongkan)."
    sex = profile.get("jenis_kelamin") or None
    if sex not in (None, "L", "P"):
        errors["jenis_kelamin"] = "Pilih L atau P."
    if (profile.get("pendidikan") or None) not in (None, *EDUCATION):
        errors["pendidikan"] = "Pilih pendidikan dari daftar."
    if (profile.get("pekerjaan") or None) not in (None, *OCCUPATIONS):
        errors["pekerjaan"] = "Pilih pekerjaan dari daftar."
    saran = str(profile.get("saran") or "").strip()
    if len(saran) > 2000:
        errors["saran"] = "Saran terlalu panjang (maks. 2000 karakter)."
    if errors:
        raise ValidationError(errors)
    return {"umur": umur or None, "jenis_kelamin": sex, "saran": saran,
            "pendidikan": profile.get("pendidikan") or None,
            "pekerjaan": profile.get("pekerjaan") or None}


def save_response(db: Database, actor: Actor, case_id: int, scores: list[int] | tuple[int, ...],
                  *, responded_on: date | None = None, channel: str = "kuesioner",
                  profile: dict[str, Any] | None = None) -> int:
    """Store the answers for the case (once per case); returns the answer's id."""
    today = db.now().date()
    clean = _clean(list(scores), dict(profile or {}), responded_on or today, channel, today)
    now = db.now()
    with db.read() as s:
        case = s.get(Case, case_id)
        if case is None:
            raise NotFound(f"Berkas #{case_id} tidak ditemukan.")
        sop = sop_by_code(case.sop_code)
        status, step_no, number = case.status, case.current_step, case.register_number
    if not _may_enter(actor, sop):
        message = "Hanya pelaksana layanan ini yang dapat mencatat survei kepuasan."
        record_refusal(db, actor, "simpan_survei", "case", case_id, message)
        raise PermissionDenied(message)
    if sop.subject == "training":
        raise ValidationError({"nomor": "Survei kepuasan untuk layanan kepada pemohon."})
    at_end = status == workflow.COMPLETED or (status == workflow.IN_PROGRESS
                                              and step_no == len(sop.steps))
    if not at_end:
        raise ValidationError({"nomor": "Survei diisi setelah layanan selesai (langkah terakhir "
                                        "atau berkas selesai)."})
    with db.write() as s:
        earlier = s.scalar(select(SurveyResponse.responded_on)
                           .where(SurveyResponse.case_id == case_id))
        if earlier is not None:
            raise ValidationError({"nomor": f"Survei berkas {number} sudah diisi pada "
                                            f"{tanggal(earlier)}."})
        row = SurveyResponse(case_id=case_id, sop_code=sop.code,
                             responded_on=responded_on or today, channel=channel,
                             entered_by_id=actor.user_id, entered_at=now, **clean,
                             **{e.code: int(v) for e, v in zip(ELEMENTS, scores, strict=True)})
        s.add(row)
        s.flush()
        audit.record(s, at=now, user_id=actor.user_id, username=actor.username,
                     action="simpan_survei", entity="case", entity_id=case_id,
                     detail={"nomor": number, "cara": channel})
        return row.id


# ------------------------------------------------------------------------- report


@dataclass
class IkmReport:
    period: Period
    total: Ikm
    by_sop: dict[str, Ikm]
    population: dict[str, int]
    profile: dict[str, Counter[str]]
    suggestions: list[tuple[date, str, str]]

    @property
    def population_total(self) -> int:
        return sum(self.population.values())


def ikm_report(db: Database, actor: Actor, period: Period, sop_code: str | None = None
               ) -> IkmReport:
    """IKM of ``period``, for one SOP or every service SOP the reader may see."""
    if sop_code:
        sops = (access.require_sop(db, actor, sop_code, "laporan_ikm"),)
    else:
        sops = access.require_any(db, actor, "laporan_ikm")
    codes = [x.code for x in sops if x.subject != "training"]
    r = SurveyResponse
    in_period = (r.responded_on >= period.start, r.responded_on <= period.end,
                 r.sop_code.in_(codes))
    report = IkmReport(period, Ikm(), {c: Ikm() for c in codes}, {c: 0 for c in codes},
                       {}, [])
    with db.read() as s:
        for row in s.execute(select(r.sop_code, func.count(),
                                    *[func.sum(getattr(r, e.code)) for e in ELEMENTS])
                             .where(*in_period).group_by(r.sop_code)):
            sums = [int(x or 0) for x in row[2:]]
            report.by_sop[row[0]].add(row[1], sums)
            report.total.add(row[1], sums)
        for key in ("jenis_kelamin", "pendidikan", "pekerjaan", "channel"):
            col = getattr(r, key)
            report.profile[key] = Counter({(v or "Tidak diisi"): n for v, n in s.execute(
                select(col, func.count()).where(*in_period).group_by(col))})
        for code, n in s.execute(select(Case.sop_code, func.count()).where(
                Case.closed_at >= period.start_at, Case.closed_at < period.end_before,
                Case.status == workflow.COMPLETED, Case.sop_code.in_(codes))
                .group_by(Case.sop_code)):
            report.population[code] = n
        report.suggestions = [tuple(x) for x in s.execute(  # type: ignore[misc]
            select(r.responded_on, r.sop_code, r.saran).where(*in_period, r.saran != "")
            .order_by(r.responded_on.desc(), r.id.desc()).limit(50))]
    return report


def ikm_recap(report: IkmReport) -> Recap:
    """The report page: the index per SOP, the element scores, the respondents."""
    labels = {c: sop_by_code(c).tab_label for c in report.by_sop}
    per_sop: list[list[Any]] = []
    for code, ikm in [*report.by_sop.items(), ("", report.total)]:
        g = ikm.grade
        population = report.population.get(code) if code else report.population_total
        per_sop.append([labels.get(code, "Seluruh layanan"), ikm.n, population,
                        krejcie_morgan(population or 0), ikm.index,
                        g[0] if g else "-", g[1] if g else "belum ada responden"])
    elements: list[list[Any]] = []
    means = report.total.means()
    for i, e in enumerate(ELEMENTS):
        mean = means[i] if means else None
        elements.append([e.code.upper(), e.name, report.total.sums[i],
                         str(_round(mean, "0.001")).replace(".", ",") if mean is not None
                         else None,
                         _round(mean * 25) if mean is not None else None,
                         grade(_round(mean * 25))[0] if mean is not None else "-"])
    profile_rows = [[{"jenis_kelamin": "Jenis kelamin", "pendidikan": "Pendidikan",
                      "pekerjaan": "Pekerjaan", "channel": "Cara pengisian"}[k],
                     CHANNELS.get(v, v), n] for k, counter in report.profile.items()
                    for v, n in sorted(counter.items())]
    total = report.total
    return Recap(
        title="Laporan Hasil Survei Kepuasan Masyarakat",
        subtitle=f"Periode: {report.period.label}",
        summary=[("Jumlah responden", total.n),
                 ("Indeks Kepuasan Masyarakat (IKM)", total.index if total.n else "-"),
                 ("Mutu pelayanan", f"{total.grade[0]} ({total.grade[1]})" if total.grade
                  else "-")],
        sections=[
            Section("IKM per layanan", [
                Column("Layanan", "text", 24), Column("Responden", "int", 10),
                Column("Berkas selesai", "int", 10), Column("Responden minimal", "int", 10),
                Column("IKM", "decimal", 9), Column("Mutu", "text", 6),
                Column("Kinerja unit", "text", 16)], per_sop,
                totals=frozenset({len(per_sop) - 1}),
                note="Responden minimal menurut tabel Krejcie dan Morgan dari jumlah berkas "
                     "selesai dalam periode."),
            Section("Nilai per unsur pelayanan (seluruh layanan)", [
                Column("Unsur", "text", 6), Column("Unsur pelayanan", "text", 34),
                Column("Jumlah nilai", "int", 10), Column("Nilai rata-rata", "text", 10),
                Column("Nilai konversi", "decimal", 10), Column("Mutu", "text", 6)],
                elements),
            Section("Profil responden", [Column("Profil", "text", 16),
                                         Column("Keterangan", "text", 24),
                                         Column("Jumlah", "int", 8)], profile_rows),
        ],
        notes=["IKM = Σ (nilai rata-rata unsur × 1/9) × 25, dihitung tanpa pembulatan antara "
               "(PermenPANRB 14/2017). Mutu: A 88,31–100 sangat baik; B 76,61–88,30 baik; "
               "C 65,00–76,60 kurang baik; D 25,00–64,99 tidak baik."],
        sheet_name="IKM")
