"""The one check every funds workflow runs before a move: is it in the table, is the actor
a party allowed to take it, is the reason given, and is it a second person where four
eyes are required. Nothing is changed when the check refuses."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from ecosystem.core.errors import ApplicationError, ConflictError
from ecosystem.funds.services.common import not_found, refused_move
from ecosystem.funds.workflow import Move


def check_move(
    *,
    table: dict[tuple[str, str], Move],
    choices,
    source: str,
    target: str,
    parties: set[str],
    reason: str = "",
    actor=None,
    previous_actor_id=None,
    may_view: bool = True,
) -> Move:
    """The move from ``source`` to ``target``, or the error that refuses it."""
    move = table.get((source, target))
    if move is None:
        raise refused_move(choices(source).label, choices(target).label)
    if not parties & move.parties:
        if not may_view:
            raise not_found()
        raise ApplicationError(_("You may not take this step."), code="not_your_move", status=403)
    if move.requires_reason and not (reason or "").strip():
        raise ApplicationError(
            _("Give the reason."), code="reason_required", extra={"field": "reason"}
        )
    if move.second_person and actor is not None and previous_actor_id == actor.pk:
        raise ConflictError(
            _("The person who reviewed this cannot also decide it: a second person must."),
            code="four_eyes",
        )
    return move
