"""The lead page for the bank: verified data, the match explanation, the timeline and
the moves the user may take (claim, assign, contact, offer, disbursement, decline).

Views parse input and call ``services.leads``; leads are fetched only through
querysets scoped to the user, so anyone else's lead is a 404.
"""

from __future__ import annotations

from decimal import Decimal

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ecosystem.core.errors import ApplicationError
from ecosystem.enterprises.services import access_log_record
from ecosystem.enterprises.views.common import form_error
from ecosystem.financing import services, workflow
from ecosystem.financing.clocks import lead_clock
from ecosystem.financing.eligibility.evaluator import evaluate, stage_of
from ecosystem.financing.eligibility.facts import facts_for
from ecosystem.financing.forms import (
    AssignForm,
    DeclineForm,
    DisbursementForm,
    NoteForm,
    OfferForm,
)
from ecosystem.financing.models import Lead
from ecosystem.financing.selectors import bank_leads_of
from ecosystem.financing.views.common import (
    bank_context,
    bank_staff_required,
)
from ecosystem.financing.views.lead_inbox import is_overdue

S = Lead.Status

# ---- the lead page ----------------------------------------------------------------------


def _lead(request, lead_pk: int) -> Lead:
    return get_object_or_404(
        bank_leads_of(user=request.user).select_related(
            "enterprise__zone",
            "enterprise__industry__section",
            "product__bank",
            "product_version",
            "bank",
            "branch",
            "assigned_to",
        ),
        pk=lead_pk,
    )


def _moves(lead: Lead, party: str | None, user) -> dict:
    """What the page offers this user: each allowed move of the table as a form."""
    targets = workflow.allowed_targets(lead.status, party) if party else []
    moves: dict = {"plain": [], "decline": None, "claim": False, "assign": None}
    for to in targets:
        move = workflow.TRANSITIONS[(lead.status, to)]
        if move.requires_assignee:
            if party == workflow.RM and lead.assigned_to_id is None:
                moves["claim"] = True
            if party == workflow.MANAGER:
                moves["assign"] = AssignForm(lead=lead)
        elif move.requires_offer:
            if not move.requires_direct_offer or lead.product_version.allows_direct_offer:
                moves["offer"] = OfferForm(lead=lead)
        elif move.requires_disbursement:
            moves["disburse"] = DisbursementForm(initial={"disbursed_on": timezone.localdate()})
        elif move.requires_reason:
            moves["decline"] = DeclineForm()
        else:
            moves["plain"].append((to, S(to).label))
    # A manager may also hand an open lead to another relationship manager.
    if party == workflow.MANAGER and moves["assign"] is None and lead.is_open:
        moves["assign"] = AssignForm(lead=lead)
    if party == workflow.RM and lead.assigned_to_id not in (None, user.pk):
        # Someone else's lead: the services refuse these moves, do not offer them.
        moves = {"plain": [], "decline": None, "claim": False, "assign": None}
    return moves


def growth(current, previous) -> Decimal | None:
    """Year-on-year change as a ratio (0.25 = +25 %); None without a comparable base."""
    if current is None or previous is None or not previous:
        return None
    return (Decimal(current) - Decimal(previous)) / Decimal(previous)


def percent(ratio: Decimal | None) -> str:
    """``+25.0%``; '' without a base year."""
    return "" if ratio is None else f"{ratio:+.1%}"


def _verified_data(enterprise) -> dict:
    """The enterprise's years with their growth on the year before, and its claims with
    where their verification came from (an official list, or a zone official)."""
    years = list(enterprise.financial_years.select_related("verified_by").order_by("-year"))
    by_year = {y.year: y for y in years}
    rows = []
    for y in years:
        before = by_year.get(y.year - 1)
        rows.append(
            {
                "year": y,
                "revenue_growth": percent(growth(y.revenue, before.revenue if before else None)),
                "rd_growth": percent(growth(y.rd_expense, before.rd_expense if before else None)),
                "employees_growth": percent(
                    growth(y.employees, before.employees if before else None)
                ),
            }
        )
    claims = list(
        enterprise.claims.select_related("program", "registry_entry", "decided_by").order_by(
            "program__code", "-year"
        )
    )
    return {"years": rows, "claims": claims}


@bank_staff_required
def lead_detail(request, lead_pk: int):
    return _lead_page(request, _lead(request, lead_pk))


def _lead_page(request, lead: Lead, *, refused_form: tuple[str, object] | None = None):
    """The lead page; ``refused_form`` (move, bound form) is shown again with its input
    and every error beside its field (answered 400)."""
    party = services.lead_party(request.user, lead)
    if party not in (workflow.RM, workflow.MANAGER):
        raise Http404
    consented = bool(lead.consented)
    enterprise = lead.enterprise
    context = {
        "lead": lead,
        "party": party,
        "consented": consented,
        "overdue": is_overdue(lead, timezone.now()),
        "clock": lead_clock(lead),
        "status_labels": dict(S.choices),
        "notes": lead.notes.select_related("author"),
        "offers": [
            (offer, difference, None if difference is None else abs(difference))
            for offer in lead.offers.select_related("created_by")
            for difference in [lead.offer_difference(offer.amount)]
        ],
        "disbursement": getattr(lead, "disbursement", None) if lead.status == S.DISBURSED else None,
        "note_form": NoteForm() if lead.is_open else None,
        "moves": _moves(lead, party, request.user),
        "reason_labels": dict(workflow.DeclineReason.choices),
    }
    if refused_form is not None:
        move, form = refused_form
        context["moves"][move] = form
    if consented:
        on = timezone.localdate()
        facts = facts_for(enterprise, on=on)
        context["explained"] = {
            "product": lead.product,
            "evaluation": evaluate(facts, lead.product_version, on=on),
        }
        context["stage"] = stage_of(facts.verified, facts.founded_on, on)
        context.update(_verified_data(enterprise))
        access_log_record(
            enterprise=enterprise, viewer=request.user, bank=lead.bank, section="lead"
        )
    return render(
        request,
        "financing/leads/detail.html",
        bank_context(request, "leads", **context),
        status=400 if refused_form is not None else 200,
    )


