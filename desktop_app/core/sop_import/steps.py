"""Each step of the chart read into the SOP file's terms: its kind (the symbol a capsule, box
or diamond stood for), its lane, and the branches of a decision. The chart's shapes are what
an extraction loses, so every kind and lane is a guess with its reason."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from desktop_app.core.office_calendar import StandardTime
from desktop_app.core.sop_import.document import ImportRefused, RawStep
from desktop_app.core.sop_import.vocabulary import LaneWord

if TYPE_CHECKING:
    from desktop_app.core.sop_import.reading import _Reader

_PARAF = re.compile(r"\bparaf\b|\bmemaraf|\bdiparaf", re.I)
_SIGN = re.compile(r"penandatanganan|menandatangani|\btanda tangan", re.I)
_APPROVE = re.compile(r"menyetujui|persetujuan", re.I)
_STAFF_ROLES = ("staf", "pengadministrasi", "jfu")


def _mark_kinds(step: RawStep) -> set[str]:
    words = {" ".join(m.casefold().split()) for m in step.marks.values()}
    found = set()
    if "tidak lengkap" in words and "lengkap" in words:
        found.add("check")
    if any("bipart" in w for w in words):
        found.add("bipartite")
    return found


def step_kind(step: RawStep, activity: str, index: int, count: int,
              has_applicant: bool) -> tuple[str, str]:
    """The kind of step ``index`` (0-based) of ``count`` doing ``activity`` (slips fixed),
    and why."""
    marks = _mark_kinds(step)
    if index == 0 and has_applicant:
        return "submit", "langkah pertama dengan jalur Pemohon: pemohon mengajukan berkas"
    if "check" in marks:
        return "check", "'tidak lengkap' dan 'lengkap' tertulis di kolom jalur: belah ketupat"
    if "bipartite" in marks:
        return "bipartite", "tulisan 'bipart' di kolom jalur: perundingan bipartit berulang"
    if index == count - 1:
        return "handover", "langkah terakhir: hasil diserahkan atau diterima"
    if _PARAF.search(activity):
        return "paraf", "kegiatan menyebut paraf"
    if _SIGN.search(activity):
        return "sign", "kegiatan menyebut penandatanganan"
    if _APPROVE.search(activity):
        return "approve", "kegiatan menyebut persetujuan"
    return "work", "kotak proses"


class _Lanes:
    """Who stands where, to propose a lane for a step by its kind and words."""

    def __init__(self, lanes: list[LaneWord], recipients: dict[str, str],
                 verbs: tuple[tuple[str, str], ...]) -> None:
        self.lanes = lanes
        self.recipients = recipients
        self.verbs = verbs
        office = [w for w in lanes if w.roles]
        self.applicant = next((w for w in lanes if not w.roles), None)
        self.top = max(office, key=lambda w: w.rank) if office else lanes[0]
        heads = sorted((w for w in office if 3 <= w.rank < self.top.rank),
                       key=lambda w: -w.rank)
        self.head = heads[0] if heads else self.top
        self.counter = next((w for w in office if "petugas_penerima" in w.roles),
                            office[0] if office else lanes[0])
        self.staff = next((w for role in _STAFF_ROLES for w in office if role in w.roles),
                          office[0] if office else lanes[0])

    def with_role(self, role: str) -> LaneWord | None:
        if role == "kepala":
            return self.head
        if role == "staf":
            return self.staff
        return next((w for w in self.lanes if role in w.roles), None)

    def recipient(self, activity: str) -> LaneWord | None:
        m = re.search(r"\bkepada\s+(.+)$", activity, re.I)
        if not m:
            return None
        words = m.group(1).casefold()
        for phrase, role in self.recipients.items():
            if words.startswith(phrase):
                return self.with_role(role)
        return None

    def by_verb(self, activity: str) -> LaneWord | None:
        text = " ".join(activity.casefold().split())
        for start, role in self.verbs:
            if text.startswith(start):
                return self.with_role(role)
        return None


def _lane_for(kind: str, i: int, raws: list[RawStep], out: list[dict[str, Any]],
              lanes: _Lanes, col: list[LaneWord]) -> tuple[LaneWord, str]:
    if kind == "submit" and lanes.applicant:
        return lanes.applicant, "pemohon mengajukan"
    if kind == "check":
        return lanes.counter, "pemeriksaan kelengkapan di loket"
    if kind == "sign":
        return lanes.top, "penandatangan: jalur tertinggi"
    if kind in ("paraf", "approve"):
        return lanes.head, "paraf/persetujuan: kepala di bawah penandatangan"
    if kind == "handover":
        admin = lanes.with_role("pengadministrasi")
        return (admin, "penyerahan oleh pengadministrasi") if admin else (
            lanes.top, "hasil diterima pimpinan")
    prev = out[i - 1] if i else None
    if prev and (target := lanes.recipient(raws[i - 1].activity)):
        return target, "langkah sebelumnya menyerahkan berkas 'kepada' jalur ini"
    if prev and prev["kind"] in ("check", "bipartite"):
        forward = next((col[k] for k, m in raws[i - 1].marks.items()
                        if m.casefold().strip() == "lengkap"), None)
        if prev["kind"] == "bipartite":
            forward = next(w for w in lanes.lanes if w.code == prev["lane"])
        if forward is not None:
            if forward is lanes.head and any(
                    _PARAF.search(s.activity) for s in raws[i + 1:]):
                return lanes.staff, ("'lengkap' di kolom kepala yang memaraf; pekerjaan ini "
                                     "dikerjakan staf (kepala tidak memaraf hasil kerjanya)")
            return forward, "panah keluar keputusan menuju jalur ini"
    if (by_verb := lanes.by_verb(raws[i].activity)) is not None:
        return by_verb, "kata kerja kegiatan"
    if i == 0:
        return lanes.lanes[0], "langkah pertama: jalur pertama"
    previous = next(w for w in lanes.lanes if w.code == out[i - 1]["lane"])
    if previous.rank == 2:
        return previous, "melanjutkan jalur langkah sebelumnya"
    return lanes.staff, "pekerjaan staf"


def _branches(kind: str, i: int, raws: list[RawStep], out: list[dict[str, Any]],
              lanes: _Lanes, fix: Callable[[str], str]) -> list[dict[str, Any]]:
    if kind == "check":
        back = lanes.applicant or lanes.lanes[0]
        return [{"outcome": "lengkap", "label": "Lengkap", "goto": "next"},
                {"outcome": "tidak_lengkap", "label": "Tidak lengkap", "goto": "returned",
                 "lane": back.code}]
    if kind == "bipartite":
        nxt = raws[i + 1] if i + 1 < len(raws) else None
        label = next((fix(m) for m in (nxt.marks.values() if nxt else ())
                      if "berselisih" in m.casefold()), "Masih berselisih")
        return [{"outcome": "sepakat", "label": "Sepakat (Perjanjian Bersama)",
                 "goto": "completed"},
                {"outcome": "berselisih", "label": label[:1].upper() + label[1:],
                 "goto": "next"}]
    # "perbaikan" goes back to the step before, unless that is the applicant's submission
    # (the engine sends a case back only to an office step; core/flow.branch_problems)
    if kind == "approve" and i > 0 and not (i == 1 and out[0]["kind"] == "submit"):
        return [{"outcome": "disetujui", "label": "Disetujui", "goto": "next"},
                {"outcome": "perbaikan", "label": "Perlu perbaikan", "goto": str(i),
                 "lane": out[i - 1]["lane"]}]
    return []


def read_steps(r: _Reader, lanes: list[LaneWord], fix: Callable[[str], str]) -> list[dict]:
    """The steps of ``r.raw`` as SOP-file tables, with their guesses recorded on ``r``."""
    raws = r.raw.steps
    who = _Lanes(lanes, r.vocab.recipients, r.vocab.verbs)
    out: list[dict[str, Any]] = []
    for i, raw in enumerate(raws):
        where = f"steps[{i}]"
        try:
            StandardTime.parse(raw.time)
        except ValueError:
            raise ImportRefused(f"{r.raw.source}: langkah {raw.no}: waktu '{raw.time}' tidak "
                                "dikenali.") from None
        kind, why_kind = step_kind(raw, fix(raw.activity), i, len(raws),
                                   who.applicant is not None)
        step: dict[str, Any] = {"no": raw.no, "lane": "", "kind": kind,
                                "activity": fix(raw.activity), "input": fix(raw.input),
                                "time": " ".join(raw.time.split()), "output": fix(raw.output)}
        if raw.note:
            step["note"] = fix(raw.note)
        lane, why_lane = _lane_for(kind, i, raws, out, who, lanes)
        step["lane"] = lane.code
        out.append(step)
        r.guess(f"{where}.kind", "kind", kind, f"Langkah {raw.no}: {why_kind}.", step=raw.no)
        r.guess(f"{where}.lane", "lane", lane.name, f"Langkah {raw.no}: {why_lane}.",
                step=raw.no)
        if re.search(r"hari|minggu", raw.time, re.I):
            r.guess(f"{where}.time", "time", str(StandardTime.parse(raw.time)),
                    f"Waktu '{raw.time}' dibaca sebagai {StandardTime.parse(raw.time)}.",
                    step=raw.no, evidence=(" ".join(raw.time.split()),))
        for k, mark in sorted(raw.marks.items()):
            if mark.casefold().strip() not in ("lengkap", "tidak lengkap"):
                r.guess(f"{where}.branches", "mark", fix(mark),
                        f"Tulisan '{mark}' di kolom {lanes[k].name} dibaca sebagai label "
                        "panah, bukan penanda jalur.", step=raw.no, evidence=(mark,))
    for i, step in enumerate(out):
        branches = _branches(step["kind"], i, raws, out, who, fix)
        for b in branches:
            if b["goto"] == "next" and i + 1 < len(out):
                b["lane"] = out[i + 1]["lane"]
        if branches:
            step["branches"] = branches
            r.guess(f"steps[{i}].branches", "branches",
                    ", ".join(f"{b['label']} → {b['goto']}" for b in branches),
                    f"Langkah {step['no']}: tujuan panah keluar keputusan.", step=step["no"])
    return out
