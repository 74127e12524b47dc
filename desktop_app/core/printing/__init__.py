"""Printing documents true to size: paper, sheet layout, the job PDF and CUPS (no Qt).

The document decides the paper: :mod:`paper` names each page's size (A4, F4, A5, A6 …) and
finds what the chosen printer's driver calls it; :mod:`layout` turns a document, the
printer's capabilities and the clerk's choices into sheets with every page placed at 100 %
(or, only when the clerk asks for it, shrunk to fit), the card offset applied, and a warning
for every way the print will differ from the document; :mod:`job_pdf` writes that plan as a
PDF for a print system that takes PDF jobs; :mod:`cups` sends it to a CUPS queue (Linux,
macOS); :mod:`profiles` keeps each printer's card settings; :mod:`calibration` renders the
page that measures a printer's offset. The Qt side (printer list, the dialog, the raster path
Windows uses) is ``desktop_app.gui.printing``.
"""

from __future__ import annotations

MM_PER_POINT = 25.4 / 72
POINTS_PER_MM = 72 / 25.4
