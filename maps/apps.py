from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MapsConfig(AppConfig):
    name = "maps"
    verbose_name = _("Bản đồ di sản")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from heritage_site.page_cache import generation_committed
        from maps.tasks import queue_warming

        generation_committed.connect(queue_warming, dispatch_uid="maps.warm")
