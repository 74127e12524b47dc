"""The flow graph the engine runs: steps as nodes, and every way a case moves between them.

One derivation for the engine (:mod:`desktop_app.core.workflow` asks :func:`forward_target` and
:func:`outcome_edge` where an action leads), the loader (:func:`branch_problems` refuses a
branch the engine would not perform), the printed SOP sheet and the Qt swimlane (both draw
:func:`flow_edges`, routed by :mod:`desktop_app.core.flow.layout`).

How the engine moves a case, and so which edges there are:

* a step without a decision goes on to the next step (``next``); the last step, and a
  ``handover`` step, close the case (no edge: the step is the end terminator);
* a ``check`` step: *lengkap* goes on (``next``), *tidak lengkap* returns the file to the
  applicant (``returned``: the case waits in the branch's lane, drawn to the last earlier
  step in that lane, or to an end mark "kembali" when that lane has none); the applicant's
  resubmission comes back to the check step along the ``next`` edge out of the submission;
* a ``bipartite`` step: *sepakat* closes the case (``completed``, an end mark "selesai"),
  *berselisih* goes to the step its ``goto`` names (``next`` or ``back``);
* an ``approve`` step: its forward outcome goes on (``next``, or ``completed`` when it is the
  last step); an outcome with a step number before it is a ``back`` edge, done by the
  engine's "Kembalikan ke Langkah Sebelumnya" (any office step may go back to an earlier
  office step; only the returns an SOP file names are drawn).

Nothing here imports Qt or the database.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from desktop_app.core.sop import Branch, Sop, Step

__all__ = [
    "BACK",
    "COMPLETED",
    "DECISION_KINDS",
    "EDGE_KINDS",
    "NEXT",
    "RETURNED",
    "FlowEdge",
    "FlowNode",
    "branch_problems",
    "first_office_step",
    "flow_edges",
    "flow_nodes",
    "forward_target",
    "outcome_edge",
    "returned_target",
    "step_edges",
]

NEXT = "next"  # on to a later step
BACK = "back"  # back to an earlier office step
RETURNED = "returned"  # the file goes back to the applicant (check step, "tidak lengkap")
COMPLETED = "completed"  # the case closes at a decision (bipartite agreement)
EDGE_KINDS = (NEXT, BACK, RETURNED, COMPLETED)
DECISION_KINDS = ("check", "approve", "bipartite")

# The outcome of a decision step that the engine's forward action performs.
_FORWARD_OUTCOME = {"check": "lengkap", "bipartite": "berselisih"}


@dataclass(frozen=True)
class FlowNode:
    """One step of the chart: its number, lane, kind, activity and symbol shape
    (``terminator`` first and last, ``decision`` for check/approve/bipartite, ``process``)."""

    no: int
    lane: str
    kind: str
    activity: str
    shape: str


@dataclass(frozen=True)
class FlowEdge:
    """One way a case moves: from step ``src`` to step ``dst`` (``None``: it leaves the
    chart, to an end mark). ``kind`` is one of :data:`EDGE_KINDS`; ``outcome`` the decision
    outcome (``lengkap``, ``berselisih``, …; empty for a plain next step); ``label`` the
    branch label as the SOP file writes it; ``lane`` the lane the arrow ends in;
    ``end_text`` the end mark's word when ``dst`` is None."""

    src: int
    dst: int | None
    kind: str
    label: str = ""
    outcome: str = ""
    lane: str = ""
    end_text: str = ""

    @property
    def backward(self) -> bool:
        return self.dst is not None and self.dst < self.src


def first_office_step(steps: Sequence[Step]) -> int:
    """The first step done by the office (after the applicant's submission)."""
    return 2 if steps[0].kind == "submit" else 1


def _shape(steps: Sequence[Step], step: Step) -> str:
    if step.no in (steps[0].no, steps[-1].no):
        return "terminator"
    if step.kind in DECISION_KINDS:
        return "decision"
    return "process"


