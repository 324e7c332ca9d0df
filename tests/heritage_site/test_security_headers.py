"""The one builder of the visitor pages' CSP, and the origins settings check with it."""

import pytest

from heritage_site.security_headers import (
    check_origins,
    content_security_policy,
    permissions_policy,
    tile_origins,
)

PORTAL = "https://congthongtin.ngoquyen.example.vn"


def _directives(policy: str) -> dict[str, str]:
    return dict(part.strip().split(" ", 1) for part in policy.split(";"))


def test_default_policy_allows_only_our_own_host_and_no_frames():
    assert content_security_policy() == (
        "default-src 'self'; img-src 'self' data: blob:; style-src 'self' 'unsafe-inline'; "
        "script-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; "
        "frame-ancestors 'none'"
    )


def test_frame_ancestors_lists_only_the_configured_portals():
    policy = content_security_policy(
        frame_ancestors=[PORTAL + "/", "HTTPS://Portal2.example.vn:8443"]
    )
    assert policy.endswith(f"frame-ancestors 'self' {PORTAL} https://portal2.example.vn:8443")
    assert content_security_policy(frame_ancestors=[]).endswith("frame-ancestors 'self'")
    with pytest.raises(ValueError, match="frame-ancestors"):
        content_security_policy(frame_ancestors=["https://a.vn; script-src *"])


def test_nonce_and_extra_sources_go_in_their_directives_only():
    policy = content_security_policy(
        img_sources=["https://tile.example.vn"],
        script_sources=["https://cdn.example.vn"],
        connect_sources=["https://ioc.example.vn"],
        nonce="abc",
    )
    csp = _directives(policy)
    assert csp["script-src"] == "'self' https://cdn.example.vn 'nonce-abc'"
    assert csp["img-src"] == "'self' data: blob: https://tile.example.vn"
    assert csp["connect-src"] == "'self' https://ioc.example.vn"
    assert csp["default-src"] == "'self'" and csp["frame-ancestors"] == "'none'"
    assert "unsafe-eval" not in policy


def test_permissions_policy_gives_geolocation_to_our_pages_only():
    assert permissions_policy(geolocation=True) == (
        "camera=(), microphone=(), geolocation=(self), payment=(), usb=()"
    )
    assert permissions_policy(geolocation=False) == (
        "camera=(), microphone=(), geolocation=(), payment=(), usb=()"
    )


@pytest.mark.parametrize(
    "bad",
    ["portal.example.vn", "https://a.vn/path", "https://a.vn; script-src *", "*", "ftp://a.vn"],
)
def test_bad_origin_in_settings_is_refused_by_name(bad):
    with pytest.raises(ValueError, match="MAP_EMBED_ORIGINS"):
        check_origins([bad], "MAP_EMBED_ORIGINS")


def test_tile_origin_for_csp_from_the_url_template():
    assert tile_origins("https://tile.openstreetmap.org/{z}/{x}/{y}.png") == (
        "https://tile.openstreetmap.org",
    )
    assert tile_origins("https://{s}.tile.example.vn/{z}/{x}/{y}.png") == (
        "https://*.tile.example.vn",
    )
    assert tile_origins("") == ()
    with pytest.raises(ValueError, match="MAP_TILES_URL"):
        tile_origins("tile.example.vn/{z}/{x}/{y}.png")
