"""Pages and feeds reach a phone compressed; a page with a CSRF token never is (BREACH)."""

import gzip

import brotli
import pytest
from wagtail.models import PageViewRestriction

from heritage_site.compression import chosen_encoding
from tests.factories import make_relic


@pytest.fixture
def relic(district):
    return make_relic(district["wards"][0], title="Đình Đông Khê")


@pytest.mark.parametrize(
    ("accept", "encoding", "decode"),
    [
        ("gzip, deflate, br, zstd", "br", brotli.decompress),
        ("gzip, deflate", "gzip", gzip.decompress),
    ],
)
def test_pages_and_feeds_are_compressed(client, relic, accept, encoding, decode):
    for url in (relic.url, "/api/geo/relics.geojson", "/api/ogc/collections"):
        plain = client.get(url)
        packed = client.get(url, HTTP_ACCEPT_ENCODING=accept)
        assert "Content-Encoding" not in plain and "Accept-Encoding" in plain["Vary"]
        assert packed["Content-Encoding"] == encoding, url
        assert decode(packed.content) == plain.content
        assert len(packed.content) < len(plain.content) / (2 if url == relic.url else 1)
        assert int(packed["Content-Length"]) == len(packed.content)


def test_a_page_with_a_csrf_token_is_sent_uncompressed(client, relic, settings):
    settings.PAGE_CACHE_SECONDS = 300
    PageViewRestriction.objects.create(
        page=relic, restriction_type=PageViewRestriction.PASSWORD, password="bimat"
    )
    for _ in range(2):
        response = client.get(relic.url, HTTP_ACCEPT_ENCODING="gzip, br")
        assert response.status_code == 200
        assert "csrfmiddlewaretoken" in response.content.decode()
        assert "Content-Encoding" not in response
        assert "X-Page-Cache" not in response  # and never stored for the next visitor


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("br;q=0, gzip", "gzip"),
        ("identity", None),
        ("*", "br"),
        ("gzip;q=0", None),
        ("", None),
        ("BR", "br"),
        ("gzip;q=junk", None),
    ],
)
def test_the_encoding_follows_accept_encoding(header, expected):
    assert chosen_encoding(header) == expected
