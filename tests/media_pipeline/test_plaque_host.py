"""Plaques hang for years: none is printed with an address a visitor's phone cannot open (unset,
localhost, loopback, private, plain http) unless explicitly allowed, and then staff are warned."""

import datetime
import io

import pytest
from django.core.management import CommandError, call_command
from django.test import override_settings
from django.utils import timezone

from media_pipeline.models import PlaqueBatch, ShortCode
from media_pipeline.qr.codes import plaque_host_problem
from media_pipeline.qr.short_codes import code_for_page
from tests.factories import make_relic

QR = "/admin/qr/"
UNSAFE = [
    "",
    "http://127.0.0.1:8000",
    "https://localhost",
    "https://LOCALHOST:8443",
    "https://[::1]",
    "https://10.0.0.5",
    "https://192.168.1.20",
    "https://172.16.4.1",
    "https://169.254.0.9",
    "https://0.0.0.0",
    "https://disan.local",
    "https://may-chu",
    "http://disan.example.gov.vn",
    "ftp://disan.example.gov.vn",
]


@pytest.mark.parametrize("base", UNSAFE)
def test_unsafe_addresses_are_named(base):
    assert plaque_host_problem(base)


@pytest.mark.parametrize(
    "base", ["https://disan.example.gov.vn", "HTTPS://DISAN.HAIPHONG.GOV.VN", "https://8.8.4.4"]
)
def test_public_https_hosts_pass(base):
    assert plaque_host_problem(base) is None


@pytest.fixture
def relic(district):
    return make_relic(district["wards"][0])


@pytest.mark.parametrize("base", ["", "http://127.0.0.1:8000", "https://192.168.1.20"])
def test_admin_refuses_every_way_of_printing(admin_client, relic, base):
    with override_settings(PLAQUE_BASE_URL=base, PLAQUE_ALLOW_UNSAFE_HOST=False):
        page = admin_client.get(QR).content.decode()
        assert 'data-plaque-host="refused"' in page and "Chưa in biển QR" in page
        one = admin_client.post(QR, {"pages": [relic.pk], "size": "a6", "format": "pdf"})
        assert one.status_code == 200 and one["Content-Type"].startswith("text/html")
        assert "Chưa in biển QR" in one.content.decode()
        many = admin_client.post(QR, {"everything": "on", "size": "a6", "format": "svg-zip"})
        assert "Chưa in biển QR" in many.content.decode()
        svg = admin_client.get(
            f"{QR}pages/{relic.pk}/plaque/", {"size": "a6", "format": "svg-zip"}, follow=True
        )
        assert "Chưa in biển QR" in svg.content.decode()
        assert "image/svg" not in svg["Content-Type"]
        codes = admin_client.get(f"{QR}pages/{relic.pk}/").content.decode()
        assert 'data-plaque-host="refused"' in codes
    assert not PlaqueBatch.objects.exists()  # nothing printed, nothing recorded


def test_a_batch_queued_earlier_fails_with_the_reason(relic):
    from media_pipeline.qr.plaque_batches import run_batch

    batch = PlaqueBatch.objects.create(size="a6", format="pdf", page_ids=[relic.pk], total=1)
    with override_settings(PLAQUE_BASE_URL="http://localhost:8000", PLAQUE_ALLOW_UNSAFE_HOST=False):
        run_batch(batch.pk)
    batch.refresh_from_db()
    assert batch.status == "failed" and "localhost" in batch.error and not batch.file


def test_allowed_for_a_demo_it_prints_but_warns_first(admin_client, relic):
    with override_settings(PLAQUE_BASE_URL="http://127.0.0.1:8000", PLAQUE_ALLOW_UNSAFE_HOST=True):
        page = admin_client.get(QR).content.decode()
        assert 'data-plaque-host="warning"' in page and "HTTP://127.0.0.1:8000" in page
        assert "đừng treo biển này" in page
        one = admin_client.post(QR, {"pages": [relic.pk], "size": "a6", "format": "svg-zip"})
        assert one["Content-Type"].startswith("image/svg")


