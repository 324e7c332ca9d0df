"""A relic's IIIF Presentation 3.0 manifest: a canvas per rubbing and tiled artifact photo.

Labels are language maps in every language the relic is published in; each canvas paints the
image with its level 0 image service, so Mirador, Universal Viewer or OpenSeadragon zoom in.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _

from content.languages import bcp47_tag as bcp47
from content.models import DistrictSettings, RelicPage
from media_pipeline.iiif.models import IIIFTileSet

PRESENTATION_CONTEXT = "http://iiif.io/api/presentation/3/context.json"
THUMBNAIL_WIDTH = 300


def published_relic(pk: int) -> RelicPage | None:
    """The relic if visitors can see it: live, public, and every ancestor live."""
    page = RelicPage.objects.live().public().filter(pk=pk).first()
    if page is None or page.get_ancestors().filter(depth__gt=1, live=False).exists():
        return None
    return page


def _translations(page: RelicPage) -> list[RelicPage]:
    """The relic's live translations, Vietnamese first, in the order of SITE_LANGUAGES."""
    order = [code for code, _name in settings.LANGUAGES]
    pages = [
        p
        for p in page.get_translations(inclusive=True).live().select_related("locale").specific()
        if p.locale.language_code in order
    ]
    return sorted(pages, key=lambda p: order.index(p.locale.language_code))


def _in_languages(codes: list[str], text: Callable[[], str]) -> dict[str, list[str]]:
    """A language map of an interface string, translated into each of ``codes``."""
    values = {}
    for code in codes:
        with translation.override(code):
            values[bcp47(code)] = [str(text())]
    return values


def _service(tiles: IIIFTileSet) -> list[dict[str, Any]]:
    return [{"id": tiles.base_id, "type": "ImageService3", "profile": "level0"}]


def _size_image(tiles: IIIFTileSet, size: dict[str, int]) -> dict[str, Any]:
    w, h = size["width"], size["height"]
    return {
        "id": f"{tiles.base_id}/full/{w},{h}/0/default.jpg",
        "type": "Image",
        "format": "image/jpeg",
        "width": w,
        "height": h,
        "service": _service(tiles),
    }


def canvas(base: str, key: str, label: dict[str, list[str]], tiles: IIIFTileSet) -> dict:
    """A canvas the size of the full image, painted with the largest pre-cut whole image."""
    sizes = tiles.info.get("sizes") or [{"width": tiles.width, "height": tiles.height}]
    canvas_id = f"{base}/canvas/{key}"
    small = next((s for s in sizes if s["width"] >= THUMBNAIL_WIDTH), sizes[-1])
    return {
        "id": canvas_id,
        "type": "Canvas",
        "label": label,
        "width": tiles.width,
        "height": tiles.height,
        "thumbnail": [_size_image(tiles, small)],
        "items": [
            {
                "id": f"{canvas_id}/page",
                "type": "AnnotationPage",
                "items": [
                    {
                        "id": f"{canvas_id}/page/image",
                        "type": "Annotation",
                        "motivation": "painting",
                        "body": _size_image(tiles, sizes[-1]),
                        "target": canvas_id,
                    }
                ],
            }
        ],
    }


def _canvases(base: str, pages: list[RelicPage], codes: list[str]) -> list[dict]:
    """Rubbings first, then artifact photos; titles from each translation of the relic."""
    source = pages[0]
    inscriptions = {p.locale.language_code: list(p.inscriptions.all()) for p in pages}
    artifacts = {p.locale.language_code: list(p.artifacts.all()) for p in pages}
    wanted = [i.rubbing_image_id for i in inscriptions[codes[0]] if i.rubbing_image_id]
    for art in artifacts[codes[0]]:
        wanted += [i for i in [art.image_id, *art.extra_image_ids()] if i]
    tiled = {
        t.image_id: t for t in IIIFTileSet.objects.filter(image_id__in=wanted).exclude(version="")
    }
    items, seen = [], set()

    def label(rows: dict[str, list], match: Callable, title: Callable) -> dict[str, list[str]]:
        values = {}
        for code in codes:
            row = next((r for r in rows.get(code, []) if match(r)), None)
            if row is not None:
                values[bcp47(code)] = [title(row, code)]
        return values

    def rubbing_title(row, code):
        with translation.override(code):
            return f"{row.title} — {_('Bản dập')}"

    for ins in inscriptions[source.locale.language_code]:
        tiles = tiled.get(ins.rubbing_image_id)
        if tiles is None or tiles.image_id in seen:
            continue
        seen.add(tiles.image_id)
        name = label(
            inscriptions, lambda r, i=ins: r.rubbing_image_id == i.rubbing_image_id, rubbing_title
        )
        items.append(canvas(base, f"rubbing-{tiles.image_id}", name, tiles))
    for art in artifacts[source.locale.language_code]:
        for image_id in [art.image_id, *art.extra_image_ids()]:
            tiles = tiled.get(image_id)
            if tiles is None or tiles.image_id in seen:
                continue
            seen.add(tiles.image_id)
            name = label(
                artifacts,
                lambda r, a=art: r.inventory_number == a.inventory_number,
                lambda r, code: f"{r.inventory_number} — {r.name}",
            )
            items.append(canvas(base, f"artifact-{tiles.image_id}", name, tiles))
    return items


def build_manifest(page: RelicPage, manifest_url: str, absolute: Callable[[str], str]) -> dict:
    """The manifest of a published relic; ``absolute`` turns a path into a URL on our host.

    Returns an empty dict when the relic has no tiled image (a manifest needs a canvas).
    """
    pages = _translations(page)
    if not pages:
        return {}
    codes = [p.locale.language_code for p in pages]
    base = manifest_url.rsplit("/", 1)[0]
    items = _canvases(base, pages, codes)
    if not items:
        return {}
    district = DistrictSettings.for_site(page.get_site())
    attribution = ", ".join(
        part
        for part in (district.office_name, district.district_name, district.province_name)
        if part
    )
    manifest: dict[str, Any] = {
        "@context": PRESENTATION_CONTEXT,
        "id": manifest_url,
        "type": "Manifest",
        "label": {bcp47(p.locale.language_code): [p.title] for p in pages},
    }
    summaries = {bcp47(p.locale.language_code): [p.summary] for p in pages if p.summary}
    if summaries:
        manifest["summary"] = summaries
    manifest.update(
        {
            "rights": settings.IIIF_RIGHTS,
            "requiredStatement": {
                "label": _in_languages(codes, lambda: _("Cơ quan quản lý")),
                "value": {bcp47(code): [attribution] for code in codes},
            },
            "homepage": [
                {
                    "id": absolute(p.get_url()),
                    "type": "Text",
                    "label": {bcp47(p.locale.language_code): [p.title]},
                    "format": "text/html",
                    "language": [bcp47(p.locale.language_code)],
                }
                for p in pages
                if p.get_url()
            ],
            "thumbnail": items[0]["thumbnail"],
            "items": items,
        }
    )
    return manifest
