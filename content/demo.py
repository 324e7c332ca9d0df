"""The demo district: sample wards, relics, inscriptions, artifacts, places and images.

Everything here is sample content for demonstration, clearly marked as such on the site.
"""

import io
import random
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.core.files.images import ImageFile
from django.db import transaction
from PIL import Image as PILImage
from PIL import ImageDraw
from wagtail.contrib.redirects.models import Redirect
from wagtail.images import get_image_model
from wagtail.models import Collection, Locale, Page, Site

from content.choices import ArtifactCondition, InscriptionKind, PlaceKind, Ranking, RelicType
from content.models import (
    Artifact,
    DistrictSettings,
    HomePage,
    Inscription,
    RelicIndexPage,
    RelicPage,
    TourismIndexPage,
    TourismPlacePage,
    WardPage,
)
from content.permissions import ensure_review_workflow, ensure_ward_editors
from content.text import vietnamese_slugify

SAMPLE = "(Nội dung mẫu) "
CENTRE = (20.8561, 106.6822)  # a district centre near Hải Phòng

WARDS = ["Đông Khê", "Lạch Tray", "Cầu Đất", "Gia Viên"]
DONG_KHE, LACH_TRAY, CAU_DAT, GIA_VIEN = WARDS
# (title, type, ranking, worshipped, ward): a relic named after a ward stands in that ward.
RELICS = [
    ("Đình Đông Khê", RelicType.DINH, Ranking.QUOC_GIA, "Thành hoàng làng", DONG_KHE),
    ("Chùa Phúc Lâm", RelicType.CHUA, Ranking.CAP_TINH, "Phật Thích Ca", LACH_TRAY),
    ("Đền Nghè Mẫu", RelicType.DEN, Ranking.QUOC_GIA, "Nữ tướng Lê Chân", CAU_DAT),
    ("Miếu Ba Xã", RelicType.MIEU, Ranking.KIEM_KE, "Thần Nông", GIA_VIEN),
    (
        "Nhà thờ họ Nguyễn Đức",
        RelicType.NHA_THO_HO,
        Ranking.CAP_TINH,
        "Tiên tổ họ Nguyễn",
        DONG_KHE,
    ),
    ("Địa điểm Chi bộ Đảng đầu tiên", RelicType.CACH_MANG, Ranking.CAP_TINH, "", LACH_TRAY),
    ("Di chỉ khảo cổ Tràng Kênh nhỏ", RelicType.KHAO_CO, Ranking.KIEM_KE, "", CAU_DAT),
    ("Đình Lạch Tray", RelicType.DINH, Ranking.QUOC_GIA_DAC_BIET, "Đức Thánh Tam Giang", LACH_TRAY),
    ("Chùa Hưng Long", RelicType.CHUA, Ranking.CAP_TINH, "Phật Quan Âm", DONG_KHE),
    ("Đền Thánh Mẫu Gia Viên", RelicType.DEN, Ranking.KIEM_KE, "Mẫu Liễu Hạnh", GIA_VIEN),
    ("Đình Cầu Đất", RelicType.DINH, Ranking.CAP_TINH, "Ngô Quyền", CAU_DAT),
    ("Cổng cổ Máy Tơ", RelicType.KIEN_TRUC, Ranking.KIEM_KE, "", GIA_VIEN),
    ("Hồ Tam Bạc", RelicType.DANH_LAM, Ranking.CAP_TINH, "", DONG_KHE),
    ("Chùa Vân Quang", RelicType.CHUA, Ranking.QUOC_GIA, "Phật A Di Đà", LACH_TRAY),
    ("Miếu Cây Đa", RelicType.MIEU, Ranking.KIEM_KE, "Thổ địa", CAU_DAT),
    ("Đình Gia Viên", RelicType.DINH, Ranking.QUOC_GIA, "Thành hoàng Nguyễn Hiền", GIA_VIEN),
    ("Nhà lưu niệm liệt sĩ Đằng Giang", RelicType.CACH_MANG, Ranking.KIEM_KE, "", DONG_KHE),
    ("Đền Tiên Công", RelicType.DEN, Ranking.CAP_TINH, "Các vị Tiên công", LACH_TRAY),
]


@dataclass(frozen=True)
class DemoPlace:
    title: str
    kind: str
    ward: str
    phone: str = ""
    hours: str = ""
    price: str = ""
    ocop_stars: int | None = None


