"""Buku Register, Buku Agenda Surat Keluar, periods, access and the export files, on both
databases, from cases the tests create."""

from __future__ import annotations

import csv
import errno
import os
import random
from datetime import date, datetime, timedelta
from pathlib import Path

import openpyxl
import pytest

from desktop_app.core import cases, workflow
from desktop_app.core.db import Database
from desktop_app.core.demo.cases import advance
from desktop_app.core.demo.people import demo_intake
from desktop_app.core.documents import context as dc
from desktop_app.core.documents import service as ds
from desktop_app.core.errors import PermissionDenied, ValidationError
from desktop_app.core.reports import access, agenda, export, printing, register
from desktop_app.core.reports.period import Period, check_period
from desktop_app.core.sop import get_sop

NOVEMBER = Period.month(2026, 11)


def _register(db: Database, actors: dict, code: str, rng: random.Random,
              **extra: object) -> cases.CaseDetail:
    sop = get_sop(code)
    data = {**demo_intake(code, rng, db.now().date()), **extra}
    clerk = actors["jfu"] if code == "pelatihan" else actors["petugas"]
    return cases.register_case(db, clerk, code, data, {r.code: True for r in sop.requirements})


def _sign(db: Database, actors: dict, doc_id: int) -> ds.DocumentView:
    """Paraf and sign ``doc_id`` through the signing queue (numbers are taken at signing)."""
    from desktop_app.core.demo.signing import demo_signing_passphrase, setup_demo_signing
    from desktop_app.core.signing import batch, paraf, queue
    from desktop_app.core.signing.office_ca import office_ca_pem

    if office_ca_pem(db) is None:
        setup_demo_signing(db)
    for _ in range(6):
        if ds.get_document(db, doc_id).status == ds.SIGNED:
            break
        for name, actor in actors.items():
            rows = [r for r in queue.signing_queue(db, actor) if r.document_id == doc_id]
            if not rows or "admin" in actor.roles:
                continue
            if rows[0].awaited == "paraf":
                paraf.paraf_documents(db, actor, [doc_id])
            else:
                assert batch.sign_documents(db, actor, [doc_id],
                                            demo_signing_passphrase(name)).ok
            break
    return ds.get_document(db, doc_id)


@pytest.fixture
def ak1_book(db: Database, actors: dict, clock) -> dict[str, list[cases.CaseDetail]]:
    """AK/I cases: two in October, five in November (two finished, one returned), one in
    December; and a JHT case in November."""
    rng = random.Random(3)
    made: dict[str, list[cases.CaseDetail]] = {"oct": [], "nov": [], "dec": []}
    clock.set(datetime(2026, 10, 20, 9, 0))
    for _ in range(2):
        made["oct"].append(_register(db, actors, "ak1", rng))
    clock.set(datetime(2026, 11, 2, 9, 0))
    for i in range(5):
        clock.advance(minutes=30)
        case = _register(db, actors, "ak1", rng)
        if i < 2:
            case = advance(db, actors, case, 5, rng)
        made["nov"].append(case)
    ret = made["nov"][4]
    made["nov"][4] = cases.act(db, actors["petugas"], ret.id, workflow.INCOMPLETE,
                                  expected_version=ret.version, reason="KTP buram.")
    made["jht"] = [_register(db, actors, "jht", rng)]
    clock.set(datetime(2026, 12, 1, 8, 0))
    made["dec"].append(_register(db, actors, "ak1", rng))
    return made


def test_register_lists_the_period_in_book_order_with_the_sop_columns(db, actors, ak1_book):
    kabid = actors["kabid"]
    q = register.RegisterQuery("ak1", NOVEMBER)
    assert register.count(db, kabid, q) == 5
    ids = register.case_ids(db, kabid, q)
    assert ids == [c.id for c in ak1_book["nov"]]
    rows = register.rows_for(db, kabid, "ak1", ids)
    labels = [c.label for c in register.columns(get_sop("ak1"))]
    assert labels[:4] == ["No.", "No. Register", "Tanggal Daftar", "NIK"]
    first = dict(zip(labels[1:], rows[0].values, strict=True))
    case = ak1_book["nov"][0]
    assert first["No. Register"] == case.register_number
    assert first["Tanggal Daftar"] == date(2026, 11, 2)
    assert first["NIK"] == case.data["nik"]
    assert first["Nama Pencari Kerja"] == case.data["nama"]
    assert first["Tanggal lahir"] == date.fromisoformat(case.data["tanggal_lahir"])
    assert first["Status"] == "Selesai"
    assert first["Tanggal Selesai"] == case.closed_at.date()
    third = dict(zip(labels[1:], rows[2].values, strict=True))
    assert third["Status"] == "Menunggu Verifikasi" and third["Tanggal Selesai"] is None
    assert register.first_page(db, kabid, q, 2) == rows[:2]
    streamed = list(register.iter_rows(db, kabid, q, chunk=2))  # keyset pages of two
    assert [r[0] for r in streamed] == [1, 2, 3, 4, 5]
    assert [r[1:] for r in streamed] == [r.values for r in rows]


