"""An enterprise's chain pages: the nodes it sits on (members choose, officials of its
zone correct) and its supplier links (ask a leader, invite a supplier, answer, end)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ecosystem.chains import permissions, selectors, services, workflow
from ecosystem.chains.forms import LinkInviteForm, LinkRequestForm, NodesForm
from ecosystem.core.errors import ApplicationError
from ecosystem.enterprises.selectors import enterprise_registered_as
from ecosystem.enterprises.views.common import (
    enterprise_context,
    form_error,
    member_enterprise,
    readable_enterprise,
)


@login_required
def enterprise_nodes(request, pk: int):
    enterprise = readable_enterprise(request, pk)
    if not permissions.can_place(request.user, enterprise):
        raise PermissionDenied
    current = [p.node_id for p in selectors.placements_of(enterprise=enterprise)]
    form = NodesForm(request.POST or None, initial={"nodes": current})
    if request.method == "POST" and form.is_valid():
        try:
            services.placements_set(
                enterprise=enterprise, nodes=form.chosen_nodes(), actor=request.user
            )
        except ApplicationError as exc:
            form_error(form, exc, field="nodes")
        else:
            messages.success(request, _("Chain nodes saved."))
            return redirect("chains:enterprise_nodes", pk=enterprise.pk)
    return render(
        request,
        "chains/enterprise_nodes.html",
        enterprise_context(
            request,
            enterprise,
            "chains",
            form=form,
            placements=selectors.placements_of(enterprise=enterprise),
            correcting=not permissions.is_member(request.user, enterprise),
        ),
    )


def _link_rows(user, links):
    rows = []
    for link in links:
        parties = permissions.link_parties(user, link)
        rows.append(
            {
                "link": link,
                "moves": [
                    (to, workflow.S(to).label) for to in workflow.moves_for(link.status, parties)
                ],
            }
        )
    return rows


def _links_page(request, enterprise, *, request_form=None, invite_form=None, status=200):
    links = selectors.links_of(enterprise=enterprise)
    leaderships = selectors.leaderships_of(enterprise=enterprise)
    return render(
        request,
        "chains/enterprise_links.html",
        enterprise_context(
            request,
            enterprise,
            "links",
            leaderships=leaderships,
            as_supplier=_link_rows(request.user, links.filter(supplier=enterprise)),
            as_leader=_link_rows(request.user, links.filter(leader__enterprise=enterprise)),
            request_form=request_form or LinkRequestForm(enterprise=enterprise),
            invite_form=(invite_form or LinkInviteForm(enterprise=enterprise))
            if leaderships.exists()
            else None,
        ),
        status=status,
    )


@login_required
def enterprise_links(request, pk: int):
    return _links_page(request, member_enterprise(request, pk))


@login_required
@require_POST
def link_request(request, pk: int):
    enterprise = member_enterprise(request, pk)
    form = LinkRequestForm(request.POST, enterprise=enterprise)
    if form.is_valid():
        try:
            services.link_request(
                leader=form.cleaned_data["leader"],
                supplier=enterprise,
                actor=request.user,
                note=form.cleaned_data["note"],
            )
        except ApplicationError as exc:
            form_error(form, exc, field="leader")
        else:
            messages.success(request, _("Request sent. The leader will confirm or decline it."))
            return redirect("chains:enterprise_links", pk=enterprise.pk)
    return _links_page(request, enterprise, request_form=form, status=400)


@login_required
@require_POST
def link_invite(request, pk: int):
    enterprise = member_enterprise(request, pk)
    form = LinkInviteForm(request.POST, enterprise=enterprise)
    if form.is_valid():
        supplier = enterprise_registered_as(uscc=form.cleaned_data["supplier_uscc"])
        if supplier is None:
            form.add_error("supplier_uscc", _("No enterprise with this credit code is registered."))
        else:
            try:
                services.link_invite(
                    leader=form.cleaned_data["leader"],
                    supplier=supplier,
                    actor=request.user,
                    note=form.cleaned_data["note"],
                )
            except ApplicationError as exc:
                form_error(form, exc, field="supplier_uscc")
            else:
                messages.success(
                    request, _("Invitation sent to %(name)s.") % {"name": supplier.name}
                )
                return redirect("chains:enterprise_links", pk=enterprise.pk)
    return _links_page(request, enterprise, invite_form=form, status=400)


@login_required
@require_POST
def link_move(request, link_pk: int):
    link = get_object_or_404(selectors.links_visible_to(user=request.user), pk=link_pk)
    parties = permissions.link_parties(request.user, link)
    if not parties:
        raise PermissionDenied
    back = link.leader.enterprise if workflow.LEADER in parties else link.supplier
    try:
        services.link_transition(link=link, to=request.POST.get("to", ""), actor=request.user)
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Supplier link updated."))
    return redirect("chains:enterprise_links", pk=back.pk)
