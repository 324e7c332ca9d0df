"""`manage.py show_plaque_host`: the host QR plaques will carry, and whether it may be printed."""

from django.core.management.base import BaseCommand

from media_pipeline.qr.plaque_batches import plaque_host


class Command(BaseCommand):
    help = (
        "In ra địa chỉ sẽ in trên biển QR (PLAQUE_BASE_URL) và cho biết biển có được in không. "
        "`make run` gọi lệnh này khi khởi động."
    )

    def handle(self, *args, **options):
        host = plaque_host()
        self.stdout.write(f"Biển QR mang địa chỉ: {host.shown}/Q/…")
        if host.refused:
            self.stdout.write(self.style.ERROR(host.refusal()))
        elif host.warning:
            self.stdout.write(self.style.WARNING(host.warning))
