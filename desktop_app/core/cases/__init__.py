"""Use cases of the office on cases: register, act, edit, attach files, list and search.

Every function takes the open :class:`Database` and the signed-in :class:`Actor`, checks the
actor's permission itself, and does its work in one transaction that also writes the step event
and the audit event — or nothing. Qt never appears here; the GUI, the CLI, the tests and the
benchmarks all call these functions as ``cases.register_case(...)``, ``cases.act(...)``.

Modules:

- ``views``: :class:`CaseDetail` (data, checklist, history, attachments) and ``get_case``.
- ``register``: ``register_case`` (applicant or company, register number, first step).
- ``requirements``: the SOP's document checklist (``missing_requirements``).
- ``acting``: ``allowed_actions``, ``act`` and ``act_in_session`` (one workflow action).
- ``edit``: ``update_case`` (correcting data and checklist).
- ``attachments``: ``add_attachment`` and reading attached files back.
- ``query``: :class:`CaseQuery`, lists, counts, task lists and summaries (all in SQL).
- ``due``: standard times and ``due_state``.
"""

from desktop_app.core.cases.acting import act, act_in_session, allowed_actions
from desktop_app.core.cases.attachments import (
    ALLOWED_MIME,
    MAX_ATTACHMENT_BYTES,
    add_attachment,
    attachment_content,
    latest_attachment,
)
from desktop_app.core.cases.due import due_state
from desktop_app.core.cases.edit import update_case
from desktop_app.core.cases.query import (
    SORT_COLUMNS,
    CaseQuery,
    CaseRow,
    Summary,
    case_rows,
    case_version,
    count_cases,
    list_case_ids,
    list_cases,
    my_task_query,
    my_tasks,
    summarize,
)
from desktop_app.core.cases.register import register_case
from desktop_app.core.cases.requirements import missing_requirements
from desktop_app.core.cases.views import (
    AttachmentView,
    CaseDetail,
    EventView,
    get_case,
    get_case_by_number,
)

__all__ = [
    "ALLOWED_MIME",
    "MAX_ATTACHMENT_BYTES",
    "SORT_COLUMNS",
    "AttachmentView",
    "CaseDetail",
    "CaseQuery",
    "CaseRow",
    "EventView",
    "Summary",
    "act",
    "act_in_session",
    "add_attachment",
    "allowed_actions",
    "attachment_content",
    "case_rows",
    "case_version",
    "count_cases",
    "due_state",
    "get_case",
    "get_case_by_number",
    "latest_attachment",
    "list_case_ids",
    "list_cases",
    "missing_requirements",
    "my_task_query",
    "my_tasks",
    "register_case",
    "summarize",
    "update_case",
]
