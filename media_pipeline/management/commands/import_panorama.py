from pathlib import Path

from django.core.files import File
from django.core.management.base import BaseCommand, CommandError

from content.models import RelicPage
from media_pipeline.panoramas.inspection import PanoramaError, inspect_image, inspect_panorama
from media_pipeline.panoramas.limits import FOV_FIELDS, panorama_limits, photo_limits
from media_pipeline.panoramas.models import Panorama, PanoramaPhoto
from media_pipeline.panoramas.processing import process_panorama


class Command(BaseCommand):
    help = (
        "Nhập ảnh 360° từ tệp (một ảnh equirectangular, hoặc nhiều ảnh chồng nhau để ghép), "
        "cắt ô và xuất bản như khi tải lên trong trang quản trị."
    )

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", help="Tệp ảnh 360°, hoặc từ 2 ảnh để ghép.")
        parser.add_argument("--relic", type=int, help="ID trang di tích gắn với ảnh.")
        parser.add_argument("--title", help="Tên ảnh (mặc định: tên tệp).")
        parser.add_argument("--haov", type=float, help="Góc nhìn ngang (°), ảnh một phần.")
        parser.add_argument("--vaov", type=float, help="Góc nhìn dọc (°), ảnh một phần.")
        parser.add_argument("--voffset", type=float, help="Độ lệch dọc (°) của tâm ảnh.")
        parser.add_argument(
            "--dry-run", action="store_true", help="Chỉ kiểm tra tệp, không ghi dữ liệu."
        )

    def handle(self, *args, paths, relic=None, title=None, dry_run=False, **options):
        files = [Path(p) for p in paths]
        typed = (options["haov"], options["vaov"], options["voffset"])
        fov = dict(zip(FOV_FIELDS, typed, strict=True))
        relic_page = None
        if relic is not None:
            relic_page = RelicPage.objects.filter(pk=relic).first()
            if relic_page is None:
                raise CommandError(f"Không có di tích với ID {relic}.")
        try:
            summary = self._check(files, fov)
        except PanoramaError as e:
            raise CommandError(e.message) from e
        if dry_run:
            self.stdout.write(f"Tệp hợp lệ: {summary}. Không ghi gì (--dry-run).")
            return
        pano = Panorama.objects.create(title=title or files[0].stem, relic=relic_page, **fov)
        if len(files) == 1:
            with files[0].open("rb") as f:
                pano.original.save(files[0].name, File(f), save=True)
        else:
            for n, path in enumerate(files):
                with path.open("rb") as f:
                    photo = PanoramaPhoto(panorama=pano, sort_order=n)
                    photo.file.save(path.name, File(f), save=True)
        status = process_panorama(pano.pk)
        pano.refresh_from_db()
        if status != Panorama.Status.READY:
            raise CommandError(
                f"Ảnh #{pano.pk} đã lưu (trạng thái Lỗi) nhưng chưa cắt được ô ảnh nên chưa hiện "
                f"cho khách: {pano.error_message} Sửa hoặc xoá ảnh trong Ảnh 360°."
            )
        self.stdout.write(
            self.style.SUCCESS(
                f"Ảnh #{pano.pk} “{pano.title}” sẵn sàng: {pano.width}×{pano.height}, "
                f"ô ảnh tại {pano.tiles_url}/"
            )
        )

    def _check(self, files: list[Path], fov: dict) -> str:
        for path in files:
            if not path.is_file():
                raise CommandError(f"Không tìm thấy tệp {path}.")
        if len(files) > 1:
            for path in files:
                inspect_image(path, **photo_limits())
            return f"{len(files)} ảnh để ghép"
        info = inspect_panorama(files[0], **panorama_limits(), **fov)
        kind = "toàn cảnh 360°" if info.fov.is_full else "toàn cảnh một phần"
        return (
            f"{info.width}×{info.height}, {kind} "
            f"({info.fov.haov:.0f}°×{info.fov.vaov:.0f}°, theo {info.fov_source})"
        )
