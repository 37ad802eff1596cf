"""Qualification claims: list, new claim with evidence, detail, editing, submission, and
the permission-checked evidence download."""

from __future__ import annotations

import io

from allauth.account.decorators import verified_email_required
from csp.decorators import csp_replace
from django.contrib import messages
from django.http import FileResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.http import require_POST

from ecosystem.core.errors import ApplicationError
from ecosystem.core.uploads import check_upload, is_well_formed_pdf
from ecosystem.enterprises import selectors, services, workflow
from ecosystem.enterprises.forms import ClaimForm, ClaimSubmitForm, EvidenceForm, NewClaimForm
from ecosystem.enterprises.services.claims import MAX_EVIDENCE_FILES
from ecosystem.enterprises.views.common import (
    enterprise_context,
    form_error,
    log_bank_view,
    member_enterprise,
    readable_enterprise,
)

CLAIM_FIELDS = ("program", "certificate_number", "year", "valid_until")


def _claims(request, enterprise):
    return selectors.claims_visible_to(user=request.user).filter(enterprise=enterprise)


def _checked(form, field: str, files, *, already: int = 0) -> bool:
    """Judge every file before anything is saved, so a refused file changes nothing and
    the form comes back with what was typed."""
    if already + len(files) > MAX_EVIDENCE_FILES:
        form.add_error(
            field,
            _("A claim holds at most %(count)d files.") % {"count": MAX_EVIDENCE_FILES},
        )
        return False
    ok = True
    for upload in files:
        try:
            check_upload(upload)
        except ApplicationError as exc:
            form.add_error(field, exc.message)
            ok = False
    return ok


@verified_email_required
def claim_list(request, pk: int):
    enterprise = readable_enterprise(request, pk)
    log_bank_view(request, enterprise, "claims")
    return render(
        request,
        "enterprises/claims/list.html",
        enterprise_context(
            request, enterprise, "claims", claims=_claims(request, enterprise).order_by("-year")
        ),
    )


@verified_email_required
def claim_create(request, pk: int):
    enterprise = member_enterprise(request, pk)
    form = NewClaimForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        files = form.cleaned_data["evidence"]
        if _checked(form, "evidence", files):
            fields = {name: form.cleaned_data[name] for name in CLAIM_FIELDS}
            try:
                # One claim with all its files, or nothing.
                claim = services.claim_create(
                    enterprise=enterprise, actor=request.user, uploads=files, **fields
                )
            except ApplicationError as exc:
                form_error(form, exc, field="program")
            else:
                messages.success(request, _("The claim was saved as a draft."))
                return redirect(claim.get_absolute_url())
    return render(
        request,
        "enterprises/claims/new.html",
        enterprise_context(request, enterprise, "claims", form=form),
    )


def _reason_label(code: str) -> str:
    """The zone's managed wording of a rejection reason code, in the active language."""
    if not code:
        return ""
    from ecosystem.zones.models import RejectionReason

    reason = RejectionReason.objects.filter(code=code).first()
    return reason.label if reason is not None else code


def _detail(request, enterprise, claim, *, status: int = 200, **forms):
    context = enterprise_context(
        request,
        enterprise,
        "claims",
        claim=claim,
        evidence=claim.evidence.all(),
        revisions=claim.revisions.select_related("created_by"),
        reason=_reason_label(claim.reason_code),
    )
    context["editable"] = context["is_member"] and claim.status in workflow.EDITABLE
    if not context["editable"]:
        # The forms are not shown on a claim that can no longer change: say why here.
        for form in forms.values():
            for errors in form.errors.values():
                for error in errors:
                    messages.error(request, error)
    if context["editable"]:
        context["claim_form"] = forms.get("claim_form") or ClaimForm(
            initial={
                **{name: getattr(claim, name) for name in CLAIM_FIELDS},
                "program": claim.program_id,
                "version": claim.version,
            }
        )
        context["evidence_form"] = forms.get("evidence_form") or EvidenceForm()
        context["submit_form"] = forms.get("submit_form") or ClaimSubmitForm()
    return render(request, "enterprises/claims/detail.html", context, status=status)


