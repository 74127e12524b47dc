"""Documents of real cases: draft, number, gate the workflow, void, re-render, samples CLI."""

from __future__ import annotations

import io
import random
from datetime import datetime
from pathlib import Path

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from desktop_app.core import auth, cases, workflow
from desktop_app.core.db import Database
from desktop_app.core.demo.cases import advance
from desktop_app.core.demo.people import demo_intake
from desktop_app.core.documents import context as dc
from desktop_app.core.documents import service as ds
from desktop_app.core.documents.catalog import IncompleteDocument
from desktop_app.core.errors import PermissionDenied, ValidationError
from desktop_app.core.models import Document, DocumentApproval, User
from desktop_app.core.numbering import letter_series, peek
from desktop_app.core.sop import get_sop


def actors_of(database: Database) -> dict[str, auth.Actor]:
    with database.read() as s:
        ids = dict(s.execute(select(User.username, User.id)).all())
    return {name: auth.actor_for(database, uid) for name, uid in ids.items()}


def _jpeg() -> bytes:
    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", (120, 160), (200, 40, 40)).save(buf, format="JPEG")
    return buf.getvalue()


def _text(pdf: bytes) -> str:
    return " ".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(pdf)).pages)


def _flat(text: str) -> str:
    return " ".join(text.split())


class World:
    def __init__(self, db: Database) -> None:
        self.db = db
        dc.install_placeholder_emblem(db)
        self.a = actors_of(db)
        self.rng = random.Random(5)

    def register(self, code: str, **extra: object) -> cases.CaseDetail:
        data = {**demo_intake(code, self.rng, self.db.now().date()), **extra}
        sop = get_sop(code)
        clerk = self.a["jfu"] if code == "pelatihan" else self.a["petugas"]
        return cases.register_case(self.db, clerk, code, data,
                                   {r.code: True for r in sop.requirements})

    def advance(self, case: cases.CaseDetail, steps: int) -> cases.CaseDetail:
        return advance(self.db, self.a, case, steps, self.rng)

    def fill(self, case: cases.CaseDetail, **data: object) -> cases.CaseDetail:
        return cases.update_case(self.db, self.a["admin"], case.id,
                                 expected_version=case.version, data=data)

    def photo(self, case: cases.CaseDetail, who: str = "petugas") -> None:
        cases.add_attachment(self.db, self.a[who], case.id, kind="pas_foto",
                             filename="foto.jpg", content=_jpeg(), mime_type="image/jpeg")

    def draft(self, case: cases.CaseDetail, code: str, seq: int = 1,
              who: str = "admin") -> ds.DocumentView:
        return ds.draft_document(self.db, self.a[who], case.id, code, seq)

    def pdf(self, view: ds.DocumentView) -> str:
        return _flat(_text(ds.document_pdf(self.db, view.id)))

    def case(self, case_id: int) -> cases.CaseDetail:
        return cases.get_case(self.db, case_id)


@pytest.fixture
def w(db: Database) -> World:
    return World(db)


