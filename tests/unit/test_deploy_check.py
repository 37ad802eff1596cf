"""``manage.py check --deploy`` is clean under the production settings.

The check runs in a subprocess: production settings are read at import time, so they cannot
be switched on inside this test process.
"""

import os
import secrets
import subprocess
import sys

from django.conf import settings


def check_deploy(**env: str) -> subprocess.CompletedProcess:
    # The test run's DJANGO_ALLOW_ASYNC_UNSAFE (for Playwright) has no place in a deployment.
    inherited = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    environment = {
        **inherited,
        "DJANGO_SETTINGS_MODULE": "portal.settings.production",
        "ALLOWED_HOSTS": "portal.example.cn",
        "SECRET_KEY": secrets.token_urlsafe(64),
        **env,
    }
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=settings.BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_is_clean_under_production_settings():
    result = check_deploy()
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


def test_check_deploy_fails_on_a_weak_secret():
    """The same run does see problems: a short secret key is reported (security.W009)."""
    result = check_deploy(SECRET_KEY="short")
    assert result.returncode != 0
    assert "security.W009" in result.stdout + result.stderr


def test_production_settings_refuse_to_start_without_a_secret():
    result = check_deploy(SECRET_KEY="")
    assert result.returncode != 0
    assert "SECRET_KEY must be set in production" in result.stderr
