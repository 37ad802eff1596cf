"""Shared fixtures: services (PostgreSQL, Redis, a real Celery worker, Chromium) and roles.

Without ``REQUIRE_SERVICES=1`` a test whose service is missing skips with the reason;
with it, the test fails instead, and so does any other skip (see the report hook).
"""

import os
import shutil
import uuid

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

import pytest  # noqa: E402

REQUIRE_SERVICES = os.environ.get("REQUIRE_SERVICES", "") not in ("", "0", "false")
CHROMIUM_PATH = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


def need_service(name: str, available: bool, reason: str) -> None:
    if available:
        return
    if REQUIRE_SERVICES:
        pytest.fail(f"{name} is required (REQUIRE_SERVICES=1) but unavailable: {reason}")
    pytest.skip(f"{name} not available: {reason}")


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if REQUIRE_SERVICES and report.skipped and not hasattr(report, "wasxfail"):
        report.outcome = "failed"
        report.longrepr = (
            f"skipped under REQUIRE_SERVICES=1, which counts as a failure: {report.longrepr}"
        )


def _clear_own_cache() -> None:
    """Empty the cache of this test process: on Redis, delete the keys under its prefix."""
    from django.core.cache import caches
    from django.core.cache.backends.redis import RedisCache

    backend = caches["default"]
    if not isinstance(backend, RedisCache):
        backend.clear()
        return
    client = backend._cache.get_client(write=True)
    keys = list(client.scan_iter(match=f"{backend.key_prefix}:*", count=1000))
    if keys:
        client.delete(*keys)


#: Fast hashing in tests: password strength is not what these tests measure.
FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def _own_cache() -> dict:
    """The CACHES setting of this test process (none to change without Redis).

    Each test process gets a Redis database and a key prefix of its own, and clears only
    its own keys: a FLUSHDB would also wipe the rate-limit counters of another test run on
    the same Redis server (two checkouts' suites, or CI beside a helper)."""
    from django.conf import settings

    if not settings.REDIS_URL:
        return {}
    from portal.settings import _redis_db

    worker = os.environ.get("PYTEST_XDIST_WORKER", "gw-1").removeprefix("gw")
    default = {
        **settings.CACHES["default"],
        "LOCATION": _redis_db(settings.REDIS_URL, 3 + int(worker)),
        "KEY_PREFIX": f"test-{os.getpid()}",
    }
    return {"CACHES": {"default": default}}


@pytest.fixture(autouse=True)
def _fresh_cache_and_eager_celery(settings):
    """Each test starts with an empty cache (rate limits) and eager Celery unless a
    test asks for the real worker."""

    from celery._state import _set_task_join_will_block

    from portal.celery import app

    for name, value in _own_cache().items():
        setattr(settings, name, value)
    _clear_own_cache()
    app.conf.task_always_eager = True
    # The embedded worker's pool sets Celery's process-wide "a join would block" flag
    # when it (re)starts (``celery.worker.components``), which is meant for a worker
    # process: in the test thread it makes an eager task's ``.get()`` raise.
    _set_task_join_will_block(False)
    settings.PASSWORD_HASHERS = FAST_HASHERS
    yield
    _clear_own_cache()


_CLONED_FROM_TEMPLATE = False


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix, django_db_blocker):
    """On PostgreSQL, this process's test database is a copy of the migrated template when
    one exists for these migrations (``tests/dbtemplate.py``)."""
    global _CLONED_FROM_TEMPLATE
    from django.db import connection

    if connection.vendor == "postgresql":
        # A test database is thrown away: its commits need not wait for the disk (each
        # waited 1–2 ms; transactional, browser and worker tests commit thousands of times).
        options = connection.settings_dict.setdefault("OPTIONS", {})
        options["options"] = f"{options.get('options', '')} -c synchronous_commit=off".strip()
        from tests.dbtemplate import clone_template

        with django_db_blocker.unblock():
            _CLONED_FROM_TEMPLATE = clone_template()


@pytest.fixture(scope="session")
def django_db_keepdb(request, django_db_modify_db_settings):
    """Keep (do not recreate) a database copied from the template; ``--reuse-db`` as before."""
    return _CLONED_FROM_TEMPLATE or request.config.getvalue("reuse_db")


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """After the first migration of these migrations, keep the result as the template."""
    from django.db import connection

    if connection.vendor == "postgresql" and not _CLONED_FROM_TEMPLATE:
        from tests.dbtemplate import save_template

        with django_db_blocker.unblock():
            save_template()
    yield


