"""The zone official's identity pages: what waits (identities, disputes, names registered
under another code, claims the official list disagrees with), one firm's identity
documents with the decision, one dispute with both sides and the decision."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ecosystem.core.errors import ApplicationError
from ecosystem.enterprises import permissions
from ecosystem.enterprises.identity_forms import DisputeDecisionForm, IdentityDecisionForm
from ecosystem.enterprises.identity_selectors import (
    disputes_for_official,
    flags_for_official,
    identity_enterprises_for_official,
    identity_queue,
)
from ecosystem.enterprises.review.views.common import form_error, official_required
from ecosystem.enterprises.services.disputes import dispute_decide
from ecosystem.enterprises.services.identity import identity_decide, name_flag_clear
from ecosystem.enterprises.workflow import DisputeStatus, IdentityStatus


@official_required
def zone_identity_queue(request):
    return render(
        request,
        "zones/identity_queue.html",
        {"tab": "identity", **identity_queue(user=request.user)},
    )


def _identity_page(request, enterprise, *, form=None, status: int = 200):
    checks = enterprise.identity_checks.select_related(
        "bank", "decided_by", "submitted_by"
    ).prefetch_related("documents")
    context = {
        "tab": "identity",
        "enterprise": enterprise,
        "checks": checks[:10],
        "others": flags_for_official(user=request.user).filter(enterprise=enterprise),
        "disputes": enterprise.disputes.select_related("filed_by"),
        "form": form or IdentityDecisionForm(),
        "may_decide": enterprise.identity_status == IdentityStatus.SUBMITTED
        and permissions.is_zone_official_for(request.user, enterprise),
    }
    return render(request, "zones/identity_review.html", context, status=status)


@official_required
def zone_identity_review(request, pk: int):
    enterprise = get_object_or_404(identity_enterprises_for_official(user=request.user), pk=pk)
    return _identity_page(request, enterprise)


@official_required
@require_POST
def zone_identity_decide(request, pk: int):
    enterprise = get_object_or_404(identity_enterprises_for_official(user=request.user), pk=pk)
    form = IdentityDecisionForm(request.POST)
    if not form.is_valid():
        return _identity_page(request, enterprise, form=form, status=400)
    try:
        identity_decide(
            enterprise=enterprise,
            actor=request.user,
            confirm=form.cleaned_data["decision"] == "confirm",
            reason_code=form.cleaned_data["reason_code"],
            note=form.cleaned_data["note"],
        )
    except ApplicationError as exc:
        form_error(form, exc)
        return _identity_page(request, enterprise, form=form, status=exc.status)
    messages.success(request, _("The decision was recorded and the enterprise notified."))
    return redirect("zone_identity_review", pk=enterprise.pk)


def _dispute_page(request, dispute, *, form=None, status: int = 200):
    context = {
        "tab": "identity",
        "dispute": dispute,
        "enterprise": dispute.enterprise,
        "holder_checks": dispute.enterprise.identity_checks.prefetch_related("documents")[:5],
        "form": form or DisputeDecisionForm(),
        "may_decide": dispute.status == DisputeStatus.FILED
        and permissions.is_zone_official_for(request.user, dispute.enterprise),
    }
    return render(request, "zones/dispute_review.html", context, status=status)


@official_required
def zone_dispute_review(request, pk: int):
    dispute = get_object_or_404(disputes_for_official(user=request.user), pk=pk)
    return _dispute_page(request, dispute)


@official_required
@require_POST
def zone_dispute_decide(request, pk: int):
    dispute = get_object_or_404(disputes_for_official(user=request.user), pk=pk)
    form = DisputeDecisionForm(request.POST)
    if not form.is_valid():
        return _dispute_page(request, dispute, form=form, status=400)
    try:
        dispute_decide(
            dispute=dispute,
            actor=request.user,
            uphold=form.cleaned_data["decision"] == "uphold",
            reason_code=form.cleaned_data["reason_code"],
            note=form.cleaned_data["note"],
        )
    except ApplicationError as exc:
        form_error(form, exc)
        return _dispute_page(request, dispute, form=form, status=exc.status)
    messages.success(request, _("The dispute is decided; everyone concerned was notified."))
    return redirect("zone_dispute_review", pk=dispute.pk)


@official_required
@require_POST
def zone_name_flag_clear(request, pk: int):
    flag = get_object_or_404(flags_for_official(user=request.user), pk=pk)
    try:
        name_flag_clear(flag=flag, actor=request.user)
    except ApplicationError as exc:
        if exc.status == 404:
            raise Http404 from exc
        messages.error(request, exc.message)
    return redirect("zone_identity_queue")
