"""The checks every outreach service starts with: the actor answers for the enterprise,
or manages the bank; anyone else gets the same 404 as for a missing object."""

from __future__ import annotations

from django.utils.translation import gettext as _

from ecosystem.core.errors import ApplicationError
from ecosystem.financing import permissions


def not_found() -> ApplicationError:
    return ApplicationError(_("Not found."), code="not_found", status=404)


def require_member(actor, enterprise) -> None:
    if not permissions.can_answer_for(actor, enterprise):
        raise not_found()


def require_manager(actor, bank) -> None:
    if not permissions.can_run_campaigns(actor, bank):
        raise not_found()
