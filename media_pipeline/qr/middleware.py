"""Plaque scans answered like static files: before sessions, auth, CSRF and messages."""

from media_pipeline.qr.views import redirect_for_scan


class QrResolverMiddleware:
    """Redirects `/Q/<code>` scans of live pages itself; everything else goes on to the view.

    Placed right after WhiteNoise: a scan needs none of the middleware below, and skipping them
    roughly halves its cost. Closed pages, tombstones and 404s are rendered by the view.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        path = request.path_info
        if path[:3] in ("/Q/", "/q/"):
            response = redirect_for_scan(request, path[3:])
            if response is not None:
                return response
        return self.get_response(request)
