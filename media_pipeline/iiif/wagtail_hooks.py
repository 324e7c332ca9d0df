"""Deep zoom in the admin (a status list) and on relic pages (the rubbing viewer's data)."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.ui.tables import Column, DateColumn
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from media_pipeline.admin_status import status_cell
from media_pipeline.iiif.models import IIIFTileSet


class IIIFTileSetViewSet(SnippetViewSet):
    model = IIIFTileSet
    icon = "image"
    menu_label = _("Ảnh phóng to (IIIF)")
    menu_name = "iiif"
    menu_order = 260
    add_to_admin_menu = True
    url_prefix = "iiif-tiles"
    admin_url_namespace = "media_pipeline_iiif"
    copy_view_enabled = False
    inspect_view_enabled = True
    list_display = [
        Column("image", label=_("Ảnh")),
        Column("status", label=_("Trạng thái"), accessor=status_cell),
        Column("tile_count", label=_("Số ô ảnh")),
        DateColumn("updated_at", label=_("Cập nhật"), sort_key="updated_at"),
    ]
    list_filter = ["status"]


register_snippet(IIIFTileSetViewSet)


@hooks.register("construct_relic_page_context")
def add_rubbing_zoom(page, context: dict) -> None:
    """Each rubbing with published tiles gets ``zoom_info`` (its info.json path), in one query."""
    inscriptions = context.get("inscriptions") or []
    ids = [i.rubbing_image_id for i in inscriptions if i.rubbing_image_id]
    if not ids:
        return
    tiled = {
        t.image_id: t for t in IIIFTileSet.objects.filter(image_id__in=ids).exclude(version="")
    }
    for ins in inscriptions:
        tiles = tiled.get(ins.rubbing_image_id)
        ins.zoom_info = tiles.info_path if tiles else ""
    if tiled:
        context["rubbing_zoom"] = True
        context["iiif_manifest_url"] = reverse("iiif_manifest", args=[page.pk])
