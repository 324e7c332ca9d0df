"""The share button's desktop fallback: a QR of the page, drawn by this site, for its own pages
only; and the button itself on relic, place and 360° pages, hidden until the script runs."""

import re
import subprocess
from xml.etree import ElementTree

import pytest
from django.utils import translation

from media_pipeline.qr.short_codes import code_for_page
from tests.factories import make_place, make_relic
from tests.installed import tool

SVG_NS = {"svg": "http://www.w3.org/2000/svg"}


@pytest.fixture(autouse=True)
def vietnamese_urls():
    with translation.override("vi"):
        yield


def decode_svg(svg: bytes, tmp_path) -> list[str]:
    """Draw the SVG's dark runs as pixels, then read it as a phone's camera app would."""
    from PIL import Image, ImageDraw

    root = ElementTree.fromstring(svg)
    side = int(root.get("viewBox").split()[2])
    scale = 8
    image = Image.new("L", (side * scale, side * scale), 255)
    draw = ImageDraw.Draw(image)
    d = root.find("svg:path", SVG_NS).get("d")
    for x, y, n in re.findall(r"M(\d+) (\d+)h(\d+)v1h-\d+z", d):
        x, y, n = int(x), int(y), int(n)
        draw.rectangle([x * scale, y * scale, (x + n) * scale - 1, (y + 1) * scale - 1], fill=0)
    png = tmp_path / "qr.png"
    image.save(png)
    zbarimg = [tool("zbarimg"), "--raw", "-q", str(png)]
    done = subprocess.run(zbarimg, capture_output=True, text=True, check=False)
    return done.stdout.split()


def test_qr_of_a_page_reads_back_as_its_full_address(client, district, tmp_path):
    relic = make_relic(district["wards"][0])
    response = client.get("/share/qr.svg", {"path": relic.url}, HTTP_HOST="disan.example.vn")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/svg+xml"
    assert "public" in response["Cache-Control"]
    assert decode_svg(response.content, tmp_path) == [f"http://disan.example.vn{relic.url}"]
    # Self-contained: no script, no link to anywhere else.
    assert b"<script" not in response.content and b"href" not in response.content


@pytest.mark.parametrize(
    "path",
    [
        "",
        "https://evil.example/",
        "//evil.example/di-tich/",
        "/\\evil.example/",
        "/di-tich/\x00/",
        "/di-tich/" + "a/" * 300,
        "/no such page",
    ],
)
def test_anything_but_a_path_of_this_site_is_refused_with_a_reason(client, db, path):
    response = client.get("/share/qr.svg", {"path": path})
    assert response.status_code == 400
    assert "Không tạo được mã QR" in response.content.decode()


def test_relic_page_has_a_share_button_hidden_until_the_script_runs(client, district):
    relic = make_relic(district["wards"][0])
    html = client.get(relic.url, HTTP_HOST="testserver").content.decode()
    start = html.index('<div class="share"')
    share = html[start : html.index("</div>\n</div>", start)]
    # A real button with its name, hidden without JavaScript; the panel too.
    assert re.search(r'<button type="button" class="share-button" hidden>.*Chia sẻ</button>', share)
    assert '<div class="share-panel" id="share-panel" hidden>' in share
    assert f'data-url="http://testserver{relic.url}"' in share
    # The QR is drawn by this site, and only fetched when the panel opens (data-src).
    assert f'data-src="/share/qr.svg?path={relic.url}"' in share
    assert ' src="' not in share.split("<img", 1)[1].split(">", 1)[0].replace("data-src", "")
    # The plaque code: a visited relic opens from its plaque without signal.
    assert f'data-codes="{code_for_page(relic).code}"' in share


def test_place_and_360_pages_have_the_share_button_in_the_visitors_language(client, district):
    place = make_place(district["wards"][0], "Quán Bánh đa cua")
    assert 'class="share-button"' in client.get(place.url).content.decode()
    with translation.override("en"):
        html = client.get("/en/360/").content.decode()
    assert 'class="share-button" hidden><span aria-hidden="true">↗</span> Share</button>' in html
