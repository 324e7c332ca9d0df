"""`manage.py reset_two_factor USERNAME`: forget a member's authenticator (a lost phone)."""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django_otp.plugins.otp_totp.models import TOTPDevice


class Command(BaseCommand):
    help = "Remove a staff member's two-factor devices; they set one up again at next login."

    def add_arguments(self, parser):
        parser.add_argument("username")

    def handle(self, *args, username, **options):
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"Không có tài khoản “{username}”.")
        removed, _ = TOTPDevice.objects.filter(user=user).delete()
        self.stdout.write(f"Đã xóa {removed} thiết bị xác thực của “{username}”.")
