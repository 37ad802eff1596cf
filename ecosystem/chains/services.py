"""Chain writes: placing enterprises on nodes, designating leaders, and the supplier
link's workflow. Each is one transaction with an audit event; notifications go out after
commit, and a change that decides supply-chain matches rematches the supplier."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from ecosystem.accounts.scope import members_of_enterprise
from ecosystem.chains import permissions, workflow
from ecosystem.chains.models import Chain, ChainLeader, ChainNode, EnterpriseNode, SupplierLink
from ecosystem.core import events
from ecosystem.core.errors import ApplicationError, ConflictError
from ecosystem.core.notices import bilingual, code_label, msg
from ecosystem.core.services import audit_record, notify
from ecosystem.enterprises.services.common import rematch_later

S = SupplierLink.Status


def _not_found() -> ApplicationError:
    return ApplicationError(_("Not found."), code="not_found", status=404)


def _tell_after_commit(enterprise, *, kind: str, title, url: str) -> None:
    """Notify every member of ``enterprise`` (emailed after commit); ``title`` is a
    ``core.notices`` message, shown in each reader's language."""

    notify(members_of_enterprise(enterprise.pk), kind, title=title, url=url)


def _links_url(enterprise) -> str:
    return reverse("chains:enterprise_links", args=[enterprise.pk])


# --- placement ----------------------------------------------------------------------


def placements_set(*, enterprise, nodes, actor) -> list[EnterpriseNode]:
    """Put ``enterprise`` on exactly ``nodes``. Members choose; an official of its zone
    corrects (the enterprise is told). Matches follow after commit."""
    if not permissions.can_place(actor, enterprise):
        raise _not_found()
    wanted = {n.pk: n for n in nodes}
    if len(wanted) != len(list(nodes)) or ChainNode.objects.filter(pk__in=wanted).count() != len(
        wanted
    ):
        raise ApplicationError(_("Unknown chain node."), code="invalid")
    with transaction.atomic():
        current = {
            p.node_id: p
            for p in EnterpriseNode.objects.select_for_update()
            .filter(enterprise=enterprise)
            .select_related("node")
        }
        before = sorted(p.node.path for p in current.values())
        removed = [pk for pk in current if pk not in wanted]
        added = [pk for pk in wanted if pk not in current]
        if not removed and not added:
            return list(current.values())
        EnterpriseNode.objects.filter(enterprise=enterprise, node_id__in=removed).delete()
        EnterpriseNode.objects.bulk_create(
            [EnterpriseNode(enterprise=enterprise, node_id=pk, set_by=actor) for pk in added]
        )
        events.publish(
            events.ENTERPRISE_PLACED,
            enterprise_id=enterprise.pk,
            old_node_ids=sorted(current),
            new_node_ids=sorted(wanted),
        )
        after = sorted(n.path for n in wanted.values())
        corrected = not permissions.is_member(actor, enterprise)
        audit_record(
            actor=actor,
            verb="chain.placement_corrected" if corrected else "chain.placement",
            target=enterprise,
            before={"nodes": before},
            after={"nodes": after},
        )
        rematch_later(enterprise_id=enterprise.pk)
        if corrected:
            _tell_after_commit(
                enterprise,
                kind="chain_placement",
                title=msg(gettext_noop("The zone corrected your industrial chain nodes")),
                url=reverse("chains:enterprise_nodes", args=[enterprise.pk]),
            )
    return list(EnterpriseNode.objects.filter(enterprise=enterprise).select_related("node"))


# --- leaders ------------------------------------------------------------------------


def leader_designate(*, chain: Chain, enterprise, actor) -> ChainLeader:
    """An official of the enterprise's zone designates it to lead ``chain``."""
    if not permissions.can_designate(actor, enterprise):
        raise _not_found()
    with transaction.atomic():
        if ChainLeader.objects.filter(
            chain=chain, enterprise=enterprise, ended_at__isnull=True
        ).exists():
            raise ConflictError(_("This enterprise already leads this chain."), code="exists")
        leader = ChainLeader.objects.create(chain=chain, enterprise=enterprise, designated_by=actor)
        audit_record(
            actor=actor,
            verb="chain.leader_designated",
            target=leader,
            after={"chain": chain.code, "enterprise": enterprise.pk},
        )
        _tell_after_commit(
            enterprise,
            kind="chain_leader",
            title=msg(
                gettext_noop("Your enterprise now leads the %(chain)s chain"),
                chain=bilingual(chain),
            ),
            url=_links_url(enterprise),
        )
    return leader


