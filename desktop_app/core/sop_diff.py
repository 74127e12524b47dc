"""What changed between two versions of an SOP: steps added, removed, reworded, re-timed or
moved to another lane, and the identity-sheet fields that differ.

Steps are paired by their activity text (the order of the chart kept), so a step inserted in
the middle shows as one added step, not as every later step changed.
"""

from __future__ import annotations

from dataclasses import dataclass
from difflib import SequenceMatcher

from desktop_app.core.sop import Sop, Step

ADDED = "ditambah"
REMOVED = "dihapus"
REWORDED = "diubah_kata"
RETIMED = "diubah_waktu"
MOVED = "pindah_jalur"
RE_KINDED = "diubah_jenis"
CHANGE_LABELS = {
    ADDED: "Langkah baru",
    REMOVED: "Langkah dihapus",
    REWORDED: "Kata diubah",
    RETIMED: "Waktu baku diubah",
    MOVED: "Pindah jalur",
    RE_KINDED: "Jenis langkah diubah",
}
_SIMILAR = 0.55  # activities this alike are the same step reworded


def _norm(text: str) -> str:
    return " ".join(text.casefold().split())


def align_steps(old: list[str], new: list[str]) -> list[tuple[int | None, int | None]]:
    """Pairs of 0-based indexes (old, new) in chart order; ``None`` where a step has no
    counterpart (added or removed)."""
    a, b = [_norm(t) for t in old], [_norm(t) for t in new]
    pairs: list[tuple[int | None, int | None]] = []
    for tag, i1, i2, j1, j2 in SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes():
        if tag == "equal":
            pairs += list(zip(range(i1, i2), range(j1, j2), strict=True))
            continue
        olds, news = list(range(i1, i2)), list(range(j1, j2))
        while olds or news:
            if olds and news and SequenceMatcher(a=a[olds[0]], b=b[news[0]]).ratio() >= _SIMILAR:
                pairs.append((olds.pop(0), news.pop(0)))
            elif olds and (not news or len(olds) >= len(news)):
                pairs.append((olds.pop(0), None))
            else:
                pairs.append((None, news.pop(0)))
    return pairs


@dataclass(frozen=True)
class StepChange:
    """One row of the side-by-side comparison."""

    old: Step | None
    new: Step | None
    changes: tuple[str, ...]  # codes above; empty = unchanged

    @property
    def label(self) -> str:
        return ", ".join(CHANGE_LABELS[c] for c in self.changes) or "Tetap"


@dataclass(frozen=True)
class SopDiff:
    steps: tuple[StepChange, ...]
    fields: tuple[tuple[str, str, str], ...]  # (label, old, new) of the identity sheet

    @property
    def changed(self) -> bool:
        return bool(self.fields) or any(s.changes for s in self.steps)

    def count(self, change: str) -> int:
        return sum(change in s.changes for s in self.steps)


_FIELDS = (
    ("number", "Nomor SOP"), ("name", "Nama SOP"), ("flow_title", "Judul bagan"),
    ("created", "Tanggal Pembuatan"), ("revised", "Tanggal Revisi"),
    ("effective", "Tanggal Efektif"), ("legal_basis", "Dasar Hukum"),
    ("qualifications", "Kualifikasi Pelaksana"), ("relations", "Keterkaitan"),
    ("equipment", "Peralatan/Perlengkapan"), ("warnings", "Peringatan"),
    ("records", "Pencatatan dan Pendataan"),
)


def _text(value: object) -> str:
    if isinstance(value, tuple):
        return "; ".join(str(v) for v in value)
    return "-" if value is None else str(value)


def compare(old: Sop, new: Sop) -> SopDiff:
    """``new`` (a draft) against ``old`` (the running version)."""
    rows = []
    for i, j in align_steps([s.activity for s in old.steps], [s.activity for s in new.steps]):
        a = old.steps[i] if i is not None else None
        b = new.steps[j] if j is not None else None
        if a is None or b is None:
            rows.append(StepChange(a, b, (ADDED,) if a is None else (REMOVED,)))
            continue
        changes = []
        if (_norm(a.activity), _norm(a.input), _norm(a.output)) != (
                _norm(b.activity), _norm(b.input), _norm(b.output)):
            changes.append(REWORDED)
        if a.time != b.time:
            changes.append(RETIMED)
        if old.lane(a.lane).name != new.lane(b.lane).name:
            changes.append(MOVED)
        if a.kind != b.kind:
            changes.append(RE_KINDED)
        rows.append(StepChange(a, b, tuple(changes)))
    fields = []
    for attr, label in _FIELDS:
        before, after = _text(getattr(old, attr)), _text(getattr(new, attr))
        if before != after:
            fields.append((label, before, after))
    old_lanes = [lane.name for lane in old.lanes]
    new_lanes = [lane.name for lane in new.lanes]
    if old_lanes != new_lanes:
        fields.append(("Jalur (Pelaksana)", ", ".join(old_lanes), ", ".join(new_lanes)))
    return SopDiff(tuple(rows), tuple(fields))
