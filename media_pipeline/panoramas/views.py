"""The "Du lịch 360°" gallery and the embeddable gallery and tours for the district portal."""

from django.conf import settings
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.decorators.http import require_safe

from heritage_site.security_headers import permissions_policy, visitor_policy
from media_pipeline.panoramas.models import Panorama, PanoramaGalleryPage
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
        **gallery_context(request, Panorama.objects.published()),
    }
    return render(request, "media_pipeline/panorama_gallery_page.html", context)


@require_safe
@xframe_options_exempt
def gallery_embed(request):
    """Every published panorama, without the site's header and footer, for an iframe."""
    context = {
        "page_title": _("Du lịch 360°"),
        **gallery_context(request, Panorama.objects.published()),
    }
    return _framable(render(request, "media_pipeline/panoramas/embed.html", context))


@require_safe
@xframe_options_exempt
def tour_embed(request, pk: int):
    """A tour: the panorama ``pk`` and those its scene hotspots lead to, for an iframe."""
    published = Panorama.objects.published()
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
