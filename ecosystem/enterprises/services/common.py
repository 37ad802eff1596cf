"""Checks shared by the enterprise services."""

from django.utils.translation import gettext_lazy as _

from ecosystem.core import events
from ecosystem.core.errors import ApplicationError
from ecosystem.enterprises import permissions


def require_member(actor, enterprise) -> None:
    """Non-members get the same answer as for an enterprise that does not exist."""
    if not permissions.can_edit(actor, enterprise):
        raise ApplicationError(_("Not found."), code="not_found", status=404)


def require_owner(actor, enterprise) -> None:
    require_member(actor, enterprise)
    if not permissions.is_owner(actor, enterprise):
        raise ApplicationError(
            _("Only owners of the enterprise can do this."), code="not_owner", status=403
        )


def rematch_later(*, enterprise_id: int) -> None:
    """The enterprise's matchable data changed: publish ``enterprise.changed`` in the
    change's transaction (financing rematches it after commit, through the outbox)."""
    events.publish(events.ENTERPRISE_CHANGED, enterprise_id=enterprise_id)
