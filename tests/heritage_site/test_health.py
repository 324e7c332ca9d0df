"""What a load balancer and an operator read: /healthz (alive), /readyz (able to serve), and
the JSON log lines of production, which never hold a visitor's address."""

import json
import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.cache import cache

from heritage_site.cache import TolerantRedisCache
from tests.factories import make_relic

ROOT = Path(__file__).resolve().parents[2]


def closed_port() -> int:
    """A loopback port nothing listens on (bound, then released)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def redis_at_a_closed_port() -> dict:
    return {
        "default": {
            "BACKEND": "heritage_site.cache.TolerantRedisCache",
            "LOCATION": f"redis://127.0.0.1:{closed_port()}/0",
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }


def test_healthz_answers_without_asking_the_database(client):
    # No `db` fixture: pytest-django fails any query this test would make.
    response = client.get("/healthz")
    assert response.status_code == 200 and response.json() == {"status": "ok"}
    assert "no-store" in response["Cache-Control"]


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def test_readyz_checks_database_cache_queue_and_storage(client, db, media):
    response = client.get("/readyz")
    body = response.json()
    assert response.status_code == 200 and body["status"] == "ok"
    assert set(body["checks"]) == {"database", "cache", "queue", "storage"}
    assert all(check["ok"] for check in body["checks"].values())
    assert "no-store" in response["Cache-Control"]
    assert not any((media / "readyz").iterdir()), "the storage probe leaves no file behind"


def test_readyz_is_never_answered_from_the_page_cache(client, db, media, settings):
    settings.PAGE_CACHE_SECONDS = 300
    cache.clear()
    for _ in range(2):
        response = client.get("/readyz")
        assert "X-Page-Cache" not in response


@pytest.mark.django_db(transaction=True)
def test_queue_lag_past_the_limit_makes_readyz_fail(client, media, settings):
    from datetime import timedelta

    from django.utils import timezone
    from django_tasks_db.models import DBTaskResult

    settings.READYZ_QUEUE_LAG_SECONDS = 60
    long_ago = timezone.now() - timedelta(minutes=10)
    task = DBTaskResult.objects.create(
        status="READY",
        args_kwargs={"args": [], "kwargs": {}},
        task_path="x.y",
        queue_name="default",
        backend_name="default",
        run_after=long_ago,
    )
    DBTaskResult.objects.filter(pk=task.pk).update(enqueued_at=long_ago)
    response = client.get("/readyz")
    assert response.status_code == 503
    queue = response.json()["checks"]["queue"]
    assert not queue["ok"] and "limit 60 s" in queue["status"]
    # A task planned for later is not late.
    DBTaskResult.objects.filter(pk=task.pk).update(run_after=timezone.now() + timedelta(hours=1))
    assert client.get("/readyz").status_code == 200


def test_redis_stopped_readyz_fails_but_pages_are_still_served(client, district, media, settings):
    relic = make_relic(district["wards"][0], title="Đình Khi Redis Tắt")
    settings.PAGE_CACHE_SECONDS = 300
    settings.CACHES = redis_at_a_closed_port()
    response = client.get("/readyz")
    assert response.status_code == 503
    checks = response.json()["checks"]
    assert not checks["cache"]["ok"] and checks["database"]["ok"] and checks["storage"]["ok"]
    assert "127.0.0.1" not in response.content.decode()
    for _ in range(2):  # uncached: a miss each time, never an error
        page = client.get(relic.url)
        assert page.status_code == 200 and "Đình Khi Redis Tắt" in page.content.decode()


def test_the_tolerant_cache_turns_failures_into_misses():
    dead = TolerantRedisCache(
        f"redis://127.0.0.1:{closed_port()}/0",
        {"OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5}},
    )
    dead.set("k", "v")
    assert dead.get("k", "default") == "default"
    assert dead.add("k", 1) is False and dead.get_many(["k"]) == {}
    with pytest.raises(ValueError):
        dead.incr("k")


def run_django(code: str, **env: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-c", "import django; django.setup()\n" + code],
        cwd=ROOT,
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_readyz_names_a_dead_database_without_its_address_or_password(tmp_path):
    port = closed_port()
    done = run_django(
        "from django.test import Client\n"
        "r = Client().get('/readyz')\n"
        "print(r.status_code)\n"
        "print(r.content.decode())\n",
        DJANGO_SETTINGS_MODULE="heritage_site.settings.test",
        DATABASE_URL=f"postgres://heritage:s3cret-pw@127.0.0.1:{port}/heritage",
        TEST_MEDIA_ROOT=str(tmp_path),
    )
    status, body = done.stdout.strip().split("\n", 1)
    assert status == "503", done.stderr
    checks = json.loads(body)["checks"]
    assert not checks["database"]["ok"] and not checks["queue"]["ok"]
    assert checks["storage"]["ok"] and checks["cache"]["ok"]
    assert "s3cret-pw" not in body and str(port) not in body


def test_production_logs_are_json_lines_with_request_id_and_no_ip_address(tmp_path):
    done = run_django(
        "from django.test import Client\n"
        "c = Client(REMOTE_ADDR='203.0.113.9', HTTP_X_REAL_IP='198.51.100.7')\n"
        "c.get('/healthz', HTTP_X_REQUEST_ID='abcdef0123456789')\n"
        "c.get('/healthz?email=visitor@example.com')\n",
        DJANGO_SETTINGS_MODULE="heritage_site.settings.production",
        SECRET_KEY="x" * 50,
        ALLOWED_HOSTS="testserver",
        PUBLIC_BASE_URL="https://disan.example.gov.vn",
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
        SECURE_SSL_REDIRECT="false",
        LOG_LEVEL="INFO",
    )
    assert done.returncode == 0, done.stderr
    lines = [json.loads(line) for line in done.stderr.splitlines() if line.startswith("{")]
    requests = [line for line in lines if line["logger"] == "heritage_site.request"]
    assert len(requests) == 2, done.stderr
    first, second = requests
    assert first["request_id"] == "abcdef0123456789"
    assert first["path"] == "/healthz" and first["status"] == 200 and first["method"] == "GET"
    assert isinstance(first["duration_ms"], float) and first["time"].endswith("+00:00")
    assert len(second["request_id"]) == 32  # made up when the header is missing
    for forbidden in ("203.0.113.9", "198.51.100.7", "visitor@example.com"):
        assert forbidden not in done.stderr