def test_register_filters_by_status(db, actors, ak1_book):
    kabid = actors["kabid"]
    done = register.RegisterQuery("ak1", NOVEMBER, (workflow.COMPLETED,))
    assert register.case_ids(db, kabid, done) == [c.id for c in ak1_book["nov"][:2]]
    still_open = register.RegisterQuery("ak1", NOVEMBER, (register.OPEN,))
    assert register.count(db, kabid, still_open) == 3
    autumn = register.RegisterQuery("ak1", Period(date(2026, 10, 1), date(2026, 12, 31)))
    assert register.count(db, kabid, autumn) == 8
    with pytest.raises(ValidationError) as exc:
        register.count(db, kabid, register.RegisterQuery("ak1", NOVEMBER, ("hilang",)))
    assert "status" in exc.value.errors


def test_register_shows_the_number_of_the_sops_document(db, actors, clock):
    dc.install_placeholder_emblem(db)
    rng = random.Random(9)
    clock.set(datetime(2026, 11, 3, 9, 0))
    case = advance(db, actors, _register(db, actors, "jht", rng), 1, rng)
    letter = ds.draft_document(db, actors["jfu"], case.id, "surat_klaim_jht")
    case = advance(db, actors, cases.get_case(db, case.id), 1, rng)  # to paraf, unnumbered
    row = register.first_page(db, actors["kabid"], register.RegisterQuery("jht", NOVEMBER))[0]
    assert not row.values[-1]
    number = _sign(db, actors, letter.id).number  # numbered when signed
    assert number
    row = register.first_page(db, actors["kabid"], register.RegisterQuery("jht", NOVEMBER))[0]
    assert row.values[-1] == number


def test_register_access_follows_the_lanes(db, actors, ak1_book):
    q = register.RegisterQuery("ak1", NOVEMBER)
    assert register.count(db, actors["petugas"], q) == 5  # holds the counter lane of AK/I
    assert register.count(db, actors["sekretaris"], q) == 5  # a head: sees every SOP
    with pytest.raises(PermissionDenied):
        register.count(db, actors["staf"], q)  # staf holds lanes only in the training SOP
    with pytest.raises(PermissionDenied):
        register.rows_for(db, actors["panitia"], "ak1", [ak1_book["nov"][0].id])
    staf_sops = [s.code for s in access.visible_sops(actors["staf"])]
    assert staf_sops == ["pelatihan"]
    assert len(access.visible_sops(actors["admin"])) == 6


@pytest.mark.parametrize(("start", "end", "word"), [
    (None, date(2026, 11, 30), "Isi tanggal"),
    (date(2026, 11, 30), date(2026, 11, 1), "sebelum"),
    (date(2016, 1, 1), date(2025, 12, 31), "paling lama satu tahun"),
])
def test_bad_periods_are_refused_with_a_message(start, end, word):
    with pytest.raises(ValidationError) as exc:
        check_period(start, end)
    assert word in exc.value.errors["periode"]


def test_period_labels():
    assert NOVEMBER.label == "November 2026"
    assert Period.year(2026).label == "Tahun 2026"
    assert Period(date(2026, 1, 1), date(2026, 2, 15)).label == \
        "1 Januari 2026 s.d. 15 Februari 2026"
    assert check_period(date(2024, 1, 1), date(2024, 12, 31)).days == 366


# ------------------------------------------------------------------------ exports


