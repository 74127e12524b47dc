"""What an SOP-AP document says, cell by cell, before any reading: the importer's raw model.

The readers (``text_reader``, ``docx_reader``) fill these objects from the identity sheet and
the flowchart table of the national SOP-AP format (Permenpan RB 35/2012); ``draft`` turns one
into a draft SOP file. Nothing here guesses.
"""

from __future__ import annotations

from dataclasses import dataclass, field


class ImportRefused(ValueError):
    """The document cannot be read into an SOP; the message (Indonesian) says what was not
    understood and where, for the person who chose the file."""


@dataclass
class RawStep:
    """One row of the flowchart table."""

    no: int
    activity: str
    marks: dict[int, str]  # lane index -> words written in that lane's column
    input: str
    time: str
    output: str
    note: str = ""  # the Keterangan column


@dataclass
class RawSop:
    """One SOP as written: identity sheet, the six text sections and the flowchart table."""

    number: str = ""
    created: str = ""
    revised: str = ""
    effective: str = ""
    approver: str = ""
    name: str = ""
    flow_title: str = ""
    sections: dict[str, str] = field(default_factory=dict)  # cell text, HTML kept
    lanes: list[str] = field(default_factory=list)
    steps: list[RawStep] = field(default_factory=list)
    outside: list[str] = field(default_factory=list)  # text after the table (off-chart boxes)
    source: str = ""


# Section headings of the identity sheet, as the format prints them, and where they go.
SECTION_HEADINGS = {
    "DASAR HUKUM": "legal_basis",
    "KUALIFIKASI PELAKSANA": "qualifications",
    "KETERKAITAN": "relations",
    "PERALATAN / PERLENGKAPAN": "equipment",
    "PERALATAN/PERLENGKAPAN": "equipment",
    "PERINGATAN": "warnings",
    "PENCATATAN DAN PENDATAAN": "records",
}
IDENTITY_LABELS = {
    "nomor sop": "number",
    "tanggal pembuatan": "created",
    "tanggal revisi": "revised",
    "tanggal efektif": "effective",
    "disahkan oleh": "approver",
    "nama sop": "name",
}
