"""Navigation context for the policy funds: which of the funds pages the signed-in user may
open, so the main navigation links the funds only for those who have some, and the funds'
tabs show only the pages the user may open."""

from ecosystem.funds import permissions


def funds_nav(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    tabs = {
        "loans": permissions.can_view_loan_list(user),
        "schemes": permissions.can_view_scheme_list(user),
        "work": permissions.can_view_work_list(user),
        "dashboard": permissions.can_view_fund_dashboard(user),
    }
    return {"funds_tabs": tabs, "nav_funds": tabs["loans"]}
