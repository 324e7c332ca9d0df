from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FeedbackConfig(AppConfig):
    """Visitors' ratings, comments and reports of what is broken, and the staff dashboard."""

    name = "feedback"
    verbose_name = _("Phản hồi của khách")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from feedback import signal_handlers

        signal_handlers.register()