@verified_email_required
def claim_detail(request, pk: int, claim_pk: int):
    enterprise = readable_enterprise(request, pk)
    claim = get_object_or_404(_claims(request, enterprise), pk=claim_pk)
    log_bank_view(request, enterprise, "claims")
    return _detail(request, enterprise, claim)


def _member_claim(request, pk: int, claim_pk: int):
    enterprise = member_enterprise(request, pk)
    return enterprise, get_object_or_404(_claims(request, enterprise), pk=claim_pk)


@verified_email_required
@require_POST
def claim_edit(request, pk: int, claim_pk: int):
    enterprise, claim = _member_claim(request, pk, claim_pk)
    form = ClaimForm(request.POST)
    if form.is_valid():
        try:
            claim = services.claim_update(
                claim=claim,
                actor=request.user,
                expected_version=form.cleaned_data["version"],
                **{name: form.cleaned_data[name] for name in CLAIM_FIELDS},
            )
        except ApplicationError as exc:
            form_error(form, exc)
        else:
            messages.success(request, _("The claim was saved."))
            return redirect(claim.get_absolute_url())
    return _detail(request, enterprise, claim, claim_form=form)


@verified_email_required
@require_POST
def evidence_upload(request, pk: int, claim_pk: int):
    enterprise, claim = _member_claim(request, pk, claim_pk)
    form = EvidenceForm(request.POST, request.FILES)
    if form.is_valid():
        files = form.cleaned_data["files"]
        if _checked(form, "files", files, already=claim.evidence.count()):
            try:
                services.evidence_add_many(claim=claim, actor=request.user, uploads=files)
            except ApplicationError as exc:
                form_error(form, exc, field="files")
            else:
                messages.success(request, _("The evidence was added."))
                return redirect(claim.get_absolute_url())
    return _detail(request, enterprise, claim, evidence_form=form)


@verified_email_required
@require_POST
def evidence_remove(request, pk: int, claim_pk: int, evidence_pk: int):
    enterprise, claim = _member_claim(request, pk, claim_pk)
    evidence = get_object_or_404(claim.evidence.all(), pk=evidence_pk)
    try:
        services.evidence_remove(evidence=evidence, actor=request.user)
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("%(name)s was removed.") % {"name": evidence.original_name})
    return redirect(claim.get_absolute_url())


@verified_email_required
@require_POST
def claim_submit(request, pk: int, claim_pk: int):
    enterprise, claim = _member_claim(request, pk, claim_pk)
    form = ClaimSubmitForm(request.POST)
    if form.is_valid():
        try:
            claim = services.claim_submit(
                claim=claim, actor=request.user, message=form.cleaned_data["message"]
            )
        except ApplicationError as exc:
            form_error(form, exc)
        else:
            messages.success(request, _("The claim was submitted. The zone will verify it."))
            return redirect(claim.get_absolute_url())
    return _detail(request, enterprise, claim, submit_form=form)


@xframe_options_sameorigin  # shown inline beside the claim on the zone's review page
@csp_replace({"frame-ancestors": ["'self'"]})
@verified_email_required
def evidence_download(request, pk: int, claim_pk: int, evidence_pk: int):
    """Stream one evidence file to whoever may see the claim; nobody else learns it exists."""
    evidence = get_object_or_404(
        selectors.evidence_visible_to(user=request.user).select_related("claim__enterprise"),
        pk=evidence_pk,
        claim_id=claim_pk,
        claim__enterprise_id=pk,
    )
    log_bank_view(request, evidence.claim.enterprise, "evidence")
    with evidence.file.open("rb") as stored:
        data = stored.read()
    # Shown inline only as what it is: an image, or a PDF that really is one. A file that
    # merely starts with ``%PDF-`` (an HTML polyglot) is a download.
    inline = evidence.kind != evidence.Kind.PDF or is_well_formed_pdf(data)
    response = FileResponse(
        io.BytesIO(data),
        content_type=evidence.content_type,
        as_attachment=not inline,
        filename=evidence.original_name,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
