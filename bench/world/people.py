"""The world's zones, banks, branches and their staff, the product versions, and the
crawl's people."""

from __future__ import annotations

from dataclasses import dataclass, field

from bench.product_terms import varied_terms

ZONES = 50
BANKS = 30
PRODUCTS_PER_BANK = 2
PROGRAMS = ("hte", "tsme", "srdi", "little-giant")


@dataclass
class Institutions:
    """What the later steps need of the zones, programs, banks and their staff."""

    zones: list
    programs: dict
    banks: list
    #: (bank id, branch code "z07") -> branch id
    branch_of: dict = field(default_factory=dict)
    #: branch id -> its relationship manager's user id
    rm_of: dict = field(default_factory=dict)
    #: bank id -> [(product id, product version id)]
    versions_of: dict = field(default_factory=dict)


def staff(email: str, *, superuser: bool = False):
    """A user with a TOTP authenticator (the portal asks staff for a second factor)."""
    from allauth.mfa.models import Authenticator
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    from ecosystem.accounts.models import User

    user, created = User.objects.get_or_create(email=email)
    if created:
        user.set_unusable_password()
        if superuser:
            user.is_staff = user.is_superuser = True
        user.save()
    if not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
        TOTP.activate(user, generate_totp_secret())
    return user


def institutions_create() -> Institutions:
    """Zones, the programs (from the migrations), banks, a branch per bank and zone, a
    relationship manager per branch and a manager per bank (no second factor: they only
    author notes and hold leads; the crawl's people have one)."""
    from ecosystem.accounts.models import Membership, User
    from ecosystem.accounts.roles import Role
    from ecosystem.financing.models import Bank, Branch
    from ecosystem.registries.models import Program
    from ecosystem.zones.models import Zone

    zones = [
        Zone.objects.get_or_create(
            code=f"nat-{z:02d}", defaults={"name_zh": f"全国园区{z:02d}", "city": f"城市{z:02d}"}
        )[0]
        for z in range(ZONES)
    ]
    programs = {p.code: p for p in Program.objects.filter(code__in=PROGRAMS)}
    missing = set(PROGRAMS) - set(programs)
    if missing:
        raise SystemExit(f"programs {sorted(missing)} missing: are the migrations applied?")
    banks = [
        Bank.objects.get_or_create(
            code=f"nat-bank-{b:02d}", defaults={"name_zh": f"全国银行{b:02d}"}
        )[0]
        for b in range(BANKS)
    ]
    made = Institutions(zones=zones, programs=programs, banks=banks)
    Branch.objects.bulk_create(
        [
            Branch(bank=bank, code=f"z{z:02d}", name_zh=f"{bank.name_zh}{zones[z].name_zh}支行")
            for bank in banks
            for z in range(ZONES)
        ]
    )
    made.branch_of = {
        (bank_id, code): pk
        for pk, bank_id, code in Branch.objects.values_list("pk", "bank_id", "code")
    }
    through = Branch.zones.through
    through.objects.bulk_create(
        [
            through(branch_id=made.branch_of[(bank.pk, f"z{z:02d}")], zone_id=zones[z].pk)
            for bank in banks
            for z in range(ZONES)
        ]
    )
    rm_rows, manager_rows = [], []
    for bank in banks:
        manager_rows.append(User(email=f"manager@{bank.code}.invalid"))
        for z in range(ZONES):
            rm_rows.append(User(email=f"rm-z{z:02d}@{bank.code}.invalid"))
    for user in rm_rows + manager_rows:
        user.set_unusable_password()
    User.objects.bulk_create(rm_rows + manager_rows)
    users = dict(User.objects.filter(email__endswith=".invalid").values_list("email", "pk"))
    memberships = []
    for bank in banks:
        memberships.append(
            Membership(
                user_id=users[f"manager@{bank.code}.invalid"], role=Role.BANK_MANAGER, bank=bank
            )
        )
        for z in range(ZONES):
            branch_id = made.branch_of[(bank.pk, f"z{z:02d}")]
            rm_id = users[f"rm-z{z:02d}@{bank.code}.invalid"]
            made.rm_of[branch_id] = rm_id
            memberships.append(
                Membership(user_id=rm_id, role=Role.BANK_RM, bank=bank, branch_id=branch_id)
            )
    Membership.objects.bulk_create(memberships)
    return made


def products_save(made: Institutions) -> None:
    """Two products a bank, saved through ``product_save``. Before the enterprises:
    saving one rematches it in this (brokerless) process, which is free on an empty
    table; the full rematch does the real work."""
    from ecosystem.accounts.models import User
    from ecosystem.financing.services import product_save

    for b, bank in enumerate(made.banks):
        manager = User.objects.get(email=f"manager@{bank.code}.invalid")
        for k in range(PRODUCTS_PER_BANK):
            j = b * PRODUCTS_PER_BANK + k
            version = product_save(
                bank=bank,
                actor=manager,
                code=f"p{k}",
                name_zh=f"{bank.name_zh}科创贷{k}",
                **varied_terms(j),
            )
            made.versions_of.setdefault(bank.pk, []).append((version.product_id, version.pk))


def crawl_people(made: Institutions, *, admin, first_enterprise_id: int) -> dict:
    """The crawl's people: an owner of the first enterprise, an official of the first
    zone, an officer of the ``hte`` list, the relationship manager of the big bank's
    branch in the first zone (who takes over its leads) and that bank's manager."""
    from ecosystem.accounts.models import Membership, User
    from ecosystem.accounts.roles import Role
    from ecosystem.enterprises.models import Enterprise
    from ecosystem.financing.models import Lead

    big = made.banks[0]
    first = Enterprise.objects.get(pk=first_enterprise_id)
    member, _ = User.objects.get_or_create(email="member@national.invalid")
    Membership.objects.get_or_create(user=member, role=Role.ENTERPRISE_OWNER, enterprise=first)
    people = {"member": member.pk, "admin": admin.pk}
    official = staff("official@national.invalid")
    Membership.objects.get_or_create(user=official, role=Role.ZONE_OFFICIAL, zone=made.zones[0])
    registry = staff("registry@national.invalid")
    Membership.objects.get_or_create(
        user=registry, role=Role.REGISTRY_OFFICER, program=made.programs["hte"]
    )
    branch_id = made.branch_of[(big.pk, "z00")]
    rm = staff("rm@national.invalid")
    Membership.objects.get_or_create(user=rm, role=Role.BANK_RM, bank=big, branch_id=branch_id)
    manager = staff("manager@national.invalid")
    Membership.objects.get_or_create(user=manager, role=Role.BANK_MANAGER, bank=big)
    Lead.objects.filter(branch_id=branch_id, assigned_to_id=made.rm_of[branch_id]).update(
        assigned_to=rm
    )
    people.update(official=official.pk, registry=registry.pk, rm=rm.pk, manager=manager.pk)
    return people
