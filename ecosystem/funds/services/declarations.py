"""A bank product declared as lending under a scheme the bank cooperates in (the match
reason "covered by <scheme>: 50 % of losses" and the headroom on the lead page follow)."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from ecosystem.accounts.scope import scope_of
from ecosystem.core.errors import ApplicationError
from ecosystem.core.services import audit_record
from ecosystem.funds.models import CooperatingBank, SchemeProduct
from ecosystem.funds.services.common import not_found


def scheme_product_declare(*, product, scheme, actor) -> SchemeProduct | None:
    """A manager of the product's bank names the scheme it lends under (``scheme=None``:
    none). Only a scheme the bank has joined; the same declaration again changes nothing."""
    if not scope_of(actor).manages_bank(product.bank_id):
        raise not_found()
    if (
        scheme is not None
        and not CooperatingBank.objects.filter(scheme=scheme, bank_id=product.bank_id).exists()
    ):
        message = _("The bank has not joined this scheme: accept its terms first.")
        raise ApplicationError(
            message, code="not_cooperating", extra={"errors": {"scheme": [message]}}
        )
    with transaction.atomic():
        current = SchemeProduct.objects.select_for_update().filter(product=product).first()
        if (current.scheme_id if current else None) == (scheme.pk if scheme else None):
            return current
        before = {"scheme": current.scheme_id} if current else None
        if scheme is None:
            current.delete()
            audit_record(
                actor=actor, verb="scheme.product_undeclared", target=product, before=before
            )
            return None
        if current is None:
            current = SchemeProduct.objects.create(product=product, scheme=scheme)
        else:
            current.scheme = scheme
            current.save(update_fields=["scheme"])
        audit_record(
            actor=actor,
            verb="scheme.product_declared",
            target=product,
            before=before,
            after={"scheme": scheme.pk},
        )
    return current
