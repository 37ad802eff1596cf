"""The portal's PostgreSQL connections run without JIT (``DB_JIT``, portal settings):
compiling a statement whose estimate passed ``jit_above_cost`` took 25 ms of a 285 ms
count nationally."""

import os
import subprocess
import sys

import pytest
from django.db import connection

pytestmark = pytest.mark.django_db


def test_the_connection_runs_without_jit(require_postgres):
    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone()[0] == "off"


@pytest.mark.parametrize(("value", "expected"), [("", "-c jit=off"), ("on", None)])
def test_db_jit_on_leaves_the_server_setting(value, expected):
    """Read from the settings as a fresh process builds them."""
    code = (
        "import django, os; os.environ['DJANGO_SETTINGS_MODULE'] = 'portal.settings'; "
        "from django.conf import settings; "
        "print(settings.DATABASES['default'].get('OPTIONS', {}).get('options'))"
    )
    env = {
        **os.environ,
        "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/unused",
        "DB_JIT": value,
    }
    out = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    ).stdout.strip()
    assert out == str(expected)
