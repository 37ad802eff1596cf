"""One home for who-may-see-what: memberships are read only in ``accounts/scope.py``, and
every app's ``can_*`` check agrees with its scoped queryset over a world of roles × objects
in and out of scope (inactive memberships and platform admins included)."""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from ecosystem.accounts.models import Membership
from ecosystem.accounts.scope import PLATFORM_ADMIN_MAY, keep_for_request, scope_of
from ecosystem.chains import permissions as chain_policy
from ecosystem.enterprises import permissions as enterprise_policy
from ecosystem.enterprises import selectors as enterprise_selectors
from ecosystem.enterprises.models import Enterprise, QualificationClaim
from ecosystem.enterprises.workflow import ClaimStatus
from ecosystem.financing import permissions as financing_policy
from ecosystem.financing import selectors as financing_selectors
from ecosystem.financing.models import Bank, Lead, Match
from ecosystem.registries import permissions as registry_policy
from ecosystem.registries import selectors as registry_selectors
from ecosystem.registries.models import Program, RegistryEntry
from tests.factories import (
    BankStaffFactory,
    ConsentFactory,
    EnterpriseFactory,
    EnterpriseMemberFactory,
    LeadFactory,
    PlatformAdminFactory,
    ProgramFactory,
    RegistryEntryFactory,
    RegistryOfficerFactory,
    UserFactory,
    ZoneOfficialFactory,
)
from tests.worlds.leads import World

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]

#: Modules allowed to touch Membership rows: the scope (every read), the model and its
#: migrations, the admin, and the services that create memberships (writes only).
MEMBERSHIP_MODULES = {
    "ecosystem/accounts/scope.py",
    "ecosystem/accounts/models.py",
    "ecosystem/accounts/admin.py",
}
WRITERS = {
    "ecosystem/accounts/services.py",
    "ecosystem/enterprises/services/registration.py",
    "ecosystem/enterprises/services/members.py",
}
READ = re.compile(
    r"\.memberships\b|memberships__|Membership\.objects\.(?!create\b|update_or_create\b"
    r"|get_or_create\b|none\b)"
)


def test_memberships_are_read_only_in_the_scope_module():
    offenders = []
    for path in sorted((ROOT / "ecosystem").rglob("*.py")):
        name = path.relative_to(ROOT).as_posix()
        if "/migrations/" in name or name in MEMBERSHIP_MODULES:
            continue
        for number, line in enumerate(path.read_text().splitlines(), 1):
            if READ.search(line):
                offenders.append(f"{name}:{number}: {line.strip()}")
    assert offenders == []


def test_the_pattern_catches_a_raw_read():
    """The check above would see the reads it exists to forbid."""
    assert READ.search("user.memberships.filter(is_active=True)")
    assert READ.search("Zone.objects.filter(memberships__user=user)")
    assert READ.search("Membership.objects.filter(user=user)")
    assert not READ.search("Membership.objects.create(user=user)")


