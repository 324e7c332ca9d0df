"""Panoramas in the Wagtail admin ("Ảnh 360°") and on relic pages (the tour viewer)."""

from django.utils.text import slugify
from wagtail import hooks
from wagtail.snippets.models import register_snippet

from media_pipeline.panoramas.admin_views import PanoramaViewSet

register_snippet(PanoramaViewSet)

RELIC_SECTION_TEMPLATE = "media_pipeline/panoramas/includes/relic_section.html"


@hooks.register("construct_relic_page_context")
def add_relic_tour(page, context: dict) -> None:
    """The relic's published panoramas and the template that shows them, for content's page."""
    from media_pipeline.panoramas.models import Panorama
    from media_pipeline.panoramas.viewer import relic_tour

    shown = {f"di-van-{i.pk}" for i in context.get("inscriptions", [])}
    shown |= {f"hien-vat-{slugify(a.inventory_number)}" for a in context.get("artifacts", [])}
    context.update(relic_tour(page, Panorama.objects.published(), shown))
    if context["pano_scenes"]:
        context["pano_section_template"] = RELIC_SECTION_TEMPLATE
