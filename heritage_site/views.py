"""Site-wide views: liveness and readiness checks, friendly error pages in the visitor's
language."""

import logging
import secrets
import time

from django.conf import settings
from django.core.cache import caches
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection
from django.http import Http404, JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.views import static
from django.views.decorators.cache import never_cache

from content.uploads import served_inline

# What visitors' pages use under /media/ (README's nginx snippet serves the same). Imports,
# documents and plaque batches are only downloaded through permission-checked views, and
# panorama tiles go through media_pipeline.panoramas.views.tile.
PUBLIC_MEDIA = (
    "images/",
    "original_images/",
    "narrations/",
    "panoramas/originals/",
    "panoramas/photos/",
    "panoramas/stitched/",
)
MEDIA_CSP = "default-src 'none'; img-src 'self'; media-src 'self'; sandbox"


logger = logging.getLogger("heritage_site.readyz")


class NotReady(Exception):
    """A failed check whose message is safe to show (no host, no credential)."""


@never_cache
def healthz(request):
    """Liveness: the process answers. Nothing else is asked (a restart would not fix a database)."""
    return JsonResponse({"status": "ok"})


def _check_database() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return "ok"


def _check_cache() -> str:
    cache = caches[settings.PAGE_CACHE_ALIAS]
    key, value = f"readyz:{secrets.token_hex(8)}", secrets.token_hex(8)
    cache.set(key, value, 30)
    read = cache.get(key)
    cache.delete(key)
    if read != value:
        raise NotReady("a value written to the cache was not read back")
    return "ok"


def _check_queue() -> str:
    """How long the oldest task that could run has waited; failed past READYZ_QUEUE_LAG_SECONDS."""
    from django.db.models.functions import Greatest
    from django_tasks_db.models import DBTaskResult

    now = timezone.now()
    oldest = (
        DBTaskResult.objects.filter(status="READY", run_after__lte=now)
        .annotate(waiting_since=Greatest("enqueued_at", "run_after"))
        .order_by("waiting_since")
        .values_list("waiting_since", flat=True)
        .first()
    )
    lag = max(0.0, (now - oldest).total_seconds()) if oldest else 0.0
    if lag > settings.READYZ_QUEUE_LAG_SECONDS:
        raise NotReady(
            f"oldest queued task waited {lag:.0f} s (limit {settings.READYZ_QUEUE_LAG_SECONDS:g} s)"
        )
    return f"ok, lag {lag:.0f} s"


def _check_storage() -> str:
    """Write, read back and delete a tiny file where uploads go (disk or bucket)."""
    payload = secrets.token_hex(8).encode()
    name = default_storage.save(f"readyz/{secrets.token_hex(8)}.txt", ContentFile(payload))
    try:
        with default_storage.open(name, "rb") as stored:
            if stored.read() != payload:
                raise NotReady("a file written to storage was not read back")
    finally:
        default_storage.delete(name)
    return "ok"


READY_CHECKS = {
    "database": _check_database,
    "cache": _check_cache,
    "queue": _check_queue,
    "storage": _check_storage,
}


@never_cache
def readyz(request):
    """Readiness for a load balancer: database, cache, task queue lag and storage, each with
    its answer and time; 503 when any fails. Errors are named by kind only (no host, no secret);
    the details go to the log."""
    checks, ready = {}, True
    for name, check in READY_CHECKS.items():
        started = time.perf_counter()
        try:
            status, ok = check(), True
        except Exception as error:  # noqa: BLE001 — any failure means "not ready"
            logger.warning("readiness check %s failed: %s", name, error, extra={"check": name})
            if name == "database":
                connection.close_if_unusable_or_obsolete()
            shown = str(error) if isinstance(error, NotReady) else type(error).__name__
            status, ok = f"failed: {shown}", False
        ready &= ok
        checks[name] = {
            "ok": ok,
            "status": status,
            "ms": round((time.perf_counter() - started) * 1000, 1),
        }
    return JsonResponse(
        {"status": "ok" if ready else "failing", "checks": checks}, status=200 if ready else 503
    )


def page_not_found(request, exception=None):
    return render(request, "404.html", status=404)


def server_error(request):
    return render(request, "500.html", status=500)


def media(request, path: str):
    """/media/ in development and tests, as the web server serves it in production: public
    folders only, no content sniffing, and anything but a picture or sound as an attachment."""
    if not path.startswith(PUBLIC_MEDIA):
        raise Http404
    response = static.serve(request, path, document_root=settings.MEDIA_ROOT)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = MEDIA_CSP
    if not served_inline(response.get("Content-Type")):
        response["Content-Type"] = "application/octet-stream"
        response["Content-Disposition"] = "attachment"
    return response
