"""The applicant's pas foto (3×4) on a document: found among the case's attachments, checked
to be a real JPEG/PNG picture of a sensible size, and given to the template as a data URI.

Where a photo comes from: an attachment of kind ``pas_foto`` (the intake's photo box, cropped
3×4) or a scan attached to a checklist requirement whose code starts with ``pas_foto``
(tab Lampiran, "Tambah Pindaian…" on that requirement); the newest one wins.

The passport recommendation carries the CPMI's photo when the office's form has one: the
setting ``documents.paspor_pas_foto`` (default yes, menu Pengaturan › Dokumen & Kop Surat).
"""

from __future__ import annotations

import io
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

__all__ = [
    "MAX_PHOTO_BYTES",
    "MAX_PHOTO_PIXELS",
    "MIN_PHOTO_PIXELS",
    "PASPOR_PHOTO_SETTING",
    "PHOTO_MIME",
    "CasePhoto",
    "case_photo",
    "check_photo",
    "demo_photo_png",
    "photo_on_recommendation",
]

PHOTO_MIME = {"image/jpeg": "JPEG", "image/png": "PNG"}
MAX_PHOTO_BYTES = 5 * 1024 * 1024
MIN_PHOTO_PIXELS = (120, 160)  # about 100 dpi over 3×4 cm: anything smaller prints blurred
MAX_PHOTO_PIXELS = 6000  # longest side; a camera's full frame, not a poster
PASPOR_PHOTO_SETTING = "paspor_pas_foto"
"""Key in the ``documents`` setting: whether the passport recommendation has a photo."""


def photo_on_recommendation(doc_settings: Mapping[str, Any]) -> bool:
    """Whether the office's passport recommendation form carries the CPMI's photo."""
    value = doc_settings.get(PASPOR_PHOTO_SETTING, True)
    return True if value is None else bool(value)


def check_photo(content: bytes, mime_type: str | None) -> str | None:
    """Why ``content`` cannot serve as a pas foto (Indonesian, for the clerk), or None."""
    if not content:
        return "berkas foto kosong"
    if mime_type not in PHOTO_MIME:
        return "foto harus berkas JPG atau PNG"
    if len(content) > MAX_PHOTO_BYTES:
        return f"berkas foto terlalu besar (maks. {MAX_PHOTO_BYTES // (1024 * 1024)} MB)"
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(io.BytesIO(content)) as img:
            fmt = img.format
            width, height = img.size
            img.verify()
        with Image.open(io.BytesIO(content)) as img:
            img.load()  # verify() checks the structure; load() decodes the pixels
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError,
            Image.DecompressionBombError):
        return "berkas foto bukan gambar JPG/PNG yang utuh"
    if fmt != PHOTO_MIME[mime_type]:
        return "isi berkas foto tidak sesuai jenisnya (JPG/PNG)"
    if width < MIN_PHOTO_PIXELS[0] or height < MIN_PHOTO_PIXELS[1]:
        return (f"foto terlalu kecil ({width}×{height} piksel; minimal "
                f"{MIN_PHOTO_PIXELS[0]}×{MIN_PHOTO_PIXELS[1]})")
    if max(width, height) > MAX_PHOTO_PIXELS:
        return f"foto terlalu besar ({width}×{height} piksel)"
    return None


@dataclass(frozen=True)
class CasePhoto:
    """The case's newest photo attachment: its data URI when usable, else the problem."""

    attachment_id: int | None
    uri: str | None
    problem: str | None


def case_photo(s: Session, case_id: int) -> CasePhoto:
    """The newest pas foto attached to case ``case_id`` (kind ``pas_foto`` or a scan on a
    ``pas_foto…`` requirement), checked with :func:`check_photo`."""
    from desktop_app.core.documents.renderer import data_uri
    from desktop_app.core.models import Attachment

    att = s.scalars(
        select(Attachment).where(
            Attachment.case_id == case_id,
            or_(Attachment.kind == "pas_foto", Attachment.requirement_code.like("pas\\_foto%",
                                                                             escape="\\")))
        .order_by(Attachment.id.desc())).first()
    if att is None:
        return CasePhoto(None, None, None)
    content = bytes(att.content or b"")
    problem = check_photo(content, att.mime_type)
    if problem is not None:
        return CasePhoto(att.id, None, problem)
    content, mime = _print_size(content, att.mime_type)
    return CasePhoto(att.id, data_uri(content, mime), None)


PRINT_PIXELS = (354, 472)
"""3×4 cm at 300 dpi: a larger photo is scaled down to this before it goes into the PDF."""


def _print_size(content: bytes, mime_type: str) -> tuple[bytes, str]:
    """A camera-sized photo scaled down to :data:`PRINT_PIXELS` (JPEG), so the letter's PDF
    stays small and renders fast; a photo already that small is kept as it is."""
    from PIL import Image

    with Image.open(io.BytesIO(content)) as img:
        if img.width <= 2 * PRINT_PIXELS[0] and img.height <= 2 * PRINT_PIXELS[1]:
            return content, mime_type
        img = img.convert("RGBA") if img.mode in ("P", "LA", "RGBA") else img.convert("RGB")
        if img.mode == "RGBA":  # transparency printed on white
            flat = Image.new("RGB", img.size, (255, 255, 255))
            flat.paste(img, mask=img.getchannel("A"))
            img = flat
        img.thumbnail(PRINT_PIXELS, Image.LANCZOS)
        out = io.BytesIO()
        img.save(out, format="JPEG", quality=90)
    return out.getvalue(), "image/jpeg"


def demo_photo_png() -> bytes:
    """The neutral placeholder silhouette (resources/images/pas_foto_contoh.png) used by the
    samples and the demo cases: no real person."""
    from desktop_app.resources import resource_path

    return resource_path("images", "pas_foto_contoh.png").read_bytes()
