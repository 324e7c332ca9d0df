"""Schemathesis hooks for auditing /api/ogc/api: the rules OpenAPI 3.0 cannot write down.

OpenAPI 3.0 has no per-position schema for an array (``prefixItems`` came with 3.1) and no
cross-field rules, so a generated "valid" request can still be one the API definition's
descriptions call invalid: a latitude of 120 in ``bbox``, a south edge above the north one,
30 February, an interval that ends before it starts. Those positive cases are dropped here, by
rules written apart from the server's own parser. One negative case is dropped too: ``limit``
above the maximum, which OGC API – Features requires the server to clamp, not refuse
(/req/core/fc-limit-response-1 C).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import schemathesis

MAX_LIMIT = 1000


def _numbers(value: Any) -> list[float] | None:
    if isinstance(value, str):
        value = value.split(",")
    if not isinstance(value, list | tuple):
        return None
    try:
        return [float(v) for v in value]
    except (TypeError, ValueError):
        return None


def _bbox_is_meaningful(value: Any) -> bool:
    numbers = _numbers(value)
    if numbers is None or len(numbers) not in (4, 6):
        return True  # not a box at all: the schema decides
    if len(numbers) == 6:
        numbers = [numbers[0], numbers[1], numbers[3], numbers[4]]
    west, south, east, north = numbers
    return all(-180 <= x <= 180 for x in (west, east)) and -90 <= south <= north <= 90


def _moment(text: str) -> datetime | None:
    """A bound as a comparable UTC-naive moment; None for an open bound."""
    if text in ("", ".."):
        return None
    if "T" not in text.upper():
        return datetime.combine(date.fromisoformat(text), datetime.min.time())
    moment = datetime.fromisoformat(text.upper().replace("Z", "+00:00"))
    offset = moment.utcoffset()
    return moment.replace(tzinfo=None) - offset if offset is not None else moment


def _datetime_is_meaningful(value: Any) -> bool:
    if not isinstance(value, str):
        return True
    try:
        bounds = [_moment(part) for part in value.split("/")]
    except (ValueError, OverflowError):
        return False  # matches the pattern, but no such day or time
    if len(bounds) == 2 and None not in bounds:
        return bounds[0] <= bounds[1]
    return True


def _above_maximum(limit: Any) -> bool:
    try:
        return int(limit) > MAX_LIMIT
    except (TypeError, ValueError):
        return False


@schemathesis.hook
def filter_case(context: Any, case: Any) -> bool:
    """Generated "valid" requests that the descriptions' cross-field rules call invalid."""
    meta = getattr(case, "meta", None)
    if meta is not None and not meta.generation.mode.is_positive:
        return True
    query = case.query or {}
    return _bbox_is_meaningful(query.get("bbox")) and _datetime_is_meaningful(query.get("datetime"))


@schemathesis.hook
def filter_failure(context: Any, failure: Any, case: Any, response: Any) -> bool:
    """Every failure counts but an accepted ``limit`` above the maximum: the standard clamps."""
    message = getattr(failure, "message", "")
    clamped = (
        type(failure).__name__ == "AcceptedNegativeData"
        and response.status_code == 200
        # schemathesis words it "limit: Value greater than maximum" or "violates `maximum`"
        and "parameter `limit` in query" in message
        and "maximum" in message
        and _above_maximum((case.query or {}).get("limit"))
    )
    return not clamped
