"""The database shell of the to-do list: every relic's facts in a fixed number of queries.

One query per kind of thing (relics, wards, inscriptions, artifacts, panoramas, narrations,
translations, codes with their scans, plaque batches), each grouped by relic in SQL, so the
list costs the same number of queries for 10 relics or 10,000.
"""

from __future__ import annotations

from collections import defaultdict

from django.conf import settings
from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from wagtail.models import Page
from wagtail.permission_policies.pages import PagePermissionPolicy

from content.models import Artifact, Inscription, Narration, RelicPage, WardPage
from content.text import fold
from media_pipeline.panoramas.models import Panorama
from media_pipeline.qr.models import DailyScanCount, PlaqueBatch, ShortCode
from progress.checklist import RelicFacts

STEPLEN = Page.steplen


def relics_for(user, ward_id: int | None = None) -> QuerySet[RelicPage]:
    """The Vietnamese relic pages the user may edit (a ward's editors: their ward; reviewers:
    the district), optionally one ward's."""
    relics = RelicPage.objects.filter(locale__language_code=settings.LANGUAGE_CODE)
    if not user.is_superuser:
        editable = PagePermissionPolicy().instances_user_has_permission_for(user, "change")
        relics = relics.filter(pk__in=editable.values("pk"))
    if ward_id is not None:
        relics = relics.filter(path__startswith=WardPage.objects.get(pk=ward_id).path)
    return relics


def wards_for(user) -> list[WardPage]:
    """Wards with at least one relic the user may edit, in tree order (one query)."""
    inside = relics_for(user).filter(path__startswith=OuterRef("path"))
    wards = WardPage.objects.filter(locale__language_code=settings.LANGUAGE_CODE)
    return list(wards.filter(Exists(inside)).order_by("path"))


def _counts_by_relic(queryset, **counts) -> dict[int, dict[str, int]]:
    rows = queryset.values("relic_id").annotate(**counts).order_by()
    return {row.pop("relic_id"): row for row in rows}


def collect(relics: QuerySet[RelicPage]) -> list[RelicFacts]:
    """Facts of these relics, by ward then title."""
    ids = relics.values("pk")
    rows = list(
        relics.order_by("path").values(
            "pk",
            "title",
            "path",
            "live",
            "ranking",
            "hero_image_id",
            "latitude",
            "longitude",
            "summary",
            "translation_key",
        )
    )
    parent_paths = {row["path"][:-STEPLEN] for row in rows}
    wards = {
        w["path"]: (w["pk"], w["title"])
        for w in WardPage.objects.filter(path__in=parent_paths).values("pk", "path", "title")
    }
    inscriptions = _counts_by_relic(
        Inscription.objects.filter(relic_id__in=ids),
        total=Count("pk"),
        without_rubbing=Count("pk", filter=Q(rubbing_image__isnull=True)),
        without_translation=Count("pk", filter=Q(translation="")),
    )
    artifacts = _counts_by_relic(
        Artifact.objects.filter(relic_id__in=ids),
        total=Count("pk"),
        without_photo=Count("pk", filter=Q(image__isnull=True)),
        without_number=Count("pk", filter=Q(inventory_number="")),
    )
    panoramas = _counts_by_relic(
        Panorama.objects.filter(relic_id__in=ids).exclude(tiles_version=""), total=Count("pk")
    )
    narrations = defaultdict(set)
    for relic_id, language in Narration.objects.filter(relic_id__in=ids).values_list(
        "relic_id", "language"
    ):
        narrations[relic_id].add(language)
    keys = relics.values("translation_key")
    translations = defaultdict(set)
    for key, language in (
        Page.objects.filter(translation_key__in=keys)
        .exclude(locale__language_code=settings.LANGUAGE_CODE)
        .values_list("translation_key", "locale__language_code")
    ):
        translations[key].add(language)
    # A code belongs to the relic its page translates; scans are counted over all its codes.
    scanned = DailyScanCount.objects.filter(code=OuterRef("pk"))
    codes: dict = defaultdict(lambda: [False, False])  # translation_key → [has a code, scanned]
    for key, was_scanned in (
        ShortCode.objects.filter(page__translation_key__in=keys)
        .annotate(scanned=Exists(scanned))
        .values_list("page__translation_key", "scanned")
    ):
        codes[key][0] = True
        codes[key][1] |= was_scanned
    printed_pages = {
        page_id
        for page_ids in PlaqueBatch.objects.filter(status=PlaqueBatch.Status.DONE).values_list(
            "page_ids", flat=True
        )
        for page_id in page_ids or ()
    }
    facts = []
    for row in rows:
        ward_id, ward = wards.get(row["path"][:-STEPLEN], (None, "—"))
        pk, key = row["pk"], row["translation_key"]
        ins, art = inscriptions.get(pk, {}), artifacts.get(pk, {})
        has_code, was_scanned = codes.get(key, (False, False))
        facts.append(
            RelicFacts(
                id=pk,
                title=row["title"],
                ward_id=ward_id,
                ward=ward,
                ranking=row["ranking"],
                live=row["live"],
                has_photo=row["hero_image_id"] is not None,
                has_coordinates=row["latitude"] is not None and row["longitude"] is not None,
                has_summary=bool(row["summary"].strip()),
                inscriptions=ins.get("total", 0),
                inscriptions_without_rubbing=ins.get("without_rubbing", 0),
                inscriptions_without_translation=ins.get("without_translation", 0),
                artifacts=art.get("total", 0),
                artifacts_without_photo=art.get("without_photo", 0),
                artifacts_without_number=art.get("without_number", 0),
                panoramas=panoramas.get(pk, {}).get("total", 0),
                narrations=frozenset(narrations.get(pk, ())),
                translations=frozenset(translations.get(key, ())),
                plaque_printed=pk in printed_pages,
                has_code=has_code,
                scanned=was_scanned,
            )
        )
    return sorted(facts, key=lambda f: (fold(f.ward), fold(f.title)))
