"""SOP definitions: load, validate and describe the office's SOP files (``resources/sops/*.toml``).

Each file holds everything one SOP sheet says (the national SOP-AP format of Permenpan RB
35/2012): the identity block, legal basis, qualifications, relations, equipment, warnings,
records, the swimlane (lanes and steps with input, standard time and output) and what the
program adds to run it (requirements checklist, intake fields, documents and who initials and
signs them). The engine, the tabs, the swimlane pictures and the printable SOP sheet are drawn
from these objects, so adding or correcting an SOP is an edit to data.
"""

from __future__ import annotations

import hashlib
import os
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

from desktop_app.core.errors import NotFound
from desktop_app.core.office_calendar import StandardTime
from desktop_app.core.roles import ROLE_LABELS

STEP_KINDS = ("submit", "check", "work", "approve", "bipartite", "paraf", "sign", "handover")
FIELD_TYPES = (
    "text", "textarea", "nik", "date", "choice", "money", "integer", "phone", "email", "list",
)
SUBJECTS = ("person", "company", "training")
DOCUMENT_WHEN = ("selalu", "dikembalikan", "per_pertemuan", "sepakat", "berselisih")
# Columns of the Buku Register that come from the case itself (others are "data.<field>").
REGISTER_KEYS: dict[str, str] = {
    "nomor_register": "No. Register",
    "tanggal_daftar": "Tanggal Daftar",
    "pemohon": "Pemohon",
    "status": "Status",
    "langkah": "Langkah",
    "tanggal_selesai": "Tanggal Selesai",
    "nomor_dokumen": "Nomor Surat",
}
DEFAULT_REGISTER_KEYS = ("nomor_register", "tanggal_daftar", "pemohon", "status",
                         "tanggal_selesai")
# What an intake field may look up elsewhere: "kartu_ak1" = the applicant's AK/I card by NIK.
FIELD_LOOKUPS = ("kartu_ak1",)
# Where a branch leads: the next step, a step number, back to the applicant, or the end.
BRANCH_TARGETS = ("next", "returned", "completed")


class SopError(ValueError):
    """An SOP file is wrong; the message names the file, the field and what is wrong."""


@dataclass(frozen=True)
class Official:
    name: str
    rank: str
    nip: str
    position: str = ""


@dataclass(frozen=True)
class Lane:
    """One swimlane column ("Pelaksana"). ``roles`` empty means the applicant (no user)."""

    code: str
    name: str
    roles: tuple[str, ...]

    @property
    def is_applicant(self) -> bool:
        return not self.roles


@dataclass(frozen=True)
class Requirement:
    """One item of the requirements checklist (kelengkapan persyaratan)."""

    code: str
    label: str
    required: bool = True
    quantity: str = ""


@dataclass(frozen=True)
class IntakeField:
    """One field of the intake form. ``list`` fields hold rows of ``columns``."""

    name: str
    label: str
    type: str = "text"
    required: bool = False
    max_length: int | None = None
    choices: tuple[str, ...] = ()
    group: str = ""
    help: str = ""
    default: Any = None
    columns: tuple[IntakeField, ...] = ()
    lookup: str = ""
    # Demo value (``--demo``, ``render-samples``); None: one made from the type.
    demo: Any = None


@dataclass(frozen=True)
class Branch:
    """A labelled way out of a decision step (e.g. *lengkap* / *tidak lengkap*)."""

    outcome: str
    label: str
    goto: str  # "next", "returned", "completed" or a step number as text
    lane: str = ""  # the lane the arrow points to, for the swimlane drawing


@dataclass(frozen=True)
class Step:
    no: int
    lane: str
    kind: str
    activity: str
    input: str
    time: StandardTime
    time_text: str
    output: str
    note: str = ""
    branches: tuple[Branch, ...] = ()
    requires_fields: tuple[str, ...] = ()
    documents: tuple[str, ...] = ()

    def branch(self, outcome: str) -> Branch | None:
        return next((b for b in self.branches if b.outcome == outcome), None)


