"""The page tree: district home → relic index → ward → relics, and home → tourism directory →
places (each place names its ward, so the directory filters by ward and editors find every
place in one list)."""

import math

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import models
from django.utils import translation
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index

from content.blocks import BodyBlock, ExtraImagesBlock, image_ids
from content.choices import OCOP_STARS, PlaceKind, Ranking, RelicType, WardKind
from content.models.base import CoordinatesMixin, DatingYearsMixin, HeritagePageMixin
from content.public import in_language, listing_locale, public_pages
from content.text import fold
from heritage_site.fragments import page_fragments

IMAGE_FK = {
    "to": "wagtailimages.Image",
    "null": True,
    "blank": True,
    "on_delete": models.SET_NULL,
    "related_name": "+",
}
EARTH_RADIUS_M = 6_371_000
PLACES_PER_PAGE = 24
MAP_SPAN_DEG = 0.004  # "see on the map" from a place: about 400 m around it
# The relic page's lists, one page of items at a time, for the "Xem thêm" button.
# The parts of relic_page.html kept until visitor content changes (heritage_site/fragments.py).
RELIC_FRAGMENTS = ("head", "og_image", "twitter_card", "content")
PLACE_FRAGMENTS = ("head", "og_image", "content")
RELIC_LIST_FRAGMENTS = {
    "di-van": "content/includes/relic_inscriptions_more.html",
    "hien-vat": "content/includes/relic_artifacts_more.html",
}


