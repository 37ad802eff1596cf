from allauth.account.decorators import verified_email_required
from django.shortcuts import render

from ecosystem.enterprises.selectors import enterprises_for_member


@verified_email_required
def my_enterprises(request):
    """The signed-in member's enterprises; onboarding arrives with the Enterprise issue."""
    return render(
        request,
        "enterprises/my_enterprises.html",
        {"enterprises": enterprises_for_member(user=request.user)},
    )
