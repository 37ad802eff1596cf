"""Consent for banks (grant, revoke, history) and the log of bank views."""

from __future__ import annotations

from allauth.account.decorators import verified_email_required
from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ecosystem.core.errors import ApplicationError
from ecosystem.enterprises import selectors, services
from ecosystem.enterprises.forms import ConsentForm
from ecosystem.enterprises.views.common import enterprise_context, form_error, member_enterprise


def _page(request, enterprise, form=None):
    consents = selectors.consents_of(enterprise=enterprise).select_related("revoked_by")
    return render(
        request,
        "enterprises/consent.html",
        enterprise_context(
            request,
            enterprise,
            "consent",
            active=[c for c in consents if c.is_active],
            history=consents,
            form=form or ConsentForm(),
        ),
    )


@verified_email_required
def consent_list(request, pk: int):
    return _page(request, member_enterprise(request, pk))


@verified_email_required
@require_POST
def consent_grant(request, pk: int):
    enterprise = member_enterprise(request, pk)
    form = ConsentForm(request.POST)
    if form.is_valid():
        try:
            consent = services.consent_grant(
                enterprise=enterprise,
                actor=request.user,
                bank=form.cleaned_data["bank"],
                purpose=form.cleaned_data["purpose"],
            )
        except ApplicationError as exc:
            form_error(form, exc, field="bank")
        else:
            messages.success(
                request,
                _("%(bank)s may now see this enterprise's data for %(purpose)s.")
                % {"bank": consent.bank, "purpose": consent.get_purpose_display()},
            )
            return redirect("consent_list", pk=enterprise.pk)
    return _page(request, enterprise, form)


@verified_email_required
@require_POST
def consent_revoke(request, pk: int, consent_pk: int):
    enterprise = member_enterprise(request, pk)
    consent = get_object_or_404(selectors.consents_of(enterprise=enterprise), pk=consent_pk)
    try:
        services.consent_revoke(consent=consent, actor=request.user)
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            _("Consent revoked: %(bank)s no longer sees this enterprise's data.")
            % {"bank": consent.bank},
        )
    return redirect("consent_list", pk=enterprise.pk)


@verified_email_required
def access_log(request, pk: int):
    """Who from which bank viewed what, and when."""
    enterprise = member_enterprise(request, pk)
    page = Paginator(selectors.access_log_of(enterprise=enterprise), 50).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "enterprises/access_log.html",
        enterprise_context(request, enterprise, "access_log", page=page),
    )