@dataclass(frozen=True)
class DocumentSpec:
    """A document an SOP produces: at which step it is drafted, who initials and who signs."""

    code: str
    title: str
    step: int
    paraf_lanes: tuple[str, ...] = ()
    sign_lane: str = ""
    classification_code: str = ""
    repeatable: bool = False
    # The case cannot leave this step until the document is signed (0: no such rule). For a
    # signer who has no step of their own, e.g. the Kepala Dinas signing the training
    # invitation after the Kabid's paraf and before it is distributed.
    signed_before_end_of_step: int = 0
    # When the document applies: "selalu", "dikembalikan" (after a "tidak lengkap" return),
    # "per_pertemuan" (one per bipartite meeting), "sepakat" (after an agreement),
    # "berselisih" (after a meeting without agreement).
    when: str = "selalu"
    # To whom the letter goes (Buku Agenda Surat Keluar): text with {field} of the intake data.
    addressee: str = ""
    # False: nobody signs it; the clerk issues it at the counter (the return letter). It is
    # numbered when issued and prints without a signature block.
    signed: bool = True
    # "" : a document kind registered under ``code`` (desktop_app/core/documents/kinds);
    # "surat_umum": a generic letter printing ``fields`` (intake field names) under ``hal``,
    # opened by ``isi`` (text with {field}).
    kind: str = ""
    fields: tuple[str, ...] = ()
    hal: str = ""
    isi: str = ""


@dataclass(frozen=True)
class RegisterColumn:
    """One column of the SOP's Buku Register: a key of :data:`REGISTER_KEYS` or
    ``data.<intake field>``; ``document`` names the document whose number ``nomor_dokumen``
    shows; ``width`` is in characters (0: chosen by the kind of value)."""

    key: str
    label: str
    document: str = ""
    width: int = 0

    @property
    def field_name(self) -> str | None:
        return self.key[5:] if self.key.startswith("data.") else None


@dataclass(frozen=True)
class Sop:
    code: str
    order: int
    tab_label: str
    number: str
    name: str
    flow_title: str
    created: date
    revised: date | None
    effective: date
    approved_by: Official
    subject: str
    register_name: str
    register_prefix: str
    signer_lane: str
    legal_basis: tuple[str, ...]
    qualifications: tuple[str, ...]
    relations: tuple[str, ...]
    equipment: tuple[str, ...]
    warnings: tuple[str, ...]
    records: tuple[str, ...]
    lanes: tuple[Lane, ...]
    steps: tuple[Step, ...]
    requirements: tuple[Requirement, ...]
    fields: tuple[IntakeField, ...]
    documents: tuple[DocumentSpec, ...]
    register_columns: tuple[RegisterColumn, ...] = ()
    alternate_names: tuple[str, ...] = ()
    reading_notes: tuple[str, ...] = ()
    corrections: tuple[tuple[str, str], ...] = ()
    source: str = ""
    _lane_index: dict[str, Lane] = field(default_factory=dict, compare=False, repr=False)

    def lane(self, code: str) -> Lane:
        return self._lane_index[code]

    def step(self, no: int) -> Step:
        return self.steps[no - 1]

    @property
    def first_step(self) -> Step:
        return self.steps[0]

    @property
    def last_step(self) -> Step:
        return self.steps[-1]

    def field(self, name: str) -> IntakeField | None:
        return next((f for f in self.fields if f.name == name), None)

    def document(self, code: str) -> DocumentSpec | None:
        return next((d for d in self.documents if d.code == code), None)

    def roles_of_lane(self, code: str) -> tuple[str, ...]:
        return self._lane_index[code].roles


# ---------------------------------------------------------------- loading and validation


