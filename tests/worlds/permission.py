"""The world the permission matrix points into (tests/unit/test_permission_matrix.py),
and how one request is made and checked against the matrix."""

from __future__ import annotations

import os
from datetime import timedelta
from decimal import Decimal

from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client
from django.urls import get_resolver, reverse
from django.utils import timezone

from ecosystem.accounts.models import Invitation, Membership
from ecosystem.accounts.roles import Role
from ecosystem.chains.models import Chain, ChainLeader, ChainNode, SupplierLink
from ecosystem.core.services import notify
from ecosystem.enterprises.models import JoinRequest
from ecosystem.enterprises.services import financing_need_create
from ecosystem.financing import services
from ecosystem.financing import services as pipeline
from ecosystem.financing.models import CampaignInvitation, Match
from ecosystem.registries import services as registry_services
from ecosystem.registries.models import RegistryEntry
from tests.factories import (
    EnterpriseFactory,
    EnterpriseMemberFactory,
    PlatformAdminFactory,
    RegistryOfficerFactory,
    ZoneOfficialFactory,
)
from tests.lead_world import S
from tests.lead_world import World as LeadWorld
from tests.permission_matrix import MATRIX, ROLES, Entry
from tests.registry_files import csv_bytes, rows_for
from tests.unit.test_zone_pages import add_year, submit_claim

PROBE = os.environ.get("PERMISSION_MATRIX_PROBE") == "1"


# --- the world the URLs point into ------------------------------------------------------


class World:
    """One enterprise with a member, a submitted claim with evidence, figures, a need, a
    consent, a join request, a lead with an offer, a match, a campaign invitation; its
    zone's official; the bank (RM, manager) serving the zone; a registry officer with an
    import; a platform admin; and an outsider of each kind."""

    def __init__(self):
        leads = LeadWorld(status=S.CONTACTED)
        self.enterprise = leads.enterprise
        member = leads.member
        claim, _ = submit_claim(enterprise=self.enterprise)
        year = add_year(self.enterprise, member)
        registry = RegistryOfficerFactory(program=claim.program)
        self.users = {
            "anonymous": None,
            "member": member,
            "other_member": leads.other_member,
            "official": ZoneOfficialFactory(zone=self.enterprise.zone),
            "other_official": ZoneOfficialFactory(),
            "registry": registry,
            "rm": leads.rm,
            "manager": leads.manager,
            "other_bank": leads.manager_other_bank,
            "admin": PlatformAdminFactory(),
        }
        assert set(self.users) == set(ROLES)
        offer = pipeline.offer_make(
            lead=leads.lead,
            actor=leads.rm,
            amount=Decimal("800000"),
            rate=Decimal("4.1500"),
            term_months=12,
            valid_until=timezone.now() + timedelta(days=14),
        )
        match = Match.objects.create(
            enterprise=self.enterprise,
            product_version=leads.version,
            product=leads.version.product,
            score=60,
            indicative_limit=Decimal("1000000"),
            computed_at=timezone.now(),
        )
        campaign = services.campaign_create(product=leads.version.product, actor=leads.manager)
        campaign = services.campaign_send(campaign=campaign, actor=leads.manager)
        # The firm already has a lead, so the campaign skips it: invite it as a campaign
        # sent before the lead would have.
        invitation = campaign.invitations.first() or CampaignInvitation.objects.create(
            campaign=campaign,
            enterprise=self.enterprise,
            indicative_limit=Decimal("1000000"),
            status=CampaignInvitation.Status.SENT,
            expires_at=timezone.now() + timedelta(days=30),
        )
        need = financing_need_create(
            enterprise=self.enterprise,
            actor=member,
            amount=Decimal("2000000"),
            term_months=12,
            purpose="working_capital",
        )
        # The other enterprise's owner asks to join this one (and may cancel the request).
        join_request = JoinRequest.objects.create(
            enterprise=self.enterprise, user=self.users["other_member"]
        )
        colleague = EnterpriseMemberFactory(enterprise=EnterpriseFactory())
        colleague_membership = Membership.objects.create(
            user=colleague, enterprise=self.enterprise, role=Role.ENTERPRISE_MEMBER
        )
        list_import = registry_services.list_import_upload(
            actor=registry,
            program=claim.program,
            batch="2026年第一批",
            upload=SimpleUploadedFile("名单.csv", csv_bytes(rows_for(3))),
        )
        chain = Chain.objects.order_by("pk").first()
        node = ChainNode.objects.filter(chain=chain).order_by("pk").first()
        # The enterprise leads a chain; a firm of the same zone asks to supply it.
        leader = ChainLeader.objects.create(
            chain=chain, enterprise=self.enterprise, designated_by=self.users["official"]
        )
        supplier = EnterpriseFactory(zone=self.enterprise.zone)
        link = SupplierLink.objects.create(
            leader=leader,
            supplier=supplier,
            status=SupplierLink.Status.REQUESTED,
            created_by=EnterpriseMemberFactory(enterprise=supplier),
        )
        entry = RegistryEntry.objects.create(
            program=claim.program,
            batch="2025",
            uscc=self.enterprise.uscc,
            name=self.enterprise.name,
            status=RegistryEntry.Status.CURRENT,
        )
        assert invitation is not None and node is not None and chain is not None
        [notification] = notify(member, "test", title="Hello")
        staff_invitation = Invitation.objects.create(
            email="new-official@example.com",
            role=Role.ZONE_OFFICIAL,
            zone=self.enterprise.zone,
            invited_by=self.users["admin"],
            expires_at=timezone.now() + timedelta(days=7),
        )
        consent = self.enterprise.consents.first()
        self.kwargs = {
            "enterprise_pk": self.enterprise.pk,
            "claim_pk": claim.pk,
            "evidence_pk": claim.evidence.first().pk,
            "need_pk": need.pk,
            "year": year.year,
            "membership_pk": colleague_membership.pk,
            "request_pk": join_request.pk,
            "consent_pk": consent.pk,
            "program_pk": claim.program.pk,
            "match_pk": match.pk,
            "invitation_pk": invitation.pk,
            "offer_pk": offer.pk,
            "product_pk": leads.version.product.pk,
            "campaign_pk": campaign.pk,
            "lead_pk": leads.lead.pk,
            "leader_pk": leader.pk,
            "link_pk": link.pk,
            "node_pk": node.pk,
            "code": chain.code,
            "fmt": "csv",
            "step": "company",
            "token": staff_invitation.token,
            "key": "missing-key",
            "uidb36": "zz",
        }
        #: What a bare ``pk`` means, per entry.
        self.pks = {
            "enterprise": self.enterprise.pk,
            "claim": claim.pk,
            "year": year.pk,
            "lead": leads.lead.pk,
            "offer": offer.pk,
            "match": match.pk,
            "need": need.pk,
            "consent": consent.pk,
            "member": colleague_membership.pk,
            "join_request": join_request.pk,
            "evidence": claim.evidence.first().pk,
            "program": claim.program.code,
            "product": leads.version.product.pk,
            "campaign": campaign.pk,
            "invitation": invitation.pk,
            "import": list_import.pk,
            "entry": entry.pk,
            "notification": notification.pk,
            "node": node.pk,
            "chain": chain.code,
            "leader": leader.pk,
            "link": link.pk,
        }

    def url(self, name: str, entry: Entry) -> str:
        kwargs = {}
        for key in _kwarg_names(name):
            if key == "pk":
                kwargs[key] = self.pks[entry.pk]
            elif key == "table":
                kwargs[key] = entry.table
            elif key == "code" and entry.pk == "program":
                kwargs[key] = self.pks["program"]
            else:
                kwargs[key] = self.kwargs[key]
        return reverse(name, kwargs=kwargs) + QUERY.get(name, "")


