"""Admin views for QR plaques ("Biển QR"): choose relics and download, follow a batch, look after
a page's codes and re-point one. Staff see the codes, history and plaques of the pages they may
edit (a ward's editors: their ward); re-pointing needs publish rights on both pages.
"""

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.generic import FormView, TemplateView, View
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.widgets import AdminPageChooser
from wagtail.models import Page

from content.models import RelicPage, WardPage
from media_pipeline.qr.codes import normalize_code
from media_pipeline.qr.models import PlaqueBatch, Purpose, ShortCode
from media_pipeline.qr.plaque_batches import (
    check_plaque_host,
    leave_out_unpublished,
    left_out_message,
    plaque_host,
    record_printed,
    single_plaque,
)
from media_pipeline.qr.plaques import SIZES, PlaqueError
from media_pipeline.qr.short_codes import assign_code, repoint_code, url_for_code
from media_pipeline.qr.tasks import make_plaques_task

Format = PlaqueBatch.Format
SIZE_CHOICES = [(s.key, s.label) for s in SIZES.values()]
DEFAULT_SIZE = "a5"


class PlaqueOptionsForm(forms.Form):
    size = forms.ChoiceField(label=_("Khổ biển"), choices=SIZE_CHOICES, initial=DEFAULT_SIZE)
    format = forms.ChoiceField(label=_("Định dạng"), choices=Format.choices, initial=Format.PDF)
    purpose = forms.ChoiceField(
        label=_("Loại biển"), choices=Purpose.choices, initial=Purpose.PAGE, required=False
    )


