"""`manage.py recover_jobs`: one pass of recovery (db_worker also runs it by itself)."""

from django.core.management.base import BaseCommand

from heritage_site.recovery import recover_jobs


class Command(BaseCommand):
    help = (
        "Queue again (or mark failed) the jobs and tasks whose worker died; remove half-built "
        "temporary tile folders."
    )

    def handle(self, *args, **options):
        self.stdout.write(str(recover_jobs()))
