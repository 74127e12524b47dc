"""SOP import: the seed's six SOPs read from the text form and from Word files give back the
shipped files' steps exactly, the guesses are the ones the shipped reading notes explain, a
revision keeps the running version's additions, and bad documents are refused plainly."""

from __future__ import annotations

import io
import re
from html import escape

import pytest
from PIL import Image
from sop_documents import revised_jht, seed_blocks, seed_bytes, sop_docx

from desktop_app.core.sop import load_sops
from desktop_app.core.sop_import import ImportRefused, import_sop_document, list_document_sops
from desktop_app.resources import resource_path

SOPS = {s.code: s for s in load_sops()}
CODES = tuple(SOPS)
TEXTS = {code: resource_path("sops", f"{code}.toml").read_text(encoding="utf-8")
         for code in CODES}


def _import(code: str, form: str, **kwargs):
    sop = SOPS[code]
    if form == "teks":
        return import_sop_document(seed_bytes(), "seed.txt", number=sop.number, **kwargs)
    block = seed_blocks()[CODES.index(code)]
    return import_sop_document(sop_docx([block]), f"{code}.docx", **kwargs)


@pytest.mark.parametrize("form", ["teks", "docx"])
@pytest.mark.parametrize("code", CODES)
def test_seed_import_reproduces_the_shipped_steps(code, form):
    shipped, draft = SOPS[code], _import(code, form, fresh=True).sop
    assert len(draft.steps) == len(shipped.steps)
    for ours, theirs in zip(draft.steps, shipped.steps, strict=True):
        got = (ours.no, ours.activity, ours.time_text, ours.input, ours.output)
        assert got == (theirs.no, theirs.activity, theirs.time_text, theirs.input, theirs.output)
    for attr in ("number", "name", "flow_title", "created", "revised", "effective",
                 "legal_basis", "qualifications", "relations", "equipment", "warnings",
                 "records"):
        assert getattr(draft, attr) == getattr(shipped, attr), attr
    assert draft.approved_by.name == shipped.approved_by.name
    assert draft.approved_by.nip == shipped.approved_by.nip
    assert draft.approved_by.rank == shipped.approved_by.rank
    assert [lane.name for lane in draft.lanes] == [lane.name for lane in shipped.lanes]


def _steps_named(note: str) -> set[int]:
    """Step numbers a reading note speaks of: 'Langkah 4 (…), langkah 5 (…)', 'Langkah 8 dan 9'."""
    found = set()
    for m in re.finditer(r"[Ll]angkah (\d+)((?:\s*(?:,|dan)\s*\d+)*)", note):
        found.add(int(m.group(1)))
        found |= {int(n) for n in re.findall(r"\d+", m.group(2))}
    return found


def _explained(guess, notes: tuple[str, ...]) -> bool:
    lowered = [n.casefold() for n in notes]
    if guess.evidence:
        return all(any(e.casefold() in n for n in lowered) for e in guess.evidence)
    if guess.topic == "lane" and not any("tidak terbaca" in n for n in lowered):
        return False
    return any(guess.step in _steps_named(n) for n in notes)


@pytest.mark.parametrize("code", CODES)
def test_guesses_are_the_ones_the_reading_notes_explain(code):
    shipped, result = SOPS[code], _import(code, "teks", fresh=True)
    unexplained = [g for g in result.guesses if not _explained(g, shipped.reading_notes)]
    assert unexplained == []
    # Each step's lane and kind is a guess: the extraction lost the chart's shapes.
    assert {g.step for g in result.guesses if g.topic == "lane"} == set(
        range(1, len(shipped.steps) + 1))
    # The slips the importer fixed are exactly the shipped file's corrections.
    assert set(result.corrections) == set(shipped.corrections)
    # ... and its proposals are the reading the shipped file chose.
    assert [(s.lane, s.kind) for s in result.sop.steps] == [
        (s.lane, s.kind) for s in shipped.steps]
    assert [s.branches for s in result.sop.steps] == [s.branches for s in shipped.steps]


def test_guesses_per_sop_and_the_report():
    counts = {code: len(_import(code, "teks", fresh=True).guesses) for code in CODES}
    assert counts == {"jht": 13, "jakon": 13, "phi": 24, "pelatihan": 28, "ak1": 14,
                      "paspor": 15}
    report = "\n".join(_import("phi", "teks", fresh=True).report_lines())
    assert "'masi berselisih'" in report and "'Dinas Tenaga Kerja Terdekat'" in report
    assert "'Industrialis' → 'Industrial'" in report


