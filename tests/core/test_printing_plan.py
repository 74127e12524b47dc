"""The print plan without a printer: paper names, placements, warnings, page ranges, the job
PDF, the calibration arithmetic and the printers' card profiles (both databases)."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader

from desktop_app.core.errors import PermissionDenied, ValidationError
from desktop_app.core.printing import POINTS_PER_MM, profiles
from desktop_app.core.printing.calibration import offset_from_measurement
from desktop_app.core.printing.job_pdf import build_job_pdf, pdf_pages
from desktop_app.core.printing.layout import (
    CARD_ON_A4,
    Box,
    CardOptions,
    Page,
    PrintOptions,
    grid,
    parse_pages,
    plan_print,
)
from desktop_app.core.printing.paper import (
    Margins,
    PrinterInfo,
    PrinterPaper,
    identify,
    media_for,
    mm,
)

LASER = Margins(4.2, 4.2, 4.2, 4.2)
HP = PrinterInfo("HP", (PrinterPaper("A4", "A4", 210, 297, LASER),
                        PrinterPaper("A6", "A6", 105, 148, LASER),
                        PrinterPaper("FanFoldGermanLegal", "Oficio 8.5x13", 215.9, 330.2, LASER)),
                 custom_sizes=True, custom_margins=LASER)
CANON = PrinterInfo("Canon", (PrinterPaper("A4", "A4", 210, 297),
                              PrinterPaper("F4", "F4", 215, 330)))
NO_F4 = PrinterInfo("Lama", (PrinterPaper("A4", "A4", 210, 297),))
LETTER = Page(210, 297, Box(25, 11, 190, 289))
F4_LETTER = Page(215, 330, Box(25, 11, 190, 320))
CARD = [Page(105, 148, Box(5, 5, 100, 144))] * 3


def test_paper_names_and_driver_names() -> None:
    assert identify(609.45 / POINTS_PER_MM, 935.43 / POINTS_PER_MM).key == "F4"
    assert identify(297, 210).key == "A4"  # landscape is still A4
    assert identify(100, 150).label == "100 × 150 mm"
    assert mm(4.2) == "4,2" and mm(215.0) == "215" and mm(-0.04) == "0"
    assert media_for(215, 330, HP).key == "FanFoldGermanLegal"
    assert media_for(215, 330, CANON).key == "F4"
    assert media_for(215, 330, NO_F4) is None
    custom = media_for(100, 150, HP)
    assert custom.key == "Custom.100x150mm" and custom.custom and custom.margins == LASER


def test_letters_print_on_their_own_paper_at_100_percent() -> None:
    for printer, key in ((HP, "FanFoldGermanLegal"), (CANON, "F4")):
        plan = plan_print([F4_LETTER], printer)
        assert plan.error is None and plan.warnings == ()
        sheet = plan.sheets[0]
        assert sheet.media.key == key and (sheet.width_mm, sheet.height_mm) == (215, 330)
        assert plan.is_identity([F4_LETTER])
    plan = plan_print([F4_LETTER], NO_F4)
    assert plan.error == ("Pencetak Lama tidak menyediakan kertas F4 (215 × 330 mm) dan tidak "
                          "menerima ukuran kertas khusus. Tambahkan ukuran itu di pengaturan "
                          "pencetak, atau pilih kertas lain.")
    landscape = plan_print([Page(297, 210, Box(10, 10, 287, 200))], HP).sheets[0]
    assert landscape.landscape and landscape.media.key == "A4"


def test_another_paper_warns_and_fits_only_when_asked() -> None:
    plan = plan_print([F4_LETTER], HP, PrintOptions(paper_key="A4"))
    assert plan.sheets[0].placements[0].scale == 1.0
    assert plan.warnings[0].startswith("Kertas yang dipilih, A4 (210 × 297 mm), berbeda dari "
                                       "kertas dokumen, F4 (215 × 330 mm).")
    assert plan.warnings[1] == "Isi halaman 1 melewati tepi kertas; bagian itu tidak tercetak."
    fitted = plan_print([F4_LETTER], HP, PrintOptions(paper_key="A4", fit=True))
    placement = fitted.sheets[0].placements[0]
    assert placement.scale == pytest.approx(0.9) and placement.x_mm == pytest.approx(8.25)
    assert "diperkecil menjadi 90 %" in fitted.warnings[0]
    same = plan_print([F4_LETTER], HP, PrintOptions(paper_key="FanFoldGermanLegal"))
    assert same.warnings == () and same.is_identity([F4_LETTER])


def test_edge_the_printer_cannot_print_is_named() -> None:
    near = Page(210, 297, Box(3.0, 20, 190, 280))
    plan = plan_print([LETTER, near], HP)
    assert plan.warnings == ("Pencetak HP tidak dapat mencetak sampai tepi kertas (paling dekat "
                             "4,2 mm dari tepi). Isi halaman 2 sampai 3 mm dari tepi kiri; "
                             "bagian itu tidak tercetak. Dokumen tidak diperkecil.",)
    assert plan.sheets[1].placements[0].scale == 1.0
    assert plan_print([near], CANON).warnings == ()  # prints to the edge


def test_card_on_stock_with_offset_and_on_a4() -> None:
    plan = plan_print(CARD, HP, PrintOptions(card=CardOptions(offset_x_mm=1.5,
                                                              offset_y_mm=-0.5)))
    assert [(s.media.key, s.placements[0].x_mm, s.placements[0].y_mm) for s in plan.sheets] == \
        [("A6", 1.5, -0.5)] * 3
    assert "Isi halaman 1, 2, 3 sampai 4 mm dari tepi kiri" not in " ".join(plan.warnings)
    off = plan_print(CARD, HP, PrintOptions(card=CardOptions(offset_x_mm=-6)))
    assert off.warnings == ("Isi halaman 1, 2, 3 melewati tepi kertas; bagian itu tidak "
                            "tercetak.",)
    a4 = plan_print(CARD * 2, HP, PrintOptions(card=CardOptions(layout=CARD_ON_A4)))
    assert [len(s.placements) for s in a4.sheets] == [4, 2]
    assert [(p.x_mm, p.y_mm) for p in a4.sheets[0].placements] == grid(105, 148, 210, 297)
    assert grid(105, 148, 210, 297) == [(0, 0.5), (105, 0.5), (0, 148.5), (105, 148.5)]
    assert a4.warnings == ()


def test_page_ranges() -> None:
    assert parse_pages("1-3, 5", 6) == (0, 1, 2, 4)
    assert parse_pages("2 2 1", 3) == (1, 0)
    for text, message in (("", "Isi halaman yang dicetak, misalnya 1-3, 5."),
                          ("a", "'a' bukan halaman; tulis seperti 1-3, 5."),
                          ("3-1", "Halaman 3-1 tidak ada: dokumen ini 4 halaman."),
                          ("5", "Halaman 5 tidak ada: dokumen ini 4 halaman.")):
        with pytest.raises(ValidationError) as caught:
            parse_pages(text, 4)
        assert caught.value.errors == {"halaman": message}
    assert plan_print([LETTER], HP, PrintOptions(pages=(0,), copies=3)).copies == 3


def test_job_pdf_is_the_document_itself_or_pages_placed_exactly() -> None:
    from desktop_app.core.documents.card import render_card_pdf, sample_card_context

    card = render_card_pdf(sample_card_context())
    pages = pdf_pages(card)
    assert [(p.width_mm, p.height_mm) for p in pages] == [pytest.approx((105, 148))] * 3
    plan = plan_print(pages, HP, PrintOptions(card=CardOptions()))
    assert build_job_pdf(card, plan, pages) is card
    moved = plan_print(pages, HP, PrintOptions(card=CardOptions(offset_x_mm=2, offset_y_mm=3)))
    job = PdfReader(io.BytesIO(build_job_pdf(card, moved, pages)))
    assert len(job.pages) == 3
    def where(page) -> tuple[float, float]:
        found: list[tuple[float, float]] = []

        def visit(text, cm, tm, *_args) -> None:
            if "SITI" in text and not found:
                found.append((tm[4] * cm[0] + cm[4], tm[5] * cm[3] + cm[5]))

        page.extract_text(visitor_text=visit)
        return found[0]

    (x0, y0), (x1, y1) = where(PdfReader(io.BytesIO(card)).pages[0]), where(job.pages[0])
    assert (x1 - x0) / POINTS_PER_MM == pytest.approx(2, abs=0.01)
    assert (y0 - y1) / POINTS_PER_MM == pytest.approx(3, abs=0.01)  # PDF y grows upwards
    a4 = plan_print(pages, HP, PrintOptions(card=CardOptions(layout=CARD_ON_A4)))
    sheet = PdfReader(io.BytesIO(build_job_pdf(card, a4, pages))).pages
    assert len(sheet) == 1
    assert (float(sheet[0].mediabox.width), float(sheet[0].mediabox.height)) == \
        pytest.approx((210 * POINTS_PER_MM, 297 * POINTS_PER_MM))


def test_calibration_offset_arithmetic() -> None:
    assert offset_from_measurement(21.5, 19.0) == (-1.5, 1.0)
    assert offset_from_measurement(20.0, 20.0) == (0.0, 0.0)


def test_printer_profiles_per_printer(db, actors) -> None:
    assert profiles.printer_profile(db, "HP LaserJet") == CardOptions()
    long_name = "\\\\server-kantor\\HP LaserJet Pro M404dn (Ruang Pelayanan Terpadu lantai 1)"
    wanted = CardOptions(CARD_ON_A4, 105, 148, 1.25, -0.75)
    profiles.save_printer_profile(db, actors["admintu"], long_name, wanted)
    assert profiles.printer_profile(db, long_name) == \
        CardOptions(CARD_ON_A4, 105, 148, 1.2, -0.8)  # rounded to 0.1 mm
    assert profiles.printer_profile(db, "HP LaserJet") == CardOptions()
    with pytest.raises(ValidationError) as caught:
        profiles.save_printer_profile(db, actors["admintu"], long_name,
                                      CardOptions(offset_x_mm=25))
    assert caught.value.errors == {"offset_x_mm": "Geser cetak −20 sampai 20 mm."}
    assert profiles.printer_profile(db, long_name).offset_x_mm == 1.2  # nothing written


def test_printer_profile_needs_a_member_of_staff(db, actors) -> None:
    from desktop_app.core.auth import Actor

    nobody = Actor(actors["admintu"].user_id, "admintu", "Tanpa Peran", frozenset())
    with pytest.raises(PermissionDenied):
        profiles.save_printer_profile(db, nobody, "HP", CardOptions())
