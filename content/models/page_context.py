"""What a relic page shows besides its own fields, gathered in a fixed number of queries.

Kept apart from the views so that page models and the offline manifest can use it without
importing a view.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.utils.translation import get_language
from wagtail import hooks
from wagtail.images import get_image_model

from content.languages import speech_tag
from content.models.narration import Narration

if TYPE_CHECKING:
    from content.models.pages import RelicPage

PLAYBACK_SPEEDS = [0.75, 1, 1.25, 1.5]
# Wagtail hook name: functions registered under it take (relic page, context dict) and add to it.
RELIC_PAGE_CONTEXT_HOOK = "construct_relic_page_context"


def images_by_id(ids) -> dict:
    """Fetch images and their renditions in two queries, however many there are."""
    ids = {i for i in ids if i}
    if not ids:
        return {}
    return {
        img.pk: img for img in get_image_model().objects.filter(pk__in=ids).prefetch_renditions()
    }


def narration_for(page: RelicPage, language: str) -> Narration | None:
    """The recording in the visitor's language, whichever translation of the relic holds it."""
    return (
        Narration.objects.filter(relic__translation_key=page.translation_key, language=language)
        .order_by("-updated_at")
        .first()
    )


def relic_page_context(page: RelicPage, language: str | None = None) -> dict:
    """Inscriptions, artifacts, places and panoramas with their images, and the narration, in
    a constant query count."""
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
    context = {
        "hero": images.get(page.hero_image_id),
        "inscriptions": inscriptions,
        "artifacts": artifacts,
        "nearby_places": places,
        "narration": narration_for(page, language or get_language()),
        "playback_speeds": PLAYBACK_SPEEDS,
        # The phone's own voice reads the text in the language it is written in.
        "speech_lang": speech_tag(page.locale.language_code),
    }
    # Other rooms (the panorama viewer) add their part without content importing them.
    for add_to_context in hooks.get_hooks(RELIC_PAGE_CONTEXT_HOOK):
        add_to_context(page, context)
    return context
