"""The district heritage map as HTML, built with folium and served entirely from our static files.

folium's default assets (Leaflet, jQuery, Bootstrap, Font Awesome from CDNs) are all replaced by
files under ``static/vendor/`` (installed from npm) and ``static/maps/``. Markers, popups and
tooltips are built in the browser from JSON with text nodes, so user text is never HTML.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from content.vocabularies import RANKING_SHORT_LABELS, RELIC_TYPE_SHORT_LABELS
from maps.features import LAYERS, collection_bounds, round_coordinates

StaticResolver = Callable[[str], str]

VENDOR_JS = (
    ("leaflet", "vendor/leaflet/leaflet.js"),
    ("markercluster", "vendor/leaflet.markercluster/leaflet.markercluster.js"),
    ("subgroup", "vendor/leaflet.featuregroup.subgroup/leaflet.featuregroup.subgroup.js"),
    ("heritage_map", "maps/heritage-map.js"),
)
VENDOR_CSS = (
    ("leaflet_css", "vendor/leaflet/leaflet.css"),
    ("markercluster_css", "vendor/leaflet.markercluster/MarkerCluster.css"),
    ("markercluster_default_css", "vendor/leaflet.markercluster/MarkerCluster.Default.css"),
    ("heritage_map_css", "maps/heritage-map.css"),
)
DEFAULT_CENTER = (20.85, 106.68)  # (lat, lon); the view passes the district's own
LAYER_TITLES = {"relics": "Di tích", "places": "Điểm du lịch", "wards": "Ranh giới phường, xã"}
MAX_ZOOM = 19
_TOKEN = re.compile(r"^[a-z_]{1,30}$")
_SAFE_PATH = re.compile(r"^/(?!/)[^\s\\\"'<>]*$")


@dataclass(frozen=True)
class MapParts:
    """The map split for a Django template: ``head`` (links, styles), ``body``, ``script``."""

    head: str
    body: str
    script: str


def safe_path(url: Any) -> str | None:
    """A same-host path ('/di-tich/x/'), or None: no other host, no 'javascript:' URL."""
    return url if isinstance(url, str) and _SAFE_PATH.match(url) else None


def script_json(value: Any) -> str:
    """JSON safe inside <script>: '<', '>', '&' and line separators escaped."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    for char, escape in (
        ("<", "\\u003c"),
        (">", "\\u003e"),
        ("&", "\\u0026"),
        ("\u2028", "\\u2028"),
        ("\u2029", "\\u2029"),
    ):
        text = text.replace(char, escape)
    return text


def _point_record(item: Mapping[str, Any]) -> dict[str, Any] | None:
    if item.get("lon") is None or item.get("lat") is None:
        return None
    lon, lat = round_coordinates([item["lon"], item["lat"]])
    ranking = item.get("ranking")
    relic_type = item.get("type")
    record = {
        "name": str(item.get("name") or ""),
        "lat": lat,
        "lon": lon,
        "rank": ranking if ranking in RANKING_SHORT_LABELS else None,
        # A relic type or a place category: a plain token, used as a CSS class and a marker.
        "type": relic_type if _TOKEN.match(str(relic_type or "")) else None,
        "typeText": " · ".join(p for p in (item.get("type_label"), item.get("ocop")) if p)
        or (None if relic_type in RELIC_TYPE_SHORT_LABELS else (relic_type or None)),
        "ward": item.get("ward") or None,
        "url": safe_path(item.get("url")),
        "tour": safe_path(item.get("tour_url")),
        "thumb": safe_path(item.get("thumbnail")),
        # Listed in Vietnamese on a map in another language (not translated yet).
        "vi": True if item.get("translated") is False else None,
    }
    return {key: value for key, value in record.items() if value is not None}


def _ward_collection(wards: Iterable[Mapping[str, Any]], tolerance: float) -> dict[str, Any]:
    from shapely.geometry import mapping, shape

    features = []
    for ward in wards:
        geometry = ward.get("geometry")
        if not geometry:
            continue
        if tolerance > 0:
            geometry = mapping(shape(geometry).simplify(tolerance, preserve_topology=True))
        features.append(
            {
                "type": "Feature",
                "geometry": {
                    "type": geometry["type"],
                    "coordinates": round_coordinates(geometry["coordinates"]),
                },
                "properties": {"name": str(ward.get("name") or "")},
            }
        )
    return {"type": "FeatureCollection", "features": features}


