import contextlib
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = (
        "Khôi phục một tệp sao lưu (của lệnh backup) vào một cài đặt mới, trống (vừa chạy "
        "migrate). Kiểm tra mã SHA-256 của mọi tệp trước khi ghi; lỗi thì không ghi gì."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "path",
            help="Tệp sao lưu .tar hoặc .tar.gz; “storage:backups/<tên>” nếu nó nằm trong kho "
            "lưu trữ media (MEDIA_STORAGE=s3).",
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Chỉ kiểm tra tệp sao lưu và cài đặt này, không ghi gì.",
        )

    def handle(self, *args, path, dry_run=False, **options):
        path = str(path)
        with contextlib.ExitStack() as stack:
            if path.startswith("storage:"):
                path = stack.enter_context(self._downloaded(path.removeprefix("storage:")))
            self._run(Path(path), dry_run)

    @contextlib.contextmanager
    def _downloaded(self, name: str):
        """A backup kept in the media storage, copied to a temporary file of this machine."""
        from django.core.files.storage import default_storage

        from heritage_site.storage import local_copy

        if not default_storage.exists(name):
            raise CommandError(f"Không thấy tệp sao lưu “{name}” trong kho lưu trữ.")
        with local_copy(default_storage, name) as path:
            yield path

    def _run(self, path: Path, dry_run: bool) -> None:
        import tempfile

        from heritage_site.backup import (
            BackupError,
            existing_content,
            restore_backup,
            unpack_verified,
        )

        try:
            if dry_run:
                with tempfile.TemporaryDirectory() as staging:
                    info = unpack_verified(path, Path(staging))
                found = existing_content()
                self.stdout.write(
                    f"Tệp sao lưu nguyên vẹn: {info.get('objects')} bản ghi, tạo lúc "
                    f"{info.get('created_at')}."
                )
                if found:
                    listed = ", ".join(f"{n} {what}" for what, n in found.items())
                    self.stdout.write(
                        f"Nhưng cài đặt này đã có dữ liệu ({listed}): khôi phục thật sẽ bị từ "
                        "chối, không ghi đè gì."
                    )
                self.stdout.write("Chạy thử (--dry-run): chưa ghi gì.")
                return
            info = restore_backup(path, stdout=self.stdout)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            self.style.SUCCESS(
                f"Khôi phục xong ({info.get('media_files', 0)} tệp media). Tài khoản đăng nhập là "
                "các tài khoản trong bản sao lưu."
            )
        )