def test_every_document_type_from_real_cases(w: World) -> None:
    seen: set[str] = set()

    def check(view: ds.DocumentView, *must: str) -> None:
        text = w.pdf(view)
        for part in must:
            assert _flat(str(part)) in text, (view.doc_type, part)
        assert "None" not in text
        seen.add(view.doc_type)

    # AK/I: receipt, card (with photo)
    ak = w.register("ak1")
    check(w.draft(ak, "tanda_terima", who="petugas"), ak.data["nama"], ak.register_number)
    ak = w.advance(ak, 1)
    w.photo(ak)
    card = w.draft(ak, "kartu_ak1", who="admintu")
    check(card, ak.data["nama"], ak.data["nik"], ak.register_number)
    # JHT letter, Jakon form (with contribution in words)
    jht = w.advance(w.register("jht"), 1)
    check(w.draft(jht, "surat_klaim_jht", who="jfu"), jht.data["nama"], jht.data["nik"],
          jht.data["nomor_kpj"])
    jakon = w.advance(w.register("jakon", nilai_kontrak=350_000_000), 1)
    check(w.draft(jakon, "formulir_jakon", who="jfu"), jakon.data["nama_perusahaan"],
          "715.000")
    # PHI: two failed meetings -> two minutes + mediator letter; another case agrees
    phi = w.fill(w.advance(w.register("phi"), 3),
                 dinas_tujuan_mediator="Dinas Tenaga Kerja Kabupaten Lahat")
    assert phi.current_step == 4
    check(w.draft(phi, "risalah_bipartit", 1, who="jfu"), phi.data["nama"], "Perundingan")
    check(w.draft(phi, "risalah_bipartit", 2, who="jfu"), phi.data["nama"])
    check(w.draft(phi, "surat_permohonan_mediator", who="jfu"), phi.data["nama"],
          "Kabupaten Lahat")
    phi2 = w.advance(w.register("phi"), 1)
    cases.act(w.db, w.a["jfu"], phi2.id, workflow.BIPARTITE, expected_version=phi2.version,
              meeting={"tempat": "Ruang Rapat", "pendapat_pekerja": "Minta upah lembur.",
                       "pendapat_pengusaha": "Bersedia membayar.", "hasil": "Sepakat.",
                       "sepakat": True,
                       "isi_kesepakatan": ["Upah lembur dibayar paling lambat 1 Desember."]})
    types = [t[0] for t in ds.available_types(w.db, phi2.id)]
    assert "perjanjian_bersama" in types and "surat_permohonan_mediator" not in types
    check(w.draft(w.case(phi2.id), "perjanjian_bersama", who="kabid"), phi2.data["nama"],
          "Upah lembur dibayar")
    # Paspor: recommendation and placement agreement acknowledgement
    psp = w.fill(w.advance(w.register("paspor"), 2), kantor_imigrasi="Kelas I TPI Palembang")
    w.photo(psp, who="admintu")  # the CPMI's pas foto (the office's form has one)
    assert psp.current_step == 4
    check(w.draft(psp, "rekomendasi_paspor", who="admintu"), psp.data["nama"], psp.data["nik"])
    check(w.draft(psp, "pengesahan_pp", who="admintu"), psp.data["nama"])
    # Training: every document once the case reached the report step
    plt = w.advance(w.register("pelatihan"), 10)
    assert plt.current_step == 11
    for code in ("rencana_kerja", "undangan_pelatihan", "surat_pengantar", "sk_panitia",
                 "daftar_peserta", "laporan_pelatihan"):
        check(w.draft(plt, code, who="kabid"), plt.data["nama_pelatihan"])
    # Return letter, once a file came back incomplete
    ret = w.register("jht")
    ret = cases.act(w.db, w.a["petugas"], ret.id, workflow.INCOMPLETE,
                    expected_version=ret.version,
                    requirements={r.code: False for r in get_sop("jht").requirements},
                    reason="Lengkapi KTP.")
    letter = w.draft(ret, "surat_pengembalian", who="petugas")
    # Issued at once by the clerk: numbered, no official's signature, never in a queue.
    check(letter, ret.data["nama"], "Lengkapi KTP.", "Petugas Penerima")
    assert letter.number and letter.status == ds.ISSUED and not letter.needs_signer
    assert "KONSEP" not in w.pdf(letter) and letter.number in w.pdf(letter)
    # The satisfaction questionnaire, handed over at the last step
    done = w.advance(w.register("ak1"), 4)
    assert done.current_step == 6
    check(w.draft(done, "kuesioner_skm", who="admintu"), done.data["nama"],
          done.register_number, "Sarana dan Prasarana")

    from desktop_app.core.sop import load_sops

    every = {d.code for sop in load_sops() for d in sop.documents}
    assert seen == every


