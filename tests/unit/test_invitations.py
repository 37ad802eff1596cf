"""Staff roles exist only by a platform admin's invitation, with the scope it names."""

from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from ecosystem.accounts import services
from ecosystem.accounts.models import Invitation, Membership, User
from ecosystem.accounts.roles import Role
from ecosystem.accounts.tasks import expire_invitations
from ecosystem.core.errors import ApplicationError
from ecosystem.core.models import AuditEvent
from tests.factories import (
    PASSWORD,
    BranchFactory,
    EnterpriseFactory,
    PlatformAdminFactory,
    ProgramFactory,
    UserFactory,
    ZoneFactory,
    ZoneOfficialFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_user():
    return PlatformAdminFactory()


@pytest.fixture
def invitation(admin_user, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return services.invitation_create(
            invited_by=admin_user,
            email="Official@Zone.gov.cn",
            role=Role.ZONE_OFFICIAL,
            zone=ZoneFactory(code="zgc"),
        )


def test_invitation_email_carries_the_accept_link(invitation):
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["official@zone.gov.cn"]
    assert f"/invitations/{invitation.token}/" in mail.outbox[0].body
    assert AuditEvent.objects.filter(verb="invitation.created", target_id=str(invitation.pk))


def test_accepting_creates_account_with_exactly_the_invited_scope(client, invitation):
    other_zone = ZoneFactory()
    url = reverse("invitation_accept", args=[invitation.token])
    response = client.post(
        url,
        {
            "full_name": "李园区",
            "password1": PASSWORD,
            "password2": PASSWORD,
            "role": Role.BANK_MANAGER,
            "zone": other_zone.pk,
            "bank": 1,
            "is_superuser": "on",
        },
    )
    assert response.status_code == 302
    assert response.url == reverse("mfa_activate_totp")
    enrol = client.get(response.url)
    assert enrol.status_code == 200  # no second password prompt right after setting it
    user = User.objects.get(email="official@zone.gov.cn")
    assert not user.is_superuser and not user.is_staff
    memberships = list(Membership.objects.filter(user=user).values_list("role", "zone__code"))
    assert memberships == [(Role.ZONE_OFFICIAL, "zgc")]
    assert user.emailaddress_set.get().verified
    invitation.refresh_from_db()
    assert invitation.status == Invitation.Status.ACCEPTED
    assert invitation.accepted_by == user
    # The link works once only.
    assert client.get(url).status_code == 410


def test_weak_password_keeps_the_form_and_changes_nothing(client, invitation):
    url = reverse("invitation_accept", args=[invitation.token])
    response = client.post(url, {"full_name": "李园区", "password1": "123", "password2": "123"})
    assert response.status_code == 200
    assert "李园区".encode() in response.content  # what was typed is still there
    assert not User.objects.filter(email="official@zone.gov.cn").exists()
    invitation.refresh_from_db()
    assert invitation.status == Invitation.Status.PENDING


def test_existing_account_accepts_after_signing_in(client, invitation):
    user = UserFactory(email="official@zone.gov.cn")
    client.force_login(user)
    response = client.post(reverse("invitation_accept", args=[invitation.token]))
    assert response.status_code == 302
    assert Membership.objects.filter(user=user, role=Role.ZONE_OFFICIAL).count() == 1


def test_another_account_cannot_take_someone_elses_invitation(client, invitation):
    intruder = UserFactory(email="intruder@example.com")
    client.force_login(intruder)
    client.post(reverse("invitation_accept", args=[invitation.token]))
    assert not Membership.objects.filter(user=intruder).exists()
    invitation.refresh_from_db()
    assert invitation.status == Invitation.Status.PENDING


def test_expired_invitation_cannot_be_accepted(client, invitation):
    Invitation.objects.filter(pk=invitation.pk).update(
        expires_at=timezone.now() - timedelta(minutes=1)
    )
    assert expire_invitations.delay().get() == 1
    url = reverse("invitation_accept", args=[invitation.token])
    response = client.post(url, {"full_name": "x", "password1": PASSWORD, "password2": PASSWORD})
    assert response.status_code == 410
    assert not User.objects.filter(email="official@zone.gov.cn").exists()


def test_only_platform_admins_can_invite():
    official = ZoneOfficialFactory()
    with pytest.raises(ApplicationError) as excinfo:
        services.invitation_create(
            invited_by=official, email="x@example.com", role=Role.ZONE_OFFICIAL, zone=ZoneFactory()
        )
    assert excinfo.value.code == "not_platform_admin"
    assert not Invitation.objects.exists()


def test_staff_cannot_reach_the_invitation_admin(client):
    official = ZoneOfficialFactory()
    client.force_login(official)
    response = client.post(
        reverse("admin:accounts_invitation_add"),
        {
            "email": official.email,
            "role": Role.BANK_MANAGER,
            "bank": BranchFactory().bank.pk,
        },
    )
    assert response.status_code != 200 or b"errornote" in response.content
    assert not Invitation.objects.exists()


def test_admin_creates_invitation_through_the_service(
    client, admin_user, django_capture_on_commit_callbacks
):
    client.force_login(admin_user)
    program = ProgramFactory()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("admin:accounts_invitation_add"),
            {
                "email": "officer@registry.gov.cn",
                "role": Role.REGISTRY_OFFICER,
                "program": program.pk,
            },
        )
    assert response.status_code == 302
    invitation = Invitation.objects.get()
    assert (invitation.role, invitation.program) == (Role.REGISTRY_OFFICER, program)
    assert len(mail.outbox) == 1
    assert AuditEvent.objects.filter(verb="invitation.created").count() == 1


def test_admin_form_rejects_a_scope_that_does_not_fit_the_role(client, admin_user):
    client.force_login(admin_user)
    response = client.post(
        reverse("admin:accounts_invitation_add"),
        {
            "email": "officer@registry.gov.cn",
            "role": Role.REGISTRY_OFFICER,
            "zone": ZoneFactory().pk,
        },
    )
    assert response.status_code == 200
    assert not Invitation.objects.exists()


@pytest.mark.parametrize("role", [Role.ENTERPRISE_OWNER, Role.ENTERPRISE_MEMBER])
def test_enterprise_roles_are_not_given_by_invitation(admin_user, role):
    with pytest.raises(ApplicationError):
        services.invitation_create(invited_by=admin_user, email="x@example.com", role=role)
    assert not Invitation.objects.exists()


def test_relationship_manager_scope_carries_the_branch_bank(admin_user, client):
    branch = BranchFactory()
    invitation = services.invitation_create(
        invited_by=admin_user, email="rm@bank.cn", role=Role.BANK_RM, branch=branch
    )
    client.post(
        reverse("invitation_accept", args=[invitation.token]),
        {"full_name": "RM", "password1": PASSWORD, "password2": PASSWORD},
    )
    membership = Membership.objects.get(user__email="rm@bank.cn")
    assert (membership.bank, membership.branch) == (branch.bank, branch)


def test_membership_table_refuses_a_scope_that_does_not_fit(admin_user):
    from django.db import IntegrityError

    with pytest.raises(IntegrityError):
        Membership.objects.create(
            user=admin_user, role=Role.ZONE_OFFICIAL, enterprise=EnterpriseFactory()
        )


def test_a_fund_manager_is_appointed_not_invited(admin_user):
    """Invitations carry no scheme: the admin's form does not offer the role and the
    service refuses it with the reason, inviting nobody."""
    with pytest.raises(ApplicationError) as refused:
        services.invitation_create(
            invited_by=admin_user, email="fund@example.cn", role=Role.FUND_MANAGER
        )
    assert refused.value.code == "appointed_not_invited"
    assert not Invitation.objects.exists()
    from ecosystem.accounts.admin import InvitationForm

    assert Role.FUND_MANAGER not in dict(InvitationForm().fields["role"].choices)
    assert Role.BANK_RM in dict(InvitationForm().fields["role"].choices)
