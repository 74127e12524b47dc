"""The CPMI's pas foto on the passport recommendation (issue 12): taken from the case's
attachments, checked to be a real JPEG/PNG picture, printed framed 3x4 cm at the top left of
the CPMI's data; an office setting says whether the form has one (default yes), and while it
is on a missing photo holds the letter like a missing field, named as the checklist labels it
with the tab where it is attached."""

from __future__ import annotations

import io

import pytest
from pdfminer.high_level import extract_pages
from pdfminer.layout import LTFigure, LTImage, LTRect, LTTextContainer, LTTextLine
from test_document_service import World, _jpeg, _text

from desktop_app.core import cases, settings, workflow
from desktop_app.core.db import Database
from desktop_app.core.documents import catalog, samples
from desktop_app.core.documents import service as ds
from desktop_app.core.documents.catalog import IncompleteDocument
from desktop_app.core.documents.photo import check_photo, demo_photo_png
from desktop_app.core.errors import ValidationError

MM = 72 / 25.4


@pytest.fixture
def w(db: Database) -> World:
    return World(db)


def _png(size: tuple[int, int] = (300, 400)) -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", size, (210, 215, 220)).save(out, "PNG")
    return out.getvalue()


def _layout(pdf: bytes) -> tuple[list, list, list]:
    """(images, rects, text lines) of page 1 as pdfminer lays them out (PDF points,
    origin bottom left)."""
    images, rects, lines = [], [], []

    def walk(items: object) -> None:
        for item in items:  # type: ignore[attr-defined]
            if isinstance(item, LTImage):
                images.append(item)
            elif isinstance(item, LTFigure):
                walk(item)
            elif isinstance(item, LTRect):
                rects.append(item)
            elif isinstance(item, LTTextContainer):
                lines.extend(x for x in item if isinstance(x, LTTextLine))

    walk(next(iter(extract_pages(io.BytesIO(pdf), maxpages=1))))
    return images, rects, lines


def _photo_box(pdf: bytes) -> tuple[LTImage, LTTextLine, list[LTRect]]:
    """(the photo on page 1, the CPMI data's first row "1. Nama", the rects around the
    photo)."""
    images, rects, lines = _layout(pdf)
    photos = [i for i in images if i.width > 60]  # not the emblem
    assert len(photos) == 1, photos
    photo = photos[0]
    name = next(ln for ln in lines if ln.get_text().strip() == "1. Nama")
    frame = [r for r in rects if r.x0 <= photo.x0 + 0.5 and r.x1 >= photo.x1 - 0.5
             and r.y0 <= photo.y0 + 0.5 and r.y1 >= photo.y1 - 0.5
             and r.width < photo.width + 5]
    return photo, name, frame


def _set_photo_setting(w: World, on: bool) -> None:
    current = settings.get_setting(w.db, settings.DOCUMENTS)
    current["paspor_pas_foto"] = on
    settings.save_setting(w.db, None, settings.DOCUMENTS, current)


def test_check_photo_accepts_real_pictures_only() -> None:
    assert check_photo(_png(), "image/png") is None
    assert check_photo(_jpeg(), "image/jpeg") is None
    assert check_photo(demo_photo_png(), "image/png") is None
    assert "bukan gambar" in check_photo(b"\x89PNG\r\n\x1a\n" + bytes(200), "image/png")
    assert "tidak sesuai" in check_photo(_png(), "image/jpeg")
    assert "JPG atau PNG" in check_photo(b"%PDF-1.7 ...", "application/pdf")
    assert "terlalu kecil" in check_photo(_png((40, 50)), "image/png")
    assert "kosong" in check_photo(b"", "image/png")


def test_attaching_a_fake_photo_is_refused_at_the_field(w: World) -> None:
    psp = w.advance(w.register("paspor"), 2)
    with pytest.raises(ValidationError) as err:
        cases.add_attachment(w.db, w.a["admintu"], psp.id, kind="pas_foto",
                             filename="foto.png", content=b"\x89PNG\r\n\x1a\n" + bytes(64),
                             mime_type="image/png")
    assert "bukan gambar" in err.value.errors["berkas"]
    assert not cases.get_case(w.db, psp.id).attachments


def test_recommendation_waits_for_the_photo_then_prints_it_framed_3x4(w: World) -> None:
    psp = w.advance(w.register("paspor"), 2)
    assert psp.current_step == 4
    with pytest.raises(IncompleteDocument) as exc:
        w.draft(psp, "rekomendasi_paspor", who="admintu")
    assert "Pas foto 3x4 (tab Lampiran)" in exc.value.message
    assert "foto.src" not in exc.value.message  # never the internal key
    # a scan attached to the checklist's "Pas foto 3x4" requirement serves (tab Lampiran)
    cases.add_attachment(w.db, w.a["admintu"], psp.id, kind="scan", filename="foto.png",
                         content=_png(), mime_type="image/png",
                         requirement_code="pas_foto_3x4")
    view = w.draft(psp, "rekomendasi_paspor", who="admintu")
    pdf = ds.document_pdf(w.db, view.id)
    photo, name, frame = _photo_box(pdf)
    assert photo.width == pytest.approx(30 * MM, abs=1)
    assert photo.height == pytest.approx(40 * MM, abs=1)
    # top left, beside the CPMI's data: left of its first row, its top level with it
    assert photo.x1 < name.x0 and photo.x0 < 45 * MM
    assert abs(photo.y1 - name.y1) < 8
    assert frame, "no frame around the photo"
    assert psp.data["nama"] in " ".join(_text(pdf).split())


