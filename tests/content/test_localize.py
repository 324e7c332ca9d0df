"""Translators' workflow with wagtail-localize: PO export, per-field translation, import."""

import pytest
from django.utils import translation
from wagtail.models import Locale
from wagtail_localize.models import Translation
from wagtail_localize.operations import translate_object

from tests.factories import make_relic


@pytest.fixture(autouse=True)
def vietnamese_urls():
    with translation.override("vi"):
        yield


def test_translator_exports_a_po_file_translates_it_and_visitors_see_french(
    client, district, django_capture_on_commit_callbacks
):
    relic = make_relic(district["wards"][0], summary="Đình làng cổ.")
    fr = Locale.objects.create(language_code="fr")
    # Submitting for translation copies the French ancestors as needed and makes a draft.
    translate_object(relic, [fr])
    job = Translation.objects.get(source__object_id=relic.translation_key, target_locale=fr)

    po = job.export_po()
    by_source = {entry.msgid: entry for entry in po}
    assert "Đình Đông Khê" in by_source and "Đình làng cổ." in by_source
    by_source["Đình Đông Khê"].msgstr = "Maison communale de Đông Khê"
    by_source["Đình làng cổ."].msgstr = "Une ancienne maison communale."
    job.import_po(po)
    with django_capture_on_commit_callbacks(execute=True):  # wagtail-localize publishes on commit
        job.save_target(publish=True)

    french = relic.get_translation(fr)
    assert french.title == "Maison communale de Đông Khê" and french.live
    url = french.url
    html = client.get(url).content.decode()
    assert url.startswith("/fr/")
    assert "<h1>Maison communale de Đông Khê</h1>" in html
    assert "Une ancienne maison communale." in html
    assert "pas encore traduite" not in html
