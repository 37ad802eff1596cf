"""What the funds' services share: errors, money rounding and the party check."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext_lazy as _

from ecosystem.core.errors import ApplicationError, ConflictError

CENT = Decimal("0.01")


def cents(value: Decimal) -> Decimal:
    """Yuan to the fen, half up (the rounding every calculation of the funds uses)."""
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


def not_found() -> ApplicationError:
    return ApplicationError(_("Not found."), code="not_found", status=404)


def refused_move(source_label, target_label) -> ConflictError:
    return ConflictError(
        _("This cannot go from “%(source)s” to “%(target)s”.")
        % {"source": source_label, "target": target_label},
        code="invalid_transition",
    )