def test_xlsx_and_csv_read_back_typed(db, actors, ak1_book, tmp_path):
    q = register.RegisterQuery("ak1", NOVEMBER)
    xlsx = export.write_xlsx(tmp_path / "reg.xlsx", register.table(db, actors["kabid"], q))
    book = openpyxl.load_workbook(xlsx)
    sheet = book.active
    assert sheet["A1"].value == get_sop("ak1").register_name
    assert "November 2026" in sheet["A2"].value
    assert [c.value for c in sheet[4]][:3] == ["No.", "No. Register", "Tanggal Daftar"]
    assert sheet.freeze_panes == "A5"
    assert sheet.auto_filter.ref.startswith("A4:")
    assert sheet.column_dimensions["B"].width > 10
    first = [c.value for c in sheet[5]]
    assert first[0] == 1 and first[1] == ak1_book["nov"][0].register_number
    assert isinstance(first[2], datetime) and first[2].date() == date(2026, 11, 2)
    assert sheet["C5"].number_format == "DD/MM/YYYY"
    assert sheet.max_row == 4 + 5

    path = export.write_csv(tmp_path / "reg.csv", register.table(db, actors["kabid"], q))
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # BOM: Excel reads UTF-8
    rows = list(csv.reader(raw.decode("utf-8-sig").splitlines(), delimiter=";"))
    assert rows[0][:2] == ["No.", "No. Register"]
    assert len(rows) == 6
    assert rows[1][2] == "2026-11-02" and rows[5][1] == ak1_book["nov"][4].register_number


def test_disk_full_leaves_no_file_and_keeps_the_old_one(db, actors, ak1_book, tmp_path,
                                                        monkeypatch):
    folder = tmp_path / "ekspor"
    folder.mkdir()
    target = folder / "reg.xlsx"
    target.write_bytes(b"berkas lama")
    real_write = os.write
    written = {"n": 0}

    def full_disk(fd: int, data: bytes) -> int:
        if fd > 2:
            written["n"] += len(data)
            if written["n"] > 2000:
                raise OSError(errno.ENOSPC, "No space left on device")
        return real_write(fd, data)

    monkeypatch.setattr(export.os, "write", full_disk)
    q = register.RegisterQuery("ak1", NOVEMBER)
    for fmt in ("xlsx", "csv"):
        with pytest.raises(export.ExportError) as exc:
            export.export_table(target, register.table(db, actors["kabid"], q), fmt)
        assert "Ruang penyimpanan" in exc.value.message and "tidak disimpan" in exc.value.message
    with pytest.raises(export.ExportError):
        export.write_bytes(folder / "reg.pdf", b"%PDF-" + b"x" * 5000)
    monkeypatch.undo()
    assert target.read_bytes() == b"berkas lama"
    assert sorted(p.name for p in folder.iterdir()) == ["reg.xlsx"]  # no temp file left


def test_missing_folder_is_said_plainly(tmp_path):
    table = export.ReportTable("T", "S", [export.Column("A")], [("x",)])
    with pytest.raises(export.ExportError) as exc:
        export.write_csv(tmp_path / "tidak-ada" / "x.csv", table)
    assert "tidak ditemukan" in exc.value.message


def test_printed_register_has_kop_rows_and_mengetahui(db, actors, ak1_book):
    dc.install_placeholder_emblem(db)
    import io

    from pypdf import PdfReader

    q = register.RegisterQuery("ak1", NOVEMBER)
    pdf = printing.table_pdf(db, actors["kabid"], register.table(db, actors["kabid"], q))
    page = PdfReader(io.BytesIO(pdf)).pages[0]
    assert float(page.mediabox.width) > float(page.mediabox.height)  # landscape
    text = " ".join(page.extract_text().split())
    compact = text.replace(" ", "")  # a narrow cell may break a number across lines
    assert "PEMERINTAH KOTA PAGAR ALAM" in text
    assert "Mengetahui" in text and "Hendra Saputra" in text
    for case in ak1_book["nov"]:
        assert case.register_number in compact
    with pytest.raises(ValidationError) as exc:
        printing.table_pdf(db, actors["kabid"], register.table(db, actors["kabid"], q),
                           max_rows=3)
    assert "XLSX" in exc.value.errors["periode"]


# ------------------------------------------------------------------------- agenda


