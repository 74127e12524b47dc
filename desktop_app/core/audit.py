"""The audit log: append-only and hash-chained, so that any edit or deletion shows.

Each event's hash covers its own content and the previous event's hash. Appending locks the
single ``audit_head`` row (``UPDATE ... RETURNING``) inside the caller's transaction, so two PCs
writing at once queue instead of forking the chain. The database also refuses UPDATE and
DELETE on the table (triggers, migration 0002).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import insert, select, update
from sqlalchemy.orm import Session

from desktop_app.core.errors import session_ended
from desktop_app.core.models import AuditEvent, AuditHead, User
from desktop_app.core.office_time import DEFAULT_ZONE, office_zone, to_utc

GENESIS = "0" * 64

#: Events written for an account that need not be active: logins and the refusals themselves.
_NO_ACCOUNT_CHECK = frozenset({"login", "login_gagal", "login_ditolak_terkunci", "izin_ditolak"})

INACTIVE_MESSAGE = ("Akun Anda telah dinonaktifkan oleh administrator. Pekerjaan ini tidak "
                    "disimpan. Silakan hubungi administrator.")
MUST_CHANGE_PASSWORD_MESSAGE = "Ganti kata sandi Anda terlebih dahulu."
LOCKED_MESSAGE = ("Akun Anda sedang dikunci (terlalu banyak salah kata sandi). Pekerjaan ini "
                  "tidak disimpan. Silakan masuk kembali setelah kunci berakhir.")


def check_account(session: Session, user_id: int, at: datetime) -> None:
    """Refuse (``SessionEnded``) unless the account is active, not locked and not waiting for a
    forced password change, as it is in the database now, inside the caller's transaction:
    what it writes is then rolled back."""
    row = session.connection().execute(
        select(User.is_active, User.locked_until, User.must_change_password)
        .where(User.id == user_id)).one_or_none()
    if row is None or not row.is_active:
        raise session_ended(INACTIVE_MESSAGE)
    if row.locked_until is not None and row.locked_until > at:
        raise session_ended(LOCKED_MESSAGE)
    if row.must_change_password:
        raise session_ended(MUST_CHANGE_PASSWORD_MESSAGE)


def _canonical(detail: dict[str, Any]) -> str:
    return json.dumps(detail, sort_keys=True, ensure_ascii=False, separators=(",", ":"),
                      default=str)


def _link_hash(prev_hash: str, seq: int, at: datetime, username: str, action: str, entity: str,
               entity_id: str, detail: str) -> str:
    # The moment is hashed as its WIB wall time (how the chain has always hashed it), so the
    # chain holds whichever zone the office later chooses.
    wib = to_utc(at).astimezone(office_zone(DEFAULT_ZONE)).replace(tzinfo=None)
    payload = "\x1f".join([prev_hash, str(seq), wib.isoformat(sep=" "), username, action,
                           entity, entity_id, detail])
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def record(session: Session, *, at: datetime, user_id: int | None, username: str, action: str,
           entity: str, entity_id: Any, detail: dict[str, Any] | None = None) -> AuditEvent:
    """Append one event to the chain within ``session``'s transaction (call it last).

    Returns a transient copy of the stored row (the row itself is written with a Core insert).
    """
    if user_id is not None and action not in _NO_ACCOUNT_CHECK:
        # Every service writes its audit event in its own transaction: the one place where a
        # deactivated or locked account's open session is stopped, whatever the service.
        check_account(session, user_id, at)
    # Taking the head row's lock first serialises appenders on every database. The statement
    # leaves ``hash`` alone, so RETURNING gives the previous link's hash.
    conn = session.connection()  # plain Core: no ORM bookkeeping on the hot path
    seq, prev_hash = conn.execute(
        update(AuditHead).where(AuditHead.id == 1).values(seq=AuditHead.seq + 1)
        .returning(AuditHead.seq, AuditHead.hash)
    ).one()
    text = _canonical(detail or {})
    digest = _link_hash(prev_hash, seq, at, username, action, entity, str(entity_id), text)
    values = dict(seq=seq, at=at, user_id=user_id, username=username, action=action,
                  entity=entity, entity_id=str(entity_id), detail=text, prev_hash=prev_hash,
                  hash=digest)
    conn.execute(insert(AuditEvent), [values])
    conn.execute(update(AuditHead).where(AuditHead.id == 1).values(hash=digest))
    event = AuditEvent(**values)
    return event


@dataclass(frozen=True)
class ChainReport:
    ok: bool
    checked: int
    first_broken_seq: int | None = None
    problem: str = ""

    def message(self) -> str:
        if self.ok:
            return f"Rantai audit utuh ({self.checked} catatan diperiksa)."
        return (f"Rantai audit RUSAK pada catatan #{self.first_broken_seq}: {self.problem} "
                f"({self.checked} catatan diperiksa).")


CHECKPOINT_GLOB = "titik-periksa-audit-*.json"


@dataclass(frozen=True)
class Checkpoint:
    """The chain's head at one moment, kept outside the database (beside the backups)."""

    seq: int
    hash: str
    at: str
    path: str = ""


