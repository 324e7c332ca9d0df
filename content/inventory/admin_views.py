"""Admin screens "Nhập/xuất kiểm kê": upload → preview → confirm → result; template; exports.

Who may use them: superusers, and users with the publish permission somewhere in the page tree
(the district's reviewers). Each row is still checked against the importer's rights on its ward.
"""

from __future__ import annotations

import datetime as dt
import os
import tempfile
from pathlib import Path

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST
from wagtail.admin.auth import permission_denied

from content.inventory.charsets import ENCODING_CHOICES
from content.inventory.columns import LAYOUTS, RecordKind
from content.inventory.issues import too_large_message
from content.inventory.readers import MAX_FILE_BYTES
from content.text import vietnamese_slugify

MAX_IMAGES_ZIP_BYTES = getattr(settings, "INVENTORY_MAX_IMAGES_ZIP_BYTES", 2 * 1024**3)
ITEMS_PER_PAGE = 200
SHOW_CHOICES = {
    "problems": ("Lỗi và cảnh báo", lambda i: i[3] == "error" or i[5]),
    "changes": ("Tạo mới, cập nhật", lambda i: i[3] in ("create", "update")),
    "all": ("Tất cả các dòng", lambda i: True),
}


def can_manage_inventory(user) -> bool:
    if not (user.is_authenticated and user.is_active):
        return False
    if user.is_superuser:
        return True
    from wagtail.permissions import page_permission_policy

    return page_permission_policy.user_has_permission(user, "publish")


def inventory_view(view):
    def wrapped(request, *args, **kwargs):
        if not can_manage_inventory(request.user):
            return permission_denied(request)
        return view(request, *args, **kwargs)

    wrapped.__name__ = view.__name__
    wrapped.__doc__ = view.__doc__
    return wrapped


