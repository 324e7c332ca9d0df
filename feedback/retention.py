"""Contact details are kept for FEEDBACK_CONTACT_RETENTION_DAYS, then wiped from the rows."""

from __future__ import annotations

import datetime

from django.utils import timezone

from feedback.models import Rating, Report

CLEARED = {
    "contact": "",
    "contact_purpose": "",
    "contact_consent_at": None,
    "contact_keep_until": None,
}


def expired_contacts(now: datetime.datetime | None = None) -> dict[str, int]:
    """How many ratings and reports hold a contact past its retention date."""
    now = now or timezone.now()
    return {
        model._meta.model_name: model.objects.filter(contact_keep_until__lte=now).count()
        for model in (Rating, Report)
    }


def purge_contacts(now: datetime.datetime | None = None) -> dict[str, int]:
    """Wipe every contact past its retention date; the rating or report itself stays."""
    now = now or timezone.now()
    return {
        model._meta.model_name: model.objects.filter(contact_keep_until__lte=now).update(**CLEARED)
        for model in (Rating, Report)
    }