class _Reader:
    """Reads one table of an SOP file, naming the file and field path on any mistake."""

    def __init__(self, source: str, data: dict[str, Any], path: str = "") -> None:
        self.source = source
        self.data = data
        self.path = path

    def fail(self, key: str, problem: str) -> SopError:
        where = f"{self.path}.{key}" if self.path else key
        return SopError(f"{self.source}: field '{where}': {problem}")

    def get(self, key: str, kind: type | tuple[type, ...], default: Any = ..., *,
            nonempty: bool = False) -> Any:
        if key not in self.data:
            if default is ...:
                raise self.fail(key, "is missing")
            return default
        value = self.data[key]
        if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
            names = kind.__name__ if isinstance(kind, type) else "/".join(k.__name__ for k in kind)
            raise self.fail(key, f"must be {names}, not {type(value).__name__}")
        if nonempty and not value:
            raise self.fail(key, "must not be empty")
        return value

    def strings(self, key: str, *, nonempty: bool = False) -> tuple[str, ...]:
        values = self.get(key, list, [], nonempty=nonempty)
        for i, v in enumerate(values):
            if not isinstance(v, str) or not v.strip():
                raise self.fail(f"{key}[{i}]", "must be a non-empty string")
        return tuple(values)

    def tables(self, key: str, *, nonempty: bool = False) -> list[_Reader]:
        values = self.get(key, list, [], nonempty=nonempty)
        readers = []
        for i, v in enumerate(values):
            if not isinstance(v, dict):
                raise self.fail(f"{key}[{i}]", "must be a table")
            prefix = f"{self.path}." if self.path else ""
            readers.append(_Reader(self.source, v, f"{prefix}{key}[{i}]"))
        return readers

    def table(self, key: str) -> _Reader:
        value = self.get(key, dict)
        prefix = f"{self.path}." if self.path else ""
        return _Reader(self.source, value, f"{prefix}{key}")

    def unknown_keys(self, allowed: Iterable[str]) -> None:
        extra = sorted(set(self.data) - set(allowed))
        if extra:
            raise self.fail(extra[0], "is not a known field (spelling?)")


TableReader = _Reader  # other data files (resources/reports/ipk.toml) read the same way


def _optional_date(r: _Reader, key: str) -> date | None:
    value = r.get(key, (date, str), None)
    if value in (None, "", "-"):
        return None
    if isinstance(value, str):
        raise r.fail(key, "must be a date like 2024-01-23 or '-'")
    return value


def _field(r: _Reader) -> IntakeField:
    r.unknown_keys({"name", "label", "type", "required", "max_length", "choices", "group",
                    "help", "default", "columns", "lookup", "demo"})
    ftype = r.get("type", str, "text")
    if ftype not in FIELD_TYPES:
        raise r.fail("type", f"'{ftype}' is not one of {', '.join(FIELD_TYPES)}")
    choices = r.strings("choices")
    if ftype == "choice" and not choices:
        raise r.fail("choices", "a choice field needs choices")
    columns = tuple(_field(c) for c in r.tables("columns"))
    if ftype == "list" and not columns:
        raise r.fail("columns", "a list field needs columns")
    max_length = r.get("max_length", int, None)
    if max_length is not None and max_length <= 0:
        raise r.fail("max_length", "must be positive")
    lookup = r.get("lookup", str, "")
    if lookup and lookup not in FIELD_LOOKUPS:
        raise r.fail("lookup", f"'{lookup}' is not one of {', '.join(FIELD_LOOKUPS)}")
    return IntakeField(
        name=r.get("name", str, nonempty=True),
        label=r.get("label", str, nonempty=True),
        type=ftype,
        required=r.get("required", bool, False),
        max_length=max_length,
        choices=choices,
        group=r.get("group", str, ""),
        help=r.get("help", str, ""),
        default=r.data.get("default"),
        columns=columns,
        lookup=lookup,
        demo=r.data.get("demo"),
    )


