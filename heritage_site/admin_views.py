"""Staff screens of the project itself: the Vietnamese editor's guide, read from docs/."""

import re
from functools import lru_cache
from pathlib import Path

from django.conf import settings
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

GUIDE = Path(settings.BASE_DIR) / "docs" / "huong-dan-bien-tap.md"


@lru_cache(maxsize=4)
def _render(path: Path, mtime: float) -> str:
    from markdown_it import MarkdownIt

    # The guide is ours, but raw HTML stays off all the same: Markdown only, escaped text.
    html = MarkdownIt("commonmark", {"html": False}).render(path.read_text(encoding="utf-8"))
    # Its "# title" is the admin header's, already shown above the text.
    return re.sub(r"\A<h1>.*?</h1>\n", "", html)


def guide_html(path: Path = GUIDE) -> str:
    """The guide as HTML, rendered again only when the file changes."""
    return _render(path, path.stat().st_mtime)


class EditorGuideView(WagtailAdminTemplateMixin, TemplateView):
    """Hướng dẫn biên tập: how to add a relic, inscriptions, artifacts, 360°, narration, plaques."""

    template_name = "heritage_site/admin/guide.html"
    page_title = _("Hướng dẫn biên tập")
    header_icon = "help"

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"url": "", "label": self.get_page_title()}]

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "guide": mark_safe(guide_html())}
