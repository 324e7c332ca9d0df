"""The IIIF manifest of a relic, readable from any origin as IIIF viewers expect."""

from django.conf import settings
from django.http import Http404, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.http import require_GET
from django.views.static import serve

from media_pipeline.iiif.manifest import build_manifest, published_relic

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
    """Development only: tiles and info.json from MEDIA_ROOT with the CORS header viewers need
    (in production the web server in front adds it, see the README)."""
    return _cors(serve(request, path, document_root=settings.MEDIA_ROOT))
