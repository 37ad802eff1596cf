"""Production settings: DEBUG off, secrets required, secure cookies and HSTS."""

import os

from django.core.exceptions import ImproperlyConfigured

from portal.settings import *  # noqa: F403
from portal.settings import STORAGES, env_bool, env_list

DEBUG = False


def _required(name: str) -> str:
    value = os.environ.get(name, "")
    if not value:
        raise ImproperlyConfigured(f"{name} must be set in production")
    return value


SECRET_KEY = _required("SECRET_KEY")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS")
if not ALLOWED_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS must be set in production")

LOOPBACK_HOSTS = {"127.0.0.1", "localhost", "::1", "[::1]"}
#: ``PLAIN_HTTP_LOOPBACK=1`` serves production settings over plain http, for a smoke run or a
#: bench on this machine only: it is refused unless every allowed host is a loopback address.
PLAIN_HTTP_LOOPBACK = env_bool("PLAIN_HTTP_LOOPBACK", False)
if PLAIN_HTTP_LOOPBACK and not set(ALLOWED_HOSTS) <= LOOPBACK_HOSTS:
    raise ImproperlyConfigured("PLAIN_HTTP_LOOPBACK needs ALLOWED_HOSTS to be loopback only")

SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True) and not PLAIN_HTTP_LOOPBACK
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_SECURE = not PLAIN_HTTP_LOOPBACK
CSRF_COOKIE_SECURE = not PLAIN_HTTP_LOOPBACK
SESSION_COOKIE_HTTPONLY = True
SECURE_HSTS_SECONDS = (
    0 if PLAIN_HTTP_LOOPBACK else int(os.environ.get("SECURE_HSTS_SECONDS", str(365 * 24 * 3600)))
)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
if os.environ.get("EMAIL_FILE_PATH"):  # with the file-based backend (smoke runs)
    EMAIL_FILE_PATH = os.environ["EMAIL_FILE_PATH"]
