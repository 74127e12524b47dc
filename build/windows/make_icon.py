"""Render resources/images/app_icon.svg into resources/images/app.ico (16-256 px PNG entries).

    QT_QPA_PLATFORM=offscreen python build/windows/make_icon.py

The .ico is committed (Windows builds use it for both executables and the installer); run this
again after changing the SVG.
"""

from __future__ import annotations

import io
import struct
from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, Qt
from PySide6.QtGui import QGuiApplication, QImage, QPainter
from PySide6.QtSvg import QSvgRenderer

IMAGES = Path(__file__).resolve().parents[2] / "resources" / "images"
SIZES = (16, 24, 32, 48, 64, 128, 256)


def png(renderer: QSvgRenderer, size: int) -> bytes:
    image = QImage(size, size, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    renderer.render(painter)
    painter.end()
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    return bytes(data)


def main() -> None:
    _app = QGuiApplication([])
    renderer = QSvgRenderer(str(IMAGES / "app_icon.svg"))
    images = [(size, png(renderer, size)) for size in SIZES]
    out = io.BytesIO()
    out.write(struct.pack("<HHH", 0, 1, len(images)))  # ICONDIR: reserved, type 1 = icon
    offset = 6 + 16 * len(images)
    for size, data in images:  # ICONDIRENTRY; 0 means 256
        out.write(struct.pack("<BBBBHHII", size % 256, size % 256, 0, 0, 1, 32, len(data),
                              offset))
        offset += len(data)
    for _size, data in images:
        out.write(data)
    (IMAGES / "app.ico").write_bytes(out.getvalue())


if __name__ == "__main__":
    main()
