"""A plaque's URL outlives every edit: codes are given once, kept, and answer sensibly for ever."""

import importlib

import pytest

from content.models import DistrictSettings, RelicPage
from media_pipeline.models import ShortCode, ShortCodeHistory
from media_pipeline.qr.codes import ALPHABET, normalize_code
from media_pipeline.qr.short_codes import code_for_page, repoint_code
from tests.factories import make_place, make_relic, publish, translate

Reason = ShortCodeHistory.Reason


def scan(client, code, language="vi", **headers):
    return client.get(f"/Q/{code}", HTTP_ACCEPT_LANGUAGE=language, **headers)


def test_a_new_relic_gets_a_short_upper_case_code(district):
    relic = make_relic(district["wards"][0])
    short = code_for_page(relic)
    assert short is not None and short.page_id == relic.pk
    assert 4 <= len(short.code) <= 10 and set(short.code) <= set(ALPHABET)
    assert normalize_code(short.code.lower()) == short.code
    assert [h.reason for h in short.history.all()] == [Reason.CREATED]
    # Other page types get one only when staff ask for it.
    assert code_for_page(make_place(district["wards"][0])) is None


def test_the_code_survives_edits_slug_changes_moves_and_translation(district):
    ward_a, ward_b = district["wards"]
    relic = make_relic(ward_a)
    code = code_for_page(relic).code
    relic.title, relic.slug = "Đình Đông Khê (sửa)", "dinh-dong-khe-moi"
    publish(relic)
    relic.move(ward_b, pos="last-child")
    english = translate(RelicPage.objects.get(pk=relic.pk))
    assert code_for_page(relic).code == code == code_for_page(english).code
    assert ShortCode.objects.count() == 1


def test_one_code_walks_through_the_life_of_its_relic(client, district, django_user_model):
    ward_a, ward_b = district["wards"]
    settings = DistrictSettings.for_site(district["site"])
    settings.contact_phone = "0225 123 4567"
    settings.save()
    relic = make_relic(ward_a, "Đình Đông Khê")
    code = code_for_page(relic).code

    assert scan(client, code).url == relic.url == "/di-tich/dong-khe/dinh-dong-khe/"
    assert scan(client, code.lower()).url == relic.url  # any letter case

    relic.slug = "dinh-lang-dong-khe"
    publish(relic)
    assert scan(client, code).url == "/di-tich/dong-khe/dinh-lang-dong-khe/"

    relic.move(ward_b, pos="last-child")
    assert scan(client, code).url == "/di-tich/lach-tray/dinh-lang-dong-khe/"

    english = translate(RelicPage.objects.get(pk=relic.pk), title="Dong Khe Communal House")
    assert scan(client, code, "en-GB,en;q=0.9").url == english.url
    assert english.url.startswith("/en/")
    # Not in Korean yet: the Vietnamese page under /ko/, with a Korean interface and notice.
    assert scan(client, code, "ko-KR,ko;q=0.9").url == "/ko/di-tich/lach-tray/dinh-lang-dong-khe/"

    RelicPage.objects.get(pk=relic.pk).unpublish()
    closed = scan(client, code)
    html = closed.content.decode()
    assert closed.status_code == 200
    assert "Đình Đông Khê" in html and "0225 123 4567" in html and "tạm đóng" in html
    closed_en = scan(client, code, "en").content.decode()
    assert 'lang="en"' in closed_en and "Temporarily closed" in closed_en
    assert "Dong Khe Communal House" in closed_en  # named in the visitor's language

    RelicPage.objects.get(pk=relic.pk).delete()
    tombstone = scan(client, code)
    assert tombstone.status_code == 410
    assert "Đình Đông Khê" in tombstone.content.decode()
    assert 'role="search"' in tombstone.content.decode()
    assert "no longer in use" in scan(client, code, "en").content.decode()

    staff = django_user_model.objects.create_user("bientap", password="x")
    successor = make_relic(ward_b, "Đình Đông Khê mới")
    repoint_code(ShortCode.objects.get(code=code), successor, staff, note="Gộp hồ sơ")
    assert scan(client, code).url == successor.url
    history = list(ShortCode.objects.get(code=code).history.all())
    assert [(h.reason, h.page_title) for h in history] == [
        (Reason.CREATED, "Đình Đông Khê"),
        (Reason.PAGE_DELETED, "Đình Đông Khê"),
        (Reason.REPOINTED, "Đình Đông Khê mới"),
    ]
    assert history[-1].changed_by == staff and history[-1].note == "Gộp hồ sơ"


def test_deleting_a_ward_leaves_tombstones_for_its_relics(client, district):
    ward = district["wards"][0]
    codes = [code_for_page(make_relic(ward, f"Chùa số {n}")).code for n in range(2)]
    ward.delete()
    for n, code in enumerate(codes):
        response = scan(client, code)
        assert response.status_code == 410 and f"Chùa số {n}" in response.content.decode()
    assert ShortCode.objects.filter(retired_at__isnull=False).count() == 2


def test_codes_are_never_deleted_so_never_reused(district):
    from django.db.models import ProtectedError

    short = code_for_page(make_relic(district["wards"][0]))
    with pytest.raises(ProtectedError):
        short.delete()


def test_a_copied_relic_gets_a_code_of_its_own(district):
    relic = make_relic(district["wards"][0])
    copy = relic.copy(update_attrs={"slug": "ban-sao", "title": "Bản sao"})
    assert code_for_page(copy).code != code_for_page(relic).code


def test_relics_made_before_qr_plaques_get_codes_when_migrating(district):
    from django.apps import apps

    migration = importlib.import_module("media_pipeline.migrations.0001_initial")
    relic = make_relic(district["wards"][0])
    translate(relic)
    ShortCodeHistory.objects.all().delete()
    ShortCode.objects.all().delete()
    migration.give_existing_relics_codes(apps, None)
    (short,) = ShortCode.objects.all()
    assert short.page_id == relic.pk and [h.reason for h in short.history.all()] == ["created"]
