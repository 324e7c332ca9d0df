"""The embedded task queue: work enqueued by a request is done by the real db_worker process."""

import pytest
from django.test import override_settings

from tests.factories import make_relic
from tests.worker import DB_TASKS, run_db_worker


@pytest.mark.django_db(transaction=True)
def test_db_worker_runs_enqueued_tasks(district):
    from django_tasks_db.models import DBTaskResult
    from modelsearch.tasks import insert_or_update_object_task

    relic = make_relic(district["wards"][0])
    with override_settings(TASKS=DB_TASKS):
        result = insert_or_update_object_task.enqueue("content", "relicpage", str(relic.pk))
        assert DBTaskResult.objects.get(id=result.id).status == "READY"
        proc = run_db_worker(timeout=120)
        assert proc.returncode == 0, proc.stderr
        assert DBTaskResult.objects.get(id=result.id).status == "SUCCESSFUL"


def test_a_worker_waits_for_the_database_instead_of_exiting(monkeypatch, caplog):
    """django_tasks_db's loop raises at the first OperationalError (PostgreSQL restarting);
    ours waits and goes on. `make bench-faults` restarts a real PostgreSQL under two workers."""
    from django.db import OperationalError
    from django_tasks_db.management.commands import db_worker as base

    from heritage_site.management.commands import db_worker

    calls = []

    def loop(self):
        calls.append(1)
        if len(calls) < 3:
            raise OperationalError("connection refused")

    monkeypatch.setattr(base.Worker, "run", loop)
    monkeypatch.setattr(db_worker, "DATABASE_RETRY_SECONDS", 0)
    worker = db_worker.ResilientWorker(
        queue_names=["*"],
        interval=0,
        batch=False,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="w",
        excluded_queue_names=[],
    )
    worker.run()
    assert len(calls) == 3
    assert "database unavailable (OperationalError)" in caplog.text
    worker.running = False  # stopping (SIGTERM): the error is not swallowed
    calls.clear()
    with pytest.raises(OperationalError):
        worker.run()