def test_missing_photo_and_signer_nip_name_the_field_and_number_nothing(w: World) -> None:
    ak = w.advance(w.register("ak1"), 1)
    with pytest.raises(IncompleteDocument) as exc:
        w.draft(ak, "kartu_ak1", who="admintu")
    assert "Pas foto 3×4 (tab Lampiran)" in exc.value.message
    w.photo(ak)
    view = w.draft(ak, "kartu_ak1", who="admintu")
    assert view.status == ds.DRAFT and view.number is None
    auth.update_profile(w.db, None, "kabid", full_name="Hendra Saputra, S.E., M.M.", nip=None,
                        pangkat="Pembina / IV.a", jabatan="Kepala Bidang Tenaga Kerja")
    with pytest.raises(ValidationError) as err:
        cases.act(w.db, w.a["admintu"], ak.id, workflow.FINISH,
                  expected_version=w.case(ak.id).version)
    assert "NIP Kepala Bidang (menu Pengguna)" in err.value.message
    with w.db.read() as s:
        assert peek(s, "ak1:1672:2026") == 0
    assert ds.get_document(w.db, view.id).number is None
    assert w.case(ak.id).current_step == 3
    with pytest.raises(IncompleteDocument) as exc:
        w.draft(ak, "kartu_ak1", who="admintu")
    assert "NIP Kepala Bidang" in exc.value.message


def test_missing_emblem_and_permission(w: World) -> None:
    from desktop_app.core import settings

    settings.save_setting(w.db, None, dc.EMBLEM_SETTING, None)
    jht = w.advance(w.register("jht"), 1)
    with pytest.raises(IncompleteDocument) as exc:
        w.draft(jht, "surat_klaim_jht", who="jfu")
    assert "Lambang daerah (menu Pengaturan › Dokumen & Kop Surat)" in exc.value.message
    with pytest.raises(PermissionDenied):
        w.draft(jht, "surat_klaim_jht", who="panitia")


def sign_through_queue(w: World, doc_id: int) -> ds.DocumentView:
    """Paraf and sign ``doc_id`` as the signing queue offers it (demo credentials)."""
    from desktop_app.core.demo.signing import demo_signing_passphrase, setup_demo_signing
    from desktop_app.core.signing import batch, paraf, queue

    if not getattr(w, "_signing", False):
        setup_demo_signing(w.db)
        w._signing = True  # type: ignore[attr-defined]
    for _ in range(6):
        if ds.get_document(w.db, doc_id).status == ds.SIGNED:
            break
        for name, actor in w.a.items():
            rows = [r for r in queue.signing_queue(w.db, actor) if r.document_id == doc_id]
            if not rows or "admin" in actor.roles:
                continue
            if rows[0].awaited == "paraf":
                paraf.paraf_documents(w.db, actor, [doc_id])
            else:
                result = batch.sign_documents(w.db, actor, [doc_id],
                                              demo_signing_passphrase(name))
                assert result.ok, result.error
            break
    view = ds.get_document(w.db, doc_id)
    assert view.status == ds.SIGNED
    return view