class PlaqueRequestForm(PlaqueOptionsForm):
    pages = forms.ModelMultipleChoiceField(
        label=_("Di tích"),
        queryset=RelicPage.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    everything = forms.BooleanField(label=_("Tất cả di tích trong danh sách"), required=False)
    include_unpublished = forms.BooleanField(
        label=_("Gồm cả di tích chưa xuất bản"),
        help_text=_("Biển của chúng sẽ báo “Tạm đóng cửa” cho đến khi di tích được xuất bản."),
        required=False,
    )

    def __init__(self, *args, relics, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["pages"].queryset = relics

    def clean(self):
        cleaned = super().clean()
        relics = self.fields["pages"].queryset
        asked = list(relics) if cleaned.get("everything") else list(cleaned.get("pages") or [])
        if not asked:
            raise forms.ValidationError(_("Hãy chọn ít nhất một di tích."))
        chosen, left_out = leave_out_unpublished(asked, cleaned.get("include_unpublished"))
        if not chosen:
            raise forms.ValidationError(
                _(
                    "Các di tích đã chọn đều chưa xuất bản: chưa tạo biển nào. Hãy xuất bản "
                    "chúng trước, hoặc chọn “Gồm cả di tích chưa xuất bản”."
                )
            )
        cleaned["chosen"], cleaned["left_out"] = chosen, left_out
        return cleaned


class QrAdminMixin(WagtailAdminTemplateMixin):
    header_icon = "grid"

    def get_breadcrumbs_items(self):
        items = [*self.breadcrumbs_items]
        if not isinstance(self, PlaquesView):
            items.append({"url": reverse("media_pipeline_qr:index"), "label": _("Biển QR")})
        return [*items, {"url": "", "label": self.get_page_title()}]


def editable_pages(user):
    """The pages whose codes and plaques ``user`` may see: those they may edit."""
    from wagtail.permissions import page_permission_policy

    return page_permission_policy.instances_user_has_permission_for(user, "change")


def check_can_edit(user, page: Page | None) -> None:
    """Codes and plaques follow the page's permissions; a code of a deleted page, superusers."""
    allowed = user.is_superuser if page is None else page.permissions_for_user(user).can_edit()
    if not allowed:
        raise PermissionDenied


def plaque_download(
    page: Page, size_key: str, fmt: str, user, purpose: str = Purpose.PAGE
) -> HttpResponse:
    """One page's plaque as an attachment; Vietnamese message instead of an error page."""
    name, content_type, data = single_plaque(
        page, SIZES[size_key], fmt, user, purpose or Purpose.PAGE
    )
    record_printed([page], size_key, fmt, user)
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


class PlaquesView(QrAdminMixin, FormView):
    """Choose relics (filter by ward), a size and a format; one relic downloads at once."""

    template_name = "media_pipeline/qr/admin/plaques.html"
    form_class = PlaqueRequestForm
    page_title = _("Biển QR")

    def dispatch(self, request, *args, **kwargs):
        wanted = request.GET.get("code")
        if wanted is not None:
            code = normalize_code(wanted)
            if code and ShortCode.objects.filter(code=code).exists():
                return redirect("media_pipeline_qr:code", code)
            messages.error(request, _("Không có mã QR “%(code)s”.") % {"code": wanted[:20]})
        self.wards = WardPage.objects.filter(locale__language_code=settings.LANGUAGE_CODE).order_by(
            "path"
        )
        ward_id = request.GET.get("ward", "")
        self.ward = self.wards.filter(pk=ward_id).first() if ward_id.isdigit() else None
        self.relics = RelicPage.objects.filter(
            locale__language_code=settings.LANGUAGE_CODE
        ).order_by("path")
        if self.ward:
            self.relics = self.relics.child_of(self.ward)
        if not request.user.is_superuser:
            self.relics = self.relics.filter(pk__in=editable_pages(request.user).values("pk"))
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "relics": self.relics}

    def form_valid(self, form):
        pages, data = form.cleaned_data["chosen"], form.cleaned_data
        try:
            check_plaque_host()  # before a batch is queued: nothing printed, nothing recorded
        except PlaqueError as exc:
            form.add_error(None, str(exc))
            return self.form_invalid(form)
        if data["left_out"]:
            messages.warning(
                self.request,
                left_out_message(data["left_out"], "đánh dấu “Gồm cả di tích chưa xuất bản”"),
            )
        if len(pages) == 1:
            try:
                return plaque_download(
                    pages[0], data["size"], data["format"], self.request.user, data["purpose"]
                )
            except PlaqueError as exc:
                form.add_error(None, str(exc))
                return self.form_invalid(form)
        batch = PlaqueBatch.objects.create(
            size=data["size"],
            format=data["format"],
            purpose=data["purpose"] or Purpose.PAGE,
            page_ids=[p.pk for p in pages],
            total=len(pages),
            created_by=self.request.user,
        )
        make_plaques_task.enqueue(batch.pk)
        return redirect("media_pipeline_qr:batch", batch.pk)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        codes = dict(
            ShortCode.objects.filter(page__in=self.relics, purpose=Purpose.PAGE)
            .order_by("-created_at", "-pk")
            .values_list("page_id", "code")
        )
        relics = list(self.relics)
        context.update(
            wards=self.wards,
            ward=self.ward,
            relic_rows=[(relic, codes.get(relic.pk)) for relic in relics],
            draft_count=sum(not relic.live for relic in relics),
            plaque_host=plaque_host(),
            batches=own_batches(self.request.user).select_related("created_by")[:10],
        )
        return context


def own_batches(user):
    """Batches hold other wards' plaques: staff see their own, superusers every one."""
    batches = PlaqueBatch.objects.all()
    return batches if user.is_superuser else batches.filter(created_by=user)


class BatchView(QrAdminMixin, TemplateView):
    """A batch's progress (the page refreshes itself while it runs) and its download."""

    template_name = "media_pipeline/qr/admin/batch.html"
    page_title = _("Đợt in biển QR")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["batch"] = get_object_or_404(
            own_batches(self.request.user), pk=self.kwargs["batch_id"]
        )
        return context


class BatchDownloadView(View):
    def get(self, request, batch_id):
        batch = get_object_or_404(
            own_batches(request.user), pk=batch_id, status=PlaqueBatch.Status.DONE
        )
        if not batch.file:
            raise Http404
        name = batch.file.name.rsplit("/", 1)[-1]
        return FileResponse(batch.file.open("rb"), as_attachment=True, filename=name)


class PageCodesView(QrAdminMixin, TemplateView):
    """A page's codes with their history and plaque downloads; POST gives it a code."""

    template_name = "media_pipeline/qr/admin/page_codes.html"

    def dispatch(self, request, *args, **kwargs):
        self.page = get_object_or_404(Page, pk=kwargs["page_id"]).specific
        check_can_edit(request.user, self.page)
        return super().dispatch(request, *args, **kwargs)

    def get_page_title(self):
        return _("Mã QR: %(title)s") % {"title": self.page.get_admin_display_title()}

    def post(self, request, page_id):
        if not self.page.permissions_for_user(request.user).can_edit():
            raise PermissionDenied
        purpose = Purpose.RATING if request.POST.get("purpose") == Purpose.RATING else Purpose.PAGE
        short = assign_code(self.page, request.user, purpose)
        messages.success(request, _("Trang đã có mã QR %(code)s.") % {"code": short.code})
        return redirect("media_pipeline_qr:page", self.page.pk)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        codes = ShortCode.objects.filter(page__translation_key=self.page.translation_key)
        codes = list(codes.select_related("page"))
        host = plaque_host()
        context.update(
            page=self.page,
            codes=[(c, None if host.refused else url_for_code(c.code)) for c in codes],
            has_rating_code=any(c.purpose == Purpose.RATING for c in codes),
            options=PlaqueOptionsForm(),
            plaque_host=host,
            can_assign=self.page.permissions_for_user(self.request.user).can_edit(),
        )
        return context


class PagePlaqueView(View):
    """GET ?size=&format=: download this page's plaque at once."""

    def get(self, request, page_id):
        page = get_object_or_404(Page, pk=page_id).specific
        check_can_edit(request.user, page)
        form = PlaqueOptionsForm(request.GET)
        if not form.is_valid():
            messages.error(request, _("Khổ hoặc định dạng biển không hợp lệ."))
            return redirect("media_pipeline_qr:page", page.pk)
        try:
            data = form.cleaned_data
            return plaque_download(
                page, data["size"], data["format"], request.user, data["purpose"]
            )
        except PlaqueError as exc:
            messages.error(request, str(exc))
            return redirect("media_pipeline_qr:page", page.pk)


class RepointForm(forms.Form):
    page = forms.ModelChoiceField(
        label=_("Trang mới"), queryset=Page.objects.filter(depth__gt=1), widget=AdminPageChooser()
    )
    note = forms.CharField(label=_("Lý do"), max_length=255, required=False)


class CodeView(QrAdminMixin, FormView):
    """One code: where it points, its history, and re-pointing it to another page."""

    template_name = "media_pipeline/qr/admin/code.html"
    form_class = RepointForm

    def dispatch(self, request, *args, **kwargs):
        self.short = get_object_or_404(
            ShortCode.objects.select_related("page"), code=normalize_code(kwargs["code"]) or ""
        )
        check_can_edit(request.user, self.short.page and self.short.page.specific)
        return super().dispatch(request, *args, **kwargs)

    def get_page_title(self):
        return _("Mã QR %(code)s") % {"code": self.short.code}

    def form_valid(self, form):
        target = form.cleaned_data["page"].specific
        user = self.request.user
        pages = [target, *([self.short.page] if self.short.page else [])]
        if not all(p.permissions_for_user(user).can_publish() for p in pages):
            form.add_error(
                "page", _("Cần quyền xuất bản trên trang hiện tại và trang mới để chuyển mã.")
            )
            return self.form_invalid(form)
        repoint_code(self.short, target, user, form.cleaned_data["note"])
        messages.success(
            self.request,
            _("Mã %(code)s nay dẫn tới “%(title)s”.")
            % {"code": self.short.code, "title": target.title},
        )
        return redirect("media_pipeline_qr:code", self.short.code)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        host = plaque_host()
        context.update(
            short=self.short,
            url=url_for_code(self.short.code) if not host.refused else None,
            plaque_host=host,
            history=self.short.history.select_related("page", "changed_by").order_by(
                "-changed_at", "-pk"
            ),
        )
        return context