def flow_nodes(sop: Sop) -> tuple[FlowNode, ...]:
    return tuple(FlowNode(s.no, s.lane, s.kind, s.activity, _shape(sop.steps, s))
                 for s in sop.steps)


def forward_target(sop: Sop, step: Step) -> int | None:
    """Where the engine's forward action on ``step`` leads: the next step's number, or
    ``None`` when it closes the case (the last step; a handover)."""
    if step.kind == "handover" or step.no >= len(sop.steps):
        return None
    return step.no + 1


def _goto_step(sop_steps: Sequence[Step], step: Step, goto: str) -> int | None:
    if goto.isdigit():
        return int(goto)
    if goto == "next" and step.no < len(sop_steps):
        return step.no + 1
    return None


def returned_target(sop: Sop, step: Step, lane: str) -> int | None:
    """The step a returned file waits at: the last step before ``step`` in ``lane``."""
    earlier = [s.no for s in sop.steps[: step.no - 1] if s.lane == lane]
    return earlier[-1] if earlier else None


def _forward_branch(step: Step) -> Branch | None:
    outcome = _FORWARD_OUTCOME.get(step.kind)
    if outcome is not None:
        return step.branch(outcome)
    if step.kind == "approve":
        return next((b for b in step.branches if _is_forward(step, b.goto)), None)
    return None


def _is_forward(step: Step, goto: str) -> bool:
    return goto in ("next", "completed") or (goto.isdigit() and int(goto) > step.no)


def _edge_to(sop: Sop, step: Step, dst: int | None, b: Branch | None) -> FlowEdge:
    label, outcome = (b.label, b.outcome) if b is not None else ("", "")
    if dst is None:
        return FlowEdge(step.no, None, COMPLETED, label, outcome, b.lane if b else "",
                        "selesai")
    return FlowEdge(step.no, dst, NEXT if dst > step.no else BACK, label, outcome,
                    sop.step(dst).lane)


def outcome_edge(sop: Sop, step: Step, outcome: str) -> FlowEdge | None:
    """The edge the engine follows when ``step`` ends with ``outcome`` (``lengkap``,
    ``tidak_lengkap``, ``sepakat``, ``berselisih``, or an approve step's outcome), or None
    when the step has no such outcome."""
    return next((e for e in step_edges(sop, step) if e.outcome == outcome), None)


def step_edges(sop: Sop, step: Step) -> list[FlowEdge]:
    """The edges out of ``step``, the forward one first."""
    edges: list[FlowEdge] = []
    if step.kind == "check":
        ok = step.branch("lengkap")
        edges.append(_edge_to(sop, step, forward_target(sop, step), ok))
        back = step.branch("tidak_lengkap")
        lane = back.lane if back and back.lane else sop.lanes[0].code
        edges.append(FlowEdge(step.no, returned_target(sop, step, lane), RETURNED,
                              back.label if back else "", "tidak_lengkap", lane,
                              "" if returned_target(sop, step, lane) else "kembali"))
        return edges
    if step.kind == "bipartite":
        agreed = step.branch("sepakat")
        disputed = step.branch("berselisih")
        goto = disputed.goto if disputed else "next"
        dst = int(goto) if goto.isdigit() else forward_target(sop, step)
        edges.append(_edge_to(sop, step, dst, disputed))
        edges.append(FlowEdge(step.no, None, COMPLETED, agreed.label if agreed else "",
                              "sepakat", agreed.lane if agreed else "", "selesai"))
        return edges
    forward = _forward_branch(step)
    dst = forward_target(sop, step)
    if dst is not None or forward is not None or step.no < len(sop.steps):
        # a plain last step is the end terminator itself: no edge
        edges.append(_edge_to(sop, step, dst, forward))
    for b in step.branches:
        if b is forward:
            continue
        target = _goto_step(sop.steps, step, b.goto)
        if target is not None:
            edges.append(_edge_to(sop, step, target, b))
    return edges