def test_agenda_lists_numbers_voided_and_reissued(db, actors, clock, monkeypatch):
    dc.install_placeholder_emblem(db)
    rng = random.Random(4)
    clock.set(datetime(2026, 11, 9, 9, 0))
    case = _register(db, actors, "jht", rng)
    case = cases.act(db, actors["petugas"], case.id, workflow.INCOMPLETE,
                        expected_version=case.version, reason="Paklaring belum ada.")
    # The clerk issues the return letter (numbered at once, no signature), voids it for a
    # typing error, and issues it again: version 2 with a new number.
    from desktop_app.core.documents.return_letter import issue_return_letter

    first = ds.draft_document(db, actors["petugas"], case.id, "surat_pengembalian")
    clock.advance(minutes=20)
    ds.void_document(db, actors["petugas"], first.id, "Salah ketik nama pemohon.")
    second = issue_return_letter(db, actors["petugas"], case.id)
    assert second.version == 2 and second.status == ds.ISSUED
    assert first.number and second.number and first.number != second.number
    q = agenda.AgendaQuery(NOVEMBER)
    kabid = actors["kabid"]
    assert agenda.count(db, kabid, q) == 2
    rows = agenda.rows_for(db, kabid, agenda.document_ids(db, kabid, q))
    by_number = {r.values[1]: r for r in rows}
    old, new = by_number[first.number], by_number[second.number]
    labels = [c.label for c in agenda.COLUMNS[1:]]
    old_v = dict(zip(labels, old.values, strict=True))
    new_v = dict(zip(labels, new.values, strict=True))
    assert old_v["Status"] == "Dibatalkan" and f"diganti nomor {second.number}" in \
        old_v["Keterangan"]
    assert f"pengganti nomor {first.number}" in new_v["Keterangan"]
    assert new_v["Tujuan"] == f"Sdr. {case.data['nama']}"
    assert new_v["Hal"] == "Pengembalian Berkas Permohonan"
    assert new_v["No. Register"] == case.register_number
    assert new_v["Tanggal"] == date(2026, 11, 9)
    assert agenda.count(db, kabid, agenda.AgendaQuery(NOVEMBER, status=agenda.ISSUED)) == 1
    assert agenda.count(db, kabid, agenda.AgendaQuery(NOVEMBER, status=agenda.VOIDED_FILTER)) == 1
    assert agenda.count(db, kabid, agenda.AgendaQuery(Period.month(2026, 10))) == 0
    # Only the SOPs a role holds a lane in: the training staff sees no JHT letters.
    assert agenda.count(db, actors["staf"], q) == 0
    with pytest.raises(PermissionDenied):
        agenda.count(db, actors["staf"], agenda.AgendaQuery(NOVEMBER, sop_code="jht"))
    exported = list(agenda.table(db, kabid, q).rows)
    assert [r[0] for r in exported] == [1, 2] and exported[0][2] == first.number
    # Read in keyset pages of one: the cursor (a stored UTC time) is compared as such.
    monkeypatch.setattr(agenda, "CHUNK", 1)
    paged = list(agenda.iter_rows(db, kabid, q))
    assert [r[0] for r in paged] == [1, 2] and [r[2] for r in paged] == [first.number,
                                                                          second.number]


def test_addressee_fills_fields_and_marks_what_is_missing():
    assert agenda.addressee("Kepala Kantor Imigrasi {kantor_imigrasi}",
                            {"kantor_imigrasi": "Kelas I Palembang"}) == \
        "Kepala Kantor Imigrasi Kelas I Palembang"
    assert agenda.addressee("Kepala {x}", {}) == "Kepala …"
    assert agenda.addressee("Kabupaten ({k})", {"k": [{"nama": "Lahat"}, {"nama": "Muara Enim"}]}) \
        == "Kabupaten (Lahat, Muara Enim)"


def test_period_edges_are_whole_days(db, actors, clock):
    rng = random.Random(1)
    clock.set(datetime(2026, 11, 30, 23, 59))
    _register(db, actors, "ak1", rng)
    clock.set(datetime(2026, 12, 1, 0, 0))
    _register(db, actors, "ak1", rng)
    assert register.count(db, actors["kabid"], register.RegisterQuery("ak1", NOVEMBER)) == 1
    day = Period(date(2026, 12, 1), date(2026, 12, 1))
    assert register.count(db, actors["kabid"], register.RegisterQuery("ak1", day)) == 1
    assert NOVEMBER.end_before - NOVEMBER.start_at == timedelta(days=30)


