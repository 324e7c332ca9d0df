"""Who may frame the embed map and who may fetch the IOC feeds."""

import pytest

from maps.headers import check_origins, cors_headers, frame_ancestors

PORTAL = "https://congthongtin.ngoquyen.example.vn"
IOC = "https://ioc.haiphong.example.vn"


def test_frame_ancestors_lists_only_the_configured_portals():
    assert frame_ancestors([PORTAL + "/", "HTTPS://Portal2.example.vn:8443"]) == (
        f"frame-ancestors 'self' {PORTAL} https://portal2.example.vn:8443"
    )
    assert frame_ancestors([]) == "frame-ancestors 'self'"


@pytest.mark.parametrize(
    "bad",
    ["portal.example.vn", "https://a.vn/path", "https://a.vn; script-src *", "*", "ftp://a.vn"],
)
def test_bad_origin_in_settings_is_refused_by_name(bad):
    with pytest.raises(ValueError, match="MAP_EMBED_ORIGINS"):
        check_origins([bad], "MAP_EMBED_ORIGINS")


def test_cors_allows_only_ioc_hosts():
    allowed = cors_headers(IOC, [IOC])
    assert allowed["Access-Control-Allow-Origin"] == IOC
    assert allowed["Vary"] == "Origin"
    refused = cors_headers("https://evil.example.com", [IOC])
    assert "Access-Control-Allow-Origin" not in refused
    assert "Access-Control-Allow-Origin" not in cors_headers(None, [IOC])


def test_tile_origin_for_csp_from_the_url_template():
    from maps.headers import tile_origins

    assert tile_origins("https://tile.openstreetmap.org/{z}/{x}/{y}.png") == (
        "https://tile.openstreetmap.org",
    )
    assert tile_origins("https://{s}.tile.example.vn/{z}/{x}/{y}.png") == (
        "https://*.tile.example.vn",
    )
    assert tile_origins("") == ()
    with pytest.raises(ValueError, match="MAP_TILES_URL"):
        tile_origins("tile.example.vn/{z}/{x}/{y}.png")


def test_map_policy_allows_only_the_nonce_and_our_scripts():
    from maps.headers import map_policy

    policy = map_policy("abc", ["https://tile.example.vn"], "frame-ancestors 'none'")
    assert "script-src 'self' 'nonce-abc';" in policy
    assert "img-src 'self' data: blob: https://tile.example.vn;" in policy
    assert policy.endswith("frame-ancestors 'none'") and "unsafe-eval" not in policy
