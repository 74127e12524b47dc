"""Writes an SOP as a BPMN 2.0 collaboration: one pool, a lane per SOP lane, start and end
events, a task per step (standard time, input and output as its documentation), an exclusive
gateway after each decision with the branch names, the return flow to the applicant, and
BPMNDI coordinates laid out like the office swimlane."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import dataclass

from desktop_app.core import flow
from desktop_app.core.bpmn.layout import Box, Layout
from desktop_app.core.sop import Sop, Step
from desktop_app.core.workflow import BIPARTITE_MEETINGS

NS = {
    "bpmn": "http://www.omg.org/spec/BPMN/20100524/MODEL",
    "bpmndi": "http://www.omg.org/spec/BPMN/20100524/DI",
    "dc": "http://www.omg.org/spec/DD/20100524/DC",
    "di": "http://www.omg.org/spec/DD/20100524/DI",
    "xsi": "http://www.w3.org/2001/XMLSchema-instance",
}
for _prefix, _uri in NS.items():
    ET.register_namespace(_prefix, _uri)
DECISIONS = {"check": "Berkas lengkap?", "bipartite": "Sepakat?", "approve": "Disetujui?"}


def q(tag: str) -> str:
    prefix, name = tag.split(":")
    return f"{{{NS[prefix]}}}{name}"


@dataclass
class _Node:
    id: str
    shape: str  # task | gateway | event
    tag: str
    lane: str
    name: str = ""
    step: Step | None = None
    beside: bool = False  # drawn in the row of the element before it, one lane over


def _identity(sop: Sop, version: str) -> str:
    ab = sop.approved_by
    lines = [f"Nomor SOP: {sop.number}", f"Nama SOP: {sop.name}",
             f"Judul bagan: {sop.flow_title}", f"Tanggal Pembuatan: {sop.created.isoformat()}",
             f"Tanggal Revisi: {sop.revised.isoformat() if sop.revised else '-'}",
             f"Tanggal Efektif: {sop.effective.isoformat()}",
             f"Disahkan Oleh: {ab.name} | {ab.rank} | NIP {ab.nip}"]
    if version:
        lines.append(f"Versi: {version}")
    for label, values in (("Dasar Hukum", sop.legal_basis),
                          ("Kualifikasi Pelaksana", sop.qualifications),
                          ("Keterkaitan", sop.relations), ("Peralatan/Perlengkapan", sop.equipment),
                          ("Peringatan", sop.warnings), ("Pencatatan dan Pendataan", sop.records)):
        lines.append(f"{label}:")
        lines += [f"- {v}" for v in values]
    return "\n".join(lines)


def _step_doc(step: Step) -> str:
    lines = [f"Waktu baku: {step.time_text} ({step.time.label})",
             f"Kelengkapan: {step.input}", f"Output: {step.output}",
             f"Jenis langkah: {step.kind}"]
    if step.note:
        lines.append(f"Keterangan: {step.note}")
    return "\n".join(lines)


class _Builder:
    def __init__(self, sop: Sop) -> None:
        self.sop = sop
        self.nodes: list[_Node] = []
        self.flows: list[tuple[str, str, str, str, str]] = []  # id, src, tgt, name, outcome
        # steps an arrow comes back to get a merging gateway (core/flow: the engine's edges)
        self.merged = {e.dst if e.dst is not None else 1 for e in flow.flow_edges(sop)
                       if e.kind == flow.RETURNED or (e.kind == flow.BACK and e.dst)}

    def into(self, no: int) -> str:
        return f"Gabung_{no}" if no in self.merged else f"Langkah_{no}"

    def flow(self, src: str, tgt: str, name: str = "", outcome: str = "") -> None:
        self.flows.append((f"Alur_{len(self.flows) + 1}", src, tgt, name, outcome))

    def build(self) -> None:
        sop = self.sop
        first = sop.first_step
        self.nodes.append(_Node("Mulai", "event", "startEvent", first.lane, "Mulai"))
        self.flow("Mulai", self.into(1))
        for step in sop.steps:
            if step.no in self.merged:
                self.nodes.append(_Node(f"Gabung_{step.no}", "gateway", "exclusiveGateway",
                                        step.lane))
                self.flow(f"Gabung_{step.no}", f"Langkah_{step.no}")
            applicant = sop.lane(step.lane).is_applicant
            self.nodes.append(_Node(f"Langkah_{step.no}", "task",
                                    "manualTask" if applicant else "userTask", step.lane,
                                    step.activity, step))
            self._after(step)

    def _beside(self, lane: str) -> str:
        codes = [lane.code for lane in self.sop.lanes]
        i = codes.index(lane)
        return codes[i + 1] if i + 1 < len(codes) else codes[i - 1]

    def _after(self, step: Step) -> None:
        last = step.no == len(self.sop.steps)
        if step.branches:
            gw = f"Keputusan_{step.no}"
            self.nodes.append(_Node(gw, "gateway", "exclusiveGateway", step.lane,
                                    DECISIONS.get(step.kind, "Keputusan?")))
            self.flow(f"Langkah_{step.no}", gw)
            edges = {e.outcome: e for e in flow.step_edges(self.sop, step)}
            for b in step.branches:
                e = edges[b.outcome]
                if e.dst is None and e.kind != flow.RETURNED:
                    end = f"Selesai_{step.no}_{b.outcome}"
                    self.nodes.append(_Node(end, "event", "endEvent", self._beside(step.lane),
                                            f"Selesai: {b.label}", beside=True))
                    self.flow(gw, end, b.label, b.outcome)
                else:
                    # a file returned to a lane without an earlier step waits at the start
                    self.flow(gw, self.into(e.dst if e.dst is not None else 1), b.label,
                              b.outcome)
        elif flow.forward_target(self.sop, step) is None:
            end = "Selesai" if last else f"Selesai_{step.no}"
            self.nodes.append(_Node(end, "event", "endEvent", step.lane, "Selesai"))
            self.flow(f"Langkah_{step.no}", end)
        else:
            self.flow(f"Langkah_{step.no}", self.into(step.no + 1))


def _doc(parent: ET.Element, text: str) -> None:
    ET.SubElement(parent, q("bpmn:documentation")).text = text


def _bounds(parent: ET.Element, box: Box) -> None:
    ET.SubElement(parent, q("dc:Bounds"), x=f"{box.x:g}", y=f"{box.y:g}",
                  width=f"{box.w:g}", height=f"{box.h:g}")


def export_bpmn(sop: Sop, version: str = "") -> str:
    """The SOP as BPMN 2.0 XML text (``version``, e.g. "v2, 30 November 2026", is noted)."""
    b = _Builder(sop)
    b.build()
    code = sop.code
    defs = ET.Element(q("bpmn:definitions"), {
        "id": f"SOP_{code}", "targetNamespace": "urn:desktop-app:sop",
        "exporter": "desktop-app", "exporterVersion": "1"})
    collab = ET.SubElement(defs, q("bpmn:collaboration"), id=f"Kolaborasi_{code}")
    part = ET.SubElement(collab, q("bpmn:participant"), id=f"Pool_{code}", name=sop.name,
                         processRef=f"Proses_{code}")
    _doc(part, f"SOP {sop.number}")
    process = ET.SubElement(defs, q("bpmn:process"), id=f"Proses_{code}", name=sop.flow_title,
                            isExecutable="false")
    _doc(process, _identity(sop, version))
    lane_set = ET.SubElement(process, q("bpmn:laneSet"), id=f"Jalur_{code}")
    for lane in sop.lanes:
        el = ET.SubElement(lane_set, q("bpmn:lane"), id=f"Jalur_{lane.code}", name=lane.name)
        _doc(el, "Peran: " + (", ".join(lane.roles) if lane.roles else "pemohon"))
        for node in b.nodes:
            if node.lane == lane.code:
                ET.SubElement(el, q("bpmn:flowNodeRef")).text = node.id
    incoming: dict[str, list[str]] = {}
    outgoing: dict[str, list[str]] = {}
    for fid, src, tgt, _, _ in b.flows:
        outgoing.setdefault(src, []).append(fid)
        incoming.setdefault(tgt, []).append(fid)
    for node in b.nodes:
        attrs = {"id": node.id}
        if node.name:
            attrs["name"] = node.name
        el = ET.SubElement(process, q(f"bpmn:{node.tag}"), attrs)
        if node.step is not None:
            _doc(el, _step_doc(node.step))
        for fid in incoming.get(node.id, []):
            ET.SubElement(el, q("bpmn:incoming")).text = fid
        for fid in outgoing.get(node.id, []):
            ET.SubElement(el, q("bpmn:outgoing")).text = fid
        if node.step is not None and node.step.kind == "bipartite":
            ET.SubElement(el, q("bpmn:standardLoopCharacteristics"),
                          loopMaximum=str(BIPARTITE_MEETINGS))
    for fid, src, tgt, name, outcome in b.flows:
        attrs = {"id": fid, "sourceRef": src, "targetRef": tgt}
        if name:
            attrs["name"] = name
        el = ET.SubElement(process, q("bpmn:sequenceFlow"), attrs)
        if outcome:
            cond = ET.SubElement(el, q("bpmn:conditionExpression"),
                                 {q("xsi:type"): "bpmn:tFormalExpression"})
            cond.text = f"hasil = '{outcome}'"
    _diagram(defs, sop, b)
    ET.indent(defs, space="  ")
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(defs, encoding="unicode")


def _diagram(defs: ET.Element, sop: Sop, b: _Builder) -> None:
    rows, row = [], -1
    for node in b.nodes:
        row += 0 if node.beside else 1
        rows.append(row)
    layout = Layout([lane.code for lane in sop.lanes], row + 1)
    diagram = ET.SubElement(defs, q("bpmndi:BPMNDiagram"), id=f"Diagram_{sop.code}")
    plane = ET.SubElement(diagram, q("bpmndi:BPMNPlane"), id=f"Bidang_{sop.code}",
                          bpmnElement=f"Kolaborasi_{sop.code}")
    shape = ET.SubElement(plane, q("bpmndi:BPMNShape"), id=f"Pool_{sop.code}_di",
                          bpmnElement=f"Pool_{sop.code}", isHorizontal="false")
    _bounds(shape, layout.pool)
    for lane in sop.lanes:
        shape = ET.SubElement(plane, q("bpmndi:BPMNShape"), id=f"Jalur_{lane.code}_di",
                              bpmnElement=f"Jalur_{lane.code}", isHorizontal="false")
        _bounds(shape, layout.lane(lane.code))
    boxes: dict[str, Box] = {}
    for row, node in zip(rows, b.nodes, strict=True):
        box = layout.place(node.lane, row, node.shape)
        boxes[node.id] = box
        shape = ET.SubElement(plane, q("bpmndi:BPMNShape"), id=f"{node.id}_di",
                              bpmnElement=node.id)
        if node.tag == "exclusiveGateway":
            shape.set("isMarkerVisible", "true")
        _bounds(shape, box)
        if node.shape != "task" and node.name:
            label = ET.SubElement(shape, q("bpmndi:BPMNLabel"))
            below = node.shape == "event" and node.beside
            if below:
                _bounds(label, Box(box.x - 30, box.bottom + 4, 110, 28))
            elif node.shape == "gateway":  # above the arrows that leave it sideways
                _bounds(label, Box(box.x + box.w - 4, box.y - 20, 110, 14))
            else:
                _bounds(label, Box(box.x + box.w + 6, box.y + 4, 110, 28))
    lane_of = {node.id: node.lane for node in b.nodes}
    for fid, src, tgt, name, _ in b.flows:
        points = layout.route(boxes[src], boxes[tgt], back_lane=lane_of[tgt])
        edge = ET.SubElement(plane, q("bpmndi:BPMNEdge"), id=f"{fid}_di", bpmnElement=fid)
        for x, y in points:
            ET.SubElement(edge, q("di:waypoint"), x=f"{x:g}", y=f"{y:g}")
        if name:
            label = ET.SubElement(edge, q("bpmndi:BPMNLabel"))
            (x0, y0), (x1, y1) = points[0], points[1]
            if abs(y0 - y1) < 1:  # leaves sideways: above the line
                _bounds(label, Box(min(x0, x1) + 6, y0 - 18, 110, 14))
            else:
                _bounds(label, Box(x0 + 6, y0 + 2, 110, 14))
