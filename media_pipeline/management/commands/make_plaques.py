"""`manage.py make_plaques`: print-ready QR plaques for the district's relics, from the shell."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from media_pipeline.qr.models import PlaqueBatch, Purpose
from media_pipeline.qr.plaque_batches import (
    COMMAND_OVERRIDE,
    check_plaque_host,
    leave_out_unpublished,
    left_out_message,
    plaque_specs,
    record_printed,
    relics_for_plaques,
    write_plaques,
)
from media_pipeline.qr.plaques import SIZES, PlaqueError
from media_pipeline.qr.short_codes import code_for_page, url_for_code

Format = PlaqueBatch.Format


class Command(BaseCommand):
    help = (
        "Tạo biển QR cho các di tích: một tệp PDF in sẵn (mỗi biển một trang) hoặc một tệp ZIP "
        "các tệp SVG. Mặc định: mọi di tích đã xuất bản; di tích chưa xuất bản chỉ được in khi "
        "có --include-unpublished (quét biển của chúng sẽ thấy “Tạm đóng cửa”)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--size", choices=sorted(SIZES), default="a5", help="khổ biển")
        parser.add_argument(
            "--format", choices=[f.value for f in Format], default=Format.PDF, help="định dạng"
        )
        parser.add_argument(
            "--relic", type=int, nargs="+", metavar="ID", help="chỉ các trang có ID này"
        )
        parser.add_argument(
            "--purpose",
            choices=[p.value for p in Purpose],
            default=Purpose.PAGE,
            help="page: biển mở trang di tích; rating: biển mở thẳng phiếu đánh giá",
        )
        parser.add_argument(
            "--include-unpublished",
            action="store_true",
            help="in cả biển cho di tích chưa xuất bản",
        )
        parser.add_argument(
            COMMAND_OVERRIDE,
            action="store_true",
            help=(
                "cho in với địa chỉ chỉ dùng thử (localhost, mạng nội bộ, http://): biển như "
                "vậy không được treo tại di tích"
            ),
        )
        parser.add_argument("--out", type=Path, help="tệp kết quả (mặc định: thư mục hiện tại)")
        parser.add_argument(
            "--dry-run", action="store_true", help="chỉ liệt kê, không tạo mã hay tệp"
        )

    def handle(
        self, *args, size, format, relic, purpose, out, dry_run, include_unpublished, **options
    ):
        allow = True if options["allow_dev_host"] else None  # else PLAQUE_ALLOW_UNSAFE_HOST
        try:
            host = check_plaque_host(allow, f"thêm {COMMAND_OVERRIDE}")
        except PlaqueError as exc:
            if not dry_run:
                raise CommandError(str(exc)) from exc
            host = None
            self.stderr.write(str(exc))
        if host is not None and host.warning:
            self.stderr.write(self.style.WARNING(host.warning))
        elif host is not None:
            self.stdout.write(f"Biển QR mang địa chỉ {host.shown}/Q/…")
        asked = relics_for_plaques(relic)
        if relic and len(asked) != len(set(relic)):
            missing = sorted(set(relic) - {p.pk for p in asked})
            raise CommandError(
                f"Không có trang với ID: {', '.join(map(str, missing))}; chưa tạo gì."
            )
        pages, left_out = leave_out_unpublished(asked, include_unpublished)
        if left_out:
            self.stdout.write(
                self.style.WARNING(left_out_message(left_out, "thêm --include-unpublished"))
            )
        if not pages:
            raise CommandError("Không có di tích đã xuất bản nào để tạo biển QR; chưa tạo gì.")
        if dry_run:
            for page in pages:
                short = code_for_page(page, purpose)
                if short is None:
                    where = "(chưa có mã, sẽ được tạo)"
                else:
                    where = url_for_code(short.code) if host else f"…/Q/{short.code}"
                self.stdout.write(f"{page.pk}\t{where}\t{page.title}")
            self.stdout.write(f"{len(pages)} biển QR, khổ {SIZES[size].label}; chưa ghi gì.")
            return
        suffix = "pdf" if format == Format.PDF else "zip"
        out = out or Path(f"bien-qr-{size}-{timezone.localdate():%Y%m%d}.{suffix}")
        tenth = max(1, len(pages) // 10)

        def progress(done: int, total: int) -> None:
            if done == total or done % tenth == 0:
                self.stdout.write(f"  {done}/{total}")

        try:
            specs = plaque_specs(pages, purpose=purpose, allow_unsafe_host=True)  # checked above
            write_plaques(specs, SIZES[size], format, out, progress)
        except PlaqueError as exc:
            raise CommandError(f"{exc} Chưa ghi tệp nào.") from exc
        record_printed(pages, size, format)
        kib = out.stat().st_size / 1024
        skipped = f" Bỏ qua {len(left_out)} di tích chưa xuất bản." if left_out else ""
        self.stdout.write(
            self.style.SUCCESS(f"Đã tạo {len(specs)} biển QR: {out} ({kib:.0f} KiB).{skipped}")
        )
