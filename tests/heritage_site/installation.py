"""An installation as `migrate` leaves it, for the backup tests (local disk and bucket)."""

import shutil
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from wagtail.models import Page

from content.demo import ensure_tree_roots


def empty_installation() -> None:
    """What `migrate` leaves: no rows but the root page, Wagtail's welcome page and the like."""
    call_command("flush", interactive=False, verbosity=0)
    root = ensure_tree_roots()
    root.add_child(instance=Page(title="Welcome to your new Wagtail site!", slug="home"))
    shutil.rmtree(settings.MEDIA_ROOT, ignore_errors=True)
    Path(settings.MEDIA_ROOT).mkdir(parents=True)
