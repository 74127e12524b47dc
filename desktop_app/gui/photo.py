"""Pas foto for the AK/I card: import an image, crop it to 3×4 and store it as a small JPEG.

The clerk picks a file; :class:`PhotoCropDialog` shows it with a movable, resizable 3:4 frame
(centred and as large as possible to start with) and a preview of the result. The crop is
scaled to 354 × 472 pixels (3 × 4 cm at 300 dpi) and saved as a JPEG of at most 300 KB.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import (
    QBuffer,
    QByteArray,
    QCoreApplication,
    QIODevice,
    QPointF,
    QRect,
    QRectF,
    QSize,
    Qt,
)
from PySide6.QtGui import (
    QColor,
    QImage,
    QImageReader,
    QMouseEvent,
    QPainter,
    QPainterPath,
    QPaintEvent,
    QPen,
    QPixmap,
    QWheelEvent,
)
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QVBoxLayout,
    QWidget,
)

from desktop_app.gui.files import open_file_name
from desktop_app.gui.screen_fit import fit_to_screen

__all__ = [
    "PHOTO_MAX_BYTES",
    "PHOTO_SIZE",
    "PhotoCropDialog",
    "center_crop_rect",
    "choose_photo",
    "crop_to_3x4",
    "encode_jpeg",
]

PHOTO_MAX_BYTES = 300 * 1024
PHOTO_SIZE = QSize(354, 472)  # 3 x 4 cm at 300 dpi
_RATIO = 3 / 4  # width / height


def _tr(text: str) -> str:
    return QCoreApplication.translate("photo", text)


def center_crop_rect(size: QSize) -> QRect:
    """The largest 3:4 (portrait) rectangle centred in an image of ``size``."""
    w, h = size.width(), size.height()
    if w / h > _RATIO:
        cw, ch = round(h * _RATIO), h
    else:
        cw, ch = w, round(w / _RATIO)
    return QRect((w - cw) // 2, (h - ch) // 2, cw, ch)


def _fit_ratio(rect: QRect, bounds: QRect) -> QRect:
    """``rect`` made exactly 3:4 (shrinking the longer side) and kept inside ``bounds``."""
    r = rect.intersected(bounds)
    w, h = r.width(), r.height()
    if w <= 0 or h <= 0:
        return center_crop_rect(bounds.size())
    if w / h > _RATIO:
        w = round(h * _RATIO)
    else:
        h = round(w / _RATIO)
    return QRect(r.left(), r.top(), max(1, w), max(1, h))


def crop_to_3x4(image: QImage, rect: QRect | None = None) -> QImage:
    """Crop ``image`` to ``rect`` (forced to 3:4; default the centred crop) and scale it to
    :data:`PHOTO_SIZE`."""
    bounds = image.rect()
    r = center_crop_rect(image.size()) if rect is None else _fit_ratio(rect, bounds)
    cropped = image.copy(r)
    return cropped.scaled(PHOTO_SIZE, Qt.AspectRatioMode.IgnoreAspectRatio,
                          Qt.TransformationMode.SmoothTransformation).convertToFormat(
        QImage.Format.Format_RGB32)


def encode_jpeg(image: QImage, max_bytes: int = PHOTO_MAX_BYTES) -> bytes:
    """JPEG bytes of ``image`` no larger than ``max_bytes`` (lower quality, then smaller)."""
    img = image
    while True:
        for quality in (92, 85, 75, 65, 55, 45):
            data = QByteArray()
            buf = QBuffer(data)
            buf.open(QIODevice.OpenModeFlag.WriteOnly)
            img.save(buf, "JPEG", quality)
            buf.close()
            if data.size() <= max_bytes:
                return bytes(data.data())
        if img.width() < 60:
            raise ValueError("image cannot be made small enough")
        img = img.scaled(int(img.width() * 0.8), int(img.height() * 0.8),
                         Qt.AspectRatioMode.KeepAspectRatio,
                         Qt.TransformationMode.SmoothTransformation)


class _CropView(QWidget):
    """The image with a 3:4 frame: drag inside to move it, drag a corner or scroll to resize."""

    HANDLE = 10

    def __init__(self, image: QImage, on_change: object, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._image = image
        self._pixmap = QPixmap.fromImage(image)
        self._on_change = on_change
        self.crop = center_crop_rect(image.size())
        self._drag: str | None = None
        self._drag_origin = QPointF()
        self._drag_rect = QRect()
        self.setMinimumSize(360, 360)
        self.setMouseTracking(True)
        self.setToolTip(self.tr("Geser bingkai untuk memindahkan; tarik sudut kanan bawah atau "
                                "gulir roda tetikus untuk mengubah ukuran."))

    # image <-> widget coordinates
    def _scale(self) -> tuple[float, float, float]:
        w, h = self.width(), self.height()
        s = min(w / self._image.width(), h / self._image.height())
        ox = (w - self._image.width() * s) / 2
        oy = (h - self._image.height() * s) / 2
        return s, ox, oy

    def _to_widget(self, r: QRect) -> QRectF:
        s, ox, oy = self._scale()
        return QRectF(ox + r.x() * s, oy + r.y() * s, r.width() * s, r.height() * s)

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802
        p = QPainter(self)
        p.fillRect(self.rect(), QColor("#37474f"))
        s, ox, oy = self._scale()
        target = QRectF(ox, oy, self._image.width() * s, self._image.height() * s)
        p.drawPixmap(target, self._pixmap, QRectF(self._pixmap.rect()))
        frame = self._to_widget(self.crop)
        shade = QPainterPath()
        shade.addRect(target)
        inner = QPainterPath()
        inner.addRect(frame)
        p.fillPath(shade.subtracted(inner), QColor(0, 0, 0, 120))
        p.setPen(QPen(QColor("#ffeb3b"), 2))
        p.drawRect(frame)
        h = self.HANDLE
        p.fillRect(QRectF(frame.right() - h, frame.bottom() - h, h, h), QColor("#ffeb3b"))
        p.end()

    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        frame = self._to_widget(self.crop)
        pos = event.position()
        corner = QRectF(frame.right() - 2 * self.HANDLE, frame.bottom() - 2 * self.HANDLE,
                        3 * self.HANDLE, 3 * self.HANDLE)
        if corner.contains(pos):
            self._drag = "resize"
        elif frame.contains(pos):
            self._drag = "move"
        else:
            self._drag = None
            return
        self._drag_origin = pos
        self._drag_rect = QRect(self.crop)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        if self._drag is None:
            return
        s, _, _ = self._scale()
        d = (event.position() - self._drag_origin) / s
        r = QRect(self._drag_rect)
        if self._drag == "move":
            r.moveTo(round(r.x() + d.x()), round(r.y() + d.y()))
            self.set_crop(r, keep_size=True)
        else:
            w = max(30, round(r.width() + d.x()))
            self.set_crop(QRect(r.x(), r.y(), w, round(w / _RATIO)))

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        self._drag = None

    def wheelEvent(self, event: QWheelEvent) -> None:  # noqa: N802
        factor = 1.05 if event.angleDelta().y() > 0 else 1 / 1.05
        c = self.crop.center()
        w = max(30, round(self.crop.width() * factor))
        h = round(w / _RATIO)
        self.set_crop(QRect(c.x() - w // 2, c.y() - h // 2, w, h), keep_size=True)

    def set_crop(self, rect: QRect, keep_size: bool = False) -> None:
        """Place the frame at ``rect`` (image coordinates), kept 3:4 and inside the image."""
        bounds = self._image.rect()
        r = QRect(rect)
        if r.width() > bounds.width() or r.height() > bounds.height():
            r = center_crop_rect(bounds.size()) if keep_size else _fit_ratio(r, bounds)
        if keep_size:
            r.moveLeft(min(max(r.left(), 0), bounds.width() - r.width()))
            r.moveTop(min(max(r.top(), 0), bounds.height() - r.height()))
        else:
            r = _fit_ratio(r, bounds)
        self.crop = r
        self.update()
        if callable(self._on_change):
            self._on_change()


class PhotoCropDialog(QDialog):
    """Choose the 3:4 part of an image to use as the pas foto."""

    def __init__(self, image: QImage, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Potong Pas Foto 3×4"))
        self._image = image
        self._preview = QLabel()
        self._preview.setFixedSize(PHOTO_SIZE.width() // 2, PHOTO_SIZE.height() // 2)
        self._preview.setStyleSheet("border: 1px solid #90a4ae; background: #eceff1;")
        self.view = _CropView(image, self._update_preview, self)
        hint = QLabel(self.tr("Geser bingkai kuning ke wajah pemohon. Tarik sudut kanan bawah "
                              "atau gulir untuk mengubah ukuran. Hasil: 3×4, JPEG ≤ 300 KB."))
        hint.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("&Gunakan"))
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("&Batal"))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        side = QVBoxLayout()
        side.addWidget(QLabel(self.tr("Hasil:")))
        side.addWidget(self._preview)
        side.addStretch(1)
        row = QHBoxLayout()
        row.addWidget(self.view, 1)
        row.addLayout(side)
        lay = QVBoxLayout(self)
        lay.addWidget(hint)
        lay.addLayout(row, 1)
        lay.addWidget(buttons)
        fit_to_screen(self, QSize(720, 520))
        self._update_preview()

    def crop_rect(self) -> QRect:
        return QRect(self.view.crop)

    def set_crop_rect(self, rect: QRect) -> None:
        self.view.set_crop(rect)

    def result_image(self) -> QImage:
        return crop_to_3x4(self._image, self.view.crop)

    def _update_preview(self) -> None:
        img = crop_to_3x4(self._image, self.view.crop)
        self._preview.setPixmap(QPixmap.fromImage(img).scaled(
            self._preview.size(), Qt.AspectRatioMode.KeepAspectRatio,
            Qt.TransformationMode.SmoothTransformation))


def choose_photo(parent: QWidget | None) -> tuple[bytes, QImage] | None:
    """Ask for an image file, let the clerk crop it; the JPEG bytes and the cropped image."""
    path = open_file_name(parent, _tr("Pilih Pas Foto"),
                          _tr("Gambar (*.jpg *.jpeg *.png *.bmp)"))
    if not path:
        return None
    reader = QImageReader(str(Path(path)))
    reader.setAutoTransform(True)  # honour the camera's EXIF rotation
    image = reader.read()
    if image.isNull():
        QMessageBox.warning(parent, _tr("Pas Foto"),
                            _tr("Berkas gambar tidak dapat dibaca: {name}").format(
                                name=Path(path).name))
        return None
    dlg = PhotoCropDialog(image, parent)
    try:
        if dlg.exec() != QDialog.DialogCode.Accepted:
            return None
        result = dlg.result_image()
    finally:
        dlg.deleteLater()
    return encode_jpeg(result), result