def _step(r: _Reader, lanes: dict[str, Lane], expected_no: int) -> Step:
    r.unknown_keys({"no", "lane", "kind", "activity", "input", "time", "output", "note",
                    "branches", "requires_fields", "documents"})
    no = r.get("no", int)
    if no != expected_no:
        raise r.fail("no", f"expected step number {expected_no}, found {no}")
    lane = r.get("lane", str, nonempty=True)
    if lane not in lanes:
        raise r.fail("lane", f"'{lane}' is not one of the lanes ({', '.join(lanes)})")
    kind = r.get("kind", str)
    if kind not in STEP_KINDS:
        raise r.fail("kind", f"'{kind}' is not one of {', '.join(STEP_KINDS)}")
    time_text = r.get("time", str, nonempty=True)
    try:
        time = StandardTime.parse(time_text)
    except ValueError as exc:
        raise r.fail("time", str(exc)) from None
    branches = []
    for b in r.tables("branches"):
        b.unknown_keys({"outcome", "label", "goto", "lane"})
        goto = b.get("goto", (str, int))
        goto = str(goto)
        if goto not in BRANCH_TARGETS and not goto.isdigit():
            raise b.fail("goto", f"'{goto}' must be a step number or one of {BRANCH_TARGETS}")
        blane = b.get("lane", str, "")
        if blane and blane not in lanes:
            raise b.fail("lane", f"'{blane}' is not a lane")
        branches.append(Branch(b.get("outcome", str, nonempty=True),
                               b.get("label", str, nonempty=True), goto, blane))
    if kind == "check" and {b.outcome for b in branches} != {"lengkap", "tidak_lengkap"}:
        raise r.fail("branches", "a check step needs the outcomes 'lengkap' and 'tidak_lengkap'")
    if kind == "bipartite" and {b.outcome for b in branches} != {"sepakat", "berselisih"}:
        raise r.fail("branches", "a bipartite step needs the outcomes 'sepakat' and 'berselisih'")
    return Step(
        no=no, lane=lane, kind=kind,
        activity=r.get("activity", str, nonempty=True),
        input=r.get("input", str, nonempty=True),
        time=time, time_text=time_text,
        output=r.get("output", str, nonempty=True),
        note=r.get("note", str, ""),
        branches=tuple(branches),
        requires_fields=r.strings("requires_fields"),
        documents=r.strings("documents"),
    )


