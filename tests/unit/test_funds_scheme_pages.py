"""The fund managers' pages: a new scheme (a platform admin for any owner, a fund manager
for the owners of their schemes) and new terms published as a version (percentages typed
as %, money as yuan, Decimal kept; absurd terms refused beside their field with the input
kept and nothing changed; the earlier version and the filings under it stay as they were)."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from ecosystem.accounts.scope import scope_of
from ecosystem.core.errors import ApplicationError
from ecosystem.core.models import AuditEvent
from ecosystem.funds.models import Filing, Scheme, SchemeVersion
from ecosystem.funds.services.schemes import (
    fund_manager_appoint,
    scheme_create,
    scheme_version_create,
    version_at,
)
from tests.factories import (
    FilingFactory,
    PlatformAdminFactory,
    ProgramFactory,
    SchemeVersionFactory,
    ZoneFactory,
    ZoneOfficialFactory,
)

pytestmark = pytest.mark.django_db


def _client(user, language="en"):
    client = Client(headers={"accept-language": language})
    client.force_login(user)
    return client


def _fund_manager(scheme):
    user = ZoneOfficialFactory()  # a zone official may be a fund manager
    fund_manager_appoint(scheme=scheme, user=user, actor=PlatformAdminFactory())
    return user


def _terms(**changes) -> dict:
    today = timezone.localdate()
    data = {
        "fund_size": "300,000,000",
        "leverage_cap": "8",
        "compensation_share": "40",
        "cumulative_cap": "90000000",
        "per_firm_annual_cap": "20000000",
        "max_term_months": "24",
        "effective_from": (today + timedelta(days=1)).isoformat(),
        "effective_to": "",
    }
    data.update(changes)
    return data


def _state(scheme):
    return (
        list(SchemeVersion.objects.filter(scheme=scheme).values_list("pk", "fund_size")),
        AuditEvent.objects.count(),
    )


def test_a_fund_manager_publishes_new_terms_typed_in_percent_and_yuan():
    version = SchemeVersionFactory(compensation_share=Decimal("0.5"))
    program = ProgramFactory()
    version.programs.set([program])
    scheme, fm = version.scheme, _fund_manager(version.scheme)
    filing = FilingFactory(version=version)
    url = reverse("funds:scheme_version_create", args=[scheme.pk])
    form = _client(fm).get(url).content.decode()
    assert 'value="50.00"' in form  # the share in force, as a percentage
    response = _client(fm).post(url, _terms(programs=[program.pk]))
    assert response.status_code == 302, response.content.decode()
    new = SchemeVersion.objects.get(scheme=scheme, number=2)
    assert new.compensation_share == Decimal("0.4000")
    assert new.fund_size == Decimal("300000000.00") and isinstance(new.fund_size, Decimal)
    assert (new.leverage_cap, new.max_term_months) == (Decimal("8.00"), 24)
    assert list(new.programs.all()) == [program] and list(new.zones.all()) == []
    assert new.created_by == fm
    # The earlier version stays as it was, and the filing keeps the version it was made under.
    version.refresh_from_db()
    assert (version.compensation_share, version.fund_size) == (
        Decimal("0.5000"),
        Decimal("200000000.00"),
    )
    assert Filing.objects.get(pk=filing.pk).version_id == version.pk
    assert version_at(scheme, timezone.localdate()) == version
    assert version_at(scheme, new.effective_from) == new
    page = _client(fm).get(scheme.get_absolute_url()).content.decode()
    assert 'data-testid="scheme-versions"' in page


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("fund_size", "-1", "An amount cannot be negative."),
        ("cumulative_cap", "-5", "An amount cannot be negative."),
        ("compensation_share", "150", "A share is between 0 % and 100 %."),
        ("compensation_share", "-3", "A share is between 0 % and 100 %."),
        ("leverage_cap", "0.5", "The leverage cap is at least 1 (the fund itself)."),
        ("max_term_months", "0", "The longest term is at least one month."),
        ("effective_to", "2000-01-01", "The end comes before the start."),
    ],
)
def test_absurd_terms_are_refused_beside_their_field_with_the_input_kept(field, value, message):
    version = SchemeVersionFactory()
    scheme, fm = version.scheme, _fund_manager(version.scheme)
    before = _state(scheme)
    data = _terms(
        **{field: value, "fund_size": "123456.78"} if field != "fund_size" else {field: value}
    )
    response = _client(fm).post(reverse("funds:scheme_version_create", args=[scheme.pk]), data)
    assert response.status_code == 400
    body = response.content.decode()
    assert f'data-testid="error-{field}">{message}' in body.replace("&#x27;", "'")
    assert f'value="{value}"' in body  # the input comes back
    assert _state(scheme) == before


@pytest.mark.parametrize(
    ("terms", "field"),
    [
        ({"fund_size": Decimal("0")}, "fund_size"),
        ({"per_firm_annual_cap": Decimal("-1")}, "per_firm_annual_cap"),
        ({"compensation_share": Decimal("1.01")}, "compensation_share"),
        ({"subsidy_rate": Decimal("-0.01")}, "subsidy_rate"),
        ({"leverage_cap": Decimal("0.99")}, "leverage_cap"),
    ],
)
def test_the_service_refuses_absurd_terms_whatever_the_caller(terms, field):
    version = SchemeVersionFactory()
    scheme, fm = version.scheme, _fund_manager(version.scheme)
    before = _state(scheme)
    with pytest.raises(ApplicationError) as refused:
        scheme_version_create(scheme=scheme, actor=fm, effective_from=timezone.localdate(), **terms)
    assert list(refused.value.extra["errors"]) == [field]
    assert _state(scheme) == before


def test_an_end_before_the_start_is_refused_by_the_service():
    version = SchemeVersionFactory()
    scheme, fm = version.scheme, _fund_manager(version.scheme)
    today = timezone.localdate()
    with pytest.raises(ApplicationError) as refused:
        scheme_version_create(
            scheme=scheme, actor=fm, effective_from=today, effective_to=today - timedelta(days=1)
        )
    assert "effective_to" in refused.value.extra["errors"]
    assert scheme.versions.count() == 1


def test_a_fund_manager_opens_only_their_schemes_terms():
    mine, theirs = SchemeVersionFactory(), SchemeVersionFactory()
    fm = _fund_manager(mine.scheme)
    client = _client(fm)
    assert (
        client.get(reverse("funds:scheme_version_create", args=[mine.scheme.pk])).status_code == 200
    )
    url = reverse("funds:scheme_version_create", args=[theirs.scheme.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, _terms()).status_code == 404
    assert theirs.scheme.versions.count() == 1
    listing = client.get(reverse("funds:scheme_list")).content.decode()
    assert listing.count('data-testid="new-terms"') == 1


def test_an_interest_subsidy_scheme_shows_only_its_terms():
    version = SchemeVersionFactory(scheme__kind=Scheme.Kind.INTEREST_SUBSIDY)
    fm = _fund_manager(version.scheme)
    url = reverse("funds:scheme_version_create", args=[version.scheme.pk])
    body = _client(fm).get(url).content.decode()
    assert 'name="subsidy_rate"' in body and 'name="leverage_cap"' not in body
    today = timezone.localdate().isoformat()
    response = _client(fm).post(
        url,
        {
            "fund_size": "5000000",
            "subsidy_rate": "2.5",
            "per_firm_annual_subsidy_cap": "300000",
            "effective_from": today,
        },
    )
    assert response.status_code == 302
    new = version.scheme.versions.get(number=2)
    assert new.subsidy_rate == Decimal("0.0250")
    assert new.leverage_cap == version.leverage_cap  # carried over, not shown
    page = _client(fm).get(version.scheme.get_absolute_url()).content.decode()
    assert "2.5 %" in page


def test_a_platform_admin_creates_a_scheme_for_a_zone_or_a_city_body():
    admin, zone = PlatformAdminFactory(), ZoneFactory()
    url = reverse("funds:scheme_create")
    response = _client(admin).post(
        url, {"name": "区科技贷款贴息", "kind": "interest_subsidy", "owner_zone": zone.pk}
    )
    assert response.status_code == 302
    scheme = Scheme.objects.get(name="区科技贷款贴息")
    assert (scheme.kind, scheme.owner_zone, scheme.versions.count()) == (
        Scheme.Kind.INTEREST_SUBSIDY,
        zone,
        0,
    )
    assert response.url == reverse("funds:scheme_managers", args=[scheme.pk])
    assert scheme.code not in _client(admin).get(scheme.get_absolute_url()).content.decode()
    # Both owners, or neither: refused beside the field, input kept, nothing made.
    count = Scheme.objects.count()
    for data in (
        {"name": "甲", "kind": "risk_pool", "owner_zone": zone.pk, "owner_body": "市科技局"},
        {"name": "乙", "kind": "risk_pool"},
    ):
        refused = _client(admin).post(url, data)
        assert refused.status_code == 400
        assert 'data-testid="error-owner_zone"' in refused.content.decode()
        assert f'value="{data["name"]}"' in refused.content.decode()
    assert Scheme.objects.count() == count


def test_a_fund_manager_creates_a_scheme_for_their_schemes_owner_and_manages_it():
    zone, other = ZoneFactory(), ZoneFactory()
    version = SchemeVersionFactory(scheme__owner_zone=zone, scheme__owner_body="")
    fm = _fund_manager(version.scheme)
    url = reverse("funds:scheme_create")
    form = _client(fm).get(url).content.decode()
    assert f'value="{zone.pk}"' in form and f'value="{other.pk}"' not in form
    count = Scheme.objects.count()
    refused = _client(fm).post(
        url, {"name": "外区资金池", "kind": "risk_pool", "owner_zone": other.pk}
    )
    assert refused.status_code == 400 and Scheme.objects.count() == count
    with pytest.raises(ApplicationError):
        scheme_create(actor=fm, name="外区资金池", kind="risk_pool", owner_body="别的机构")
    response = _client(fm).post(
        url, {"name": "二期资金池", "kind": "risk_pool", "owner_zone": zone.pk}
    )
    scheme = Scheme.objects.get(name="二期资金池")
    assert response.url == reverse("funds:scheme_version_create", args=[scheme.pk])
    assert scope_of(fm, fresh=True).manages_scheme(scheme.pk)


def test_people_without_a_scheme_cannot_create_one():
    official = ZoneOfficialFactory()
    assert _client(official).get(reverse("funds:scheme_create")).status_code == 404
    with pytest.raises(ApplicationError):
        scheme_create(actor=official, name="x", kind="risk_pool", owner_body="市科技局")
    assert not Scheme.objects.exists()
