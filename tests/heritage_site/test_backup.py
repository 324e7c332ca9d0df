"""`manage.py backup` / `restore`: a full round trip into an empty installation, compared."""

import datetime as dt
import hashlib
import io
import tarfile
from decimal import Decimal
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.core.management import CommandError, call_command
from wagtail.contrib.redirects.models import Redirect
from wagtail.images import get_image_model

from content.models import RelicPage
from heritage_site.backup import EXCLUDED_MODELS, PROJECT_APPS
from tests.factories import make_relic
from tests.heritage_site.installation import empty_installation

# Compared field by field: every model of the project's apps (panoramas and QR codes included
# once their models land) and the Wagtail tables that make the site.
WAGTAIL_MODELS = (
    "wagtailcore.page",
    "wagtailcore.revision",
    "wagtailcore.site",
    "wagtailcore.locale",
    "wagtailcore.collection",
    "wagtailcore.workflowpage",
    "wagtailcore.grouppagepermission",
    "wagtailimages.image",
    "wagtailredirects.redirect",
    "auth.user",
    "auth.group",
)
NOT_COMPARED = EXCLUDED_MODELS


def _excluded(label: str) -> bool:
    return any(label == e or label.split(".")[0] == e for e in NOT_COMPARED)


def _plain(value):
    """Values as the JSON round trip keeps them: datetimes to the millisecond."""
    if isinstance(value, dt.datetime):
        return value.replace(microsecond=value.microsecond // 1000 * 1000)
    if isinstance(value, Decimal):
        return str(value)
    if hasattr(value, "raw_data"):  # StreamField
        return list(value.raw_data)
    return value


def snapshot() -> dict:
    """Row counts of every model, and every field of the important ones."""
    counts, rows = {}, {}
    names = {
        ContentType: {ct.pk: ct.natural_key() for ct in ContentType.objects.all()},
        Permission: {p.pk: p.natural_key() for p in Permission.objects.all()},
    }
    for model in apps.get_models():
        label = model._meta.label_lower
        if _excluded(label) or not model._meta.managed or model._meta.proxy:
            continue
        counts[label] = model.objects.count()
        if label in WAGTAIL_MODELS or model._meta.app_label in PROJECT_APPS:
            # Content type and permission ids differ between installations; names do not.
            keyed = {
                f.attname: names[f.related_model]
                for f in model._meta.concrete_fields
                if f.related_model in names
            }
            rows[label] = [
                {k: (keyed[k][v] if k in keyed else _plain(v)) for k, v in r.items()}
                for r in model.objects.order_by("pk").values()
            ]
    images = {
        image.pk: hashlib.sha256(image.file.read()).hexdigest()
        for image in get_image_model().objects.all()
    }
    return {"counts": counts, "rows": rows, "images": images}


@pytest.mark.django_db(transaction=True)
def test_backup_then_restore_into_an_empty_installation_gives_everything_back(tmp_path, client):
    call_command("load_demo_district", verbosity=0)
    relic = RelicPage.objects.get(slug="dinh-dong-khe", locale__language_code="vi")
    Redirect.add_redirect("/dinh-cu", redirect_to=relic)
    before = snapshot()
    assert before["counts"]["wagtailredirects.redirect"] == 1 and len(before["images"]) > 10
    archive = tmp_path / "sao-luu.tar"
    out = io.StringIO()
    call_command("backup", "--out", str(archive), stdout=out)
    assert "Đã sao lưu" in out.getvalue()
    with tarfile.open(archive) as tar:
        names = tar.getnames()
    assert {"data.jsonl", "info.json", "MANIFEST.sha256"} <= set(names)
    assert any(n.startswith("media/original_images/") for n in names)

    empty_installation()
    call_command("restore", str(archive), stdout=io.StringIO())

    after = snapshot()
    assert after["counts"] == before["counts"]
    for label, rows in before["rows"].items():
        changed = [
            (r["id"], k, v, a.get(k))
            for r, a in zip(rows, after["rows"][label], strict=True)
            for k, v in r.items()
            if a.get(k) != v
        ]
        assert not changed, (label, changed[:5])
    assert after["images"] == before["images"]
    # The restored site works: pages, redirects, search.
    relic = RelicPage.objects.get(slug="dinh-dong-khe", locale__language_code="vi")
    assert client.get(relic.url).status_code == 200
    assert client.get("/dinh-cu").status_code in (301, 302)
    assert "Đình Đông Khê" in client.get("/search/", {"q": "dinh dong khe"}).content.decode()


@pytest.mark.django_db(transaction=True)
def test_restore_refuses_a_tampered_archive_and_a_site_with_content(tmp_path, district):
    make_relic(district["wards"][0], with_images=True, artifacts=1)
    archive = tmp_path / "sao-luu.tar.gz"
    call_command("backup", "--out", str(archive), stdout=io.StringIO())
    checked = io.StringIO()
    call_command("restore", str(archive), "--dry-run", stdout=checked)
    assert "Tệp sao lưu nguyên vẹn" in checked.getvalue()
    assert "đã có dữ liệu" in checked.getvalue()
    with pytest.raises(CommandError, match="đã có dữ liệu"):
        call_command("restore", str(archive), stdout=io.StringIO())
    empty_installation()
    # A changed image inside the archive: refused before anything is touched.
    with pytest.raises(CommandError, match="không khớp mã kiểm tra"):
        call_command("restore", str(rewrite(archive, tmp_path / "a.tar", flip_image)))
    # A backup of a newer version (its manifest made to match): asks for an update first.
    with pytest.raises(CommandError, match="phiên bản mới hơn"):
        call_command("restore", str(rewrite(archive, tmp_path / "b.tar", future_info)))
    assert not RelicPage.objects.exists() and not get_image_model().objects.exists()
    assert not list(Path(settings.MEDIA_ROOT).iterdir())


def flip_image(name: str, data: bytes) -> bytes:
    if name.startswith("media/original_images/"):
        return data[:-1] + bytes([data[-1] ^ 1])
    return data


def future_info(name: str, data: bytes) -> bytes:
    import json

    if name == "info.json":
        info = json.loads(data)
        info["migrations"]["content"] = "9999_from_the_future"
        return json.dumps(info).encode()
    return data


def rewrite(archive: Path, target: Path, change) -> Path:
    """A copy of the archive with members changed; the manifest redone only for `info.json`."""
    members = {}
    with tarfile.open(archive) as src:
        for member in src:
            if member.isfile():
                members[member.name] = change(member.name, src.extractfile(member).read())
    if change is future_info:
        manifest = "".join(
            f"{hashlib.sha256(data).hexdigest()}  {name}\n"
            for name, data in members.items()
            if name != "MANIFEST.sha256"
        )
        members["MANIFEST.sha256"] = manifest.encode()
    with tarfile.open(target, "w") as dst:
        for name, data in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            dst.addfile(info, io.BytesIO(data))
    return target