def test_numbering_consecutive_per_classification_and_yearly(w: World, clock) -> None:
    jht = w.advance(w.register("jht"), 1)
    jakon = w.advance(w.register("jakon"), 1)
    a = w.draft(jht, "surat_klaim_jht", who="jfu")
    b = w.draft(jakon, "formulir_jakon", who="jfu")
    w.advance(w.case(jht.id), 1)
    w.advance(w.case(jakon.id), 1)
    a, b = ds.get_document(w.db, a.id), ds.get_document(w.db, b.id)
    # Waiting for paraf: no numbers taken yet, the counter untouched.
    assert (a.number, b.number) == (None, None)
    assert a.status == b.status == ds.WAIT_PARAF
    assert a.verification_code and a.verification_code != b.verification_code
    with w.db.read() as s:
        assert peek(s, letter_series("500.15.3", 2026)) == 0
    # Signed in the other order: the numbers follow the signatures.
    b = sign_through_queue(w, b.id)
    a = sign_through_queue(w, a.id)
    assert (b.number, a.number) == ("500.15.3/0001/TK/2026", "500.15.3/0002/TK/2026")
    assert "500.15.3/0002/TK/2026" in w.pdf(a)
    ak = w.advance(w.register("ak1"), 1)
    w.photo(ak)
    card = w.draft(ak, "kartu_ak1", who="admintu")
    w.advance(w.case(ak.id), 1)
    assert ds.get_document(w.db, card.id).number is None
    assert sign_through_queue(w, card.id).number == "1672-2026-00001"
    clock.set(datetime(2027, 1, 4, 8, 0))
    jht2 = w.advance(w.register("jht"), 1)
    c = w.draft(jht2, "surat_klaim_jht", who="jfu")
    w.advance(w.case(jht2.id), 1)
    assert sign_through_queue(w, c.id).number == "500.15.3/0001/TK/2027"
    with w.db.read() as s:
        assert peek(s, letter_series("500.15.3", 2026)) == 2


def test_letter_series_per_unit_is_an_office_setting(w: World) -> None:
    from desktop_app.core import settings

    numbering = settings.get_setting(w.db, settings.NUMBERING)
    assert numbering["series"] == ds.SERIES_CLASSIFICATION  # the documented default
    ds.save_document_settings(w.db, w.a["admin"], numbering={**numbering, "series": "unit"},
                              documents=settings.get_setting(w.db, settings.DOCUMENTS))
    jht = w.advance(w.register("jht"), 1)
    a = w.draft(jht, "surat_klaim_jht", who="jfu")
    w.advance(w.case(jht.id), 1)
    assert sign_through_queue(w, a.id).number == "500.15.3/0001/TK/2026"
    with w.db.read() as s:
        assert peek(s, "surat-unit:TK:2026") == 1
        assert peek(s, letter_series("500.15.3", 2026)) == 0
    with pytest.raises(ValidationError):
        ds.save_document_settings(w.db, w.a["admin"], numbering={**numbering, "series": "x"},
                                  documents=settings.get_setting(w.db, settings.DOCUMENTS))


def test_paraf_and_sign_steps_wait_for_the_documents(w: World) -> None:
    ak = w.advance(w.register("ak1"), 1)
    w.photo(ak)
    card = w.draft(ak, "kartu_ak1", who="admintu")
    ak = w.advance(w.case(ak.id), 1)
    assert ak.current_step == 4
    with pytest.raises(ValidationError) as err:
        cases.act(w.db, w.a["kasi"], ak.id, workflow.PARAF, expected_version=ak.version)
    assert "melalui Antrian Tanda Tangan" in err.value.message
    assert w.case(ak.id).current_step == 4
    with w.db.write() as s:
        kasi = s.get(User, w.a["kasi"].user_id)
        doc = s.get(Document, card.id)
        s.add(DocumentApproval(document_id=doc.id, kind="paraf", lane="kasi", user_id=kasi.id,
                               user_name=kasi.full_name, role="kasi", at=w.db.now(),
                               document_sha256=doc.sha256))
        doc.status = ds.WAIT_SIGN
    ak = cases.act(w.db, w.a["kasi"], ak.id, workflow.PARAF, expected_version=ak.version)
    assert ak.current_step == 5
    with pytest.raises(ValidationError):
        cases.act(w.db, w.a["kabid"], ak.id, workflow.SIGN, expected_version=ak.version)
    with w.db.write() as s:
        doc = s.get(Document, card.id)
        signature = dc.signer_block(s, w.db, get_sop("ak1"),
                                    get_sop("ak1").document("kartu_ak1"),
                                    signer=s.get(User, w.a["kasi"].user_id),
                                    acting_for_user=s.get(User, w.a["kabid"].user_id),
                                    delegation_kind="Plh.")
        signature = {k: v for k, v in signature.items() if not k.startswith("_")}
        final = ds.render_final_in_session(s, w.db, doc, {**signature, "signed": True},
                                           ds.expected_number(s, w.db, doc, w.db.now()))
        doc.status = ds.SIGNED
    text = _flat(_text(final))
    assert "Plh. Kepala Bidang Tenaga Kerja" in text
    assert "198105202006042011" in text.replace(" ", "")  # the deputy's NIP
    assert ds.get_document(w.db, card.id).verification_code in text
    ak = cases.act(w.db, w.a["kabid"], ak.id, workflow.SIGN, expected_version=ak.version)
    assert ak.current_step == 6