def _world():
    """Two banks each with a lead (and consent), claims in two states, a program, users of
    every role in and out of scope, inactive memberships and a platform admin."""
    one, two = World(), World()
    for world in (one, two):
        QualificationClaim.objects.create(
            enterprise=world.enterprise,
            program=ProgramFactory(),
            certificate_number="V1",
            year=2025,
            status=ClaimStatus.VERIFIED,
        )
        QualificationClaim.objects.create(
            enterprise=world.enterprise,
            program=ProgramFactory(),
            certificate_number="S1",
            year=2025,
            status=ClaimStatus.SUBMITTED,
        )
        Match.objects.create(
            enterprise=world.enterprise,
            product_version=world.version,
            product=world.version.product,
            score=80,
            indicative_limit=Decimal("500000"),
            computed_at=timezone.now(),
        )
    EnterpriseFactory(zone=one.enterprise.zone)  # in the official's zone, nobody's member
    # A firm of bank one's other branch only (consent to the bank, its lead there, a zone
    # that branch serves): that branch's RM and the manager see it, the first RM does not.
    other_branch = Membership.objects.get(user=one.rm_other_branch).branch
    far = EnterpriseFactory()
    other_branch.zones.add(far.zone)
    ConsentFactory(enterprise=far, bank=one.bank)
    LeadFactory(enterprise=far, product_version=one.version, branch=other_branch)
    QualificationClaim.objects.create(
        enterprise=far,
        program=ProgramFactory(),
        certificate_number="F1",
        year=2025,
        status=ClaimStatus.VERIFIED,
    )
    officer_program = ProgramFactory()
    RegistryEntryFactory(uscc=one.enterprise.uscc)  # the member's firm, in another's list
    RegistryEntryFactory(program=officer_program)  # the officer's list, another firm
    RegistryEntryFactory()  # nobody's
    users = {
        "anonymous": AnonymousUser(),
        "plain": UserFactory(),
        "member": one.member,
        "other_member": one.other_member,
        "official": ZoneOfficialFactory(zone=one.enterprise.zone),
        "officer": RegistryOfficerFactory(program=officer_program),
        "rm": one.rm,
        "rm_other_branch": one.rm_other_branch,
        "manager": one.manager,
        "manager_other_bank": one.manager_other_bank,
        "admin": PlatformAdminFactory(),
    }
    former_member = EnterpriseMemberFactory(enterprise=one.enterprise)
    former_official = ZoneOfficialFactory(zone=one.enterprise.zone)
    Membership.objects.filter(user__in=[former_member, former_official]).update(is_active=False)
    users["former_member"] = former_member
    users["former_official"] = former_official
    return users


def test_every_check_agrees_with_its_scoped_queryset():
    users = _world()
    enterprises = list(Enterprise.objects.all())
    pairs = [
        (enterprises, enterprise_policy.can_view, enterprise_selectors.enterprises_visible_to),
        (enterprises, enterprise_policy.can_edit, enterprise_selectors.enterprises_for_member),
        (
            enterprises,
            enterprise_policy.can_manage_members,
            enterprise_selectors.enterprises_owned_by,
        ),
        (
            list(QualificationClaim.objects.all()),
            enterprise_policy.can_view_claim,
            enterprise_selectors.claims_visible_to,
        ),
        (
            list(Program.objects.all()),
            registry_policy.can_manage_program,
            registry_selectors.programs_managed_by,
        ),
        (
            list(RegistryEntry.objects.all()),
            registry_policy.can_view_entry,
            registry_selectors.entries_visible_to,
        ),
        (
            list(Bank.objects.all()),
            financing_policy.is_bank_manager,
            financing_selectors.banks_managed_by,
        ),
        (
            list(Lead.objects.all()),
            financing_policy.can_view_lead,
            financing_selectors.leads_visible_to,
        ),
        (
            list(Lead.objects.all()),
            financing_policy.can_work_lead,
            financing_selectors.bank_leads_of,
        ),
        (
            list(Match.objects.all()),
            financing_policy.can_view_match,
            financing_selectors.matches_visible_to,
        ),
    ]
    problems = []
    for objects, check, visible in pairs:
        assert objects, check.__name__
        for role, user in users.items():
            shown = set(visible(user=user).values_list("pk", flat=True))
            for obj in objects:
                allowed = check(user, obj)
                if allowed != (obj.pk in shown):
                    problems.append(f"{check.__name__}: {role} × {obj.pk}: check says {allowed}")
    assert problems == []


