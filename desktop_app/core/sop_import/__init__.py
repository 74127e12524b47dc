"""Import of an SOP-AP document (the national SOP table format) into a draft SOP file.

``import_sop_document`` reads the text/HTML form the seed is in, or a ``.docx``, proposes
what the document does not say (marking each proposal as a guess), and checks the draft with
the same loader as the shipped SOP files. Nothing here touches the database or activates
anything: a draft becomes a running version only through ``sop_versions.activate``.
"""

from desktop_app.core.sop_import.document import ImportRefused
from desktop_app.core.sop_import.draft import (
    ImportResult,
    import_sop_document,
    list_document_sops,
)
from desktop_app.core.sop_import.reading import Guess

__all__ = ["Guess", "ImportRefused", "ImportResult", "import_sop_document",
           "list_document_sops"]