def test_void_and_correction_leave_no_gap_in_the_numbers(w: World) -> None:
    jht = w.advance(w.register("jht"), 1)
    first = w.draft(jht, "surat_klaim_jht", who="jfu")
    w.advance(w.case(jht.id), 1)
    waiting = ds.get_document(w.db, first.id)
    assert waiting.number is None
    with pytest.raises(ValidationError):
        ds.void_document(w.db, w.a["kabid"], first.id, "  ")
    voided = ds.void_document(w.db, w.a["kabid"], first.id, "Salah nama perusahaan.")
    assert voided.status == ds.VOIDED and voided.number is None
    assert voided.void_reason == "Salah nama perusahaan."
    # the stored file now says so, with the date and the reason
    text = w.pdf(voided)
    assert "DIBATALKAN 30 November 2026" in text and "Salah nama perusahaan." in text
    second = ds.new_version(w.db, w.a["kabid"], first.id)
    assert (second.version, second.status, second.number) == (2, ds.DRAFT, None)
    views = ds.documents_for_case(w.db, jht.id)
    assert [(v.version, v.status) for v in views] == [(1, ds.VOIDED), (2, ds.DRAFT)]
    # a waiting version is voided automatically by the correction
    third = ds.submit_for_signing(w.db, w.a["kabid"], second.id)
    assert third.number is None
    fourth = ds.new_version(w.db, w.a["kabid"], second.id)
    assert fourth.version == 3
    assert ds.get_document(w.db, second.id).status == ds.VOIDED
    # two corrections later the signed letter still takes the first number: no gap
    ds.submit_for_signing(w.db, w.a["kabid"], fourth.id)
    signed = sign_through_queue(w, fourth.id)
    assert signed.number == "500.15.3/0001/TK/2026"
    # voiding the signed letter stamps its file; verify answers DIBATALKAN by file and code
    from desktop_app.core.signing import verification

    original = ds.document_pdf(w.db, signed.id)
    ds.void_document(w.db, w.a["kabid"], signed.id, "Ditarik atas permintaan pemohon.")
    stamped = ds.document_pdf(w.db, signed.id)
    assert stamped.startswith(original) and len(stamped) > len(original)
    assert "DIBATALKAN" in _flat(_text(stamped))
    assert verification.verify_document(w.db, stamped).status == "dibatalkan"
    assert verification.verify_document(w.db, original).status == "dibatalkan"
    code = signed.verification_code.replace("-", "").lower()
    assert verification.verify_code(w.db, code).status == "dibatalkan"


def test_data_change_rerenders_a_draft_but_never_a_numbered_one(w: World) -> None:
    jht = w.advance(w.register("jht"), 1)
    a = w.draft(jht, "surat_klaim_jht", who="jfu")
    again = w.draft(w.case(jht.id), "surat_klaim_jht", who="jfu")
    assert (again.id, again.sha256, again.rendered_at) == (a.id, a.sha256, a.rendered_at)
    jht = cases.update_case(w.db, w.a["jfu"], jht.id, expected_version=w.case(jht.id).version,
                            data={"nama_perusahaan": "PT Teh Dempo Baru"})
    b = w.draft(jht, "surat_klaim_jht", who="jfu")
    assert b.id == a.id and b.sha256 != a.sha256
    assert "PT Teh Dempo Baru" in w.pdf(b)
    w.advance(w.case(jht.id), 1)
    numbered = ds.get_document(w.db, a.id)
    jht = cases.update_case(w.db, w.a["kabid"], jht.id,
                            expected_version=w.case(jht.id).version,
                            data={"nama_perusahaan": "PT Lain Lagi"})
    c = w.draft(jht, "surat_klaim_jht", who="kabid")
    assert c.id == a.id and c.sha256 == numbered.sha256 and c.number == numbered.number


