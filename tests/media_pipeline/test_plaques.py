"""QR plaques: every generated PDF decodes with a real decoder, at print and at phone resolution.

Needs Debian's zbar-tools (zbarimg), poppler-utils (pdftoppm, pdftotext, pdffonts) and
fonts-dejavu-core.
"""

import io
import re
import subprocess
import zipfile
from pathlib import Path
from xml.etree import ElementTree

import pytest
from PIL import Image, ImageDraw, ImageFilter

from media_pipeline.qr.codes import plaque_url
from media_pipeline.qr.plaque_batches import ranking_line
from media_pipeline.qr.plaques import (
    A6,
    MIN_MODULE_MM,
    SIZES,
    BOARD_20x30,
    PlaqueError,
    PlaqueSize,
    PlaqueSpec,
    STICKER_10x10,
    camera_px_per_mm,
    layout_plaque,
    make_qr_matrix,
    render_pdf,
    render_svg,
    render_svg_zip,
    text_width,
)
from tests.installed import tool
from tests.media_pipeline.qr_decoding import PRINT_DPI, decode, rasterise

BASE = "https://disan.example.gov.vn"
SVG_NS = {"svg": "http://www.w3.org/2000/svg"}


def make_spec(code: str = "7F3K2", **overrides) -> PlaqueSpec:
    fields = {
        "name_vi": "Đình Đông Khê",
        "name_en": "Dong Khe Communal House",
        "ranking": "Di tích lịch sử – văn hóa cấp quốc gia",
        "district": "Quận Ngô Quyền, TP Hải Phòng",
        "url": plaque_url(BASE, code),
        "logo": None,
    }
    fields.update(overrides)
    return PlaqueSpec(**fields)


def make_logo() -> bytes:
    img = Image.new("RGB", (240, 240), "#c8102e")
    ImageDraw.Draw(img).regular_polygon((120, 120, 80), 5, fill="#ffcd00")
    buf = io.BytesIO()
    img.save(buf, "PNG")
    return buf.getvalue()