# Every directory category has samples: eat, stay, visit, local products (OCOP), services.
PLACES = [
    DemoPlace(
        "Nhà hàng Bánh đa cua Bà Cụ",
        PlaceKind.RESTAURANT,
        DONG_KHE,
        "0225 000 0101",
        "6:00 – 21:00 hằng ngày",
        "35.000 – 60.000 đ/người",
    ),
    DemoPlace(
        "Quán Nem cua bể Lạch Tray",
        PlaceKind.RESTAURANT,
        LACH_TRAY,
        "0225 000 0102",
        "10:00 – 22:00 hằng ngày",
        "80.000 – 150.000 đ/người",
    ),
    DemoPlace(
        "Khách sạn Hoa Phượng",
        PlaceKind.HOTEL,
        CAU_DAT,
        "0225 000 0103",
        "Nhận phòng từ 14:00",
        "từ 550.000 đ/đêm",
    ),
    DemoPlace(
        "Nhà nghỉ Sông Cấm",
        PlaceKind.HOTEL,
        GIA_VIEN,
        "0225 000 0104",
        "Cả ngày",
        "từ 250.000 đ/đêm",
    ),
    DemoPlace(
        "Công viên Tuổi Trẻ",
        PlaceKind.ENTERTAINMENT,
        DONG_KHE,
        hours="5:00 – 22:00 hằng ngày",
        price="Miễn phí",
    ),
    DemoPlace("Bến xe buýt trung tâm", PlaceKind.SERVICE, LACH_TRAY, hours="5:30 – 20:00"),
    DemoPlace(
        "Điểm thông tin du lịch", PlaceKind.SERVICE, CAU_DAT, "0225 000 0107", "7:30 – 17:00"
    ),
    DemoPlace("Chợ đêm Tam Bạc", PlaceKind.OTHER, GIA_VIEN, hours="18:00 – 23:00 cuối tuần"),
    DemoPlace(
        "Bánh đa đỏ làng Đông Khê",
        PlaceKind.PRODUCT,
        DONG_KHE,
        "0225 000 0109",
        "7:00 – 18:00",
        "25.000 đ/gói 10 chiếc",
        ocop_stars=4,
    ),
    DemoPlace(
        "Nước mắm cốt Lạch Tray",
        PlaceKind.PRODUCT,
        LACH_TRAY,
        "0225 000 0110",
        "7:00 – 19:00",
        "90.000 đ/chai 500 ml",
        ocop_stars=3,
    ),
]
INSCRIPTIONS = [
    (
        InscriptionKind.VAN_BIA,
        "Bia trùng tu đình",
        "重修亭碑記\n皇朝景興二十年歲次己卯\n𠀧𡨸𠊛",
        "Trùng tu đình bi ký\nHoàng triều Cảnh Hưng nhị thập niên tuế thứ Kỷ Mão",
        "Bia ghi việc trùng tu đình, dựng năm Cảnh Hưng thứ 20 (1759), năm Kỷ Mão.",
        "Cảnh Hưng 20 (1759)",
    ),
    (
        InscriptionKind.HOANH_PHI,
        "Hoành phi Thánh cung vạn tuế",
        "聖躬萬歲",
        "Thánh cung vạn tuế",
        "Chúc Thánh thượng muôn tuổi.",
        "Thời Nguyễn",
    ),
    (
        InscriptionKind.CAU_DOI,
        "Câu đối gian giữa",
        "德厚流光千古在\n恩深積慶萬年長",
        "Đức hậu lưu quang thiên cổ tại\nÂn thâm tích khánh vạn niên trường",
        "Đức dày toả sáng nghìn xưa mãi\nƠn sâu chứa phúc vạn năm dài",
        "Thế kỷ XIX",
    ),
    (
        InscriptionKind.SAC_PHONG,
        "Sắc phong năm Tự Đức",
        "敕封當境城隍",
        "Sắc phong Đương cảnh Thành hoàng",
        "Sắc phong vị thần là Thành hoàng bản cảnh.",
        "Tự Đức 3 (1850)",
    ),
]
ARTIFACTS = [
    ("Long ngai", "Gỗ sơn son thếp vàng", "Thế kỷ XIX"),
    ("Bát hương", "Đồng", "Thời Nguyễn"),
    ("Kiệu bát cống", "Gỗ", "Thế kỷ XVIII"),
    ("Chuông đồng", "Đồng", "Gia Long 5 (1806)"),
    ("Đôi hạc thờ", "Đồng", "Đầu thế kỷ XX"),
    ("Bia đá", "Đá xanh", "Cảnh Hưng 20 (1759)"),
]
PALETTES = [(122, 31, 31), (160, 100, 40), (60, 90, 70), (40, 70, 120), (110, 80, 60)]


