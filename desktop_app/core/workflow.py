"""The workflow engine: which actions a user may take on a case now, and what taking one changes.

Both questions are answered here without touching the database: the engine sees an SOP, a
snapshot of the case (:class:`CaseState`) and the user's roles, and returns plain values.
``cases.act`` turns a :class:`Transition` into one database transaction.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from desktop_app.core import flow
from desktop_app.core.auth import ActingFor, Actor
from desktop_app.core.errors import PermissionDenied, ValidationError
from desktop_app.core.roles import HEADS, PETUGAS_PENERIMA
from desktop_app.core.sop import Sop, Step

# Case statuses, with the words citizens know.
IN_PROGRESS = "proses"
RETURNED = "dikembalikan"
COMPLETED = "selesai"
REJECTED = "ditolak"
WITHDRAWN = "ditarik"
OPEN_STATUSES = (IN_PROGRESS, RETURNED)
CLOSED_STATUSES = (COMPLETED, REJECTED, WITHDRAWN)
STATUS_LABELS = {
    IN_PROGRESS: "Sedang Diproses",
    RETURNED: "Perlu Perbaikan",
    COMPLETED: "Selesai",
    REJECTED: "Ditolak",
    WITHDRAWN: "Ditarik",
}

# Action codes.
REGISTER = "daftar"
COMPLETE_OK = "lengkap"
INCOMPLETE = "tidak_lengkap"
RESUBMIT = "ajukan_ulang"
FINISH = "selesai"
APPROVE = "setujui"
BIPARTITE = "catat_bipartit"
PARAF = "paraf"
SIGN = "tanda_tangan"
HANDOVER = "serahkan"
RETURN_TO_STEP = "kembalikan"
REJECT = "tolak"
WITHDRAW = "tarik"

BIPARTITE_MEETINGS = 2  # UU 2/2004 practice in the SOP: two bipartite meetings, then mediation

_KIND_ACTION = {
    "submit": FINISH, "work": FINISH, "approve": APPROVE, "paraf": PARAF, "sign": SIGN,
    "handover": HANDOVER,
}


def status_label(status: str, current_step_kind: str | None = None) -> str:
    """Citizen-facing status: an open case at its completeness check is *Menunggu Verifikasi*."""
    if status == IN_PROGRESS and current_step_kind == "check":
        return "Menunggu Verifikasi"
    return STATUS_LABELS.get(status, status)


@dataclass(frozen=True)
class CaseState:
    """What the engine needs to know about a case."""

    sop_code: str
    status: str
    current_step: int
    data: Mapping[str, Any]
    bipartite_meetings: int = 0  # meetings recorded at the bipartite step so far


@dataclass(frozen=True)
class ActionSpec:
    """An action the user may take now; ``acting_for`` is set when it is done as deputy."""

    code: str
    label: str
    step_no: int
    lane: str
    needs_reason: bool = False
    needs_target_step: bool = False
    target_steps: tuple[int, ...] = ()
    acting_for: ActingFor | None = None
    role: str = ""


@dataclass(frozen=True)
class Transition:
    """What an action changes: the new status, step and lane, and what to record."""

    action: str
    status: str
    step_no: int
    lane: str
    outcome: str = ""
    closes: bool = False
    step_completed: bool = True  # whether the step the case was at counts as finished


def _role_in_lane(actor: Actor, lane_roles: tuple[str, ...]) -> tuple[str, ActingFor | None] | None:
    own = sorted(actor.roles.intersection(lane_roles))
    if own:
        return own[0], None
    deputy = actor.delegation_for(lane_roles)
    if deputy is not None:
        return sorted(deputy.roles.intersection(lane_roles))[0], deputy
    return None


def first_office_step(sop: Sop) -> int:
    """The first step done by the office (after the applicant's submission)."""
    return flow.first_office_step(sop.steps)


def check_step(sop: Sop) -> Step | None:
    return next((s for s in sop.steps if s.kind == "check"), None)


def missing_step_fields(sop: Sop, step: Step, data: Mapping[str, Any]) -> dict[str, str]:
    """Fields the step needs filled before it can be finished."""
    errors = {}
    for name in step.requires_fields:
        value = data.get(name)
        if value in (None, "", [], {}):
            f = sop.field(name)
            errors[name] = f"{f.label if f else name} wajib diisi sebelum langkah ini selesai."
    return errors


def _step_action_label(code: str, step: Step, sop: Sop | None = None) -> str:
    # A training activity has no applicant: its last step receives the report (the step's
    # own words), it is not handed to anyone.
    handover = "Serahkan ke Pemohon" if sop is None or sop.subject != "training" \
        else f"Terima: {step.input or step.output}"
    return {
        FINISH: f"Selesai: {step.output}",
        APPROVE: "Setujui",
        PARAF: "Paraf",
        SIGN: "Tanda Tangan",
        HANDOVER: handover,
        COMPLETE_OK: "Lengkap",
        INCOMPLETE: "Tidak Lengkap",
        BIPARTITE: "Catat Pertemuan Bipartit",
    }[code]


def allowed_actions(sop: Sop, state: CaseState, actor: Actor) -> list[ActionSpec]:
    """Every action ``actor`` may take on the case now, in the order buttons should appear."""
    actions: list[ActionSpec] = []
    if state.status in CLOSED_STATUSES:
        return actions
    step = sop.step(state.current_step)
    is_head = bool(actor.effective_roles & HEADS)

    if state.status == RETURNED:
        check = check_step(sop)
        lane_roles = sop.roles_of_lane(check.lane) if check else (PETUGAS_PENERIMA,)
        who = _role_in_lane(actor, lane_roles)
        if who:
            actions.append(ActionSpec(RESUBMIT, "Ajukan Ulang (berkas dilengkapi)", step.no,
                                      step.lane, role=who[0], acting_for=who[1]))
        if who or is_head:
            actions.append(ActionSpec(WITHDRAW, "Tarik Permohonan", step.no, step.lane,
                                      needs_reason=True, role=who[0] if who else ""))
        return actions

    lane_roles = sop.roles_of_lane(step.lane)
    who = _role_in_lane(actor, lane_roles)
    if who:
        role, deputy = who
        if step.kind == "check":
            for code in (COMPLETE_OK, INCOMPLETE):
                actions.append(ActionSpec(code, _step_action_label(code, step), step.no,
                                          step.lane, needs_reason=code == INCOMPLETE,
                                          role=role, acting_for=deputy))
        elif step.kind == "bipartite":
            actions.append(ActionSpec(BIPARTITE, _step_action_label(BIPARTITE, step), step.no,
                                      step.lane, role=role, acting_for=deputy))
        else:
            code = _KIND_ACTION[step.kind]
            actions.append(ActionSpec(code, _step_action_label(code, step, sop), step.no,
                                      step.lane, role=role, acting_for=deputy))
        targets = tuple(range(first_office_step(sop), step.no))
        if targets:
            actions.append(ActionSpec(RETURN_TO_STEP, "Kembalikan ke Langkah Sebelumnya",
                                      step.no, step.lane, needs_reason=True,
                                      needs_target_step=True, target_steps=targets, role=role,
                                      acting_for=deputy))
    elif is_head and step.no > first_office_step(sop):
        targets = tuple(range(first_office_step(sop), step.no))
        actions.append(ActionSpec(RETURN_TO_STEP, "Kembalikan ke Langkah Sebelumnya", step.no,
                                  step.lane, needs_reason=True, needs_target_step=True,
                                  target_steps=targets,
                                  role=sorted(actor.effective_roles & HEADS)[0]))
    if is_head and sop.subject != "training":  # an activity is cancelled, not rejected
        actions.append(ActionSpec(REJECT, "Tolak Permohonan", step.no, step.lane,
                                  needs_reason=True,
                                  role=sorted(actor.effective_roles & HEADS)[0]))
    counter = _role_in_lane(actor, (PETUGAS_PENERIMA,))
    if counter or is_head:
        actions.append(ActionSpec(WITHDRAW, "Tarik Permohonan" if sop.subject != "training"
                                  else "Batalkan Kegiatan", step.no, step.lane,
                                  needs_reason=True,
                                  role=counter[0] if counter else sorted(
                                      actor.effective_roles & HEADS)[0]))
    return actions


def find_action(sop: Sop, state: CaseState, actor: Actor, code: str) -> ActionSpec:
    """The allowed action ``code``, or :class:`PermissionDenied` saying why not."""
    for spec in allowed_actions(sop, state, actor):
        if spec.code == code:
            return spec
    step = sop.step(state.current_step)
    lane = sop.lane(step.lane)
    if state.status in CLOSED_STATUSES:
        raise PermissionDenied(f"Berkas sudah {STATUS_LABELS[state.status].lower()}; "
                               "tidak ada tindakan lagi.")
    raise PermissionDenied(
        f"Tindakan '{code}' tidak dapat dilakukan oleh Anda pada langkah {step.no} "
        f"({lane.name})."
    )


def plan(sop: Sop, state: CaseState, spec: ActionSpec, *, reason: str = "",
         target_step: int | None = None, meeting: Mapping[str, Any] | None = None) -> Transition:
    """What taking ``spec`` changes. Raises :class:`ValidationError` for missing inputs."""
    step = sop.step(state.current_step)
    code = spec.code
    if spec.needs_reason and not reason.strip():
        raise ValidationError({"alasan": "Alasan wajib diisi."})

    def forward() -> Transition:
        target = flow.forward_target(sop, step)
        if target is None:
            return Transition(code, COMPLETED, step.no, step.lane, closes=True)
        nxt = sop.step(target)
        return Transition(code, IN_PROGRESS, nxt.no, nxt.lane)

    if code in (FINISH, APPROVE, PARAF, SIGN, COMPLETE_OK):
        missing = missing_step_fields(sop, step, state.data)
        if missing:
            raise ValidationError(missing)
        t = forward()
        return Transition(t.action, t.status, t.step_no, t.lane,
                          outcome="lengkap" if code == COMPLETE_OK else "", closes=t.closes)
    if code == HANDOVER:
        missing = missing_step_fields(sop, step, state.data)
        if missing:
            raise ValidationError(missing)
        return Transition(code, COMPLETED, step.no, step.lane, closes=True)
    if code == INCOMPLETE:
        returned = flow.outcome_edge(sop, step, "tidak_lengkap")
        lane = returned.lane if returned is not None else sop.lanes[0].code
        return Transition(code, RETURNED, step.no, lane, outcome="tidak_lengkap",
                          step_completed=True)
    if code == RESUBMIT:
        check = check_step(sop)
        no = check.no if check else first_office_step(sop)
        return Transition(code, IN_PROGRESS, no, sop.step(no).lane, outcome="diajukan_ulang")
    if code == BIPARTITE:
        if meeting is None:
            raise ValidationError({"pertemuan": "Data pertemuan bipartit wajib diisi."})
        held = state.bipartite_meetings + 1
        if meeting.get("sepakat"):
            return Transition(code, COMPLETED, step.no, step.lane, outcome="sepakat", closes=True)
        if held >= BIPARTITE_MEETINGS:
            disputed = flow.outcome_edge(sop, step, "berselisih")
            nxt = sop.step(disputed.dst if disputed is not None and disputed.dst is not None
                           else step.no + 1)
            return Transition(code, IN_PROGRESS, nxt.no, nxt.lane, outcome="berselisih")
        return Transition(code, IN_PROGRESS, step.no, step.lane, outcome=f"pertemuan_{held}",
                          step_completed=False)
    if code == RETURN_TO_STEP:
        if target_step not in spec.target_steps:
            raise ValidationError({"langkah": "Pilih langkah tujuan yang sudah dilalui."})
        target = sop.step(target_step)
        return Transition(code, IN_PROGRESS, target.no, target.lane, outcome="dikembalikan",
                          step_completed=False)
    if code == REJECT:
        return Transition(code, REJECTED, step.no, step.lane, outcome="ditolak", closes=True,
                          step_completed=False)
    if code == WITHDRAW:
        return Transition(code, WITHDRAWN, step.no, step.lane, outcome="ditarik", closes=True,
                          step_completed=False)
    raise ValueError(f"unknown action {code!r}")
