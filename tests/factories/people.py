"""Roles: one factory per role, plus the reference objects roles are scoped to (zones,
programs, banks, branches, enterprises)."""

from datetime import timedelta

import factory
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.utils import timezone

from ecosystem.accounts.models import Invitation, Membership, StaffToken, User, token_digest
from ecosystem.accounts.roles import Role
from ecosystem.core.uscc import ALPHABET, uscc_check_character
from ecosystem.enterprises.models import Enterprise
from ecosystem.financing.models import Bank, Branch
from ecosystem.registries.models import Program
from ecosystem.zones.models import Zone

PASSWORD = "Correct-Horse-42-battery"


def make_uscc(n: int) -> str:
    body = "91110108" + "".join(ALPHABET[(n // 31**i) % 31] for i in range(9))
    return body + uscc_check_character(body)


class ZoneFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Zone
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"zone-{n}")
    name_zh = factory.Sequence(lambda n: f"测试园区{n}")
    name_en = factory.Sequence(lambda n: f"Test zone {n}")
    city = "北京"


class ProgramFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Program
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"program-{n}")
    name_zh = factory.Sequence(lambda n: f"测试项目{n}")
    name_en = factory.Sequence(lambda n: f"Test program {n}")
    level = Program.Level.NATIONAL


class BankFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Bank

    code = factory.Sequence(lambda n: f"bank-{n}")
    name_zh = factory.Sequence(lambda n: f"测试银行{n}")
    name_en = factory.Sequence(lambda n: f"Test bank {n}")


class BranchFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Branch
        skip_postgeneration_save = True

    bank = factory.SubFactory(BankFactory)
    code = factory.Sequence(lambda n: f"branch-{n}")
    name_zh = factory.Sequence(lambda n: f"测试支行{n}")

    @factory.post_generation
    def zones(self, create, extracted, **kwargs):
        if create and extracted:
            self.zones.set(extracted)


class EnterpriseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Enterprise

    uscc = factory.Sequence(lambda n: make_uscc(n + 1000))
    name = factory.Sequence(lambda n: f"测试科技有限公司{n}")
    zone = factory.SubFactory(ZoneFactory)
    #: An established firm: its registrant's identity is confirmed (as the 0005 migration
    #: left every firm registered before identity confirmation). ``unconfirmed=True`` for a
    #: fresh registration.
    identity_status = "confirmed"
    identity_source = "migrated"

    class Params:
        unconfirmed = factory.Trait(identity_status="unconfirmed", identity_source="")

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        """Saved and counted in the ecosystem page's cells (``ecosystem_summary``), as
        registration does."""
        from ecosystem.financing.ecosystem_summary import ecosystem_sync

        made = super()._create(model_class, *args, **kwargs)
        ecosystem_sync(enterprise_ids=[made.pk])
        return made


class UserFactory(factory.django.DjangoModelFactory):
    """A signed-up user with a verified email and no role."""

    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.com")
    full_name = factory.Sequence(lambda n: f"User {n}")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def verified(self, create, extracted, **kwargs):
        if create:
            self.save()
            EmailAddress.objects.create(
                user=self,
                email=self.email,
                primary=True,
                verified=True if extracted is None else bool(extracted),
            )


class _RoleFactory(UserFactory):
    @factory.post_generation
    def second_factor(self, create, extracted, **kwargs):
        """Staff get a TOTP authenticator unless ``second_factor=False``."""
        if create and extracted is not False:
            TOTP.activate(self, generate_totp_secret())


class EnterpriseMemberFactory(_RoleFactory):
    @factory.post_generation
    def second_factor(self, create, extracted, **kwargs):
        if create and extracted:
            TOTP.activate(self, generate_totp_secret())

    @factory.post_generation
    def enterprise(self, create, extracted, **kwargs):
        if create:
            Membership.objects.create(
                user=self, role=Role.ENTERPRISE_OWNER, enterprise=extracted or EnterpriseFactory()
            )


class ZoneOfficialFactory(_RoleFactory):
    @factory.post_generation
    def zone(self, create, extracted, **kwargs):
        if create:
            Membership.objects.create(
                user=self, role=Role.ZONE_OFFICIAL, zone=extracted or ZoneFactory()
            )


class RegistryOfficerFactory(_RoleFactory):
    @factory.post_generation
    def program(self, create, extracted, **kwargs):
        if create:
            Membership.objects.create(
                user=self, role=Role.REGISTRY_OFFICER, program=extracted or ProgramFactory()
            )


class BankStaffFactory(_RoleFactory):
    """A relationship manager at a branch."""

    @factory.post_generation
    def branch(self, create, extracted, **kwargs):
        if create:
            branch = extracted or BranchFactory()
            Membership.objects.create(user=self, role=Role.BANK_RM, bank=branch.bank, branch=branch)


class BankManagerFactory(_RoleFactory):
    @factory.post_generation
    def bank(self, create, extracted, **kwargs):
        if create:
            Membership.objects.create(
                user=self, role=Role.BANK_MANAGER, bank=extracted or BankFactory()
            )


class PlatformAdminFactory(UserFactory):
    is_staff = True
    is_superuser = True

    @factory.post_generation
    def second_factor(self, create, extracted, **kwargs):
        if create and extracted is not False:
            TOTP.activate(self, generate_totp_secret())


def has_totp(user) -> bool:
    return Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()


class InvitationFactory(factory.django.DjangoModelFactory):
    """A platform admin's pending invitation to be an official of a zone."""

    class Meta:
        model = Invitation

    email = factory.Sequence(lambda n: f"invitee{n}@example.com")
    role = Role.ZONE_OFFICIAL
    zone = factory.SubFactory(ZoneFactory)
    invited_by = factory.SubFactory(PlatformAdminFactory)
    expires_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=7))


def api_key_for(user, *, kind=StaffToken.Kind.READ_ONLY, bank=None, days=30, **fields) -> str:
    """The key of a new staff API token of ``user``, made directly: no refusal, no second
    factor (the tokens page and its checks have tests of their own)."""
    import secrets

    key = "kjt_" + secrets.token_urlsafe(32)
    now = timezone.now()
    StaffToken.objects.create(
        user=user,
        name=fields.pop("name", "test token"),
        kind=kind,
        bank=bank,
        prefix=key[:8],
        digest=token_digest(key),
        expires_at=fields.pop("expires_at", now + timedelta(days=days)),
        **fields,
    )
    return key
