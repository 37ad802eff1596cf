"""The registry officer's name-match queue: rows of lists without credit codes, each with
the registered firms it may be, to confirm or reject one by one."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ecosystem.core.errors import ApplicationError
from ecosystem.enterprises.models import NameMatch
from ecosystem.enterprises.services import name_matching
from ecosystem.registries.selectors import programs_managed_by

PER_PAGE = 50


def _queue(request):
    programs = programs_managed_by(user=request.user)
    if not programs.exists():
        raise Http404
    status = request.GET.get("status") or NameMatch.Status.PROPOSED
    if status not in NameMatch.Status.values:
        status = NameMatch.Status.PROPOSED
    matches = (
        NameMatch.objects.filter(entry__program__in=programs, status=status)
        .select_related("entry__program", "enterprise__zone", "decided_by")
        .order_by("entry__program__code", "entry__batch", "entry_id", "kind", "enterprise__name")
    )
    return matches, status


@login_required
def name_match_queue(request):
    matches, status = _queue(request)
    page = Paginator(matches, PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "enterprises/name_matches/queue.html",
        {
            "page": page,
            "status": status,
            "statuses": NameMatch.Status.choices,
            "tab": "name_matches",
        },
    )


@login_required
@require_POST
def name_match_decide(request, pk: int, decision: str):
    service = {
        "confirm": name_matching.name_match_confirm,
        "reject": name_matching.name_match_reject,
    }.get(decision)
    if service is None:
        raise Http404
    try:
        match = service(match_id=pk, actor=request.user)
    except ApplicationError as exc:
        if exc.status == 404:
            raise Http404 from exc
        messages.error(request, exc.message)
    else:
        if decision == "confirm":
            messages.success(
                request,
                _("%(row)s is now %(firm)s (%(code)s); its claims are checked against the list.")
                % {
                    "row": match.entry.name,
                    "firm": match.enterprise.name,
                    "code": match.enterprise.uscc,
                },
            )
        else:
            messages.info(request, _("The proposal was rejected; nothing else changed."))
    return redirect("registry_name_matches")
