"""Storing what a visitor sent: once per phone key, with the relic's Vietnamese page, the ward
responsible and the contact's retention date. Shared by the view and the benchmark checks."""

from __future__ import annotations

import datetime
import secrets
import uuid

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone

from content.models import RelicPage
from feedback.forms import RatingForm, ReportForm, VisitorPostForm
from feedback.models import ContactPurpose, Rating, Report


def canonical_relic(page: RelicPage) -> RelicPage:
    """The relic's page in the default language: figures and moderation follow the relic."""
    if page.locale.language_code == settings.LANGUAGE_CODE:
        return page
    return (
        RelicPage.objects.filter(
            translation_key=page.translation_key, locale__language_code=settings.LANGUAGE_CODE
        ).first()
        or page
    )


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
    """(row, created): the row stored under this key now, or the one stored before."""
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
        if row.photo:
            row.photo.delete(save=False)
        existing = model.objects.filter(client_key=client_key).first()
        if existing is None:
            raise
        return existing, False
    return row, True


def store_rating(form: RatingForm, page: RelicPage, language: str) -> tuple[Rating, bool]:
    now = timezone.now()
    data = form.cleaned_data
    fields = {
        "relic": canonical_relic(page),
        "language": language,
        "created_at": now,
        "score": data["score"],
        "comment": data.get("comment", ""),
        **_contact_fields(form, ContactPurpose.REPLY, now),
    }
    return _create_once(Rating, _client_key(form), fields)


def store_report(form: ReportForm, page: RelicPage, language: str) -> tuple[Report, bool]:
    now = timezone.now()
    data = form.cleaned_data
    relic = canonical_relic(page)
    fields = {
        "relic": relic,
        "ward_id": relic.get_parent().pk,
        "language": language,
        "created_at": now,
        "kind": data["kind"],
        "description": data.get("description", ""),
        **_contact_fields(form, ContactPurpose.FOLLOW_UP, now),
    }
    return _create_once(Report, _client_key(form), fields, photo=data.get("photo"))
