"""Headers that keep visitor pages on our own host and out of other sites' frames."""

from heritage_site.security_headers import permissions_policy, visitor_policy


class SecurityHeadersMiddleware:
    """A strict Content-Security-Policy for visitor pages; the Wagtail admin keeps its own."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.path.startswith("/admin/") or "Content-Security-Policy" in response:
            return response
        response["Content-Security-Policy"] = visitor_policy()
        response.setdefault("Permissions-Policy", permissions_policy(geolocation=True))
        return response