def parse_sop(data: dict[str, Any], source: str = "<sop>") -> Sop:
    """Build and validate an :class:`Sop` from the parsed TOML table ``data``."""
    r = _Reader(source, data)
    r.unknown_keys({
        "code", "order", "tab_label", "number", "name", "flow_title", "alternate_names",
        "created", "revised", "effective", "approved_by", "subject", "register_name",
        "register_prefix", "signer_lane", "legal_basis", "qualifications", "relations",
        "equipment", "warnings", "records", "reading_notes", "corrections", "lanes", "steps",
        "requirements", "fields", "documents", "register_columns",
    })
    lanes: dict[str, Lane] = {}
    for lr in r.tables("lanes", nonempty=True):
        lr.unknown_keys({"code", "name", "roles"})
        code = lr.get("code", str, nonempty=True)
        if code in lanes:
            raise lr.fail("code", f"lane '{code}' appears twice")
        roles = lr.strings("roles")
        for role in roles:
            if role not in ROLE_LABELS:
                raise lr.fail("roles", f"'{role}' is not a known role ({', '.join(ROLE_LABELS)})")
        lanes[code] = Lane(code, lr.get("name", str, nonempty=True), roles)

    steps = tuple(_step(s, lanes, i + 1) for i, s in enumerate(r.tables("steps", nonempty=True)))
    _check_branches(source, steps)
    if steps[0].kind != "submit" and data.get("subject") != "training":
        raise r.fail("steps[0].kind", "the first step of a service SOP must be 'submit'")

    requirements = []
    seen: set[str] = set()
    for q in r.tables("requirements"):
        q.unknown_keys({"code", "label", "required", "quantity"})
        code = q.get("code", str, nonempty=True)
        if code in seen:
            raise q.fail("code", f"requirement '{code}' appears twice")
        seen.add(code)
        requirements.append(Requirement(code, q.get("label", str, nonempty=True),
                                        q.get("required", bool, True), q.get("quantity", str, "")))

    fields = tuple(_field(f) for f in r.tables("fields"))
    names = [f.name for f in fields]
    dupes = {n for n in names if names.count(n) > 1}
    if dupes:
        raise r.fail("fields", f"field '{sorted(dupes)[0]}' appears twice")
    for step in steps:
        for name in step.requires_fields:
            if name not in names:
                raise SopError(f"{source}: field 'steps[{step.no - 1}].requires_fields': "
                               f"'{name}' is not an intake field")

    documents = []
    for d in r.tables("documents"):
        d.unknown_keys({"code", "title", "step", "paraf_lanes", "sign_lane",
                        "classification_code", "repeatable", "signed_before_end_of_step",
                        "when", "addressee", "signed", "kind", "fields", "hal", "isi"})
        step_no = d.get("step", int)
        if not 1 <= step_no <= len(steps):
            raise d.fail("step", f"step {step_no} does not exist")
        paraf = d.strings("paraf_lanes")
        sign = d.get("sign_lane", str, "")
        for lane in (*paraf, *([sign] if sign else [])):
            if lane not in lanes:
                raise d.fail("paraf_lanes" if lane in paraf else "sign_lane",
                             f"'{lane}' is not a lane")
        signed_by = d.get("signed_before_end_of_step", int, 0)
        if signed_by and (not sign or not step_no <= signed_by <= len(steps)):
            raise d.fail("signed_before_end_of_step",
                         "needs a sign_lane and a step from the drafting step to the last")
        when = d.get("when", str, "selalu")
        if when not in DOCUMENT_WHEN:
            raise d.fail("when", f"'{when}' is not one of {', '.join(DOCUMENT_WHEN)}")
        addressee = d.get("addressee", str, "")
        signed = d.get("signed", bool, True)
        if not signed and (paraf or sign):
            raise d.fail("signed", "a document nobody signs has no paraf_lanes or sign_lane")
        for name in _placeholders(d, "addressee", addressee):
            if name not in names:
                raise d.fail("addressee", f"'{{{name}}}' is not an intake field")
        code, kind, doc_fields, hal, isi = _document_kind(d, names)
        documents.append(DocumentSpec(
            code=code, title=d.get("title", str, nonempty=True),
            step=step_no, paraf_lanes=paraf, sign_lane=sign,
            classification_code=d.get("classification_code", str, ""),
            repeatable=d.get("repeatable", bool, False),
            signed_before_end_of_step=signed_by, when=when, addressee=addressee,
            signed=signed, kind=kind, fields=doc_fields, hal=hal, isi=isi,
        ))

    ab = r.table("approved_by")
    ab.unknown_keys({"name", "rank", "nip", "position"})
    nip = ab.get("nip", str, nonempty=True)
    if not (nip.isdigit() and len(nip) == 18):
        raise ab.fail("nip", "a NIP has 18 digits")

    subject = r.get("subject", str)
    if subject not in SUBJECTS:
        raise r.fail("subject", f"'{subject}' is not one of {', '.join(SUBJECTS)}")
    signer_lane = r.get("signer_lane", str, nonempty=True)
    if signer_lane not in lanes:
        raise r.fail("signer_lane", f"'{signer_lane}' is not a lane")

    corrections = []
    for c in r.tables("corrections"):
        c.unknown_keys({"seed", "fixed"})
        corrections.append((c.get("seed", str, nonempty=True), c.get("fixed", str, nonempty=True)))

    created = r.get("created", date)
    effective = r.get("effective", date)
    return Sop(
        code=r.get("code", str, nonempty=True),
        order=r.get("order", int),
        tab_label=r.get("tab_label", str, nonempty=True),
        number=r.get("number", str, nonempty=True),
        name=r.get("name", str, nonempty=True),
        flow_title=r.get("flow_title", str, nonempty=True),
        alternate_names=r.strings("alternate_names"),
        created=created,
        revised=_optional_date(r, "revised"),
        effective=effective,
        approved_by=Official(ab.get("name", str, nonempty=True), ab.get("rank", str, ""),
                             nip, ab.get("position", str, "")),
        subject=subject,
        register_name=r.get("register_name", str, nonempty=True),
        register_prefix=r.get("register_prefix", str, nonempty=True),
        signer_lane=signer_lane,
        legal_basis=r.strings("legal_basis", nonempty=True),
        qualifications=r.strings("qualifications", nonempty=True),
        relations=r.strings("relations"),
        equipment=r.strings("equipment"),
        warnings=r.strings("warnings", nonempty=True),
        records=r.strings("records"),
        reading_notes=r.strings("reading_notes"),
        corrections=tuple(corrections),
        lanes=tuple(lanes.values()),
        steps=steps,
        requirements=tuple(requirements),
        fields=fields,
        documents=tuple(documents),
        register_columns=_register_columns(r, fields, documents),
        source=source,
        _lane_index=lanes,
    )


