from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MediaPipelineConfig(AppConfig):
    name = "media_pipeline"
    verbose_name = _("Ảnh 360° và biển QR")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from media_pipeline.iiif import signal_handlers as iiif_signal_handlers
        from media_pipeline.qr import signal_handlers

        signal_handlers.register()
        iiif_signal_handlers.register()
