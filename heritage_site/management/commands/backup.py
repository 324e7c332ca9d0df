from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone


class Command(BaseCommand):
    help = (
        "Sao lưu toàn bộ nội dung vào một tệp .tar (hoặc .tar.gz): dữ liệu dạng JSON, tệp media "
        "và mã kiểm tra SHA-256 của từng tệp. Ghi vào tên tạm rồi đổi tên: không bao giờ dở dang."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--out",
            type=Path,
            help="Tệp sao lưu (mặc định: var/backups/di-san-so-<ngày giờ>.tar).",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Chỉ báo sẽ ghi vào đâu, không ghi."
        )

    def handle(self, *args, out=None, dry_run=False, **options):
        from django.conf import settings

        from heritage_site.backup import BackupError, write_backup

        if out is None:
            folder = Path(settings.BASE_DIR) / "var" / "backups"
            out = folder / f"di-san-so-{timezone.localtime():%Y%m%d-%H%M%S}.tar"
            if not dry_run:
                folder.mkdir(parents=True, exist_ok=True)
        if dry_run:
            self.stdout.write(f"Sẽ sao lưu vào {out}.")
            return
        try:
            summary = write_backup(out)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        size = f"{summary.size / (1024 * 1024):.1f}".replace(".", ",")
        self.stdout.write(
            self.style.SUCCESS(
                f"Đã sao lưu {summary.objects} bản ghi và {summary.media_files} tệp media "
                f"vào {summary.path} ({size} MB)."
            )
        )