def _check_branches(source: str, steps: tuple[Step, ...]) -> None:
    """Refuse a branch the engine would not perform (the rules live in core/flow, where the
    engine, the SOP sheet and the swimlane read the same edges)."""
    from desktop_app.core.flow.graph import branch_problems

    problems = branch_problems(steps)
    if problems:
        where, problem = problems[0]
        raise SopError(f"{source}: field '{where}': {problem}")


def content_hash(text: str) -> str:
    """SHA-256 (hex) of an SOP file's text, line endings made uniform: the version's identity."""
    return hashlib.sha256(text.replace("\r\n", "\n").encode("utf-8")).hexdigest()


def parse_sop_text(text: str, source: str = "<sop>") -> Sop:
    """Read and validate an SOP from its TOML text (a draft, or a version kept in the database)."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise SopError(f"{source}: not valid TOML: {exc}") from None
    return parse_sop(data, source)


def _placeholders(r: _Reader, key: str, text: str) -> list[str]:
    """The ``{name}`` placeholders of a text template (a stray brace is an error)."""
    import string

    try:
        return [name for _, name, _, _ in string.Formatter().parse(text) if name]
    except ValueError as exc:
        raise r.fail(key, f"braces do not match ({exc})") from None


def _register_columns(r: _Reader, fields: tuple[IntakeField, ...],
                      documents: list[DocumentSpec]) -> tuple[RegisterColumn, ...]:
    """The Buku Register's columns (the default five when the file names none)."""
    by_name = {f.name: f for f in fields}
    doc_codes = {d.code for d in documents}
    columns: list[RegisterColumn] = []
    seen: set[tuple[str, str]] = set()
    for c in r.tables("register_columns"):
        c.unknown_keys({"key", "label", "document", "width"})
        key = c.get("key", str, nonempty=True)
        field_name = key[5:] if key.startswith("data.") else None
        if field_name is not None and field_name not in by_name:
            raise c.fail("key", f"'{field_name}' is not an intake field")
        if field_name is None and key not in REGISTER_KEYS:
            raise c.fail("key", f"'{key}' is not one of {', '.join(REGISTER_KEYS)} "
                                "or data.<intake field>")
        document = c.get("document", str, "")
        if key == "nomor_dokumen" and document not in doc_codes:
            raise c.fail("document", f"'{document}' is not a document of this SOP")
        if document and key != "nomor_dokumen":
            raise c.fail("document", "only a 'nomor_dokumen' column names a document")
        if (key, document) in seen:
            raise c.fail("key", f"column '{key}' appears twice")
        seen.add((key, document))
        width = c.get("width", int, 0)
        if not 0 <= width <= 100:
            raise c.fail("width", "must be 0 (automatic) to 100 characters")
        default_label = by_name[field_name].label if field_name else REGISTER_KEYS[key]
        columns.append(RegisterColumn(key, c.get("label", str, default_label) or default_label,
                                      document, width))
    if not columns:
        columns = [RegisterColumn(k, REGISTER_KEYS[k]) for k in DEFAULT_REGISTER_KEYS]
    return tuple(columns)


