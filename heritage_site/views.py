"""Site-wide views: health check and friendly error pages in the visitor's language."""

from django.conf import settings
from django.db import connection
from django.http import Http404, JsonResponse
from django.shortcuts import render
from django.views import static

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


def healthz(request):
    """For the portal's and IOC's monitoring: the database answers."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


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