def test_the_world_puts_objects_both_in_and_out_of_each_scope():
    """Agreement over a world where everyone sees everything (or nothing) would prove
    nothing: each role sees some leads and enterprises and misses others."""
    users = _world()
    total = Lead.objects.count()
    for role in ("member", "rm", "manager", "official"):
        seen = financing_selectors.leads_visible_to(user=users[role]).count()
        enterprises = enterprise_selectors.enterprises_visible_to(user=users[role]).count()
        assert enterprises < Enterprise.objects.count(), role
        if role != "official":
            assert 0 < seen < total, role
    assert financing_selectors.leads_visible_to(user=users["admin"]).count() == total
    # Branch scope: each RM sees a firm the other does not; the manager sees both.
    seen = {
        role: set(enterprise_selectors.enterprises_visible_to(user=users[role]))
        for role in ("rm", "rm_other_branch", "manager")
    }
    assert seen["rm"] - seen["rm_other_branch"] and seen["rm_other_branch"] - seen["rm"]
    assert seen["manager"] >= seen["rm"] | seen["rm_other_branch"]
    for role in ("former_member", "former_official", "plain", "anonymous"):
        assert not enterprise_selectors.enterprises_visible_to(user=users[role]).exists(), role


def test_platform_admin_oversees_but_does_not_decide_claims():
    users = _world()
    admin = users["admin"]
    claim = QualificationClaim.objects.filter(status=ClaimStatus.SUBMITTED).first()
    assert enterprise_policy.can_view_claim(admin, claim)
    assert not enterprise_policy.can_decide_claim(admin, claim)
    assert enterprise_policy.can_decide_claim(users["official"], claim) == (
        claim.enterprise.zone_id in scope_of(users["official"]).zone_ids
    )
    lead = Lead.objects.first()
    assert financing_policy.can_work_lead(admin, lead)
    assert chain_policy.can_designate(admin, lead.enterprise)
    assert "decide_claims" not in PLATFORM_ADMIN_MAY


def test_scope_is_read_once_per_request_and_fresh_elsewhere():
    member = EnterpriseMemberFactory()
    with CaptureQueriesContext(connection) as queries:
        scope_of(member)
        scope_of(member)
    assert len(queries) == 2  # outside a request: read fresh each time
    keep_for_request(member)
    with CaptureQueriesContext(connection) as queries:
        first = scope_of(member)
        scope_of(member)
        enterprise_policy.is_member(member, first and Enterprise.objects.first())
    assert len(queries) == 2  # one read of memberships, one of the enterprise
    # A membership ended in another request does not linger in a fresh scope.
    Membership.objects.filter(user=member).update(is_active=False)
    assert scope_of(member, fresh=True).enterprise_ids == frozenset()


def test_the_scope_is_one_statement_with_every_scope_it_names():
    """One statement, prepared once per connection on PostgreSQL (``core.prepared``), reads
    the memberships with the enterprise, zone, bank and branch they name, in (role, id)
    order; nothing more is read when a page shows them."""
    from ecosystem.accounts.roles import Role

    rm = BankStaffFactory()
    enterprise = EnterpriseFactory()
    Membership.objects.create(user=rm, role=Role.ENTERPRISE_MEMBER, enterprise=enterprise)
    for _ in range(2):  # the first read on a connection prepares the statement
        with CaptureQueriesContext(connection) as queries:
            scope = scope_of(rm)
        assert len(queries) == 1
        if connection.vendor == "postgresql":
            assert queries.captured_queries[0]["sql"].startswith("EXECUTE")
    assert [m.role for m in scope.memberships] == sorted(m.role for m in scope.memberships)
    with CaptureQueriesContext(connection) as queries:
        names = {(m.role, str(m.enterprise or m.branch)) for m in scope.memberships}
        assert scope.enterprise_usccs == {enterprise.uscc}
    assert len(queries) == 0
    rm_membership = next(m for m in scope.memberships if m.role == Role.BANK_RM)
    assert (Role.BANK_RM, str(rm_membership.branch)) in names
    assert scope.rm_branches == {(rm_membership.bank_id, rm_membership.branch_id)}


def test_every_check_named_in_the_access_table_exists():
    import importlib

    table = (ROOT / "docs" / "access.md").read_text()
    named = re.findall(r"`(\w+)\.(can_\w+)`", table)
    assert len(named) >= 12
    for app, check in named:
        module = importlib.import_module(f"ecosystem.{app}.permissions")
        assert callable(getattr(module, check, None)), f"{app}.{check}"
