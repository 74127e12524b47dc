"""Writes a draft SOP as a TOML file laid out like the shipped ones, each guessed field carrying
a ``# TEBAKAN`` comment so a person reading the file sees what to confirm."""

from __future__ import annotations

import re
from typing import Any

import tomlkit
from tomlkit.items import Table

from desktop_app.core.sop_import.reading import Guess

_TOP = ("code", "order", "tab_label", "number", "name", "flow_title", "alternate_names",
        "created", "revised", "effective", "subject", "register_name", "register_prefix",
        "signer_lane", "legal_basis", "qualifications", "relations", "equipment", "warnings",
        "records", "reading_notes", "corrections", "lanes")
_TABLES = ("steps", "requirements", "fields", "documents")
_STEP_KEYS = ("no", "lane", "kind", "activity", "input", "time", "output", "note", "branches",
              "requires_fields", "documents")


def _array(values: list[Any]) -> Any:
    arr = tomlkit.array()
    for v in values:
        arr.append(_inline(v) if isinstance(v, dict) else v)
    if values and (isinstance(values[0], dict) or len(values) > 2
                   or sum(len(str(v)) for v in values) > 60):
        arr.multiline(True)
    return arr


def _inline(table: dict[str, Any]) -> Any:
    out = tomlkit.inline_table()
    for k, v in table.items():
        out[k] = _array(v) if isinstance(v, list) else v
    return out


def _table(data: dict[str, Any], order: tuple[str, ...] = ()) -> Table:
    t = tomlkit.table()
    keys = [k for k in order if k in data] + [k for k in data if k not in order]
    for k in keys:
        v = data[k]
        if isinstance(v, list):
            t[k] = _array(v)
        elif isinstance(v, dict):
            t[k] = _inline(v)
        else:
            t[k] = v
    return t


def _comment(text: str) -> str:
    return "TEBAKAN: " + " ".join(text.split())


def write_sop_toml(data: dict[str, Any], guesses: list[Guess], header: list[str]) -> str:
    """The draft ``data`` as TOML text; ``header`` lines become the file's opening comment."""
    doc = tomlkit.document()
    for line in header:
        doc.add(tomlkit.comment(line))
    doc.add(tomlkit.nl())
    by_field: dict[str, list[Guess]] = {}
    for g in guesses:
        by_field.setdefault(g.field, []).append(g)
    for key in _TOP:
        if key in data:
            value = data[key]
            doc[key] = _array(value) if isinstance(value, list) else value
            if key in by_field:
                doc[key].comment(_comment(by_field[key][0].reason))
    doc["approved_by"] = _table(data["approved_by"], ("name", "rank", "nip", "position"))
    for name in _TABLES:
        rows = data.get(name) or []
        if not rows:
            continue
        aot = tomlkit.aot()
        for i, row in enumerate(rows):
            t = _table(row, _STEP_KEYS if name == "steps" else ())
            for k in list(t.keys()):
                notes = by_field.get(f"{name}[{i}].{k}")
                if notes:
                    t[k].comment(_comment("; ".join(g.reason for g in notes)))
            aot.append(t)
        doc[name] = aot
    text = tomlkit.dumps(doc)
    return re.sub(r"\n{3,}", "\n\n", text)
