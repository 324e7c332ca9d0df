from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from content.inventory.columns import RecordKind


class Command(BaseCommand):
    help = (
        "Xuất di tích, hiện vật, di văn ra .csv hoặc .xlsx theo bố cục cột khi nhập "
        "(chống công thức; tệp xuất nhập lại không thay đổi gì)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--kind", choices=[*(k.value for k in RecordKind), "all"], default="all"
        )
        parser.add_argument("--format", choices=["csv", "xlsx"], default="xlsx")
        parser.add_argument("--out", type=Path, required=True, help="Tệp ghi ra.")
        parser.add_argument(
            "--dry-run", action="store_true", help="Chỉ đếm số bản ghi, không ghi tệp."
        )

    def handle(self, *args, kind, format, out, dry_run=False, **options):
        from content.inventory.django_records import records
        from content.inventory.export import atomic_path
        from content.inventory.service import export_csv, export_xlsx

        kinds = list(RecordKind) if kind == "all" else [RecordKind(kind)]
        if format == "csv" and len(kinds) > 1:
            raise CommandError("Tệp CSV chỉ chứa một loại bản ghi: hãy chọn --kind.")
        if dry_run:
            for k in kinds:
                self.stdout.write(f"{k.value}: {sum(1 for _ in records(k))} bản ghi.")
            return
        if not out.parent.is_dir():
            raise CommandError(f"Không có thư mục {out.parent}.")
        if format == "xlsx":
            counts = export_xlsx(out, kinds)
        else:
            with atomic_path(out) as tmp, tmp.open("wb") as fh:
                counts = {kinds[0]: export_csv(kinds[0], fh)}
        summary = ", ".join(f"{k.value}: {n}" for k, n in counts.items())
        self.stdout.write(self.style.SUCCESS(f"Đã xuất {out} ({summary})."))