#: Query strings some pages need to point at an object (a list's batch).
QUERY = {
    "registry_reconciliation": "?batch=2025",
    "registry_reconciliation_export": "?batch=2025",
}


def _kwarg_names(name: str) -> list[str]:
    resolver = get_resolver()
    if ":" in name:
        namespace, _, short = name.rpartition(":")
        resolver = resolver.namespace_dict[namespace][1]
        name = short
    variants = [params for p in resolver.reverse_dict.getlist(name) for _, params in p[0]]
    return list(min(variants, key=len)) if variants else []  # not the ``.<format>`` variant


#: Rows whose change a denied request must not make (besides every table's row count).
STATE_FIELDS = (
    "status",
    "version",
    "is_active",
    "revoked_at",
    "read_at",
    "assigned_to_id",
    "updated_at",
)


def fingerprint() -> tuple:
    counts, states = [], []
    for model in apps.get_models():
        if model._meta.proxy:
            continue
        counts.append((model._meta.label, model._default_manager.count()))
        fields = [f.attname for f in model._meta.concrete_fields if f.attname in STATE_FIELDS]
        if fields:
            states.append(list(model._default_manager.order_by("pk").values_list("pk", *fields)))
    return tuple(counts), repr(states)


def client_for(user) -> Client:
    client = Client(headers={"accept-language": "en"})
    if user is not None:
        client.force_login(user)
    return client


def request(client: Client, method: str, url: str):
    with transaction.atomic():
        before = fingerprint() if method == "POST" else None
        response = client.post(url, {}) if method == "POST" else client.get(url)
        changed = method == "POST" and fingerprint() != before
        transaction.set_rollback(True)
    return response.status_code, changed


def check(world: World, names) -> list[str]:
    clients = {role: client_for(user) for role, user in world.users.items()}
    problems, observed = [], {}
    for name in names:
        entry = MATRIX[name]
        url = world.url(name, entry)
        row, changers = {}, set()
        for role in ROLES:
            status, changed = request(clients[role], entry.method, url)
            row[role] = status
            expected = entry.expected(role)
            if status != expected:
                problems.append(f"{name} {entry.method} {url} as {role}: {status}, not {expected}")
            if changed:
                changers.add(role)
                if not entry.may_change(role):
                    problems.append(f"{name} {entry.method} {url} as {role} changed data")
        observed[name] = (row, changers)
    if PROBE:
        for name, (row, changers) in observed.items():
            print(MATRIX[name].with_statuses(name, row, changers))
    return problems
