"""What every content page shares: NFC text, ASCII slugs and a form that enforces both."""

from django import forms
from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.fields import StreamField
from wagtail.models import PageViewRestriction

from content.text import nfc, vietnamese_slugify

# Mainland Vietnam with its islands; a point outside is most often a typo or swapped lat/lon.
VIETNAM_BOUNDS = {"lat": (8.0, 23.5), "lon": (102.0, 117.9)}


def normalize_instance_text(instance: models.Model) -> None:
    """Store every text field, including StreamField content, in Unicode NFC."""
    for field in instance._meta.concrete_fields:
        value = getattr(instance, field.attname, None)
        if isinstance(value, str):
            setattr(instance, field.attname, nfc(value))
        elif isinstance(field, StreamField) and value is not None:
            raw = field.get_prep_value(value)
            normalized = _nfc_tree(raw)
            if normalized != raw:
                setattr(instance, field.attname, field.to_python(normalized))


def _nfc_tree(value):
    if isinstance(value, str):
        return nfc(value)
    if isinstance(value, list):
        return [_nfc_tree(v) for v in value]
    if isinstance(value, dict):
        return {k: _nfc_tree(v) for k, v in value.items()}
    return value


def ascii_slug(slug: str, title: str) -> str:
    """An ASCII slug from what the editor typed, or from the title when empty."""
    if slug and slug.isascii():
        return slug
    return vietnamese_slugify(slug or title) or "trang"


class HeritagePageForm(WagtailAdminPageForm):
    """The admin form: turns Vietnamese slugs into ASCII before Wagtail checks uniqueness."""

    def clean(self):
        cleaned = super().clean()
        slug, title = cleaned.get("slug") or "", cleaned.get("title") or ""
        new_slug = ascii_slug(slug, title)
        if new_slug != slug:
            cleaned["slug"] = new_slug
            if self.parent_page is not None:
                siblings = self.parent_page.get_children().filter(slug=new_slug)
                if self.instance.pk:
                    siblings = siblings.exclude(pk=self.instance.pk)
                if siblings.exists():
                    self.add_error(
                        "slug",
                        _("Đường dẫn “%(slug)s” đã có trang khác dùng.") % {"slug": new_slug},
                    )
        return cleaned


class HeritagePageMixin:
    """Mixed into every page type of ours: NFC text and ASCII slugs whoever saves it."""

    base_form_class = HeritagePageForm
    # The base template's description reads page.summary: pages without one answer "" here,
    # where a missing attribute would cost the template engine a dir() of the page.
    summary = ""

    def full_clean(self, *args, **kwargs):
        normalize_instance_text(self)
        self.slug = ascii_slug(self.slug, self.title)
        return super().full_clean(*args, **kwargs)

    def save(self, *args, **kwargs):
        normalize_instance_text(self)
        if self.title:
            self.slug = ascii_slug(self.slug, self.title)
        return super().save(*args, **kwargs)

    def get_url_parts(self, request=None):
        """Vietnamese pages seen by a visitor in another language link under that language's
        prefix, so the interface stays in the visitor's language as they move around (the
        page itself falls back to Vietnamese with a notice where no translation exists)."""
        parts = super().get_url_parts(request)
        active = translation.get_language()
        if not parts or parts[2] is None or active == settings.LANGUAGE_CODE:
            return parts
        if active not in dict(settings.LANGUAGES):
            return parts
        roots = self._get_relevant_site_root_paths(request)
        if roots and roots[0].language_code == settings.LANGUAGE_CODE:
            if not parts[2].startswith(f"/{active}/"):
                return (parts[0], parts[1], f"/{active}{parts[2]}")
        return parts

    def get_view_restrictions(self):
        """Wagtail's check before serving a page, without its two queries when no page of
        the site is restricted (the usual case): the restricted branches are read once a
        visitor's request (content/public.py) and bump the page cache when they change."""
        from content.public import branches

        restricted, _hidden = branches()
        if not restricted:
            return PageViewRestriction.objects.none()
        return super().get_view_restrictions()


class DatingYearsMixin(models.Model):
    """Years read from the free-text "niên đại", kept for filtering and sorting by period."""

    year_from = models.IntegerField(_("từ năm"), null=True, blank=True, editable=False)
    year_to = models.IntegerField(_("đến năm"), null=True, blank=True, editable=False)

    class Meta:
        abstract = True

    def set_dating_years(self) -> None:
        from content.inventory.dating import parse_dating

        dating = parse_dating(self.dating)
        self.year_from, self.year_to = dating.year_from, dating.year_to


class CoordinatesMixin(models.Model):
    """WGS84 coordinates, checked to fall inside Vietnam."""

    latitude = models.DecimalField(
        _("vĩ độ (WGS84)"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(-90), MaxValueValidator(90)],
        help_text=_("Ví dụ 20.861500 — độ thập phân, hệ WGS84 (như Google Maps)."),
    )
    longitude = models.DecimalField(
        _("kinh độ (WGS84)"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(-180), MaxValueValidator(180)],
        help_text=_("Ví dụ 106.683000 — độ thập phân, hệ WGS84."),
    )

    class Meta:
        abstract = True

    @property
    def has_coordinates(self) -> bool:
        return self.latitude is not None and self.longitude is not None

    def clean_coordinates(self) -> None:
        if (self.latitude is None) != (self.longitude is None):
            raise forms.ValidationError(_("Cần nhập cả vĩ độ và kinh độ, hoặc để trống cả hai."))
        if not self.has_coordinates:
            return
        lat, lon = float(self.latitude), float(self.longitude)
        (lat_min, lat_max), (lon_min, lon_max) = VIETNAM_BOUNDS["lat"], VIETNAM_BOUNDS["lon"]
        inside = lat_min <= lat <= lat_max and lon_min <= lon <= lon_max
        if not inside:
            swapped = lat_min <= lon <= lat_max and lon_min <= lat <= lon_max
            hint = _(" Có vẻ vĩ độ và kinh độ bị đảo cho nhau.") if swapped else ""
            raise forms.ValidationError(
                {"latitude": _("Tọa độ nằm ngoài lãnh thổ Việt Nam.") + hint}
            )

    def clean(self):
        super().clean()
        self.clean_coordinates()
