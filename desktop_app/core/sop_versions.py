"""SOP versions: which text of an SOP each case runs on, drafts from an import, and activation.

Every case records the version it started on (``cases.sop_version_id``) and finishes on it; a
new version is for new cases only. The engine, documents and screens ask :func:`sop_of_case`
or :func:`sop_for_version`. Drafts come from the SOP importer or a BPMN import; an
administrator views a draft's SOP sheet ("Lihat SOP") and then activates it (audited). A text
the SOP loader refuses is never activated.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from threading import Lock

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from desktop_app.core import audit
from desktop_app.core.auth import Actor, require_roles
from desktop_app.core.db import Database
from desktop_app.core.errors import AppError, NotFound, ValidationError
from desktop_app.core.formatting import tanggal
from desktop_app.core.models import Case, SopVersion, User
from desktop_app.core.roles import ADMIN
from desktop_app.core.sop import Sop, SopError, content_hash, load_sop_file, parse_sop_text

DRAFT, ACTIVE, OLD = "draf", "aktif", "lama"
STATUS_LABELS = {DRAFT: "Draf", ACTIVE: "Aktif", OLD: "Versi lama"}
PROGRAM_SOURCE = "bawaan program"
_OPEN = ("proses", "dikembalikan")  # workflow.OPEN_STATUSES (workflow imports this module)

_parsed: dict[str, Sop] = {}
_parsed_lock = Lock()


def _require_admin(db: Database, actor: Actor | None, action: str, entity: str,
                   entity_id: object) -> None:
    """Administrators only; ``None`` is the command line (``desktop-app admin``), run by
    whoever holds the database's own credentials."""
    if actor is not None:
        require_roles(db, actor, (ADMIN,), action, entity, entity_id)


def _who(actor: Actor | None) -> tuple[int | None, str]:
    return (actor.user_id, actor.username) if actor else (None, "baris-perintah")


def _sop_from_text(text_hash: str, load_text) -> Sop:  # noqa: ANN001 - () -> str
    with _parsed_lock:
        sop = _parsed.get(text_hash)
    if sop is None:
        sop = parse_sop_text(load_text(), f"versi {text_hash[:8]}")
        with _parsed_lock:
            if len(_parsed) > 256:
                _parsed.clear()
            _parsed[text_hash] = sop
    return sop


def sop_for_version(s: Session, version_id: int) -> Sop:
    """The SOP as written in version ``version_id`` (parsed once per text)."""
    text_hash = s.scalar(select(SopVersion.content_hash).where(SopVersion.id == version_id))
    if text_hash is None:
        raise NotFound(f"Versi SOP {version_id} tidak ada.")
    return _sop_from_text(text_hash, lambda: s.scalar(
        select(SopVersion.toml_text).where(SopVersion.id == version_id)))


def sop_of_case(s: Session, case: Case) -> Sop:
    """The SOP version ``case`` runs on."""
    return sop_for_version(s, case.sop_version_id)


def active_version(s: Session, code: str) -> tuple[int, Sop]:
    """(version id, SOP) new cases of ``code`` start on."""
    row = s.execute(select(SopVersion.id, SopVersion.content_hash).where(
        SopVersion.sop_code == code, SopVersion.status == ACTIVE)).first()
    if row is None:
        raise NotFound(f"SOP '{code}' tidak dikenal.")
    return row.id, sop_for_version(s, row.id)


def active_sops(db: Database) -> tuple[Sop, ...]:
    """The SOPs new cases start on, in tab order."""
    with db.read() as s:
        ids = s.scalars(select(SopVersion.id).where(SopVersion.status == ACTIVE)).all()
        sops = [sop_for_version(s, i) for i in ids]
    return tuple(sorted(sops, key=lambda x: (x.order, x.code)))


# ---------------------------------------------------------------- the program's own files


