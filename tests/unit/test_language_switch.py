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
