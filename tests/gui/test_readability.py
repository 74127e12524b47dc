"""Readable at the counter: WCAG contrast of the text colours (4.5:1 for normal text),
read-only fields, nothing under 9 pt, and the swimlane's headers stay in view."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication

pytestmark = pytest.mark.gui

GUI = Path(__file__).resolve().parents[2] / "desktop_app" / "gui"
NORMAL = 4.5


def luminance(color: str | QColor) -> float:
    c = QColor(color)

    def channel(v: float) -> float:
        return v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4

    return (0.2126 * channel(c.redF()) + 0.7152 * channel(c.greenF())
            + 0.0722 * channel(c.blueF()))


def contrast(fg: str | QColor, bg: str | QColor) -> float:
    hi, lo = sorted((luminance(fg), luminance(bg)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def test_contrast_formula() -> None:
    assert contrast("#000000", "#ffffff") == pytest.approx(21.0)
    assert contrast("#777777", "#ffffff") == pytest.approx(4.48, abs=0.01)


def test_stylesheet_text_colours_in_the_gui_sources() -> None:
    """Every ``color:`` in a style sheet has 4.5:1 against the background given with it
    (white when none is)."""
    bad = []
    for path in sorted(GUI.rglob("*.py")):
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            for m in re.finditer(r"(?<![-\w])color:\s*(#[0-9a-fA-F]{3,6})\b", line):
                bg = re.search(r"background(?:-color)?:\s*(#[0-9a-fA-F]{3,6})\b", line)
                ratio = contrast(m.group(1), bg.group(1) if bg else "#ffffff")
                if ratio < NORMAL:
                    bad.append(f"{path.relative_to(GUI)}:{n} {m.group(1)} {ratio:.2f}:1")
    assert not bad, bad


def test_status_colours() -> None:
    from desktop_app.gui import signing_queue, style

    alternate = "#f7f7f7"  # Fusion's alternate row
    for fg in (style.LATE_TEXT, style.SOON_TEXT, signing_queue._RED, signing_queue._ORANGE,
               signing_queue._GREEN):
        for bg in ("#ffffff", alternate):
            assert contrast(fg, bg) >= NORMAL, (fg.name(), bg)
    assert contrast(style.LATE_TEXT, style.LATE_BACKGROUND) >= NORMAL
    assert contrast(style.SOON_TEXT, style.LATE_BACKGROUND) >= NORMAL
    assert contrast(signing_queue._RED, signing_queue._BG_LATE) >= NORMAL


def test_read_only_and_disabled_text(qapp) -> None:
    palette = qapp.palette()
    disabled = QPalette.ColorGroup.Disabled
    for text, back in ((QPalette.ColorRole.Text, QPalette.ColorRole.Base),
                       (QPalette.ColorRole.ButtonText, QPalette.ColorRole.Button),
                       (QPalette.ColorRole.WindowText, QPalette.ColorRole.Window)):
        ratio = contrast(palette.color(disabled, text), palette.color(disabled, back))
        assert ratio >= NORMAL, (text, ratio)


def test_nothing_under_9_pt(qapp) -> None:
    from desktop_app.core.sop import load_sops
    from desktop_app.gui.swimlane import SwimlaneWidget

    widget = SwimlaneWidget(load_sops()[0])
    for font in (widget._font, widget._small, widget._bold, widget._symbol_font):
        assert font.pointSizeF() >= 9.0
    sizes = [float(s) for p in GUI.rglob("*.py")
             for s in re.findall(r"font-size:\s*([0-9.]+)pt", p.read_text(encoding="utf-8"))]
    assert sizes and min(sizes) >= 9.0
    widget.deleteLater()


def test_swimlane_headers_stay_in_view_when_scrolled(qtbot) -> None:
    from desktop_app.core.sop import load_sops
    from desktop_app.gui.swimlane import SwimlaneWidget

    sop = max(load_sops(), key=lambda s: len(s.steps))
    widget = SwimlaneWidget(sop)
    qtbot.addWidget(widget)
    widget.resize(1000, 260)
    widget.show()
    QApplication.processEvents()
    bar = widget.verticalScrollBar()
    assert bar.maximum() > 100, "the chart must be taller than the view for this test"

    def header_share() -> float:
        image = widget.viewport().grab().toImage()
        header = QColor("#eceff1").rgb()
        hits = total = 0
        for y in range(2, 14):
            for x in range(0, image.width(), 3):
                total += 1
                hits += image.pixel(x, y) == header
        return hits / total

    top = header_share()
    bar.setValue(bar.maximum())
    QApplication.processEvents()
    assert top > 0.3 and header_share() > 0.3