def sync_program_versions(db: Database) -> list[str]:
    """Record the SOP files this program ships that the database does not know yet.

    A file whose SOP runs on a program version becomes the new active version (new cases
    only); where the office activated its own version, the file waits as a draft for the
    administrator. Returns what was done (Indonesian), for the log."""
    from desktop_app.core.sop import sop_files

    done = []
    files = sop_files()
    with db.read() as s:
        known = set(s.scalars(select(SopVersion.content_hash)))
    if all(content_hash(p.read_text(encoding="utf-8")) in known for p in files):
        return done
    now = db.now()
    with db.write() as s:
        for path in files:
            text = path.read_text(encoding="utf-8")
            text_hash = content_hash(text)
            if s.scalar(select(SopVersion.id).where(SopVersion.content_hash == text_hash)):
                continue
            sop = load_sop_file(path)
            active = s.scalars(select(SopVersion).where(
                SopVersion.sop_code == sop.code, SopVersion.status == ACTIVE)).first()
            row = SopVersion(sop_code=sop.code, status=DRAFT, number=sop.number,
                             revised=sop.revised, content_hash=text_hash, toml_text=text,
                             source=PROGRAM_SOURCE, created_at=now)
            if active is None or active.source == PROGRAM_SOURCE:
                _make_active(s, row, active, now, None)
                done.append(f"SOP {sop.code}: versi {row.version} dari program diaktifkan.")
            else:
                done.append(f"SOP {sop.code}: berkas program baru disimpan sebagai draf.")
            s.add(row)
            s.flush()
            audit.record(s, at=now, user_id=None, username="program",
                         action="sop.versi_program", entity="sop_version", entity_id=row.id,
                         detail={"sop": sop.code, "hash": text_hash, "status": row.status})
    return done


def _make_active(s: Session, row: SopVersion, active: SopVersion | None, now: datetime,
                 by: int | None) -> None:
    if active is not None:
        active.status = OLD
        s.flush()
    latest = s.scalar(select(func.max(SopVersion.version)).where(
        SopVersion.sop_code == row.sop_code)) or 0
    row.version, row.status = latest + 1, ACTIVE
    row.activated_at, row.activated_by_id = now, by


# ---------------------------------------------------------------- administrator's views


@dataclass(frozen=True)
class VersionRow:
    """One line of the administrator's list of versions."""

    id: int
    sop_code: str
    version: int | None
    status: str
    number: str
    revised: date | None
    content_hash: str
    source: str
    created_at: datetime
    activated_at: datetime | None
    activated_by: str
    viewed_at: datetime | None
    open_cases: int
    all_cases: int

    @property
    def label(self) -> str:
        return version_label(self.version, self.revised, self.content_hash)

    @property
    def status_label(self) -> str:
        return STATUS_LABELS.get(self.status, self.status)


def version_label(version: int | None, revised: date | None, text_hash: str) -> str:
    """How screens and documents name a version: "v2 · revisi 30 November 2026 · #1a2b3c4d"."""
    parts = [f"v{version}" if version else "draf"]
    parts.append(f"revisi {tanggal(revised)}" if revised else "tanpa revisi")
    parts.append(f"#{text_hash[:8]}")
    return " · ".join(parts)


def case_version_label(s: Session, version_id: int) -> str:
    row = s.execute(select(SopVersion.version, SopVersion.revised, SopVersion.content_hash)
                    .where(SopVersion.id == version_id)).one()
    return version_label(row.version, row.revised, row.content_hash)


