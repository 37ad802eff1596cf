"""Lead pages: the relationship manager's inbox, the lead page with its moves, offers
and disbursement, and the enterprise's own list of its requests with their offers.

Views parse input and call ``services_pipeline``; leads are fetched only through
querysets scoped to the user, so anyone else's lead is a 404.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from ecosystem.accounts.roles import Role
from ecosystem.accounts.selectors import request_memberships
from ecosystem.core.errors import ApplicationError
from ecosystem.core.exports import export_response
from ecosystem.enterprises.services import access_log_record
from ecosystem.financing import lead_workflow as workflow
from ecosystem.financing import selectors
from ecosystem.financing import services_pipeline as pipeline
from ecosystem.financing.evaluator import evaluate
from ecosystem.financing.facts import facts_for
from ecosystem.financing.lead_forms import (
    AssignForm,
    DeclineForm,
    DisbursementForm,
    LeadFilterForm,
    NoteForm,
    OfferForm,
)
from ecosystem.financing.models import Lead
from ecosystem.financing.selectors_leads import leads_visible_to
from ecosystem.financing.views.common import (
    EXPORT_FORMATS,
    bank_context,
    bank_staff_required,
    export_format,
    is_bank_manager,
)

PER_PAGE = 50
TABS = ("mine", "team", "unassigned")
S = Lead.Status

# ---- scope ------------------------------------------------------------------------------


def leads_scoped(*, user) -> QuerySet[Lead]:
    """The bank side of ``selectors_leads.leads_visible_to``: a relationship manager sees
    the leads of their branches, a manager those of their banks (a platform admin all).
    Leads the user sees only as a member of the enterprise belong to the enterprise page."""
    leads = leads_visible_to(user=user)
    if not getattr(user, "is_authenticated", False):
        return leads
    branches = user.memberships.filter(
        is_active=True, role=Role.BANK_RM, branch__isnull=False
    ).values("branch_id")
    return leads.filter(
        Q(bank__in=selectors.banks_managed_by(user=user)) | Q(branch_id__in=branches)
    )


def _overdue_q(now) -> Q:
    return Q(status__in=Lead.OPEN_STATUSES, due_at__lt=now, first_response_at__isnull=True)


def _is_overdue(lead: Lead, now) -> bool:
    return (
        lead.is_open
        and lead.due_at is not None
        and lead.due_at < now
        and lead.first_response_at is None
    )


# ---- forms ------------------------------------------------------------------------------


def _tab(request) -> str:
    tab = request.GET.get("tab") or "mine"
    return tab if tab in TABS else "mine"


def _inbox_queryset(request):
    """The tab's leads after the filters, with what the rows show (a fixed number of
    queries whatever the page size)."""
    user = request.user
    scoped = leads_scoped(user=user)
    is_manager = is_bank_manager(user)
    tab = _tab(request)
    form = LeadFilterForm(request.GET or None, products=selectors.products_visible_to(user=user))
    if tab == "mine":
        leads = scoped.filter(assigned_to=user)
    elif tab == "unassigned":
        leads = scoped.filter(assigned_to__isnull=True, status__in=Lead.OPEN_STATUSES)
    else:
        leads = scoped
    if form.is_valid():
        data = form.cleaned_data
        if data["status"]:
            leads = leads.filter(status=data["status"])
        if data["product"] is not None:
            leads = leads.filter(product=data["product"])
        if data["overdue"]:
            leads = leads.filter(_overdue_q(timezone.now()))
    # Revoked consent hides the enterprise from the bank at once (rows carry ``consented``,
    # see selectors_leads), in the inbox and its search too.
    if form.is_valid() and (q := form.cleaned_data["q"].strip()):
        leads = leads.filter(consented=True).filter(
            Q(enterprise__name__icontains=q) | Q(enterprise__uscc__iexact=q)
        )
    leads = leads.prefetch_related(None).order_by("due_at", "-created_at", "-id")
    return tab, is_manager, form, leads


def _query_string(request, **drop) -> str:
    params = request.GET.copy()
    for key in ("page", *drop):
        params.pop(key, None)
    encoded = params.urlencode()
    return f"?{encoded}" if encoded else ""


@bank_staff_required
def lead_inbox(request):
    tab, is_manager, form, leads = _inbox_queryset(request)
    page = Paginator(leads, PER_PAGE).get_page(request.GET.get("page"))
    now = timezone.now()
    rm_branches = {
        m.branch_id for m in request_memberships(user=request.user) if m.role == Role.BANK_RM
    }
    rows = [
        {
            "lead": lead,
            "overdue": _is_overdue(lead, now),
            "can_claim": lead.assigned_to_id is None
            and lead.status == S.NEW
            and lead.branch_id in rm_branches,
        }
        for lead in page.object_list
    ]
    query = _query_string(request)
    return render(
        request,
        "financing/leads/inbox.html",
        bank_context(
            request,
            "leads",
            lead_tab=tab,
            form=form,
            page=page,
            rows=rows,
            query=query,
            filter_query=_query_string(request, tab=True),
            export_urls=[
                reverse("financing_lead_export", args=[fmt]) + query for fmt in EXPORT_FORMATS
            ],
        ),
    )


EXPORT_HEADER = (
    gettext_lazy("enterprise"),
    gettext_lazy("unified social credit code"),
    gettext_lazy("product"),
    gettext_lazy("indicative limit (yuan)"),
    gettext_lazy("status"),
    gettext_lazy("response due"),
    gettext_lazy("overdue"),
    gettext_lazy("branch"),
    gettext_lazy("relationship manager"),
    gettext_lazy("created at"),
)


def _export_rows(leads, language):
    """Rows stream after the view returned: keep the request's language, read in chunks."""
    with translation.override(language):
        now = timezone.now()
        for lead in leads.iterator(chunk_size=500):
            masked = _("(consent revoked)")
            yield [
                lead.enterprise.name if lead.consented else masked,
                lead.enterprise.uscc if lead.consented else "",
                lead.product.name,
                lead.indicative_limit,
                lead.get_status_display(),
                lead.due_at,
                _is_overdue(lead, now),
                lead.branch.name,
                str(lead.assigned_to) if lead.assigned_to else "",
                lead.created_at,
            ]


