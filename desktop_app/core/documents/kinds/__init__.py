"""The registry of document kinds: one module per family, each declaring its
:class:`~.base.DocumentType` (s), context builder, demo sample and "Hal".

:func:`desktop_app.core.documents.context.build_context` builds the keys every document
shares and then calls the kind's builder; :data:`catalog.DOCUMENT_TYPES` and the samples come
from here. Adding a kind = one module here plus its template (see docs/documents.md).
"""

from __future__ import annotations

from desktop_app.core.documents.kinds import (
    card,
    claims,
    jakon,
    phi,
    receipt,
    return_letter,
    skm,
    training,
)
from desktop_app.core.documents.kinds.base import Build, DocumentType, Kind

__all__ = ["KINDS", "Build", "DocumentType", "Kind", "catalogued_types", "kind_of"]

KINDS: tuple[Kind, ...] = (
    receipt.KIND, return_letter.KIND, claims.KIND, jakon.KIND, phi.KIND, training.KIND,
    skm.KIND, card.KIND,
)
"""Every registered kind, in the catalog's listing order."""

_BY_CODE: dict[str, tuple[Kind, DocumentType]] = {
    t.code: (k, t) for k in KINDS for t in k.types}


def kind_of(code: str) -> tuple[Kind, DocumentType] | None:
    """The kind and type registered for document ``code``; None when none is."""
    return _BY_CODE.get(code)


def catalogued_types() -> list[DocumentType]:
    """The types the catalog lists (every registered one but the AK/I card)."""
    return [t for k in KINDS if k.catalogued for t in k.types]
