"""Layouts that hold on a phone and on a wide screen: a dashboard table of more than five
columns takes the page's whole width (the platform dashboard's zones table was squeezed into
half of it), its cells do not wrap; every table scrolls in its own box; the account pages
link to each other."""

import re

import pytest
from django.urls import reverse

from tests.factories import EnterpriseMemberFactory, PlatformAdminFactory

pytestmark = pytest.mark.django_db


def section_class(html: str, name: str) -> str:
    found = re.search(rf'<section class="([^"]*)" data-testid="table-{name}">', html)
    assert found, name
    return found.group(1)


def test_a_wide_dashboard_table_takes_the_whole_width(client):
    client.force_login(PlatformAdminFactory())
    html = client.get(reverse("platform_dashboard")).content.decode()
    sections = dict(re.findall(r'<section class="([^"]*)" data-testid="table-([\w-]+)">', html))
    assert section_class(html, "zones") == "col-12"
    # Narrow tables still sit two by two.
    assert "col-lg-6" in sections
    assert 'class="text-end text-nowrap"' in html


def test_the_account_pages_link_to_each_other(client):
    client.force_login(EnterpriseMemberFactory())
    html = client.get(reverse("account_email")).content.decode()
    for name in ("account_email", "account_change_password", "mfa_index"):
        assert f'href="{reverse(name)}"' in html, name


def test_the_footer_links_the_credit_code_lookup_for_signed_in_users(client):
    assert b"footer-lookup" not in client.get(reverse("home")).content
    client.force_login(EnterpriseMemberFactory())
    html = client.get(reverse("home")).content.decode()
    assert f'href="{reverse("registry_entry_lookup")}" data-testid="footer-lookup"' in html
