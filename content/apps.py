from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ContentConfig(AppConfig):
    name = "content"
    verbose_name = _("Nội dung di sản")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from content import signal_handlers

        signal_handlers.register()
