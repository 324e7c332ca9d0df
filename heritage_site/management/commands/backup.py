import tempfile
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone


class Command(BaseCommand):
    help = (
        "Sao lưu toàn bộ nội dung vào một tệp .tar (hoặc .tar.gz): dữ liệu dạng JSON, tệp media "
        "và mã kiểm tra SHA-256 của từng tệp. Ghi vào tên tạm rồi đổi tên: không bao giờ dở dang. "
        "Khi media nằm trong kho S3 (MEDIA_STORAGE=s3), mặc định ghi bản sao lưu vào kho đó, "
        "thư mục backups/."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--out",
            type=Path,
            help="Tệp sao lưu (mặc định: var/backups/di-san-so-<ngày giờ>.tar).",
        )
        parser.add_argument(
            "--to-storage",
            action="store_true",
            help="Ghi vào kho lưu trữ media (backups/…), không ghi ra đĩa máy này.",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Chỉ báo sẽ ghi vào đâu, không ghi."
        )

    def handle(self, *args, out=None, to_storage=False, dry_run=False, **options):
        from django.conf import settings
        from django.core.files.storage import default_storage

        from heritage_site.backup import BACKUPS_DIR, BackupError, write_backup
        from heritage_site.storage import on_local_disk

        stamp = f"di-san-so-{timezone.localtime():%Y%m%d-%H%M%S}.tar"
        to_storage = to_storage or (out is None and not on_local_disk(default_storage))
        if to_storage:
            if dry_run:
                self.stdout.write(f"Sẽ sao lưu vào kho lưu trữ: storage:{BACKUPS_DIR}{stamp}.")
                return
            with tempfile.TemporaryDirectory(prefix="backup-") as work:
                try:
                    summary = write_backup(Path(work) / stamp)
                except BackupError as exc:
                    raise CommandError(str(exc)) from exc
                with summary.path.open("rb") as fh:
                    where = "storage:" + default_storage.save(f"{BACKUPS_DIR}{stamp}", fh)
            self._report(summary, where)
            return
        if out is None:
            folder = Path(settings.BASE_DIR) / "var" / "backups"
            out = folder / stamp
            if not dry_run:
                folder.mkdir(parents=True, exist_ok=True)
        if dry_run:
            self.stdout.write(f"Sẽ sao lưu vào {out}.")
            return
        try:
            summary = write_backup(out)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self._report(summary, summary.path)

    def _report(self, summary, where) -> None:
        size = f"{summary.size / (1024 * 1024):.1f}".replace(".", ",")
        self.stdout.write(
            self.style.SUCCESS(
                f"Đã sao lưu {summary.objects} bản ghi và {summary.media_files} tệp media "
                f"vào {where} ({size} MB)."
            )
        )
