"""The IIIF manifest of a relic, readable from any origin as IIIF viewers expect."""

import re

from django.conf import settings
from django.http import Http404, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.http import require_GET
from django.views.static import serve

from heritage_site.storage import IMMUTABLE, TILE_URL_SECONDS, on_local_disk, tile_storage
from media_pipeline.iiif.manifest import build_manifest, published_relic

# iiif/<image id>/<version>/ then info.json or a level 0 image request: nothing else of the
# bucket is ever signed for a visitor (no "..", no other prefix).
TILE_PATH = re.compile(
    r"\Aiiif/[0-9]{1,12}/[0-9a-f]{1,64}/(info\.json|(full|[0-9]{1,6}(,[0-9]{1,6}){3})/"
    r"(max|[0-9]{1,6},[0-9]{0,6})/0/default\.jpg)\Z"
)

MANIFEST_TYPE = 'application/ld+json;profile="http://iiif.io/api/presentation/3/context.json"'


def _cors(response):
    response["Access-Control-Allow-Origin"] = "*"
    return response


@require_GET
def manifest(request, relic_id: int):
    """``/iiif/<relic_id>/manifest.json``: published relics with a tiled image; 404 otherwise."""
    page = published_relic(relic_id)
    if page is None:
        raise Http404("No published relic")
    source = page.get_translation_or_none(page.locale.get_default()) if page.locale else None
    if source is not None and source.pk != page.pk and published_relic(source.pk):
        # One manifest per relic, whichever translation's id was asked for.
        return _cors(redirect("iiif_manifest", relic_id=source.pk, permanent=True))
    url = request.build_absolute_uri(reverse("iiif_manifest", args=[page.pk]))
    data = build_manifest(page, url, request.build_absolute_uri)
    if not data:
        raise Http404("No image of this relic has deep-zoom tiles yet")
    response = JsonResponse(
        data, content_type=MANIFEST_TYPE, json_dumps_params={"ensure_ascii": False}
    )
    response["Cache-Control"] = "public, max-age=300"
    return _cors(response)


def serve_tiles(request, path: str):
    """Tiles and info.json with the CORS header viewers need.

    On a local disk, development only (in production the web server in front serves them and
    adds the header, see the README). In a bucket (MEDIA_STORAGE=s3) info.json is read from it
    here and the images redirect to signed URLs of objects cached for a year.
    """
    storage = tile_storage()
    if on_local_disk(storage):
        return _cors(serve(request, path, document_root=settings.MEDIA_ROOT))
    if not TILE_PATH.match(path):
        raise Http404("No such tile")
    if path.endswith("/info.json"):
        try:
            with storage.open(path, "rb") as fh:
                data = fh.read()
        except FileNotFoundError:
            raise Http404("No such tile set") from None
        response = HttpResponse(data, content_type="application/json")
        response["Cache-Control"] = IMMUTABLE  # under a versioned folder
        return _cors(response)
    response = HttpResponseRedirect(storage.url(path))
    response["Cache-Control"] = f"public, max-age={TILE_URL_SECONDS // 2}"
    return _cors(response)
