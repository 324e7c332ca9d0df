import pytest
from django.db import transaction

from content.models import RelicPage, TourismPlacePage, WardPage
from tests.maps.factories import build_geo_district
from tests.s3_server import moto_server, s3_media  # noqa: F401  (fixtures: a local S3 server)


@pytest.fixture(scope="module")
def _geo_module(django_db_setup, django_db_blocker):
    # Built once per module inside a transaction; each test runs in a savepoint within it
    # (pytest-django's db fixture) and the whole module's data is rolled back at the end.
    with django_db_blocker.unblock(), transaction.atomic():
        data = build_geo_district()
        yield data
        transaction.set_rollback(True)


@pytest.fixture
def geo_district(db, _geo_module):
    """The module's district, with fresh page objects for each test."""
    d = dict(_geo_module)
    d["wards"] = [WardPage.objects.get(pk=w.pk) for w in d["wards"]]
    d["relics"] = [RelicPage.objects.get(pk=r.pk) for r in d["relics"]]
    d["draft"] = RelicPage.objects.get(pk=d["draft"].pk)
    d["places"] = [TourismPlacePage.objects.get(pk=p.pk) for p in d["places"]]
    return d
