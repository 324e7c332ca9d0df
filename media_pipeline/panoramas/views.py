"""The "Du lịch 360°" gallery and the embeddable gallery and tours for the district portal."""

import re
from pathlib import Path

from django.conf import settings
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.views import static
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.decorators.http import require_safe

from heritage_site.security_headers import permissions_policy, visitor_policy
from heritage_site.storage import TILE_URL_SECONDS, on_local_disk, tile_storage
from media_pipeline.panoramas.models import TILES_DIR, Panorama, PanoramaGalleryPage
from media_pipeline.panoramas.viewer import gallery_context, tour_from


def _framable(response):
    """Let our own pages and the portal hosts in PANORAMA_EMBED_ALLOWED_ORIGINS frame this."""
    ancestors = settings.PANORAMA_EMBED_ALLOWED_ORIGINS
    response["Content-Security-Policy"] = visitor_policy(frame_ancestors=ancestors)
    response["Permissions-Policy"] = permissions_policy(geolocation=False)
    return response


@require_safe
def gallery(request):
    """/360/: the gallery page of the page tree, or a plain gallery before editors make one."""
    page = PanoramaGalleryPage.objects.live().first()
    if page is not None and page.url:
        return redirect(page.get_url(request))
    context = {
        "page_title": _("Du lịch 360°"),
        **gallery_context(request, Panorama.objects.public()),
    }
    return render(request, "media_pipeline/panorama_gallery_page.html", context)


@require_safe
@xframe_options_exempt
def gallery_embed(request):
    """Every published panorama, without the site's header and footer, for an iframe."""
    context = {
        "page_title": _("Du lịch 360°"),
        **gallery_context(request, Panorama.objects.public()),
    }
    return _framable(render(request, "media_pipeline/panoramas/embed.html", context))


@require_safe
@xframe_options_exempt
def tour_embed(request, pk: int):
    """A tour: the panorama ``pk`` and those its scene hotspots lead to, for an iframe."""
    published = Panorama.objects.public()
    start = published.filter(pk=pk).first()
    if start is None:
        raise Http404(_("Không có ảnh 360° này."))
    context = {
        "page_title": start.title,
        # ?toa-do=1: staff read the pitch and yaw of a click, to place hotspots.
        "show_coords": request.GET.get("toa-do") == "1",
        **tour_from(request, start, published),
    }
    return _framable(render(request, "media_pipeline/panoramas/embed.html", context))


# What tiling.py publishes under <version>/: the preview, the tiles and the whole faces.
TILE_PATH = re.compile(
    r"\A[0-9A-Za-z]{1,64}/"
    r"(preview\.jpg|[0-9]{1,2}/[fblrud][0-9]{1,4}_[0-9]{1,4}\.jpg|fallback/[fblrud]\.jpg)\Z"
)


@require_safe
def tile(request, pk: int, path: str):
    """A panorama's tile or preview, served only while a visitor may see the panorama
    (content.public: its relic and the relic's ward are published); staff see every one.

    With PANORAMA_TILES_INTERNAL_URL set, the web server in front sends the file itself
    (nginx X-Accel-Redirect to an `internal` location); with tiles in a bucket
    (MEDIA_STORAGE=s3) the answer redirects to a signed URL; otherwise Django streams it.
    """
    staff = request.user.is_authenticated and request.user.has_perm("wagtailadmin.access_admin")
    panoramas = Panorama.objects.all() if staff else Panorama.objects.public()
    if not TILE_PATH.match(path) or not panoramas.filter(pk=pk).exists():
        raise Http404(_("Không có ảnh 360° này."))
    internal = settings.PANORAMA_TILES_INTERNAL_URL
    storage = tile_storage()
    max_age = settings.PANORAMA_TILES_MAX_AGE
    if not on_local_disk(storage):
        # In a bucket: a signed URL to the object, which carries a year-long immutable
        # Cache-Control; the redirect itself lives shorter than the signature.
        response = HttpResponseRedirect(storage.url(f"{TILES_DIR}/{pk}/{path}"))
        max_age = min(max_age, TILE_URL_SECONDS // 2)
    elif internal:
        response = HttpResponse(content_type="image/jpeg")
        response["X-Accel-Redirect"] = f"{internal.rstrip('/')}/{pk}/{path}"
    else:
        root = Path(settings.MEDIA_ROOT) / TILES_DIR / str(pk)
        response = static.serve(request, path, document_root=root)
    # Tile URLs never change content, but a relic taken down must stop being served soon.
    patch_cache_control(response, public=not staff, private=staff, max_age=max_age)
    response["X-Content-Type-Options"] = "nosniff"
    return response
