"""import_geodata PATH --kind points|boundaries [--crs EPSG] [--dry-run] [--skip-bad-rows]"""

from pathlib import Path

from django.core.files import File
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from maps.importer import ImportRefused, apply_report, check_file, report_json
from maps.models import GeoImport


class Command(BaseCommand):
    help = (
        "Nhập tọa độ di tích (points) hoặc ranh giới phường/xã (boundaries) từ GeoJSON, "
        "Shapefile nén .zip hoặc CSV, hệ WGS84 hoặc VN-2000. Báo cáo từng dòng trước; nhập "
        "tất cả trong một giao dịch, hoặc không nhập gì."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path)
        parser.add_argument("--kind", choices=["points", "boundaries"], required=True)
        parser.add_argument(
            "--crs",
            help="hệ tọa độ khi tệp không ghi, ví dụ EPSG:9210 (VN-2000 TM-3 105°45′) hoặc 4326",
        )
        parser.add_argument("--dry-run", action="store_true", help="chỉ báo cáo, không ghi gì")
        parser.add_argument(
            "--skip-bad-rows", action="store_true", help="nhập các dòng tốt, bỏ qua dòng lỗi"
        )

    def handle(self, *args, path: Path, kind: str, crs, dry_run, skip_bad_rows, **options):
        if not path.is_file():
            raise CommandError(f"Không thấy tệp {path}.")
        report = check_file(path, kind=kind, crs=crs)
        self._print_report(report, skip_bad_rows)
        if dry_run:
            self.stdout.write("Chạy thử: chưa ghi gì.")
            return
        if report.errors:
            raise CommandError("Chưa nhập gì. " + " ".join(report.errors))
        if not report.ok and not skip_bad_rows:
            raise CommandError(
                "Chưa nhập gì. Sửa các dòng trên, hoặc chạy với --skip-bad-rows để bỏ qua chúng."
            )
        with path.open("rb") as handle, transaction.atomic():
            record = GeoImport(
                original_name=path.name,
                kind=kind,
                crs=crs or "",
                skip_bad_rows=skip_bad_rows,
                status=GeoImport.Status.RUNNING,
                report=report_json(report, skip_bad_rows),
            )
            record.file.save(path.name, File(handle), save=True)
            try:
                outcome = apply_report(report, skip_bad_rows=skip_bad_rows, source=record)
            except ImportRefused as exc:
                raise CommandError(str(exc)) from exc
            record.status = GeoImport.Status.DONE
            record.result = {"summary": outcome.summary()}
            record.finished_at = timezone.now()
            record.save()
        self.stdout.write(self.style.SUCCESS(outcome.summary()))

    def _print_report(self, report, skip_bad_rows: bool):
        self.stdout.write(report.summary(skip_bad_rows=skip_bad_rows))
        for row in report.rows:
            if row.blank:
                continue
            name = row.attributes.get("name", "")
            self.stdout.write(f"  {row.label:<12} {row.action:<7} {name} — {row.reason}")
