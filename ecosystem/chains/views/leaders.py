"""Zone officials designate the chain leaders of their zone's enterprises and end them."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ecosystem.chains import permissions, selectors, services
from ecosystem.chains.forms import DesignateForm
from ecosystem.core.errors import ApplicationError
from ecosystem.enterprises.selectors import enterprise_registered_as
from ecosystem.enterprises.views.common import form_error


def _official_or_admin(request) -> None:
    if not permissions.can_manage_leaders(request.user):
        raise Http404


@login_required
def leader_list(request):
    _official_or_admin(request)
    form = DesignateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        enterprise = enterprise_registered_as(uscc=form.cleaned_data["uscc"])
        if enterprise is None or not permissions.can_designate(request.user, enterprise):
            form.add_error("uscc", _("No enterprise with this credit code in your zones."))
        else:
            try:
                services.leader_designate(
                    chain=form.cleaned_data["chain"], enterprise=enterprise, actor=request.user
                )
            except ApplicationError as exc:
                form_error(form, exc, field="uscc")
            else:
                messages.success(
                    request,
                    _("%(name)s now leads the %(chain)s chain.")
                    % {"name": enterprise.name, "chain": form.cleaned_data["chain"].name},
                )
                return redirect("chains:leader_list")
    leaders = selectors.leaders_managed_by(user=request.user).annotate(
        confirmed=Count("links", filter=Q(links__status="confirmed")),
        pending=Count("links", filter=Q(links__status__in=("requested", "invited"))),
    )
    leaders = _rows(list(leaders))
    return render(
        request,
        "chains/leaders.html",
        {"form": form, "leaders": leaders, "tab": "leaders"},
        status=400 if request.method == "POST" else 200,
    )


def _rows(leaders):
    """What each row shows beyond its fields, made in Python once for the table: the
    "end" URL from one ``reverse`` (a ``{% url %}`` a row cost 0.5 ms) and the local
    dates (a ``|date`` filter a date), for the 240 leaders of the national world."""
    head, tail = reverse("chains:leader_end", args=[0]).rsplit("/0/", 1)
    for leader in leaders:
        leader.end_url = f"{head}/{leader.pk}/{tail}"
        leader.designated_on = _local_date(leader.designated_at)
        leader.ended_on = _local_date(leader.ended_at)
    return leaders


def _local_date(moment) -> str:
    """``moment|date:"Y-m-d"`` in the current time zone; empty for none."""
    return timezone.localtime(moment).date().isoformat() if moment else ""


@login_required
@require_POST
def leader_end(request, leader_pk: int):
    _official_or_admin(request)
    leader = get_object_or_404(selectors.leaders_managed_by(user=request.user), pk=leader_pk)
    try:
        services.leader_end(leader=leader, actor=request.user)
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("The designation has ended; its supplier links with it."))
    return redirect("chains:leader_list")
