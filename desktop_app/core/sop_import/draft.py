"""Assembles a draft SOP file from a document's reading: what the document says, the program's
own additions taken from the running version of the same SOP (requirements, intake fields,
documents, confirmed lanes of unchanged steps) or proposed for a new SOP, and the report."""

from __future__ import annotations

import re
import tomllib
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from desktop_app.core.sop import Sop, SopError, parse_sop_text
from desktop_app.core.sop_diff import align_steps
from desktop_app.core.sop_import.document import ImportRefused, RawSop
from desktop_app.core.sop_import.readers import read_rows
from desktop_app.core.sop_import.reading import Guess, Reading, read
from desktop_app.core.sop_import.rows import read_block, split_sops
from desktop_app.core.sop_import.toml_out import write_sop_toml
from desktop_app.core.sop_import.vocabulary import name_key, vocabulary


@dataclass
class ImportResult:
    """A draft SOP read from a document: its file text, the loaded SOP and the report."""

    text: str
    sop: Sop
    source: str
    guesses: list[Guess]
    to_complete: list[Guess] = field(default_factory=list)  # program fields with no source
    carried: list[str] = field(default_factory=list)  # what came from the running version
    corrections: list[tuple[str, str]] = field(default_factory=list)
    base_code: str | None = None

    def report_lines(self) -> list[str]:
        """The report for the person who imported, in Indonesian."""
        lines = [f"Draf SOP {self.sop.number} — {self.sop.name}",
                 f"Sumber: {self.source}; {len(self.sop.steps)} langkah, "
                 f"{len(self.sop.lanes)} jalur."]
        if self.base_code:
            lines.append(f"Revisi dari SOP yang berjalan: {self.base_code}.")
        lines.append(f"Tebakan yang perlu diperiksa ({len(self.guesses)}):")
        lines += [f"  - [{g.field}] {g.value}: {g.reason}" for g in self.guesses]
        if self.corrections:
            lines.append(f"Ejaan diperbaiki ({len(self.corrections)}):")
            lines += [f"  - '{a}' → '{b}'" for a, b in self.corrections]
        if self.to_complete:
            lines.append(f"Perlu dilengkapi ({len(self.to_complete)}):")
            lines += [f"  - [{g.field}] {g.value}: {g.reason}" for g in self.to_complete]
        if self.carried:
            lines.append("Diambil dari versi yang berjalan:")
            lines += [f"  - {c}" for c in self.carried]
        return lines


def _number_key(number: str) -> str:
    """'503/44/SOP.TK/…/2024' -> '503/44': a revision keeps the first two parts."""
    return "/".join(number.replace(" ", "").split("/")[:2])


def list_document_sops(data: bytes, name: str) -> list[tuple[str, str]]:
    """(number, name) of every SOP in the document, for a person to choose one."""
    out = []
    for block in split_sops(read_rows(data, name), name):
        raw = read_block(block, name)
        out.append((" ".join(raw.number.split()), " ".join(raw.name.split())))
    return out


def _choose(data: bytes, name: str, number: str | None) -> RawSop:
    raws = [read_block(b, name) for b in split_sops(read_rows(data, name), name)]
    if number:
        chosen = [r for r in raws if _number_key(r.number) == _number_key(number)]
        if not chosen:
            listed = ", ".join(r.number for r in raws)
            raise ImportRefused(f"{name}: SOP nomor {number} tidak ada di berkas ini "
                                f"(yang ada: {listed}).")
        return chosen[0]
    if len(raws) > 1:
        listed = "; ".join(f"{r.number} ({' '.join(r.name.split())})" for r in raws)
        raise ImportRefused(f"{name}: berkas ini berisi {len(raws)} SOP ({listed}). Satu draf "
                            "memuat satu SOP: pilih nomornya, atau pisahkan berkasnya.")
    return raws[0]


def match_running(number: str, name: str, running: Sequence[Sop]) -> Sop | None:
    """The running SOP a document revises: same number (without the year), else same name."""
    key = _number_key(number)
    return next((s for s in running if _number_key(s.number) == key), None) or next(
        (s for s in running if " ".join(s.name.casefold().split())
         == " ".join(name.casefold().split())), None)


def import_sop_document(data: bytes, name: str, *, running: Sequence[Sop] = (),
                        base_texts: dict[str, str] | None = None, number: str | None = None,
                        fresh: bool = False) -> ImportResult:
    """Read the SOP document ``data`` (file name ``name``) into a checked draft.

    ``running`` are the SOPs in use and ``base_texts`` their TOML texts by code: a document
    revising one of them keeps its program additions. ``fresh`` reads the document as a new
    SOP even if one with its number runs. Raises :class:`ImportRefused`."""
    raw = _choose(data, name, number)
    return assemble(read(raw, vocabulary()), name, running=running, base_texts=base_texts,
                    fresh=fresh)


