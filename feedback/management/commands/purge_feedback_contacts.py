"""`manage.py purge_feedback_contacts`: wipe visitors' contacts past their retention date."""

from django.conf import settings
from django.core.management.base import BaseCommand

from feedback.retention import expired_contacts, purge_contacts


class Command(BaseCommand):
    help = (
        "Xoá số điện thoại / e-mail của khách đã quá thời hạn lưu giữ "
        "(FEEDBACK_CONTACT_RETENTION_DAYS ngày). Đánh giá và báo sự cố vẫn giữ, chỉ mất liên hệ."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="chỉ đếm, không xoá")

    def handle(self, *args, dry_run, **options):
        counts = expired_contacts() if dry_run else purge_contacts()
        verb = "Sẽ xoá" if dry_run else "Đã xoá"
        self.stdout.write(
            f"{verb} liên hệ của {counts['rating']} đánh giá và {counts['report']} báo sự cố "
            f"(giữ tối đa {settings.FEEDBACK_CONTACT_RETENTION_DAYS} ngày)."
        )
