"""The Redis cache, failing open: when Redis cannot be reached, the cache behaves as empty.

Nothing of record lives in the cache (sessions are in the database): it holds allauth's
rate-limit counters, TOTP replay marks and memoised reference data. With Redis down, a
request should still be served, so a connection error or a timeout logs a warning and
answers as a miss would: ``get`` the default, ``add`` True (allauth's rate-limit lock is
then taken and its counters start empty: limits fail open), ``set`` and ``delete`` nothing.
The socket timeouts in ``CACHES[...]["OPTIONS"]`` bound how long each call may wait.
"""

from __future__ import annotations

import logging
import time

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)

#: What a call raises when Redis is down or does not answer in time.
UNREACHABLE = (RedisConnectionError, RedisTimeoutError, ConnectionError, TimeoutError, OSError)
#: Warn at most once per this many seconds per process, not on every call of an outage.
WARN_EVERY_S = 30.0


class FailOpenRedisCache(RedisCache):
    """``RedisCache`` whose reads and writes degrade to a miss while Redis is unreachable."""

    _last_warning = 0.0

    def _unreachable(self, operation: str, exc: Exception) -> None:
        now = time.monotonic()
        if now - FailOpenRedisCache._last_warning >= WARN_EVERY_S:
            FailOpenRedisCache._last_warning = now
            logger.warning("cache %s failed, treated as a miss: %r", operation, exc)

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        try:
            return super().add(key, value, timeout, version)
        except UNREACHABLE as exc:
            self._unreachable("add", exc)
            return True

    def get(self, key, default=None, version=None):
        try:
            return super().get(key, default, version)
        except UNREACHABLE as exc:
            self._unreachable("get", exc)
            return default

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        try:
            super().set(key, value, timeout, version)
        except UNREACHABLE as exc:
            self._unreachable("set", exc)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        try:
            return super().touch(key, timeout, version)
        except UNREACHABLE as exc:
            self._unreachable("touch", exc)
            return False

    def delete(self, key, version=None):
        try:
            return super().delete(key, version)
        except UNREACHABLE as exc:
            self._unreachable("delete", exc)
            return False

    def get_many(self, keys, version=None):
        try:
            return super().get_many(keys, version)
        except UNREACHABLE as exc:
            self._unreachable("get_many", exc)
            return {}

    def has_key(self, key, version=None):
        try:
            return super().has_key(key, version)
        except UNREACHABLE as exc:
            self._unreachable("has_key", exc)
            return False

    def incr(self, key, delta=1, version=None):
        """As for a missing key, ``ValueError``: callers of ``incr`` already handle a miss."""
        try:
            return super().incr(key, delta, version)
        except UNREACHABLE as exc:
            self._unreachable("incr", exc)
            raise ValueError(f"Key '{key}' not found (cache unreachable)") from exc

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        try:
            return super().set_many(data, timeout, version)
        except UNREACHABLE as exc:
            self._unreachable("set_many", exc)
            return list(data)

    def delete_many(self, keys, version=None):
        try:
            super().delete_many(keys, version)
        except UNREACHABLE as exc:
            self._unreachable("delete_many", exc)

    def ping(self) -> None:
        """Raise unless Redis answers (for the readiness probe; never fails open)."""
        self._cache.get_client(write=True).ping()