@dataclass
class DemoResult:
    relics: int
    places: int
    wards: int
    images: int


def _make_jpeg(seed: int, size=(1200, 800)) -> bytes:
    """A small generated picture: sky, ground and a temple roof silhouette."""
    rnd = random.Random(seed)
    w, h = size
    base = PALETTES[seed % len(PALETTES)]
    img = PILImage.new("RGB", size, (230, 220, 200))
    draw = ImageDraw.Draw(img)
    for y in range(h):
        t = y / h
        draw.line(
            [(0, y), (w, y)], fill=tuple(int(c * (0.4 + t) + 200 * (1 - t) * 0.5) for c in base)
        )
    roof_y = int(h * rnd.uniform(0.35, 0.5))
    draw.polygon(
        [(w * 0.15, roof_y + 80), (w * 0.5, roof_y - 60), (w * 0.85, roof_y + 80)], fill=base
    )
    draw.rectangle([w * 0.25, roof_y + 80, w * 0.75, h * 0.85], fill=(90, 60, 40))
    for i in range(3):
        x = w * (0.32 + i * 0.14)
        draw.rectangle([x, roof_y + 140, x + w * 0.06, h * 0.85], fill=(40, 25, 15))
    buf = io.BytesIO()
    img.save(buf, "JPEG", quality=82)
    return buf.getvalue()


def _image(title: str, seed: int):
    Image = get_image_model()
    existing = Image.objects.filter(title=title).first()
    if existing:
        return existing
    name = f"{vietnamese_slugify(title)}.jpg"
    image = Image(title=title)
    image.file = ImageFile(io.BytesIO(_make_jpeg(seed)), name=name)
    image.save()
    return image


def _child(parent: Page, model, slug: str, **fields):
    """Find the child page by slug or create it; then set fields and publish."""
    page = model.objects.child_of(parent).filter(slug=slug).first()
    if page is None:
        page = model(slug=slug, **fields)
        parent.add_child(instance=page)
    else:
        for key, value in fields.items():
            setattr(page, key, value)
    return page


def _publish(page: Page) -> None:
    page.save_revision().publish()


def _placed(model, ancestor: Page, parent: Page, slug: str, **fields):
    """The page of that slug anywhere under ``ancestor``, moved under ``parent`` if it stands
    elsewhere (an older demo put it there; its old address keeps working), else created."""
    page = model.objects.descendant_of(ancestor).filter(slug=slug, locale=parent.locale).first()
    if page is None:
        return _child(parent, model, slug, **fields)
    if page.get_parent().pk != parent.pk:
        move_with_redirects(page, parent)
        page.refresh_from_db()
    for key, value in fields.items():
        setattr(page, key, value)
    return page


def _offset(i: int, spread: float = 0.012) -> tuple[Decimal, Decimal]:
    rnd = random.Random(i * 7919)
    return (
        Decimal(f"{CENTRE[0] + rnd.uniform(-spread, spread):.6f}"),
        Decimal(f"{CENTRE[1] + rnd.uniform(-spread, spread):.6f}"),
    )


def ensure_tree_roots() -> Page:
    """The default locale, root page and root collection, which a flushed database lacks."""
    Locale.objects.get_or_create(language_code=settings.LANGUAGE_CODE)
    Collection.get_first_root_node() or Collection.add_root(name="Root")
    return Page.get_first_root_node() or Page.add_root(title="Root", slug="root")


