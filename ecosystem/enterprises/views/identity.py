"""The registrant's identity on the enterprise's pages: documents to upload and the
decision (members), a cooperating bank's confirmation, the documents themselves; and the
dispute a company files when it finds its code registered by someone else."""

from __future__ import annotations

import io

from allauth.account.decorators import verified_email_required
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ecosystem.core.errors import ApplicationError
from ecosystem.core.uploads import is_well_formed_pdf
from ecosystem.core.uscc import normalize_uscc
from ecosystem.enterprises import permissions
from ecosystem.enterprises.identity_forms import DisputeForm, IdentityDocumentsForm
from ecosystem.enterprises.identity_selectors import identity_documents_visible_to
from ecosystem.enterprises.selectors import enterprise_registered_as
from ecosystem.enterprises.services.disputes import dispute_file
from ecosystem.enterprises.services.identity import identity_bank_confirm, identity_submit
from ecosystem.enterprises.views.common import (
    enterprise_context,
    form_error,
    member_enterprise,
    readable_enterprise,
)
from ecosystem.enterprises.workflow import IdentityStatus


def _page(request, enterprise, *, form=None, status: int = 200):
    is_member = permissions.is_member(request.user, enterprise)
    checks = enterprise.identity_checks.select_related("bank", "decided_by", "submitted_by")
    context = enterprise_context(
        request,
        enterprise,
        "identity",
        checks=checks.prefetch_related("documents")[:10],
        form=form if form is not None else (IdentityDocumentsForm() if is_member else None),
        may_submit=is_member
        and enterprise.identity_status in (IdentityStatus.UNCONFIRMED, IdentityStatus.REFUSED),
        may_confirm_as_bank=permissions.bank_viewing(request.user, enterprise) is not None
        and enterprise.identity_status != IdentityStatus.CONFIRMED,
    )
    return render(request, "enterprises/identity.html", context, status=status)


@verified_email_required
def enterprise_identity(request, pk: int):
    """GET: the identity's status and history (anyone who sees the firm). POST: a member
    uploads the business licence and the letter of authorisation."""
    if request.method != "POST":
        return _page(request, readable_enterprise(request, pk))
    enterprise = member_enterprise(request, pk)
    form = IdentityDocumentsForm(request.POST, request.FILES)
    if not form.is_valid():
        return _page(request, enterprise, form=form, status=400)
    try:
        identity_submit(
            enterprise=enterprise,
            actor=request.user,
            licence=form.cleaned_data["licence"],
            letter=form.cleaned_data["letter"],
            note=form.cleaned_data["note"],
        )
    except ApplicationError as exc:
        form_error(form, exc)
        return _page(request, enterprise, form=form, status=exc.status)
    messages.success(
        request, _("The documents were sent to the zone official, who will confirm them.")
    )
    return redirect("enterprise_identity", pk=enterprise.pk)


@login_required
@require_POST
def identity_bank_confirm_view(request, pk: int):
    """A cooperating bank confirms the registrant from its own corporate-account KYC."""
    enterprise = readable_enterprise(request, pk)
    try:
        identity_bank_confirm(
            enterprise=enterprise, actor=request.user, note=request.POST.get("note", "")[:2000]
        )
    except ApplicationError as exc:
        if exc.status == 404:
            raise Http404 from exc
        messages.error(request, exc.message)
        return redirect("enterprise_identity", pk=enterprise.pk)
    messages.success(request, _("The identity is confirmed; your bank is recorded as the source."))
    return redirect("enterprise_identity", pk=enterprise.pk)


@login_required
def identity_document(request, document_pk: int):
    """Stream one identity document to whoever may see it; nobody else learns it exists."""
    document = get_object_or_404(identity_documents_visible_to(user=request.user), pk=document_pk)
    with document.file.open("rb") as stored:
        data = stored.read()
    inline = document.kind != "pdf" or is_well_formed_pdf(data)
    response = FileResponse(
        io.BytesIO(data),
        content_type=document.content_type,
        as_attachment=not inline,
        filename=document.original_name,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@verified_email_required
def onboarding_dispute(request):
    """A company finds its code registered by someone else: it files a dispute with its
    business licence and letter of authorisation; the zone official decides."""
    code = normalize_uscc(request.POST.get("uscc") or request.GET.get("uscc") or "")
    existing = enterprise_registered_as(uscc=code) if code else None
    if request.method != "POST":
        form = DisputeForm(initial={"uscc": code})
        return render(
            request, "enterprises/dispute_form.html", {"form": form, "existing": existing}
        )
    form = DisputeForm(request.POST, request.FILES)
    status = 400
    if form.is_valid():
        try:
            dispute_file(
                user=request.user,
                uscc=form.cleaned_data["uscc"],
                claimed_name=form.cleaned_data["claimed_name"],
                licence=form.cleaned_data["licence"],
                letter=form.cleaned_data["letter"],
                message=form.cleaned_data["message"],
            )
        except ApplicationError as exc:
            form_error(form, exc)
            status = exc.status
        else:
            messages.success(
                request,
                _(
                    "Your dispute was filed. The zone official compares the documents and "
                    "decides; you will be notified."
                ),
            )
            return redirect(reverse("my_enterprises"))
    return render(
        request,
        "enterprises/dispute_form.html",
        {"form": form, "existing": existing},
        status=status,
    )
