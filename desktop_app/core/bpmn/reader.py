"""Reads a BPMN 2.0 diagram (one pool, lanes, tasks, exclusive gateways; for example an SOP
drawn in a free BPMN editor, or one this program exported) into a draft SOP, the same way an
SOP document is read: what the diagram does not say is proposed and listed as a guess."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from desktop_app.core.office_calendar import StandardTime
from desktop_app.core.sop import Sop
from desktop_app.core.sop_import.document import ImportRefused, RawStep
from desktop_app.core.sop_import.draft import ImportResult, assemble
from desktop_app.core.sop_import.reading import Guess, Reading, tidy
from desktop_app.core.sop_import.steps import step_kind
from desktop_app.core.sop_import.vocabulary import vocabulary

MODEL = "http://www.omg.org/spec/BPMN/20100524/MODEL"
TASKS = {"task", "userTask", "manualTask", "serviceTask", "sendTask", "receiveTask",
         "scriptTask", "businessRuleTask"}
UNSUPPORTED = {
    "parallelGateway": "gerbang paralel (+)", "inclusiveGateway": "gerbang inklusif (O)",
    "eventBasedGateway": "gerbang berbasis kejadian", "complexGateway": "gerbang kompleks",
    "subProcess": "sub-proses", "adHocSubProcess": "sub-proses ad hoc",
    "transaction": "transaksi", "callActivity": "pemanggilan proses lain",
    "boundaryEvent": "kejadian batas", "intermediateCatchEvent": "kejadian antara",
    "intermediateThrowEvent": "kejadian antara",
}
MAX_BYTES = 5 * 1024 * 1024
_LABELS = {"Nomor SOP": "number", "Nama SOP": "name", "Judul bagan": "flow_title",
           "Tanggal Pembuatan": "created", "Tanggal Revisi": "revised",
           "Tanggal Efektif": "effective", "Disahkan Oleh": "approved_by"}
_SECTIONS = {"Dasar Hukum": "legal_basis", "Kualifikasi Pelaksana": "qualifications",
             "Keterkaitan": "relations", "Peralatan/Perlengkapan": "equipment",
             "Peringatan": "warnings", "Pencatatan dan Pendataan": "records"}
_REQUIRED_SECTIONS = ("legal_basis", "qualifications", "warnings")


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _doc(el: ET.Element) -> str:
    return "\n".join((d.text or "") for d in el.findall(f"{{{MODEL}}}documentation"))


@dataclass
class _Graph:
    nodes: dict[str, ET.Element]
    lane_of: dict[str, str]  # node id -> lane code
    out: dict[str, list[ET.Element]] = field(default_factory=dict)

    def kind(self, node_id: str) -> str:
        return _local(self.nodes[node_id].tag)

    def name(self, node_id: str) -> str:
        return tidy(self.nodes[node_id].get("name") or "")


def _parse(data: bytes, name: str) -> ET.Element:
    if len(data) > MAX_BYTES:
        raise ImportRefused(f"{name}: berkas BPMN lebih dari 5 MB.")
    if b"<!DOCTYPE" in data[:2000] or b"<!ENTITY" in data:
        raise ImportRefused(f"{name}: berkas memuat deklarasi DOCTYPE/ENTITY; bukan BPMN biasa.")
    try:
        root = ET.fromstring(data)
    except ET.ParseError as exc:
        raise ImportRefused(f"{name}: bukan XML yang sah (baris {exc.position[0]}).") from None
    if root.tag != f"{{{MODEL}}}definitions":
        raise ImportRefused(f"{name}: bukan berkas BPMN 2.0 (elemen akarnya bukan "
                            "bpmn:definitions).")
    return root


def _the_process(root: ET.Element, name: str) -> ET.Element:
    processes = [p for p in root.findall(f"{{{MODEL}}}process")
                 if any(_local(c.tag) in TASKS for c in p)]
    if len(processes) != 1:
        raise ImportRefused(f"{name}: diagram berisi {len(processes)} pool berisi tugas; satu "
                            "draf SOP dibaca dari tepat satu pool.")
    process = processes[0]
    for el in process.iter():
        label = UNSUPPORTED.get(_local(el.tag))
        if label:
            what = el.get("name") or el.get("id")
            raise ImportRefused(
                f"{name}: diagram memakai {label} ('{what}') yang tidak dapat dijalankan "
                "program: langkah SOP berjalan satu per satu dan setiap keputusan memilih satu "
                "jalan. Ganti dengan gerbang eksklusif (X) atau langkah berurutan, lalu impor "
                "lagi. Tidak ada yang diaktifkan.")
    return process


def _lanes(process: ET.Element, reading: Reading) -> tuple[list[dict], dict[str, str]]:
    vocab = vocabulary()
    lanes: list[dict] = []
    lane_of: dict[str, str] = {}
    leaves = [lane for lane in process.iter(f"{{{MODEL}}}lane")
              if lane.find(f"{{{MODEL}}}childLaneSet") is None]
    if not leaves:
        raise ImportRefused("diagram tidak memiliki jalur (lane); setiap langkah SOP harus "
                            "berada di jalur pelaksananya.")
    for i, el in enumerate(leaves):
        lane_name = tidy(el.get("name") or "")
        if not lane_name:
            raise ImportRefused(f"jalur ke-{i + 1} ('{el.get('id')}') tidak bernama.")
        m = re.search(r"Peran:\s*(.+)", _doc(el))
        word = vocab.lane(lane_name)
        if m:
            roles = [] if m.group(1).strip() == "pemohon" else [
                r.strip() for r in m.group(1).split(",") if r.strip()]
        elif word:
            roles = list(word.roles)
        else:
            roles = ["staf"]
            reading.guesses.append(Guess(f"lanes[{i}].roles", "lane_roles", "staf",
                                         f"Jalur '{lane_name}' tidak dikenal; diusulkan peran "
                                         "Staf.", evidence=(lane_name,)))
        code = word.code if word else re.sub(r"[^a-z0-9]+", "_", lane_name.casefold()).strip("_")
        if any(lane["code"] == code for lane in lanes):
            code = f"{code}_{i + 1}"
        lanes.append({"code": code, "name": word.name if word else lane_name, "roles": roles})
        for ref in el.findall(f"{{{MODEL}}}flowNodeRef"):
            lane_of[(ref.text or "").strip()] = code
    return lanes, lane_of


def _identity(process: ET.Element, reading: Reading, title: str) -> list[str]:
    """Identity sheet from the process documentation; returns the keys it lacked."""
    text = _doc(process)
    data = reading.data
    section = None
    for line in text.splitlines():
        line = line.strip()
        head, _, value = line.partition(":")
        if head in _LABELS and value.strip():
            data[_LABELS[head]] = value.strip()
            section = None
        elif head in _SECTIONS and not value.strip():
            section = _SECTIONS[head]
            data[section] = []
        elif section and line.startswith("- "):
            data[section].append(line[2:].strip())
    for key in ("created", "revised", "effective"):
        if key in data and data[key] != "-":
            try:
                data[key] = date.fromisoformat(data[key])
            except ValueError:
                raise ImportRefused(f"'{key}' di dokumentasi proses bukan tanggal "
                                    "(YYYY-MM-DD).") from None
    if isinstance(data.get("approved_by"), str):
        parts = [p.strip() for p in data["approved_by"].split("|")]
        data["approved_by"] = {"name": parts[0], "rank": parts[1] if len(parts) > 1 else "",
                               "nip": re.sub(r"\D", "", parts[2]) if len(parts) > 2 else ""}
    missing = [k for k in ("number", "name", "created", "effective", "approved_by",
                           *_REQUIRED_SECTIONS) if k not in data]
    data.setdefault("name", title.upper())
    data.setdefault("flow_title", data["name"])
    data.setdefault("number", "-")
    data.setdefault("created", date.today())
    data.setdefault("revised", "-")
    data.setdefault("effective", data["created"])
    for key in _SECTIONS.values():
        data.setdefault(key, ["-"] if key in _REQUIRED_SECTIONS else [])
    for key in missing:
        reading.guesses.append(Guess(key, "identity", str(data.get(key, "")),
                                     f"'{key}' tidak tertulis di diagram; lengkapi."))
    return missing


def _graph(process: ET.Element, lane_of: dict[str, str], name: str) -> _Graph:
    nodes = {el.get("id", ""): el for el in process
             if _local(el.tag) in TASKS | {"exclusiveGateway", "startEvent", "endEvent"}}
    g = _Graph(nodes, lane_of)
    for flow in process.findall(f"{{{MODEL}}}sequenceFlow"):
        src, tgt = flow.get("sourceRef", ""), flow.get("targetRef", "")
        if src in nodes and tgt in nodes:
            g.out.setdefault(src, []).append(flow)
    for node_id in nodes:
        if g.kind(node_id) in TASKS and node_id not in lane_of:
            raise ImportRefused(f"{name}: tugas '{g.name(node_id) or node_id}' tidak berada di "
                                "jalur mana pun.")
    return g


def _through(g: _Graph, node_id: str) -> str:
    """Past joining gateways (one way out) to the next task, decision or end event."""
    seen = set()
    while g.kind(node_id) == "exclusiveGateway" and len(g.out.get(node_id, [])) == 1:
        if node_id in seen:
            raise ImportRefused("diagram berputar tanpa langkah.")
        seen.add(node_id)
        node_id = g.out[node_id][0].get("targetRef", "")
    return node_id


def _order(g: _Graph, name: str) -> list[str]:
    starts = [n for n in g.nodes if g.kind(n) == "startEvent"]
    if len(starts) != 1:
        raise ImportRefused(f"{name}: diagram harus punya tepat satu kejadian mulai (ada "
                            f"{len(starts)}).")
    order: list[str] = []
    stack = [_through(g, g.out[starts[0]][0].get("targetRef", ""))] if g.out.get(
        starts[0]) else []
    while stack:
        node = stack.pop()
        if node in order or g.kind(node) == "endEvent":
            continue
        if g.kind(node) == "exclusiveGateway":
            stack += [_through(g, f.get("targetRef", "")) for f in reversed(g.out[node])]
            continue
        order.append(node)
        stack += [_through(g, f.get("targetRef", "")) for f in reversed(g.out.get(node, []))]
    if not order:
        raise ImportRefused(f"{name}: tidak ada tugas yang tersambung dari kejadian mulai.")
    return order


def _doc_value(text: str, label: str) -> str:
    m = re.search(rf"^{label}:\s*(.+)$", text, re.M)
    return m.group(1).strip() if m else ""


def _outcome(flow: ET.Element) -> str:
    cond = flow.find(f"{{{MODEL}}}conditionExpression")
    m = re.search(r"hasil\s*=\s*['\"]([a-z_0-9]+)['\"]", cond.text or "") if cond is not None \
        else None
    if m:
        return m.group(1)
    return re.sub(r"[^a-z0-9]+", "_", (flow.get("name") or "").casefold()).strip("_")


def _steps(g: _Graph, order: list[str], lanes: list[dict], reading: Reading,
           name: str) -> list[dict]:
    applicant = {lane["code"] for lane in lanes if not lane["roles"]}
    index = {node: i for i, node in enumerate(order)}
    steps: list[dict] = []
    for i, node in enumerate(order):
        el, where, no = g.nodes[node], f"steps[{i}]", i + 1
        activity = g.name(node)
        if not activity:
            raise ImportRefused(f"{name}: tugas '{node}' tidak bernama; nama tugas adalah "
                                "kegiatan langkah SOP.")
        doc = _doc(el)
        step = {"no": no, "lane": g.lane_of[node], "kind": "", "activity": activity}
        for key, label, proposal in (
                ("input", "Kelengkapan", steps[-1]["output"] if steps else "Berkas permohonan"),
                ("time", "Waktu baku", "1 hari"),
                ("output", "Output", f"{activity} selesai")):
            value = _doc_value(doc, label).split(" (")[0] if key == "time" else \
                _doc_value(doc, label)
            if not value:
                value = proposal
                reading.guesses.append(Guess(f"{where}.{key}", key, value,
                                             f"Langkah {no}: {label} tidak tertulis di "
                                             "dokumentasi tugas.", step=no))
            step[key] = value
        try:
            StandardTime.parse(step["time"])
        except ValueError:
            raise ImportRefused(f"{name}: langkah {no} ('{activity}'): waktu baku "
                                f"'{step['time']}' tidak dikenali.") from None
        if note := _doc_value(doc, "Keterangan"):
            step["note"] = note
        nxt = _through(g, g.out[node][0].get("targetRef", "")) if g.out.get(node) else ""
        if len(g.out.get(node, [])) > 1:
            raise ImportRefused(f"{name}: langkah {no} ('{activity}') bercabang tanpa gerbang "
                                "eksklusif; gambar keputusan dengan gerbang (X).")
        if nxt and g.kind(nxt) == "exclusiveGateway":
            step["branches"] = _branches(g, nxt, i, order, index, applicant, name)
        elif nxt and g.kind(nxt) != "endEvent" and index.get(nxt) != i + 1:
            raise ImportRefused(f"{name}: langkah {no} ('{activity}') menuju "
                                f"'{g.name(nxt)}', bukan langkah sesudahnya; program "
                                "menjalankan langkah berurutan, lompatan hanya lewat gerbang.")
        steps.append(step)
    _kinds(steps, order, g, reading, applicant)
    return steps


def _branches(g: _Graph, gw: str, i: int, order: list[str], index: dict[str, int],
              applicant: set[str], name: str) -> list[dict]:
    out = []
    for flow in g.out.get(gw, []):
        target = _through(g, flow.get("targetRef", ""))
        label = tidy(flow.get("name") or "")
        if not label:
            raise ImportRefused(f"{name}: cabang keputusan '{g.name(gw) or gw}' menuju "
                                f"'{g.name(target) or target}' tidak bernama.")
        branch = {"outcome": _outcome(flow), "label": label}
        if g.kind(target) == "endEvent":
            branch["goto"] = "completed"
        elif index[target] == i + 1:
            branch.update(goto="next", lane=g.lane_of[target])
        elif index[target] < i and g.lane_of[target] in applicant:
            branch.update(goto="returned", lane=g.lane_of[target])
        else:
            branch.update(goto=str(index[target] + 1), lane=g.lane_of[target])
        out.append(branch)
    return out


def _kinds(steps: list[dict], order: list[str], g: _Graph, reading: Reading,
           applicant: set[str]) -> None:
    for i, step in enumerate(steps):
        kind = _doc_value(_doc(g.nodes[order[i]]), "Jenis langkah")
        if kind:
            step["kind"] = kind
            continue
        outcomes = {b["outcome"] for b in step.get("branches", [])}
        if outcomes == {"lengkap", "tidak_lengkap"}:
            kind = "check"
        elif outcomes == {"sepakat", "berselisih"}:
            kind = "bipartite"
        elif outcomes:
            kind = "approve"
        else:
            raw = RawStep(step["no"], step["activity"], {}, "", "", "")
            kind = step_kind(raw, step["activity"], i, len(steps),
                             bool(applicant) and step["lane"] in applicant)[0]
        step["kind"] = kind
        reading.guesses.append(Guess(f"steps[{i}].kind", "kind", kind,
                                     f"Langkah {step['no']}: jenis dibaca dari bentuk dan "
                                     "nama tugas.", step=step["no"]))


def import_bpmn(data: bytes, name: str, *, running: Sequence[Sop] = (),
                base_texts: dict[str, str] | None = None, fresh: bool = False) -> ImportResult:
    """Read the BPMN file ``data`` (named ``name``) into a checked draft SOP."""
    root = _parse(data, name)
    process = _the_process(root, name)
    reading = Reading(data={}, lanes=[])
    lanes, lane_of = _lanes(process, reading)
    g = _graph(process, lane_of, name)
    order = _order(g, name)
    participant = root.find(f".//{{{MODEL}}}participant")
    title = (participant.get("name") if participant is not None else None) or \
        process.get("name") or name
    missing = _identity(process, reading, title)
    reading.data["lanes"] = lanes
    reading.data["steps"] = _steps(g, order, lanes, reading, name)
    if missing and not fresh and running:
        reading.guesses[:] = [x for x in reading.guesses if x.topic != "identity"]
    if "approved_by" in missing and (fresh or not running):
        if not running:
            raise ImportRefused(f"{name}: diagram tidak menyebut pengesah SOP dan tidak ada SOP "
                                "berjalan untuk dicontoh; isi 'Disahkan Oleh' di dokumentasi "
                                "proses.")
        ab = running[0].approved_by
        reading.data["approved_by"] = {"name": ab.name, "rank": ab.rank, "nip": ab.nip}
    return assemble(reading, name, running=running, base_texts=base_texts, fresh=fresh,
                    missing=missing)
