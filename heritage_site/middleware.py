"""Headers that keep visitor pages on our own host and out of other sites' frames."""

from django.conf import settings


def content_security_policy(ancestors: str = "frame-ancestors 'none'") -> str:
    """The visitor pages' policy; views meant for iframes pass maps.headers.frame_ancestors()."""
    tile_hosts = " ".join(getattr(settings, "CSP_IMG_HOSTS", []))
    return (
        f"default-src 'self'; img-src 'self' data: blob: {tile_hosts}".rstrip()
        + "; style-src 'self' 'unsafe-inline'; script-src 'self'; "
        f"object-src 'none'; base-uri 'self'; form-action 'self'; {ancestors}"
    )


class SecurityHeadersMiddleware:
    """A strict Content-Security-Policy for visitor pages; the Wagtail admin keeps its own."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.path.startswith("/admin/") or "Content-Security-Policy" in response:
            return response
        response["Content-Security-Policy"] = content_security_policy()
        response.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=(self)")
        return response
