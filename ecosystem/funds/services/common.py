"""What the funds' services share: errors, money rounding and the party check."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext_lazy as _

from ecosystem.core.errors import ApplicationError, ConflictError

CENT = Decimal("0.01")


def cents(value: Decimal) -> Decimal:
    """Yuan to the fen, half up (the rounding every calculation of the funds uses)."""
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


def race_window(point: str) -> None:
    """Called by a service between reading what it decides on and writing the decision
    (``point``: "filing", "claim_approval"). It does nothing; the race tests replace it to
    hold one transaction there while another tries the same move, which proves that the
    lock taken before the read — not luck in thread timing — keeps exactly one winner."""


def not_found() -> ApplicationError:
    return ApplicationError(_("Not found."), code="not_found", status=404)


def refused_move(source_label, target_label) -> ConflictError:
    return ConflictError(
        _("This cannot go from “%(source)s” to “%(target)s”.")
        % {"source": source_label, "target": target_label},
        code="invalid_transition",
    )
