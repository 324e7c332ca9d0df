from django.apps import AppConfig


class HeritageSiteConfig(AppConfig):
    name = "heritage_site"
    verbose_name = "Di sản số"

    def ready(self):
        from heritage_site.admin_labels import label_wagtail_forms
        from heritage_site.branding import link_our_guide

        label_wagtail_forms()
        link_our_guide()

        from heritage_site.memo import connect_request_memo
        from heritage_site.page_cache import connect_invalidation

        connect_invalidation()
        connect_request_memo()
