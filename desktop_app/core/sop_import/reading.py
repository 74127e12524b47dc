"""Reads a :class:`RawSop` the way a clerk reads the chart: identity, sections, lanes, and each
step's kind, lane and branches. Whatever the document does not say is proposed and recorded
as a :class:`Guess` naming the field, the proposal and the words it rests on."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from desktop_app.core.sop_import.document import ImportRefused, RawSop, RawStep
from desktop_app.core.sop_import.rows import strip_tags
from desktop_app.core.sop_import.vocabulary import (
    LaneWord,
    Vocabulary,
    fix_slips,
    name_key,
    slip_pattern,
)

MONTHS = {
    "januari": 1, "februari": 2, "maret": 3, "april": 4, "mei": 5, "juni": 6, "juli": 7,
    "agustus": 8, "september": 9, "oktober": 10, "november": 11, "desember": 12,
}


@dataclass(frozen=True)
class Guess:
    """A field the document does not state; the importer proposes ``value`` for a person to
    confirm. ``field`` is the draft file's path as the loader names it (``steps[2].lane``)."""

    field: str
    topic: str  # lane, kind, branches, mark, time, outside, warnings, requirements, correction
    value: str
    reason: str  # Indonesian, for the report
    step: int = 0
    evidence: tuple[str, ...] = ()  # the document's own words the reading rests on


@dataclass
class Reading:
    """What the document says, in the SOP file's terms, with the guesses made on the way."""

    data: dict[str, Any]
    lanes: list[LaneWord]
    guesses: list[Guess] = field(default_factory=list)
    corrections: list[tuple[str, str]] = field(default_factory=list)


def _date(text: str, label: str, source: str) -> date | str:
    text = text.strip()
    if text in ("", "-"):
        return "-"
    m = re.fullmatch(r"(\d{1,2})\s+([A-Za-z]+)\s+(\d{4})", text)
    if not m or m.group(2).casefold() not in MONTHS:
        raise ImportRefused(f"{source}: '{label}' tidak terbaca sebagai tanggal ('{text}'); "
                            "tulis seperti '23 Januari 2024'.")
    return date(int(m.group(3)), MONTHS[m.group(2).casefold()], int(m.group(1)))


def _approver(text: str) -> dict[str, str]:
    nip = re.search(r"NIP\.?\s*:?\s*(\d[\d ]{16,22}\d)", text)
    rank = re.search(r"(Pembina|Penata|Pengatur|Juru)[A-Za-z ]*/\s*[IV]+\s*\.?\s*[a-eA-E]", text)
    cut = min(m.start() for m in (nip, rank) if m) if (nip or rank) else len(text)
    return {"name": text[:cut].strip(" ,"), "rank": rank.group(0).strip() if rank else "",
            "nip": re.sub(r"\s", "", nip.group(1)) if nip else ""}


def items(cell: str) -> list[str]:
    """A section cell as a list: paragraphs, list items and numbered entries ("1. …")."""
    text = re.sub(r"</?(p|li|ol|ul|br)\b[^>]*>", "\n", cell, flags=re.I)
    out = []
    for line in text.split("\n"):
        for piece in re.split(r"(?:^|\s)\d{1,2}\.\s+", strip_tags(line)):
            piece = tidy(piece)
            if piece:
                out.append(piece)
    return out


def tidy(text: str) -> str:
    """Whitespace made single, no space before punctuation (Word extraction leaves both)."""
    return re.sub(r"\s+([,.;])", r"\1", " ".join(text.split()))


_WARNING_START = re.compile(r"(?<=[a-z]) (?=(?:Apabila|Jika|Bila|Bagi) )")


