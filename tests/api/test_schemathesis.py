"""Schemathesis against ``/api/schema/``: generated requests to every API operation, sent
with token authentication as the role that works there (enterprise member, zone official,
registry officer or bank manager), get no server error and no response outside the schema.

The examples per operation are few (the suite must stay quick), so this is a smoke net over
all operations rather than deep fuzzing of one; the permission matrix covers every role.
"""

import re

import pytest
import schemathesis
from django.conf import settings as django_settings
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from django.test import Client
from hypothesis import HealthCheck, Phase, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from tests.factories import (
    BankManagerFactory,
    BranchFactory,
    EnterpriseFactory,
    EnterpriseMemberFactory,
    ProgramFactory,
    RegistryOfficerFactory,
    ZoneFactory,
    ZoneOfficialFactory,
)

CHECKS = [not_a_server_error, response_schema_conformance]
#: Who works where: the first pattern matching an operation's path picks the role.
ROLE_BY_PATH = [
    (r"^/api/v1/zones/|^/api/v1/chains/", "official"),
    (r"^/api/v1/(list-imports|registry-entries|programs)", "registry"),
    (r"^/api/v1/financing/(offers|pre-approvals|matches)", "member"),
    (r"^/api/v1/financing/", "manager"),
    (r"", "member"),
]


def role_for(path: str) -> str:
    return next(role for pattern, role in ROLE_BY_PATH if re.search(pattern, path))


MAX_EXAMPLES = 2


@pytest.fixture
def same_connection():
    """Keep the test's database connection across requests, as Django's test client does:
    the WSGI handler would close it after each request and lose the test's transaction."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def signed_in(db, same_connection) -> dict[str, dict[str, str]]:
    """Signed-in headers per role, all around one zone, bank and program."""
    zone = ZoneFactory()
    enterprise = EnterpriseFactory(zone=zone)
    branch = BranchFactory(zones=[zone])
    users = {
        "member": EnterpriseMemberFactory(enterprise=enterprise),
        "official": ZoneOfficialFactory(zone=zone),
        "registry": RegistryOfficerFactory(program=ProgramFactory()),
        "manager": BankManagerFactory(bank=branch.bank),
    }
    return {role: signed_in_headers(user) for role, user in users.items()}


#: A CSRF secret for the signed-in requests (any 32 letters or digits will do).
CSRF_SECRET = "k" * 32


def signed_in_headers(user) -> dict[str, str]:
    """A session cookie and a CSRF token for ``user``: every role reaches the whole API as
    its own (staff API tokens are read-only or a lead feed, and officials get none)."""
    client = Client()
    client.force_login(user)
    session = client.cookies[django_settings.SESSION_COOKIE_NAME].value
    return {
        "Cookie": f"{django_settings.SESSION_COOKIE_NAME}={session}; "
        f"{django_settings.CSRF_COOKIE_NAME}={CSRF_SECRET}",
        "X-CSRFToken": CSRF_SECRET,
    }


# Loaded at collection: the schema view needs no database. (The lazy ``from_fixture`` loader
# does not run under this pytest version.)
schema = schemathesis.openapi.from_wsgi("/api/schema/?format=json", get_wsgi_application())


@schema.parametrize()
@settings(
    max_examples=MAX_EXAMPLES,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    derandomize=True,
    phases=[Phase.explicit, Phase.generate],  # report the first failing example, unshrunk
)
def test_api_answers_within_its_schema_and_without_server_errors(case, signed_in):
    case.call_and_validate(headers=signed_in[role_for(case.operation.path)], checks=CHECKS)
