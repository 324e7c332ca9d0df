"""Structured logs: one JSON object per line, and one line per request.

Production settings (`heritage_site/settings/production.py`) send every log record through
`JsonFormatter` to standard error, and `RequestLogMiddleware` (first in the middleware) writes
one `heritage_site.request` line per request: request id, method, path, status and duration.
No IP address, cookie, query string or user agent is ever written (Vietnamese privacy law, and
the project's rule: nothing that identifies a visitor is kept); the request id comes from the
`X-Request-ID` header nginx sets (`$request_id`), or is made here, and is sent back.
"""

from __future__ import annotations

import json
import logging
import re
import time
import uuid
from datetime import UTC, datetime

request_logger = logging.getLogger("heritage_site.request")
REQUEST_ID = re.compile(r"\A[0-9A-Za-z\-]{8,64}\Z")
# Record attributes copied into the JSON line when a caller passes them in `extra`.
FIELDS = ("request_id", "method", "path", "status", "duration_ms", "job", "check")


class JsonFormatter(logging.Formatter):
    """A log record as one JSON line: time (UTC), level, logger, message, known fields."""

    def format(self, record: logging.LogRecord) -> str:
        line = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        for name in FIELDS:
            value = getattr(record, name, None)
            if value is not None:
                line[name] = value
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        return json.dumps(line, ensure_ascii=False, default=str)


def json_logging(level: str) -> dict:
    """The LOGGING setting of production: JSON lines on standard error."""
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"json": {"()": "heritage_site.logs.JsonFormatter"}},
        "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "json"}},
        "root": {"handlers": ["console"], "level": level},
        "loggers": {
            # One line per request at INFO (the default); LOG_LEVEL=WARNING (benchmarks) quiets it.
            "heritage_site.request": {"level": level},
            # Its lines repeat what the request line says, with the client's address inside.
            "django.server": {"handlers": [], "propagate": False},
        },
    }


def request_id(request) -> str:
    given = request.META.get("HTTP_X_REQUEST_ID", "")  # request.headers would copy all
    return given if REQUEST_ID.match(given) else uuid.uuid4().hex


class RequestLogMiddleware:
    """One log line per request, without anything that identifies the visitor."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = time.perf_counter()
        request.request_id = request_id(request)
        response = self.get_response(request)
        response["X-Request-ID"] = request.request_id
        request_logger.info(
            "%s %s %s",
            request.method,
            request.path,
            response.status_code,
            extra={
                "request_id": request.request_id,
                "method": request.method,
                "path": request.path,
                "status": response.status_code,
                "duration_ms": round((time.perf_counter() - started) * 1000, 1),
            },
        )
        return response
