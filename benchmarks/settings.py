"""Settings for the database benchmark: a throwaway SQLite file and media under bench-out/."""

import os
from pathlib import Path

from heritage_site.settings.base import *  # noqa: F403

SECRET_KEY = "benchmark-only-key"
DEBUG = False
_OUT = Path(os.environ.get("BENCH_DIR", "bench-out/inventory")).resolve()
DATABASES["default"]["NAME"] = os.environ.get("BENCH_DB", str(_OUT / "bench.sqlite3"))  # noqa: F405
DATABASES["default"]["CONN_MAX_AGE"] = 0  # noqa: F405
MEDIA_ROOT = _OUT / "media"
# The production default: indexing queued for the worker (the benchmark runs the queue after).
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