def test_without_the_letter_a_step_that_names_it_does_not_pass(w: World) -> None:
    """Issue 8, item 4 (was: "without documents steps pass as before"): the card's drafting
    step needs the card; nothing is written when it is missing."""
    ak = w.advance(w.register("ak1"), 1)
    assert ak.current_step == 3
    with pytest.raises(ValidationError) as err:
        cases.act(w.db, w.a["admintu"], ak.id, workflow.FINISH, expected_version=ak.version)
    assert "Kartu Tanda Bukti Pendaftaran Pencari Kerja" in err.value.errors["dokumen"]
    assert w.case(ak.id).current_step == 3
    with w.db.read() as s:
        assert not s.scalars(select(Document)).all()


def test_render_samples_writes_one_pdf_per_document(tmp_path: Path) -> None:
    from desktop_app.__main__ import main
    from desktop_app.core.sop import load_sops

    assert main(["admin", "render-samples", str(tmp_path)]) == 0
    expected = {f"{sop.code}_{d.code}.pdf" for sop in load_sops() for d in sop.documents}
    expected |= {f"{sop.code}_lembar_sop.pdf" for sop in load_sops()}
    assert {p.name for p in tmp_path.iterdir()} == expected
    assert {"ak1_kartu_ak1.pdf", "jht_surat_klaim_jht.pdf", "phi_lembar_sop.pdf"} <= expected
    for path in tmp_path.iterdir():
        assert len(PdfReader(path).pages) >= 1


def test_return_to_the_drafting_step_voids_the_waiting_letter(w: World) -> None:
    case = w.advance(w.register("jht"), 1)  # at step 3: the JFU drafts the letter
    letter = w.draft(case, "surat_klaim_jht", who="jfu")
    case = w.advance(w.case(case.id), 1)  # finishing step 3 submits it; waits for paraf
    waiting = ds.get_document(w.db, letter.id)
    assert waiting.status == ds.WAIT_PARAF and waiting.number is None
    case = cases.act(w.db, w.a["kabid"], case.id, workflow.RETURN_TO_STEP,
                     expected_version=case.version, target_step=3,
                     reason="Nomor KPJ salah")
    assert case.current_step == 3
    voided = ds.get_document(w.db, letter.id)
    assert voided.status == ds.VOIDED and voided.number is None
    assert "Nomor KPJ salah" in voided.void_reason
    assert "DIBATALKAN" in w.pdf(voided)
    # The JFU drafts it again; finishing the step sends the new version to paraf.
    again = w.draft(w.case(case.id), "surat_klaim_jht", who="jfu")
    assert again.id != letter.id and again.status == ds.DRAFT
    w.advance(w.case(case.id), 1)
    resubmitted = ds.get_document(w.db, again.id)
    assert resubmitted.status == ds.WAIT_PARAF and resubmitted.number is None


