"""Windows that fit the office's screens (1366x768, often at 125 % scaling).

Every top-level window and dialog calls :func:`fit_to_screen` once it is built, instead of a
fixed ``resize()``: it opens at the size the user last gave it on this screen (QSettings),
else at the preferred size, always clamped to the screen's available geometry (the screen
less the taskbar) and centred on it. At 125 % on a 1366x768 screen Qt has only 1093x614
logical pixels, less the taskbar; a window's own minimum size must therefore stay small
(long content scrolls inside the window) — the GUI tests check that for every window.

:func:`stable_pdf_view` makes a QPdfView that cannot fall into the layout loop that froze the
signing queue at 125 %: in "fit to width" mode the page height follows the viewport width;
when a page is just as tall as the viewport, showing the vertical scroll bar narrows the
viewport, the page shrinks and fits, the scroll bar hides, the viewport widens, the page grows
again... forever, inside one event-loop turn. A vertical scroll bar that is always there keeps
the width constant and ends the loop.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QRect, QSettings, QSize, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtWidgets import QWidget

__all__ = ["available_geometry", "fit_to_screen", "stable_pdf_view"]

SETTINGS_GROUP = "window-sizes"


def available_geometry(widget: QWidget | None = None) -> QRect:
    """The available geometry (screen less taskbar, logical pixels) where ``widget`` opens."""
    screen = None
    if widget is not None:
        parent = widget.parentWidget()
        screen = (parent.window().screen() if parent is not None else None) or widget.screen()
    screen = screen or QGuiApplication.primaryScreen()
    if screen is None:  # no screen at all (should not happen): a 1366x768 laptop at 125 %
        return QRect(0, 0, 1093, 582)
    try:
        return screen.availableGeometry()
    except RuntimeError:  # the window's screen went away (unplugged) while it was open
        primary = QGuiApplication.primaryScreen()
        return primary.availableGeometry() if primary is not None else QRect(0, 0, 1093, 582)


def _settings_key(name: str, area: QRect) -> str:
    return f"{SETTINGS_GROUP}/{name}/{area.width()}x{area.height()}"


class _SizeKeeper(QObject):
    """Saves the window's size (per screen size) when it is hidden or closed."""

    def __init__(self, widget: QWidget, name: str) -> None:
        super().__init__(widget)
        self.name = name
        widget.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if event.type() in (QEvent.Type.Close, QEvent.Type.Hide) and isinstance(watched, QWidget) \
                and watched.isWindow() and not watched.isMaximized():
            area = available_geometry(watched)
            size = watched.size()
            if size.width() <= area.width() and size.height() <= area.height():
                QSettings().setValue(_settings_key(self.name, area), size)
        return False


def saved_size(name: str, area: QRect) -> QSize | None:
    """The size last given to window ``name`` on a screen with this available area."""
    value = QSettings().value(_settings_key(name, area))
    return value if isinstance(value, QSize) and value.isValid() else None


def fit_to_screen(widget: QWidget, preferred: QSize | tuple[int, int],
                  name: str | None = None) -> QSize:
    """Size ``widget`` to its remembered or ``preferred`` size within the available screen.

    ``name`` (default: the class name) keys the remembered size; the size is saved again
    when the window closes. Returns the size given."""
    if isinstance(preferred, tuple):
        preferred = QSize(*preferred)
    area = available_geometry(widget)
    name = name or type(widget).__name__
    wanted = saved_size(name, area) or preferred
    # The window frame (title bar, borders) comes on top of the client size.
    frame_w, frame_h = 16, 39
    max_w = max(200, area.width() - frame_w)
    max_h = max(200, area.height() - frame_h)
    size = QSize(min(wanted.width(), max_w), min(wanted.height(), max_h))
    minimum = widget.minimumSizeHint().expandedTo(widget.minimumSize())
    size = size.expandedTo(QSize(min(minimum.width(), max_w), min(minimum.height(), max_h)))
    widget.resize(size)
    x = area.x() + max(0, (area.width() - size.width() - frame_w) // 2)
    y = area.y() + max(0, (area.height() - size.height() - frame_h) // 2)
    if widget.parentWidget() is None or widget.isWindow():
        widget.move(x, y)
    if not any(isinstance(c, _SizeKeeper) for c in widget.children()):
        _SizeKeeper(widget, name)
    return size


def stable_pdf_view(parent: QWidget | None = None) -> QPdfView:
    """A multi-page QPdfView whose vertical scroll bar is always shown (see module doc)."""
    view = QPdfView(parent)
    view.setPageMode(QPdfView.PageMode.MultiPage)
    view.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOn)
    return view
