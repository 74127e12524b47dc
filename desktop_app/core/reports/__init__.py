"""The office's books and reports, drawn from the cases and the SOP files (no Qt here).

* :mod:`register` — the Buku Register of each SOP; :mod:`agenda` — the Buku Agenda Surat
  Keluar; :mod:`recap` and :mod:`ipk` — the monthly recaps the Kepala Bidang sends up;
  :mod:`standard_time` — how the office meets the SOPs' standard times; :mod:`survey` — the
  Survei Kepuasan Masyarakat; :mod:`person` — one person across the services and the
  counter's status lookup; :mod:`ak1_cards` — an issued AK/I card's validity and reports.
* :mod:`access` decides who sees which SOP's reports; :mod:`period` checks the period asked;
  :mod:`export` writes XLSX, CSV and PDF files whole or not at all.
"""
