"""`manage.py db_worker`: django_tasks_db's worker, recovering what dead workers left.

The same command and options as django_tasks_db's (this app comes first in INSTALLED_APPS, so
Django runs this one); before taking tasks, and then every half lease in a background thread,
it runs `heritage_site.recovery.recover_jobs` (and forgets failed-login records past their
cool-off). Its default worker id names the machine and the
process (`host:pid:random`), so recovery can tell when a worker is gone.
"""

import logging
import os
import threading
import time

from django.db import DatabaseError, InterfaceError, OperationalError, connections
from django.utils.autoreload import DJANGO_AUTORELOAD_ENV
from django_tasks_db.management.commands import db_worker as base
from django_tasks_db.management.commands.db_worker import Command as DbWorkerCommand

from heritage_site.jobs import lease_seconds
from heritage_site.login_security import forget_expired_attempts
from heritage_site.recovery import recover_jobs, worker_id

logger = logging.getLogger("heritage_site.recovery")


def recover_once() -> None:
    try:
        report = recover_jobs()
        forget_expired_attempts()  # failed-login records past their cool-off
    except DatabaseError:  # SQLite's one writer is busy: the next pass will do it
        logger.warning("recovery postponed: database busy", exc_info=True)
        return
    if report.requeued or report.failed or report.tasks_requeued or report.tasks_failed:
        logger.warning("recovery: %s", report)


def recover_periodically(period: float) -> None:
    stop = threading.Event()
    while not stop.wait(period):
        recover_once()
        connections.close_all()


# Seconds between attempts while the database does not answer (restarted, failed over).
DATABASE_RETRY_SECONDS = 2.0


class ResilientWorker(base.Worker):
    """django_tasks_db's worker loop, which exits at the first OperationalError: here the worker
    waits for the database to come back instead (a PostgreSQL restart needs no worker restart).
    A task cut short by the outage is found again by recovery (heritage_site.recovery)."""

    def run(self) -> None:
        while True:
            try:
                return super().run()
            except (OperationalError, InterfaceError) as error:
                if not self.running:
                    raise
                logger.warning(
                    "database unavailable (%s); worker retries in %g s",
                    type(error).__name__,
                    DATABASE_RETRY_SECONDS,
                )
                for connection in connections.all(initialized_only=True):
                    try:
                        connection.close()
                    except DatabaseError:
                        pass
                time.sleep(DATABASE_RETRY_SECONDS)


class Command(DbWorkerCommand):
    help = "Run a database background worker that also recovers jobs of dead workers"

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.set_defaults(worker_id=worker_id())

    def handle(self, *args, **options):
        child = os.environ.get(DJANGO_AUTORELOAD_ENV) == "true"
        if not options.get("reload") or child:
            recover_once()
            connections.close_all()
            period = max(lease_seconds() / 2, 1.0)
            threading.Thread(
                target=recover_periodically, args=(period,), name="recovery", daemon=True
            ).start()
        # django_tasks_db's handle() builds the module's Worker: ours, that outlives an outage.
        base.Worker = ResilientWorker
        return super().handle(*args, **options)
