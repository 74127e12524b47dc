"""Render the Jinja2 document templates under ``resources/templates`` to HTML and PDF.

* ``render_html(name, context)`` fills one template. The environment is strict: a missing
  context key raises :class:`MissingDocumentData` (a ``jinja2.UndefinedError``), and printing
  ``None`` raises too, so a letter never goes out with a blank or "None" where data belongs.
* ``render_pdf(name, context, paper)`` turns that HTML into PDF bytes with WeasyPrint.
  WeasyPrint is imported only here (never at module import), and its
  ``FontConfiguration`` and the shared font stylesheet are built once and reused.

Templates must not set ``@page { size: … }``: the renderer adds the page size for
``paper`` (see :data:`PAPER_SIZES`); templates set margins only. The shipped Liberation
fonts (``resources/fonts``) are always loaded, so the PDF never depends on system fonts;
use ``font-family: "Liberation Serif"`` (Times New Roman metrics) or ``"Liberation Sans"``
(Arial metrics).

Filters available in every template: ``tanggal``, ``tanggal_jam``, ``hari_tanggal``,
``rupiah``, ``terbilang``, ``terbilang_rupiah``, ``nip``, ``persen``, ``qr_svg`` and
``data_uri``. Globals: ``resource_uri(*parts)`` (file URL of a bundled resource) and
``check_mark`` (a small SVG tick as data URI, since the fonts have no ✓ glyph).
"""

from __future__ import annotations

import base64
import mimetypes
import re
import threading
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import quote

import jinja2
import markupsafe

from desktop_app.core.errors import AppError
from desktop_app.core.office_time import zone_label
from desktop_app.resources import resource_path

__all__ = [
    "PAPER_SIZES",
    "MissingDocumentData",
    "PaperSize",
    "data_uri",
    "environment",
    "qr_svg",
    "render_html",
    "render_pdf",
    "resource_data_uri",
]


@dataclass(frozen=True)
class PaperSize:
    """A sheet size in millimetres (portrait: width < height, except the card)."""

    name: str
    width_mm: float
    height_mm: float

    @property
    def css(self) -> str:
        return f"{self.width_mm}mm {self.height_mm}mm"

    @property
    def points(self) -> tuple[float, float]:
        """Width and height in PDF points (1/72 inch)."""
        return (self.width_mm * 72 / 25.4, self.height_mm * 72 / 25.4)


PAPER_SIZES: dict[str, PaperSize] = {
    "A4": PaperSize("A4", 210, 297),
    "F4": PaperSize("F4", 215, 330),  # folio as used in Indonesian offices
    "A5": PaperSize("A5", 148, 210),
    "card": PaperSize("card", 85.6, 53.98),  # ISO/IEC 7810 ID-1, landscape
}
"""Paper names accepted by :func:`render_pdf`."""


class MissingDocumentData(AppError, jinja2.UndefinedError):
    """A template needed a value the context does not have (or has as ``None``).

    Both an :class:`AppError` (the GUI shows ``message``) and a ``jinja2.UndefinedError``.
    """

    def __init__(self, message: str) -> None:
        Exception.__init__(self, message)

    @property
    def message(self) -> str:  # type: ignore[override]
        return str(self.args[0])


# --------------------------------------------------------------------------- filters


def data_uri(content: bytes | str | Path, mime: str | None = None) -> str:
    """``data:`` URI of ``content``: raw bytes (``mime`` defaults to PNG), a file path
    (type guessed from its name), or a string that already is a data URI (returned as is)."""
    if isinstance(content, str) and content.startswith("data:"):
        return content
    if isinstance(content, (str, Path)):
        path = Path(content)
        mime = mime or mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        content = path.read_bytes()
    if mime is None:
        mime = "image/png"
    if mime == "image/svg+xml":
        return "data:image/svg+xml;charset=utf-8," + quote(content.decode("utf-8"), safe="")
    return f"data:{mime};base64," + base64.b64encode(content).decode("ascii")


def resource_data_uri(*parts: str) -> str:
    """Data URI of a bundled resource, e.g. ``resource_data_uri("images", "x.svg")``."""
    return data_uri(resource_path(*parts))


@cache
def _qr_cached(payload: str, border: int) -> str:
    import segno

    return segno.make(payload, error="m", micro=False).svg_data_uri(
        scale=4, border=border, dark="#000", light="#fff"
    )


def qr_svg(payload: object, border: int = 1) -> str:
    """QR code of ``payload`` as an SVG data URI, for ``<img src="{{ x | qr_svg }}">``.

    Size it with CSS (``width: 22mm``); SVG stays sharp at any print resolution."""
    if payload is None or payload == "":
        raise MissingDocumentData("Isi kode QR kosong; kode verifikasi belum tersedia.")
    return _qr_cached(str(payload), border)


def _persen(rate: Decimal | float | int, digits: int = 2) -> str:
    """A fraction as an Indonesian percentage: ``Decimal("0.0021")`` → ``"0,21%"``."""
    value = Decimal(str(rate)) * 100
    text = f"{value:.{digits}f}".replace(".", ",")
    return f"{text}%"


def _fmt(name: str):  # lazily imported helpers from desktop_app.core.formatting
    def call(value: Any, *args: Any, **kwargs: Any) -> str:
        if value is None:
            raise MissingDocumentData(f"Nilai untuk format '{name}' kosong (None).")
        from desktop_app.core import formatting

        return getattr(formatting, name)(value, *args, **kwargs)

    call.__name__ = name
    return call


def _terbilang(value: int | Decimal, *args: Any, **kwargs: Any) -> str:
    from desktop_app.core import formatting

    if isinstance(value, Decimal):
        value = int(value)
    return formatting.terbilang(value, *args, **kwargs)


