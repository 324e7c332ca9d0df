from django.urls import path

from media_pipeline.panoramas import views

urlpatterns = [
    path("", views.gallery, name="panorama_gallery"),
    path("embed/", views.gallery_embed, name="panorama_gallery_embed"),
    path("tour/<int:pk>/embed/", views.tour_embed, name="panorama_tour_embed"),
]
