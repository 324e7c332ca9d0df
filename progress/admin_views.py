"""Việc số hóa còn thiếu: the full list (by ward, by relic, each gap a link to its fix) and
its export. Ward editors see their ward, reviewers the district (progress.facts.relics_for)."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView, View
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from heritage_site.branding import admin_brand
from progress.checklist import (
    Gap,
    RelicFacts,
    gaps,
    report_lines,
    totals,
    ward_rows,
)
from progress.export import write_csv, write_xlsx
from progress.facts import collect, relics_for, wards_for

PER_PAGE = 100
GROUP_LABELS = {"narration": _("Chưa có thuyết minh"), "translation": _("Chưa dịch sang")}


def fix_url(gap: Gap, relic_id: int) -> str:
    """The screen where staff fix this gap."""
    match gap.fix:
        case "panorama":
            return f"{reverse('media_pipeline_panorama:add')}?relic={relic_id}"
        case "narration":
            add = reverse("wagtailsnippets_content_narration:add")
            return f"{add}?relic={relic_id}&language={gap.language}"
        case "translate":
            return reverse("wagtail_localize:submit_page_translation", args=[relic_id])
        case "plaque":
            return reverse("media_pipeline_qr:page", args=[relic_id])
        case _:
            return reverse("wagtailadmin_pages:edit", args=[relic_id])


@dataclass
class GapLine:
    label: str
    links: list[tuple[str, str]]  # (text, url)
    grouped: bool = False  # one line for several languages, a link for each


FIX_LABELS = {
    "edit": _("Sửa"),
    "panorama": _("Thêm ảnh 360°"),
    "plaque": _("Mã QR và biển"),
}
# What the user needs to follow a fix's link (editing pages is given: the list has only those).
FIX_PERMISSIONS = {
    "panorama": "media_pipeline.add_panorama",
    "narration": "content.add_narration",
    "translate": "wagtail_localize.submit_translation",
}


def gap_lines(relic: RelicFacts, languages, user) -> list[GapLine]:
    """The relic's gaps for the page: one line each, languages gathered on one line; a gap the
    user may not fix (a ward editor and panoramas, say) is listed without a link."""
    names = dict(languages)
    allowed = {fix: user.has_perm(perm) for fix, perm in FIX_PERMISSIONS.items()}
    lines: list[GapLine] = []
    by_language: dict[str, GapLine] = {}
    for gap in gaps(relic, languages):
        url = fix_url(gap, relic.id) if allowed.get(gap.fix, True) else ""
        if not gap.language:
            lines.append(GapLine(gap.label, [(str(FIX_LABELS.get(gap.fix, _("Sửa"))), url)]))
            continue
        if gap.key not in by_language:
            by_language[gap.key] = GapLine(str(GROUP_LABELS[gap.key]), [], grouped=True)
            lines.append(by_language[gap.key])
        by_language[gap.key].links.append((names[gap.language], url))
    return lines


class ScopeMixin:
    """The user's relics (optionally one ward's, from ?ward=) and their facts."""

    def load(self, request):
        self.wards = wards_for(request.user)
        ward = request.GET.get("ward", "")
        self.ward = next((w for w in self.wards if str(w.pk) == ward), None)
        if self.ward is None and len(self.wards) == 1:
            self.ward = self.wards[0]  # a ward's editors: their ward, named in the title
        self.languages = list(settings.LANGUAGES)
        self.facts = collect(relics_for(request.user, self.ward.pk if self.ward else None))
        self.totals = totals(self.facts, self.languages)

    def title(self) -> str:
        brand = admin_brand(self.request)
        where = self.ward.title if self.ward else brand.name
        return f"Tiến độ số hóa di tích – {where} – {timezone.localdate():%d/%m/%Y}"


class TodoView(ScopeMixin, WagtailAdminTemplateMixin, TemplateView):
    template_name = "progress/admin/todo.html"
    page_title = _("Việc số hóa còn thiếu")
    header_icon = "tasks"

    def get(self, request, *args, **kwargs):
        self.load(request)
        return super().get(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"url": "", "label": self.get_page_title()}]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        page = Paginator(self.facts, PER_PAGE).get_page(self.request.GET.get("p"))
        query = f"?ward={self.ward.pk}" if self.ward else ""
        context.update(
            wards=self.wards,
            ward=self.ward,
            totals=self.totals,
            report=report_lines(self.totals),
            report_title=self.title(),
            ward_rows=ward_rows(self.facts, self.languages),
            page=page,
            relics=[(r, gap_lines(r, self.languages, self.request.user)) for r in page.object_list],
            xlsx_url=reverse("progress:export", args=["xlsx"]) + query,
            csv_url=reverse("progress:export", args=["csv"]) + query,
            ward_query=query,
        )
        return context


class TodoExportView(ScopeMixin, View):
    """The same list as a spreadsheet: XLSX (summary, wards, relics) or CSV (relics)."""

    def get(self, request, fmt: str):
        if fmt not in ("xlsx", "csv"):
            raise Http404
        self.load(request)
        base = settings.WAGTAILADMIN_BASE_URL.rstrip("/")

        def link(relic: RelicFacts) -> str:
            return base + reverse("wagtailadmin_pages:edit", args=[relic.id])

        if fmt == "csv":
            data = write_csv(self.facts, self.languages, link)
            content_type = "text/csv; charset=utf-8"
        else:
            wards = ward_rows(self.facts, self.languages)
            data = write_xlsx(self.facts, self.languages, self.totals, wards, link, self.title())
            content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        response = HttpResponse(data, content_type=content_type)
        name = f"viec-so-hoa-{timezone.localdate():%Y%m%d}.{fmt}"
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response
