"""On PostgreSQL, simultaneous writes resolve to exactly one result."""

import threading

import pytest
from django.db import connection

from ecosystem.accounts.models import Membership
from ecosystem.enterprises import services
from ecosystem.enterprises.models import Enterprise, JoinRequest
from tests.factories import UserFactory, ZoneFactory, make_uscc


def run_together(*calls):
    """Start the calls in threads released at the same moment; return results or errors."""
    barrier = threading.Barrier(len(calls))
    results = [None] * len(calls)

    def runner(index, call):
        try:
            barrier.wait(timeout=10)
            results[index] = call()
        except Exception as exc:  # noqa: BLE001 - reported to the test
            results[index] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=runner, args=(i, c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return results


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
