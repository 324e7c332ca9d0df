"""Small factories for tests: a district tree, relics with children, translations, media."""

import io
from decimal import Decimal
from itertools import count

from django.core.files.images import ImageFile
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image as PILImage
from wagtail.images import get_image_model
from wagtail.models import Locale, Page, Site

from content.demo import ensure_tree_roots
from content.models import (
    Artifact,
    HomePage,
    Inscription,
    Narration,
    RelicIndexPage,
    RelicPage,
    TourismIndexPage,
    TourismPlacePage,
    WardPage,
)
from tests.audio_files import mp3_bytes

_seq = count(1)


def make_image(title: str = "Ảnh thử", size=(64, 48), color=(120, 30, 30)):
    buf = io.BytesIO()
    PILImage.new("RGB", size, color).save(buf, "JPEG")
    image = get_image_model()(title=title)
    image.file = ImageFile(buf, name=f"test-{next(_seq)}.jpg")
    image.save()
    return image


def publish(page: Page) -> Page:
    page.save_revision().publish()
    page.refresh_from_db()
    return page


def translate(page: Page, language: str = "en", **fields) -> Page:
    """A published copy of ``page`` in ``language`` (its missing ancestors too), with ``fields``."""
    locale, _created = Locale.objects.get_or_create(language_code=language)
    copy = page.copy_for_translation(locale, copy_parents=True)
    for key, value in fields.items():
        setattr(copy, key, value)
    publish(copy)
    for ancestor in copy.get_ancestors().filter(depth__gt=1).specific():
        if not ancestor.live:
            publish(ancestor)
    return copy


def make_district(wards=("Đông Khê", "Lạch Tray")) -> dict:
    """Home → relic index → wards, with the home page as the default site's root."""
    root = ensure_tree_roots()
    home = root.add_child(instance=HomePage(title="Quận Thử", slug="quan-thu"))
    site = Site.objects.filter(is_default_site=True).first() or Site(is_default_site=True)
    site.hostname, site.root_page = site.hostname or "localhost", home
    site.save()
    index = home.add_child(instance=RelicIndexPage(title="Di tích", slug="di-tich"))
    ward_pages = [index.add_child(instance=WardPage(title=name)) for name in wards]
    return {"home": home, "index": index, "wards": ward_pages, "site": site}


def make_relic(
    ward: WardPage,
    title: str = "Đình Đông Khê",
    *,
    artifacts=0,
    inscriptions=0,
    lat="20.856100",
    lon="106.682200",
    with_images=False,
    **fields,
) -> RelicPage:
    relic = RelicPage(
        title=title,
        latitude=Decimal(lat) if lat else None,
        longitude=Decimal(lon) if lon else None,
        summary=fields.pop("summary", f"Tóm tắt về {title}."),
        **fields,
    )
    relic.artifacts = [
        Artifact(
            inventory_number=f"HV-{n:03d}",
            name=f"Hiện vật {n}",
            material="Đồng",
            image=make_image(f"hv {n}") if with_images else None,
        )
        for n in range(artifacts)
    ]
    relic.inscriptions = [
        Inscription(
            title=f"Bia số {n}",
            original_text="重修亭碑記",
            transliteration="Trùng tu đình bi ký",
            translation="Bia ghi việc trùng tu đình",
            rubbing_image=make_image(f"bd {n}") if with_images else None,
        )
        for n in range(inscriptions)
    ]
    ward.add_child(instance=relic)
    return publish(relic)


def add_records(relic: RelicPage, artifacts=0, inscriptions=0, image=None) -> RelicPage:
    """Hundreds of artifacts and inscriptions on a live relic, in two bulk inserts (as an
    inventory import leaves them), numbered after the ones it has."""
    start_a = relic.artifacts.count()
    start_i = relic.inscriptions.count()
    rows = [
        Artifact(
            relic=relic,
            sort_order=n,
            inventory_number=f"HV-{n:03d}",
            name=f"Hiện vật {n}",
            material="Đồng",
            image=image,
        )
        for n in range(start_a, start_a + artifacts)
    ]
    for row in rows:
        row.search_key = row.search_text()
    Artifact.objects.bulk_create(rows)
    rows = [
        Inscription(
            relic=relic,
            sort_order=n,
            title=f"Bia số {n}",
            original_text="重修亭碑記",
            transliteration="Trùng tu đình bi ký",
            translation="Bia ghi việc trùng tu đình",
            rubbing_image=image,
        )
        for n in range(start_i, start_i + inscriptions)
    ]
    for row in rows:
        row.search_key = row.search_text()
    Inscription.objects.bulk_create(rows)
    return relic


def directory_of(page: Page) -> TourismIndexPage:
    """The tourism directory under the page's district home, made (published) if missing."""
    home = page.get_ancestors(inclusive=True).type(HomePage).last()
    directory = TourismIndexPage.objects.child_of(home).first()
    if directory is None:
        directory = home.add_child(instance=TourismIndexPage(title="Du lịch", slug="du-lich"))
        publish(directory)
    return directory


def make_place(
    ward: WardPage,
    title: str = "Quán Bánh đa cua",
    lat="20.857000",
    lon="106.683000",
    with_image=False,
    **fields,
) -> TourismPlacePage:
    """A published place in the district's tourism directory, in ``ward``."""
    place = TourismPlacePage(
        title=title,
        ward=ward,
        latitude=Decimal(lat),
        longitude=Decimal(lon),
        image=make_image(title) if with_image else None,
        **fields,
    )
    directory_of(ward).add_child(instance=place)
    return publish(place)


def make_narration(relic, language="vi", data=None, transcript="Lời thuyết minh mẫu.") -> Narration:
    narration = Narration(relic=relic, language=language, transcript=transcript)
    narration.file = SimpleUploadedFile("doc.mp3", data or mp3_bytes(2), "audio/mpeg")
    narration.full_clean()
    narration.save()
    return narration


def make_staff(district: dict) -> dict:
    """A reviewer for the district and an editor for its first ward, with the review workflow."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    from content.permissions import REVIEWERS_GROUP, ensure_review_workflow, ward_group_name

    User = get_user_model()
    workflow = ensure_review_workflow(district["home"])
    editor = User.objects.create_user(
        "bien_tap", "bientap@example.vn", "x", first_name="Lan", last_name="Nguyễn"
    )
    editor.groups.add(Group.objects.get(name=ward_group_name(district["wards"][0])))
    reviewer = User.objects.create_user(
        "nguoi_duyet", "duyet@example.vn", "x", first_name="Minh", last_name="Trần"
    )
    reviewer.groups.add(Group.objects.get(name=REVIEWERS_GROUP))
    return {"editor": editor, "reviewer": reviewer, "workflow": workflow}
