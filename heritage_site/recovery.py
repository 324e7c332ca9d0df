"""Recovery without a person: jobs and tasks whose process died are queued again or failed.

Run by every `manage.py db_worker` when it starts and then every half lease while it waits
(`heritage_site/management/commands/db_worker.py`), and by `manage.py recover_jobs`.

- A job row (see `heritage_site.jobs`) in a running status whose heartbeat is older than
  JOB_LEASE_SECONDS lost its process. Its task result, if still RUNNING, is marked FAILED
  ("WorkerLost"); the job is queued again with the same arguments, or, after JOB_MAX_ATTEMPTS
  runs, marked failed with the reason staff read next to a "Thử lại" button. A job that never
  beat (its enqueue was lost) counts from when it was last touched.
- Any other task (search index, reference index…) left RUNNING by a worker of this machine
  whose process is gone is made READY again, or FAILED after JOB_MAX_ATTEMPTS workers took it
  (the worker ids name host and process: `host:pid:random`).
- What dead runs leave on disk (half-built tile folders) is removed.

Every change is a conditional UPDATE of the row as it was read, so two workers recovering at
once, or a worker that beats in the meantime, never double a job.
"""

from __future__ import annotations

import logging
import os
import socket
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from heritage_site.jobs import JobKind, lease_seconds, lost_message

logger = logging.getLogger(__name__)

WORKER_LOST = "heritage_site.recovery.WorkerLost"


class WorkerLost(Exception):
    """The process running a task died (its heartbeat stopped): recorded on its task result."""


@dataclass
class RecoveryReport:
    requeued: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    tasks_requeued: int = 0
    tasks_failed: int = 0
    swept: int = 0

    def __str__(self) -> str:
        return (
            f"queued again: {', '.join(self.requeued) or '-'}; failed: "
            f"{', '.join(self.failed) or '-'}; other tasks queued again {self.tasks_requeued}, "
            f"failed {self.tasks_failed}; temporary folders removed {self.swept}"
        )


def job_kinds() -> list[JobKind]:
    """Every kind of background job of the site, from the rooms that own them."""
    from content.inventory.tasks import inventory_jobs
    from maps.tasks import geo_import_jobs
    from media_pipeline.panoramas.tasks import panorama_jobs
    from media_pipeline.qr.tasks import plaque_jobs

    return [*panorama_jobs(), *inventory_jobs(), *geo_import_jobs(), *plaque_jobs()]


def worker_id() -> str:
    """A db_worker id that names this machine and process, so recovery can tell it is gone."""
    from django.utils.crypto import get_random_string

    return f"{socket.gethostname()[:40]}:{os.getpid()}:{get_random_string(8)}"


def _dead_here(worker: str) -> bool:
    """Was this worker a process of this machine that no longer runs?"""
    host, _sep, rest = worker.partition(":")
    pid = rest.partition(":")[0]
    if host != socket.gethostname()[:40] or not pid.isdigit():
        return False
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    return False


def _lost(task_result, now: datetime) -> int:
    from django_tasks_db.models import DBTaskResult

    return DBTaskResult.objects.filter(pk=task_result.pk, status="RUNNING").update(
        status="FAILED",
        finished_at=now,
        return_value=None,
        exception_class_path=WORKER_LOST,
        traceback=f"{WORKER_LOST}: the worker process stopped without finishing this task.",
    )


def _recover_job(kind: JobKind, job, cutoff: datetime, now: datetime, report: RecoveryReport):
    from django_tasks_db.models import DBTaskResult

    pending = list(
        DBTaskResult.objects.filter(
            task_path=kind.task.module_path,
            args_kwargs__args__0=job.pk,
            status__in=["READY", "RUNNING"],
        ).order_by("-enqueued_at")
    )
    if any(t.status == "READY" for t in pending):
        return  # waiting for a worker
    running = [t for t in pending if t.status == "RUNNING"]
    last = job.heartbeat_at or (running[0].started_at if running else None)
    last = last or getattr(job, kind.since)
    if last is None or last >= cutoff:
        return
    name = f"{kind.label} {job.pk}"
    with transaction.atomic():
        as_read = kind.model.objects.filter(
            pk=job.pk, status=job.status, heartbeat_at=job.heartbeat_at
        )
        if job.attempts < settings.JOB_MAX_ATTEMPTS:
            if not as_read.update(status=kind.queued, heartbeat_at=None):
                return
            for task_result in running:
                _lost(task_result, now)
            if running:
                args, kwargs = running[0].args_kwargs["args"], running[0].args_kwargs["kwargs"]
            else:
                args, kwargs = kind.args(job), {}
            kind.task.enqueue(*args, **kwargs)
            report.requeued.append(name)
        else:
            if not as_read.update(heartbeat_at=None, **kind.failed(lost_message(job.attempts))):
                return
            for task_result in running:
                _lost(task_result, now)
            report.failed.append(name)
    logger.warning("recovery: %s %s", name, "queued again" if name in report.requeued else "failed")


def _recover_plain_tasks(job_paths: set[str], now: datetime, report: RecoveryReport) -> None:
    from django_tasks_db.models import DBTaskResult

    running = DBTaskResult.objects.filter(status="RUNNING").exclude(task_path__in=job_paths)
    for task_result in running:
        if not task_result.worker_ids or not _dead_here(task_result.worker_ids[-1]):
            continue
        if len(task_result.worker_ids) < settings.JOB_MAX_ATTEMPTS:
            done = DBTaskResult.objects.filter(pk=task_result.pk, status="RUNNING").update(
                status="READY", started_at=None
            )
            report.tasks_requeued += done
        else:
            report.tasks_failed += _lost(task_result, now)


def recover_jobs(now: datetime | None = None) -> RecoveryReport:
    """One pass of recovery over every job kind and the task queue."""
    now = now or timezone.now()
    cutoff = now - timedelta(seconds=lease_seconds())
    report = RecoveryReport()
    kinds = job_kinds()
    for kind in kinds:
        for job in kind.model.objects.filter(status__in=kind.active):
            _recover_job(kind, job, cutoff, now, report)
    for sweep in {kind.sweep for kind in kinds if kind.sweep}:
        report.swept += sweep()
    _recover_plain_tasks({kind.task.module_path for kind in kinds}, now, report)
    return report
