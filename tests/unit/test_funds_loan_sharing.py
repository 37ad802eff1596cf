"""A firm shares its loans' detail with its zone, or stops (issue #17: "the zone sees
aggregates, and a loan's detail only with consent"): until it shares, the zone official gets
the totals and a 404 on the loan; after, the row and the detail; after stopping, 404 again.
Only members of the firm may decide; each decision is audited and shown in words."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import translation

from ecosystem.core import labels
from ecosystem.core.models import AuditEvent
from ecosystem.funds import services
from ecosystem.funds.models import Loan, LoanSharing
from tests.factories import ZoneOfficialFactory
from tests.worlds.funds import World
from tests.worlds.leads import client_for

pytestmark = pytest.mark.django_db


def _world():
    world = World()
    services.loan_open(lead=world.lead, actor=world.rm, reference="LN-SHARE-1")
    return world, Loan.objects.get(), ZoneOfficialFactory(zone=world.enterprise.zone)


def _share(world, user, share: bool):
    return client_for(user).post(
        reverse("funds:loan_sharing", args=[world.enterprise.pk]), {"share": "1" if share else "0"}
    )


def test_the_zone_sees_a_loan_only_while_the_firm_shares_it():
    world, loan, official = _world()
    detail = reverse("funds:loan_detail", args=[loan.pk])
    listing = reverse("funds:loan_list")
    assert client_for(official).get(detail).status_code == 404
    assert b"LN-SHARE-1" not in client_for(official).get(listing).content

    assert _share(world, world.member, True).status_code == 302
    assert client_for(official).get(detail).status_code == 200
    page = client_for(official).get(listing).content
    assert b"LN-SHARE-1" in page and b'data-testid="zone-loan-row"' in page
    # An official of another zone still sees nothing of it.
    stranger = ZoneOfficialFactory()
    assert client_for(stranger).get(detail).status_code == 404
    # The zone official reads; it reports nothing.
    assert b'data-testid="loan-status-form"' not in client_for(official).get(detail).content

    assert _share(world, world.member, False).status_code == 302
    assert client_for(official).get(detail).status_code == 404
    assert b"LN-SHARE-1" not in client_for(official).get(listing).content


def test_sharing_is_idempotent_audited_and_kept_as_history():
    world, _loan, _official = _world()
    _share(world, world.member, True)
    _share(world, world.member, True)
    assert LoanSharing.objects.filter(revoked_at__isnull=True).count() == 1
    _share(world, world.member, False)
    _share(world, world.member, False)
    _share(world, world.member, True)
    assert LoanSharing.objects.count() == 2
    assert LoanSharing.objects.filter(revoked_at__isnull=True).count() == 1
    verbs = list(
        AuditEvent.objects.filter(verb__startswith="loan_sharing.")
        .order_by("pk")
        .values_list("verb", flat=True)
    )
    assert verbs == ["loan_sharing.granted", "loan_sharing.revoked", "loan_sharing.granted"]
    with translation.override("zh-hans"):
        shown = str(labels.audit_verb_label("loan_sharing.granted"))
    assert shown and "loan_sharing" not in shown


def test_only_members_of_the_firm_decide():
    world, loan, official = _world()
    for outsider in (world.other_member, official, world.rm):
        assert _share(world, outsider, True).status_code == 404
    assert not LoanSharing.objects.exists()
    assert client_for(official).get(reverse("funds:loan_detail", args=[loan.pk])).status_code == 404
    # A GET changes nothing either.
    answer = client_for(world.member).get(reverse("funds:loan_sharing", args=[world.enterprise.pk]))
    assert answer.status_code == 405 and not LoanSharing.objects.exists()


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_the_firm_reads_where_it_stands_in_its_language(language):
    world, _loan, _official = _world()
    client = client_for(world.member)
    client.cookies["django_language"] = language
    page = client.get(reverse("funds:loan_list")).content.decode()
    assert 'data-testid="loan-sharing"' in page
    with translation.override(language):
        from django.utils.translation import gettext

        assert gettext("Share my loans' detail with my zone") in page
    _share(world, world.member, True)
    page = client.get(reverse("funds:loan_list")).content.decode()
    with translation.override(language):
        assert gettext("Stop sharing with my zone") in page
