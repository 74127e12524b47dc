"""The importer's knowledge of the office's words, read from ``resources/data/sop_import.toml``:
lane names and their roles and ranks, verbs that say who does a step, and common slips."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import cache

from desktop_app.core.roles import ROLE_LABELS


@dataclass(frozen=True)
class LaneWord:
    code: str
    name: str
    roles: tuple[str, ...]
    rank: int


@dataclass(frozen=True)
class Vocabulary:
    lanes: dict[str, LaneWord]  # key(name) -> lane
    verbs: tuple[tuple[str, str], ...]  # (opening words, "kepala" | "staf" | role)
    recipients: dict[str, str]  # words after "kepada" -> role
    slips: tuple[tuple[str, str], ...]  # (seed, fixed), in the order they are applied

    def lane(self, name: str) -> LaneWord | None:
        return self.lanes.get(name_key(name))


def name_key(name: str) -> str:
    """A lane name compared without spaces or case ("Pengadm inistrasi" = "Pengadministrasi")."""
    return re.sub(r"\s+", "", name).casefold()


@cache
def vocabulary() -> Vocabulary:
    """The bundled vocabulary (read once)."""
    from desktop_app.resources import resource_path

    with resource_path("data", "sop_import.toml").open("rb") as fh:
        data = tomllib.load(fh)
    lanes: dict[str, LaneWord] = {}
    for entry in data["lanes"]:
        roles = tuple(entry["roles"])
        unknown = [r for r in roles if r not in ROLE_LABELS]
        if unknown:
            raise ValueError(f"sop_import.toml: lane {entry['code']!r}: unknown role {unknown[0]}")
        word = LaneWord(entry["code"], entry["name"], roles, int(entry["rank"]))
        for name in entry["names"]:
            lanes[name_key(name)] = word
    verbs = tuple((start.casefold(), v["to"]) for v in data["verbs"] for start in v["starts"])
    slips = tuple((s["seed"], s["fixed"]) for s in data["slips"])
    return Vocabulary(lanes, verbs, dict(data["recipients"]), slips)


def _match_case(found: str, fixed: str) -> str:
    if found.isupper() and any(c.isalpha() for c in found):
        return fixed.upper()
    if found.islower():
        return fixed.lower() if fixed[:1].isupper() and not fixed.isupper() else fixed
    return fixed


def slip_pattern(seed: str) -> re.Pattern[str]:
    """A slip matched as whole words, case-insensitively (as the SOP files' corrections)."""
    return re.compile(rf"(?<!\w){re.escape(seed)}(?!\w)", re.IGNORECASE)


def fix_slips(text: str, slips: tuple[tuple[str, str], ...]) -> str:
    """``text`` with every slip replaced, keeping the case it was written in."""
    for seed, fixed in slips:
        text = slip_pattern(seed).sub(lambda m, f=fixed: _match_case(m.group(0), f), text)
    return text
