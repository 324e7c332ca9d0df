"""Background work of the maps app: running a checked geodata import."""

import logging

from django.contrib.auth import get_user_model
from django.utils import timezone
from django_tasks import task

from maps.importer import ImportRefused, run_import
from maps.models import GeoImport

logger = logging.getLogger(__name__)


@task()
def import_geodata_task(import_id: int, user_id: int | None = None) -> str:
    """Import a file staff confirmed; its GeoImport records the status and the outcome."""
    geo_import = GeoImport.objects.get(pk=import_id)
    if geo_import.status == GeoImport.Status.DONE:
        return "already done"  # a task run twice imports once
    user = get_user_model().objects.filter(pk=user_id).first() if user_id else None
    geo_import.status = GeoImport.Status.RUNNING
    geo_import.save(update_fields=["status"])
    try:
        outcome = run_import(geo_import, user=user)
    except ImportRefused as exc:
        geo_import.status = GeoImport.Status.FAILED
        geo_import.result = {"summary": str(exc)}
    except Exception:  # staff see a message; logger.exception keeps the traceback
        logger.exception("geodata import %s failed", import_id)
        geo_import.status = GeoImport.Status.FAILED
        geo_import.result = {
            "summary": "Lỗi không mong đợi khi nhập: chưa nhập gì. Hãy báo quản trị."
        }
    else:
        geo_import.status = GeoImport.Status.DONE
        logger.info("geodata import %s: %s", import_id, outcome.summary())
    geo_import.finished_at = timezone.now()
    geo_import.save()
    return geo_import.status
