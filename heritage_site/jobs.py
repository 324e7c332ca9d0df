"""Jobs that outlive a dead worker: a heartbeat on each job row, a lease, and what recovery needs.

A background job (a panorama to tile, an inventory to preview or import, a geodata import, a
plaque batch) is a row with a status. Its model inherits `LeasedJob`: `heartbeat_at` is written
when a run starts and then every JOB_LEASE_SECONDS / 6 by a thread of the process doing the work
(`keep_alive`), so it keeps beating through long steps (stitching, decoding) that report no
progress, and stops the moment the process dies (SIGKILL, out of memory, a restart). A run whose
heartbeat is older than the lease has lost its process: `heritage_site.recovery` queues it again,
up to JOB_MAX_ATTEMPTS runs in all (`attempts`), then marks it failed with the reason.

Each room describes its jobs with a `JobKind` (in its `tasks.py`); nothing here imports a room.
"""

from __future__ import annotations

import contextlib
import logging
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import DatabaseError, connections, models
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

logger = logging.getLogger(__name__)


def lease_seconds() -> float:
    """How long a run may go without a heartbeat before its process counts as dead."""
    return float(settings.JOB_LEASE_SECONDS)


def lost_message(attempts: int) -> str:
    """Why recovery gave a job up, for staff (Vietnamese)."""
    return (
        f"Tiến trình xử lý bị dừng đột ngột {attempts} lần (máy chủ khởi động lại, hết bộ nhớ "
        "hoặc bộ xử lý nền bị tắt) nên đã thôi tự chạy lại. Dữ liệu đang dùng không bị thay "
        "đổi. Hãy bấm “Thử lại”; nếu vẫn dừng, hãy báo quản trị viên."
    )


class LeasedJob(models.Model):
    """The heartbeat and the count of runs of a background job row."""

    heartbeat_at = models.DateTimeField(
        _("tín hiệu hoạt động gần nhất"), null=True, blank=True, editable=False
    )
    attempts = models.PositiveSmallIntegerField(_("số lần chạy"), default=0, editable=False)

    class Meta:
        abstract = True


@contextlib.contextmanager
def keep_alive(model: type[models.Model], pk: int) -> Iterator[None]:
    """Claim a run of job ``pk`` (one more attempt, a heartbeat now) and beat until it ends."""
    model.objects.filter(pk=pk).update(heartbeat_at=timezone.now(), attempts=F("attempts") + 1)
    stop = threading.Event()
    interval = max(lease_seconds() / 6, 0.2)

    def beat() -> None:
        try:
            while not stop.wait(interval):
                try:
                    model.objects.filter(pk=pk).update(heartbeat_at=timezone.now())
                except DatabaseError:  # SQLite's one writer is busy: beat again next time
                    logger.warning("heartbeat of %s %s delayed", model._meta.label, pk)
        finally:
            connections.close_all()  # this thread's own connections

    thread = threading.Thread(target=beat, name=f"heartbeat-{model._meta.label}-{pk}", daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join()


@dataclass(frozen=True)
class JobKind:
    """One kind of background job, as recovery sees it.

    ``active``: statuses of a job queued or running; ``queued``: the status a job waits in when
    queued again; ``failed``: the fields that mark it failed, given the reason; ``task``: the
    django_tasks task that runs it, called with ``args(job)`` unless the lost run's own
    arguments are known; ``since``: when a job that never beat was last touched.
    """

    model: type[models.Model]
    task: Any
    active: tuple[str, ...]
    queued: str
    failed: Callable[[str], dict[str, Any]]
    args: Callable[[Any], tuple[Any, ...]] = lambda job: (job.pk,)
    since: str = "created_at"
    sweep: Callable[[], int] | None = field(default=None)  # removes what dead runs left behind

    @property
    def label(self) -> str:
        return self.model._meta.label