def list_versions(db: Database, actor: Actor | None, code: str | None = None) -> list[VersionRow]:
    """Every version (and draft) of ``code`` or of all SOPs, newest first, with case counts."""
    _require_admin(db, actor, "sop.lihat_versi", "sop", code or "-")
    with db.read() as s:
        counts: dict[tuple[int, bool], int] = {}
        for r in s.execute(select(Case.sop_version_id, Case.status, func.count().label("n"))
                           .group_by(Case.sop_version_id, Case.status)):
            key = (r.sop_version_id, r.status in _OPEN)
            counts[key] = counts.get(key, 0) + r.n
        names = dict(s.execute(select(User.id, User.full_name)).all())
        q = select(SopVersion).order_by(SopVersion.sop_code, SopVersion.version.desc(),
                                        SopVersion.id.desc())
        if code:
            q = q.where(SopVersion.sop_code == code)
        rows = []
        for v in s.scalars(q):
            open_n = counts.get((v.id, True), 0)
            rows.append(VersionRow(
                v.id, v.sop_code, v.version, v.status, v.number, v.revised, v.content_hash,
                v.source, v.created_at, v.activated_at,
                names.get(v.activated_by_id, "program") if v.activated_at else "",
                v.viewed_at, open_n, open_n + counts.get((v.id, False), 0)))
    return rows


def version_text(db: Database, actor: Actor | None, version_id: int) -> str:
    _require_admin(db, actor, "sop.lihat_versi", "sop_version", version_id)
    with db.read() as s:
        text = s.scalar(select(SopVersion.toml_text).where(SopVersion.id == version_id))
    if text is None:
        raise NotFound(f"Versi SOP {version_id} tidak ada.")
    return text


# ---------------------------------------------------------------- drafts and activation


def save_draft(db: Database, actor: Actor | None, text: str, source: str,
               report: Sequence[str] = ()) -> int:
    """Keep an imported draft (checked by the loader first); nothing runs on it yet."""
    _require_admin(db, actor, "sop.simpan_draf", "sop", "-")
    try:
        sop = parse_sop_text(text, source)
    except SopError as exc:
        raise ValidationError({"draf": describe_sop_error(exc)}) from None
    now = db.now()
    with db.write() as s:
        row = SopVersion(sop_code=sop.code, status=DRAFT, number=sop.number,
                         revised=sop.revised, content_hash=content_hash(text), toml_text=text,
                         source=source[:255], report=list(report), created_at=now,
                         created_by_id=_who(actor)[0])
        s.add(row)
        s.flush()
        audit.record(s, at=now, user_id=_who(actor)[0], username=_who(actor)[1],
                     action="sop.simpan_draf", entity="sop_version", entity_id=row.id,
                     detail={"sop": sop.code, "hash": row.content_hash, "sumber": source})
        return row.id


def view_draft(db: Database, actor: Actor | None, version_id: int) -> Sop:
    """The draft's SOP for "Lihat SOP"; records that this administrator looked at it."""
    _require_admin(db, actor, "sop.lihat_draf", "sop_version", version_id)
    text = version_text(db, actor, version_id)
    try:
        sop = parse_sop_text(text, f"draf {version_id}")
    except SopError as exc:
        raise ValidationError({"draf": describe_sop_error(exc)}) from None
    with db.write() as s:
        s.execute(update(SopVersion).where(SopVersion.id == version_id,
                                           SopVersion.status == DRAFT)
                  .values(viewed_at=db.now(), viewed_by_id=_who(actor)[0]))
    return sop


def activate(db: Database, actor: Actor | None, version_id: int) -> int:
    """Make a viewed draft the version new cases start on; returns its version number.

    Cases already open stay on their version. Refused (nothing changes) when the draft was
    not viewed by this administrator, or when the SOP loader refuses its text."""
    _require_admin(db, actor, "sop.aktifkan", "sop_version", version_id)
    now = db.now()
    with db.write() as s:
        row = s.get(SopVersion, version_id, with_for_update=True)
        if row is None:
            raise NotFound(f"Versi SOP {version_id} tidak ada.")
        if row.status != DRAFT:
            raise AppError("Hanya draf yang dapat diaktifkan; versi ini sudah "
                           f"{STATUS_LABELS[row.status].lower()}.")
        if row.viewed_at is None or row.viewed_by_id != _who(actor)[0]:
            raise AppError("Buka 'Lihat SOP' draf ini dan periksa lembar SOP-nya sebelum "
                           "mengaktifkannya.")
        try:
            sop = parse_sop_text(row.toml_text, f"draf {version_id}")
        except SopError as exc:
            raise ValidationError({"draf": describe_sop_error(exc)}) from None
        if sop.code != row.sop_code:
            raise ValidationError({"draf": "Kode SOP draf berubah sejak disimpan."})
        active = s.scalars(select(SopVersion).where(
            SopVersion.sop_code == row.sop_code, SopVersion.status == ACTIVE)
            .with_for_update()).first()
        _make_active(s, row, active, now, _who(actor)[0])
        s.flush()
        audit.record(s, at=now, user_id=_who(actor)[0], username=_who(actor)[1],
                     action="sop.aktifkan", entity="sop_version", entity_id=row.id,
                     detail={"sop": row.sop_code, "versi": row.version,
                             "hash": row.content_hash,
                             "menggantikan": active.version if active else None})
        return row.version


