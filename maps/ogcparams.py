"""OGC API – Features query parameters the GeoJSON feeds do not have: ``datetime``, ``f``, ids.

Pure functions; a bad value raises FeedParamError (400 in the views, as /req/core/query-param-
invalid asks). Instants and intervals follow /req/core/fc-time-response: RFC 3339 date-times,
``a/b``, ``../b``, ``a/..`` (an empty end means the same as ``..``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from maps.features import FeedParamError

# RFC 3339 §5.6 date-time (leap second 60 left out: Python cannot hold it), or a full-date.
DATE_TIME_RE = (
    r"[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])"
    r"([Tt]([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9](\.[0-9]{1,6})?"
    r"([Zz]|[+-]([01][0-9]|2[0-3]):[0-5][0-9]))?"
)
# The whole parameter (an instant, or an interval with at least one end), also the pattern of
# its schema in the OpenAPI document.
DATETIME_PATTERN = (
    rf"^({DATE_TIME_RE}|({DATE_TIME_RE}|\.\.)?/{DATE_TIME_RE}|{DATE_TIME_RE}/(\.\.)?)$"
)
_INSTANT = re.compile(rf"^{DATE_TIME_RE}$", re.ASCII)
_WHOLE = re.compile(DATETIME_PATTERN, re.ASCII)
FEATURE_ID_RE = re.compile(r"^(0|[1-9][0-9]{0,17})$", re.ASCII)  # below 2**63: a database id


@dataclass(frozen=True)
class TimeRange:
    """A closed-open range [start, end) in UTC; None is unbounded on that side."""

    start: datetime | None
    end: datetime | None

    def contains(self, moment: datetime | None) -> bool:
        """Whether a feature stamped ``moment`` is selected; a feature without one always is."""
        if moment is None:
            return True
        if self.start is not None and moment < self.start:
            return False
        return self.end is None or moment < self.end


def _instant(text: str) -> tuple[datetime, datetime | None]:
    """(first, after-last) moment a date-time or date stands for, at its written precision;
    None after the last moment Python can hold (year 9999)."""
    try:
        if "T" not in text.upper():
            day = date.fromisoformat(text)
            start, step = datetime(day.year, day.month, day.day, tzinfo=UTC), timedelta(days=1)
        else:
            moment = datetime.fromisoformat(text.upper().replace("Z", "+00:00"))
            try:
                start = moment.astimezone(UTC)
            except OverflowError:  # 9999-12-31T23:00-01:00 is in year 10000 in UTC
                start = (datetime.max if moment.year > 1 else datetime.min).replace(tzinfo=UTC)
            step = timedelta(microseconds=1) if "." in text else timedelta(seconds=1)
    except (ValueError, OverflowError):
        raise FeedParamError("datetime", f"datetime có ngày giờ không tồn tại: «{text}».") from None
    try:
        return start, start + step
    except OverflowError:
        return start, None


def parse_datetime(text: str | None) -> TimeRange | None:
    """``datetime`` as a range: an instant covers its own second (or day for a date)."""
    if text is None or text == "":
        return None
    text = str(text)
    if not _WHOLE.match(text):
        raise FeedParamError(
            "datetime",
            "datetime phải là ngày giờ RFC 3339 (2024-05-01T08:00:00Z) hoặc khoảng "
            f"«đầu/cuối», «../cuối», «đầu/..»; không phải «{text}».",
        )
    if _INSTANT.match(text):
        return TimeRange(*_instant(text))
    first, last = text.split("/")
    start = _instant(first)[0] if first not in ("", "..") else None
    end = _instant(last)[1] if last not in ("", "..") else None
    if start is not None and end is not None and start >= end:
        raise FeedParamError("datetime", f"datetime: đầu khoảng sau cuối khoảng («{text}»).")
    return TimeRange(start, end)


def check_known(params: Mapping[str, object], known: Iterable[str]) -> None:
    """400 for a parameter the API definition does not declare (/req/core/query-param-unknown)."""
    allowed = set(known)
    unknown = sorted(name for name in params if name not in allowed)
    if unknown:
        raise FeedParamError(
            unknown[0],
            f"Tham số không có trong định nghĩa API: {', '.join(unknown)}; "
            f"dùng: {', '.join(sorted(allowed))}.",
        )
    # Every declared parameter has a type or values an empty string is not.
    empty = sorted(name for name, value in params.items() if value in ("", None))
    if empty:
        raise FeedParamError(
            empty[0], f"Tham số để trống: {', '.join(empty)}; bỏ đi hoặc cho giá trị."
        )


def check_format(value: str | None) -> None:
    """``f``: JSON only (GeoJSON for features); HTML is not offered, so ``f=html`` is a 400."""
    if value not in (None, "json"):
        raise FeedParamError("f", f"f chỉ nhận «json»; «{value}» không có ở API này.")


def feature_id(text: str) -> int | None:
    """A feature id as the database knows it, or None (→ 404) for anything else."""
    return int(text) if FEATURE_ID_RE.match(text) else None
