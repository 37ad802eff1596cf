"""Helpers the settings module uses: environment parsing and the private storage's
configuration from ``STORAGE_URL`` (kept apart so the settings stay a list of settings)."""

import os


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def private_storage_from_url(url: str) -> dict:
    """``STORAGES["private"]`` for ``STORAGE_URL`` (ecosystem.core.storage).

    Empty: the local folder ``PRIVATE_MEDIA_ROOT``. ``s3://bucket[/prefix][?endpoint_url=…&
    region_name=…&addressing_style=path]``: an S3-compatible store shared by every web host and
    worker; its keys come from the usual ``AWS_ACCESS_KEY_ID`` / ``AWS_SECRET_ACCESS_KEY``
    environment (never from the URL). Objects are private; nothing is served from the store.
    """
    from urllib.parse import parse_qsl, urlsplit

    if not url:
        return {"BACKEND": "ecosystem.core.storage.PrivateFileSystemStorage"}
    parts = urlsplit(url)
    if parts.scheme != "s3" or not parts.netloc:
        raise ValueError(f"STORAGE_URL must be empty or s3://bucket[/prefix]?…, not {url!r}")
    query = dict(parse_qsl(parts.query))
    options = {
        "bucket_name": parts.netloc,
        "location": parts.path.strip("/"),
        "default_acl": "private",
        "file_overwrite": False,
        "querystring_auth": True,
        "querystring_expire": 60,
    }
    for key in ("endpoint_url", "region_name", "addressing_style", "signature_version"):
        if query.get(key):
            options[key] = query[key]
    return {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": options}


def logging_config(level: str) -> dict:
    """Every handler masks emails, credit codes and phone numbers
    (ecosystem.core.log_privacy). Django's own loggers lose their default handlers and reach
    the masked console through root."""
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"personal_data": {"()": "ecosystem.core.log_privacy.PersonalDataFilter"}},
        "handlers": {
            "console": {"class": "logging.StreamHandler", "filters": ["personal_data"]},
        },
        "root": {"handlers": ["console"], "level": level},
        "loggers": {
            "django": {"handlers": [], "level": "INFO", "propagate": True},
            "django.server": {"handlers": [], "level": "INFO", "propagate": True},
            "django.db.backends": {"level": "INFO"},
        },
    }
