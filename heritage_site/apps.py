from django.apps import AppConfig


class HeritageSiteConfig(AppConfig):
    name = "heritage_site"
    verbose_name = "Di sản số"