class UploadForm(forms.Form):
    file = forms.FileField(
        label=_("Tệp bảng tính"),
        help_text=_("Tệp .xlsx, .xls hoặc .csv theo tệp mẫu, lớn nhất 25 MB."),
    )
    images = forms.FileField(
        label=_("Tệp ZIP ảnh (không bắt buộc)"),
        required=False,
        help_text=_("Các ảnh có tên ghi trong cột “Ảnh”."),
    )
    kind = forms.ChoiceField(
        label=_("Loại bản ghi"),
        required=False,
        choices=[
            ("", _("Tự nhận theo tên trang / cột")),
            *((k.value, LAYOUTS[k].label) for k in RecordKind),
        ],
    )
    encoding = forms.ChoiceField(
        label=_("Bảng mã (tệp CSV)"),
        required=False,
        choices=[("", _("Tự nhận")), *ENCODING_CHOICES.items()],
    )
    mode = forms.ChoiceField(
        label=_("Cách nhập"),
        choices=[
            ("all_or_nothing", _("Tất cả hoặc không: một dòng lỗi thì không nhập dòng nào")),
            ("good_rows", _("Chỉ nhập các dòng đúng, nhận lại tệp các dòng lỗi")),
        ],
        initial="all_or_nothing",
        widget=forms.RadioSelect,
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_FILE_BYTES:
            raise forms.ValidationError(too_large_message(upload.size, MAX_FILE_BYTES))
        if upload.size == 0:
            raise forms.ValidationError("Tệp rỗng (0 byte).")
        return upload

    def clean_images(self):
        upload = self.cleaned_data.get("images")
        if upload and upload.size > MAX_IMAGES_ZIP_BYTES:
            raise forms.ValidationError(too_large_message(upload.size, MAX_IMAGES_ZIP_BYTES))
        return upload


@inventory_view
def index(request):
    """Upload form, template, exports and the latest imports."""
    from content.inventory.jobs import create_import
    from content.inventory.tasks import start_preview
    from content.models import InventoryImport

    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        job, data_bytes = create_import(
            data["file"],
            user=request.user,
            images=data.get("images"),
            kind=data["kind"],
            encoding=data["encoding"],
            mode=data["mode"],
        )
        if data_bytes is not None:
            start_preview(job, data_bytes)
        return redirect("content_inventory:detail", job.pk)
    exports = [(k.value, LAYOUTS[k].label) for k in RecordKind]
    return render(
        request,
        "content/admin/inventory_index.html",
        {
            "page_title": "Nhập/xuất kiểm kê",
            "header_icon": "table",
            "form": form,
            "exports": exports,
            "imports": InventoryImport.objects.select_related("created_by")[:20],
        },
    )


@inventory_view
def detail(request, pk: int):
    """Preview (before confirm), progress (while running) or result (after)."""
    from content.inventory.jobs import can_confirm, kind_label
    from content.models import InventoryImport

    job = get_object_or_404(InventoryImport, pk=pk)
    has_errors = job.preview.get("counts", {}).get("error")
    show = request.GET.get("show", "problems" if has_errors else "changes")
    if show not in SHOW_CHOICES:
        show = "all"
    keep = SHOW_CHOICES[show][1]
    items = [i for i in job.preview.get("items", []) if keep(i)]
    page = Paginator(items, ITEMS_PER_PAGE).get_page(request.GET.get("p"))
    rows = [
        {
            "sheet": kind_label(i[0]),
            "row": i[1],
            "key": i[2],
            "action": i[3],
            "reason": i[4],
            "warnings": i[5],
        }
        for i in page
    ]
    return render(
        request,
        "content/admin/inventory_detail.html",
        {
            "page_title": f"Nhập kiểm kê: {job.original_name}",
            "header_icon": "table",
            "job": job,
            "rows": rows,
            "page": page,
            "show": show,
            "show_choices": [(k, v[0]) for k, v in SHOW_CHOICES.items()],
            "can_confirm": can_confirm(job),
            "refresh": job.status in (job.Status.CHECKING, job.Status.QUEUED, job.Status.RUNNING),
        },
    )


@require_POST
@inventory_view
def retry(request, pk: int):
    """ "Thử lại" after a failure: check the kept file again, or import it again."""
    from content.inventory.tasks import retry as retry_job
    from content.models import InventoryImport

    job = get_object_or_404(InventoryImport, pk=pk)
    if job.status != job.Status.FAILED:
        messages.error(request, "Chỉ chạy lại được lần nhập bị lỗi hệ thống.")
        return redirect("content_inventory:detail", job.pk)
    retry_job(job)
    messages.info(request, "Đã đưa vào hàng đợi xử lý lại; trang này tự cập nhật.")
    return redirect("content_inventory:detail", job.pk)


@require_POST
@inventory_view
def confirm(request, pk: int):
    from content.inventory.jobs import can_confirm
    from content.inventory.tasks import confirm_import
    from content.models import InventoryImport

    job = get_object_or_404(InventoryImport, pk=pk)
    if not can_confirm(job):
        messages.error(request, "Lần tải lên này không nhập được (đã nhập, hoặc có lỗi).")
        return redirect("content_inventory:detail", job.pk)
    confirm_import(job)
    job.refresh_from_db()
    if job.status == job.Status.DONE:
        messages.success(request, "Đã nhập xong. " + job.result.get("summary", ""))
    elif job.status in (job.Status.QUEUED, job.Status.RUNNING):
        messages.info(request, "Tệp lớn: đang nhập trong nền, trang này tự cập nhật.")
    else:
        messages.error(request, job.message or "Không nhập được.")
    return redirect("content_inventory:detail", job.pk)


@inventory_view
def rejects(request, pk: int):
    from content.models import InventoryImport

    job = get_object_or_404(InventoryImport, pk=pk)
    if not job.rejects:
        raise Http404
    name = Path(job.rejects.name).name
    return FileResponse(job.rejects.open("rb"), as_attachment=True, filename=name)


def _temp_download(build, filename: str) -> FileResponse:
    """Write a workbook to a temporary file, then stream it (the file goes once opened)."""
    fd, tmp = tempfile.mkstemp(suffix=".xlsx")
    os.close(fd)
    try:
        build(Path(tmp))
        handle = open(tmp, "rb")  # FileResponse closes it
    finally:
        os.unlink(tmp)
    return FileResponse(handle, as_attachment=True, filename=filename)


@inventory_view
def template(request):
    from content.inventory.export import save_template

    return _temp_download(save_template, "mau-kiem-ke.xlsx")


@inventory_view
def export(request, kind: str, fmt: str):
    """Every record of a kind (or all kinds, XLSX) in the import layout, streamed."""
    from content.inventory.django_records import records
    from content.inventory.export import iter_csv
    from content.inventory.service import export_xlsx

    kinds = list(RecordKind) if kind == "all" else [RecordKind(kind)]
    label = "kiem-ke" if kind == "all" else vietnamese_slugify(LAYOUTS[kinds[0]].label)
    filename = f"{label}-{dt.date.today():%Y-%m-%d}.{fmt}"
    if fmt == "xlsx":
        return _temp_download(lambda p: export_xlsx(p, kinds), filename)
    if kind == "all":
        raise Http404
    response = StreamingHttpResponse(
        iter_csv(LAYOUTS[kinds[0]], records(kinds[0])), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
