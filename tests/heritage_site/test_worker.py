"""The embedded task queue: work enqueued by a request is done by the real db_worker process."""

import time

import pytest
from django.test import override_settings

from tests.factories import make_relic
from tests.worker import DB_TASKS, run_db_worker, start_db_worker


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


@pytest.mark.django_db(transaction=True)
def test_two_workers_sharing_the_queue_never_run_the_same_job(tmp_path):
    """Two real db_worker processes on the suite's database (PostgreSQL: the claim is
    SELECT … FOR UPDATE SKIP LOCKED; SQLite: one writer at a time) share 40 jobs: each job runs
    exactly once, and both workers take part."""
    from django_tasks_db.models import DBTaskResult

    from benchmarks.queue_probe import record_run, runs

    log = str(tmp_path / "runs.log")
    jobs = 40
    with override_settings(TASKS=DB_TASKS):
        ids = [record_run.enqueue(n, log, workers=2).id for n in range(jobs)]
        workers = [start_db_worker(), start_db_worker()]
        try:
            deadline = time.monotonic() + 120
            results = DBTaskResult.objects.filter(id__in=ids)
            while results.exclude(status="SUCCESSFUL").exists() and time.monotonic() < deadline:
                time.sleep(0.2)
        finally:
            for proc in workers:
                proc.terminate()
            for proc in workers:
                proc.wait(timeout=30)
    done = runs(log)
    assert sorted(n for n, _pid in done) == list(range(jobs))  # each once, none lost
    assert {pid for _n, pid in done} == {proc.pid for proc in workers}
    assert all(len(r.worker_ids) == 1 for r in results)  # claimed by one worker each
    assert set(results.values_list("status", flat=True)) == {"SUCCESSFUL"}


@pytest.mark.django_db(transaction=True)
def test_a_worker_claims_a_job_inside_a_lock_the_other_workers_skip():
    """How the claim above stays single: PostgreSQL locks the row and the other workers pass
    over it (FOR UPDATE SKIP LOCKED); SQLite takes the one write lock first (BEGIN EXCLUSIVE)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django_tasks_db.models import DBTaskResult
    from django_tasks_db.utils import exclusive_transaction

    from benchmarks.queue_probe import record_run

    with override_settings(TASKS=DB_TASKS):
        queued = record_run.enqueue(0, "/dev/null")
    with CaptureQueriesContext(connection) as ctx, exclusive_transaction():
        claimed = DBTaskResult.objects.ready().get_locked()
    assert str(claimed.id) == queued.id
    sql = " ".join(q["sql"] for q in ctx.captured_queries).upper()
    if connection.vendor == "postgresql":
        assert "FOR UPDATE SKIP LOCKED" in sql
    else:
        assert connection.vendor == "sqlite" and "BEGIN EXCLUSIVE" in sql
