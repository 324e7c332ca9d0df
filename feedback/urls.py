from django.urls import path

from feedback import views

app_name = "feedback"
urlpatterns = [
    path("<int:page_id>/rating/", views.post_feedback, {"kind": "rating"}, name="rating"),
    path("<int:page_id>/report/", views.post_feedback, {"kind": "report"}, name="report"),
]
