"""Settings for the test suite: fast hashing, temporary media, tasks run in-process."""

import os
import tempfile

from .base import *  # noqa: F403

DEBUG = False
SECRET_KEY = "test-only-key"
ALLOWED_HOSTS = ["*"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# A worker process started by a test is handed the test's media folder in TEST_MEDIA_ROOT.
MEDIA_ROOT = Path(  # noqa: F405
    os.environ.get("TEST_MEDIA_ROOT") or tempfile.mkdtemp(prefix="heritage-test-media-")
)
# Tasks run in-process; tests of the real worker switch to the database queue themselves, and
# start the worker with TEST_TASKS_BACKEND=database so that it reads the same queue.
if os.environ.get("TEST_TASKS_BACKEND") != "database":
    TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
# A worker started by a test may be slowed down (TEST_PROGRESS_PAUSE_SECONDS) and given a short
# lease (JOB_LEASE_SECONDS, read by base.py) so a test can kill it mid-job and recover.
TEST_PROGRESS_PAUSE_SECONDS = float(os.environ.get("TEST_PROGRESS_PAUSE_SECONDS") or 0)
# Django's test client logs in without a request, which django-axes refuses: the login
# throttling tests switch it on themselves.
AXES_ENABLED = False
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
WAGTAILADMIN_BASE_URL = "http://testserver"
PLAQUE_BASE_URL = "https://disan.example.gov.vn"

if DATABASES["default"]["ENGINE"].endswith("sqlite3"):  # noqa: F405
    # A file, not memory, so that a worker process in a test can open the same database.
    DATABASES["default"]["TEST"] = {  # noqa: F405
        "NAME": str(Path(tempfile.gettempdir()) / f"heritage-test-{os.getpid()}.sqlite3")  # noqa: F405
    }
SERVE_MEDIA = True
IIIF_BASE_URL = "http://testserver"
# Every request reads the page cache's generation, so a change shows on the next request.
PAGE_CACHE_GENERATION_CHECK_SECONDS = 0
# The page cache is off in the suite; tests/heritage_site/test_page_cache.py turns it on.
PAGE_CACHE_SECONDS = 0
FRAGMENT_CACHE_SECONDS = 0  # tests of heritage_site/fragments.py turn it on
# Building the feeds again after every publish would slow the tests;
# tests/maps/test_feed_warming.py switches it on.
MAP_WARM_FEEDS = False
