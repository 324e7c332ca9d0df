"""Pannellum tour configurations and the text lists of hotspots, built from published panoramas.

Every page with a viewer holds one tour (a JSON script element): a scene per panorama, scene
hotspots joining them, info hotspots linking to inscriptions and artifacts on the relic page.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.core.paginator import Paginator
from django.utils.text import slugify
from django.utils.translation import gettext as _

from content.models.page_context import item_link
from media_pipeline.panoramas.limits import pannellum_view, view_fields

if TYPE_CHECKING:  # the viewer reads rows its callers query; models call the viewer
    from django.db.models import QuerySet

    from media_pipeline.panoramas.models import Hotspot, Panorama

MAX_TOUR_SCENES = 60
Link = Callable[["Hotspot"], str | None]


@dataclass
class HotspotItem:
    """One line of the hotspot list that screen readers (and everyone) can use."""

    label: str
    kind: str
    href: str | None = None
    scene: str | None = None


@dataclass
class Scene:
    panorama: Panorama
    items: list[HotspotItem] = field(default_factory=list)

    @property
    def id(self) -> str:
        return scene_id(self.panorama)


def scene_id(pano: Panorama) -> str:
    return f"p{pano.pk}"


def anchor(hotspot: Hotspot) -> str | None:
    """The id of the inscription's or artifact's block on its relic page."""
    if hotspot.target_inscription_id:
        return f"di-van-{hotspot.target_inscription_id}"
    if hotspot.target_artifact:
        return f"hien-vat-{slugify(hotspot.target_artifact.inventory_number)}"
    return None


def pannellum_strings() -> dict[str, str]:
    """Pannellum's interface text, in the visitor's language."""
    return {
        "loadButtonLabel": _("Nhấn để<br>xem ảnh 360°"),
        "loadingLabel": _("Đang tải…"),
        "bylineLabel": _("ảnh: %s"),
        "noPanoramaError": _("Chưa có ảnh 360°."),
        "fileAccessError": _("Không tải được tệp %s."),
        "malformedURLError": _("Đường dẫn ảnh không hợp lệ."),
        "iOS8WebGLError": _("Trình duyệt này chưa hiển thị được ảnh 360°."),
        "genericWebGLError": _("Trình duyệt cần hỗ trợ WebGL để xem ảnh 360°."),
        "textureSizeError": _("Ảnh quá lớn đối với thiết bị này."),
        "unknownError": _("Có lỗi khi hiển thị ảnh 360°."),
    }


def scene_config(pano: Panorama, hotspots: Iterable[Hotspot], link: Link, scenes: set[str]):
    """One Pannellum multires scene; scene hotspots only to scenes present in the tour."""
    config: dict[str, Any] = dict(pano.viewer_config)
    config["basePath"] = pano.tiles_url
    # Pannellum joins basePath to multiRes paths, but takes a "/…" preview as site-absolute.
    config["preview"] = pano.preview_url
    config["title"] = pano.title
    config.update(pannellum_view(view_fields(pano)))
    spots: list[dict[str, Any]] = []
    items: list[HotspotItem] = []
    for spot in hotspots:
        base = {"pitch": spot.pitch, "yaw": spot.yaw, "text": spot.label}
        if spot.kind == spot.Kind.SCENE:
            target = spot.target_panorama
            if target is None or scene_id(target) not in scenes:
                continue
            spots.append({**base, "type": "scene", "sceneId": scene_id(target)})
            items.append(HotspotItem(spot.label, "scene", scene=scene_id(target)))
        else:
            href = link(spot)
            spot_config = {**base, "type": "info"}
            if href:
                # Pannellum opens hotspot links in a new tab unless attributes are given.
                spot_config.update(URL=href, attributes={})
            spots.append(spot_config)
            items.append(HotspotItem(spot.label, "info", href=href))
    config["hotSpots"] = spots
    return config, items


def tour(
    panoramas: list[Panorama], link: Link, *, extra: Iterable[Panorama] = ()
) -> tuple[dict[str, Any], list[Scene]]:
    """The tour config for ``panoramas`` (listed) plus ``extra`` scene targets (no hotspots)."""
    listed = {scene_id(p) for p in panoramas}
    extra = [p for p in extra if scene_id(p) not in listed and p.is_published]
    ids = listed | {scene_id(p) for p in extra}
    scenes, configs = [], {}
    for pano in panoramas:
        configs[scene_id(pano)], items = scene_config(pano, pano.hotspots.all(), link, ids)
        scenes.append(Scene(pano, items))
    for pano in extra:
        configs[scene_id(pano)], _items = scene_config(pano, [], link, ids)
    config = {
        "default": {
            "firstScene": scenes[0].id if scenes else None,
            "sceneFadeDuration": 600,
            "autoLoad": True,
            "orientationOnByDefault": False,
            "keyboardZoom": True,
            "escapeHTML": True,
            "strings": pannellum_strings(),
        },
        "scenes": configs,
    }
    return config, scenes


def scene_targets(panoramas: Iterable[Panorama]) -> list[Panorama]:
    """Panoramas the scene hotspots lead to, if a visitor may see them (another relic's
    panorama may not be public; ``target_public`` comes with ``Panorama.objects.published()``)."""
    return [
        spot.target_panorama
        for pano in panoramas
        for spot in pano.hotspots.all()
        if spot.kind == spot.Kind.SCENE
        and spot.target_panorama
        and getattr(spot, "target_public", False)
    ]


def relic_tour(
    relic, published: QuerySet[Panorama], shown: set[str] | None = None
) -> dict[str, Any]:
    """Template context for a relic page's panoramas, in a constant number of queries.
    ``shown``: the anchors of the inscriptions and artifacts on this page of their lists; a
    hotspot on another one links to the page of the list that holds it."""
    panoramas = list(published.filter(relic=relic))
    if not panoramas:
        return {"pano_scenes": []}

    def link(spot: Hotspot) -> str | None:
        target = spot.target_inscription or spot.target_artifact
        if target is None or target.relic_id != relic.pk:
            return None
        name = anchor(spot)
        if shown is None or name in shown:
            return f"#{name}"
        return item_link("", name)  # this page, the list page that holds it

    config, scenes = tour(panoramas, link, extra=scene_targets(panoramas))
    return {"pano_scenes": scenes, "pano_tour": config}


def _relic_link(request) -> Link:
    """Links to the inscription or artifact on its relic's page, from a gallery or an embed."""

    def link(spot: Hotspot) -> str | None:
        relic = spot.panorama.relic
        target = spot.target_inscription or spot.target_artifact
        if relic is None or target is None or target.relic_id != relic.pk:
            return None
        url = relic.get_url(request)
        return item_link(url, anchor(spot)) if url else None

    return link