def test_training_invitation_must_be_signed_before_distribution_ends(w: World) -> None:
    plt = w.fill(w.register("pelatihan"),
                 kabupaten_tujuan=[{"nama": "Kabupaten Lahat"}],
                 jadwal=[{"tanggal": "2026-12-29", "kegiatan": "Pembukaan"}],
                 panitia=[{"nama": "Dedi Kurniawan", "nip": "198807122015031002",
                           "jabatan_dinas": "Pengantar Kerja", "jabatan_panitia": "Ketua"}])
    plt = w.advance(plt, 3)
    assert plt.current_step == 4  # the Staf drafts invitation, cover letter and decree
    invitation = w.draft(plt, "undangan_pelatihan", who="staf")
    plt = w.advance(w.case(plt.id), 1)  # numbered; the Kabid initials at step 5
    with w.db.write() as s:  # the Kabid's paraf, as the signing queue records it
        doc = s.get(Document, invitation.id)
        kabid = s.get(User, w.a["kabid"].user_id)
        s.add(DocumentApproval(document_id=doc.id, kind="paraf", lane="kabid",
                               user_id=kabid.id, user_name=kabid.full_name, role="kabid",
                               at=w.db.now(), document_sha256=doc.sha256))
        doc.status = ds.WAIT_SIGN
    plt = w.advance(w.case(plt.id), 1)
    assert plt.current_step == 6  # distribution may start while the Kepala Dinas signs ...
    with pytest.raises(ValidationError) as err:  # ... but not end before he has
        cases.act(w.db, w.a["staf"], plt.id, workflow.FINISH, expected_version=plt.version)
    assert "belum ditandatangani" in err.value.message
    with w.db.write() as s:  # the invitation, the cover letter and the decree, all signed
        for doc in s.scalars(select(Document).where(Document.case_id == plt.id)):
            if doc.status in (ds.WAIT_SIGN, ds.WAIT_PARAF):
                doc.status = ds.SIGNED
    plt = cases.act(w.db, w.a["staf"], plt.id, workflow.FINISH, expected_version=plt.version)
    assert plt.current_step == 7


def test_return_letter_never_blocks_lengkap_after_resubmission(w: World) -> None:
    """JHT/2026/00010 of the demo: a return letter left as a draft (or sent to the Kabid's
    queue by an older version) made Lengkap fail after Ajukan Ulang. Now the clerk's letter is
    issued, and an unissued one is voided as superseded when the file comes back."""
    from desktop_app.core.documents.return_letter import issue_return_letter

    sop = get_sop("jht")
    case = w.register("jht")
    case = cases.act(w.db, w.a["petugas"], case.id, workflow.INCOMPLETE,
                     expected_version=case.version,
                     requirements={r.code: i != 0 for i, r in enumerate(sop.requirements)},
                     reason="Lengkapi KTP.")
    assert "surat_pengembalian" in [t[0] for t in ds.missing_types(w.db, case.id)]
    issued = issue_return_letter(w.db, w.a["petugas"], case.id)
    assert issued.status == ds.ISSUED and issued.number
    assert issue_return_letter(w.db, w.a["petugas"], case.id).id == issued.id  # once per return
    with w.db.write() as s:  # an old draft left behind, as the demo data had
        s.add(Document(case_id=case.id, doc_type="surat_pengembalian", seq=1, version=2,
                       status=ds.DRAFT, created_at=w.db.now(), paper="A4",
                       created_by_id=w.a["petugas"].user_id))
    case = cases.act(w.db, w.a["petugas"], case.id, workflow.RESUBMIT,
                     expected_version=case.version)
    case = cases.act(w.db, w.a["petugas"], case.id, workflow.COMPLETE_OK,
                     expected_version=case.version,
                     requirements={r.code: True for r in sop.requirements})
    assert case.current_step == 3
    views = [v for v in ds.documents_for_case(w.db, case.id)
             if v.doc_type == "surat_pengembalian"]
    assert [v.status for v in views] == [ds.ISSUED, ds.VOIDED]
    assert "diajukan ulang" in views[1].void_reason
    assert "surat_pengembalian" not in [t[0] for t in ds.missing_types(w.db, case.id)]
    from desktop_app.core.signing import queue

    queue_docs = {r.document_id for name in ("kabid", "kadis", "sekretaris")
                  for r in queue.signing_queue(w.db, w.a[name])}
    assert issued.id not in queue_docs
