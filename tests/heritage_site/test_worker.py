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
