"""What a Kepala Dinas reads on the letters of real cases (issue 12): addressees, "a.n.",
the office name's case, company applicants, training figures, the mediator letter's
attachment, the meterai place and missing-field messages."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader
from sqlalchemy import select
from test_document_service import World, _flat, _text, sign_through_queue

from desktop_app.core import cases, settings, workflow
from desktop_app.core.db import Database
from desktop_app.core.documents import context as dc
from desktop_app.core.documents import service as ds
from desktop_app.core.documents.catalog import IncompleteDocument
from desktop_app.core.errors import ValidationError
from desktop_app.core.models import Document, User
from desktop_app.core.reports.agenda import addressee
from desktop_app.core.sop import get_sop


@pytest.fixture
def w(db: Database) -> World:
    return World(db)


def _pages(pdf: bytes) -> list[str]:
    return [_flat(p.extract_text() or "") for p in PdfReader(io.BytesIO(pdf)).pages]


def test_passport_recommendation_names_the_immigration_office_once(w: World) -> None:
    psp = w.advance(w.register("paspor"), 2)
    assert psp.data["kantor_imigrasi"].startswith("Kepala Kantor Imigrasi")  # SOP default
    w.photo(psp, who="admintu")
    text = w.pdf(w.draft(psp, "rekomendasi_paspor", who="admintu"))
    assert "Yth. Kepala Kantor Imigrasi Kelas III Non TPI Pagar Alam" in text
    assert text.count("Kantor Imigrasi") == 1
    # the outgoing-letter agenda's addressee column neither
    spec = get_sop("paspor").document("rekomendasi_paspor")
    assert addressee(spec.addressee, psp.data) == \
        "Kepala Kantor Imigrasi Kelas III Non TPI Pagar Alam"


def test_plh_kabid_signs_an_on_behalf_of_the_kepala_dinas(w: World) -> None:
    """A Plh. Kabid keeps "a.n. Kepala Dinas" on letters and on the AK/I card."""
    sop = get_sop("paspor")
    psp = w.advance(w.register("paspor"), 2)
    w.photo(psp, who="admintu")
    w.draft(psp, "rekomendasi_paspor", who="admintu")
    w.advance(w.case(psp.id), 1)
    ak = w.advance(w.register("ak1"), 1)
    w.photo(ak)
    w.draft(ak, "kartu_ak1", who="admintu")
    w.advance(w.case(ak.id), 1)
    with w.db.write() as s:
        kasi = s.get(User, w.a["kasi"].user_id)
        kabid = s.get(User, w.a["kabid"].user_id)
        for case_id, code, sop_code in ((psp.id, "rekomendasi_paspor", "paspor"),
                                        (ak.id, "kartu_ak1", "ak1")):
            doc = s.scalars(select(Document).where(Document.case_id == case_id,
                                                   Document.doc_type == code)).one()
            the_sop = sop if sop_code == "paspor" else get_sop("ak1")
            block = dc.signer_block(s, w.db, the_sop, the_sop.document(code), signer=kasi,
                                    acting_for_user=kabid, delegation_kind="Plh.")
            block = {k: v for k, v in block.items() if not k.startswith("_")}
            assert block["atas_nama"] == "a.n." and block["kuasa"] == "Plh."
            final = ds.render_final_in_session(s, w.db, doc, {**block, "signed": True},
                                               ds.expected_number(s, w.db, doc, w.db.now()))
            text = _flat(_text(final))
            assert "a.n. Kepala Dinas Penanaman Modal" in text, code
            assert "Plh. Kepala Bidang Tenaga Kerja," in text, code
            assert "Siti Aminah" in text
        # a Plh. of the Kepala Dinas signs as "Plh. Kepala Dinas", no "a.n."
        kadis = s.get(User, w.a["kadis"].user_id)
        block = dc.signer_block(s, w.db, sop, sop.document("rekomendasi_paspor"), signer=kabid,
                                acting_for_user=kadis, delegation_kind="Plh.")
        assert (block["atas_nama"], block["kuasa"]) == ("Plh.", None)


def test_office_name_typed_in_capitals_prints_in_proper_case(w: World) -> None:
    profile = settings.get_setting(w.db, settings.OFFICE_PROFILE)
    settings.save_setting(w.db, None, settings.OFFICE_PROFILE, {
        **profile, "pemerintah": "PEMERINTAH KOTA PAGAR ALAM",
        "nama_dinas": "DINAS PENANAMAN MODAL, PELAYANAN TERPADU SATU PINTU DAN TENAGA KERJA"})
    stored = settings.get_setting(w.db, settings.OFFICE_PROFILE)["nama_dinas"]
    assert stored == "Dinas Penanaman Modal, Pelayanan Terpadu Satu Pintu dan Tenaga Kerja"
    phi = w.fill(w.advance(w.register("phi"), 3),
                 dinas_tujuan_mediator="Dinas Tenaga Kerja Kabupaten Lahat")
    text = w.pdf(w.draft(phi, "surat_permohonan_mediator", who="jfu"))
    assert "Mengingat Dinas Penanaman Modal, Pelayanan Terpadu Satu Pintu dan Tenaga Kerja" \
        in text
    assert "DINAS PENANAMAN MODAL, PELAYANAN TERPADU" in text  # the kop only
    assert text.count("DINAS PENANAMAN MODAL") == 1
    assert settings.proper_case("UPTD BLK KOTA PAGAR ALAM") == "UPTD BLK Kota Pagar Alam"
    assert settings.proper_case("Dinas Tenaga Kerja") == "Dinas Tenaga Kerja"


def test_company_applicant_is_addressed_as_a_company(w: World) -> None:
    ret = w.register("jakon")
    ret = cases.act(w.db, w.a["petugas"], ret.id, workflow.INCOMPLETE,
                    expected_version=ret.version,
                    requirements={r.code: False for r in get_sop("jakon").requirements},
                    reason="Lengkapi kontrak.")
    text = w.pdf(w.draft(ret, "surat_pengembalian", who="petugas"))
    company = ret.data["nama_perusahaan"]
    assert f"Yth. Pimpinan {company}" in text
    assert "Saudara" not in text and "Sdr." not in text
    # a person is still "Sdr." / "Saudara"
    person = w.register("jht")
    person = cases.act(w.db, w.a["petugas"], person.id, workflow.INCOMPLETE,
                       expected_version=person.version,
                       requirements={r.code: False for r in get_sop("jht").requirements},
                       reason="Lengkapi KTP.")
    text = w.pdf(w.draft(person, "surat_pengembalian", who="petugas"))
    assert f"Yth. Sdr. {person.data['nama']}" in text and "yang Saudara ajukan" in text


def test_training_report_counts_from_the_participants(w: World) -> None:
    plt = w.advance(w.register("pelatihan"), 10)
    peserta = plt.data["peserta"]
    assert {p["asal"] for p in peserta} == {"Kota Pagar Alam"}
    text = w.pdf(w.draft(plt, "laporan_pelatihan", who="kabid"))
    assert f"Asal Peserta : Kota Pagar Alam ({len(peserta)} orang)" in text
    assert "Kabupaten Lahat" not in text.split("Lampiran")[0]  # the invitees are not origins
    assert f"Peserta Terdaftar : {len(peserta)} orang" in text
    # more present than registered: refused at the field, nothing written
    with pytest.raises(ValidationError) as err:
        cases.update_case(w.db, w.a["admin"], plt.id, expected_version=w.case(plt.id).version,
                          data={"laporan_jumlah_hadir": 18, "peserta": peserta})
    assert "melebihi peserta terdaftar (8)" in err.value.errors["laporan_jumlah_hadir"]
    ctx_case = w.case(plt.id)
    with w.db.read() as s:
        from desktop_app.core.models import Case

        case = s.get(Case, ctx_case.id)
        case.data = {**case.data, "laporan_jumlah_hadir": 18}
        ctx = dc.build_context(s, w.db, case, "laporan_pelatihan")
        s.rollback()
    with pytest.raises(IncompleteDocument) as exc:
        dc.check_complete("laporan_pelatihan", ctx)
    assert "Jumlah peserta hadir (18) melebihi peserta terdaftar (8)" in exc.value.message


def test_mediator_letter_carries_the_minutes_it_announces(w: World) -> None:
    phi = w.fill(w.advance(w.register("phi"), 3),
                 dinas_tujuan_mediator="Dinas Tenaga Kerja Kabupaten Lahat")
    meetings = [m for m in phi.data["_bipartit"] if not m.get("sepakat")]
    assert len(meetings) == 2
    view = w.draft(phi, "surat_permohonan_mediator", who="jfu")
    pages = _pages(ds.document_pdf(w.db, view.id))
    assert "Lampiran : 2 (dua) berkas risalah bipartit" in pages[0]
    minutes = [i for i, p in enumerate(pages) if "RISALAH PERUNDINGAN BIPARTIT" in p.upper()
               and "LAMPIRAN SURAT" in p.upper()]
    assert len(minutes) == 2
    for i, page_no in enumerate(minutes, 1):
        assert f"Perundingan ke-{i}" in pages[page_no]
    assert phi.data["nama"] in pages[-1] and "Mengetahui" in " ".join(pages[minutes[0]:])


def test_agreement_has_a_meterai_place_and_requires_the_nik(w: World) -> None:
    phi = w.advance(w.register("phi"), 1)
    cases.act(w.db, w.a["jfu"], phi.id, workflow.BIPARTITE, expected_version=phi.version,
              meeting={"tempat": "Ruang Rapat", "pendapat_pekerja": "Minta upah lembur.",
                       "pendapat_pengusaha": "Bersedia membayar.", "hasil": "Sepakat.",
                       "sepakat": True, "isi_kesepakatan": ["Upah lembur Rp 1.500.000."]})
    view = w.draft(w.case(phi.id), "perjanjian_bersama", who="kabid")
    text = w.pdf(view)
    assert text.count("Meterai Rp10.000") == 2 and phi.data["nik"] in text
    assert "Rp\u00a01.500.000" in _text(ds.document_pdf(w.db, view.id)) or \
        "Rp 1.500.000" in text
    with w.db.read() as s:
        from desktop_app.core.models import Case

        case = s.get(Case, phi.id)
        ctx = dc.build_context(s, w.db, case, "perjanjian_bersama")
        s.rollback()
    ctx["data"]["nik"] = None
    with pytest.raises(IncompleteDocument) as exc:
        dc.check_complete("perjanjian_bersama", ctx)
    assert "NIK (tab Data Permohonan)" in exc.value.message


def test_missing_values_name_the_form_label_and_tab_once(w: World) -> None:
    from desktop_app.core.models import Case

    ak = w.advance(w.register("ak1"), 1)
    w.photo(ak)
    with w.db.read() as s:
        case = s.get(Case, ak.id)
        case.data = {k: v for k, v in case.data.items() if k not in ("rt", "rw")}
        ctx = dc.build_context(s, w.db, case, "kartu_ak1")
        s.rollback()
    pdf = dc.render_context("kartu_ak1", ctx)  # RT/RW are optional on the card
    assert PdfReader(io.BytesIO(pdf)).pages
    # a value a template needs that is gone is named as the form labels it
    jakon = w.advance(w.register("jakon"), 1)
    with w.db.read() as s:
        case = s.get(Case, jakon.id)
        case.data = {**case.data, "nilai_kontrak": None}
        ctx = dc.build_context(s, w.db, case, "formulir_jakon")
        s.rollback()
    with pytest.raises(IncompleteDocument) as exc:
        dc.check_complete("formulir_jakon", ctx)
    assert exc.value.message.count("Nilai kontrak (Rp)") == 1
    assert "(tab Data Permohonan)" in exc.value.message
    ctx["_hints"]["data.rt"] = "RT (tab Data Permohonan)"
    located = dc._located("kartu_ak1", ctx, Exception("Data dokumen tidak lengkap: nilai 'rt' "
                                                      "tidak ada."))
    assert isinstance(located, IncompleteDocument)
    assert "RT (tab Data Permohonan)" in located.message and "'rt'" not in located.message


def test_waiting_letter_is_a_konsep_and_the_signed_one_is_not(w: World) -> None:
    jht = w.advance(w.register("jht"), 1)
    letter = w.draft(jht, "surat_klaim_jht", who="jfu")
    assert "KONSEP" in w.pdf(letter)
    assert dc.DRAFT_NUMBER in w.pdf(letter)
    w.advance(w.case(jht.id), 1)
    waiting = ds.get_document(w.db, letter.id)
    assert "KONSEP" in w.pdf(waiting) and waiting.number is None
    signed = sign_through_queue(w, letter.id)
    text = w.pdf(signed)
    assert "KONSEP" not in text and signed.number in text
    # a receipt nobody signs is printed as it is: no KONSEP
    receipt = w.draft(w.register("jht"), "tanda_terima", who="petugas")
    assert "KONSEP" not in w.pdf(receipt)
