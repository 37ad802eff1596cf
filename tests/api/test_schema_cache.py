"""``/api/schema/`` is built once per process, language, version and format
(``core.api.schema``): the cached document is the one drf-spectacular builds, it changes
with the language and with the code's settings, anyone may still read it, and it is the
same whoever asks (issue #19: 0.5 s a request nationally)."""

from __future__ import annotations

import pytest
from django.test import Client, override_settings
from django.urls import reverse
from drf_spectacular.generators import SchemaGenerator

from ecosystem.core.api import schema as schema_cache
from tests.factories import BankManagerFactory, PlatformAdminFactory
from tests.worlds.leads import client_for

pytestmark = pytest.mark.django_db
URL = "/api/schema/"


@pytest.fixture(autouse=True)
def empty_cache():
    schema_cache.forget_schemas()
    yield
    schema_cache.forget_schemas()


@pytest.fixture
def builds(monkeypatch):
    """How many times drf-spectacular built the document."""
    calls = []
    original = SchemaGenerator.get_schema

    def counted(self, *args, **kwargs):
        calls.append(1)
        return original(self, *args, **kwargs)

    monkeypatch.setattr(SchemaGenerator, "get_schema", counted)
    return calls


def _get(client, url=URL, **headers):
    response = client.get(url, headers=headers)
    assert response.status_code == 200, response.status_code
    return response


def test_the_document_is_built_once_and_served_as_built(builds):
    first = _get(Client(), accept_language="en")
    again = _get(Client(), accept_language="en")
    assert len(builds) == 1
    assert again.content == first.content
    assert again["Content-Type"] == first["Content-Type"]
    assert again["Content-Disposition"] == first["Content-Disposition"]
    assert b"openapi:" in first.content and b"/api/v1/enterprises/" in first.content


def test_each_format_is_its_own_document(builds):
    yaml = _get(Client(), accept_language="en").content
    as_json = _get(Client(), f"{URL}?format=json", accept_language="en")
    assert as_json["Content-Type"].startswith("application/vnd.oai.openapi+json")
    assert as_json.json()["openapi"].startswith("3.")
    assert yaml != as_json.content
    assert _get(Client(), f"{URL}?format=json", accept_language="en").content == as_json.content
    assert len(builds) == 2


def test_the_language_changes_the_document(builds):
    english = _get(Client(), accept_language="en").content
    chinese = _get(Client(), accept_language="zh-hans").content
    by_parameter = _get(Client(), f"{URL}?lang=zh-hans", accept_language="en").content
    assert english != chinese
    assert by_parameter == chinese
    assert len(builds) == 2  # ``?lang=zh-hans`` is the same document as the header's
    schema_cache.forget_schemas()
    assert _get(Client(), accept_language="zh-hans").content == chinese  # built afresh: same


def test_new_code_changes_the_document():
    """A deploy starts new processes (an empty cache); within one, a changed URL
    configuration (``override_settings``) empties it too."""
    before = _get(Client(), accept_language="en").content
    with override_settings(ROOT_URLCONF="tests.api.schema_cache_urls"):
        during = _get(Client(), accept_language="en").content
    after = _get(Client(), accept_language="en").content
    assert b"/api/v1/schema-cache-added/" in during
    assert b"/api/v1/schema-cache-added/" not in before
    assert after == before


def test_anyone_reads_the_same_document_as_each_user_would_have_built(builds):
    """The document does not depend on who asks: built for a platform admin, a bank
    manager or nobody, it is the same bytes, so serving one to all gives nothing away."""
    built = {}
    for name, client in (
        ("admin", client_for(PlatformAdminFactory())),
        ("manager", client_for(BankManagerFactory())),
        ("anonymous", Client()),
    ):
        schema_cache.forget_schemas()
        built[name] = _get(client, accept_language="en").content
    assert built["admin"] == built["manager"] == built["anonymous"]
    anonymous = Client()
    assert _get(anonymous, reverse("api-schema"), accept_language="en").content == built["admin"]


def test_unknown_parameters_are_served_but_never_kept(builds):
    for url in (f"{URL}?lang=xx-evil", f"{URL}?version=9.9", f"{URL}?lang=yy"):
        _get(Client(), url, accept_language="en")
    _get(Client(), accept="application/vnd.oai.openapi+json; indent=4")
    assert schema_cache._documents == {}
    assert len(builds) == 4