@transaction.atomic
def load_demo_district(stdout=None) -> DemoResult:
    """Create or update the demo district; running it twice changes nothing more."""
    site = Site.objects.filter(is_default_site=True).first() or Site.objects.first()
    root = ensure_tree_roots()
    home = HomePage.objects.first()
    if home is None:
        home = HomePage(title="Quận Di Sản Mẫu", slug="trang-chu")
        root.add_child(instance=home)
    home.title = "Quận Di Sản Mẫu"
    home.intro = (
        "<p><b>Đây là nội dung mẫu để trình diễn nền tảng Di sản số</b>, "
        "không phải thông tin chính thức của địa phương nào.</p>"
    )
    home.hero_image = _image("Ảnh mẫu – toàn cảnh quận", 999)
    _publish(home)
    if site is None:
        site = Site.objects.create(hostname="localhost", root_page=home, is_default_site=True)
    elif site.root_page_id != home.pk:
        old_root = site.root_page
        site.root_page = home
        site.save()
        if type(old_root.specific) is Page and old_root.pk != home.pk:
            old_root.delete()

    district = DistrictSettings.for_site(site)
    district.district_name = "Quận Di Sản Mẫu"
    district.province_name = "Thành phố mẫu"
    district.contact_phone = "0225 000 0000"
    district.contact_email = "vanhoa@example.gov.vn"
    district.contact_address = "Số 1 đường Mẫu, quận Di Sản Mẫu"
    district.save()

    index = _child(home, RelicIndexPage, "di-tich", title="Di tích")
    index.intro = "<p>Danh mục di tích mẫu của quận, để trình diễn.</p>"
    _publish(index)
    ensure_review_workflow(home)

    images = 1
    wards = {}
    for w, name in enumerate(WARDS):
        ward = _child(index, WardPage, vietnamese_slugify(name), title=name)
        ward.intro = f"{SAMPLE}Phường {name} có nhiều di tích đình, chùa, đền, miếu."
        ward.ward_code = f"DEMO{w + 1:02d}"
        _publish(ward)
        ensure_ward_editors(ward)
        wards[name] = ward

    for i, (title, relic_type, ranking, figures, ward_name) in enumerate(RELICS):
        ward = wards[ward_name]
        lat, lon = _offset(i)
        relic = _placed(RelicPage, index, ward, vietnamese_slugify(title), title=title)
        relic.relic_code = f"DT{i + 1:03d}"
        relic.relic_type, relic.ranking = relic_type, ranking
        relic.worshipped_figures = figures
        relic.latitude, relic.longitude = lat, lon
        relic.address = f"Số {10 + i} phố Mẫu"
        relic.festival_days = "Mùng 10 tháng Giêng âm lịch" if i % 2 == 0 else ""
        relic.opening_hours = "6:00 – 18:00 hằng ngày"
        if ranking != Ranking.KIEM_KE:
            relic.ranking_decision_number = f"{100 + i}/QĐ-MẪU"
        relic.summary = (
            f"{SAMPLE}{title} ({relic.get_ranking_display().lower()}) ở phường {ward.title} "
            "còn giữ nhiều hiện vật và di văn quý."
        )
        relic.body = [
            ("text", f"<p>{SAMPLE}Lịch sử hình thành và các lần trùng tu của {title}.</p>"),
            ("quote", {"text": "Uống nước nhớ nguồn.", "attribution": "Tục ngữ"}),
        ]
        relic.hero_image = _image(f"Ảnh mẫu – {title}", i)
        images += 1
        relic.inscriptions = [
            Inscription(
                kind=kind,
                inventory_number=f"{relic.relic_code}-DV{k + 1:02d}",
                title=ins_title,
                original_text=original,
                transliteration=phien_am,
                translation=dich,
                dating=dating,
                dimensions="120 × 80 cm" if kind == InscriptionKind.VAN_BIA else "",
                position="Gian giữa",
                rubbing_image=_image(f"Ảnh mẫu – bản dập {k}", 500 + k) if k == 0 else None,
            )
            for k, (kind, ins_title, original, phien_am, dich, dating) in enumerate(
                INSCRIPTIONS[: 1 + i % len(INSCRIPTIONS)]
            )
        ]
        relic.artifacts = [
            Artifact(
                inventory_number=f"{relic.relic_code}-{a + 1:02d}",
                name=name,
                material=material,
                dating=dating,
                dimensions="Cao 60 cm",
                condition=ArtifactCondition.TOT if a % 2 == 0 else ArtifactCondition.KHA,
                description=f"{SAMPLE}{name} được lưu giữ tại {title}.",
                image=_image(f"Ảnh mẫu – hiện vật {a}", 700 + a),
            )
            for a, (name, material, dating) in enumerate(ARTIFACTS[: 2 + i % 4])
        ]
        _publish(relic)

    directory = _child(home, TourismIndexPage, "du-lich", title="Du lịch")
    directory.intro = (
        "<p>Ăn gì, ở đâu, chơi gì và mua đặc sản nào quanh các di tích của quận (nội dung mẫu).</p>"
    )
    _publish(directory)
    ensure_ward_editors(directory)
    for p, sample in enumerate(PLACES):
        ward = wards[sample.ward]
        lat, lon = _offset(100 + p, spread=0.01)
        place = _placed(
            TourismPlacePage, home, directory, vietnamese_slugify(sample.title), title=sample.title
        )
        place.kind, place.ward, place.ocop_stars = sample.kind, ward, sample.ocop_stars
        place.phone, place.opening_hours, place.price_range = (
            sample.phone,
            sample.hours,
            sample.price,
        )
        place.latitude, place.longitude = lat, lon
        place.address = f"Số {50 + p} phố Mẫu, phường {ward.title}"
        place.summary = f"{SAMPLE}{sample.title}, phục vụ khách tham quan di tích."
        place.image = _image(f"Ảnh mẫu – {sample.title}", 300 + p)
        place.gallery = [
            ("image", _image(f"Ảnh mẫu – {sample.title} {n}", 400 + p * 3 + n)) for n in (1, 2)
        ]
        images += 3
        _publish(place)

    _translate_samples(home)
    _sample_narrations()
    return DemoResult(relics=len(RELICS), places=len(PLACES), wards=len(WARDS), images=images)