def test_dashboard_panel_shows_the_host(admin_client, relic):
    html = admin_client.get("/admin/").content.decode()
    assert "Địa chỉ in trên biển QR" in html
    assert 'data-plaque-host="ok"' in html and "HTTPS://DISAN.EXAMPLE.GOV.VN/Q/…" in html
    with override_settings(PLAQUE_BASE_URL="", PLAQUE_ALLOW_UNSAFE_HOST=False):
        html = admin_client.get("/admin/").content.decode()
        assert 'data-plaque-host="refused"' in html and "(chưa đặt)" in html


def run(*args) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("make_plaques", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_command_refuses_unless_allowed(relic, tmp_path):
    out = tmp_path / "bien.pdf"
    with override_settings(PLAQUE_BASE_URL="http://127.0.0.1:8000", PLAQUE_ALLOW_UNSAFE_HOST=False):
        with pytest.raises(CommandError, match="--allow-dev-host"):
            run("--out", str(out))
        assert not out.exists()
        _log, warning = run("--out", str(out), "--allow-dev-host")
        assert out.exists() and "HTTP://127.0.0.1:8000" in warning
    with override_settings(PLAQUE_BASE_URL="https://disan.example.gov.vn"):
        log, warning = run("--dry-run")
        assert "HTTPS://DISAN.EXAMPLE.GOV.VN/Q/…" in log and not warning


def test_admin_email_links_follow_the_public_host(monkeypatch):
    """WAGTAILADMIN_BASE_URL and PLAQUE_BASE_URL default to PUBLIC_BASE_URL."""
    import os
    import subprocess
    import sys

    from django.conf import settings

    env = {k: v for k, v in os.environ.items() if not k.startswith(("PLAQUE_", "WAGTAIL"))}
    env.update(
        DJANGO_SETTINGS_MODULE="heritage_site.settings.dev",
        PUBLIC_BASE_URL="https://di-san.example.vn/",
    )
    code = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.WAGTAILADMIN_BASE_URL, s.PLAQUE_BASE_URL, s.IIIF_BASE_URL)"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=settings.BASE_DIR, env=env, capture_output=True, text=True
    )
    assert done.stdout.split() == ["https://di-san.example.vn"] * 3, done.stderr


def test_silent_plaques_panel_counts_only_codes_older_than_its_window(admin_client, district):
    old, new = make_relic(district["wards"][0]), make_relic(district["wards"][1], "Đền Nghè")
    ShortCode.objects.filter(page=old).update(
        created_at=timezone.now() - datetime.timedelta(days=90)
    )
    html = admin_client.get("/admin/").content.decode()
    assert "Biển có mã từ hơn 30 ngày trước" in html
    assert "<span data-qr-silent-total>1</span>" in html
    assert 'data-qr-recent-total="1"' in html and "chưa được xét" in html
    assert code_for_page(new).code not in html.split('class="qr-silent"', 1)[1].split("</ul>")[0]
    ShortCode.objects.filter(page=old).update(created_at=timezone.now())
    html = admin_client.get("/admin/").content.decode()
    # No plaque is old enough to be judged: the panel says so, not "every plaque is scanned".
    assert "Mọi biển có mã từ hơn 30 ngày trước đều có lượt quét" in html
    assert 'data-qr-recent-total="2"' in html


def test_make_run_prints_the_plaque_host():
    from django.conf import settings

    script = (settings.BASE_DIR / "scripts" / "serve.sh").read_text()
    assert "manage.py show_plaque_host" in script
    out = io.StringIO()
    with override_settings(PLAQUE_BASE_URL="http://127.0.0.1:8000", PLAQUE_ALLOW_UNSAFE_HOST=True):
        call_command("show_plaque_host", stdout=out)
    assert "HTTP://127.0.0.1:8000/Q/…" in out.getvalue() and "thử nghiệm" in out.getvalue()
    out = io.StringIO()
    call_command("show_plaque_host", stdout=out)
    assert out.getvalue().strip() == "Biển QR mang địa chỉ: HTTPS://DISAN.EXAMPLE.GOV.VN/Q/…"