def phone_view(page: Path, distance_m: float) -> Path:
    """The 300 dpi page as the reference phone sees it from `distance_m`: fewer pixels, a little
    blur, washed-out contrast, grey surroundings."""
    img = Image.open(page).convert("L")
    scale = camera_px_per_mm(distance_m) / (PRINT_DPI / 25.4)
    small = img.resize((round(img.width * scale), round(img.height * scale)), Image.Resampling.BOX)
    small = small.filter(ImageFilter.GaussianBlur(0.8)).point(lambda v: 45 + v * 150 // 255)
    scene = Image.new("L", (small.width + 400, small.height + 400), 110)
    scene.paste(small, (200, 200))
    out = page.with_name(f"{page.stem}-phone-{distance_m:g}m.png")
    scene.save(out)
    return out


@pytest.fixture(scope="module")
def single_pages(tmp_path_factory) -> dict[str, tuple[PlaqueSpec, Path]]:
    """One plaque (with a logo) per size, rendered to PDF and rasterised at 300 dpi."""
    folder = tmp_path_factory.mktemp("single")
    spec = make_spec(logo=make_logo())
    pages = {}
    for key, size in SIZES.items():
        pdf = render_pdf([spec], size, folder / f"{key}.pdf")
        (page,) = rasterise(pdf)
        pages[key] = (spec, page)
    return pages


@pytest.mark.parametrize("size_key", list(SIZES))
def test_plaque_pdf_decodes_to_exactly_its_url_at_300_dpi(single_pages, size_key):
    spec, page = single_pages[size_key]
    assert decode(page) == ["HTTPS://DISAN.EXAMPLE.GOV.VN/Q/7F3K2"] == [spec.url]


@pytest.mark.parametrize("size_key", list(SIZES))
def test_plaque_decodes_from_a_phone_a_metre_away(single_pages, size_key):
    spec, page = single_pages[size_key]
    assert decode(phone_view(page, distance_m=1.0)) == [spec.url]


def test_phone_simulation_fails_when_the_phone_is_too_far(single_pages):
    # Guards the simulation itself: a sticker read from across a courtyard must not decode.
    _, page = single_pages[STICKER_10x10.key]
    assert decode(phone_view(page, distance_m=8.0)) == []


@pytest.mark.parametrize("size", [BOARD_20x30, STICKER_10x10])
def test_quiet_zone_of_four_modules_is_blank_on_the_page(single_pages, size):
    spec, page = single_pages[size.key]
    qr = layout_plaque(spec, size).qr
    assert qr.matrix.quiet_zone >= 4
    img = Image.open(page).convert("L")
    px = PRINT_DPI / 25.4

    def box(inset_modules: float) -> tuple[int, int, int, int]:
        inset = inset_modules * qr.module
        return (
            round((qr.x + inset) * px),
            round((qr.y + inset) * px),
            round((qr.x + qr.side - inset) * px),
            round((qr.y + qr.side - inset) * px),
        )

    outer, symbol = box(0), box(qr.matrix.quiet_zone - 0.1)
    ring = img.crop(outer)
    ring.paste(255, (symbol[0] - outer[0], symbol[1] - outer[1],
                     symbol[2] - outer[0], symbol[3] - outer[1]))  # fmt: skip
    assert ring.getextrema()[0] >= 250, "something is printed inside the quiet zone"
    assert img.crop(symbol).getextrema()[0] < 50, "the symbol itself is missing"
    # Every module printed where the matrix puts it (not mirrored, not shifted).
    quiet = qr.matrix.quiet_zone
    printed = tuple(
        tuple(
            img.getpixel(
                (
                    round((qr.x + (quiet + c + 0.5) * qr.module) * px),
                    round((qr.y + (quiet + r + 0.5) * qr.module) * px),
                )
            )
            < 128
            for c in range(qr.matrix.size)
        )
        for r in range(qr.matrix.size)
    )
    assert printed == qr.matrix.rows


def test_batch_pdf_has_one_plaque_per_page_each_decoding_to_its_own_url(tmp_path):
    specs = [
        make_spec("7F3K2"),
        make_spec("9ABCD", name_vi="Chùa Bồ Đề", name_en="Bo De Pagoda"),
        make_spec("XY234", name_vi="Đền Lạc Viên", name_en="Lac Vien Temple"),
    ]
    calls = []
    pdf = render_pdf(specs, A6, tmp_path / "batch.pdf", progress=lambda *a: calls.append(a))
    pages = rasterise(pdf)
    assert len(pages) == 3
    assert [decode(page) for page in pages] == [[spec.url] for spec in specs]
    assert calls == [(1, 3), (2, 3), (3, 3)]


def test_pdf_carries_the_vietnamese_and_english_text(tmp_path):
    pdf = render_pdf([make_spec()], BOARD_20x30, tmp_path / "one.pdf")
    done = subprocess.run(
        [tool("pdftotext"), str(pdf), "-"], capture_output=True, text=True, check=True
    )
    text = " ".join(done.stdout.split())
    for expected in (
        "Đình Đông Khê",
        "Dong Khe Communal House",
        "Di tích lịch sử – văn hóa cấp quốc gia",
        "Quận Ngô Quyền, TP Hải Phòng",
        "HTTPS://DISAN.EXAMPLE.GOV.VN/Q/7F3K2",
    ):
        assert expected in text


def test_pdf_embeds_every_font_it_uses(tmp_path):
    pdf = render_pdf([make_spec()], A6, tmp_path / "one.pdf")
    done = subprocess.run([tool("pdffonts"), str(pdf)], capture_output=True, text=True, check=True)
    rows = done.stdout.splitlines()[2:]
    assert rows, "no fonts found"
    for row in rows:
        # columns: name type... encoding emb sub uni object-id generation
        assert row.split()[-5] == "yes", f"font not embedded: {row}"


def test_logo_is_stored_once_in_a_batch(tmp_path):
    specs = [make_spec(code, logo=make_logo()) for code in ("7F3K2", "9ABCD", "XY234")]
    pdf = render_pdf(specs, A6, tmp_path / "batch.pdf")
    done = subprocess.run(
        [tool("pdfimages"), "-list", str(pdf)], capture_output=True, text=True, check=True
    )
    rows = [row.split() for row in done.stdout.splitlines()[2:]]
    assert len(rows) >= 3  # drawn on every page (plus its soft mask)
    assert len({(row[10], row[11]) for row in rows if row[2] == "image"}) == 1  # one object


def test_render_pdf_leaves_an_existing_file_alone_when_it_fails(tmp_path):
    out = tmp_path / "plaques.pdf"
    out.write_bytes(b"previous batch")
    with pytest.raises(PlaqueError, match="Logo"):
        render_pdf([make_spec(), make_spec(logo=b"not an image")], A6, out)
    assert out.read_bytes() == b"previous batch"
    assert [p.name for p in tmp_path.iterdir()] == ["plaques.pdf"]


def test_error_correction_falls_back_to_q_then_refuses():
    url = "HTTPS://DISAN.EXAMPLE.GOV.VN/Q/7F3K2"
    high, medium = make_qr_matrix(url), make_qr_matrix(url, side_mm=1000)
    assert high.error == medium.error == "H"
    assert high.side_modules == high.size + 8
    q_only = make_qr_matrix(url, side_mm=(high.side_modules - 1) * MIN_MODULE_MM)
    assert q_only.error == "Q"
    assert q_only.version < high.version
    with pytest.raises(PlaqueError, match="khổ lớn hơn"):
        make_qr_matrix(url, side_mm=(q_only.side_modules - 1) * MIN_MODULE_MM)


def test_a_tiny_custom_size_gets_a_vietnamese_error_not_an_unreadable_plaque():
    with pytest.raises(PlaqueError, match="quét"):
        render_svg(make_spec(), PlaqueSize("tiny", "Nhỏ", 30.0, 30.0))


def _boxes(spec: PlaqueSpec, size: PlaqueSize):
    lay = layout_plaque(spec, size)
    for t in lay.texts:
        width = text_width(t.text, t.font, t.size)
        left = t.x - width / 2 if t.anchor == "middle" else t.x
        yield t.text, (left, t.baseline - 1.05 * t.size, left + width, t.baseline + 0.3 * t.size)
    if lay.logo:
        logo = lay.logo
        yield "logo", (logo.x, logo.y, logo.x + logo.width, logo.y + logo.height)


LONG = make_spec(
    name_vi="Cụm di tích Đình, Chùa và Miếu Thượng Thanh cùng Nhà thờ họ Nguyễn Văn "
    "và giếng cổ làng Thượng Thanh, nơi lưu giữ nhiều sắc phong triều Nguyễn",
    name_en="Thuong Thanh communal house, pagoda and shrine with the Nguyen Van ancestral hall "
    "and the old village well",
    ranking="Di tích lịch sử – văn hóa cấp quốc gia đặc biệt · Special national relic",
    district="Ủy ban nhân dân Huyện Gia Lâm, Thành phố Hà Nội",
    logo=make_logo(),
)


@pytest.mark.parametrize("size", list(SIZES.values()), ids=list(SIZES))
def test_long_names_stay_on_the_plaque_and_off_the_qr_code(size):
    qr = layout_plaque(LONG, size).qr
    qr_box = (qr.x, qr.y, qr.x + qr.side, qr.y + qr.side)
    for label, (x1, y1, x2, y2) in _boxes(LONG, size):
        assert 0 < x1 and x2 < size.width_mm and 0 < y1 and y2 < size.height_mm, label
        overlaps = x1 < qr_box[2] and qr_box[0] < x2 and y1 < qr_box[3] and qr_box[1] < y2
        assert not overlaps, f"{label!r} overlaps the QR code"
    texts = [t.text for t in layout_plaque(LONG, size).texts]
    assert LONG.url in texts  # the URL is never wrapped or cut


def test_svg_escapes_markup_in_names():
    name = '<script>alert("x")</script> & Đình\x00'
    svg = render_svg(make_spec(name_vi=name, name_en="</text><script>"), A6)
    assert b"<script" not in svg
    root = ElementTree.fromstring(svg)
    texts = " ".join(el.text for el in root.iterfind(".//svg:text", SVG_NS))
    assert '<script>alert("x")</script> & Đình' in texts
    assert "</text><script>" in texts
    assert root.find("svg:title", SVG_NS).text == '<script>alert("x")</script> & Đình'


def test_svg_is_vector_in_millimetres():
    svg = render_svg(make_spec(), BOARD_20x30)
    root = ElementTree.fromstring(svg)
    assert (root.get("width"), root.get("height"), root.get("viewBox")) == (
        "200mm",
        "300mm",
        "0 0 200 300",
    )
    assert root.find(".//svg:image", SVG_NS) is None
    assert "Đình Đông Khê" in [el.text for el in root.iterfind(".//svg:text", SVG_NS)]
    with_logo = ElementTree.fromstring(render_svg(make_spec(logo=make_logo()), BOARD_20x30))
    (image,) = with_logo.iterfind(".//svg:image", SVG_NS)
    assert image.get("{http://www.w3.org/1999/xlink}href").startswith("data:image/png;base64,")


def _svg_qr_image(svg: bytes, module_px: int = 8) -> Image.Image:
    """Rebuild the QR code an SVG draws, from its path, as a bitmap with a 4-module margin."""
    path = next(
        el for el in ElementTree.fromstring(svg).iterfind(".//svg:path", SVG_NS) if el.get("d")
    )
    runs = [tuple(map(int, m)) for m in re.findall(r"M(\d+) (\d+)h(\d+)v1h-\3z", path.get("d"))]
    side = max(col + n for col, _, n in runs) + 8
    img = Image.new("L", (side * module_px, side * module_px), 255)
    draw = ImageDraw.Draw(img)
    for col, row, n in runs:
        x, y = (col + 4) * module_px, (row + 4) * module_px
        draw.rectangle((x, y, x + n * module_px - 1, y + module_px - 1), fill=0)
    return img


def test_svg_qr_code_decodes_to_its_url(tmp_path):
    spec = make_spec("9ABCD")
    png = tmp_path / "svg-qr.png"
    _svg_qr_image(render_svg(spec, STICKER_10x10)).save(png)
    assert decode(png) == [spec.url]


def test_svg_zip_has_one_named_svg_per_relic(tmp_path):
    specs = [
        make_spec("7F3K2"),
        make_spec("9ABCD", name_vi="Chùa Bồ Đề"),
        make_spec("XY234", name_vi="Đền <Lạc Viên>"),
    ]
    calls = []
    out = render_svg_zip(specs, A6, tmp_path / "plaques.zip", progress=lambda *a: calls.append(a))
    with zipfile.ZipFile(out) as zf:
        names = zf.namelist()
        assert names == [
            "7F3K2-dinh-dong-khe.svg",
            "9ABCD-chua-bo-de.svg",
            "XY234-den-lac-vien.svg",
        ]
        for name, spec in zip(names, specs, strict=True):
            root = ElementTree.fromstring(zf.read(name))
            assert root.find("svg:desc", SVG_NS).text == spec.url
    assert calls == [(1, 3), (2, 3), (3, 3)]


@pytest.mark.parametrize(
    ("ranking", "province", "line"),
    [
        ("cap_tinh", "Hải Phòng", "Di tích cấp thành phố · City-level relic"),
        ("cap_tinh", "Thành phố Huế", "Di tích cấp thành phố · City-level relic"),
        ("cap_tinh", "TP. Hồ Chí Minh", "Di tích cấp thành phố · City-level relic"),
        ("cap_tinh", "Tỉnh Bắc Ninh", "Di tích cấp tỉnh · Provincial relic"),
        ("cap_tinh", "Nghệ An", "Di tích cấp tỉnh · Provincial relic"),
        ("quoc_gia", "Hải Phòng", "Di tích quốc gia · National relic"),
        ("kiem_ke", "", "Di tích đã kiểm kê · Inventoried heritage site"),
        ("", "Hải Phòng", ""),
    ],
)
def test_the_ranking_line_names_a_city_level_ranking_as_such(ranking, province, line):
    assert ranking_line(ranking, province) == line