_RP_SPACE = re.compile(r"\bRp\s+(?=-?\d)")


def keep_rupiah_together(text: str) -> str:
    """"Rp 38.500.000" with a no-break space: the amount never breaks from "Rp"."""
    return _RP_SPACE.sub("Rp\u00a0", text)


def _finalize(value: Any) -> Any:
    """Called on every ``{{ … }}`` output: refuse ``None`` instead of printing "None";
    "Rp" and its figure are kept on one line."""
    if value is None:
        raise MissingDocumentData(
            "Data dokumen tidak lengkap: ada nilai kosong (None) yang akan dicetak."
        )
    if isinstance(value, str) and "Rp" in value:
        if isinstance(value, markupsafe.Markup):
            return markupsafe.Markup(keep_rupiah_together(str(value)))
        return keep_rupiah_together(value)
    if isinstance(value, datetime):
        from desktop_app.core.formatting import tanggal_jam

        return tanggal_jam(value)
    if isinstance(value, date):
        from desktop_app.core.formatting import tanggal

        return tanggal(value)
    return value


_UNDEFINED_PATTERNS = (
    re.compile(r"has no attribute '([^']+)'"),
    re.compile(r"'([^']+)' is undefined"),
)


def _missing_message(exc: Exception) -> str:
    """An Indonesian message for Jinja's English ``UndefinedError`` text."""
    text = str(exc)
    for pattern in _UNDEFINED_PATTERNS:
        found = pattern.search(text)
        if found:
            return f"Data dokumen tidak lengkap: nilai '{found.group(1)}' tidak ada."
    return f"Data dokumen tidak lengkap ({text})."


_CHECK_SVG = (
    '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 16 16">'
    '<path d="M2.5 8.5 L6.5 12.5 L13.5 3.5" fill="none" stroke="#000" '
    'stroke-width="2.2" stroke-linecap="round" stroke-linejoin="round"/></svg>'
)


def templates_dir() -> Path:
    """Folder of the Jinja2 templates."""
    return resource_path("templates")


def _resource_uri(*parts: str) -> str:
    return resource_path(*parts).resolve().as_uri()


@cache
def environment() -> jinja2.Environment:
    """The shared, strict Jinja2 environment (built once)."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(templates_dir())),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        finalize=_finalize,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=False,
        auto_reload=False,
    )
    env.filters.update(
        tanggal=_fmt("tanggal"),
        tanggal_jam=_fmt("tanggal_jam"),
        hari_tanggal=_fmt("hari_tanggal"),
        rupiah=_fmt("rupiah"),
        terbilang=_terbilang,
        terbilang_rupiah=_fmt("terbilang_rupiah"),
        nip=_fmt("format_nip"),
        persen=_persen,
        qr_svg=qr_svg,
        data_uri=data_uri,
    )
    env.globals.update(
        resource_uri=_resource_uri,
        check_mark=data_uri(_CHECK_SVG.encode("utf-8"), "image/svg+xml"),
        zona_waktu=zone_label,  # WIB / WITA / WIT: the office's zone at render time
    )
    return env


def _paper(paper: str) -> PaperSize:
    try:
        return PAPER_SIZES[paper]
    except KeyError:
        known = ", ".join(PAPER_SIZES)
        raise ValueError(f"Ukuran kertas '{paper}' tidak dikenal (pilihan: {known}).") from None


def render_html(template_name: str, context: Mapping[str, Any], paper: str = "A4") -> str:
    """Fill ``template_name`` (path under ``resources/templates``) with ``context``.

    ``paper`` is passed to the template as ``paper`` (a :class:`PaperSize`) unless the
    context already has it. Raises :class:`MissingDocumentData` when a value is missing.
    """
    values = dict(context)
    values.setdefault("paper", _paper(paper))
    template = environment().get_template(template_name)
    try:
        return template.render(values)
    except MissingDocumentData:
        raise
    except jinja2.UndefinedError as exc:
        raise MissingDocumentData(_missing_message(exc)) from exc


# --------------------------------------------------------------------------- PDF

_RENDER_LOCK = threading.Lock()  # Pango/fontconfig are not safe to drive from two threads


@cache
def _weasy_assets() -> tuple[Any, Any]:
    """The shared FontConfiguration and font stylesheet (loaded once, fonts registered once)."""
    from weasyprint import CSS
    from weasyprint.text.fonts import FontConfiguration

    font_config = FontConfiguration()
    fonts_css = CSS(filename=str(templates_dir() / "base" / "fonts.css"), font_config=font_config)
    return font_config, fonts_css


@cache
def _page_css(paper: str) -> Any:
    from weasyprint import CSS

    size = _paper(paper)
    return CSS(string=f"@page {{ size: {size.css}; }}")


def _base_url() -> str:
    return templates_dir().resolve().as_uri() + "/"


def render_pdf(template_name: str, context: Mapping[str, Any], paper: str = "A4") -> bytes:
    """Render ``template_name`` with ``context`` to PDF bytes on ``paper``
    (a key of :data:`PAPER_SIZES`: ``"A4"``, ``"F4"``, ``"A5"`` or ``"card"``)."""
    _paper(paper)  # fail early on an unknown size
    html = render_html(template_name, context, paper=paper)
    return html_to_pdf(html, paper=paper)


def html_to_pdf(html: str, paper: str = "A4") -> bytes:
    """Turn already rendered HTML into PDF bytes (relative URLs resolve under templates/)."""
    from weasyprint import HTML

    with _RENDER_LOCK:
        font_config, fonts_css = _weasy_assets()
        document = HTML(string=html, base_url=_base_url())
        return document.write_pdf(
            stylesheets=[fonts_css, _page_css(paper)], font_config=font_config
        )
