"""Security headers, scored page by page: visitor pages, embeds and the Wagtail admin.

Each page earns one point per header a careful operator checks (as securityheaders.com and
Mozilla Observatory do); the score of every page is printed (`pytest -s`) and must be full.
Requests are made over HTTPS with the production settings' HTTPS values, so HSTS is scored.
"""

import re

import pytest
from django.test import override_settings

from tests.factories import make_relic, publish

PRODUCTION_HTTPS = {
    "SECURE_HSTS_SECONDS": 31536000,
    "SECURE_HSTS_INCLUDE_SUBDOMAINS": True,
    "SECURE_HSTS_PRELOAD": True,
}


def _directives(policy: str) -> dict[str, list[str]]:
    parts = (p.strip().split() for p in policy.split(";") if p.strip())
    return {p[0]: p[1:] for p in parts}


def score(response, *, framable: bool) -> tuple[int, list[str]]:
    """(points, what is missing) over ten checks."""
    missing = []
    csp = _directives(response.get("Content-Security-Policy", ""))
    checks = {
        "CSP present": bool(csp),
        "CSP default-src 'self'": csp.get("default-src") == ["'self'"],
        "CSP scripts without unsafe-inline/unsafe-eval/wildcards": bool(csp.get("script-src"))
        and not any(
            s in ("'unsafe-inline'", "'unsafe-eval'", "*", "https:", "http:", "data:")
            or s.startswith("*")
            for s in csp.get("script-src", [])
        ),
        "CSP object-src 'none'": csp.get("object-src") == ["'none'"],
        "CSP frame-ancestors": bool(csp.get("frame-ancestors"))
        and (framable or csp["frame-ancestors"] in (["'none'"], ["'self'"])),
        "X-Content-Type-Options nosniff": response.get("X-Content-Type-Options") == "nosniff",
        "Referrer-Policy": response.get("Referrer-Policy")
        in ("same-origin", "strict-origin", "strict-origin-when-cross-origin", "no-referrer"),
        "Permissions-Policy camera/microphone off": "camera=()"
        in response.get("Permissions-Policy", "")
        and "microphone=()" in response.get("Permissions-Policy", ""),
        "HSTS one year": int(
            (re.search(r"max-age=(\d+)", response.get("Strict-Transport-Security", "")) or [0, 0])[
                1
            ]
        )
        >= 31536000,
        "Cross-Origin-Opener-Policy": response.get("Cross-Origin-Opener-Policy") == "same-origin",
    }
    for name, ok in checks.items():
        if not ok:
            missing.append(name)
    return len(checks) - len(missing), missing


@pytest.fixture
def pages(district):
    relic = publish(make_relic(district["wards"][0]))
    return {
        "visitor": [
            "/",
            relic.url,
            "/search/?q=%C4%91%C3%ACnh",
            "/map/",
            "/near-me/",
            "/360/",
            "/en/",
        ],
        "embed": ["/map/embed/", "/360/embed/"],
        "admin": ["/admin/login/", "/admin/", f"/admin/pages/{relic.pk}/edit/", "/admin/images/"],
    }


@pytest.mark.django_db
def test_every_page_scores_full_marks(client, admin_client, pages):
    results = []
    with override_settings(**PRODUCTION_HTTPS):
        for group, paths in pages.items():
            for path in paths:
                browser = admin_client if group == "admin" and path != "/admin/login/" else client
                response = browser.get(path, secure=True)
                assert response.status_code == 200, (path, response.status_code)
                points, missing = score(response, framable=group == "embed")
                results.append((group, path, points, missing))
    report = [f"  {p:2d}/10  {g:8s} {path}  {'; '.join(m)}" for g, path, p, m in results]
    print("\nSecurity headers, points per page:\n" + "\n".join(report))  # noqa: T201
    assert [r for r in results if r[3]] == []


@pytest.mark.django_db
def test_admin_scripts_carry_the_nonce_of_their_own_page(admin_client, district):
    """The relic editor carries Wagtail's inline scripts (InlinePanel, choosers, also inside the
    template of a new row): every one has this response's nonce, and only that nonce is allowed."""
    relic = make_relic(district["wards"][0])
    response = admin_client.get(f"/admin/pages/{relic.pk}/edit/")
    html = response.content.decode()
    script_src = _directives(response["Content-Security-Policy"])["script-src"]
    assert script_src[0] == "'self'" and len(script_src) == 2
    nonce = re.fullmatch(r"'nonce-([\w-]+)'", script_src[1])[1]
    tags = re.findall(r"<script\b[^>]*>", html)
    assert len(tags) > 10
    assert all(f'nonce="{nonce}"' in tag for tag in tags)
    assert 'new ImageChooser("id_artifacts-__prefix__-image"' in html
    again = admin_client.get(f"/admin/pages/{relic.pk}/edit/")["Content-Security-Policy"]
    assert nonce not in again


def test_nonce_goes_on_every_script_tag_once():
    from heritage_site.security_headers import add_script_nonce

    html = '<script src="/a.js"></script><SCRIPT>x()</SCRIPT><script nonce="n">y()</script>'
    assert add_script_nonce(html, "abc") == (
        '<script nonce="abc" src="/a.js"></script><script nonce="abc">x()</SCRIPT>'
        '<script nonce="n">y()</script>'
    )
    assert add_script_nonce("<scripts>", "abc") == "<scripts>"
