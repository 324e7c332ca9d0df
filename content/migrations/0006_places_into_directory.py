"""Tourism places move from under their ward to the district's tourism directory (/du-lich/).

Each place keeps its ward in the new `ward` field, and its old address answers a permanent
redirect (Vietnamese and every language prefix), so printed links and bookmarks keep working.
Written with the historical models and plain tree arithmetic (places have no children), because
a migration cannot call Wagtail's page.move().
"""

import uuid

from django.conf import settings
from django.db import migrations
from django.db.models import F
from django.utils import timezone

STEPLEN = 4  # Wagtail's materialised-path step: 4 base-36 digits per level
ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
DIRECTORY_SLUG = "du-lich"
DIRECTORY_TITLE = "Du lịch"


def _step(number):
    digits = ""
    while number:
        number, rest = divmod(number, 36)
        digits = ALPHABET[rest] + digits
    return digits.rjust(STEPLEN, "0")


def _next_child_path(Page, parent):
    last = (
        Page.objects.filter(path__startswith=parent.path, depth=parent.depth + 1)
        .order_by("-path")
        .values_list("path", flat=True)
        .first()
    )
    number = int(last[-STEPLEN:], 36) + 1 if last else 1
    return parent.path + _step(number)


def _free_slug(Page, parent, slug):
    taken = set(
        Page.objects.filter(path__startswith=parent.path, depth=parent.depth + 1).values_list(
            "slug", flat=True
        )
    )
    candidate, n = slug, 1
    while candidate in taken:
        n += 1
        candidate = f"{slug}-{n}"
    return candidate


def _directory(apps, home, keys):
    """The home page's directory, created (live, like its home) when it has none."""
    Page = apps.get_model("wagtailcore", "Page")
    Index = apps.get_model("content", "TourismIndexPage")
    ContentType = apps.get_model("contenttypes", "ContentType")
    existing = Index.objects.filter(path__startswith=home.path, depth=home.depth + 1).first()
    if existing is not None:
        return existing
    content_type, _created = ContentType.objects.get_or_create(
        app_label="content", model="tourismindexpage"
    )
    slug = _free_slug(Page, home, DIRECTORY_SLUG)
    now = timezone.now()
    # Translations of one directory share a translation key, as Wagtail's own copies do.
    key = keys.setdefault(home.translation_key, uuid.uuid4())
    index = Index.objects.create(
        title=DIRECTORY_TITLE,
        draft_title=DIRECTORY_TITLE,
        slug=slug,
        content_type=content_type,
        path=_next_child_path(Page, home),
        depth=home.depth + 1,
        numchild=0,
        url_path=f"{home.url_path}{slug}/",
        locale_id=home.locale_id,
        translation_key=key,
        live=home.live,
        has_unpublished_changes=False,
        first_published_at=now if home.live else None,
        last_published_at=now if home.live else None,
    )
    Page.objects.filter(pk=home.pk).update(numchild=F("numchild") + 1)
    return index


def move_places_into_directory(apps, schema_editor):
    Page = apps.get_model("wagtailcore", "Page")
    Site = apps.get_model("wagtailcore", "Site")
    Locale = apps.get_model("wagtailcore", "Locale")
    Home = apps.get_model("content", "HomePage")
    Ward = apps.get_model("content", "WardPage")
    Place = apps.get_model("content", "TourismPlacePage")
    Redirect = apps.get_model("wagtailredirects", "Redirect")

    wards = {w.path: w for w in Ward.objects.all()}
    homes = list(Home.objects.order_by("path"))
    sites = list(Site.objects.select_related("root_page"))
    languages = {lid: code for lid, code in Locale.objects.values_list("pk", "language_code")}
    others = [code for code, _name in settings.LANGUAGES if code != settings.LANGUAGE_CODE]
    keys = {}
    # Translations first: their own /xx/ address wins over the Vietnamese page's fallback one.
    default_last = sorted(
        Place.objects.order_by("path"),
        key=lambda p: languages.get(p.locale_id) == settings.LANGUAGE_CODE,
    )
    for place in default_last:
        ward = wards.get(place.path[:-STEPLEN])
        home = next((h for h in homes if place.path.startswith(h.path)), None)
        if ward is None or home is None:
            continue
        index = _directory(apps, home, keys)
        index.refresh_from_db()
        slug = _free_slug(Page, index, place.slug)
        old_relative = "/" + place.url_path[len(home.url_path) :]
        Page.objects.filter(pk=place.pk).update(
            path=_next_child_path(Page, index),
            depth=index.depth + 1,
            slug=slug,
            url_path=f"{index.url_path}{slug}/",
        )
        Place.objects.filter(pk=place.pk).update(ward_id=ward.pk)
        Page.objects.filter(pk=ward.pk).update(numchild=F("numchild") - 1)
        Page.objects.filter(pk=index.pk).update(numchild=F("numchild") + 1)

        language = languages.get(place.locale_id)
        if language == settings.LANGUAGE_CODE:
            prefixes = ["", *(f"/{code}" for code in others)]
        else:
            prefixes = [f"/{language}"]
        site = next(
            (s for s in sites if s.root_page.translation_key == home.translation_key), None
        )
        for prefix in prefixes:
            Redirect.objects.get_or_create(
                old_path=(prefix + old_relative).rstrip("/"),
                site=site,
                defaults={
                    "is_permanent": True,
                    "redirect_page_id": place.pk,
                    "automatically_created": True,
                },
            )


def fold_inscription_keys(apps, schema_editor):
    """Search keys now hold the Hán Nôm original too, so `重修` finds the inscription."""
    from content.text import fold

    Inscription = apps.get_model("content", "Inscription")
    for ins in Inscription.objects.all():
        parts = [ins.title, ins.transliteration, ins.translation, ins.original_text]
        key = fold(" ".join(p for p in parts if p))
        if key != ins.search_key:
            Inscription.objects.filter(pk=ins.pk).update(search_key=key)


class Migration(migrations.Migration):
    dependencies = [
        ("content", "0005_tourism_directory"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("wagtailredirects", "0008_add_verbose_name_plural"),
    ]

    operations = [
        migrations.RunPython(move_places_into_directory, migrations.RunPython.noop),
        migrations.RunPython(fold_inscription_keys, migrations.RunPython.noop),
    ]