def move_with_redirects(page: Page, parent: Page) -> None:
    """Move a page and its translations; Wagtail redirects the old Vietnamese address, and
    the same address under each language prefix is redirected here too."""
    site_root = Site.objects.filter(is_default_site=True).select_related("root_page").first()
    old_url = page.get_url()
    page.move(parent, pos="last-child")
    for translation in page.get_translations().specific():
        target = parent.get_translation_or_none(translation.locale)
        if target is not None and translation.get_parent().pk != target.pk:
            translation.move(target, pos="last-child")
    if site_root is None or not old_url or not old_url.startswith("/"):
        return
    for code, _name in settings.LANGUAGES:
        if code != settings.LANGUAGE_CODE:
            Redirect.objects.get_or_create(
                old_path=Redirect.normalise_path(f"/{code}{old_url}"),
                site=site_root,
                defaults={"redirect_page": page, "automatically_created": True},
            )


def _translate_samples(home: HomePage) -> None:
    """English versions of two relics, so the language switcher has something to show."""
    en, _created = Locale.objects.get_or_create(language_code="en")
    for slug, title, summary in [
        ("dinh-dong-khe", "Đông Khê Communal House", "(Sample content) A national relic."),
        ("den-nghe-mau", "Nghè Mẫu Temple", "(Sample content) A temple to general Lê Chân."),
    ]:
        relic = RelicPage.objects.filter(slug=slug, locale__language_code="vi").first()
        if relic is None:
            continue
        translated = relic.get_translation_or_none(en)
        if translated is None:
            translated = relic.copy_for_translation(en, copy_parents=True)
        translated.title, translated.summary = title, summary
        _publish(translated)
        for ancestor in translated.get_ancestors().filter(depth__gt=1).specific():
            if not ancestor.live:
                _publish(ancestor)


NARRATIONS = {
    "vi": (
        "(Nội dung mẫu, bản ghi không có tiếng) Kính chào quý khách đến thăm Đình Đông Khê, "
        "di tích quốc gia. Đình thờ Thành hoàng làng và còn giữ nhiều hiện vật, di văn quý."
    ),
    "en": (
        "(Sample content, a silent recording) Welcome to Đông Khê Communal House, a national "
        "relic that worships the village's tutelary god and keeps many precious artifacts."
    ),
}


def silent_mp3(seconds: float) -> bytes:
    """A valid, silent MP3 (MPEG-1 Layer III, 32 kbit/s, 32 kHz, mono) of the given length."""
    frame = bytes([0xFF, 0xFB, 0x18, 0xC0]) + bytes(140)  # all-zero side info decodes to silence
    return frame * max(1, round(seconds * 32000 / 1152))


def _sample_narrations() -> None:
    """Recorded narrations of one relic in Vietnamese and English, as staff would upload them."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from content.models import Narration

    relic = RelicPage.objects.filter(slug="dinh-dong-khe", locale__language_code="vi").first()
    if relic is None:
        return
    for language, transcript in NARRATIONS.items():
        if Narration.objects.filter(relic=relic, language=language).exists():
            continue
        narration = Narration(relic=relic, language=language, transcript=transcript)
        narration.narrator = "Giọng đọc mẫu"
        narration.file = SimpleUploadedFile("mau.mp3", silent_mp3(20), "audio/mpeg")
        narration.full_clean()
        narration.save()
