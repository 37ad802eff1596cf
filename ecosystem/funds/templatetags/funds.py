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
