"""Look of the program: Fusion style, a light palette and a few rules for errors and headers."""

from __future__ import annotations

from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication, QWidget

LATE_TEXT = QColor("#b71c1c")
LATE_BACKGROUND = QColor("#fdecea")
SOON_TEXT = QColor("#955200")  # "segera": 5.2:1 on the late background, 6:1 on white
ERROR_COLOR = "#c62828"
DISABLED_TEXT = QColor("#5c5c5c")  # 5.9:1 on the disabled field background #efefef

STYLESHEET = f"""
QLineEdit[error="true"], QPlainTextEdit[error="true"], QComboBox[error="true"],
QDateEdit[error="true"], QSpinBox[error="true"], QListWidget[error="true"],
QGroupBox[error="true"] {{
    border: 1px solid {ERROR_COLOR};
}}
QLabel[role="field-error"] {{ color: {ERROR_COLOR}; }}
QLabel[role="message-error"] {{ color: {ERROR_COLOR}; font-weight: bold; }}
QLabel[role="summary"] {{
    padding: 2px 8px; border-radius: 8px; background: #eef2f7; color: #1f2d3d;
}}
QLabel[role="summary-late"] {{
    padding: 2px 8px; border-radius: 8px; background: {LATE_BACKGROUND.name()};
    color: {LATE_TEXT.name()}; font-weight: bold;
}}
QLabel[role="title"] {{ font-size: 15pt; font-weight: bold; color: #1f3b5b; }}
QLabel[role="subtitle"] {{ color: #4a5a6a; }}
QLabel[role="loading"] {{
    background: rgba(255, 255, 255, 220); color: #333; padding: 12px 24px;
    border: 1px solid #c8d0d8; border-radius: 6px; font-size: 11pt;
}}
QWidget#lockScreen {{ background: #1f3b5b; }}
QWidget#lockScreen QLabel {{ color: white; }}
QWidget#lockPanel {{ background: white; border-radius: 8px; }}
QWidget#lockPanel QLabel {{ color: #1f2d3d; }}
QWidget#lockPanel QLabel[role="message-error"] {{ color: {ERROR_COLOR}; }}
"""


def apply_style(app: QApplication) -> None:
    """Fusion everywhere (the same look on every Windows version) plus the rules above."""
    app.setStyle("Fusion")
    app.setStyleSheet(STYLESHEET)
    palette = app.style().standardPalette()
    for role in (QPalette.ColorRole.Text, QPalette.ColorRole.WindowText,
                 QPalette.ColorRole.ButtonText):
        # read-only choices and disabled text stay readable (Fusion's grey was 1.6:1)
        palette.setColor(QPalette.ColorGroup.Disabled, role, DISABLED_TEXT)
    app.setPalette(palette)
    from desktop_app.gui.keyboard import install_keyboard_rules

    install_keyboard_rules(app)  # tables and text boxes hand Tab on


def set_error(widget: QWidget, on: bool) -> None:
    """Give ``widget`` (or take away) the red error border."""
    widget.setProperty("error", "true" if on else "false")
    widget.style().unpolish(widget)
    widget.style().polish(widget)
