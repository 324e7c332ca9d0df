"""Visitor views: the relic page's data in a fixed number of queries, and site search."""

from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils.translation import gettext as _
from wagtail.images import get_image_model
from wagtail.models import Locale

from content.models import Artifact, Inscription, RelicPage, TourismPlacePage
from content.text import fold

MAX_QUERY_LENGTH = 200


def images_by_id(ids) -> dict:
    """Fetch images and their renditions in two queries, however many there are."""
    ids = {i for i in ids if i}
    if not ids:
        return {}
    return {
        img.pk: img for img in get_image_model().objects.filter(pk__in=ids).prefetch_renditions()
    }


def relic_page_context(page: RelicPage) -> dict:
    """Inscriptions, artifacts and nearby places with their images, in a constant query count."""
    inscriptions = list(page.inscriptions.all())
    artifacts = list(page.artifacts.all())
    places = page.nearby_places()
    wanted = [page.hero_image_id]
    for ins in inscriptions:
        wanted += [ins.rubbing_image_id, ins.photo_id]
    for art in artifacts:
        wanted += [art.image_id, *art.extra_image_ids()]
    wanted += [p.image_id for p in places]
    images = images_by_id(wanted)
    for ins in inscriptions:
        ins.rubbing = images.get(ins.rubbing_image_id)
        ins.photo_image = images.get(ins.photo_id)
    for art in artifacts:
        art.main_image = images.get(art.image_id)
        art.gallery = [images[i] for i in art.extra_image_ids() if i in images]
    for place in places:
        place.thumb = images.get(place.image_id)
    return {
        "hero": images.get(page.hero_image_id),
        "inscriptions": inscriptions,
        "artifacts": artifacts,
        "nearby_places": places,
    }


def search(request):
    """Finds relics, places, inscriptions and artifacts, with or without diacritics."""
    raw = (request.GET.get("q") or "").strip()[:MAX_QUERY_LENGTH]
    query = fold(raw)
    locale = Locale.get_active()
    pages = inscriptions = artifacts = []
    if query:
        pages = list(
            RelicPage.objects.live().filter(locale=locale).search(query, operator="and")[:50]
        ) + list(
            TourismPlacePage.objects.live().filter(locale=locale).search(query, operator="and")[:20]
        )
        live_relics = RelicPage.objects.live().filter(locale=locale).values("pk")
        inscriptions = _match_records(Inscription, query, live_relics)
        artifacts = _match_records(Artifact, query, live_relics)
    # Titles that hold the whole query come first: `dinh dong khe` → Đình Đông Khê.
    pages.sort(key=lambda p: query not in fold(p.title))
    results = Paginator(pages, 20).get_page(request.GET.get("page"))
    return render(
        request,
        "content/search.html",
        {
            "query": raw,
            "results": results,
            "inscriptions": inscriptions,
            "artifacts": artifacts,
            "page_title": _("Tìm kiếm"),
        },
    )


def _match_records(model, query: str, live_relics, limit: int = 30) -> list:
    """Records whose diacritic-free search key holds every word of the query, on live relics."""
    rows = model.objects.filter(relic__in=live_relics).select_related("relic")
    for word in query.split():
        rows = rows.filter(search_key__contains=word)
    return list(rows[:limit])