def write_checkpoint(db: Any, folder: Any) -> Any:
    """Write the head of the chain (seq, hash, time) as a small JSON file into ``folder``
    (beside the backups, printable): whoever later rewrites or cuts the log inside the
    database cannot change the copies kept there. Returns the file's path."""
    from pathlib import Path

    with db.read() as s:
        head = s.get(AuditHead, 1)
        seq, digest = (head.seq, head.hash) if head is not None else (0, GENESIS)
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"titik-periksa-audit-{seq:09d}.json"
    path.write_text(json.dumps({"seq": seq, "hash": digest,
                                "at": db.now().isoformat(sep=" ")}, indent=1) + "\n",
                    encoding="utf-8")
    return path


def read_checkpoints(folder: Any) -> list[Checkpoint]:
    """The checkpoint files of ``folder`` (unreadable ones are skipped)."""
    from pathlib import Path

    found = []
    for path in sorted(Path(folder).glob(CHECKPOINT_GLOB)):
        try:
            raw = json.loads(path.read_text(encoding="utf-8"))
            found.append(Checkpoint(int(raw["seq"]), str(raw["hash"]), str(raw.get("at", "")),
                                    str(path)))
        except (OSError, ValueError, KeyError, TypeError):
            continue
    return found


def verify_chain(session: Session, batch: int = 5000,
                 checkpoints: Any = ()) -> ChainReport:
    """Walk the whole chain and report the first broken link, if any; with ``checkpoints``
    (:func:`read_checkpoints`) also a chain rewritten or cut since one of them."""
    marks = {c.seq: c for c in checkpoints if c.seq > 0}
    prev_hash = GENESIS
    expected_seq = 1
    checked = 0
    last_seq = 0
    stmt = select(AuditEvent).order_by(AuditEvent.seq).execution_options(yield_per=batch)
    for ev in session.scalars(stmt):
        checked += 1
        if ev.seq != expected_seq:
            return ChainReport(False, checked, expected_seq,
                               f"catatan #{expected_seq} hilang (berikutnya #{ev.seq})")
        if ev.prev_hash != prev_hash:
            return ChainReport(False, checked, ev.seq, "tautan ke catatan sebelumnya tidak cocok")
        digest = _link_hash(ev.prev_hash, ev.seq, ev.at, ev.username, ev.action, ev.entity,
                            ev.entity_id, ev.detail)
        if digest != ev.hash:
            return ChainReport(False, checked, ev.seq, "isi catatan telah diubah")
        mark = marks.get(ev.seq)
        if mark is not None and mark.hash != ev.hash:
            return ChainReport(False, checked, ev.seq,
                               f"log audit ditulis ulang sejak titik periksa {mark.at} "
                               f"({mark.path})")
        prev_hash = ev.hash
        expected_seq += 1
        last_seq = ev.seq
    head = session.get(AuditHead, 1)
    if head is not None and (head.seq != last_seq or head.hash != prev_hash):
        return ChainReport(False, checked, last_seq + 1,
                           "catatan terakhir hilang (kepala rantai tidak cocok)")
    beyond = [m for m in marks.values() if m.seq > last_seq]
    if beyond:
        mark = max(beyond, key=lambda m: m.seq)
        return ChainReport(False, checked, last_seq + 1,
                           f"log audit dipotong: titik periksa {mark.at} mencatat {mark.seq} "
                           f"catatan, kini tinggal {last_seq} ({mark.path})")
    return ChainReport(True, checked)
