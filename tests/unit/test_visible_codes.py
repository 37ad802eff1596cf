"""No internal code on screen: program and product codes, status and transition values,
error codes and audit verbs never appear as visible text on the pages each role opens
(every page of the permission matrix a role gets, in Chinese and in English).

Visible text is the page without its tags, scripts and styles (``data-*`` attributes
keep their codes: tests and scripts read them). In Chinese any code at all is a leak; in
English a one-word status such as "accepted" is also plain English, so there only codes
that are no word (``offer_made``, ``lead.accepted``, ``little-giant``, program codes)
count.
"""

from __future__ import annotations

import re

import pytest
from django.apps import apps
from django.test import Client

from ecosystem.core.models import AuditEvent
from ecosystem.registries.models import Program
from tests.worlds.permission_matrix import MATRIX, ROLES
from tests.worlds.permission_matrix.world import World

pytestmark = pytest.mark.django_db

TAGS = re.compile(r"<script\b.*?</script>|<style\b.*?</style>|<!--.*?-->|<[^>]+>", re.S)
WORD = re.compile(r"[A-Za-z][A-Za-z0-9_.\-]*[A-Za-z0-9]")
#: Codes that are also what a person writes (units, abbreviations people use).
NOT_CODES = {"pdf", "png", "jpg", "csv", "xlsx", "api", "uscc", "email", "http", "https"}


def visible_words(html: str) -> set[str]:
    text = TAGS.sub(" ", html)
    return set(WORD.findall(text))


def choice_codes() -> set[str]:
    codes = set()
    for model in apps.get_models():
        for field in model._meta.get_fields():
            for value, _label in getattr(field, "flatchoices", None) or ():
                if isinstance(value, str) and len(value) > 2 and value.isascii():
                    codes.add(value)
    return codes


def codes_in_world() -> tuple[set[str], set[str]]:
    """(codes that are leaks in either language, codes that are leaks in Chinese only)."""
    always = set(AuditEvent.objects.values_list("verb", flat=True))
    always |= set(Program.objects.values_list("code", flat=True))
    product = apps.get_model("financing", "Product")
    always |= set(product.objects.values_list("code", flat=True))
    chinese_only = set()
    for code in choice_codes():
        if re.search(r"[_.\-]", code):
            always.add(code)
        else:
            chinese_only.add(code)
    always = {code for code in always if len(code) > 2} - NOT_CODES
    return always, (chinese_only - NOT_CODES)


def html_pages(world) -> list[tuple[str, str]]:
    pages = []
    for name, entry in MATRIX.items():
        if entry.unsafe or name.startswith(("api", "admin")) or "export" in name:
            continue
        pages.append((name, world.url(name, entry)))
    return pages


@pytest.fixture(scope="module")
def world(module_db):
    """Built once for the module; each test reads it in a savepoint rolled back after it."""
    return World(module_db.capture)


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_no_internal_code_is_visible_on_any_page_of_any_role(language, world):
    # Every product asks for the world's programs and zone, so each explanation names them.
    version = apps.get_model("financing", "ProductVersion")
    version.objects.update(
        programs_any=list(Program.objects.values_list("code", flat=True)),
        zone_codes=[world.enterprise.zone.code],
    )
    always, chinese_only = codes_in_world()
    forbidden = always | (chinese_only if language == "zh-hans" else set())
    leaks = []
    for role in ROLES:
        user = world.users[role]
        client = Client(headers={"accept-language": language})
        if user is not None:
            client.force_login(user)
        for name, url in html_pages(world):
            if MATRIX[name].expected(role) != 200:
                continue
            query = world.queries.get(MATRIX[name].query, {})
            response = client.get(url, query)
            if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
                continue
            found = visible_words(response.content.decode()) & forbidden
            if found:
                leaks.append(f"{role} {url}: {sorted(found)}")
    assert leaks == [], "\n".join(leaks)


def test_the_check_sees_a_code_shown_as_text():
    html = '<p data-status="offer_made">已提供</p><td>lead.accepted</td><span>hte</span>'
    assert visible_words(html) >= {"lead.accepted", "hte"}
    assert "offer_made" not in visible_words(html)
