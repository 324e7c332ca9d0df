"""Staff login throttling with django-axes: who is locked out, what is kept, for how long.

After AXES_FAILURE_LIMIT wrong passwords for one username from one client, that pair is locked
out for AXES_COOLOFF_TIME (other clients, the real editor's own among them, can still sign in).
The client is not kept as its IP address: `client_pseudonym` turns the address into a keyed
hash shaped as an IPv6 address of the private fd00::/8 range (axes stores a GenericIPAddress),
the same for the same address within one installation and meaningless outside it. Axes keeps a
failed attempt (username, that pseudonym, the browser's user-agent string, the path) only until
the cool-off ends: expired rows are deleted at the next login event and by every db_worker
(`forget_expired_attempts`). Successful logins are not logged (AXES_DISABLE_ACCESS_LOG).
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def client_pseudonym(request: HttpRequest) -> str:
    """The client as a pseudonymous IPv6 address (AXES_CLIENT_IP_CALLABLE)."""
    header = settings.LOGIN_CLIENT_IP_HEADER
    address = (request.META.get(header) if header else None) or request.META.get("REMOTE_ADDR")
    address = (address or "").split(",")[-1].strip()
    digest = hmac.new(settings.SECRET_KEY.encode(), address.encode(), hashlib.sha256).digest()
    return str(ipaddress.IPv6Address(b"\xfd" + digest[:15]))


def lockout_response(
    request: HttpRequest, original_response=None, credentials=None
) -> HttpResponse:
    """The admin's login page, saying in Vietnamese why it refuses and until when."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    context = {
        "failure_limit": settings.AXES_FAILURE_LIMIT,
        "minutes": minutes,
        "page_title": "Tạm khóa đăng nhập",
    }
    template = "heritage_site/admin/lockout.html"
    return render(request, template, context, status=settings.AXES_HTTP_RESPONSE_CODE)


def forget_expired_attempts() -> int:
    """Delete failed-login records older than the cool-off; how many went."""
    from axes.models import AccessAttempt
    from django.utils import timezone

    expired = AccessAttempt.objects.filter(
        attempt_time__lte=timezone.now() - settings.AXES_COOLOFF_TIME
    )
    return expired.delete()[0]
