"""Publishing a relic builds its rubbings' tiles; its IIIF manifest is valid and only public."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.images import ImageFile
from django.utils import translation
from wagtail.images import get_image_model
from wagtail.models import Locale

from content.models import Artifact, DistrictSettings, Inscription
from media_pipeline.iiif.models import IIIFTileSet
from tests.factories import make_relic, publish
from tests.media_pipeline.iiif_helpers import iiif_parse, jpeg_bytes, rubbing

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def vietnamese_urls():
    with translation.override("vi"):
        yield


def wagtail_image(title: str, size=(1100, 1500), mode="L"):
    image = get_image_model()(title=title)
    image.file = ImageFile(io.BytesIO(jpeg_bytes(rubbing(*size, mode))), name="rubbing.jpg")
    image.save()
    return image


@pytest.fixture
def relic(district, django_capture_on_commit_callbacks, settings):
    settings.IIIF_ARTIFACT_MIN_SIDE = 1000
    page = make_relic(district["wards"][0], title="Đình Hàng Kênh")
    page.inscriptions = [
        Inscription(title="Bia Hậu thần", rubbing_image=wagtail_image("bd 1")),
        Inscription(title="Câu đối", rubbing_image=None),
    ]
    page.artifacts = [
        Artifact(
            inventory_number="HV-01",
            name="Long ngai",
            image=wagtail_image("hv", (1200, 800), "RGB"),
        ),
        Artifact(
            inventory_number="HV-02",
            name="Bát hương",
            image=wagtail_image("nho", (300, 200), "RGB"),
        ),
    ]
    with django_capture_on_commit_callbacks(execute=True):
        publish(page)
    return page


def tiles_of(image_id: int) -> IIIFTileSet:
    return IIIFTileSet.objects.get(image_id=image_id)


def test_publishing_builds_tiles_for_rubbings_and_large_photos_only(relic):
    ins = relic.inscriptions.get(title="Bia Hậu thần")
    big, small = (a.image_id for a in relic.artifacts.order_by("inventory_number"))
    tiles = tiles_of(ins.rubbing_image_id)
    assert tiles.status == "ready" and tiles.progress == 100 and tiles.error_message == ""
    assert (tiles.width, tiles.height) == (1100, 1500)
    published = Path(settings.MEDIA_ROOT) / "iiif" / str(ins.rubbing_image_id) / tiles.version
    info = json.loads((published / "info.json").read_text())
    assert (
        info["id"]
        == tiles.base_id
        == f"http://testserver/media/iiif/{ins.rubbing_image_id}/{tiles.version}"
    )
    assert info["profile"] == "level0"
    assert tiles_of(big).status == "ready"
    assert not IIIFTileSet.objects.filter(image_id=small).exists()


def test_republishing_an_unchanged_relic_queues_nothing_and_keeps_the_version(
    relic, django_capture_on_commit_callbacks
):
    ins = relic.inscriptions.get(title="Bia Hậu thần")
    before = tiles_of(ins.rubbing_image_id)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        publish(relic)
    after = tiles_of(ins.rubbing_image_id)
    assert after.version == before.version and after.updated_at == before.updated_at
    assert not any("enqueue" in getattr(c, "__name__", "") for c in callbacks)


def test_a_refused_new_file_fails_with_a_vietnamese_message_and_keeps_the_old_tiles(
    relic, django_capture_on_commit_callbacks, settings
):
    ins = relic.inscriptions.get(title="Bia Hậu thần")
    image = ins.rubbing_image
    old = tiles_of(image.pk)
    settings.IIIF_MAX_PIXELS = 2_000_000
    with django_capture_on_commit_callbacks(execute=True):
        image.file = ImageFile(io.BytesIO(jpeg_bytes(rubbing(1600, 1600))), name="thay-the.jpg")
        image.save()
    now = tiles_of(image.pk)
    assert now.status == "failed" and "vượt giới hạn" in now.error_message
    assert now.version == old.version  # visitors keep the last good set
    assert (Path(settings.MEDIA_ROOT) / "iiif" / str(image.pk) / old.version / "info.json").exists()


def test_manifest_is_presentation_3_with_languages_rights_and_attribution(client, relic):
    district = DistrictSettings.for_site(relic.get_site())
    district.district_name, district.province_name = "Quận Lê Chân", "Hải Phòng"
    district.save()
    en = Locale.objects.create(language_code="en")
    english = relic.copy_for_translation(en, copy_parents=True, alias=False)
    english.title = "Hang Kenh communal house"
    english.summary = "A communal house with carved boards."
    for ins in english.inscriptions.all():
        ins.title = "Stele of the tutelary god" if ins.rubbing_image_id else "Couplet"
        ins.save()
    english.save_revision().publish()

    response = client.get(f"/iiif/{relic.pk}/manifest.json")
    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == "*"
    assert response["Content-Type"].startswith("application/ld+json")
    data = response.json()
    assert data["@context"] == "http://iiif.io/api/presentation/3/context.json"
    assert data["id"] == f"http://testserver/iiif/{relic.pk}/manifest.json"
    assert data["type"] == "Manifest"
    assert data["label"] == {"vi": ["Đình Hàng Kênh"], "en": ["Hang Kenh communal house"]}
    assert data["rights"] == "http://rightsstatements.org/vocab/InC-EDU/1.0/"
    statement = data["requiredStatement"]
    assert set(statement["label"]) == {"vi", "en"}
    assert "Quận Lê Chân" in statement["value"]["vi"][0]
    homepages = {h["language"][0]: h["id"] for h in data["homepage"]}
    assert homepages["vi"] == f"http://testserver{relic.url}"
    assert homepages["en"].startswith("http://testserver/en/")

    canvases = data["items"]
    assert len(canvases) == 2  # the rubbing, then the large artifact photo; not the small one
    rubbing_canvas, photo_canvas = canvases
    assert rubbing_canvas["label"]["vi"][0].startswith("Bia Hậu thần")
    assert rubbing_canvas["label"]["en"][0].startswith("Stele of the tutelary god")
    assert (rubbing_canvas["width"], rubbing_canvas["height"]) == (1100, 1500)
    body = rubbing_canvas["items"][0]["items"][0]["body"]
    assert body["service"][0]["type"] == "ImageService3"
    assert body["service"][0]["profile"] == "level0"
    assert rubbing_canvas["items"][0]["items"][0]["target"] == rubbing_canvas["id"]
    assert photo_canvas["label"]["vi"] == ["HV-01 — Long ngai"]
    # Every image the manifest names is a file we serve.
    for canvas in canvases:
        for url in (canvas["thumbnail"][0]["id"], canvas["items"][0]["items"][0]["body"]["id"]):
            path = url.removeprefix("http://testserver")
            assert client.get(path).status_code == 200, url
        service = canvas["items"][0]["items"][0]["body"]["service"][0]["id"]
        info = client.get(service.removeprefix("http://testserver") + "/info.json")
        assert info.status_code == 200 and info["Access-Control-Allow-Origin"] == "*"

    # A client's parser reads it: @allmaps/iiif-parser (Zod schemas of Presentation 3).
    parsed = iiif_parse({"manifest": data})["manifest"]
    assert parsed["majorVersion"] == 3
    assert [c["width"] for c in parsed["canvases"]] == [1100, 1200]
    assert all(c["imageVersion"] == 3 for c in parsed["canvases"])

    # The English page's id leads to the one manifest of the relic.
    moved = client.get(f"/iiif/{english.pk}/manifest.json")
    assert moved.status_code == 301 and moved["Location"].endswith(
        f"/iiif/{relic.pk}/manifest.json"
    )


def test_only_published_relics_have_manifests(client, relic, district):
    assert client.get(f"/iiif/{relic.pk}/manifest.json").status_code == 200
    ward = district["wards"][0]
    ward.unpublish()
    assert client.get(f"/iiif/{relic.pk}/manifest.json").status_code == 404
    publish(ward)
    relic.unpublish()
    assert client.get(f"/iiif/{relic.pk}/manifest.json").status_code == 404
    assert client.get("/iiif/999999/manifest.json").status_code == 404


def test_relic_without_tiled_images_has_no_manifest(client, district):
    plain = make_relic(district["wards"][0], title="Miếu nhỏ", inscriptions=1)
    assert client.get(f"/iiif/{plain.pk}/manifest.json").status_code == 404


def test_relic_page_offers_the_zoom_button_and_the_manifest(client, relic):
    html = client.get(relic.url).content.decode()
    ins = relic.inscriptions.get(title="Bia Hậu thần")
    tiles = tiles_of(ins.rubbing_image_id)
    assert f'data-iiif-info="/media/iiif/{ins.rubbing_image_id}/{tiles.version}/info.json"' in html
    assert "Phóng to bản dập" in html
    assert "js/rubbing-zoom.js" in html and "openseadragon.min.js" not in html.split("<body")[0]
    assert f'href="/iiif/{relic.pk}/manifest.json"' in html
    # The rendition stays as the view without JavaScript.
    assert html.count("<figcaption>Bản dập</figcaption>") == 1
