import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Tạo tài khoản quản trị 'admin' cho máy phát triển nếu chưa có, và in cách đăng nhập."

    def add_arguments(self, parser):
        parser.add_argument("--username", default="admin")

    def handle(self, *args, username="admin", **options):
        User = get_user_model()
        password_file = settings.BASE_DIR / "var" / "admin-password.txt"
        user = User.objects.filter(username=username).first()
        if user is None:
            password = secrets.token_urlsafe(12)
            User.objects.create_superuser(username, f"{username}@example.invalid", password)
            password_file.parent.mkdir(exist_ok=True)
            password_file.write_text(password + "\n")
            password_file.chmod(0o600)
        elif password_file.exists():
            password = password_file.read_text().strip()
        else:
            password = "(mật khẩu bạn đã đặt; đổi bằng manage.py changepassword)"
        self.stdout.write("")
        self.stdout.write(self.style.SUCCESS("Đăng nhập trang quản trị /admin/"))
        self.stdout.write(f"  Tên đăng nhập: {username}")
        self.stdout.write(f"  Mật khẩu:      {password}")