def leader_end(*, leader: ChainLeader, actor) -> ChainLeader:
    """End a designation. Its open links close with it (confirmed ones end, pending ones
    are withdrawn) and the suppliers that were confirmed are rematched."""
    if not permissions.can_designate(actor, leader.enterprise):
        raise _not_found()
    with transaction.atomic():
        leader = ChainLeader.objects.select_for_update().get(pk=leader.pk)
        if leader.ended_at is not None:
            raise ConflictError(_("This designation has already ended."), code="ended")
        now = timezone.now()
        leader.ended_at, leader.ended_by = now, actor
        leader.save(update_fields=["ended_at", "ended_by"])
        audit_record(actor=actor, verb="chain.leader_ended", target=leader)
        for link in SupplierLink.objects.select_for_update().filter(
            leader=leader, status__in=SupplierLink.OPEN_STATUSES
        ):
            was = link.status
            link.status = S.ENDED if was == S.CONFIRMED else S.WITHDRAWN
            link.closed_at = now
            link.save(update_fields=["status", "closed_at", "updated_at"])
            audit_record(
                actor=actor,
                verb=f"chain.link_{link.status}",
                target=link,
                before={"status": was},
                after={"status": link.status, "reason": "leader_ended"},
            )
            if was == S.CONFIRMED:
                rematch_later(enterprise_id=link.supplier_id)
    return leader


# --- supplier links -----------------------------------------------------------------


def _open_link(leader: ChainLeader, supplier, *, status: str, actor, note: str) -> SupplierLink:
    if leader.ended_at is not None:
        raise ConflictError(_("This enterprise no longer leads the chain."), code="leader_ended")
    if supplier.pk == leader.enterprise_id:
        raise ApplicationError(_("An enterprise cannot supply itself."), code="invalid")
    try:
        with transaction.atomic():
            link = SupplierLink.objects.create(
                leader=leader, supplier=supplier, status=status, created_by=actor, note=note
            )
    except IntegrityError:
        raise ConflictError(
            _("A link between these enterprises is already open."), code="exists"
        ) from None
    audit_record(
        actor=actor,
        verb=f"chain.link_{status}",
        target=link,
        after={"status": status, "leader": leader.pk, "supplier": supplier.pk},
    )
    return link


def link_request(*, leader: ChainLeader, supplier, actor, note: str = "") -> SupplierLink:
    """A member of ``supplier`` asks the leader to confirm it as a supplier."""
    if not permissions.is_member(actor, supplier):
        raise _not_found()
    with transaction.atomic():
        link = _open_link(leader, supplier, status=S.REQUESTED, actor=actor, note=note)
        _tell_after_commit(
            leader.enterprise,
            kind="chain_link",
            title=msg(
                gettext_noop("%(supplier)s asks to be confirmed as your supplier"),
                supplier=supplier.name,
            ),
            url=_links_url(leader.enterprise),
        )
    return link


def link_invite(*, leader: ChainLeader, supplier, actor, note: str = "") -> SupplierLink:
    """A member of the leading enterprise invites ``supplier`` to be its confirmed supplier."""
    if not permissions.is_member(actor, leader.enterprise):
        raise _not_found()
    with transaction.atomic():
        link = _open_link(leader, supplier, status=S.INVITED, actor=actor, note=note)
        _tell_after_commit(
            supplier,
            kind="chain_link",
            title=msg(
                gettext_noop("%(leader)s invites you as a supplier on the %(chain)s chain"),
                leader=leader.enterprise.name,
                chain=bilingual(leader.chain),
            ),
            url=_links_url(supplier),
        )
    return link


def link_transition(*, link: SupplierLink, to: str, actor) -> SupplierLink:
    """Move a link along ``workflow.TRANSITIONS``. A refused move changes nothing. Any move
    into or out of "confirmed" rematches the supplier after commit."""
    parties = permissions.link_parties(actor, link)
    if not parties:
        raise ApplicationError(
            _("Only the two enterprises of a link can change it."), code="forbidden", status=403
        )
    with transaction.atomic():
        current = (
            SupplierLink.objects.select_for_update(of=("self",))
            .select_related("leader", "leader__enterprise", "leader__chain", "supplier")
            .get(pk=link.pk)
        )
        allowed = workflow.TRANSITIONS.get((current.status, to), frozenset())
        if not allowed & parties:
            raise ConflictError(
                _("A link that is %(status)s cannot become %(target)s.")
                % {
                    "status": current.get_status_display(),
                    "target": S(to).label if to in S.values else to,
                },
                code="transition_refused",
            )
        if to in (S.CONFIRMED,) and current.leader.ended_at is not None:
            raise ConflictError(
                _("This enterprise no longer leads the chain."), code="leader_ended"
            )
        was = current.status
        now = timezone.now()
        current.status = to
        fields = ["status", "updated_at"]
        if to == S.CONFIRMED:
            current.confirmed_at = now
            fields.append("confirmed_at")
        else:
            current.closed_at = now
            fields.append("closed_at")
        current.save(update_fields=fields)
        party = workflow.LEADER if workflow.LEADER in allowed & parties else workflow.SUPPLIER
        audit_record(
            actor=actor,
            verb=f"chain.link_{to}",
            target=current,
            before={"status": was},
            after={"status": to, "party": party},
        )
        if S.CONFIRMED in (was, to):
            rematch_later(enterprise_id=current.supplier_id)
        other = current.supplier if party == workflow.LEADER else current.leader.enterprise
        _tell_after_commit(
            other,
            kind="chain_link",
            title=msg(
                gettext_noop("Supplier link %(supplier)s → %(leader)s: %(status)s"),
                supplier=current.supplier.name,
                leader=current.leader.enterprise.name,
                status=code_label("supplier_link_status", current.status),
            ),
            url=_links_url(other),
        )
    return current
