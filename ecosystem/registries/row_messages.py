"""A stored row error said again in the reader's language: its ``code`` names the
message and ``params`` fill it. A row stored before the arguments were kept (``params``
empty where the message needs some), or with a code unknown here, shows its stored text."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from ecosystem.core.uscc import KINDS as USCC_KINDS

ROW_MESSAGES = {
    **USCC_KINDS,
    "missing_name": _("The name is missing."),
    "duplicate": _("Duplicate of row %(row)d in this file."),
    "other_batch": _("Batch %(found)s differs from this import's batch %(batch)s."),
    "bad_date": _("Unreadable date: %(value)s."),
    "bad_year": _("Unreadable year: %(value)s."),
}
#: The same code across sheets names the sheet of the first row.
DUPLICATE_ON_SHEET = _("Duplicate of row %(row)d on sheet %(sheet)s.")


def row_message(error) -> str:
    """What ``error`` (an ``ImportRowError``) says, in the active language."""
    from ecosystem.registries.models import ImportRowError
    from ecosystem.registries.structure import SKIP_KINDS

    if error.kind == ImportRowError.Kind.SKIPPED:
        label = SKIP_KINDS.get(error.code)
        return str(label) if label is not None else error.message
    params = error.params or {}
    template = ROW_MESSAGES.get(error.code)
    if error.code == "duplicate" and "sheet" in params:
        template = DUPLICATE_ON_SHEET
    if template is None:
        return error.message
    try:
        return str(template) % params if params else str(template) % ()
    except (KeyError, TypeError, ValueError):
        return error.message