class _Reader:
    def __init__(self, raw: RawSop, vocab: Vocabulary) -> None:
        self.raw = raw
        self.vocab = vocab
        self.guesses: list[Guess] = []
        self.corrections: list[tuple[str, str]] = []

    def guess(self, *args: Any, **kwargs: Any) -> None:
        self.guesses.append(Guess(*args, **kwargs))

    # -------------------------------------------------------------- slips and lanes

    def find_slips(self) -> tuple[tuple[str, str], ...]:
        raw = self.raw
        texts = [raw.name, raw.flow_title, *raw.sections.values(), *raw.outside]
        for s in raw.steps:
            texts += [s.activity, s.input, s.output, s.note, *s.marks.values()]
        whole = "\n".join(strip_tags(t) for t in texts)
        found = tuple((a, b) for a, b in self.vocab.slips if slip_pattern(a).search(whole))
        self.corrections.extend(found)
        return found

    def lanes(self) -> list[LaneWord]:
        lanes: list[LaneWord] = []
        for raw_name in self.raw.lanes:
            word = self.vocab.lane(raw_name)
            if word is None:
                code = re.sub(r"[^a-z0-9]+", "_", raw_name.casefold()).strip("_") or "jalur"
                word = LaneWord(code, tidy(raw_name), ("staf",), 2)
                self.guess(f"lanes[{len(lanes)}].roles", "lane_roles", "staf",
                           f"Jalur '{raw_name}' tidak dikenal; diusulkan peran Staf.",
                           evidence=(raw_name,))
            elif tidy(raw_name).casefold() != word.name.casefold() \
                    and name_key(raw_name) == name_key(word.name):
                self.corrections.append((tidy(raw_name), word.name))
            if any(lane.code == word.code for lane in lanes):
                word = LaneWord(f"{word.code}_{len(lanes) + 1}", word.name, word.roles, word.rank)
            lanes.append(word)
        return lanes


def read(raw: RawSop, vocab: Vocabulary) -> Reading:
    """The document read into SOP-file terms, every proposal listed as a guess."""
    from desktop_app.core.sop_import.steps import read_steps

    r = _Reader(raw, vocab)
    slips = r.find_slips()
    lanes = r.lanes()

    def fix(text: str) -> str:
        return tidy(fix_slips(strip_tags(text), slips))

    sections = {}
    for attr in ("legal_basis", "qualifications", "relations", "equipment", "warnings",
                 "records"):
        values = [fix_slips(v, slips) for v in items(raw.sections.get(attr, ""))]
        if attr == "warnings":
            split = [p for v in values for p in _WARNING_START.split(v)]
            if len(split) > len(values):
                r.guess("warnings", "warnings", f"{len(split)} butir",
                        "Peringatan ditulis dalam satu paragraf; dipecah per kalimat syarat "
                        "('Apabila', 'Jika').", evidence=("peringatan",))
            values = split
        sections[attr] = values
    data: dict[str, Any] = {
        "number": fix(raw.number),
        "name": fix(raw.name),
        "flow_title": fix(raw.flow_title),
        "created": _date(raw.created, "Tanggal Pembuatan", raw.source),
        "revised": _date(raw.revised, "Tanggal Revisi", raw.source),
        "effective": _date(raw.effective, "Tanggal Efektif", raw.source),
        "approved_by": _approver(strip_tags(raw.approver)),
        **sections,
        "lanes": [{"code": w.code, "name": w.name, "roles": list(w.roles)} for w in lanes],
        "steps": read_steps(r, lanes, fix),
    }
    if data["created"] == "-" or data["effective"] == "-":
        raise ImportRefused(f"{raw.source}: Tanggal Pembuatan dan Tanggal Efektif wajib diisi.")
    for text in raw.outside:
        r.guess("lanes", "outside", "bukan jalur",
                f"Teks di luar tabel alur ('{tidy(text)}') dibaca sebagai pihak luar (tujuan "
                "surat), bukan jalur pelaksana.", evidence=(tidy(text),))
    return Reading(data, lanes, r.guesses, r.corrections)


def raw_step_marks(step: RawStep) -> list[str]:
    return [step.marks[k] for k in sorted(step.marks)]