def distance_m(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in metres (haversine)."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(math.sqrt(a))


class HomePage(HeritagePageMixin, Page):
    """The district's front page: an introduction and the highlighted relics."""

    intro = RichTextField(_("giới thiệu"), blank=True, features=["bold", "italic", "link"])
    hero_image = models.ForeignKey(verbose_name=_("ảnh bìa"), **IMAGE_FK)

    content_panels = [*Page.content_panels, FieldPanel("intro"), FieldPanel("hero_image")]
    subpage_types = [
        "content.RelicIndexPage",
        "content.TourismIndexPage",
        "media_pipeline.PanoramaGalleryPage",
    ]
    parent_page_types = ["wagtailcore.Page"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("trang chủ huyện")
        verbose_name_plural = _("trang chủ huyện")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["fragments"] = fragments = page_fragments(request, self, ("content",))
        if fragments is not None and fragments.hit:
            return context  # rendered for an earlier visitor (heritage_site/fragments.py)
        # In another language, untranslated relics count and show too (marked on their cards).
        relics = (
            in_language(RelicPage.objects.all(), listing_locale(self), within=self)
            .select_related("hero_image")
            .order_by("ranking", "title")
        )
        context["featured_relics"] = relics[:6]
        context["relic_count"] = relics.count()
        context["relic_index"] = RelicIndexPage.objects.live().child_of(self).first()
        context["tourism_index"] = TourismIndexPage.objects.live().child_of(self).first()
        return context


class RelicIndexPage(HeritagePageMixin, Page):
    """Lists every relic of the district, filterable by ward, type and ranking."""

    intro = RichTextField(_("giới thiệu"), blank=True, features=["bold", "italic", "link"])

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    subpage_types = ["content.WardPage"]
    parent_page_types = ["content.HomePage"]

    class Meta:
        verbose_name = _("danh mục di tích")
        verbose_name_plural = _("danh mục di tích")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        locale = listing_locale(self)
        wards = in_language(WardPage.objects.all(), locale, within=self).order_by("title")
        filters = {
            "ward": request.GET.get("ward", ""),
            "type": request.GET.get("type", ""),
            "ranking": request.GET.get("ranking", ""),
        }
        ward = next((w for w in wards if w.slug == filters["ward"]), None)
        relics = (
            in_language(RelicPage.objects.all(), locale, within=ward or self)
            .select_related("hero_image")
            .order_by("title")
        )
        if filters["type"] in RelicType.values:
            relics = relics.filter(relic_type=filters["type"])
        if filters["ranking"] in Ranking.values:
            relics = relics.filter(ranking=filters["ranking"])
        context["relics"] = Paginator(relics, 24).get_page(request.GET.get("page"))
        context["wards"] = wards
        context["filters"] = filters
        context["relic_types"] = RelicType.choices
        context["rankings"] = Ranking.choices
        return context


class WardPage(HeritagePageMixin, Page):
    """A ward, commune or township: its editors own the relics and places beneath it."""

    ward_kind = models.CharField(
        _("loại đơn vị"), max_length=20, choices=WardKind.choices, default=WardKind.PHUONG
    )
    ward_code = models.CharField(
        _("mã đơn vị hành chính"), max_length=20, blank=True, db_index=True
    )
    intro = models.TextField(_("giới thiệu"), blank=True)

    content_panels = [
        *Page.content_panels,
        FieldRowPanel([FieldPanel("ward_kind"), FieldPanel("ward_code")]),
        FieldPanel("intro"),
    ]
    subpage_types = ["content.RelicPage"]
    parent_page_types = ["content.RelicIndexPage"]

    class Meta:
        verbose_name = _("phường / xã")
        verbose_name_plural = _("phường / xã")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        locale = listing_locale(self)
        context["relics"] = (
            in_language(RelicPage.objects.all(), locale, within=self)
            .select_related("hero_image")
            .order_by("title")
        )
        context["places"] = (
            in_language(TourismPlacePage.objects.all(), locale)
            .filter(ward__translation_key=self.translation_key)
            .order_by("title")
        )
        context["tourism_index"] = in_language(TourismIndexPage.objects.all(), locale).first()
        return context


class RelicPage(HeritagePageMixin, CoordinatesMixin, DatingYearsMixin, Page):
    """A relic (di tích): its story, inscriptions, artifacts and what is nearby."""

    other_names = models.CharField(
        _("tên gọi khác"), max_length=255, blank=True, help_text=_("Cách nhau bằng dấu phẩy.")
    )
    relic_code = models.CharField(
        _("mã di tích"),
        max_length=40,
        blank=True,
        db_index=True,
        help_text=_("Mã trong sổ kiểm kê của huyện, dùng để nhập/xuất bảng tính."),
    )
    relic_type = models.CharField(
        _("loại hình"), max_length=20, choices=RelicType.choices, default=RelicType.DINH
    )
    ranking = models.CharField(
        _("xếp hạng"), max_length=20, choices=Ranking.choices, default=Ranking.KIEM_KE
    )
    ranking_decision_number = models.CharField(
        _("số quyết định xếp hạng"), max_length=100, blank=True
    )
    ranking_decision_date = models.DateField(_("ngày quyết định"), null=True, blank=True)
    address = models.CharField(_("địa chỉ"), max_length=255, blank=True)
    dating = models.CharField(
        _("niên đại"),
        max_length=255,
        blank=True,
        help_text=_("Ví dụ: thế kỷ XVIII, thời Lê, Cảnh Hưng năm thứ 5."),
    )
    worshipped_figures = models.TextField(_("nhân vật được thờ"), blank=True)
    festival_days = models.TextField(
        _("ngày lễ hội (âm lịch)"),
        blank=True,
        help_text=_("Ví dụ: Mùng 10 tháng Giêng âm lịch."),
    )
    opening_hours = models.CharField(_("giờ mở cửa"), max_length=255, blank=True)
    summary = models.TextField(_("tóm tắt"), max_length=600, blank=True)
    hero_image = models.ForeignKey(verbose_name=_("ảnh đại diện"), **IMAGE_FK)
    body = StreamField(BodyBlock(), blank=True, verbose_name=_("nội dung"))

    search_fields = [
        *Page.search_fields,
        index.SearchField("search_text"),
        index.FilterField("ranking"),
        index.FilterField("relic_type"),
    ]
    content_panels = [
        *Page.content_panels,
        FieldPanel("other_names"),
        FieldRowPanel([FieldPanel("relic_type"), FieldPanel("relic_code")]),
        FieldPanel("dating"),
        MultiFieldPanel(
            [
                FieldPanel("ranking"),
                FieldRowPanel(
                    [FieldPanel("ranking_decision_number"), FieldPanel("ranking_decision_date")]
                ),
            ],
            heading=_("Xếp hạng"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("address"),
                FieldRowPanel([FieldPanel("latitude"), FieldPanel("longitude")]),
            ],
            heading=_("Vị trí"),
        ),
        FieldPanel("worshipped_figures"),
        FieldRowPanel([FieldPanel("festival_days"), FieldPanel("opening_hours")]),
        FieldPanel("summary"),
        FieldPanel("hero_image"),
        FieldPanel("body"),
        InlinePanel("inscriptions", label=_("Văn bia, hoành phi, câu đối…"), heading=_("Di văn")),
        InlinePanel("artifacts", label=_("Hiện vật"), heading=_("Hiện vật")),
    ]
    parent_page_types = ["content.WardPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("di tích")
        verbose_name_plural = _("di tích")

    @cached_property
    def ward(self):
        return self.get_parent().specific

    def search_text(self) -> str:
        """Everything a visitor may search for, without diacritics, so `dinh` finds `Đình`."""
        parts = [self.title, self.other_names, self.summary, self.worshipped_figures, self.address]
        parts += [i.search_text() for i in self.inscriptions.all()]
        parts += [a.search_text() for a in self.artifacts.all()]
        return fold(" ".join(p for p in parts if p))

    def save(self, *args, **kwargs):
        self.set_dating_years()
        result = super().save(*args, **kwargs)
        # Children are saved after the page row; index again so their text is searchable.
        # Index the row as stored, not this object: saving a draft of a live page leaves the
        # published text in the database, and the draft must not become findable.
        from modelsearch.index import insert_or_update_object

        if self.live:
            stored = RelicPage.objects.filter(pk=self.pk).first()
            if stored is not None:
                insert_or_update_object(stored)
        return result

    def nearby_places(self):
        """Live tourism places within NEARBY_PLACES_DISTANCE_M, nearest first, in one query
        (an English relic also lists the Vietnamese places with no English version)."""
        if not self.has_coordinates:
            return []
        lat, lon = float(self.latitude), float(self.longitude)
        radius = settings.NEARBY_PLACES_DISTANCE_M
        dlat = radius / 111_320
        dlon = radius / (111_320 * max(math.cos(math.radians(lat)), 0.01))
        # The relic's language, and Vietnamese places not yet translated into it.
        languages = {self.locale.language_code, settings.LANGUAGE_CODE}
        candidates = public_pages(TourismPlacePage.objects.all()).filter(
            locale__language_code__in=languages,
            latitude__range=(lat - dlat, lat + dlat),
            longitude__range=(lon - dlon, lon + dlon),
        )
        chosen = {}
        for place in candidates:
            if place.translation_key not in chosen or place.locale_id == self.locale_id:
                chosen[place.translation_key] = place
        places = []
        for place in chosen.values():
            place.distance_m = distance_m(lat, lon, float(place.latitude), float(place.longitude))
            place.distance_km = place.distance_m / 1000
            if place.distance_m <= radius:
                places.append(place)
        return sorted(places, key=lambda p: p.distance_m)[:12]

    def get_context(self, request, *args, **kwargs):
        from content.models.page_context import relic_page_context, shared_list_variant

        context = super().get_context(request, *args, **kwargs)
        variant = shared_list_variant(request.GET)
        if variant is not None:
            fragments = page_fragments(request, self, RELIC_FRAGMENTS, variant)
            context["fragments"] = fragments
            if fragments is not None and fragments.hit:
                return context  # the article was rendered for an earlier visitor
        context.update(relic_page_context(self, query=request.GET, base=request.path))
        return context

    def get_template(self, request, *args, **kwargs):
        """``?phan=hien-vat`` / ``?phan=di-van``: only that list's items and the link to the
        next ones, which the "Xem thêm" button adds to the page."""
        part = request.GET.get("phan")
        if part in RELIC_LIST_FRAGMENTS:
            return RELIC_LIST_FRAGMENTS[part]
        return super().get_template(request, *args, **kwargs)


class TourismIndexPage(HeritagePageMixin, Page):
    """The tourism directory: places to eat, stay and visit and local products, by category."""

    intro = RichTextField(_("giới thiệu"), blank=True, features=["bold", "italic", "link"])

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    subpage_types = ["content.TourismPlacePage"]
    parent_page_types = ["content.HomePage"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("danh bạ du lịch")
        verbose_name_plural = _("danh bạ du lịch")

    def places(self):
        """Live places of this directory; in another language, the Vietnamese places not yet
        translated as well, so no place is hidden from a foreign visitor."""
        return in_language(TourismPlacePage.objects.all(), listing_locale(self), within=self)

    def wards(self):
        """Wards to filter by, in the directory's language (Vietnamese while none translated)."""
        return in_language(WardPage.objects.all(), listing_locale(self)).order_by("title")

    def get_context(self, request, *args, **kwargs):
        from content.models.page_context import images_by_id

        context = super().get_context(request, *args, **kwargs)
        places = self.places()
        wards = list(self.wards())
        filters = {"kind": request.GET.get("kind", ""), "ward": request.GET.get("ward", "")}
        if filters["kind"] in PlaceKind.values:
            places = places.filter(kind=filters["kind"])
        ward = next((w for w in wards if w.slug == filters["ward"]), None)
        if ward:
            places = places.filter(ward__translation_key=ward.translation_key)
        page = Paginator(
            places.select_related("ward").order_by("title", "pk"), PLACES_PER_PAGE
        ).get_page(request.GET.get("page"))
        images = images_by_id(p.image_id for p in page)
        ward_names = {w.translation_key: w.title for w in wards}
        for place in page:
            place.thumb = images.get(place.image_id)
            if place.ward is not None:
                place.ward_name = ward_names.get(place.ward.translation_key, place.ward.title)
        context.update(
            places=page,
            wards=wards,
            kinds=PlaceKind.choices,
            filters=filters,
            filtered=bool(filters["kind"] in PlaceKind.values or ward),
        )
        return context


class TourismPlacePage(HeritagePageMixin, CoordinatesMixin, Page):
    """A place to eat, stay or visit, or a local product, that visitors look for near a relic."""

    kind = models.CharField(
        _("loại"), max_length=20, choices=PlaceKind.choices, default=PlaceKind.RESTAURANT
    )
    ward = models.ForeignKey(
        "content.WardPage",
        verbose_name=_("phường / xã"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Phường, xã nơi có địa điểm; khách lọc danh bạ theo phường, xã."),
    )
    address = models.CharField(_("địa chỉ"), max_length=255, blank=True)
    phone = models.CharField(_("điện thoại"), max_length=40, blank=True)
    website = models.URLField(_("trang web"), blank=True)
    opening_hours = models.CharField(_("giờ mở cửa"), max_length=255, blank=True)
    price_range = models.CharField(
        _("mức giá"),
        max_length=100,
        blank=True,
        help_text=_("Ví dụ: 30.000 – 80.000 đ/người, hoặc từ 450.000 đ/đêm."),
    )
    ocop_stars = models.PositiveSmallIntegerField(
        _("hạng OCOP"),
        null=True,
        blank=True,
        choices=OCOP_STARS,
        help_text=_("Chỉ với đặc sản đã được công nhận sản phẩm OCOP."),
    )
    summary = models.TextField(_("giới thiệu ngắn"), max_length=600, blank=True)
    image = models.ForeignKey(verbose_name=_("ảnh"), **IMAGE_FK)
    gallery = StreamField(ExtraImagesBlock(), blank=True, verbose_name=_("ảnh khác"))

    search_fields = [
        *Page.search_fields,
        index.SearchField("search_text"),
        index.FilterField("kind"),
    ]
    content_panels = [
        *Page.content_panels,
        FieldRowPanel([FieldPanel("kind"), FieldPanel("ocop_stars")]),
        MultiFieldPanel(
            [
                FieldPanel("ward"),
                FieldPanel("address"),
                FieldRowPanel([FieldPanel("latitude"), FieldPanel("longitude")]),
            ],
            heading=_("Vị trí"),
        ),
        FieldRowPanel([FieldPanel("phone"), FieldPanel("website")]),
        FieldRowPanel([FieldPanel("opening_hours"), FieldPanel("price_range")]),
        FieldPanel("summary"),
        FieldPanel("image"),
        FieldPanel("gallery"),
    ]
    parent_page_types = ["content.TourismIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("điểm du lịch, đặc sản")
        verbose_name_plural = _("điểm du lịch, đặc sản")

    def clean(self):
        super().clean()
        if self.ocop_stars and self.kind != PlaceKind.PRODUCT:
            raise ValidationError(
                {"ocop_stars": _("Hạng OCOP chỉ dành cho loại “Đặc sản, sản phẩm OCOP”.")}
            )

    def search_text(self) -> str:
        """Name, category, address and summary without diacritics: `khach san`, `ocop` find it."""
        with translation.override(settings.LANGUAGE_CODE):  # index the Vietnamese category
            kind = str(self.get_kind_display())
        parts = [self.title, kind, self.address, self.summary]
        if self.ocop_stars:
            parts.append(f"OCOP {self.ocop_stars}")
        return fold(" ".join(p for p in parts if p))

    def gallery_image_ids(self) -> list[int]:
        return image_ids(self.gallery)

    def get_context(self, request, *args, **kwargs):
        from content.models.page_context import images_by_id

        context = super().get_context(request, *args, **kwargs)
        context["fragments"] = fragments = page_fragments(request, self, PLACE_FRAGMENTS)
        if fragments is not None and fragments.hit:
            return context  # rendered for an earlier visitor (heritage_site/fragments.py)
        images = images_by_id([self.image_id, *self.gallery_image_ids()])
        context["hero"] = images.get(self.image_id)
        context["photos"] = [images[i] for i in self.gallery_image_ids() if i in images]
        context["ward_page"] = self.ward if self.ward_id else None
        if self.has_coordinates:
            lat, lon, d = float(self.latitude), float(self.longitude), MAP_SPAN_DEG
            context["map_bbox"] = f"{lon - d:.5f},{lat - d:.5f},{lon + d:.5f},{lat + d:.5f}"
        return context
