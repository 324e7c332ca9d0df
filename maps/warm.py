"""Build the map's common feeds again after a publish, in the background, so that the map page,
the embed and the IOC rarely wait for a feed to be built (maps/snapshots.py stores them).

After every committed change of the page-cache generation (heritage_site/page_cache.py) one
task is queued per new generation (maps/tasks.py). It builds, for every scheme and host the
feeds were built for before (links in a feed are absolute) and every language, the relics,
places and ward feeds with the map page's default filters (the URLs /map/ and /map/embed/
load), brotli and gzip included, and the IOC statistics of the last 30 days.

The stored feeds live in the cache backend: the task warms what visitors get only when the
worker and the web processes share it (Redis, as in production).
"""

from __future__ import annotations

import logging

from django.test import RequestFactory
from django.urls import reverse
from wagtail.models import Locale

from maps.snapshots import known_hosts

logger = logging.getLogger(__name__)
LAYERS = ("relics", "places", "wards")
ENCODINGS = ("br", "gzip")


def feed_paths() -> list[str]:
    """The feeds the map pages load (maps.views.feed_urls with no filter), in each language,
    and the plain feed URLs without a language (as the IOC reads them)."""
    from maps.views import feed_urls

    paths = [reverse(f"geo_{layer}") for layer in LAYERS]
    for language in Locale.objects.order_by("pk").values_list("language_code", flat=True):
        paths += feed_urls(language, {}, LAYERS).values()
    return paths


def warm_feeds() -> int:
    """Build and store the common feeds for every known host; the number of bodies built."""
    from maps import feeds

    views = {reverse(f"geo_{layer}"): getattr(feeds, f"{layer}_geojson") for layer in LAYERS}
    views[reverse("ioc_stats")] = feeds.ioc_stats
    paths = [*feed_paths(), reverse("ioc_stats")]
    built = 0
    for origin in known_hosts():
        scheme, host = origin.split("://", 1)
        factory = RequestFactory(HTTP_HOST=host, secure=scheme == "https")
        for path in paths:
            view = views[path.split("?", 1)[0]]
            for encoding in ENCODINGS:
                response = view(factory.get(path, HTTP_ACCEPT_ENCODING=encoding))
                if response.status_code != 200:
                    status = response.status_code
                    logger.warning("Dựng lại %s cho %s: HTTP %s", path, origin, status)
                    break
                built += 1
    return built