def _document_kind(d: _Reader, names: list[str]) -> tuple[str, str, tuple[str, ...], str, str]:
    """Code, kind, fields, hal and isi of a [[documents]] entry: the code must be a
    registered document kind, or the entry a generic letter (``kind = "surat_umum"``)
    listing intake fields and its hal."""
    from desktop_app.core.documents.kinds import kind_of
    from desktop_app.core.documents.kinds.generic import GENERIC_KIND

    code = d.get("code", str, nonempty=True)
    kind = d.get("kind", str, "")
    doc_fields = d.strings("fields")
    hal = d.get("hal", str, "")
    isi = d.get("isi", str, "")
    if not kind:
        if kind_of(code) is None:
            raise d.fail("code", f"'{code}' is not a known document kind; a letter of this SOP "
                                 f"needs kind = \"{GENERIC_KIND}\" with fields and hal")
        for key, value in (("fields", doc_fields), ("hal", hal), ("isi", isi)):
            if value:
                raise d.fail(key, f"only a kind = \"{GENERIC_KIND}\" letter has {key}")
        return code, kind, (), "", ""
    if kind != GENERIC_KIND:
        raise d.fail("kind", f"'{kind}' is not a document kind (only \"{GENERIC_KIND}\")")
    if kind_of(code) is not None:
        raise d.fail("code", f"'{code}' is a registered document kind, not a generic letter")
    if not doc_fields:
        raise d.fail("fields", "a generic letter lists the intake fields it prints")
    for name in doc_fields:
        if name not in names:
            raise d.fail("fields", f"'{name}' is not an intake field")
    if not hal.strip():
        raise d.fail("hal", "a generic letter needs its hal")
    for name in _placeholders(d, "isi", isi):
        if name not in names:
            raise d.fail("isi", f"'{{{name}}}' is not an intake field")
    return code, kind, doc_fields, hal, isi


def load_sop_file(path: Path) -> Sop:
    """Read and validate one SOP file."""
    sop = parse_sop_text(path.read_text(encoding="utf-8"), path.name)
    if sop.code != path.stem:
        raise SopError(f"{path.name}: field 'code': '{sop.code}' must match the file name")
    return sop


def load_sops(folder: Path | None = None) -> tuple[Sop, ...]:
    """Every SOP in ``folder`` (default: the bundled ``resources/sops``), in tab order."""
    if folder is None:
        return _bundled_sops()
    sops = [load_sop_file(p) for p in sorted(folder.glob("*.toml"))]
    return tuple(sorted(sops, key=lambda s: (s.order, s.code)))


SOP_DIRS_ENV = "DESKTOP_APP_SOP_DIRS"
"""Environment variable: extra folders of SOP files (``os.pathsep``-separated) the office
runs beside the bundled ``resources/sops`` (a new SOP as data, tests' fixture SOPs)."""


def sop_files() -> list[Path]:
    """The SOP files the program runs: the bundled ones, then those of :data:`SOP_DIRS_ENV`."""
    from desktop_app.resources import resource_path

    files = sorted(resource_path("sops").glob("*.toml"))
    for folder in filter(None, os.environ.get(SOP_DIRS_ENV, "").split(os.pathsep)):
        files.extend(sorted(Path(folder).glob("*.toml")))
    return files


def _bundled_sops() -> tuple[Sop, ...]:
    return _sops_from(os.environ.get(SOP_DIRS_ENV, ""))


@cache
def _sops_from(extra_dirs: str) -> tuple[Sop, ...]:
    from desktop_app.resources import resource_path

    found = list(load_sops(resource_path("sops")))
    for folder in filter(None, extra_dirs.split(os.pathsep)):
        path = Path(folder)
        if not path.is_dir():
            raise SopError(f"{SOP_DIRS_ENV}: folder '{folder}' does not exist")
        for sop in load_sops(path):
            if any(s.code == sop.code for s in found):
                raise SopError(f"{sop.code}.toml: field 'code': '{sop.code}' is already an SOP")
            found.append(sop)
    return tuple(sorted(found, key=lambda s: (s.order, s.code)))


def sop_by_code(code: str) -> Sop:
    """The bundled SOP with this code (``jht``, ``jakon``, ``phi``, ``pelatihan``, ``ak1``,
    ``paspor``)."""
    for sop in _bundled_sops():
        if sop.code == code:
            return sop
    raise KeyError(code)


def sops() -> tuple[Sop, ...]:
    """The SOPs the office runs, in tab order."""
    return load_sops()


def get_sop(code: str) -> Sop:
    try:
        return sop_by_code(code)
    except KeyError:
        raise NotFound(f"SOP '{code}' tidak dikenal.") from None
