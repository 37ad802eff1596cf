"""The language switch names each language in its own words: "English" on a Chinese page,
"简体中文" on an English one (not "英语" / "Simplified Chinese")."""

import re

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def labels(html: str) -> dict[str, str]:
    return {
        code: label.strip()
        for code, label in re.findall(r'data-testid="lang-([a-z-]+)"[^>]*>([^<]+)</button>', html)
    }


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_each_language_is_named_in_itself(client, language):
    client.post(reverse("set_language"), {"language": language})
    page = client.get(reverse("account_login")).content.decode()
    assert f'<html lang="{language}"' in page
    assert labels(page) == {"zh-hans": "简体中文", "en": "English"}


def test_the_bank_dashboards_end_date_is_not_a_status():
    """ "to" of a date range and "to" of a status change are two words in Chinese."""
    from django.utils import translation

    from ecosystem.financing.models import LeadNote
    from ecosystem.insights.views.bank_filter import DashboardFilterForm

    with translation.override("zh-hans"):
        assert str(DashboardFilterForm.base_fields["created_to"].label) == "至"
        assert str(LeadNote._meta.get_field("to_status").verbose_name) == "新状态"
    with translation.override("en"):
        assert str(DashboardFilterForm.base_fields["created_to"].label) == "to"