@pytest.fixture(autouse=True)
def _reference_data(request, _django_db_helper):
    """Programs, industries and rejection reasons exist in every test that uses the database,
    even after a transactional (browser, worker) test flushed the tables."""
    uses_db = request.node.get_closest_marker("django_db") is not None or bool(
        {"db", "transactional_db"} & set(request.fixturenames)
    )
    if uses_db:
        from tests.worlds.reference import ensure_reference_data

        ensure_reference_data()


@pytest.fixture(autouse=True)
def _private_media(request, settings, tmp_path):
    """Uploaded evidence goes to a temporary folder, never into the working tree (the
    module's folder when the test reads a world kept for its module)."""
    if "module_db" in request.fixturenames:
        settings.PRIVATE_MEDIA_ROOT = request.getfixturevalue("module_db").media
    else:
        settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"


@pytest.fixture(scope="module")
def module_db(django_db_setup, django_db_blocker, tmp_path_factory):
    """A transaction open for a module whose tests all read one world, built once.

    A module-scoped fixture builds its world on this (``capture`` is Django's
    ``captureOnCommitCallbacks``); each test then runs in a savepoint inside it, rolled back
    after the test, so every test sees the world as built; the whole is rolled back when the
    module ends. Only for modules whose tests are not transactional."""
    from types import SimpleNamespace

    from django.db import transaction
    from django.test import TestCase, override_settings

    from portal.celery import app
    from tests.worlds.reference import ensure_reference_data

    media = tmp_path_factory.mktemp("private")
    overrides = {"PRIVATE_MEDIA_ROOT": media, "PASSWORD_HASHERS": FAST_HASHERS}
    with django_db_blocker.unblock(), override_settings(**overrides, **_own_cache()):
        app.conf.task_always_eager = True
        ensure_reference_data()
        with transaction.atomic():
            yield SimpleNamespace(media=media, capture=TestCase.captureOnCommitCallbacks)
            transaction.set_rollback(True)
        _clear_own_cache()


@pytest.fixture
def bank_manager(db):
    """A bank manager of a new bank, with the bank scope the views would give them."""
    from tests.factories import BankFactory, BankManagerFactory

    bank = BankFactory()
    user = BankManagerFactory(bank=bank)
    user.bank_scope = bank
    return user


@pytest.fixture
def require_postgres():
    from django.db import connection

    need_service(
        "PostgreSQL",
        connection.vendor == "postgresql",
        "set DATABASE_URL=postgres://… to run this test",
    )


def _redis_problem() -> str | None:
    from django.conf import settings

    url = settings.REDIS_URL
    if not url:
        return "set REDIS_URL=redis://… to run this test"
    import redis

    try:
        redis.Redis.from_url(url, socket_connect_timeout=2).ping()
    except redis.RedisError as exc:
        return f"{url} does not answer: {exc}"
    return None


@pytest.fixture
def require_redis():
    problem = _redis_problem()
    need_service("Redis", problem is None, problem or "")


@pytest.fixture(scope="session")
def _celery_worker_session():
    """One real Celery worker thread per test process, on a queue of its own (xdist-safe).

    Celery's embedded test worker cannot be started twice in one process reliably, so
    it lives for the session; ``celery_worker`` switches tests from eager to it.
    """
    problem = _redis_problem()
    if problem:
        yield problem
        return
    import celery.contrib.testing.tasks  # noqa: F401  (registers celery.ping)
    from celery.contrib.testing.worker import start_worker

    from portal.celery import app

    queue = f"test-{os.environ.get('PYTEST_XDIST_WORKER', 'main')}-{uuid.uuid4().hex[:8]}"
    app.conf.task_routes = {"*": {"queue": queue}}
    app.conf.task_default_queue = queue
    # Celery caches its router (and default queue) on first send: rebuild them, or tasks
    # sent earlier in the session keep going to the production queues nobody consumes here.
    app.amqp.flush_routes()
    for cached in ("router", "default_queue"):
        app.amqp.__dict__.pop(cached, None)
    app.conf.task_always_eager = False
    with start_worker(
        app, queues=[queue], perform_ping_check=True, ping_task_timeout=30, shutdown_timeout=30
    ):
        yield None


@pytest.fixture
def celery_worker(_celery_worker_session):
    need_service(
        "Celery worker on Redis", _celery_worker_session is None, _celery_worker_session or ""
    )
    from portal.celery import app

    app.conf.task_always_eager = False
    yield
    app.conf.task_always_eager = True


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    """pytest-playwright launches Debian's Chromium (Playwright cannot download browsers)."""
    available = os.path.exists(CHROMIUM_PATH) or shutil.which(CHROMIUM_PATH) is not None
    need_service("Chromium", available, f"{CHROMIUM_PATH} not found (apt-get install chromium)")
    return {**browser_type_launch_args, "executable_path": CHROMIUM_PATH, "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, "locale": "zh-CN", "timezone_id": "Asia/Shanghai"}
