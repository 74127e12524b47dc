"""Letters, the receipt, the SOP sheet and the AK/I card printed through the program's own
print path to real CUPS queues (cups-pdf), measured against their source PDFs."""

from __future__ import annotations

from pathlib import Path

import print_rig as rig
import pytest
from printed import DOCUMENTS, check_page, render

from desktop_app.core.printing.layout import (
    CARD_ON_A4,
    CardOptions,
    PrintOptions,
    grid,
    plan_print,
)
from desktop_app.gui import printing

pytestmark = pytest.mark.gui

# What each queue's driver calls the paper the document is on (F4 above all).
EXPECTED_PAPER = {
    ("surat_f4", rig.QUEUE_EDGE): (215.0, 330.0),        # Custom.215x330mm
    ("surat_f4", rig.QUEUE_LASER): (215.9, 330.2),       # "Oficio 8.5x13"
    ("surat_f4", rig.QUEUE_LASER_F4): (215.0, 330.0),    # "F4"
}


@pytest.fixture(scope="session")
def sources(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("sources")
    paths = {}
    for name in DOCUMENTS:
        paths[name] = folder / f"{name}.pdf"
        paths[name].write_bytes(render(name))
    return paths


def _print(source: Path, queue: str, options: PrintOptions | None = None,
           backend: str = printing.CUPS) -> tuple[printing.PrintJob, printing.PrintResult, str]:
    """The program's print path without the dialog: printer info from Qt, pages, plan, job."""
    pdf = source.read_bytes()
    pages = printing.document_pages(pdf)
    plan = plan_print(pages, printing.printer_info(queue), options)
    assert plan.error is None, plan.error
    title = rig.unique_title(source.stem.replace("_", "-"))
    job = printing.PrintJob(pdf, tuple(pages), plan, title, backend)
    return job, printing.run_job(job), title


@pytest.mark.parametrize("queue", rig.QUEUES)
@pytest.mark.parametrize("name", DOCUMENTS)
def test_every_document_prints_true_to_size_on_every_queue(cups_rig, sources, qapp, name,
                                                           queue) -> None:
    source = sources[name]
    assert printing.backend_for(queue) == printing.CUPS
    job, result, title = _print(source, queue)
    assert result.job_ids and result.sheets == len(job.pages)
    out = cups_rig.output(result.job_ids[0], title)
    assert len(rig.page_sizes_mm(out)) == len(job.pages)
    for number, page in enumerate(job.pages, start=1):
        check = check_page(source, out, number, number)
        assert check.ok, f"{name} on {queue}, page {number}: {check.measured}, " \
                         f"text {check.text}"
        width, height = check.size_mm
        if check.turned:  # a landscape page on portrait paper, turned by CUPS
            width, height = height, width
        want = EXPECTED_PAPER.get((name, queue), (page.width_mm, page.height_mm))
        assert abs(width - want[0]) <= 1.0 and abs(height - want[1]) <= 1.0, check  # driver sizes
    if name.startswith("surat"):
        assert check.text is not None  # the letter went as text, not as a picture


def test_f4_is_named_as_each_driver_names_it(cups_rig, sources, qapp) -> None:
    pages = printing.document_pages(sources["surat_f4"].read_bytes())
    keys = {queue: plan_print(pages, printing.printer_info(queue)).sheets[0].media.key
            for queue in rig.QUEUES}
    assert keys == {rig.QUEUE_EDGE: "Custom.215x330mm", rig.QUEUE_LASER: "FanFoldGermanLegal",
                    rig.QUEUE_LASER_F4: "F4"}


@pytest.mark.parametrize("queue", [rig.QUEUE_EDGE, rig.QUEUE_LASER])
def test_card_offset_is_applied_exactly(cups_rig, sources, qapp, queue) -> None:
    offset = (2.5, -1.5)
    source = sources["kartu_ak1"]
    _job, result, title = _print(source, queue, PrintOptions(card=CardOptions(
        offset_x_mm=offset[0], offset_y_mm=offset[1])))
    out = cups_rig.output(result.job_ids[0], title)
    for number in (1, 2, 3):
        check = check_page(source, out, number, number, shift_mm=offset)
        assert check.ok, f"face {number}: {check.measured}, text {check.text}"
        assert check.size_mm == pytest.approx((105, 148), abs=0.5)


@pytest.mark.parametrize("queue", [rig.QUEUE_EDGE, rig.QUEUE_LASER])
def test_card_faces_several_on_one_a4_sheet(cups_rig, sources, qapp, queue) -> None:
    source = sources["kartu_ak1"]
    job, result, title = _print(source, queue, PrintOptions(card=CardOptions(layout=CARD_ON_A4)))
    out = cups_rig.output(result.job_ids[0], title)
    assert rig.page_sizes_mm(out) == [pytest.approx((210, 297), abs=0.5)]
    cells = grid(105, 148, 210, 297)
    assert [(p.x_mm, p.y_mm) for p in job.plan.sheets[0].placements] == cells[:3]
    for number, corner in zip((1, 2, 3), cells, strict=False):
        check = check_page(source, out, number, 1, shift_mm=(0, 0), crop_mm=corner)
        assert check.ok, f"face {number} at {corner}: {check.measured}"


def test_calibration_page_crosshair_lands_where_it_says(cups_rig, qapp, tmp_path) -> None:
    from datetime import date

    from desktop_app.core.printing.calibration import CROSS_MM, render_calibration_pdf

    source = tmp_path / "kalibrasi.pdf"
    source.write_bytes(render_calibration_pdf(105, 148, rig.QUEUE_LASER, date(2026, 11, 30)))
    _job, result, title = _print(source, rig.QUEUE_LASER, PrintOptions(card=CardOptions()))
    out = cups_rig.output(result.job_ids[0], title)
    check = check_page(source, out, 1, 1, shift_mm=(0, 0))
    assert check.ok, check.measured
    image = rig.raster(out, 1, 300)
    found = rig.landmarks(image[: round(40 / 25.4 * 300), : round(40 / 25.4 * 300)], 300,
                          min_rule_mm=10)
    across = next(r for r in found.across if 10 < r.length < 14)  # crosshair A's arms
    down = next(r for r in found.down if 10 < r.length < 14)
    assert across.at == pytest.approx(CROSS_MM, abs=0.2)
    assert down.at == pytest.approx(CROSS_MM, abs=0.2)


# --------------------------------------------------------------------------- the raster path


def _pdf_printer(path: Path):
    from PySide6.QtPrintSupport import QPrinter

    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(path))
    printer.setResolution(printing.RASTER_DPI)
    return printer