def _resolver(static_url: str | StaticResolver) -> StaticResolver:
    if callable(static_url):
        return static_url
    prefix = static_url if static_url.endswith("/") else static_url + "/"
    return lambda path: prefix + path


def build_map_parts(
    relics: Sequence[Mapping[str, Any]],
    places: Sequence[Mapping[str, Any]],
    wards: Sequence[Mapping[str, Any]],
    *,
    tiles_url: str | None = None,
    attribution: str | None = None,
    static_url: str | StaticResolver = "/static/",
    embed: bool = False,
    layers: Iterable[str] = LAYERS,
    center: tuple[float, float] = DEFAULT_CENTER,
    zoom: int = 13,
    simplify_tolerance: float = 0.00002,
    nonce: str | None = None,
    untranslated_label: str | None = None,
    feeds: Mapping[str, str] | None = None,
    bounds: tuple[float, float, float, float] | None = None,
) -> MapParts:
    """Render the map; ``tiles_url=None`` gives the no-basemap mode (no network at all).

    ``attribution`` is trusted HTML from settings; ``static_url`` is a prefix or a resolver
    such as Django's ``static()`` (for hashed file names). With ``feeds`` (layer → same-origin
    GeoJSON feed path), a layer's markers are fetched from its feed after the first paint
    instead of being written into the page; ``bounds`` (west, south, east, north) then frames
    the map, as the points are not at hand. ``untranslated_label`` marks the
    popups of points listed in Vietnamese on a map in another language.
    """
    import folium
    from branca.element import MacroElement
    from folium.plugins import FeatureGroupSubGroup, MarkerCluster
    from jinja2 import Template

    static = _resolver(static_url)
    wanted = [layer for layer in LAYERS if layer in set(layers)]
    relic_rows = [r for r in map(_point_record, relics) if r] if "relics" in wanted else []
    place_rows = [r for r in map(_point_record, places) if r] if "places" in wanted else []
    ward_fc = _ward_collection(wards, simplify_tolerance) if "wards" in wanted else None

    fmap = folium.Map(location=list(center), zoom_start=zoom, tiles=None, control_scale=True)
    fmap._id = "heritage"
    fmap.options["max_zoom"] = MAX_ZOOM  # markercluster needs it even with no tile layer
    if embed:
        fmap.options["scroll_wheel_zoom"] = False  # don't trap the portal page's scrolling
    fmap.default_js = []  # our own <script defer> tags are written below
    fmap.default_css = [(name, static(path)) for name, path in VENDOR_CSS]
    if tiles_url:
        tiles = folium.TileLayer(
            tiles=tiles_url,
            attr=attribution or " ",
            name="Bản đồ nền",
            max_zoom=MAX_ZOOM,
            control=False,
        )
        tiles._id = "base"
        tiles.add_to(fmap)

    labels = {
        "rankings": RANKING_SHORT_LABELS,
        "types": RELIC_TYPE_SHORT_LABELS,
        "page": "Xem trang",
        "tour": "Tham quan 360°",
        "failed": "Không tải được các điểm trên bản đồ; hãy tải lại trang.",
    }
    if untranslated_label:
        labels["untranslated"] = untranslated_label
    # With feeds the map frames what they bring, once loaded (``bounds`` first, if given).
    options = {"embed": embed, "fit": bool(feeds)}

    class _Data(MacroElement):
        _template = Template(
            "{% macro script(this, kwargs) %}"
            "{{ this.call }}({{ this._parent.get_name() }}, {{ this.payload }});"
            "{% endmacro %}"
        )

        def __init__(self, call: str, payload: str) -> None:
            super().__init__()
            self._name = "HeritageData"
            self.call = call
            self.payload = payload

    groups: list[Any] = []
    # One cluster for relics and places, each layer a sub-group of it that the layer control
    # switches: nearby points of either layer join one cluster instead of overlapping, so no
    # marker hides another one's touch target.
    cluster = MarkerCluster(control=False)
    cluster._id = "points"
    cluster.default_js, cluster.default_css = [], []
    for layer, rows, kind in (("relics", relic_rows, "relic"), ("places", place_rows, "place")):
        if layer not in wanted:
            continue
        sub = FeatureGroupSubGroup(cluster, name=LAYER_TITLES[layer], show=True)
        sub._id = layer
        sub.default_js, sub.default_css = [], []
        feed = safe_path((feeds or {}).get(layer))
        if feed:
            # The map's JS name (folium's, a plain identifier) and the feed, in place of rows.
            args = [fmap.get_name(), script_json(feed), script_json(kind), script_json(labels)]
            data = _Data("HeritageMap.loadPoints", ", ".join([*args, script_json(options)]))
        else:
            payload = ", ".join([script_json(rows), script_json(kind), script_json(labels)])
            data = _Data("HeritageMap.addPoints", payload + ", " + script_json(options))
        data._id = layer
        sub.add_child(data)
        groups.append(sub)
    if groups:
        cluster.add_to(fmap)
    ward_feed = safe_path((feeds or {}).get("wards")) if "wards" in wanted else None
    if ward_feed:
        group = folium.FeatureGroup(name=LAYER_TITLES["wards"], show=True)
        group._id = "wards"
        args = [fmap.get_name(), script_json(ward_feed), script_json("ward"), script_json(labels)]
        data = _Data("HeritageMap.loadPoints", ", ".join([*args, script_json(options)]))
        data._id = "wards"
        group.add_child(data)
        groups.insert(0, group)  # under the markers
    elif ward_fc is not None:
        group = folium.FeatureGroup(name=LAYER_TITLES["wards"], show=True)
        group._id = "wards"
        data = _Data("HeritageMap.addWards", script_json(ward_fc))
        data._id = "wards"
        group.add_child(data)
        groups.insert(0, group)  # under the markers
    for group in groups:
        group.add_to(fmap)
    if groups:
        control = folium.LayerControl(collapsed=embed)
        control._id = "layers"
        control.add_to(fmap)
    if "relics" in wanted:
        legend = _Data("HeritageMap.legend", script_json(labels))
        legend._id = "legend"
        fmap.add_child(legend)

    if bounds is None:
        bounds = collection_bounds(
            [*relic_rows, *place_rows, *(_ward_items(ward_fc) if ward_fc else [])]
        )
    if bounds is not None:
        west, south, east, north = bounds
        fmap.fit_bounds([[south, west], [north, east]], max_zoom=17)

    figure = fmap.get_root()
    figure.render()
    head = figure.header.render()
    body = figure.html.render()
    script = figure.script.render()
    head = _strip_viewport(head)
    scripts = "\n".join(
        f'<script defer src="{html.escape(static(path))}"></script>' for _, path in VENDOR_JS
    )
    classes = "hm-map" + ("" if tiles_url else " hm-nobase")
    body = body.replace('class="folium-map"', f'class="folium-map {classes}"')
    # Deferred scripts run before DOMContentLoaded, so Leaflet is there when the map starts.
    script = f"document.addEventListener('DOMContentLoaded', function () {{\n{script}\n}});"
    return with_nonce(MapParts(head=head + "\n" + scripts, body=body, script=script), nonce)