def test_no_half_written_file_on_a_failing_row_source(tmp_path: Path):
    def rows():
        yield ("a",)
        raise ValidationError({"periode": "rusak"})

    table = export.ReportTable("T", "S", [export.Column("A")], rows())
    with pytest.raises(ValidationError):
        export.write_xlsx(tmp_path / "x.xlsx", table)
    assert list(tmp_path.iterdir()) == []


def test_xlsx_data_rows_keep_every_type_and_escape_text(tmp_path: Path):
    """The data rows are serialised outside openpyxl: each kind of value must read back as
    openpyxl would have written it, and text must survive XML escaping."""
    from decimal import Decimal

    columns = [export.Column("Teks"), export.Column("Tanggal", "date"),
               export.Column("Jumlah", "int"), export.Column("Uang", "money"),
               export.Column("Persen", "percent"), export.Column("Lain")]
    rows = [
        ("PT A & B <Cabang>", date(2026, 11, 2), 7, Decimal("1500000.50"), 0.25, True),
        ("  spasi di depan", datetime(2026, 11, 3, 14, 30), None, None, None,
         datetime(2026, 11, 3, 14, 30)),
        ("kendali\x07\x1bhilang", date(1900, 1, 15), -3, 12, 1.0, date(2026, 1, 5)),
        ("", None, 0, float("nan"), Decimal("NaN"), ["a", "b"]),
        ("x" * 40_000, "bukan tanggal", 2**40, None, None, False),
    ]
    table = export.ReportTable("Judul", "Sub", columns, iter(rows), notes=["Catatan akhir"])
    sheet = openpyxl.load_workbook(export.write_xlsx(tmp_path / "t.xlsx", table)).active
    got = [[c.value for c in sheet[r]] for r in range(5, 10)]
    assert got[0] == ["PT A & B <Cabang>", datetime(2026, 11, 2), 7, 1500000.5, 0.25, True]
    assert sheet["B5"].number_format == "DD/MM/YYYY" and sheet["C5"].number_format == "#,##0"
    assert sheet["E5"].number_format == "0.0%"
    # A datetime in a date column shows the day; elsewhere the moment.
    assert got[1] == ["  spasi di depan", datetime(2026, 11, 3), None, None, None,
                      datetime(2026, 11, 3, 14, 30)]
    assert got[2] == ["kendalihilang", datetime(1900, 1, 15), -3, 12, 1, datetime(2026, 1, 5)]
    assert got[3][:3] == [None, None, 0] and got[3][3] == "nan" and got[3][5] == "['a', 'b']"
    assert got[3][4] == "NaN"
    assert len(got[4][0]) == 32767 and got[4][1] == "bukan tanggal"
    assert got[4][2] == 2**40 and got[4][5] is False
    assert sheet["A10"].value == "Catatan akhir"
    assert sheet.auto_filter.ref == "A4:F9" and sheet.freeze_panes == "A5"
    assert sheet["A4"].font.b and sheet["A1"].font.sz == 13


def test_xlsx_rows_without_lxml_stream(tmp_path: Path, monkeypatch):
    """Without lxml openpyxl writes through et_xmlfile, which cannot be flushed: the rows
    then go in as parsed elements, and the file reads back the same."""
    import xml.etree.ElementTree as ET

    import et_xmlfile
    import openpyxl.xml.functions

    monkeypatch.setattr(openpyxl.xml.functions, "xmlfile", et_xmlfile.xmlfile)
    monkeypatch.setattr(export, "_fromstring", ET.fromstring)
    columns = [export.Column("Teks"), export.Column("Tanggal", "date"),
               export.Column("Jumlah", "int")]
    rows = [(f"baris {i} & <x>", date(2026, 1, 1 + i % 28), i) for i in range(600)]
    table = export.ReportTable("Judul", "Sub", columns, iter(rows), notes=["Catatan"])
    sheet = openpyxl.load_workbook(export.write_xlsx(tmp_path / "t.xlsx", table)).active
    assert [c.value for c in sheet[5]] == ["baris 0 & <x>", datetime(2026, 1, 1), 0]
    assert [c.value for c in sheet[604]] == ["baris 599 & <x>", datetime(2026, 1, 12), 599]
    assert sheet["A605"].value == "Catatan" and sheet["A4"].value == "Teks"