@bank_staff_required
def lead_export(request, fmt: str):
    fmt = export_format(fmt)
    tab, _is_manager, _form, leads = _inbox_queryset(request)
    return export_response(
        fmt,
        f"leads-{tab}-{timezone.localdate():%Y%m%d}",
        [str(h) for h in EXPORT_HEADER],
        _export_rows(leads, translation.get_language()),
        sheet_title=str(_("leads")),
    )


# ---- the lead page ----------------------------------------------------------------------


def _lead(request, lead_pk: int) -> Lead:
    return get_object_or_404(
        leads_scoped(user=request.user).select_related(
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
            moves["offer"] = OfferForm()
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


def _verified_data(enterprise) -> dict:
    years = list(enterprise.financial_years.order_by("-year"))
    claims = list(enterprise.claims.select_related("program").order_by("program__code", "-year"))
    return {"years": years, "claims": claims}


@bank_staff_required
def lead_detail(request, lead_pk: int):
    lead = _lead(request, lead_pk)
    party = pipeline.lead_party(request.user, lead)
    if party not in (workflow.RM, workflow.MANAGER):
        raise Http404
    consented = bool(lead.consented)
    enterprise = lead.enterprise
    context = {
        "lead": lead,
        "party": party,
        "consented": consented,
        "overdue": _is_overdue(lead, timezone.now()),
        "notes": lead.notes.select_related("author"),
        "offers": lead.offers.select_related("created_by"),
        "disbursement": getattr(lead, "disbursement", None) if lead.status == S.DISBURSED else None,
        "note_form": NoteForm() if lead.is_open else None,
        "moves": _moves(lead, party, request.user),
        "reason_labels": dict(workflow.DeclineReason.choices),
    }
    if consented:
        on = timezone.localdate()
        context["explained"] = {
            "product": lead.product,
            "evaluation": evaluate(facts_for(enterprise, on=on), lead.product_version, on=on),
        }
        context.update(_verified_data(enterprise))
        access_log_record(
            enterprise=enterprise, viewer=request.user, bank=lead.bank, section="lead"
        )
    return render(request, "financing/leads/detail.html", bank_context(request, "leads", **context))


def _refused(request, exc: ApplicationError) -> None:
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
        pipeline.lead_claim(lead=lead, actor=request.user)
    except ApplicationError as exc:
        _refused(request, exc)
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
        pipeline.lead_assign(lead=lead, actor=request.user, assignee=form.cleaned_data["assignee"])
    except ApplicationError as exc:
        _refused(request, exc)
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
    reason_code = request.POST.get("reason_code", "")
    if to == S.DECLINED and not reason_code:
        messages.error(request, _("Choose a reason code."))
        return _back(request, lead)
    try:
        pipeline.lead_transition(
            lead=lead,
            to=to,
            actor=request.user,
            reason_code=reason_code or None,
            note=request.POST.get("note", "")[:4000],
        )
    except ApplicationError as exc:
        _refused(request, exc)
    else:
        messages.success(request, _("The lead is now %(status)s.") % {"status": S(to).label})
    return _back(request, lead)


@bank_staff_required
@require_POST
def lead_note(request, lead_pk: int):
    lead = _lead(request, lead_pk)
    form = NoteForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Write a note first."))
        return _back(request, lead)
    try:
        pipeline.lead_note_add(lead=lead, actor=request.user, body=form.cleaned_data["body"])
    except ApplicationError as exc:
        _refused(request, exc)
    else:
        messages.success(request, _("Note added."))
    return _back(request, lead)


def _form_errors(request, form) -> None:
    for field, errors in form.errors.items():
        label = form.fields[field].label if field in form.fields else ""
        for error in errors:
            messages.error(request, f"{label}: {error}" if label else error)


def _form_action(request, lead_pk: int, form_class, service, done: str):
    """Validate ``form_class`` and hand its data to ``service``; report on the lead page."""
    lead = _lead(request, lead_pk)
    form = form_class(request.POST)
    if not form.is_valid():
        _form_errors(request, form)
        return _back(request, lead)
    try:
        service(lead=lead, actor=request.user, **form.cleaned_data)
    except ApplicationError as exc:
        _refused(request, exc)
    else:
        messages.success(request, done)
    return _back(request, lead)


@bank_staff_required
@require_POST
def lead_offer(request, lead_pk: int):
    return _form_action(
        request, lead_pk, OfferForm, pipeline.offer_make, _("Offer sent to the enterprise.")
    )


@bank_staff_required
@require_POST
def lead_disburse(request, lead_pk: int):
    return _form_action(
        request,
        lead_pk,
        DisbursementForm,
        pipeline.disbursement_record,
        _("Disbursement recorded."),
    )


# ---- the enterprise's side --------------------------------------------------------------