def assemble(reading: Reading, name: str, *, running: Sequence[Sop] = (),
             base_texts: dict[str, str] | None = None, fresh: bool = False,
             missing: Sequence[str] = ()) -> ImportResult:
    """The draft file from a reading (of a document or a BPMN diagram), checked by the SOP
    loader. ``missing`` names identity keys the source did not have: taken from the running
    version when there is one, else proposed."""
    base = None if fresh else match_running(reading.data.get("number", ""),
                                            reading.data.get("name", ""), running)
    result_guesses = list(reading.guesses)
    carried: list[str] = []
    if base is not None and base_texts and base.code in base_texts:
        base_data = tomllib.loads(base_texts[base.code])
        for key in missing:
            reading.data[key] = base_data[key]
        if missing:
            carried.append("Lembar identitas (" + ", ".join(missing) + ").")
        data_out, to_complete = _from_base(reading, base_data, result_guesses, carried)
    else:
        base = None
        data_out, to_complete = _proposed(reading, running)
    data_out["corrections"] = [{"seed": a, "fixed": b} for a, b in reading.corrections]
    header = [f"Draf SOP {data_out['number']} — dibaca dari '{name}' oleh impor SOP.",
              "Baris bertanda TEBAKAN tidak tertulis di sumbernya: periksa sebelum diaktifkan."]
    text = write_sop_toml(data_out, result_guesses + to_complete, header)
    try:
        sop = parse_sop_text(text, f"{name} (draf)")
    except SopError as exc:
        raise ImportRefused(f"{name}: draf tidak lolos pemeriksaan SOP: {exc}") from exc
    return ImportResult(text, sop, name, result_guesses, to_complete, carried,
                        list(reading.corrections), base.code if base else None)


_PROGRAM_KEYS = ("code", "order", "tab_label", "subject", "register_name", "register_prefix",
                 "alternate_names", "requirements", "fields", "reading_notes")


def _from_base(reading: Reading, base: dict[str, Any], guesses: list[Guess],
               carried: list[str]) -> tuple[dict[str, Any], list[Guess]]:
    """The reading with the running version's program additions and confirmed lanes."""
    data = dict(reading.data)
    to_complete: list[Guess] = []
    for key in _PROGRAM_KEYS:
        if key in base:
            data[key] = base[key]
    carried.append("Kode, tab, register, persyaratan, isian formulir dan catatan pembacaan.")
    # Lanes the running version knows keep its codes and roles.
    base_lanes = {name_key(lane["name"]): lane for lane in base["lanes"]}
    renamed = {}
    for lane in data["lanes"]:
        known = base_lanes.get(name_key(lane["name"]))
        if known:
            renamed[lane["code"]] = known["code"]
            lane.update(code=known["code"], roles=known["roles"])
    codes = {lane["code"] for lane in data["lanes"]}
    steps = data["steps"]
    for step in steps:
        step["lane"] = renamed.get(step["lane"], step["lane"])
        for b in step.get("branches", []):
            if "lane" in b:
                b["lane"] = renamed.get(b["lane"], b["lane"])
    old_steps = base["steps"]
    pairs = align_steps([s["activity"] for s in old_steps], [s["activity"] for s in steps])
    moved = {i + 1: j + 1 for i, j in pairs if i is not None and j is not None}
    kept = set()
    for i, j in pairs:
        if i is None or j is None:
            continue
        old, new = old_steps[i], steps[j]
        for key in ("note", "requires_fields", "documents"):
            if key in old:
                new[key] = old[key]
        if old["lane"] in codes:
            new["lane"], new["kind"] = old["lane"], old["kind"]
            branches = [dict(b) for b in old.get("branches", [])]
            for b in branches:
                if str(b["goto"]).isdigit():
                    b["goto"] = str(moved.get(int(b["goto"]), int(b["goto"])))
                if b.get("lane") and b["lane"] not in codes:
                    b.pop("lane")
            new.pop("branches", None)
            if branches:
                new["branches"] = branches
            kept.add(j)
    guesses[:] = [g for g in guesses
                  if not (g.topic in ("lane", "kind", "branches") and g.step - 1 in kept)]
    if kept:
        carried.append(f"Jalur dan jenis {len(kept)} langkah yang sama dengan versi berjalan.")
    documents = []
    for doc in base.get("documents", []):
        doc = dict(doc)
        if doc["step"] not in moved:
            to_complete.append(Guess("documents", "program", doc["code"],
                                     f"Dokumen '{doc['title']}' kehilangan langkahnya "
                                     f"(langkah {doc['step']} lama dihapus); tidak dibawa."))
            continue
        doc["step"] = moved[doc["step"]]
        if doc.get("signed_before_end_of_step"):
            doc["signed_before_end_of_step"] = moved.get(doc["signed_before_end_of_step"],
                                                         doc["step"])
        documents.append(doc)
    data["documents"] = documents
    signer = base.get("signer_lane", "")
    data["signer_lane"] = signer if signer in codes else _signer(data)
    position = base.get("approved_by", {}).get("position", "")
    if base.get("approved_by", {}).get("name") == data["approved_by"]["name"] and position:
        data["approved_by"]["position"] = position
    return data, to_complete