def test_draft_marks_guesses_in_the_file():
    text = _import("ak1", "teks", fresh=True).text
    assert re.search(r'lane = "pengadministrasi" # TEBAKAN: Langkah 3: .lengkap. di kolom',
                     text)
    assert "AK/I" in text and "PENCAIRI" in text  # fixed, and the slip kept in corrections


@pytest.mark.parametrize("code", CODES)
def test_revision_of_a_running_sop_keeps_its_program_additions(code):
    result = _import(code, "teks", running=tuple(SOPS.values()), base_texts=TEXTS)
    shipped, draft = SOPS[code], result.sop
    assert result.base_code == code
    assert (draft.code, draft.register_prefix, draft.signer_lane) == (
        shipped.code, shipped.register_prefix, shipped.signer_lane)
    assert draft.steps == shipped.steps  # lanes, kinds, branches, documents, notes
    assert draft.documents == shipped.documents
    assert draft.fields == shipped.fields and draft.requirements == shipped.requirements
    assert not [g for g in result.guesses if g.topic in ("lane", "kind", "branches")]


def test_revision_with_a_new_step_renumbers_documents():
    block = revised_jht()
    result = import_sop_document(sop_docx([block]), "jht-revisi.docx",
                                 running=tuple(SOPS.values()), base_texts=TEXTS)
    draft = result.sop
    assert len(draft.steps) == 7
    assert draft.document("surat_klaim_jht").step == 4
    assert draft.step(4).documents == ("surat_klaim_jht",)
    assert {g.step for g in result.guesses if g.topic == "lane"} == {3}


def test_new_sop_is_a_loadable_draft_with_what_to_complete():
    result = _import("paspor", "teks", fresh=True)
    assert result.sop.code == "sop_503_49"
    assert {g.field for g in result.to_complete} >= {
        "code", "tab_label", "register_name", "register_prefix", "approved_by.position",
        "fields"}
    assert result.sop.field("nik").required


def test_html_form_reads_like_the_text_form():
    rows = seed_blocks()[4]
    html = "<html><body>" + "".join(
        f"<p>{escape(r[0])}</p>" if len(r) == 1 else
        "<table><tr>" + "".join(f"<td>{c}</td>" for c in r) + "</tr></table>"
        for r in rows) + "</body></html>"
    draft = import_sop_document(html.encode(), "ak1.html", fresh=True).sop
    assert [s.activity for s in draft.steps] == [s.activity for s in SOPS["ak1"].steps]


def test_a_file_with_several_sops_asks_which_one():
    data = sop_docx(seed_blocks()[:2])
    with pytest.raises(ImportRefused, match=r"berisi 2 SOP \(503/44.*503/45"):
        import_sop_document(data, "dua.docx")
    assert [n for n, _ in list_document_sops(data, "dua.docx")] == [
        SOPS["jht"].number, SOPS["jakon"].number]
    assert import_sop_document(data, "dua.docx", number="503/45", fresh=True).sop.number == \
        SOPS["jakon"].number


def test_merged_cells_in_a_step_row_are_refused():
    data = sop_docx([seed_blocks()[0]], merge_step_cell=True)
    with pytest.raises(ImportRefused, match="langkah 6 memakai sel gabungan"):
        import_sop_document(data, "gabung.docx")


def test_scanned_pdf_is_refused():
    buf = io.BytesIO()
    Image.new("RGB", (600, 800), "white").save(buf, "PDF")
    with pytest.raises(ImportRefused, match="hasil pindaian"):
        import_sop_document(buf.getvalue(), "sop-scan.pdf")


def test_pdf_with_text_asks_for_the_word_file():
    from weasyprint import HTML

    pdf = HTML(string="<p>Nomor SOP 503/44</p>").write_pdf()
    with pytest.raises(ImportRefused, match=r"Word \(\.docx\)"):
        import_sop_document(pdf, "sop.pdf")


@pytest.mark.parametrize(("name", "data", "message"), [
    ("catatan.txt", b"Daftar belanja\tgula\n", "bukan dokumen SOP-AP"),
    ("sop.doc", b"\xd0\xcf\x11\xe0 old word", r"\.doc"),
    ("sop.docx", b"PK not a zip", "rusak"),
    ("gambar.png", b"\x89PNG....", "jenis berkas"),
])
def test_other_bad_files(name, data, message):
    with pytest.raises(ImportRefused, match=message):
        import_sop_document(data, name)


def test_unreadable_time_names_the_step():
    text = seed_bytes().decode().replace("Berkas Persyaratan\t5 Menit", "Berkas Persyaratan\t"
                                         "segera", 1)
    with pytest.raises(ImportRefused, match="langkah 2: kolom Waktu tidak terbaca"):
        import_sop_document(text.encode(), "seed.txt", number="503/44")
