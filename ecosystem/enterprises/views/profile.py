"""The enterprise's profile page, its editing with optimistic locking, and the
technology-based SME self-assessment."""

from __future__ import annotations

from allauth.account.decorators import verified_email_required
from django.contrib import messages
from django.db.models import Q
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from ecosystem.core.errors import ApplicationError
from ecosystem.enterprises import selectors, services
from ecosystem.enterprises.assessment import ROUTE_DIRECT, TSME_RULES_2017, assess_year
from ecosystem.enterprises.forms import ProfileForm
from ecosystem.enterprises.models import FinancingNeed
from ecosystem.enterprises.services.registration import PROFILE_FIELDS
from ecosystem.enterprises.stage import Basis, stage_of
from ecosystem.enterprises.views.common import (
    enterprise_context,
    form_error,
    log_bank_view,
    member_enterprise,
    readable_enterprise,
)
from ecosystem.enterprises.workflow import ClaimStatus
from ecosystem.registries.reference import HIGH_TECH_ENTERPRISE


def _stage(enterprise, latest):
    return stage_of(enterprise, basis=Basis.DECLARED, figures=latest)


@verified_email_required
def enterprise_detail(request, pk: int):
    enterprise = readable_enterprise(request, pk)
    log_bank_view(request, enterprise, "profile")
    latest = selectors.latest_financial_year(enterprise=enterprise)
    claims = selectors.claims_visible_to(user=request.user).filter(enterprise=enterprise)
    needs = selectors.needs_of(enterprise=enterprise).filter(status=FinancingNeed.Status.OPEN)
    return render(
        request,
        "enterprises/detail.html",
        enterprise_context(
            request,
            enterprise,
            "profile",
            latest=latest,
            stage=_stage(enterprise, latest),
            claims=claims,
            needs=needs,
        ),
    )


def _profile_initial(enterprise) -> dict:
    initial = {name: getattr(enterprise, name) for name in PROFILE_FIELDS}
    initial.update(
        zone=enterprise.zone_id, industry=enterprise.industry_id, version=enterprise.version
    )
    return initial


def _differences(form, current) -> list[tuple[str, object]]:
    """Fields where the record saved meanwhile differs from what the user typed."""
    valid = form.is_valid()
    rows = []
    for name in PROFILE_FIELDS:
        theirs = getattr(current, name)
        mine = form.cleaned_data.get(name) if valid else form[name].value()
        if _key(theirs) != _key(mine):
            rows.append((form.fields[name].label, theirs))
    return rows


def _key(value) -> str:
    return str(getattr(value, "pk", value) or "")


@verified_email_required
def enterprise_edit(request, pk: int):
    """Edit the profile. The form carries the version it was loaded at; if someone saved
    meanwhile, the save is refused and the user's input stays in the form."""
    enterprise = member_enterprise(request, pk)
    conflict = []
    if request.method != "POST":
        form = ProfileForm(initial=_profile_initial(enterprise))
    else:
        form = ProfileForm(request.POST)
        if form.is_valid():
            changes = {name: form.cleaned_data[name] for name in PROFILE_FIELDS}
            try:
                services.enterprise_update(
                    enterprise=enterprise,
                    actor=request.user,
                    expected_version=form.cleaned_data["version"],
                    **changes,
                )
            except ApplicationError as exc:
                if exc.code == "stale_version":
                    # Keep the input; carry the current version so that a deliberate
                    # second save (after comparing) goes through.
                    current = member_enterprise(request, pk)
                    data = request.POST.copy()
                    data["version"] = str(current.version)
                    form = ProfileForm(data)
                    conflict = _differences(form, current)
                    form.add_error(None, exc.message)
                else:
                    form_error(form, exc)
            else:
                messages.success(request, _("The profile was saved."))
                return redirect(enterprise.get_absolute_url())
    return render(
        request,
        "enterprises/edit.html",
        enterprise_context(request, enterprise, "profile", form=form, conflict=conflict),
    )


@verified_email_required
def self_assessment(request, pk: int):
    """Advisory scoring of the latest yearly figures against the MOST 2017 rules."""
    enterprise = readable_enterprise(request, pk)
    log_bank_view(request, enterprise, "self_assessment")
    latest = selectors.latest_financial_year(enterprise=enterprise)
    today = timezone.localdate()
    hte_claim = (
        selectors.claims_visible_to(user=request.user)
        .filter(
            enterprise=enterprise,
            program__code=HIGH_TECH_ENTERPRISE,
            status=ClaimStatus.VERIFIED,
        )
        .filter(Q(valid_until__isnull=True) | Q(valid_until__gte=today))
        .first()
    )
    result = None
    if latest is not None:
        result = assess_year(latest, has_valid_hte_certificate=hte_claim is not None)
    return render(
        request,
        "enterprises/self_assessment.html",
        enterprise_context(
            request,
            enterprise,
            "assessment",
            latest=latest,
            result=result,
            hte_claim=hte_claim,
            rules=TSME_RULES_2017,
            route_direct=ROUTE_DIRECT,
        ),
    )
