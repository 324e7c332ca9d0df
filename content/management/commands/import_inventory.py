from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from content.inventory.charsets import ENCODING_CHOICES
from content.inventory.columns import LAYOUTS, RecordKind
from content.inventory.plan import ACTION_LABELS, Action


class Command(BaseCommand):
    help = (
        "Nhập di tích, hiện vật, di văn từ tệp .xlsx/.xls/.csv (cùng đường đi với trang quản "
        "trị). Mặc định tất cả hoặc không; --dry-run chỉ xem trước."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path, help="Tệp bảng tính.")
        parser.add_argument("--kind", choices=[k.value for k in RecordKind], default="")
        parser.add_argument("--encoding", choices=list(ENCODING_CHOICES), default="")
        parser.add_argument(
            "--mode", choices=["all_or_nothing", "good_rows"], default="all_or_nothing"
        )
        parser.add_argument("--images", type=Path, help="Tệp ZIP các ảnh ghi trong cột Ảnh.")
        parser.add_argument(
            "--user", help="Nhập với quyền của tài khoản này (mặc định: toàn quyền)."
        )
        parser.add_argument(
            "--rejects", type=Path, help="Nơi ghi tệp các dòng lỗi (với --mode good_rows)."
        )
        parser.add_argument("--dry-run", action="store_true", help="Chỉ xem trước, không ghi.")

    def handle(self, *args, **options):
        from content.inventory.export import save_rejects
        from content.inventory.jobs import written_summary
        from content.inventory.service import import_file

        path: Path = options["path"]
        if not path.is_file():
            raise CommandError(f"Không thấy tệp {path}.")
        user = None
        if options["user"]:
            user = get_user_model().objects.filter(username=options["user"]).first()
            if user is None:
                raise CommandError(f"Không có tài khoản “{options['user']}”.")
        outcome = import_file(
            path,
            user=user,
            kind=options["kind"] or None,
            encoding=options["encoding"] or None,
            mode=options["mode"],
            images=options["images"],
            dry_run=options["dry_run"],
        )
        preview = outcome.preview
        for note in preview.notes:
            self.stdout.write(note)
        verbose = options["verbosity"] >= 2
        for item in preview.items:
            if item.action == Action.ERROR or verbose or item.warnings:
                sheet = LAYOUTS[item.kind].label
                text = f"{sheet}, dòng {item.row} ({' / '.join(item.key)}): "
                text += f"{ACTION_LABELS[item.action]} — {item.reason}"
                text += "".join(f" [{w}]" for w in item.warnings)
                self.stdout.write(text)
        if preview.file_errors:
            raise CommandError(" ".join(preview.file_errors))
        self.stdout.write("Xem trước: " + preview.summary())
        result = outcome.result
        if result.rejected:
            target = options["rejects"] or path.with_name(f"{path.stem}-dong-loi.xlsx")
            save_rejects(target, result.rejected, as_csv=target.suffix.lower() == ".csv")
            self.stdout.write(f"Các dòng lỗi ({len(result.rejected)}) đã ghi vào {target}.")
        if options["dry_run"]:
            self.stdout.write("Chạy thử (--dry-run): không ghi gì vào dữ liệu.")
            return
        if not result.applied and not preview.ok:
            raise CommandError(
                "Không nhập gì: tệp có dòng lỗi. Sửa tệp, hoặc dùng --mode good_rows để nhập "
                "các dòng đúng."
            )
        written = {a.value: result.written.get(a, 0) for a in (Action.CREATE, Action.UPDATE)}
        summary = written_summary(written, len(result.rejected))
        done = f"Đã nhập. {summary}; ảnh mới: {outcome.images_created}."
        self.stdout.write(self.style.SUCCESS(done))
        for note in outcome.image_notes:
            self.stdout.write(note)
