"""The API tokens page: a staff member names, scopes and dates a token after a fresh TOTP
code (allauth's second-factor reauthentication), sees its key once, and revokes it the
same way; platform admins, zone officials and enterprise users get no token, with the
reason."""

from __future__ import annotations

import hashlib
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import override

from ecosystem.accounts import services
from ecosystem.accounts.models import Membership, StaffToken
from ecosystem.core.errors import ApplicationError
from ecosystem.core.models import AuditEvent
from tests.factories import (
    BankManagerFactory,
    BankStaffFactory,
    EnterpriseMemberFactory,
    PlatformAdminFactory,
    RegistryOfficerFactory,
    ZoneOfficialFactory,
)
from tests.worlds.tokens import second_factor_entered, staff_client, totp_code

pytestmark = pytest.mark.django_db
CREATE = reverse("api_token_create")
PAGE = reverse("api_tokens")


def form(**changes) -> dict:
    return {"name": "CRM lead import", "kind": "read_only", "bank": "", "days": "30", **changes}


def test_creating_asks_for_a_totp_code_first_and_then_shows_the_key_once():
    rm = BankStaffFactory()
    client = staff_client(rm, fresh=False)
    response = client.post(CREATE, form())
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("mfa_reauthenticate"))
    assert not StaffToken.objects.exists()
    # allauth's page takes the code and resumes the suspended request.
    answer = client.post(reverse("mfa_reauthenticate") + f"?next={CREATE}", {"code": totp_code(rm)})
    assert answer.status_code == 200
    key = answer.context["key"]
    token = StaffToken.objects.get()
    assert (token.user, token.name, token.kind) == (rm, "CRM lead import", "read_only")
    assert token.digest == hashlib.sha256(key.encode()).hexdigest() != key
    assert key in answer.content.decode() and answer["Cache-Control"] == "no-store"
    assert timedelta(days=29, hours=23) < token.expires_at - timezone.now() <= timedelta(days=30)
    page = client.get(PAGE).content.decode()
    assert token.prefix in page and key not in page
    assert AuditEvent.objects.filter(verb="api_token.created", actor=rm).count() == 1


def test_a_code_older_than_five_minutes_or_a_password_is_not_a_fresh_totp_check():
    manager = BankManagerFactory()
    stale = second_factor_entered(staff_client(manager, fresh=False), manager, seconds_ago=301)
    assert stale.post(CREATE, form()).status_code == 302
    client = staff_client(manager, fresh=False)
    session = client.session
    session["account_authentication_methods"] = [
        {"method": "password", "at": timezone.now().timestamp(), "reauthenticated": True}
    ]
    session["account_authentication_methods_user"] = str(manager.pk)
    session.save()
    assert client.post(CREATE, form()).status_code == 302
    assert not StaffToken.objects.exists()
    assert staff_client(manager).post(CREATE, form()).status_code == 200
    assert StaffToken.objects.count() == 1


@pytest.mark.parametrize(
    ("factory", "reason"),
    [
        (PlatformAdminFactory, "Platform administrator accounts get no long-lived API tokens"),
        (ZoneOfficialFactory, "Zone official accounts get no long-lived API tokens"),
        (EnterpriseMemberFactory, "API tokens are for bank staff and registry officers"),
    ],
)
def test_admins_officials_and_enterprise_users_are_refused_with_the_reason(factory, reason):
    user = factory()
    client = staff_client(user)
    page = client.get(PAGE)
    assert page.status_code == 200 and page.context["form"] is None
    assert reason in page.content.decode()
    refused = client.post(CREATE, form())
    assert refused.status_code == 403 and reason in refused.content.decode()
    assert not StaffToken.objects.exists()
    with override("en"), pytest.raises(ApplicationError) as error:
        services.token_create(user=user, name="x", kind="read_only")
    assert error.value.status == 403 and reason in str(error.value.message)


def test_an_rm_who_becomes_a_zone_official_is_refused_too():
    rm = BankStaffFactory()
    assert staff_client(rm).post(CREATE, form()).status_code == 200
    official = ZoneOfficialFactory()
    Membership.objects.filter(user=official).update(user=rm)
    assert staff_client(rm).post(CREATE, form(name="second")).status_code == 403
    assert StaffToken.objects.count() == 1


def test_an_integration_serves_a_bank_the_user_works_for_only():
    rm, outsider = BankStaffFactory(), BankManagerFactory()
    bank = rm.memberships.get().bank
    client = staff_client(rm)
    other = outsider.memberships.get().bank
    refused = client.post(CREATE, form(kind="lead_feed", bank=str(other.pk)))
    assert refused.status_code == 400 and "bank" in refused.context["form"].errors
    missing = client.post(CREATE, form(kind="lead_feed"))
    assert missing.status_code == 400 and "bank" in missing.context["form"].errors
    assert not StaffToken.objects.exists()
    assert client.post(CREATE, form(kind="lead_feed", bank=str(bank.pk))).status_code == 200
    assert StaffToken.objects.get().bank == bank
    with pytest.raises(ApplicationError):
        services.token_create(user=rm, name="x", kind="lead_feed", bank=other)


def test_a_registry_officer_gets_read_only_tokens_only():
    officer = RegistryOfficerFactory()
    client = staff_client(officer)
    choices = dict(client.get(PAGE).context["form"].fields["kind"].choices)
    assert list(choices) == ["read_only"]
    assert client.post(CREATE, form(kind="lead_feed")).status_code == 400
    assert client.post(CREATE, form()).status_code == 200


@pytest.mark.parametrize("days", ["0", "91", "-3", "many"])
def test_a_lifetime_beyond_the_maximum_is_refused_and_what_was_typed_kept(days):
    client = staff_client(BankStaffFactory())
    response = client.post(CREATE, form(days=days))
    assert response.status_code == 400 and "days" in response.context["form"].errors
    assert response.context["form"]["name"].value() == "CRM lead import"
    assert not StaffToken.objects.exists()


def test_the_maximum_lifetime_is_a_setting(settings):
    settings.STAFF_TOKEN_MAX_DAYS = 10
    rm = BankStaffFactory()
    assert staff_client(rm).post(CREATE, form(days="11")).status_code == 400
    with pytest.raises(ApplicationError):
        services.token_create(user=rm, name="x", kind="read_only", days=11)
    assert staff_client(rm).post(CREATE, form(days="10")).status_code == 200


def test_revoking_needs_a_fresh_code_and_reaches_only_one_s_own_tokens():
    rm, colleague = BankStaffFactory(), BankStaffFactory()
    token, _key = services.token_create(user=rm, name="feed", kind="read_only")
    url = reverse("api_token_revoke", args=[token.pk])
    assert staff_client(colleague).post(url).status_code == 404
    assert staff_client(rm, fresh=False).post(url).status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is None
    response = staff_client(rm).post(url)
    assert response.status_code == 302 and response["Location"] == PAGE
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert AuditEvent.objects.filter(verb="api_token.revoked", actor=rm).count() == 1


def test_the_page_lists_tokens_with_their_state_and_last_use():
    rm = BankStaffFactory()
    used, _ = services.token_create(user=rm, name="used one", kind="read_only")
    services.token_touch(token=used)
    gone, _ = services.token_create(user=rm, name="gone one", kind="read_only")
    services.token_revoke(token=gone, actor=rm)
    page = staff_client(rm).get(PAGE).content.decode()
    assert "used one" in page and "gone one" in page and "revoked" in page
    assert page.count(f'action="{reverse("api_token_revoke", args=[used.pk])}"') == 1
    assert f'action="{reverse("api_token_revoke", args=[gone.pk])}"' not in page
