"""Styled 403, 404 and 500 pages in both languages; a page of another role says who the user
is signed in as and whom the page is for (in DEBUG too), while an object outside the user's
scope stays a plain 404 that confirms nothing; the 500 page needs no database; a favicon."""

from pathlib import Path

import pytest
from django.conf import settings
from django.test import RequestFactory
from django.urls import reverse
from django.utils import translation
from django.views.defaults import permission_denied, server_error

from tests.factories import (
    EnterpriseFactory,
    EnterpriseMemberFactory,
    ZoneOfficialFactory,
)

pytestmark = pytest.mark.django_db


def get(client, url, lang):
    return client.get(url, headers={"accept-language": lang})


@pytest.mark.parametrize(("lang", "title"), [("en", "Page not found"), ("zh-hans", "页面不存在")])
def test_an_unknown_address_gets_the_styled_404(client, lang, title):
    response = get(client, "/no-such-page/", lang)
    html = response.content.decode()
    assert response.status_code == 404
    assert 'data-testid="error-404"' in html and title in html
    assert 'data-testid="role-mismatch"' not in html
    assert "navbar" in html  # the base layout


@pytest.mark.parametrize("debug", [False, True])
def test_a_page_of_another_role_names_the_user_and_the_role_it_serves(client, settings, debug):
    settings.DEBUG = debug
    member = EnterpriseMemberFactory()
    client.force_login(member)
    response = get(client, reverse("zone_queue"), "en")
    html = response.content.decode()
    assert response.status_code == 404
    assert 'data-testid="role-mismatch"' in html
    assert f"You are signed in as {member.email}" in html
    assert "Enterprise" in html  # the user's role, by its label
    assert "This page is for zone officials." in html


@pytest.mark.parametrize(
    ("url", "whom"),
    [
        ("financing_lead_inbox", "bank staff"),
        ("financing_campaigns", "bank managers"),
        ("platform_dashboard", "platform administrators"),
        ("registry_imports", "registry officers"),
        ("chains:ecosystem", "zone officials and platform administrators"),
    ],
)
def test_each_role_gate_says_whom_it_serves(client, url, whom):
    client.force_login(EnterpriseMemberFactory())
    html = get(client, reverse(url), "en").content.decode()
    assert f"This page is for {whom}." in html


def test_the_role_page_speaks_chinese_too(client):
    client.force_login(ZoneOfficialFactory())
    response = get(client, reverse("financing_lead_inbox"), "zh-hans")
    html = response.content.decode()
    assert response.status_code == 404
    assert "此页面面向银行工作人员" in html


def test_an_object_outside_the_users_scope_is_a_plain_404(client, settings):
    settings.DEBUG = False
    client.force_login(EnterpriseMemberFactory())
    other = EnterpriseFactory()
    response = get(client, reverse("enterprise_detail", args=[other.pk]), "en")
    html = response.content.decode()
    assert response.status_code == 404
    assert 'data-testid="error-404"' in html
    assert 'data-testid="role-mismatch"' not in html
    assert other.name not in html


@pytest.mark.parametrize(("lang", "text"), [("en", "Something went wrong"), ("zh-hans", "出错了")])
def test_the_500_page_needs_no_database_and_speaks_both_languages(
    lang, text, django_assert_num_queries
):
    request = RequestFactory().get("/")
    with translation.override(lang), django_assert_num_queries(0):
        response = server_error(request)
    html = response.content.decode()
    assert response.status_code == 500
    assert 'data-testid="error-500"' in html and text in html
    assert "bootstrap.min.css" in html


def test_the_403_page_is_styled(rf):
    from django.contrib.auth.models import AnonymousUser
    from django.core.exceptions import PermissionDenied

    request = rf.get("/")
    request.user = AnonymousUser()
    with translation.override("en"):
        response = permission_denied(request, PermissionDenied())
    assert response.status_code == 403
    assert 'data-testid="error-403"' in response.content.decode()


def test_every_page_links_the_vendored_favicon(client):
    html = client.get(reverse("home")).content.decode()
    assert 'rel="icon" href="/static/img/favicon.svg"' in html
    assert (
        (Path(settings.BASE_DIR) / "static" / "img" / "favicon.svg").read_text().startswith("<svg")
    )
