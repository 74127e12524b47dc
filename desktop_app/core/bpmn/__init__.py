"""BPMN 2.0 out and in: an SOP as a BPMN collaboration (one pool, a lane per SOP lane, laid out
like the office swimlane) for bpmn.io or Camunda Modeler, and such a diagram read back into a
draft SOP the way an SOP document is (``desktop_app.core.sop_import``)."""

from desktop_app.core.bpmn.export import export_bpmn
from desktop_app.core.bpmn.reader import import_bpmn

__all__ = ["export_bpmn", "import_bpmn"]
