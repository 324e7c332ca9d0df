"""Map pages (under the language prefix) and the geo/IOC feeds (one URL for every language)."""

from django.urls import path

from maps import feeds, ogc_views, views

page_urlpatterns = [
    path("map/", views.map_page, name="heritage_map"),
    path("map/embed/", views.embed_page, name="heritage_map_embed"),
]

api_urlpatterns = [
    path("api/geo/relics.geojson", feeds.relics_geojson, name="geo_relics"),
    path("api/geo/places.geojson", feeds.places_geojson, name="geo_places"),
    path("api/geo/wards.geojson", feeds.wards_geojson, name="geo_wards"),
    # One landing URL, with the slash; the links of every document are absolute.
    path("api/ogc", ogc_views.landing_redirect),
    path("api/ogc/", ogc_views.landing, name="ogc_landing"),
    path("api/ogc/api", ogc_views.api_definition, name="ogc_api"),
    path("api/ogc/docs", ogc_views.service_doc, name="ogc_docs"),
    path("api/ogc/conformance", ogc_views.conformance, name="ogc_conformance"),
    path("api/ogc/collections", ogc_views.collections, name="ogc_collections"),
    path("api/ogc/collections/<str:collection_id>", ogc_views.collection, name="ogc_collection"),
    path(
        "api/ogc/collections/<str:collection_id>/queryables",
        ogc_views.queryables,
        name="ogc_queryables",
    ),
    path("api/ogc/collections/<str:collection_id>/items", ogc_views.items, name="ogc_items"),
    path(
        "api/ogc/collections/<str:collection_id>/items/<str:feature_id>",
        ogc_views.item,
        name="ogc_item",
    ),
    path("api/ioc/stats.json", feeds.ioc_stats, name="ioc_stats"),
]
