"""The Qt (PySide6) skin over the core services: windows, dialogs, item models and widgets.

The GUI never builds SQL or commits a session; it calls ``desktop_app.core.cases`` and
shows what comes back. Slow work runs on ``QThreadPool``.
"""
