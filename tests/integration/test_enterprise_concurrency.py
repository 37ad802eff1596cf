"""On PostgreSQL, simultaneous writes resolve to exactly one result."""

import pytest

from ecosystem.accounts.models import Membership
from ecosystem.enterprises import services
from ecosystem.enterprises.models import Enterprise, JoinRequest
from tests.factories import UserFactory, ZoneFactory, make_uscc
from tests.worlds.concurrency import run_together


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_registrations_of_one_new_code_make_one_enterprise(require_postgres):
    zone = ZoneFactory()
    alice, bob = UserFactory(), UserFactory()
    code = make_uscc(4242)

    def register(user):
        return lambda: services.enterprise_register(
            user=user, uscc=code, name="并发科技", zone=zone
        )

    for _ in range(5):  # a few rounds to give the race its chance
        Enterprise.objects.all().delete()
        JoinRequest.objects.all().delete()
        results = run_together(register(alice), register(bob))
        errors = [r for r in results if isinstance(r, Exception)]
        assert not errors, errors
        assert Enterprise.objects.filter(uscc=code).count() == 1
        assert sorted(r.created for r in results) == [False, True]
        assert JoinRequest.objects.filter(status="pending").count() == 1
        assert Membership.objects.filter(enterprise__uscc=code).count() == 1
