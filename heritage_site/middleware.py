"""Headers that keep visitor pages on our own host and out of other sites' frames."""

from django.conf import settings


class SecurityHeadersMiddleware:
    """A strict Content-Security-Policy for visitor pages; the Wagtail admin keeps its own."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.path.startswith("/admin/") or "Content-Security-Policy" in response:
            return response
        tile_hosts = " ".join(getattr(settings, "CSP_IMG_HOSTS", []))
        response["Content-Security-Policy"] = (
            f"default-src 'self'; img-src 'self' data: blob: {tile_hosts}".rstrip()
            + "; style-src 'self' 'unsafe-inline'; script-src 'self'; "
            "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
        )
        response.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=(self)")
        return response