@pytest.mark.parametrize("name", ["surat_f4", "lembar_sop", "kartu_ak1"])
def test_raster_path_prints_true_to_size(sources, qapp, tmp_path, name) -> None:
    """What Windows does (no CUPS): each page rendered at 600 dpi, full page, 100 %; here the
    QPrinter writes a PDF file, measured like the queues' output."""
    from desktop_app.core.printing.paper import STANDARD_PAPERS, PrinterInfo, PrinterPaper

    source = sources[name]
    pdf = source.read_bytes()
    pages = printing.document_pages(pdf)
    papers = tuple(PrinterPaper(p.key, p.key, p.width_mm, p.height_mm) for p in STANDARD_PAPERS)
    offset = (1.5, 2.0) if name == "kartu_ak1" else (0.0, 0.0)
    options = PrintOptions(card=CardOptions(offset_x_mm=offset[0], offset_y_mm=offset[1])) \
        if name == "kartu_ak1" else None
    plan = plan_print(pages, PrinterInfo("berkas", papers), options)
    out = tmp_path / "cetak.pdf"
    steps: list[tuple[int, int]] = []
    assert printing.print_raster(pdf, plan, _pdf_printer(out),
                                 lambda d, t: steps.append((d, t))) == len(pages)
    assert steps[-1] == (len(pages), len(pages))
    for number in range(1, len(pages) + 1):
        check = check_page(source, out, number, number, shift_mm=offset)
        assert check.ok, f"{name} page {number}: {check.measured}"
        assert not check.turned
        page = pages[number - 1]
        assert check.size_mm == pytest.approx((page.width_mm, page.height_mm), abs=0.5)
    listing = rig.image_list(out)
    assert listing and all(i.encoding != "jpeg" and i.ppi >= 599 for i in listing), listing


def test_raster_path_through_a_cups_queue(cups_rig, sources, qapp) -> None:
    """The raster path to a real queue through Qt's own CUPS engine: still 100 %."""
    source = sources["surat_a4"]
    _job, result, title = _print(source, rig.QUEUE_LASER, backend=printing.RASTER)
    assert result.sheets == 1 and not result.job_ids
    out = cups_rig.output_when_idle(rig.QUEUE_LASER, title)
    check = check_page(source, out, 1, 1)
    assert check.ok, check.measured
