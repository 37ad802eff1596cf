"""The liveness view, and production settings' plain-http switch for loopback runs."""

import os
import subprocess
import sys

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse


@pytest.mark.django_db
def test_healthz_answers_ok_without_a_query(client):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("healthz"))
    assert (response.status_code, response.content) == (200, b"ok\n")
    assert len(queries) == 0
    assert client.post(reverse("healthz")).status_code == 405


def _production(**env) -> subprocess.CompletedProcess:
    """Import production settings in a fresh interpreter and print the secure flags."""
    code = (
        "import portal.settings.production as s;"
        "print(s.SECURE_SSL_REDIRECT, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE,"
        " s.SECURE_HSTS_SECONDS > 0)"
    )
    clean = {k: v for k, v in os.environ.items() if k not in {"PLAIN_HTTP_LOOPBACK"}}
    return subprocess.run(
        [sys.executable, "-c", code],
        env={**clean, "SECRET_KEY": "x" * 50, **env},
        capture_output=True,
        text=True,
        check=False,
    )


def test_production_is_secure_by_default():
    result = _production(ALLOWED_HOSTS="127.0.0.1")
    assert result.stdout.split() == ["True", "True", "True", "True"], result.stderr


def test_plain_http_is_allowed_on_loopback_only():
    loopback = _production(ALLOWED_HOSTS="127.0.0.1,localhost", PLAIN_HTTP_LOOPBACK="1")
    assert loopback.stdout.split() == ["False", "False", "False", "False"], loopback.stderr
    public = _production(ALLOWED_HOSTS="127.0.0.1,portal.example.cn", PLAIN_HTTP_LOOPBACK="1")
    assert public.returncode != 0
    assert "PLAIN_HTTP_LOOPBACK" in public.stderr
