"""The real db_worker process, run once over the queue of the suite's test database."""

import os
import subprocess
import sys

from django.conf import settings

# Tests that enqueue for the real worker switch to the database queue with override_settings.
DB_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


WORKER_ARGS = ["manage.py", "db_worker", "--no-startup-delay", "--no-reload"]
WORKER_ARGS += ["--settings", "heritage_site.settings.test"]


def worker_env(**extra: str) -> dict:
    """Point the worker at the test database and media folder the suite is using."""
    db = settings.DATABASES["default"]
    env = dict(os.environ, TEST_TASKS_BACKEND="database", TEST_MEDIA_ROOT=str(settings.MEDIA_ROOT))
    env.update(extra)
    if db["ENGINE"].endswith("sqlite3"):
        env["DATABASE_URL"] = f"sqlite:///{db['NAME']}"
    else:
        env["DATABASE_URL"] = (
            f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST'] or '127.0.0.1'}:"
            f"{db['PORT'] or 5432}/{db['NAME']}"
        )
    return env


def run_db_worker(timeout: int = 180, **env: str) -> subprocess.CompletedProcess:
    """`manage.py db_worker --batch`: runs what is queued, then exits."""
    return subprocess.run(
        [sys.executable, *WORKER_ARGS, "--batch"],
        cwd=settings.BASE_DIR,
        env=worker_env(**env),
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def start_db_worker(**env: str) -> subprocess.Popen:
    """A long-running `manage.py db_worker`, polling the queue every 0.2 s; the caller ends it."""
    return subprocess.Popen(
        [sys.executable, *WORKER_ARGS, "--interval", "0.2"],
        cwd=settings.BASE_DIR,
        env=worker_env(**env),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
