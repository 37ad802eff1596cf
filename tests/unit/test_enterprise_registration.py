"""Registering once: one enterprise per code, join requests, members and owners."""

import pytest

from ecosystem.accounts.models import Membership
from ecosystem.accounts.roles import Role
from ecosystem.core.errors import ApplicationError, ConflictError
from ecosystem.core.models import AuditEvent
from ecosystem.enterprises import services
from ecosystem.enterprises.models import Enterprise, JoinRequest
from ecosystem.enterprises.selectors import enterprises_visible_to
from tests.factories import (
    EnterpriseFactory,
    EnterpriseMemberFactory,
    UserFactory,
    ZoneFactory,
    make_uscc,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def zone():
    return ZoneFactory()


def register(user, zone, uscc=None, **extra):
    return services.enterprise_register(
        user=user, uscc=uscc or make_uscc(7), name="芯动科技有限公司", zone=zone, **extra
    )


def test_registering_makes_the_user_owner_and_is_audited(zone):
    user = UserFactory()
    result = register(user, zone, uscc=make_uscc(7).lower())
    assert result.created
    assert result.enterprise.uscc == make_uscc(7)
    assert Membership.objects.get(user=user).role == Role.ENTERPRISE_OWNER
    assert AuditEvent.objects.filter(
        verb="enterprise.registered", target_id=str(result.enterprise.pk)
    ).exists()


def test_unverified_email_cannot_register(zone):
    with pytest.raises(ApplicationError) as excinfo:
        register(UserFactory(verified=False), zone)
    assert excinfo.value.code == "email_unverified"
    assert not Enterprise.objects.exists()


def test_invalid_code_is_refused_and_nothing_is_created(zone):
    with pytest.raises(ApplicationError) as excinfo:
        register(
            UserFactory(),
            zone,
            uscc=make_uscc(7)[:17] + "0" if make_uscc(7)[17] != "0" else make_uscc(7)[:17] + "1",
        )
    assert excinfo.value.code == "invalid_uscc"
    assert not Enterprise.objects.exists()


def test_existing_code_yields_a_join_request_that_gives_no_access(zone):
    owner = UserFactory()
    first = register(owner, zone)
    newcomer = UserFactory()
    second = register(newcomer, zone, join_message="我是财务")
    assert not second.created
    assert second.enterprise == first.enterprise
    assert second.join_request.status == JoinRequest.Status.PENDING
    assert Enterprise.objects.count() == 1
    assert not Membership.objects.filter(user=newcomer).exists()
    assert not enterprises_visible_to(user=newcomer).exists()
    # asking again returns the same pending request
    assert register(newcomer, zone).join_request == second.join_request


def test_owner_approves_a_join_request(zone):
    owner = UserFactory()
    enterprise = register(owner, zone).enterprise
    request = register(UserFactory(), zone).join_request
    services.join_request_decide(join_request=request, actor=owner, approve=True)
    assert Membership.objects.get(user=request.user).role == Role.ENTERPRISE_MEMBER
    assert enterprises_visible_to(user=request.user).get() == enterprise
    with pytest.raises(ConflictError):
        services.join_request_decide(join_request=request, actor=owner, approve=False)


def test_only_owners_decide_join_requests_and_a_refusal_changes_nothing(zone):
    owner = UserFactory()
    enterprise = register(owner, zone).enterprise
    member = EnterpriseMemberFactory(enterprise=enterprise)
    Membership.objects.filter(user=member).update(role=Role.ENTERPRISE_MEMBER)
    request = register(UserFactory(), zone).join_request
    for actor in (member, UserFactory()):
        with pytest.raises(ApplicationError):
            services.join_request_decide(join_request=request, actor=actor, approve=True)
    request.refresh_from_db()
    assert request.status == JoinRequest.Status.PENDING
    assert not Membership.objects.filter(user=request.user).exists()


def test_declined_request_gives_no_access(zone):
    owner = UserFactory()
    register(owner, zone)
    request = register(UserFactory(), zone).join_request
    services.join_request_decide(join_request=request, actor=owner, approve=False)
    assert not enterprises_visible_to(user=request.user).exists()


def test_last_owner_cannot_leave_until_ownership_is_transferred(zone):
    owner = UserFactory()
    enterprise = register(owner, zone).enterprise
    with pytest.raises(ConflictError) as excinfo:
        services.member_leave(enterprise=enterprise, user=owner)
    assert excinfo.value.code == "last_owner"
    assert Membership.objects.get(user=owner).is_active
    request = register(UserFactory(), zone).join_request
    services.join_request_decide(join_request=request, actor=owner, approve=True)
    successor = Membership.objects.get(user=request.user)
    services.ownership_transfer(enterprise=enterprise, actor=owner, to=successor)
    assert Membership.objects.get(user=request.user).role == Role.ENTERPRISE_OWNER
    services.member_leave(enterprise=enterprise, user=owner)
    assert not Membership.objects.get(user=owner).is_active


def test_owner_removes_a_member_but_not_the_last_owner(zone):
    owner = UserFactory()
    enterprise = register(owner, zone).enterprise
    request = register(UserFactory(), zone).join_request
    services.join_request_decide(join_request=request, actor=owner, approve=True)
    member = Membership.objects.get(user=request.user)
    with pytest.raises(ApplicationError):
        services.member_remove(
            enterprise=enterprise, actor=request.user, membership=Membership.objects.get(user=owner)
        )
    services.member_remove(enterprise=enterprise, actor=owner, membership=member)
    assert not enterprises_visible_to(user=request.user).exists()
    with pytest.raises(ConflictError):
        services.member_remove(
            enterprise=enterprise, actor=owner, membership=Membership.objects.get(user=owner)
        )


def test_stale_profile_edit_is_refused_and_changes_nothing(zone):
    owner = UserFactory()
    enterprise = register(owner, zone).enterprise
    services.enterprise_update(
        enterprise=enterprise, actor=owner, expected_version=1, name="新名称一"
    )
    with pytest.raises(ConflictError) as excinfo:
        services.enterprise_update(
            enterprise=enterprise, actor=owner, expected_version=1, name="新名称二"
        )
    assert excinfo.value.code == "stale_version"
    enterprise.refresh_from_db()
    assert (enterprise.name, enterprise.version) == ("新名称一", 2)


def test_outsiders_cannot_edit_the_profile(zone):
    enterprise = EnterpriseFactory(zone=zone)
    with pytest.raises(ApplicationError) as excinfo:
        services.enterprise_update(
            enterprise=enterprise, actor=UserFactory(), expected_version=1, name="x"
        )
    assert excinfo.value.status == 404
    enterprise.refresh_from_db()
    assert enterprise.name != "x"


def test_uscc_cannot_be_changed_through_the_profile(zone):
    owner = UserFactory()
    enterprise = register(owner, zone).enterprise
    with pytest.raises(ApplicationError):
        services.enterprise_update(
            enterprise=enterprise, actor=owner, expected_version=1, uscc=make_uscc(99)
        )
