"""The office's roles: who may act in which SOP lane.

A *lane* in an SOP swimlane names a role (or two, as "Kabid & Sekretaris"). Users hold one or
more roles; the workflow engine lets a user act on a step when one of their roles is among the
roles of the step's lane.
"""

from __future__ import annotations

ADMIN = "admin"
PETUGAS_PENERIMA = "petugas_penerima"
JFU = "jfu"
KASI = "kasi"
PENGADMINISTRASI = "pengadministrasi"
KABID = "kabid"
SEKRETARIS = "sekretaris"
KADIS = "kadis"
STAF = "staf"
PANITIA = "panitia"
MEDIATOR = "mediator"

ROLE_LABELS: dict[str, str] = {
    ADMIN: "Administrator",
    PETUGAS_PENERIMA: "Petugas Penerima",
    JFU: "JFU (Jabatan Fungsional Umum)",
    MEDIATOR: "Mediator",
    KASI: "Kepala Seksi",
    PENGADMINISTRASI: "Pengadministrasi",
    KABID: "Kepala Bidang",
    SEKRETARIS: "Sekretaris",
    KADIS: "Kepala Dinas",
    STAF: "Staf",
    PANITIA: "Panitia",
}

# Heads who may reject a case outright or return it to an earlier step from any lane.
HEADS: frozenset[str] = frozenset({KASI, KABID, SEKRETARIS, KADIS})


def role_label(code: str) -> str:
    """The Indonesian name of a role code."""
    return ROLE_LABELS.get(code, code)
