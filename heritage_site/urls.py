from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.urls import include, path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from content import views as content_views
from heritage_site import views as site_views

urlpatterns = [
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("healthz", site_views.healthz, name="healthz"),
]

if settings.SERVE_MEDIA:
    # Development and tests only; in production the web server in front serves /media/.
    from django.urls import re_path
    from django.views.static import serve

    urlpatterns += [
        re_path(r"^media/(?P<path>.*)$", serve, {"document_root": settings.MEDIA_ROOT}),
    ]

# Visitor pages: Vietnamese at the root, other languages under their prefix (/en/…).
urlpatterns += i18n_patterns(
    path("search/", content_views.search, name="search"),
    path("", include(wagtail_urls)),
    prefix_default_language=False,
)

handler404 = "heritage_site.views.page_not_found"
handler500 = "heritage_site.views.server_error"