def with_nonce(parts: MapParts, nonce: str | None) -> MapParts:
    """The parts with the page's CSP nonce on the inline <style> and <script> of their head."""
    if not nonce:
        return parts
    attr = f' nonce="{html.escape(nonce)}"'
    head = parts.head.replace("<style>", f"<style{attr}>").replace("<script>", f"<script{attr}>")
    return MapParts(head=head, body=parts.body, script=parts.script)


def _ward_items(collection: Mapping[str, Any]) -> list[dict[str, Any]]:
    return [{"geometry": feature["geometry"]} for feature in collection["features"]]


def _strip_viewport(head: str) -> str:
    # folium's viewport forbids zooming the page (user-scalable=no), which hurts accessibility.
    return re.sub(r"<meta name=\"viewport\"[^>]*>", "", head, flags=re.S)


def build_map(
    relics: Sequence[Mapping[str, Any]],
    places: Sequence[Mapping[str, Any]],
    wards: Sequence[Mapping[str, Any]],
    *,
    title: str = "Bản đồ di sản",
    nonce: str | None = None,
    **options: Any,
) -> str:
    """A complete HTML page with the map (see build_map_parts for the options)."""
    parts = build_map_parts(relics, places, wards, nonce=nonce, **options)
    nonce_attr = f' nonce="{html.escape(nonce)}"' if nonce else ""
    return (
        '<!DOCTYPE html>\n<html lang="vi">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{html.escape(title)}</title>\n{parts.head}\n"
        f"<style{nonce_attr}>html, body {{ height: 100%; margin: 0; }}</style>\n</head>\n"
        f"<body>\n{parts.body}\n<script{nonce_attr}>\n{parts.script}\n</script>\n</body>\n</html>\n"
    )
