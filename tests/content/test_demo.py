from django.core.management import call_command

from content.models import Artifact, Inscription, RelicPage, TourismPlacePage, WardPage


def test_demo_district_is_complete_and_idempotent(db, client):
    call_command("load_demo_district", verbosity=0)
    counts = (RelicPage.objects.count(), Artifact.objects.count(), TourismPlacePage.objects.count())
    call_command("load_demo_district", verbosity=0)
    assert (
        RelicPage.objects.count(),
        Artifact.objects.count(),
        TourismPlacePage.objects.count(),
    ) == counts
    vi_relics = RelicPage.objects.filter(locale__language_code="vi")
    assert vi_relics.count() >= 16
    assert WardPage.objects.filter(locale__language_code="vi").count() >= 3
    assert Inscription.objects.exists() and Artifact.objects.exists()
    assert all("Nội dung mẫu" in r.summary for r in vi_relics)
    home = client.get("/")
    assert home.status_code == 200 and "nội dung mẫu" in home.content.decode().lower()
    relic = vi_relics.get(slug="dinh-dong-khe")
    response = client.get(relic.url)
    assert response.status_code == 200
    assert 'hreflang="en"' in response.content.decode()