def test_a_pdf_scan_on_the_photo_requirement_is_named_as_unusable(w: World) -> None:
    psp = w.advance(w.register("paspor"), 2)
    cases.add_attachment(w.db, w.a["admintu"], psp.id, kind="scan", filename="foto.pdf",
                         content=b"%PDF-1.4\n%%EOF\n", mime_type="application/pdf",
                         requirement_code="pas_foto_3x4")
    with pytest.raises(IncompleteDocument) as exc:
        w.draft(psp, "rekomendasi_paspor", who="admintu")
    assert "Pas foto 3x4 (tab Lampiran: foto harus berkas JPG atau PNG)" in exc.value.message


def test_the_step_cannot_finish_without_the_photo(w: World) -> None:
    """The letter gate: the drafting step names the missing letter; the letter names the
    photo."""
    psp = w.advance(w.register("paspor"), 2)
    with pytest.raises(ValidationError) as err:
        cases.act(w.db, w.a["admintu"], psp.id, workflow.FINISH,
                  expected_version=psp.version)
    assert "Rekomendasi Pembuatan Paspor" in err.value.message
    w.photo(psp, who="admintu")
    w.draft(psp, "rekomendasi_paspor", who="admintu")
    w.draft(psp, "pengesahan_pp", who="admintu")
    moved = cases.act(w.db, w.a["admintu"], psp.id, workflow.FINISH,
                      expected_version=w.case(psp.id).version)
    assert moved.current_step == 5


def test_office_without_a_photo_on_its_form(w: World) -> None:
    _set_photo_setting(w, False)
    psp = w.advance(w.register("paspor"), 2)
    view = w.draft(psp, "rekomendasi_paspor", who="admintu")
    pdf = ds.document_pdf(w.db, view.id)
    assert not [i for i in _layout(pdf)[0] if i.width > 60]
    assert psp.data["nama"] in " ".join(_text(pdf).split())


def test_setting_is_validated_and_saved(w: World) -> None:
    numbering = settings.get_setting(w.db, settings.NUMBERING)
    documents = settings.get_setting(w.db, settings.DOCUMENTS)
    assert documents["paspor_pas_foto"] is True  # default: the form has a photo
    with pytest.raises(ValidationError) as err:
        ds.save_document_settings(w.db, w.a["admin"], numbering=numbering,
                                  documents={**documents, "paspor_pas_foto": "ya"})
    assert "paspor_pas_foto" in err.value.errors
    ds.save_document_settings(w.db, w.a["admin"], numbering=numbering,
                              documents={**documents, "paspor_pas_foto": False})
    assert settings.get_setting(w.db, settings.DOCUMENTS)["paspor_pas_foto"] is False


def test_sample_recommendation_carries_the_placeholder_photo() -> None:
    ctx = samples.sample_context("rekomendasi_paspor")
    assert ctx["foto"]["tampil"] and ctx["foto"]["src"].startswith("data:image/png;base64,")
    pdf = catalog.render_document("rekomendasi_paspor", ctx)
    photo, _name, frame = _photo_box(pdf)
    assert photo.width == pytest.approx(30 * MM, abs=1) and frame


def test_a_camera_sized_photo_is_scaled_down_for_the_letter(w: World) -> None:
    from PIL import Image
    from pypdf import PdfReader

    big = io.BytesIO()
    img = Image.new("RGB", (3000, 4000), (200, 205, 210))
    img.paste((90, 95, 100), (1000, 800, 2000, 2600))  # something to encode
    img.save(big, "JPEG", quality=95)
    psp = w.advance(w.register("paspor"), 2)
    cases.add_attachment(w.db, w.a["admintu"], psp.id, kind="pas_foto", filename="kamera.jpg",
                         content=big.getvalue(), mime_type="image/jpeg")
    pdf = ds.document_pdf(w.db, w.draft(psp, "rekomendasi_paspor", who="admintu").id)
    photos = [im for im in PdfReader(io.BytesIO(pdf)).pages[0].images
              if im.image is not None and im.image.size[0] > 100]
    assert len(photos) == 1 and photos[0].image.size == (354, 472)
    photo, _name, frame = _photo_box(pdf)
    assert photo.width == pytest.approx(30 * MM, abs=1) and frame
