"""Storing what a visitor sent: once per phone key, with the relic's Vietnamese page, the ward
responsible and the contact's retention date. Shared by the view and the benchmark checks."""

from __future__ import annotations

import datetime
import secrets
import uuid
from dataclasses import dataclass

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from wagtail.models import Page

from content.models import RelicPage
from feedback.forms import RatingForm, ReportForm, VisitorPostForm
from feedback.models import ContactPurpose, Rating, Report


@dataclass(frozen=True)
class Target:
    """The live relic page a visitor posts from, and its page in the default language, which
    figures and moderation follow."""

    page_id: int
    relic_id: int
    relic_path: str


def find_relic(page_id: int) -> Target | None:
    """The live relic page `page_id` (any language), in one query, or two for a translation.

    Value queries rather than page objects: this runs on every post (see bench-feedback).
    """
    relic_type = ContentType.objects.get_for_model(RelicPage)  # cached by Django
    row = (
        Page.objects.filter(pk=page_id, live=True, content_type=relic_type)
        .values_list("translation_key", "locale__language_code", "path")
        .first()
    )
    if row is None:
        return None
    key, language, path = row
    if language != settings.LANGUAGE_CODE:
        source = (
            Page.objects.filter(translation_key=key, locale__language_code=settings.LANGUAGE_CODE)
            .values_list("pk", "path")
            .first()
        )
        if source is not None:
            return Target(page_id, *source)
    return Target(page_id, page_id, path)


def _contact_fields(form: VisitorPostForm, purpose: str, now: datetime.datetime) -> dict:
    contact = form.cleaned_data.get("contact") or ""
    if not contact or not form.cleaned_data.get("contact_consent"):
        return {}
    days = settings.FEEDBACK_CONTACT_RETENTION_DAYS
    return {
        "contact": contact,
        "contact_purpose": purpose,
        "contact_consent_at": now,
        "contact_keep_until": now + datetime.timedelta(days=days),
    }


def _client_key(form: VisitorPostForm) -> str:
    # Without JavaScript there is no offline queue to replay a post: a server-made key will do.
    return form.cleaned_data.get("client_key") or "s-" + secrets.token_urlsafe(24)


def _create_once(model, client_key: str, fields: dict, photo=None):
    """(row, created): the row stored under this key now, or the one stored before.

    The unique key decides; only a photo is worth a look first, so a replay writes no file.
    """
    if photo is not None:
        existing = model.objects.filter(client_key=client_key).first()
        if existing is not None:
            return existing, False
    row = model(client_key=client_key, **fields)
    if photo is not None:
        row.photo.save(f"{uuid.uuid4().hex}.{photo.extension}", ContentFile(photo.data), save=False)
    try:
        with transaction.atomic():
            row.save(force_insert=True)
    except IntegrityError:
        # The same post arrived twice at once (a replay racing the original): keep the first.
        if photo is not None:
            row.photo.delete(save=False)
        existing = model.objects.filter(client_key=client_key).first()
        if existing is None:
            raise
        return existing, False
    return row, True


def store_rating(form: RatingForm, target: Target, language: str) -> tuple[Rating, bool]:
    now = timezone.now()
    data = form.cleaned_data
    fields = {
        "relic_id": target.relic_id,
        "language": language,
        "created_at": now,
        "score": data["score"],
        "comment": data.get("comment", ""),
        **_contact_fields(form, ContactPurpose.REPLY, now),
    }
    return _create_once(Rating, _client_key(form), fields)


def store_report(form: ReportForm, target: Target, language: str) -> tuple[Report, bool]:
    now = timezone.now()
    data = form.cleaned_data
    ward_path = target.relic_path[: -Page.steplen]
    fields = {
        "relic_id": target.relic_id,
        "ward_id": Page.objects.filter(path=ward_path).values_list("pk", flat=True).first(),
        "language": language,
        "created_at": now,
        "kind": data["kind"],
        "description": data.get("description", ""),
        **_contact_fields(form, ContactPurpose.FOLLOW_UP, now),
    }
    return _create_once(Report, _client_key(form), fields, photo=data.get("photo"))
