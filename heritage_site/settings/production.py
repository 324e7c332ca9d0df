"""Production: fails fast when a secret, a host list or a database is missing."""

import os

from django.core.exceptions import ImproperlyConfigured

from heritage_site.logs import json_logging

from .base import *  # noqa: F403


def required(name: str) -> str:
    value = os.environ.get(name, "").strip()
    if not value:
        raise ImproperlyConfigured(f"Set the {name} environment variable (see .env.example).")
    return value


DEBUG = False
SECRET_KEY = required("SECRET_KEY")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS")  # noqa: F405
if not ALLOWED_HOSTS:
    raise ImproperlyConfigured("Set ALLOWED_HOSTS (comma-separated host names, see .env.example).")
required("DATABASE_URL")
# Staff e-mails link to the admin and plaques print the public host: never the dev default.
if not (PUBLIC_BASE_URL or os.environ.get("WAGTAILADMIN_BASE_URL", "").strip()):  # noqa: F405
    raise ImproperlyConfigured(
        "Set PUBLIC_BASE_URL (https://your-public-host, see .env.example): staff e-mails and QR "
        "plaques carry it."
    )
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")  # noqa: F405

STORAGES["staticfiles"] = {  # noqa: F405
    "BACKEND": "heritage_site.static_storage.StaticFilesStorage"
}

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = os.environ.get("SECURE_SSL_REDIRECT", "true").lower() == "true"
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", str(60 * 60 * 24 * 365)))
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True

if os.environ.get("REDIS_URL"):
    # Redis down or slow = cache misses, not errors (heritage_site/cache.py): pages are still
    # served, uncached, and /readyz says the cache is failing.
    _redis_timeout = float(os.environ.get("REDIS_TIMEOUT_SECONDS", "0.5"))
    CACHES = {
        "default": {
            "BACKEND": "heritage_site.cache.TolerantRedisCache",
            "LOCATION": os.environ["REDIS_URL"],
            "OPTIONS": {
                "socket_connect_timeout": _redis_timeout,
                "socket_timeout": _redis_timeout,
            },
        }
    }

# JSON lines on standard error, one per request among them (heritage_site/logs.py): request
# id, method, path, status, duration; never an IP address.
LOGGING = json_logging(os.environ.get("LOG_LEVEL", "INFO"))
MIDDLEWARE = ["heritage_site.logs.RequestLogMiddleware", *MIDDLEWARE]  # noqa: F405