def discard_draft(db: Database, actor: Actor | None, version_id: int) -> None:
    """Delete a draft nobody runs on."""
    _require_admin(db, actor, "sop.hapus_draf", "sop_version", version_id)
    with db.write() as s:
        row = s.get(SopVersion, version_id)
        if row is None or row.status != DRAFT:
            raise AppError("Hanya draf yang dapat dihapus.")
        s.delete(row)
        audit.record(s, at=db.now(), user_id=_who(actor)[0], username=_who(actor)[1],
                     action="sop.hapus_draf", entity="sop_version", entity_id=version_id,
                     detail={"sop": row.sop_code, "hash": row.content_hash})


def running_texts(db: Database) -> tuple[tuple[Sop, ...], dict[str, str]]:
    """The active SOPs and their TOML texts by code: what an import revises."""
    with db.read() as s:
        rows = s.execute(select(SopVersion.id, SopVersion.sop_code, SopVersion.toml_text)
                         .where(SopVersion.status == ACTIVE)).all()
        sops = tuple(sop_for_version(s, r.id) for r in rows)
    return sops, {r.sop_code: r.toml_text for r in rows}


# ---------------------------------------------------------------- loader messages


_PROBLEMS = (
    (r"is missing", "belum diisi"),
    (r"must not be empty", "tidak boleh kosong"),
    (r"is not a known field.*", "bukan isian yang dikenal (salah ketik?)"),
    (r"'(.+)' is not one of the lanes \((.+)\)", r"'\1' bukan salah satu jalur (\2)"),
    (r"'(.+)' is not a lane", r"'\1' bukan jalur"),
    (r"'(.+)' is not one of (.+)", r"'\1' bukan salah satu dari: \2"),
    (r"expected step number (\d+), found (\d+)", r"nomor langkah seharusnya \1, tertulis \2"),
    (r"step (\d+) does not exist", r"langkah \1 tidak ada"),
    # branches the engine would not perform (core/flow.branch_problems)
    (r"a '(\w+)' step takes no decision in the program.*",
     r"langkah jenis '\1' tidak mengambil keputusan; cabang hanya pada langkah check, "
     "approve atau bipartite"),
    (r"outcome '(.+)' appears twice", r"hasil '\1' tertulis dua kali"),
    (r"the program has one way on from an approval.*",
     "persetujuan hanya punya satu jalan lanjut; hasil lain sudah menuju langkah berikutnya"),
    (r"'(.+)', but step (\d+) is in lane '(.+)'", r"'\1', padahal langkah \2 ada di jalur '\3'"),
    (r"an approval needs one outcome that goes on.*",
     'persetujuan perlu satu hasil yang lanjut (goto = "next")'),
    (r"step (\d+) is this step; a branch cannot lead to itself",
     r"langkah \1 adalah langkah ini sendiri; cabang tidak boleh menuju dirinya"),
    (r"step (\d+) is the applicant's submission.*",
     r"langkah \1 adalah pengajuan pemohon; berkas tidak dapat dikirim ke sana (langkah "
     'pemeriksaan mengembalikan berkas dengan goto = "returned")'),
    (r"the program moves a complete file .*",
     'berkas lengkap diteruskan ke langkah berikutnya; goto harus "next"'),
    (r"the program returns an incomplete file .*",
     'berkas tidak lengkap dikembalikan ke pemohon; goto harus "returned"'),
    (r"the program closes the case on an agreement .*",
     'kesepakatan menutup berkas; goto harus "completed"'),
    (r"the program goes on after a dispute .*",
     'berkas yang masih berselisih berlanjut; goto harus "next" atau nomor langkah'),
    (r"there is no step after the last.*",
     "tidak ada langkah sesudah langkah terakhir; sebutkan nomor langkah tujuan"),
    (r"only a check step returns a file to the applicant.*",
     'hanya langkah pemeriksaan yang mengembalikan berkas ke pemohon ("returned")'),
    (r"an approval does not close the case before the last step.*",
     'persetujuan tidak menutup berkas sebelum langkah terakhir; goto harus "next" atau '
     "langkah sebelumnya"),
    (r"the program goes from an approval to the next step \((\d+)\), not to step (\d+)",
     r"setelah disetujui berkas menuju langkah berikutnya (\1), bukan langkah \2"),
    (r"must be (\w+), not (\w+)", r"harus berjenis \1, bukan \2"),
    (r"a NIP has 18 digits", "NIP harus 18 angka"),
    (r"a check step needs .*", "langkah pemeriksaan perlu cabang 'lengkap' dan 'tidak_lengkap'"),
    (r"a bipartite step needs .*", "langkah bipartit perlu cabang 'sepakat' dan 'berselisih'"),
    (r"the first step of a service SOP must be 'submit'",
     "langkah pertama SOP layanan harus 'submit' (pemohon mengajukan)"),
    (r"Waktu baku tidak dikenali: (.+)", r"waktu baku \1 tidak dikenali"),
    (r"not valid TOML: (.+)", r"bukan TOML yang sah (\1)"),
)


