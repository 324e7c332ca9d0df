from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.urls import include, path, re_path
from django.views.generic import RedirectView
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls
from wagtail.images.views.serve import ServeView

from content import sitemap as sitemap_views
from content import views as content_views
from heritage_site import views as site_views
from heritage_site.storage import LOCAL_STORAGE, TILES_ALIAS
from maps import urls as maps_urls
from media_pipeline.panoramas import views as panorama_views
from media_pipeline.qr import share as qr_share
from media_pipeline.qr import views as qr_views


def moved_to(name: str):
    """A permanent redirect to the named page, in the request's language, query string kept."""
    return RedirectView.as_view(pattern_name=name, permanent=True, query_string=True)


urlpatterns = [
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("healthz", site_views.healthz, name="healthz"),
    path("readyz", site_views.readyz, name="readyz"),
    path("sw.js", content_views.service_worker, name="service_worker"),
    path("sitemap.xml", sitemap_views.sitemap, name="sitemap"),
    path("robots.txt", sitemap_views.robots_txt, name="robots_txt"),
    # QR plaques: outside the language prefixes, any case, anything after the slash.
    re_path(r"^[Qq]/(?P<raw>[\s\S]*)\Z", qr_views.resolve, name="qr_resolve"),
    # The share button's QR of a page, drawn here (no third-party host), for any language.
    path("share/qr.svg", qr_share.share_qr, name="share_qr"),
    # Small pictures made on first request (map popups), then a redirect to the rendition.
    re_path(
        r"^images/([^/]*)/(\d*)/([^/]*)/[^/]*$",
        ServeView.as_view(action="redirect"),
        name="wagtailimages_serve",
    ),
    *maps_urls.api_urlpatterns,
    path("", include("media_pipeline.iiif.urls")),
]

# Panorama tiles are served only for public relics: Django checks, then (in production) the
# web server sends the file through X-Accel-Redirect (README).
_media = settings.MEDIA_URL.lstrip("/")
urlpatterns += [
    re_path(
        rf"^{_media}panoramas/tiles/(?P<pk>[0-9]+)/(?P<path>.+)\Z",
        panorama_views.tile,
        name="panorama_tile",
    ),
]
_tiles_in_bucket = settings.STORAGES[TILES_ALIAS]["BACKEND"] != LOCAL_STORAGE
if settings.SERVE_MEDIA or _tiles_in_bucket:
    # IIIF tiles: from MEDIA_ROOT in development and tests (in production with media on a
    # local disk the web server in front serves /media/), from the bucket with MEDIA_STORAGE=s3.
    from media_pipeline.iiif.views import serve_tiles

    urlpatterns += [re_path(rf"^{_media}(?P<path>iiif/.*)$", serve_tiles)]
if settings.SERVE_MEDIA:
    urlpatterns += [re_path(rf"^{_media}(?P<path>.*)$", site_views.media)]

# Visitor pages: Vietnamese at the root, other languages under their prefix (/en/…).
urlpatterns += i18n_patterns(
    path("search/", content_views.search, name="search"),
    path("offline/", content_views.offline_page, name="offline"),
    path("offline/manifest.json", content_views.offline_manifest, name="offline_manifest"),
    path("offline/map/", content_views.offline_map, name="offline_map"),
    path("near-me/", content_views.nearby, name="nearby"),
    # Paths defined in code are English; an old Vietnamese one answers a permanent redirect.
    path("gan-toi/", moved_to("nearby")),
    path("360/", include("media_pipeline.panoramas.urls")),
    path("feedback/", include("feedback.urls")),
    *maps_urls.page_urlpatterns,
    path("", include(wagtail_urls.urlpatterns[:-1])),
    # Wagtail's page view with a fallback to Vietnamese for untranslated pages.
    re_path(wagtail_urls.serve_pattern, content_views.serve_page, name="wagtail_serve"),
    prefix_default_language=False,
)

handler404 = "heritage_site.views.page_not_found"
handler500 = "heritage_site.views.server_error"
