from django.urls import path

from media_pipeline.iiif import views

urlpatterns = [
    path("iiif/<int:relic_id>/manifest.json", views.manifest, name="iiif_manifest"),
]
