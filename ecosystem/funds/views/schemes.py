"""Pages of the schemes: the list (with live headroom) and a scheme's page (banks accept
its terms there); for fund managers, a new scheme and new terms (a new version: earlier
versions stay as they were); for platform admins, a scheme's fund managers (appoint, end)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ecosystem.accounts.models import User
from ecosystem.accounts.scope import fund_manager_appointments, scope_of
from ecosystem.core.errors import ApplicationError
from ecosystem.funds import permissions, selectors, services
from ecosystem.funds.scheme_forms import FundManagerForm, SchemeForm, SchemeVersionForm
from ecosystem.funds.selectors import scheme_figures
from ecosystem.funds.services.schemes import version_at
from ecosystem.funds.views.common import fail, get_visible


@login_required
def scheme_list(request):
    schemes = selectors.schemes_visible_to(user=request.user)
    scope = scope_of(request.user)
    rows = [
        {
            "scheme": scheme,
            "manages": scope.manages_scheme(scheme.pk),
            **scheme_figures(scheme),
        }
        for scheme in schemes
    ]
    context = {
        "rows": rows,
        "tab": "schemes",
        "may_create": permissions.can_create_scheme(request.user),
        "may_appoint": permissions.can_appoint_fund_managers(request.user),
    }
    return render(request, "funds/scheme_list.html", context)


@login_required
def scheme_detail(request, pk: int):
    scheme = get_visible(selectors.schemes_visible_to(user=request.user), pk)
    scope = scope_of(request.user)
    banks = list(scheme.banks.select_related("bank", "version", "accepted_by"))
    joined = {row.bank_id for row in banks}
    may_join = [bank_id for bank_id in scope.managed_bank_ids if bank_id not in joined]
    manages = permissions.can_manage_scheme(request.user, scheme)
    context = {
        "scheme": scheme,
        "terms": version_at(scheme, timezone.localdate()),
        "figures": scheme_figures(scheme),
        "banks": banks,
        "may_join": bool(may_join),
        "manages": manages,
        "may_appoint": permissions.can_appoint_fund_managers(request.user),
        "versions": scheme.versions.select_related("created_by") if manages else (),
        "products": scheme.products.select_related("product__bank"),
        "tab": "schemes",
    }
    return render(request, "funds/scheme_detail.html", context)


@login_required
@require_POST
def scheme_join(request, pk: int):
    scheme = get_visible(selectors.schemes_visible_to(user=request.user), pk)
    from ecosystem.financing.models import Bank

    bank = Bank.objects.filter(pk__in=scope_of(request.user).managed_bank_ids).first()
    if bank is None:
        raise Http404
    try:
        services.bank_join(scheme=scheme, bank=bank, actor=request.user)
    except ApplicationError as exc:
        fail(request, exc)
    else:
        messages.success(request, _("The bank accepted the scheme's terms."))
    return redirect(scheme.get_absolute_url())


def _owner_zones(user):
    from ecosystem.zones.models import Zone

    if scope_of(user).is_platform_admin:
        return Zone.objects.order_by("pk")
    zones, _bodies = permissions.scheme_owners_of(user)
    return Zone.objects.filter(pk__in=zones).order_by("pk")


@login_required
def scheme_create(request):
    """A new scheme: a platform admin for any owner; a fund manager for the owners of the
    schemes they manage (and they manage the new one)."""
    if not permissions.can_create_scheme(request.user):
        raise Http404
    form = SchemeForm(request.POST or None, zones=_owner_zones(request.user))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            scheme = services.scheme_create(
                actor=request.user,
                name=data["name"],
                kind=data["kind"],
                owner_zone=data["owner_zone"],
                owner_body=data["owner_body"],
            )
        except ApplicationError as exc:
            fail(request, exc, form)
        else:
            messages.success(request, _("The scheme is created. Now publish its terms."))
            if permissions.can_manage_scheme(request.user, scheme):
                return redirect("funds:scheme_version_create", pk=scheme.pk)
            return redirect("funds:scheme_managers", pk=scheme.pk)
    _zones, bodies = permissions.scheme_owners_of(request.user)
    context = {"form": form, "bodies": sorted(bodies), "tab": "schemes"}
    return render(request, "funds/scheme_form.html", context, status=_status(request, form))


def _status(request, form) -> int:
    return 400 if request.method == "POST" and form.errors else 200


@login_required
def scheme_version_create(request, pk: int):
    """New terms for a scheme the user manages, filled in with the terms in force."""
    scheme = get_visible(selectors.schemes_visible_to(user=request.user), pk)
    if not permissions.can_manage_scheme(request.user, scheme):
        raise Http404
    today = timezone.localdate()
    current = version_at(scheme, today) or scheme.versions.order_by("-number").first()
    form = SchemeVersionForm(request.POST or None, scheme=scheme, current=current)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            version = services.scheme_version_create(
                scheme=scheme,
                actor=request.user,
                programs=list(data["programs"]),
                zones=list(data["zones"]),
                **form.terms(),
            )
        except ApplicationError as exc:
            fail(request, exc, form)
        else:
            messages.success(
                request,
                _("Version %(number)d is published, effective from %(day)s.")
                % {"number": version.number, "day": version.effective_from.isoformat()},
            )
            return redirect(scheme.get_absolute_url())
    context = {"form": form, "scheme": scheme, "current": current, "tab": "schemes"}
    return render(request, "funds/scheme_version_form.html", context, status=_status(request, form))


def _admin_scheme(request, pk: int):
    if not permissions.can_appoint_fund_managers(request.user):
        raise Http404
    return get_visible(selectors.schemes_visible_to(user=request.user), pk)


def _managers_page(request, scheme, form, *, status=200):
    memberships = (
        fund_manager_appointments(scheme.pk)
        .select_related("user")
        .order_by("-is_active", "user__email")
    )
    context = {"scheme": scheme, "form": form, "memberships": memberships, "tab": "schemes"}
    return render(request, "funds/scheme_managers.html", context, status=status)


@login_required
def scheme_managers(request, pk: int):
    """A platform admin's page of a scheme's fund managers: appoint, end."""
    scheme = _admin_scheme(request, pk)
    return _managers_page(request, scheme, FundManagerForm())


def _firm_only(user) -> bool:
    """A firm's account with no staff role: it does not manage public money. (An account
    with no role yet, made by an administrator, may: it becomes staff by the appointment.)"""
    scope = scope_of(user, fresh=True)
    return bool(scope.enterprise_ids) and not scope.is_staff


@login_required
@require_POST
def scheme_manager_appoint(request, pk: int):
    scheme = _admin_scheme(request, pk)
    form = FundManagerForm(request.POST)
    if form.is_valid():
        user = User.objects.filter(email__iexact=form.cleaned_data["email"]).first()
        if user is None or not user.is_active or _firm_only(user):
            form.add_error("email", _("No active staff account has this e-mail address."))
        else:
            try:
                services.fund_manager_appoint(scheme=scheme, user=user, actor=request.user)
            except ApplicationError as exc:
                if exc.status == 404:
                    raise Http404 from exc
                form.add_error("email", exc.message)
            else:
                messages.success(
                    request,
                    _("%(person)s manages the scheme now.") % {"person": user},
                )
                return redirect("funds:scheme_managers", pk=scheme.pk)
    return _managers_page(request, scheme, form, status=400)


@login_required
@require_POST
def scheme_manager_end(request, pk: int, membership_pk: int):
    scheme = _admin_scheme(request, pk)
    membership = get_visible(fund_manager_appointments(scheme.pk), membership_pk)
    try:
        services.fund_manager_end(membership=membership, actor=request.user)
    except ApplicationError as exc:
        fail(request, exc)
    else:
        messages.success(
            request,
            _("%(person)s no longer manages the scheme.") % {"person": membership.user},
        )
    return redirect("funds:scheme_managers", pk=scheme.pk)
