"""Who may fetch the IOC feeds."""

from maps.headers import cors_headers

IOC = "https://ioc.haiphong.example.vn"


def test_cors_allows_only_ioc_hosts():
    allowed = cors_headers(IOC, [IOC])
    assert allowed["Access-Control-Allow-Origin"] == IOC
    assert allowed["Vary"] == "Origin"
    refused = cors_headers("https://evil.example.com", [IOC])
    assert "Access-Control-Allow-Origin" not in refused
    assert "Access-Control-Allow-Origin" not in cors_headers(None, [IOC])
