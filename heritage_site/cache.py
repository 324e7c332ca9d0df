"""Redis as Django's cache, without making Redis a single point of failure.

When Redis is down or slow, every cache call behaves as a miss (reads answer the default,
writes are dropped) and a warning is logged at most once a minute per process: visitor pages
are still served, only uncached. `/readyz` notices, because what it writes is not read back.
The connection and each command give up after `REDIS_TIMEOUT_SECONDS` (settings).
"""

from __future__ import annotations

import logging
import time

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import RedisError

logger = logging.getLogger("heritage_site.cache")
WARN_EVERY_SECONDS = 60.0
_last_warning = {"at": -WARN_EVERY_SECONDS}


def _down(operation: str, error: Exception) -> None:
    now = time.monotonic()
    if now - _last_warning["at"] >= WARN_EVERY_SECONDS:
        _last_warning["at"] = now
        logger.warning(
            "cache unavailable, serving uncached (%s: %s)", operation, type(error).__name__
        )


class TolerantRedisCache(RedisCache):
    """Django's RedisCache whose failures are misses, not errors."""

    def get(self, key, default=None, version=None):
        try:
            return super().get(key, default, version)
        except RedisError as error:
            _down("get", error)
            return default

    def get_many(self, keys, version=None):
        try:
            return super().get_many(keys, version)
        except RedisError as error:
            _down("get_many", error)
            return {}

    def has_key(self, key, version=None):
        try:
            return super().has_key(key, version)
        except RedisError as error:
            _down("has_key", error)
            return False

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        try:
            super().set(key, value, timeout, version)
        except RedisError as error:
            _down("set", error)

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        try:
            return super().set_many(data, timeout, version)
        except RedisError as error:
            _down("set_many", error)
            return list(data)

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        try:
            return super().add(key, value, timeout, version)
        except RedisError as error:
            _down("add", error)
            return False

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        try:
            return super().touch(key, timeout, version)
        except RedisError as error:
            _down("touch", error)
            return False

    def incr(self, key, delta=1, version=None):
        try:
            return super().incr(key, delta, version)
        except RedisError as error:
            _down("incr", error)
            raise ValueError(f"cache unavailable for {key!r}") from error

    def delete(self, key, version=None):
        try:
            return super().delete(key, version)
        except RedisError as error:
            _down("delete", error)
            return False

    def delete_many(self, keys, version=None):
        try:
            super().delete_many(keys, version)
        except RedisError as error:
            _down("delete_many", error)

    def clear(self):
        try:
            return super().clear()
        except RedisError as error:
            _down("clear", error)
            return False
