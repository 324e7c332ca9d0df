from django.core.management.base import BaseCommand

from content.demo import load_demo_district


class Command(BaseCommand):
    help = "Tạo (hoặc cập nhật) quận mẫu: phường, di tích, di văn, hiện vật, điểm du lịch, ảnh."

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="Chỉ báo sẽ tạo gì, không ghi dữ liệu."
        )

    def handle(self, *args, dry_run=False, **options):
        from content.demo import PLACES, RELICS, WARDS

        if dry_run:
            self.stdout.write(
                f"Sẽ tạo hoặc cập nhật {len(WARDS)} phường, {len(RELICS)} di tích, "
                f"{len(PLACES)} điểm du lịch."
            )
            return
        result = load_demo_district()
        self.stdout.write(
            self.style.SUCCESS(
                f"Quận mẫu sẵn sàng: {result.wards} phường, {result.relics} di tích, "
                f"{result.places} điểm du lịch."
            )
        )
