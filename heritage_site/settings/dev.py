"""Local development: debug on, embedded SQLite, a fixed non-secret key."""

import os

from .base import *  # noqa: F403

DEBUG = True
SECRET_KEY = "django-insecure-dev-only-key-do-not-use-in-production"
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "[::1]"]
EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
SERVE_MEDIA = True
# A template edited locally shows at once; set PAGE_CACHE_SECONDS to try the page cache.
PAGE_CACHE_SECONDS = int(os.environ.get("PAGE_CACHE_SECONDS", "0"))
FRAGMENT_CACHE_SECONDS = int(os.environ.get("FRAGMENT_CACHE_SECONDS", "0"))
# The demo prints plaques for this machine, which no visitor's phone can reach: allowed here
# only, and the admin shows a warning with the address before anything is printed.
PLAQUE_BASE_URL = PLAQUE_BASE_URL or WAGTAILADMIN_BASE_URL  # noqa: F405
PLAQUE_ALLOW_UNSAFE_HOST = os.environ.get("PLAQUE_ALLOW_UNSAFE_HOST", "true").lower() == "true"
