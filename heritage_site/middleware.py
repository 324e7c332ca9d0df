"""Headers that keep every page on our own host and out of other sites' frames."""

import secrets

from heritage_site.security_headers import (
    add_script_nonce,
    admin_policy,
    permissions_policy,
    visitor_policy,
)


class SecurityHeadersMiddleware:
    """A Permissions-Policy on every response; a strict CSP on visitor pages (a view that set
    its own, an embed for example, keeps it) and the admin's CSP under /admin/."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        admin = request.path.startswith("/admin/")
        response.setdefault("Permissions-Policy", permissions_policy(geolocation=not admin))
        if "Content-Security-Policy" in response:
            return response
        if admin:
            response["Content-Security-Policy"] = admin_policy(_nonce_scripts(response))
        else:
            response["Content-Security-Policy"] = visitor_policy()
        return response


def _nonce_scripts(response) -> str | None:
    """Put a fresh nonce on the scripts of an admin HTML page; the nonce, or None."""
    if response.streaming or "text/html" not in response.get("Content-Type", ""):
        return None
    nonce = secrets.token_urlsafe(16)
    charset = response.charset or "utf-8"
    response.content = add_script_nonce(response.content.decode(charset), nonce).encode(charset)
    if response.has_header("Content-Length"):
        response["Content-Length"] = str(len(response.content))
    return nonce
