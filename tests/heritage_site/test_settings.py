"""Production settings fail fast and pass Django's deployment checklist."""

import os
import subprocess
import sys

from django.conf import settings

ROOT = settings.BASE_DIR
PROD_ENV = {
    "DJANGO_SETTINGS_MODULE": "heritage_site.settings.production",
    "SECRET_KEY": "x" * 20 + "a-long-random-production-secret-for-the-check-0123456789",
    "ALLOWED_HOSTS": "disan.example.gov.vn",
    "DATABASE_URL": "sqlite:////tmp/heritage-check.sqlite3",
    "PUBLIC_BASE_URL": "https://disan.example.gov.vn",
}


def _manage(*args, env_overrides=None, drop=()):
    # The browser tests allow async-unsafe calls in this process; production never does.
    skip = {*drop, "DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env = {k: v for k, v in os.environ.items() if k not in skip}
    env.update(PROD_ENV)
    env.update(env_overrides or {})
    for key in drop:
        env.pop(key, None)
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True
    )


def test_check_deploy_is_clean_under_production_settings():
    result = _manage("check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key():
    result = _manage("check", drop=("SECRET_KEY",))
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_production_refuses_to_start_without_allowed_hosts():
    result = _manage("check", drop=("ALLOWED_HOSTS",))
    assert result.returncode != 0
    assert "ALLOWED_HOSTS" in result.stderr


def test_production_refuses_to_start_without_its_public_host():
    """Staff e-mails would link to 127.0.0.1 and plaques would carry no host."""
    result = _manage("check", drop=("PUBLIC_BASE_URL", "WAGTAILADMIN_BASE_URL"))
    assert result.returncode != 0
    assert "PUBLIC_BASE_URL" in result.stderr


def test_admin_speaks_vietnamese_in_ho_chi_minh_time():
    assert settings.LANGUAGE_CODE == "vi"
    assert settings.TIME_ZONE == "Asia/Ho_Chi_Minh"
    assert settings.WAGTAIL_I18N_ENABLED
    assert [code for code, _ in settings.WAGTAIL_CONTENT_LANGUAGES][:2] == ["vi", "en"]