def refused(request, exc: ApplicationError) -> None:
    if exc.status == 404:
        raise Http404
    messages.error(request, exc.message)


def _back(request, lead: Lead):
    target = request.POST.get("next")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(target)
    return redirect("financing_lead_detail", lead_pk=lead.pk)


@bank_staff_required
@require_POST
def lead_claim(request, lead_pk: int):
    lead = _lead(request, lead_pk)
    try:
        services.lead_claim(lead=lead, actor=request.user)
    except ApplicationError as exc:
        refused(request, exc)
    else:
        messages.success(request, _("The lead is yours now."))
    return _back(request, lead)


@bank_staff_required
@require_POST
def lead_assign(request, lead_pk: int):
    lead = _lead(request, lead_pk)
    form = AssignForm(request.POST, lead=lead)
    if not form.is_valid():
        messages.error(request, _("Choose a relationship manager of the branch serving this lead."))
        return _back(request, lead)
    try:
        services.lead_assign(lead=lead, actor=request.user, assignee=form.cleaned_data["assignee"])
    except ApplicationError as exc:
        refused(request, exc)
    else:
        messages.success(
            request, _("Assigned to %(name)s.") % {"name": form.cleaned_data["assignee"]}
        )
    return _back(request, lead)


@bank_staff_required
@require_POST
def lead_move(request, lead_pk: int):
    """Moves without extra data (contact) and the decline, which needs a reason code."""
    lead = _lead(request, lead_pk)
    to = request.POST.get("to", "")
    if to not in S.values:
        messages.error(request, _("Unknown step."))
        return _back(request, lead)
    if to == S.DECLINED:
        return _decline(request, lead)
    try:
        services.lead_transition(
            lead=lead, to=to, actor=request.user, note=request.POST.get("note", "")[:4000]
        )
    except ApplicationError as exc:
        refused(request, exc)
    else:
        messages.success(request, _("The lead is now %(status)s.") % {"status": S(to).label})
    return _back(request, lead)


def _decline(request, lead: Lead):
    """The decline form: refused, it is shown again with the note kept and the error
    beside the reason."""
    form = DeclineForm(request.POST)
    if form.is_valid():
        reason_code = form.cleaned_data["reason_code"]
        if not reason_code:
            form.add_error("reason_code", _("Choose a reason code."))
        else:
            try:
                services.lead_transition(
                    lead=lead,
                    to=S.DECLINED,
                    actor=request.user,
                    reason_code=reason_code,
                    note=form.cleaned_data["note"],
                )
            except ApplicationError as exc:
                if exc.status == 404:
                    raise Http404 from exc
                form_error(form, exc, field="reason_code")
                if "reason" not in exc.code:
                    messages.error(request, exc.message)
            else:
                messages.success(
                    request, _("The lead is now %(status)s.") % {"status": S.DECLINED.label}
                )
                return _back(request, lead)
    return _lead_page(request, lead, refused_form=("decline", form))


@bank_staff_required
@require_POST
def lead_note(request, lead_pk: int):
    lead = _lead(request, lead_pk)
    form = NoteForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Write a note first."))
        return _back(request, lead)
    try:
        services.lead_note_add(
            lead=lead,
            actor=request.user,
            body=form.cleaned_data["body"],
            contact=form.cleaned_data.get("contact", False),
        )
    except ApplicationError as exc:
        refused(request, exc)
    else:
        messages.success(request, _("Note added."))
    return _back(request, lead)


def _form_action(request, lead_pk: int, move: str, form_class, service, done: str, **kwargs):
    """Validate ``form_class`` and hand its data to ``service``. Refused, the lead page is
    shown again with the form as typed and every error beside its field."""
    lead = _lead(request, lead_pk)
    form = form_class(request.POST, **kwargs)
    if form.is_valid():
        try:
            service(lead=lead, actor=request.user, **form.cleaned_data)
        except ApplicationError as exc:
            if exc.status == 404:
                raise Http404 from exc
            form_error(form, exc)
            if not (exc.extra or {}).get("errors"):
                # A refusal of no one field (the lead moved meanwhile): said on the page too.
                messages.error(request, exc.message)
        else:
            messages.success(request, done)
            return _back(request, lead)
    return _lead_page(request, lead, refused_form=(move, form))


@bank_staff_required
@require_POST
def lead_offer(request, lead_pk: int):
    lead = _lead(request, lead_pk)
    return _form_action(
        request,
        lead_pk,
        "offer",
        OfferForm,
        services.offer_make,
        _("Offer sent to the enterprise."),
        lead=lead,
    )


@bank_staff_required
@require_POST
def lead_disburse(request, lead_pk: int):
    return _form_action(
        request,
        lead_pk,
        "disburse",
        DisbursementForm,
        services.disbursement_record,
        _("Disbursement recorded."),
    )


# ---- the enterprise's side --------------------------------------------------------------