def gallery_context(request, published: QuerySet[Panorama], *, per_page: int = 24) -> dict:
    """Every published panorama, a page at a time, as one tour."""
    rows = published.select_related("relic").order_by("relic__title", "title", "pk")
    page = Paginator(rows, per_page).get_page(request.GET.get("page"))
    panoramas = list(page.object_list)
    for pano in panoramas:
        for spot in pano.hotspots.all():
            spot.panorama = pano  # reuse the loaded relic, no query per hotspot
    config, scenes = tour(panoramas, _relic_link(request), extra=scene_targets(panoramas))
    return {"pano_scenes": scenes, "pano_tour": config, "pano_page": page}


def tour_from(request, start: Panorama, published: QuerySet[Panorama]) -> dict[str, Any]:
    """The panoramas reachable from ``start`` through scene hotspots: one query per step."""
    found: dict[int, Panorama] = {}
    frontier = {start.pk}
    while frontier and len(found) < MAX_TOUR_SCENES:
        rows = list(published.select_related("relic").filter(pk__in=frontier))
        for pano in rows:
            found[pano.pk] = pano
            for spot in pano.hotspots.all():
                spot.panorama = pano
        frontier = {t.pk for t in scene_targets(rows)} - set(found)
    ordered = [found[start.pk], *(p for pk, p in found.items() if pk != start.pk)]
    config, scenes = tour(ordered[:MAX_TOUR_SCENES], _relic_link(request))
    return {"pano_scenes": scenes, "pano_tour": config}
