"""Admin: "Nhập dữ liệu bản đồ" — upload, read the dry-run report, confirm the import."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _

from content.uploads import rename_upload
from maps.crs import ACCEPTED_CRS
from maps.georead import MAX_FILE_BYTES
from maps.importer import check_file, report_json
from maps.models import GeoImport
from maps.tasks import queue_geo_import

PERMISSION = "maps.add_geoimport"
# Stored extensions by content (content.uploads): text is CSV, JSON is GeoJSON.
GEODATA_KINDS = {"json": "geojson", "zip": "zip", "txt": "csv"}


class UploadForm(forms.Form):
    file = forms.FileField(
        label=_("Tệp dữ liệu"),
        help_text=_("GeoJSON, Shapefile nén .zip (.shp, .shx, .dbf, .prj) hoặc CSV; tối đa 50 MB."),
    )
    kind = forms.ChoiceField(label=_("Loại dữ liệu"), choices=GeoImport.Kind.choices)
    crs = forms.ChoiceField(
        label=_("Hệ tọa độ"),
        required=False,
        help_text=_("Dùng khi tệp không ghi hệ tọa độ (CSV, Shapefile thiếu .prj)."),
    )
    skip_bad_rows = forms.BooleanField(
        label=_("Bỏ qua các dòng lỗi"),
        required=False,
        help_text=_("Nếu không chọn, chỉ cần một dòng lỗi là không nhập gì."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["crs"].choices = [("", _("Theo tệp (tệp có ghi hệ tọa độ)"))] + [
            (f"EPSG:{code}", f"EPSG:{code} — {label}") for code, label in ACCEPTED_CRS.items()
        ]

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_FILE_BYTES:
            raise forms.ValidationError(_("Tệp lớn hơn 50 MB."))
        return upload


class ConfirmForm(forms.Form):
    skip_bad_rows = forms.BooleanField(label=_("Bỏ qua các dòng lỗi"), required=False)


def _check_permission(request):
    if not request.user.has_perm(PERMISSION):
        raise PermissionDenied


def upload(request):
    """The upload form; a valid upload is kept and checked (dry run), nothing imported yet."""
    _check_permission(request)
    posted = request.method == "POST"
    form = UploadForm(request.POST if posted else None, request.FILES if posted else None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        upload = data["file"]
        geo_import = GeoImport(
            original_name=upload.name[:255],
            kind=data["kind"],
            crs=data["crs"],
            skip_bad_rows=data["skip_bad_rows"],
            created_by=request.user,
        )
        # Checked before anything is stored: a refused file is not kept, only its report.
        upload.seek(0)
        report = check_file(
            upload, kind=geo_import.kind, crs=data["crs"] or None, filename=upload.name
        )
        geo_import.report = report_json(report, geo_import.skip_bad_rows)
        if not report.errors:
            rename_upload(upload, allowed=GEODATA_KINDS)
            geo_import.file = upload
        geo_import.save()
        return redirect("maps_import:detail", geo_import.pk)
    recent = GeoImport.objects.select_related("created_by")[:10]
    return TemplateResponse(
        request, "maps/admin/import_upload.html", {"form": form, "recent": recent}
    )


def detail(request, pk: int):
    """The dry-run report, row by row; confirming runs the import as a background task."""
    _check_permission(request)
    geo_import = get_object_or_404(GeoImport, pk=pk)
    report = geo_import.report or {}
    can_confirm = geo_import.status == GeoImport.Status.CHECKED and not report.get("errors")
    posted = request.POST if request.method == "POST" else None
    form = ConfirmForm(posted, initial={"skip_bad_rows": geo_import.skip_bad_rows})
    if request.method == "POST" and can_confirm and form.is_valid():
        skip = form.cleaned_data["skip_bad_rows"]
        if not report.get("ok") and not skip:
            messages.error(
                request,
                _("Tệp có dòng lỗi: sửa tệp rồi tải lên lại, hoặc chọn “Bỏ qua các dòng lỗi”."),
            )
            return redirect("maps_import:detail", geo_import.pk)
        else:
            geo_import.skip_bad_rows = skip
            geo_import.save(update_fields=["skip_bad_rows"])
            queue_geo_import(geo_import, request.user.pk)
            return redirect("maps_import:detail", geo_import.pk)
    bad_rows = [row for row in report.get("rows", []) if row["action"] == "skip"]
    return TemplateResponse(
        request,
        "maps/admin/import_detail.html",
        {
            "geo_import": geo_import,
            "report": report,
            "bad_rows": bad_rows,
            "form": form,
            "can_confirm": can_confirm,
            "running": geo_import.status == GeoImport.Status.RUNNING,
            "failed": geo_import.status == GeoImport.Status.FAILED,
        },
    )


def retry(request, pk: int):
    """ "Thử lại" on a failed import: the kept file is checked and imported again."""
    _check_permission(request)
    geo_import = get_object_or_404(GeoImport, pk=pk)
    if request.method == "POST" and geo_import.status == GeoImport.Status.FAILED:
        queue_geo_import(geo_import, request.user.pk)
        messages.info(request, _("Đã đưa vào hàng đợi nhập lại."))
    return redirect("maps_import:detail", geo_import.pk)