def describe_sop_error(exc: SopError) -> str:
    """The loader's message in Indonesian, naming the field: what an administrator reads."""
    text = str(exc)
    m = re.match(r"^(?P<src>[^:]+): field '(?P<field>[^']+)': (?P<problem>.+)$", text, re.S)
    field, problem = (m.group("field"), m.group("problem")) if m else ("", text.split(": ", 1)[-1])
    for pattern, words in _PROBLEMS:
        if re.fullmatch(pattern, problem, re.S):
            problem = re.sub(pattern, words, problem, flags=re.S)
            break
    else:
        problem = f"tidak sah ({problem})"
    return f"Isian '{field}': {problem}." if field else f"Draf SOP {problem}."


def version_sop(db: Database, version_id: int) -> Sop:
    """The SOP as written in version ``version_id``, for screens."""
    with db.read() as s:
        return sop_for_version(s, version_id)


def version_report(db: Database, actor: Actor | None, version_id: int) -> list[str]:
    """The import report kept with a draft."""
    _require_admin(db, actor, "sop.lihat_versi", "sop_version", version_id)
    with db.read() as s:
        report = s.scalar(select(SopVersion.report).where(SopVersion.id == version_id))
    return list(report or [])


def active_label(db: Database, code: str) -> str:
    """The label of the version new cases of ``code`` start on."""
    with db.read() as s:
        row = s.execute(select(SopVersion.version, SopVersion.revised, SopVersion.content_hash)
                        .where(SopVersion.sop_code == code, SopVersion.status == ACTIVE)).first()
    return version_label(row.version, row.revised, row.content_hash) if row else ""


def versions_in_use(db: Database) -> dict[int, tuple[Sop, str]]:
    """Every activated version: id -> (its SOP, short name "v2"), for lists of cases."""
    with db.read() as s:
        rows = s.execute(select(SopVersion.id, SopVersion.version).where(
            SopVersion.status != DRAFT)).all()
        return {r.id: (sop_for_version(s, r.id), f"v{r.version}") for r in rows}
