"""The registries app's codes in people's words (``core.labels``)."""

from django.utils.translation import gettext_lazy as _


def register_labels() -> None:
    from ecosystem.core import labels
    from ecosystem.registries.models import ListImport

    labels.register("list_import_status", ListImport.Status)
    labels.register_audit_verbs(
        {
            "list_import.uploaded": _("list import: uploaded"),
            "list_import.succeeded": _("list import: read"),
            "list_import.confirmed": _("list import: confirmed"),
            "list_import.cancelled": _("list import: cancelled"),
            "list_import.adjusted": _("list import: columns adjusted"),
        }
    )