def _signer(data: dict[str, Any]) -> str:
    sign = next((s for s in data["steps"] if s["kind"] == "sign"), None)
    return sign["lane"] if sign else data["steps"][-1]["lane"]


def _proposed(reading: Reading, running: Sequence[Sop]) -> tuple[dict[str, Any], list[Guess]]:
    """A new SOP: the program's settings proposed, each listed for the person to complete."""
    data = dict(reading.data)
    number = data["number"]
    todo: list[Guess] = []

    def propose(key: str, value: Any, reason: str) -> None:
        data[key] = value
        todo.append(Guess(key, "program", str(value), reason))

    has_applicant = any(not lane["roles"] for lane in data["lanes"])
    code = "sop_" + "_".join(re.findall(r"\d+", _number_key(number))) or "sop_baru"
    propose("code", code, "Kode SOP dari nomornya.")
    propose("order", max((s.order for s in running), default=0) + 1, "Urutan tab: paling akhir.")
    words = data["name"].title().split()
    label = ""
    for w in words:
        if len(f"{label} {w}".strip()) > 20:
            break
        label = f"{label} {w}".strip()
    propose("tab_label", label or data["name"][:20], "Label tab dari Nama SOP.")
    subject = "person" if has_applicant else "training"
    if re.search(r"perusahaan|konstruksi|badan usaha", data["name"], re.I):
        subject = "company"
    propose("subject", subject, "Jenis pemohon: ada jalur Pemohon → perorangan.")
    register = next((r for r in data["records"] if r.casefold().startswith("buku register")),
                    f"Buku Register {data['name'].title()}")
    propose("register_name", register, "Nama register dari Pencatatan dan Pendataan.")
    initials = "".join(w[0] for w in words if len(w) > 3)[:3].upper() or "SOP"
    propose("register_prefix", initials, "Awalan nomor register dari Nama SOP.")
    propose("signer_lane", _signer(data), "Penandatangan: jalur langkah tanda tangan.")
    todo.append(Guess("approved_by.position", "program", "",
                      "Jabatan pengesah tidak tertulis di dokumen."))
    docs = [r for r in data["records"]
            if not re.match(r"(buku register|arsip)", r, re.I)]
    data["requirements"] = [{"code": f"syarat_{i + 1}", "label": label[:200]}
                            for i, label in enumerate(docs or [data["steps"][0]["input"]])]
    reading.guesses.append(Guess(
        "requirements", "requirements", f"{len(data['requirements'])} butir",
        "Daftar persyaratan tidak tertulis sebagai daftar; diambil dari Pencatatan dan "
        "Pendataan atau dari kelengkapan langkah pertama.", evidence=("persyaratan",)))
    data["fields"] = _default_fields(subject)
    todo.append(Guess("fields", "program", f"{len(data['fields'])} isian",
                      "Isian formulir pendaftaran dasar; tambahkan isian yang dibutuhkan surat."))
    data["reading_notes"] = [g.reason for g in reading.guesses]
    return data, todo


def _default_fields(subject: str) -> list[dict[str, Any]]:
    if subject == "company":
        return [
            {"name": "nama_perusahaan", "label": "Nama perusahaan", "required": True,
             "max_length": 150, "group": "Perusahaan"},
            {"name": "alamat_perusahaan", "label": "Alamat perusahaan", "type": "textarea",
             "max_length": 255, "group": "Perusahaan"},
            {"name": "telepon", "label": "Nomor telepon/HP", "type": "phone",
             "max_length": 20, "group": "Kontak"},
        ]
    if subject == "training":
        return [{"name": "nama_kegiatan", "label": "Nama kegiatan", "required": True,
                 "max_length": 200, "group": "Kegiatan"}]
    return [
        {"name": "nik", "label": "NIK", "type": "nik", "required": True, "max_length": 16,
         "group": "Identitas Pemohon"},
        {"name": "nama", "label": "Nama lengkap", "required": True, "max_length": 100,
         "group": "Identitas Pemohon"},
        {"name": "alamat", "label": "Alamat", "type": "textarea", "max_length": 255,
         "group": "Alamat"},
        {"name": "telepon", "label": "Nomor telepon/HP", "type": "phone", "max_length": 20,
         "group": "Kontak"},
    ]
