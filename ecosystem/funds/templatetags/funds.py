"""The loan on a lead's page: ``{% load funds %}{% lead_loan lead %}``, included by the
lead page in one line, so financing knows nothing of funds."""

from django import template

from ecosystem.funds import permissions, selectors
from ecosystem.funds.forms import LoanEventForm, LoanOpenForm, LoanStatusForm

register = template.Library()


@register.inclusion_tag("funds/_lead_loan_body.html", takes_context=True)
def lead_loan(context, lead):
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or lead is None:
        return {"show": False}
    loan = selectors.loan_of_lead(user=user, lead=lead)
    pool = selectors.lead_pool_line(user=user, lead=lead)
    if loan is None:
        may_open = lead.status == lead.Status.DISBURSED and permissions.can_open_loan(user, lead)
        return {
            "show": may_open or pool is not None,
            "pool": pool,
            "lead": lead,
            "open_form": LoanOpenForm(prefix="loan") if may_open else None,
        }
    may_report = permissions.can_report_loan(user, loan)
    return {
        "show": True,
        "pool": pool,
        "lead": lead,
        "loan": loan,
        "status_form": LoanStatusForm(prefix="status") if may_report else None,
        "event_form": LoanEventForm(prefix="event") if may_report else None,
    }


#: Where ``scheme_reason`` keeps the risk-pool terms for the rest of the request.
_RISK_POOLS = "_funds_risk_pool_terms"


@register.inclusion_tag("funds/_match_scheme_body.html", takes_context=True)
def scheme_reason(context, product):
    """A match's extra reason: the product lends under a risk pool that covers a share of
    the bank's losses (``SchemeProduct``; the terms in force today). The terms are read
    once for the request (``selectors.risk_pool_terms``), not once for each product: each
    ``{% include %}`` of a page's loop renders with a render context of its own, so they
    are kept on the request."""
    from django.utils import timezone

    request = context.get("request")
    terms = getattr(request, _RISK_POOLS, None)
    if terms is None:
        terms = selectors.risk_pool_terms(on=timezone.localdate())
        if request is not None:
            setattr(request, _RISK_POOLS, terms)
    scheme, share = terms.get(product.pk, (None, None))
    if scheme is None:
        return {"scheme": None}
    return {"scheme": scheme, "share": (share * 100).normalize()}


@register.filter
def percent(fraction) -> str:
    """A stored fraction as people read it: 0.5 → "50", 0.025 → "2.5"."""
    from decimal import Decimal, InvalidOperation

    try:
        value = (Decimal(fraction) * 100).quantize(Decimal("0.01"))
    except (InvalidOperation, TypeError, ValueError):
        return ""
    text = f"{value:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


@register.inclusion_tag("funds/_product_scheme_body.html", takes_context=True)
def product_scheme_line(context, product):
    """On the product editor, to its bank's managers (not the platform admin, who may edit
    products but declares no scheme): the scheme the product lends under and the link to
    change it."""
    from ecosystem.accounts.scope import scope_of
    from ecosystem.funds.models import SchemeProduct

    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not scope_of(user).manages_bank(product.bank_id):
        return {"show": False}
    link = SchemeProduct.objects.filter(product=product).select_related("scheme").first()
    return {"show": True, "product": product, "link": link}
