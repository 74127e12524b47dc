"""One flow for the engine, the printed SOP sheet and the swimlane (no Qt here).

:mod:`.graph` derives from a loaded SOP the edges the engine runs (and what the loader
refuses); :mod:`.layout` routes them on an abstract grid that both pictures scale.
"""

from desktop_app.core.flow.graph import (
    BACK,
    COMPLETED,
    DECISION_KINDS,
    EDGE_KINDS,
    NEXT,
    RETURNED,
    FlowEdge,
    FlowNode,
    branch_problems,
    first_office_step,
    flow_edges,
    flow_nodes,
    forward_target,
    outcome_edge,
    returned_target,
    step_edges,
)
from desktop_app.core.flow.layout import GUTTER, JOG, FlowLayout, Route, flow_layout

__all__ = [
    "BACK", "COMPLETED", "DECISION_KINDS", "EDGE_KINDS", "GUTTER", "JOG", "NEXT", "RETURNED",
    "FlowEdge", "FlowLayout", "FlowNode", "Route", "branch_problems", "first_office_step",
    "flow_edges", "flow_layout", "flow_nodes", "forward_target", "outcome_edge",
    "returned_target", "step_edges",
]
