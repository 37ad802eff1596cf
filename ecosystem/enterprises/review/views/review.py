"""One claim under review: its data, evidence inline, the enterprise, matching list
entries and the history beside the decision forms (approve, reject, ask for more)."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ecosystem.core.errors import ApplicationError, ConflictError
from ecosystem.enterprises.permissions import is_zone_official_for
from ecosystem.enterprises.review.forms import (
    DECISION_FORMS,
    ApproveForm,
    NeedsInfoForm,
    RejectForm,
)
from ecosystem.enterprises.review.selectors import (
    claim_history,
    enterprise_summary,
    registry_context,
    zone_claims,
)
from ecosystem.enterprises.review.views.common import form_error, official_required
from ecosystem.enterprises.services import claim_transition
from ecosystem.enterprises.workflow import AWAITING_DECISION, ClaimStatus
from ecosystem.zones.selectors import rejection_reason_label


def evidence_items(claim) -> list[dict]:
    """Each file with the permission-checked URL of the enterprise pages, shown inline."""
    return [
        {
            "file": evidence,
            "url": reverse("evidence_download", args=[claim.enterprise_id, claim.pk, evidence.pk]),
            "is_image": evidence.kind in ("jpeg", "png"),
            "is_pdf": evidence.kind == "pdf",
        }
        for evidence in claim.evidence.all()
    ]


def _render(request, claim, *, forms=None, conflict: str = "", status: int = 200):
    forms = forms or {}
    # Platform admins see every zone but decide in none: only the zone's officials do.
    open_for_decision = claim.status in AWAITING_DECISION and is_zone_official_for(
        request.user, claim.enterprise
    )
    context = {
        "claim": claim,
        "enterprise": claim.enterprise,
        "evidence": evidence_items(claim),
        "revisions": claim.revisions.select_related("created_by").order_by("number"),
        "history": claim_history(claim),
        "reason": rejection_reason_label(claim.reason_code) if claim.reason_code else "",
        "summary": enterprise_summary(claim.enterprise),
        "registry": registry_context(claim.enterprise),
        "open_for_decision": open_for_decision,
        "conflict": conflict,
        "tab": "queue",
    }
    if open_for_decision:
        context["approve_form"] = forms.get(ClaimStatus.VERIFIED) or ApproveForm()
        context["reject_form"] = forms.get(ClaimStatus.REJECTED) or RejectForm()
        context["needs_info_form"] = forms.get(ClaimStatus.NEEDS_INFO) or NeedsInfoForm()
    return render(request, "zones/claim_review.html", context, status=status)


@official_required
def claim_review(request, pk: int):
    claim = get_object_or_404(zone_claims(user=request.user), pk=pk)
    return _render(request, claim)


@official_required
@require_POST
def claim_decide(request, pk: int):
    """``to`` is verified, rejected or needs_info; one transition service decides."""
    claim = get_object_or_404(zone_claims(user=request.user), pk=pk)
    to = request.POST.get("to", "")
    form_class = DECISION_FORMS.get(to)
    if form_class is None:
        return _render(request, claim, conflict=_("Choose a decision."), status=400)
    form = form_class(request.POST)
    if not form.is_valid():
        return _render(request, claim, forms={to: form}, status=400)
    try:
        claim = claim_transition(claim=claim, to=to, actor=request.user, **form.cleaned_data)
    except ConflictError as exc:
        claim.refresh_from_db()
        return _render(request, claim, forms={to: form}, conflict=exc.message, status=409)
    except ApplicationError as exc:
        if exc.status == 404:
            raise Http404 from exc
        form_error(form, exc, field="reason_code" if "reason" in exc.code else None)
        return _render(request, claim, forms={to: form}, status=400)
    messages.success(
        request,
        _("%(enterprise)s · %(program)s: %(status)s.")
        % {
            "enterprise": claim.enterprise.name,
            "program": claim.program.name,
            "status": claim.get_status_display(),
        },
    )
    return redirect("zone_queue")