def flow_edges(sop: Sop) -> tuple[FlowEdge, ...]:
    """Every edge of the chart, by source step."""
    return tuple(e for step in sop.steps for e in step_edges(sop, step))


# ------------------------------------------------------------------ what the loader refuses


def branch_problems(steps: Sequence[Step]) -> list[tuple[str, str]]:
    """Branches the engine would not perform, as ``(field path, problem)``: a branch on a
    step that takes no decision, an outcome whose ``goto`` differs from what the engine does
    with it, a step that does not exist or the step itself, a jump to the applicant's
    submission, a ``lane`` other than the target step's."""
    problems: list[tuple[str, str]] = []
    office = first_office_step(steps)
    for i, step in enumerate(steps):
        if step.branches and step.kind not in DECISION_KINDS:
            problems.append((f"steps[{i}].branches",
                             f"a '{step.kind}' step takes no decision in the program; only "
                             f"{', '.join(DECISION_KINDS)} steps have branches"))
            continue
        seen: set[str] = set()
        forward_seen = False
        for j, b in enumerate(step.branches):
            where = f"steps[{i}].branches[{j}]"
            if b.outcome in seen:
                problems.append((f"{where}.outcome", f"outcome '{b.outcome}' appears twice"))
                continue
            seen.add(b.outcome)
            goto = b.goto
            problem = _goto_problem(steps, step, b, office)
            if problem:
                problems.append((f"{where}.goto", problem))
                continue
            if step.kind == "approve" and _is_forward(step, goto):
                if forward_seen:
                    problems.append((f"{where}.goto", "the program has one way on from an "
                                     "approval; another outcome already goes on"))
                    continue
                forward_seen = True
            target = _goto_step(steps, step, goto)
            if b.lane and target is not None and goto != "returned" \
                    and steps[target - 1].lane != b.lane:
                problems.append((f"{where}.lane", f"'{b.lane}', but step {target} is in lane "
                                 f"'{steps[target - 1].lane}'"))
        if step.kind == "approve" and step.branches and not forward_seen:
            problems.append((f"steps[{i}].branches", "an approval needs one outcome that goes "
                             "on (goto = \"next\")"))
    return problems


def _goto_problem(steps: Sequence[Step], step: Step, b: Branch, office: int) -> str:
    """Why the engine would not follow ``b`` out of ``step`` ("" when it would)."""
    n = len(steps)
    goto = b.goto
    last = step.no == n
    if goto.isdigit():
        target = int(goto)
        if not 1 <= target <= n:
            return f"step {target} does not exist"
        if target == step.no:
            return f"step {target} is this step; a branch cannot lead to itself"
        if target < office:
            return (f"step {target} is the applicant's submission; the program cannot send "
                    "a case there (a check step returns it with goto = \"returned\")")
    if step.kind == "check":
        if b.outcome == "lengkap" and goto not in ("next", str(step.no + 1)):
            return "the program moves a complete file ('lengkap') on to the next step; " \
                   "goto must be \"next\""
        if b.outcome == "tidak_lengkap" and goto != "returned":
            return "the program returns an incomplete file ('tidak_lengkap') to the " \
                   "applicant; goto must be \"returned\""
        return ""
    if step.kind == "bipartite":
        if b.outcome == "sepakat" and goto != "completed":
            return "the program closes the case on an agreement ('sepakat'); goto must be " \
                   "\"completed\""
        if b.outcome == "berselisih":
            if goto in ("returned", "completed"):
                return "the program goes on after a dispute ('berselisih'); goto must be " \
                       "\"next\" or a step number"
            if goto == "next" and last:
                return "there is no step after the last; name the step to go to"
        return ""
    # approve
    if goto == "returned":
        return "only a check step returns a file to the applicant (\"returned\")"
    if goto == "completed" and not last:
        return "an approval does not close the case before the last step; goto must be " \
               "\"next\" or an earlier step"
    if goto.isdigit() and int(goto) > step.no + 1:
        return (f"the program goes from an approval to the next step ({step.no + 1}), "
                f"not to step {goto}")
    return ""
