"""The embedded task queue: work enqueued by a request is done by the real db_worker process."""

import subprocess
import sys

import pytest
from django.conf import settings
from django.test import override_settings

DB_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.mark.django_db(transaction=True)
def test_db_worker_runs_enqueued_tasks(district):
    from django_tasks_db.models import DBTaskResult
    from modelsearch.tasks import insert_or_update_object_task

    from tests.factories import make_relic

    relic = make_relic(district["wards"][0])
    with override_settings(TASKS=DB_TASKS):
        result = insert_or_update_object_task.enqueue("content", "relicpage", str(relic.pk))
        assert DBTaskResult.objects.get(id=result.id).status == "READY"
        env_db = settings.DATABASES["default"]
        proc = subprocess.run(
            [
                sys.executable,
                "manage.py",
                "db_worker",
                "--batch",
                "--no-startup-delay",
                "--no-reload",
                "--settings",
                "heritage_site.settings.test",
            ],
            cwd=settings.BASE_DIR,
            env=_env_for(env_db),
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert proc.returncode == 0, proc.stderr
        assert DBTaskResult.objects.get(id=result.id).status == "SUCCESSFUL"


def _env_for(db: dict) -> dict:
    """Point the worker at the test database the suite is using."""
    import os

    env = dict(os.environ, TEST_TASKS_BACKEND="database")
    if db["ENGINE"].endswith("sqlite3"):
        env["DATABASE_URL"] = f"sqlite:///{db['NAME']}"
    else:
        env["DATABASE_URL"] = (
            f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST'] or '127.0.0.1'}:"
            f"{db['PORT'] or 5432}/{db['NAME']}"
        )
    return env
