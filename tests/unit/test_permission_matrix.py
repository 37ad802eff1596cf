"""Every URL pattern has a permission-matrix entry (``tests/permission_matrix.py``), and
every entry holds: each URL is requested as each role and answers the expected status; an
unsafe request that a role may not make changes nothing.

Each request runs inside a transaction that is rolled back, so the world stays the same
from one request to the next and a permitted POST cannot disturb the rest of the matrix.

``PERMISSION_MATRIX_PROBE=1`` prints the observed table in the matrix's format, as a start
for the entry of a new URL (read it before pasting: it records what is, not what should be).
"""

from __future__ import annotations

import os
from datetime import timedelta
from decimal import Decimal

import pytest
from django.apps import apps
from django.contrib.admin import site as admin_site
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from ecosystem.accounts.models import Invitation, Membership
from ecosystem.accounts.roles import Role
from ecosystem.chains.models import Chain, ChainNode
from ecosystem.core.services import notify
from ecosystem.enterprises.models import JoinRequest
from ecosystem.enterprises.services import financing_need_create
from ecosystem.financing import services
from ecosystem.financing import services as pipeline
from ecosystem.financing.models import Match
from ecosystem.registries import services as registry_services
from tests.factories import (
    EnterpriseFactory,
    EnterpriseMemberFactory,
    PlatformAdminFactory,
    RegistryOfficerFactory,
    UserFactory,
    ZoneOfficialFactory,
)
from tests.lead_world import S
from tests.lead_world import World as LeadWorld
from tests.permission_matrix import ADMIN_GROUP, MATRIX, ROLES, Entry
from tests.registry_files import csv_bytes, rows_for
from tests.unit.test_zone_pages import add_year, submit_claim

pytestmark = pytest.mark.django_db

PROBE = os.environ.get("PERMISSION_MATRIX_PROBE") == "1"
MISSING = 999_999  # a primary key nothing has


# --- every pattern, with its name -------------------------------------------------------


def all_patterns(patterns=None, prefix="", namespace=None):
    """(name or None, route) of every URL pattern, API router and allauth included."""
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            ns = namespace
            if pattern.namespace:
                ns = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
            yield from all_patterns(pattern.url_patterns, prefix + str(pattern.pattern), ns)
        elif isinstance(pattern, URLPattern):
            name = pattern.name and (f"{namespace}:{pattern.name}" if namespace else pattern.name)
            yield name, prefix + str(pattern.pattern)


def is_admin(name: str | None, route: str) -> bool:
    return route.startswith("admin/") or bool(name and name.startswith("admin:"))


def test_every_url_pattern_has_a_matrix_entry():
    missing = sorted(
        {
            f"{name or '(unnamed)'} {route}"
            for name, route in all_patterns()
            if not is_admin(name, route) and name not in MATRIX
        }
    )
    assert missing == [], "add these to tests/permission_matrix.py"


def test_every_matrix_entry_names_a_url_pattern():
    names = {name for name, _ in all_patterns()}
    assert sorted(set(MATRIX) - names) == []


def test_the_admin_is_covered_as_a_group():
    admin = [(name, route) for name, route in all_patterns() if is_admin(name, route)]
    assert admin and ADMIN_GROUP.statuses


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
        invitation = campaign.invitations.first()
        need = financing_need_create(
            enterprise=self.enterprise,
            actor=member,
            amount=Decimal("2000000"),
            term_months=12,
            purpose="working_capital",
        )
        applicant = UserFactory()
        join_request = JoinRequest.objects.create(enterprise=self.enterprise, user=applicant)
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
            "invitation_pk": invitation.pk if invitation else MISSING,
            "offer_pk": offer.pk,
            "product_pk": leads.version.product.pk,
            "campaign_pk": campaign.pk,
            "lead_pk": leads.lead.pk,
            "leader_pk": MISSING,
            "link_pk": MISSING,
            "node_pk": node.pk if node else MISSING,
            "code": chain.code if chain else "missing",
            "fmt": "csv",
            "step": "identity",
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
            "invitation": invitation.pk if invitation else MISSING,
            "import": list_import.pk,
            "entry": MISSING,
            "notification": notification.pk,
            "node": node.pk if node else MISSING,
            "chain": chain.code if chain else "missing",
            "missing": MISSING,
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
        return reverse(name, kwargs=kwargs)


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


def admin_urls() -> list[str]:
    urls = [reverse("admin:index")]
    for model in admin_site._registry:
        info = (model._meta.app_label, model._meta.model_name)
        urls.append(reverse("admin:{}_{}_changelist".format(*info)))
    return urls


AREAS = ("api", "enterprises", "financing", "zones", "registries", "chains", "accounts")


def groups() -> dict[str, list[str]]:
    """Entry names by the first segment of their route (one world per area)."""
    routes = {name: route for name, route in all_patterns() if name in MATRIX}
    by_area: dict[str, list[str]] = {}
    for name in MATRIX:
        first = routes.get(name, "").split("/")[0]
        by_area.setdefault(first if first in AREAS else "other", []).append(name)
    return by_area


@pytest.mark.parametrize("area", [*AREAS, "other"])
def test_each_role_gets_what_the_matrix_says(area):
    world = World()
    problems = check(world, groups().get(area, []))
    assert problems == []


def test_the_admin_opens_to_platform_admins_only():
    world = World()
    problems = []
    for role, user in world.users.items():
        client = client_for(user)
        for url in admin_urls():
            status, _ = request(client, "GET", url)
            if status != ADMIN_GROUP.expected(role):
                problems.append(f"{url} as {role}: {status}, not {ADMIN_GROUP.expected(role)}")
    assert problems == []
