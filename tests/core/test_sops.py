"""The six SOP files against the seed they were written from.

The seed (``shared/seeds/000_dd3bc677c7781a13.txt``, the office's SOP document extracted from
Word) is parsed here, independently of the program, and every SOP file is compared with it:
identity block, the six text sections, lanes, and each step's activity, input, time and output.
Texts are compared after applying the SOP file's own ``corrections`` to the seed (whole word,
case-insensitive) and normalising whitespace and case, so a file may fix a recorded slip but
may not drift from the seed silently.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import pytest

from desktop_app.core.roles import ROLE_LABELS
from desktop_app.core.sop import Sop, load_sops

REPO = Path(__file__).resolve().parents[2]
SEED = Path(__file__).parents[2].parent / "shared" / "seeds" / "000_dd3bc677c7781a13.txt"
SOP_DIR = REPO / "resources" / "sops"

CODES = ("jht", "jakon", "phi", "pelatihan", "ak1", "paspor")
STEP_COUNTS = {"jht": 6, "jakon": 6, "phi": 7, "pelatihan": 11, "ak1": 6, "paspor": 7}
SERVICE_CODES = tuple(c for c in CODES if c != "pelatihan")

LANE_NAMES = {
    "Pemohon", "Petugas Penerima", "JFU", "Mediator JFU", "Kasi", "Pengadministrasi",
    "Kabid & Sekretaris", "Kabid", "Kepala Bidang", "Kepala Dinas", "Staf", "Panitia",
}

MONTHS = {
    "januari": 1, "februari": 2, "maret": 3, "april": 4, "mei": 5, "juni": 6, "juli": 7,
    "agustus": 8, "september": 9, "oktober": 10, "november": 11, "desember": 12,
}


# ------------------------------------------------------------------ reading the seed


@dataclass
class SeedStep:
    no: int
    activity: str
    input: str
    time: str
    output: str
    marks: list[str]  # the words found in the lane columns ("tidak lengkap", "lengkap", ...)


@dataclass
class SeedSop:
    text: str  # the whole block of this SOP, for the corrections check
    number: str = ""
    created: str = ""
    revised: str = ""
    effective: str = ""
    approver: str = ""
    name: str = ""
    flow_title: str = ""
    lanes: list[str] = field(default_factory=list)
    steps: list[SeedStep] = field(default_factory=list)
    sections: dict[str, str] = field(default_factory=dict)


def _cells(line: str) -> list[str]:
    return [c.strip() for c in line.split("\t")]


def _strip_tags(text: str) -> str:
    return re.sub(r"<[^>]+>", " ", text)


# Section headings of the identity sheet: each pair of headings is followed by one line whose
# two cells hold the two sections.
_SECTION_PAIRS = {
    "DASAR HUKUM": ("legal_basis", "qualifications"),
    "KETERKAITAN": ("relations", "equipment"),
    "PERINGATAN": ("warnings", "records"),
}


def _parse_block(block: str) -> SeedSop:
    sop = SeedSop(text=block)
    lines = block.splitlines()
    header_at = None
    for i, line in enumerate(lines):
        cells = _cells(line)
        for key, attr in (("Nomor SOP", "number"), ("Tanggal Pembuatan", "created"),
                          ("Tanggal Revisi", "revised"), ("Tanggal Efektif", "effective"),
                          ("Disahkan Oleh", "approver"), ("Nama SOP", "name")):
            if key in cells:
                setattr(sop, attr, _strip_tags(cells[cells.index(key) + 1]).strip())
        head = cells[0].rstrip(" :").upper()
        if head in _SECTION_PAIRS and i + 1 < len(lines):
            left, right = (_cells(lines[i + 1]) + ["", ""])[:2]
            a, b = _SECTION_PAIRS[head]
            sop.sections[a], sop.sections[b] = left, right
        if len(cells) > 1 and cells[0].lower() == "no" and cells[1].lower() == "kegiatan":
            header_at = i
    assert header_at is not None, "flow table header not found"
    sop.flow_title = next(ln.strip() for ln in reversed(lines[:header_at]) if ln.strip())
    lane_cells = _cells(lines[header_at + 1])[2:]
    for cell in lane_cells:
        if "kelengkapan" in cell.lower():
            break
        sop.lanes.append(cell)
    for line in lines[header_at + 2:]:
        cells = _cells(line)
        if len(cells) > 2 and cells[0].isdigit() and re.search(r"[A-Za-z]", cells[1]):
            rest = cells[2:]
            filled = [c for c in rest if c]
            *marks, inp, time, out = filled
            sop.steps.append(SeedStep(int(cells[0]), cells[1], inp, time, out, marks))
    return sop


def parse_seed(path: Path) -> list[SeedSop]:
    text = path.read_text(encoding="utf-8")
    starts = [m.start() for m in re.finditer(r"^.*\tNomor SOP\t", text, re.MULTILINE)]
    ends = [*starts[1:], len(text)]
    return [_parse_block(text[a:b]) for a, b in zip(starts, ends, strict=True)]


# ------------------------------------------------------------------ comparing texts


def apply_corrections(text: str, corrections: tuple[tuple[str, str], ...]) -> str:
    for wrong, right in corrections:
        text = re.sub(rf"(?<!\w){re.escape(wrong)}(?!\w)", right, text, flags=re.IGNORECASE)
    return text


def norm(text: str) -> str:
    text = " ".join(text.split())
    text = re.sub(r"\s+([,.;:])", r"\1", text)
    return text.casefold()


def norm_list_cell(cell: str) -> str:
    """A seed cell holding a numbered list, as one normalised line without the numbers."""
    text = _strip_tags(cell)
    text = re.sub(r"(?:^|\s)\d{1,2}\.\s+", " ", text)
    return norm(text)


def lane_key(name: str) -> str:
    # The extraction broke some lane names inside a word ("Pengadm inistrasi").
    return re.sub(r"\s+", "", name).casefold()


def seed_date(text: str) -> date | None:
    if text.strip() in ("", "-"):
        return None
    day, month, year = text.split()
    return date(int(year), MONTHS[month.lower()], int(day))


# ------------------------------------------------------------------ fixtures


@pytest.fixture(scope="module")
def seed() -> dict[str, SeedSop]:
    if not SEED.is_file():
        pytest.skip(f"seed file not found: {SEED}")
    blocks = parse_seed(SEED)
    assert len(blocks) == 6, "the seed holds six SOPs"
    return dict(zip(CODES, blocks, strict=True))


@pytest.fixture(scope="module")
def sops() -> dict[str, Sop]:
    return {s.code: s for s in load_sops(SOP_DIR)}


def fixed(sop: Sop, text: str) -> str:
    return norm(apply_corrections(text, sop.corrections))


# ------------------------------------------------------------------ against the seed


def test_six_sops_in_seed_order(sops):
    assert tuple(sops) == CODES
    assert [s.order for s in sops.values()] == [1, 2, 3, 4, 5, 6]


@pytest.mark.parametrize("code", CODES)
def test_identity_block(code, seed, sops):
    s, sd = sops[code], seed[code]
    assert s.number == sd.number
    assert s.number == f"503/{43 + s.order}/SOP.TK/DISPMPTSPTK/2024"
    assert s.created == seed_date(sd.created)
    assert s.revised == seed_date(sd.revised)
    assert s.effective == seed_date(sd.effective)
    assert norm(s.name) == fixed(s, sd.name)
    assert norm(s.flow_title) == fixed(s, sd.flow_title)


@pytest.mark.parametrize("code", CODES)
def test_approver(code, seed, sops):
    ab, text = sops[code].approved_by, seed[code].approver
    assert ab.name == "GUNSONO MEKSON, SE, MM"
    assert ab.rank == "Pembina Utama Muda / IV.c"
    assert ab.nip == "196910161995031001"
    assert ab.position.startswith("Kepala Dinas Penanaman Modal")
    assert text == f"{ab.name} {ab.rank} NIP. {ab.nip}"


@pytest.mark.parametrize("code", CODES)
@pytest.mark.parametrize(
    "section",
    ["legal_basis", "qualifications", "relations", "equipment", "warnings", "records"],
)
def test_sections_as_written(code, section, seed, sops):
    s = sops[code]
    ours = norm(" ".join(getattr(s, section)))
    theirs = norm(apply_corrections(norm_list_cell(seed[code].sections[section]), s.corrections))
    assert ours == theirs


@pytest.mark.parametrize("code", CODES)
def test_lanes_as_in_seed(code, seed, sops):
    s = sops[code]
    assert [lane_key(lane.name) for lane in s.lanes] == [lane_key(n) for n in seed[code].lanes]
    # ... and spelt whole ("Pengadm inistrasi" in the seed is "Pengadministrasi").
    assert {lane.name for lane in s.lanes} <= LANE_NAMES


@pytest.mark.parametrize("code", CODES)
def test_step_count(code, seed, sops):
    assert len(sops[code].steps) == STEP_COUNTS[code]
    assert len(seed[code].steps) == STEP_COUNTS[code]


@pytest.mark.parametrize("code", CODES)
def test_steps_as_in_seed(code, seed, sops):
    s = sops[code]
    for ours, theirs in zip(s.steps, seed[code].steps, strict=True):
        where = f"{code} step {ours.no}"
        assert ours.no == theirs.no, where
        assert norm(ours.activity) == fixed(s, theirs.activity), where
        assert norm(ours.input) == fixed(s, theirs.input), where
        assert norm(ours.time_text) == norm(theirs.time), where
        assert norm(ours.output) == fixed(s, theirs.output), where


@pytest.mark.parametrize("code", CODES)
def test_corrections_are_real_slips(code, seed, sops):
    """Every recorded correction names text that is in the seed, and is not in the file."""
    s = sops[code]
    for wrong, right in s.corrections:
        pattern = rf"(?<!\w){re.escape(wrong)}(?!\w)"
        assert re.search(pattern, seed[code].text, re.IGNORECASE), f"{wrong!r} not in the seed"
        assert norm(wrong) != norm(right)
        for step in s.steps:
            for text in (step.activity, step.input, step.output):
                assert not re.search(pattern, text, re.IGNORECASE), (code, step.no, wrong)
        for text in (s.name, s.flow_title, *s.records, *s.warnings, *s.qualifications,
                     *s.relations):
            assert not re.search(pattern, text, re.IGNORECASE), (code, wrong)


def test_check_marks_in_seed(seed):
    """Step 2 of the service SOPs carries the 'tidak lengkap' / 'lengkap' marks."""
    for code in SERVICE_CODES:
        assert seed[code].steps[1].marks == ["tidak lengkap", "lengkap"], code


def test_alternate_names(sops):
    jakon = sops["jakon"]
    assert jakon.name.startswith("PEMBAYARAN IURAN")
    assert jakon.flow_title.startswith("REGISTRASI KLAIM")
    assert any(n.startswith("REGISTRASI KLAIM") and "JKK DAN JK" in n
               for n in jakon.alternate_names)


# ------------------------------------------------------------------ shape of the flow


@pytest.mark.parametrize("code", CODES)
def test_every_lane_used_and_roles_known(code, sops):
    s = sops[code]
    used = {step.lane for step in s.steps}
    assert used == {lane.code for lane in s.lanes}
    for lane in s.lanes:
        assert all(role in ROLE_LABELS for role in lane.roles)
        assert lane.is_applicant == (lane.name == "Pemohon")
    assert s.signer_lane in used


@pytest.mark.parametrize("code", SERVICE_CODES)
def test_service_flow(code, sops):
    s = sops[code]
    first, last = s.first_step, s.last_step
    assert first.kind == "submit" and s.lane(first.lane).is_applicant
    assert last.kind == "handover"
    checks = [st for st in s.steps if st.kind == "check"]
    assert [st.no for st in checks] == [2]
    signs = [st for st in s.steps if st.kind == "sign"]
    assert len(signs) == 1 and signs[0].lane == s.signer_lane
    assert any(st.kind == "paraf" and st.no < signs[0].no for st in s.steps)


@pytest.mark.parametrize("code", CODES)
def test_decision_steps(code, sops):
    s = sops[code]
    for st in s.steps:
        if st.kind == "check":
            lengkap, tidak = st.branch("lengkap"), st.branch("tidak_lengkap")
            assert lengkap and tidak, (code, st.no)
            assert (lengkap.goto, lengkap.lane) == ("next", s.step(st.no + 1).lane)
            assert tidak.goto == "returned" and s.lane(tidak.lane).is_applicant
            assert "surat_pengembalian" in st.documents
        elif st.kind == "bipartite":
            sepakat, berselisih = st.branch("sepakat"), st.branch("berselisih")
            assert sepakat.goto == "completed"
            assert berselisih.goto == "next" and berselisih.label == "Masih berselisih"
            assert berselisih.lane == s.step(st.no + 1).lane
        elif st.kind in ("work", "paraf", "sign", "handover", "submit"):
            assert not st.branches, (code, st.no)
        for b in st.branches:
            if b.goto.isdigit():
                assert 1 <= int(b.goto) <= len(s.steps)


def test_specific_kinds(sops):
    assert sops["phi"].step(3).kind == "bipartite"
    p = sops["pelatihan"]
    assert p.subject == "training"
    assert [st.kind for st in p.steps] == [
        "work", "approve", "work", "work", "paraf", "work", "work", "work", "work", "work",
        "handover",
    ]
    assert "peserta" in p.step(7).requires_fields
    assert {"laporan_ringkasan", "laporan_hasil"} <= set(p.step(10).requires_fields)
    assert not sops["phi"].step(3).requires_fields
    paspor = sops["paspor"]
    assert [paspor.step(n).kind for n in (1, 2, 5, 6, 7)] == [
        "submit", "check", "paraf", "sign", "handover"]
    assert paspor.step(5).lane == "kasi"
    assert paspor.lane(paspor.step(6).lane).roles == ("kabid", "sekretaris")


def test_subjects_and_registers(sops):
    assert {c: s.subject for c, s in sops.items()} == {
        "jht": "person", "jakon": "company", "phi": "person", "pelatihan": "training",
        "ak1": "person", "paspor": "person",
    }
    assert {c: s.register_prefix for c, s in sops.items()} == {
        "jht": "JHT", "jakon": "JKN", "phi": "PHI", "pelatihan": "PLT", "ak1": "AK1",
        "paspor": "PSP",
    }
    names = [s.register_name for s in sops.values()]
    assert len(set(names)) == 6, "each SOP has its own register"
    assert sops["phi"].register_name == "Buku Register Perselisihan Hubungan Industrial"


def test_warnings(sops):
    assert len(sops["ak1"].warnings) == 2
    assert "kasi" in sops["ak1"].warnings[1].lower()
    assert len(sops["pelatihan"].warnings) == 2


# ------------------------------------------------------------------ requirements, fields, documents


def test_requirements(sops):
    ak1 = sops["ak1"].requirements
    assert [r.label for r in ak1] == [
        "FC KTP", "FC Ijazah Terakhir", "Pas Photo 3x4", "Pas Photo 2x3"]
    assert [r.quantity for r in ak1] == ["", "", "2 lbr", "1 lbr"]
    paspor = sops["paspor"].requirements
    assert len(paspor) == 12  # the eleven records and the CPMI's pas foto (program addition)
    assert [r.code for r in paspor if not r.required] == ["paspor", "pas_foto_3x4"]
    assert all(sops[c].requirements for c in CODES)
    assert {r.code for r in sops["pelatihan"].requirements} == {"dpa", "jadwal_kegiatan"}


PERSON_FIELDS = {"nik", "nama", "tempat_lahir", "tanggal_lahir", "jenis_kelamin", "alamat", "rt",
                 "rw", "kelurahan", "kecamatan", "kota", "telepon", "email"}
EXPECTED_FIELDS = {
    "ak1": PERSON_FIELDS | {
        "status_kawin", "agama", "pendidikan_tingkat", "pendidikan_sekolah",
        "pendidikan_jurusan", "pendidikan_tahun_lulus", "riwayat_pendidikan", "keterampilan",
        "pengalaman_kerja", "nomor_siapkerja"},
    "paspor": PERSON_FIELDS | {
        "nomor_ak1", "nama_p3mi", "alamat_p3mi", "negara_tujuan", "jabatan_tujuan",
        "nomor_perjanjian_penempatan", "tanggal_perjanjian_penempatan", "kantor_imigrasi"},
    "jht": PERSON_FIELDS | {
        "nomor_kpj", "nama_perusahaan", "alamat_perusahaan", "tanggal_mulai_kerja",
        "tanggal_berhenti_kerja", "alasan_berhenti", "kantor_cabang_bpjs"},
    "jakon": {
        "nama_perusahaan", "npwp", "alamat_perusahaan", "nama_penanggung_jawab",
        "jabatan_penanggung_jawab", "telepon", "email", "nama_proyek", "lokasi_proyek",
        "nomor_kontrak", "tanggal_kontrak", "nilai_kontrak", "sumber_dana", "pemberi_kerja",
        "tanggal_mulai_proyek", "tanggal_selesai_proyek", "jumlah_tenaga_kerja"},
    "phi": PERSON_FIELDS | {
        "nama_perusahaan", "alamat_perusahaan", "nama_pimpinan", "jenis_perselisihan",
        "uraian_perselisihan", "dinas_tujuan_mediator"},
    "pelatihan": {
        "nama_pelatihan", "kejuruan", "tanggal_mulai", "tanggal_selesai", "tempat",
        "sumber_dana", "kuota_peserta", "kabupaten_tujuan", "jadwal", "panitia", "peserta",
        "laporan_ringkasan", "laporan_jumlah_hadir", "laporan_hasil", "laporan_kendala",
        "laporan_saran"},
}
REQUIRED_FIELDS = {
    "ak1": {"nik", "nama"}, "paspor": {"nik", "nama", "nama_p3mi", "negara_tujuan",
                                       "jabatan_tujuan"},
    "jht": {"nik", "nama", "nomor_kpj", "nama_perusahaan"},
    "jakon": {"nama_perusahaan", "nama_penanggung_jawab", "nama_proyek", "nomor_kontrak",
              "nilai_kontrak"},
    "phi": {"nik", "nama", "nama_perusahaan", "uraian_perselisihan"},
    "pelatihan": {"nama_pelatihan"},
}


@pytest.mark.parametrize("code", CODES)
def test_fields(code, sops):
    s = sops[code]
    assert {f.name for f in s.fields} == EXPECTED_FIELDS[code]
    required = {f.name for f in s.fields if f.required}
    assert REQUIRED_FIELDS[code] <= required
    for f in s.fields:
        assert f.group, f"{code}.{f.name} has no group"
        if f.type in ("text", "textarea"):
            assert f.max_length, f"{code}.{f.name} has no max_length"
        for step in s.steps:
            if f.name in step.requires_fields:
                assert not f.required, f"{code}.{f.name} is required at intake already"
    if s.subject == "person":
        nik = s.field("nik")
        assert nik.type == "nik" and nik.required
        assert s.field("jenis_kelamin").choices == ("L", "P")


def test_field_details(sops):
    assert sops["ak1"].field("status_kawin").choices == (
        "Belum Kawin", "Kawin", "Cerai Hidup", "Cerai Mati")
    assert sops["ak1"].field("pendidikan_tingkat").choices == (
        "SD", "SMP", "SMA", "SMK", "D1", "D2", "D3", "D4", "S1", "S2", "S3")
    assert sops["ak1"].field("pendidikan_tahun_lulus").type == "integer"
    assert sops["jakon"].field("nilai_kontrak").type == "money"
    assert sops["jht"].field("kantor_cabang_bpjs").default.endswith("Lahat")
    assert sops["paspor"].field("kantor_imigrasi").default.endswith("Pagar Alam")
    assert "Sumatera Selatan" in sops["phi"].field("dinas_tujuan_mediator").default
    p = sops["pelatihan"]
    assert [c.name for c in p.field("kabupaten_tujuan").columns] == ["nama"]
    assert [(c.name, c.type) for c in p.field("jadwal").columns] == [
        ("tanggal", "date"), ("kegiatan", "text")]
    assert [c.name for c in p.field("panitia").columns] == [
        "nama", "nip", "jabatan_dinas", "jabatan_panitia"]
    peserta = {c.name: c.type for c in p.field("peserta").columns}
    assert list(peserta) == ["nama", "nik", "jenis_kelamin", "asal", "pendidikan"]
    assert peserta["nik"] == "nik"


EXPECTED_DOCUMENTS = {
    "jht": {"tanda_terima", "surat_pengembalian", "surat_klaim_jht", "kuesioner_skm"},
    "jakon": {"tanda_terima", "surat_pengembalian", "formulir_jakon", "kuesioner_skm"},
    "phi": {"tanda_terima", "surat_pengembalian", "risalah_bipartit", "perjanjian_bersama",
            "surat_permohonan_mediator", "kuesioner_skm"},
    "pelatihan": {"rencana_kerja", "undangan_pelatihan", "sk_panitia", "surat_pengantar",
                  "daftar_peserta", "laporan_pelatihan"},
    "ak1": {"tanda_terima", "surat_pengembalian", "kartu_ak1", "kuesioner_skm"},
    "paspor": {"tanda_terima", "surat_pengembalian", "rekomendasi_paspor", "pengesahan_pp",
               "kuesioner_skm"},
}


@pytest.mark.parametrize("code", CODES)
def test_documents(code, sops):
    s = sops[code]
    codes = [d.code for d in s.documents]
    assert len(codes) == len(set(codes))
    assert set(codes) == EXPECTED_DOCUMENTS[code]
    for d in s.documents:
        assert 1 <= d.step <= len(s.steps), d.code
        assert d.code in s.step(d.step).documents, d.code
        if d.code in ("tanda_terima", "surat_pengembalian"):
            assert not d.classification_code and not d.sign_lane and not d.paraf_lanes
        if d.classification_code:
            assert re.fullmatch(r"500\.15\.\d", d.classification_code), d.code
    for st in s.steps:
        assert set(st.documents) <= set(codes), (code, st.no)
    if "tanda_terima" in codes:
        assert s.document("tanda_terima").step == 1
        assert s.step(s.document("surat_pengembalian").step).kind == "check"


def test_document_signers(sops):
    def spec(code, doc):
        d = sops[code].document(doc)
        return d.step, d.paraf_lanes, d.sign_lane, d.classification_code

    assert spec("jht", "surat_klaim_jht") == (3, ("kabid_sekretaris",), "kadis", "500.15.3")
    assert spec("jakon", "formulir_jakon") == (3, ("kabid_sekretaris",), "kadis", "500.15.3")
    assert spec("phi", "surat_permohonan_mediator") == (
        4, ("kabid_sekretaris",), "kadis", "500.15.3")
    phi = sops["phi"]
    assert phi.document("risalah_bipartit").repeatable
    assert not phi.document("risalah_bipartit").sign_lane
    assert not phi.document("perjanjian_bersama").sign_lane
    assert spec("ak1", "kartu_ak1") == (3, ("kasi",), "kabid", "500.15.1")
    for doc in ("rekomendasi_paspor", "pengesahan_pp"):
        assert spec("paspor", doc) == (4, ("kasi",), "kabid_sekretaris", "500.15.1")
    for doc in ("undangan_pelatihan", "sk_panitia"):
        assert spec("pelatihan", doc) == (4, ("kabid",), "kadis", "500.15.2")
    assert spec("pelatihan", "surat_pengantar") == (4, (), "kabid", "500.15.2")
    assert sops["pelatihan"].document("rencana_kerja").step == 1
    assert sops["pelatihan"].document("daftar_peserta").step == 7
    assert sops["pelatihan"].document("laporan_pelatihan").step == 10
    # paraf and sign lanes match the paraf and sign steps of the service SOPs
    for code in SERVICE_CODES:
        s = sops[code]
        paraf_lanes = {st.lane for st in s.steps if st.kind == "paraf"}
        sign_lanes = {st.lane for st in s.steps if st.kind == "sign"}
        for d in s.documents:
            assert set(d.paraf_lanes) <= paraf_lanes, (code, d.code)
            if d.sign_lane:
                assert d.sign_lane in sign_lanes, (code, d.code)


@pytest.mark.parametrize("code", CODES)
def test_notes_explain_the_reading(code, sops):
    s = sops[code]
    assert len(s.reading_notes) >= 3
    assert s.tab_label and len(s.tab_label) <= 20
